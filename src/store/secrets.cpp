#include "store/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <soci/soci.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace cairn::store {
namespace {

void need_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

core::Error key_error(std::string detail) {
  return core::Error{core::ErrorKind::Invalid, "Master key unavailable", std::move(detail), {}, {}};
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

const char* kHowToMake = "make one with: head -c 32 /dev/urandom | base64";

// Decodes base64 in any of libsodium's variants (with or without padding, standard or URL-safe).
std::optional<std::vector<unsigned char>> from_base64(const std::string& text, size_t max_len) {
  std::vector<unsigned char> out(max_len);
  for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                      sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) == 0 &&
        end == text.data() + text.size()) {
      out.resize(len);
      return out;
    }
  }
  return std::nullopt;
}

std::string to_base64(const unsigned char* p, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

std::string errno_text() { return std::strerror(errno); }

std::string mode_text(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

// Reads an existing key file, refusing one that anyone but its owner may read or change.
core::Result<MasterKey> read_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return key_error("cannot read the key file " + path + ": " + errno_text());
  struct stat st {};
  // fstat on the opened file, so the mode checked is the mode of what is read.
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return key_error("cannot read the key file " + path + ": " + errno_text());
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return key_error("the key file " + path + " is not a regular file");
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    ::close(fd);
    return key_error("the key file " + path + " has mode " + mode_text(st.st_mode) +
                     ": others may read it, so it is not used; make it readable by its owner only (chmod 600 " + path +
                     ")");
  }
  std::string text(256, '\0');
  ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n < 0) return key_error("cannot read the key file " + path + ": " + errno_text());
  text.resize(static_cast<size_t>(n));
  auto key = MasterKey::parse(text);
  sodium_memzero(text.data(), text.size());
  if (!key) return key_error("the key file " + path + " does not hold a key (64 hex characters)");
  return key;
}

// Writes a new key to a private temporary file, then links it into place: link() fails when the
// name exists, so two processes starting at once agree on one key and nobody reads half a file.
core::Result<MasterKey> create_key_file(const std::string& path) {
  MasterKey key = MasterKey::generate();
  std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(randombytes_random());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return key_error("cannot create the key file " + path + ": " + errno_text() +
                     "; set CAIRN_MASTER_KEY instead (" + kHowToMake + ")");
  std::string text = key.hex() + "\n";
  // The umask may only narrow the mode; fchmod makes it exactly 0600 either way.
  bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!ok) {
    ::unlink(tmp.c_str());
    errno = saved;
    return key_error("cannot write the key file " + path + ": " + errno_text());
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  saved = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (saved == EEXIST) return read_key_file(path);  // another process made it first
    errno = saved;
    return key_error("cannot create the key file " + path + ": " + errno_text());
  }
  // Losing the key after a crash would lose every credential sealed with it: sync the directory.
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return key;
}

}  // namespace

core::Result<MasterKey> MasterKey::parse(const std::string& raw) {
  need_sodium();
  std::string text = trim(raw);
  MasterKey key;
  if (text.size() == kSize * 2) {
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(key.bytes_.data(), key.bytes_.size(), text.data(), text.size(), nullptr, &len, &end) == 0 &&
        len == kSize && end == text.data() + text.size())
      return key;
  }
  if (auto bytes = from_base64(text, 64); bytes && bytes->size() == kSize) {
    std::copy(bytes->begin(), bytes->end(), key.bytes_.begin());
    sodium_memzero(bytes->data(), bytes->size());
    return key;
  }
  return key_error(std::string("CAIRN_MASTER_KEY must be 64 hex characters or the base64 of 32 bytes (") + kHowToMake +
                   ")");
}

MasterKey MasterKey::generate() {
  need_sodium();
  MasterKey key;
  crypto_secretbox_keygen(key.bytes_.data());
  return key;
}

MasterKey::~MasterKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string MasterKey::hex() const {
  std::string out(kSize * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes_.data(), bytes_.size());
  out.pop_back();
  return out;
}

std::string MasterKey::encrypt(const std::string& plain) const {
  need_sodium();
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  unsigned char* nonce = box.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, bytes_.data());
  return "v1:" + to_base64(box.data(), box.size());
}

core::Result<std::string> MasterKey::decrypt(const std::string& sealed) const {
  need_sodium();
  auto malformed = [] {
    return core::Error{core::ErrorKind::Invalid, "Credentials unreadable",
                       "stored credentials are malformed (not a v1: sealed value)", {}, {}};
  };
  if (sealed.rfind("v1:", 0) != 0) return malformed();
  auto box = from_base64(sealed.substr(3), sealed.size());
  if (!box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return malformed();
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), box->data() + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, box->data(), bytes_.data()) != 0)
    return core::Error{core::ErrorKind::Invalid, "Credentials unreadable", kWrongKeyMessage, {}, {}};
  return plain;
}

std::string key_file_path(const std::string& sqlite_path) { return sqlite_path + ".key"; }

core::Result<MasterKey> load_master_key(const std::optional<std::string>& env_value, Dialect dialect,
                                        const std::string& sqlite_path, bool create_missing) {
  if (env_value && !env_value->empty()) return MasterKey::parse(*env_value);
  if (dialect == Dialect::Postgres)
    return key_error(std::string("set CAIRN_MASTER_KEY to keep PSA credentials in PostgreSQL: every Cairn process "
                                 "sharing the database needs the same key (") +
                     kHowToMake + ")");
  if (sqlite_path.empty() || sqlite_path == ":memory:" || sqlite_path.rfind("file:", 0) == 0)
    return key_error(std::string("this SQLite database has no file to keep a key file beside; set CAIRN_MASTER_KEY (") +
                     kHowToMake + ")");
  const std::string path = key_file_path(sqlite_path);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return read_key_file(path);
  if (errno != ENOENT) return key_error("cannot read the key file " + path + ": " + errno_text());
  if (!create_missing) return key_error("the key file " + path + " is missing");
  return create_key_file(path);
}

core::Result<MasterKey> master_key_for(Database& db) {
  const char* env = std::getenv("CAIRN_MASTER_KEY");
  std::optional<std::string> env_value;
  if (env && *env) env_value = env;
  if (!env_value && db.dialect() == Dialect::Sqlite) {
    struct stat st {};
    if (::stat(key_file_path(db.sqlite_path()).c_str(), &st) != 0 && errno == ENOENT) {
      soci::session s(db.pool());
      long long sealed = 0;
      s << "SELECT (SELECT COUNT(*) FROM integrations WHERE credentials IS NOT NULL) + "
           "(SELECT COUNT(*) FROM directory_sources)",
          soci::into(sealed);
      if (sealed > 0)
        return key_error("the key file " + key_file_path(db.sqlite_path()) +
                         " is missing, but integrations or directory sources hold credentials sealed with it; restore "
                         "the file (mode 0600) "
                         "or set CAIRN_MASTER_KEY to the key it held");
    }
  }
  return load_master_key(env_value, db.dialect(), db.sqlite_path());
}

}  // namespace cairn::store
