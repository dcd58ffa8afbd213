# How each Debian 12 package is found (see ../shared/BUILD-NOTES.md for the traps).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)
# List pages are parsed with simdjson (psa/json_codec.cpp): bench/sync showed nlohmann's parse was the fetch's cost.
find_package(simdjson REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# OpenLDAP's client (libldap-dev) for Active Directory imports; it ships a pkg-config file.
pkg_check_modules(LDAP REQUIRED IMPORTED_TARGET ldap)

# SOCI ships no CMake or pkg-config file on Debian 12; its headers need Boost's.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE soci_core REQUIRED)
find_library(SOCI_SQLITE3 soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL soci_postgresql REQUIRED)
find_package(Boost REQUIRED)
add_library(cairn_soci INTERFACE)
target_include_directories(cairn_soci INTERFACE ${SOCI_INCLUDE_DIR} ${SOCI_INCLUDE_DIR}/soci ${PostgreSQL_INCLUDE_DIRS} ${Boost_INCLUDE_DIRS})
target_link_libraries(cairn_soci INTERFACE ${SOCI_SQLITE3} ${SOCI_POSTGRESQL} ${SOCI_CORE} PostgreSQL::PostgreSQL SQLite::SQLite3 ${CMAKE_DL_LIBS})
