#include "directory/ldap_directory.h"

#include <ldap.h>
#include <strings.h>
#include <sys/time.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>

namespace cairn::directory {
namespace {

using core::DirectoryUser;

// The attributes read per user; nothing else crosses the wire.
const char* const kUserAttributes[] = {"sAMAccountName", "givenName", "sn", "title", "mail", "telephoneNumber",
                                       "mobile", "objectClass", "userAccountControl", "lastLogon",
                                       "lastLogonTimestamp", "pwdLastSet", "accountExpires", nullptr};
const char* const kPolicyAttributes[] = {"maxPwdAge", nullptr};

struct LdapCloser {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapCloser>;

struct MessageFree {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
using Message = std::unique_ptr<LDAPMessage, MessageFree>;

core::Error failure(std::string detail) {
  return core::Error{core::ErrorKind::BadRequest, "Directory error", std::move(detail), {}, {}};
}

// The server's own words, when it gave any (AD's "data 52e" tells bad password from locked).
std::string diagnostic(LDAP* ld) {
  char* text = nullptr;
  ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text);
  std::string out = text && *text ? std::string(": ") + text : std::string();
  if (text) ldap_memfree(text);
  return out;
}

// One message per failure the operator can act on.
core::Error explain(int rc, LDAP* ld, const LdapSettings& s, const char* step) {
  std::string where = " (" + std::string(step) + " at " + s.url + ")";
  switch (rc) {
    case LDAP_SERVER_DOWN:
      return failure("cannot reach the directory server at " + s.url + ": " + ldap_err2string(rc) + diagnostic(ld));
    case LDAP_TIMEOUT:
      return failure("the directory server at " + s.url + " did not answer within " +
                     std::to_string(s.timeout_seconds) + " s" + where);
    case LDAP_CONNECT_ERROR:
      return failure("could not set up TLS with " + s.url + ": " + ldap_err2string(rc) + diagnostic(ld));
    case LDAP_INVALID_CREDENTIALS:
      return failure("the directory refused the bind DN or password for \"" + s.bind_dn + "\"" + where);
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_CONFIDENTIALITY_REQUIRED:
      return failure("the directory wants a stronger or encrypted bind (use ldaps:// or StartTLS): " +
                     std::string(ldap_err2string(rc)) + diagnostic(ld) + where);
    case LDAP_NO_SUCH_OBJECT:
      return failure("the base DN \"" + s.base_dn + "\" does not exist in the directory" + where);
    case LDAP_INVALID_DN_SYNTAX:
      return failure("\"" + s.base_dn + "\" is not a valid DN" + where);
    case LDAP_FILTER_ERROR:
      return failure("the filter \"" + s.filter + "\" is not a valid LDAP filter" + where);
    case LDAP_INSUFFICIENT_ACCESS:
      return failure("the bind DN \"" + s.bind_dn + "\" may not read \"" + s.base_dn + "\"" + where);
    default:
      return failure(std::string("the directory answered ") + ldap_err2string(rc) + diagnostic(ld) + where);
  }
}

std::string first_value(LDAP* ld, LDAPMessage* entry, const char* attribute) {
  berval** values = ldap_get_values_len(ld, entry, attribute);
  if (!values) return {};
  std::string out = values[0] ? std::string(values[0]->bv_val, values[0]->bv_len) : std::string();
  ldap_value_free_len(values);
  return out;
}

std::optional<std::int64_t> integer_value(LDAP* ld, LDAPMessage* entry, const char* attribute) {
  std::string text = first_value(ld, entry, attribute);
  std::int64_t n = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

bool has_value(LDAP* ld, LDAPMessage* entry, const char* attribute, const char* wanted) {
  berval** values = ldap_get_values_len(ld, entry, attribute);
  if (!values) return false;
  bool found = false;
  for (size_t i = 0; values[i] && !found; ++i)
    found = values[i]->bv_len == std::strlen(wanted) && strncasecmp(values[i]->bv_val, wanted, values[i]->bv_len) == 0;
  ldap_value_free_len(values);
  return found;
}

DirectoryUser read_user(LDAP* ld, LDAPMessage* entry) {
  DirectoryUser u;
  if (char* dn = ldap_get_dn(ld, entry)) {
    u.dn = dn;
    ldap_memfree(dn);
  }
  u.account_name = first_value(ld, entry, "sAMAccountName");
  u.given_name = first_value(ld, entry, "givenName");
  u.surname = first_value(ld, entry, "sn");
  u.title = first_value(ld, entry, "title");
  u.mail = first_value(ld, entry, "mail");
  u.telephone = first_value(ld, entry, "telephoneNumber");
  u.mobile = first_value(ld, entry, "mobile");
  u.is_computer = has_value(ld, entry, "objectClass", "computer");
  u.user_account_control = integer_value(ld, entry, "userAccountControl");
  // lastLogon is per domain controller; lastLogonTimestamp is replicated but lags: take the later.
  auto logon = integer_value(ld, entry, "lastLogon");
  auto stamp = integer_value(ld, entry, "lastLogonTimestamp");
  if (logon && stamp) u.last_logon = std::max(*logon, *stamp);
  else u.last_logon = logon ? logon : stamp;
  u.pwd_last_set = integer_value(ld, entry, "pwdLastSet");
  u.account_expires = integer_value(ld, entry, "accountExpires");
  return u;
}

core::Result<LdapHandle> connect(const LdapSettings& s) {
  LDAP* raw = nullptr;
  int rc = ldap_initialize(&raw, s.url.c_str());
  if (rc != LDAP_SUCCESS || !raw)
    return failure("\"" + s.url + "\" is not an LDAP URL (ldap://host:389 or ldaps://host:636): " + ldap_err2string(rc));
  LdapHandle ld(raw);
  int version = LDAP_VERSION3;
  ldap_set_option(raw, LDAP_OPT_PROTOCOL_VERSION, &version);
  // AD hands out referrals to other partitions; following them would bind elsewhere unasked.
  ldap_set_option(raw, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  timeval timeout{s.timeout_seconds, 0};
  ldap_set_option(raw, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(raw, LDAP_OPT_TIMEOUT, &timeout);
  if (s.start_tls) {
    if (s.url.rfind("ldaps://", 0) == 0) return failure("StartTLS is for ldap:// URLs; " + s.url + " is TLS already");
    rc = ldap_start_tls_s(raw, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) {
      if (rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT) return explain(rc, raw, s, "StartTLS");
      return failure("StartTLS with " + s.url + " failed: " + ldap_err2string(rc) + diagnostic(raw));
    }
  }
  berval password{static_cast<ber_len_t>(s.password.size()), const_cast<char*>(s.password.data())};
  rc = ldap_sasl_bind_s(raw, s.bind_dn.c_str(), LDAP_SASL_SIMPLE, &password, nullptr, nullptr, nullptr);
  if (rc != LDAP_SUCCESS) {
    // ldaps:// reports a failed TLS handshake as "can't contact": say which it may be.
    if (rc == LDAP_SERVER_DOWN && s.url.rfind("ldaps://", 0) == 0) {
      core::Error e = explain(rc, raw, s, "bind");
      e.detail += " (or its TLS certificate was refused)";
      return e;
    }
    return explain(rc, raw, s, "bind");
  }
  return ld;
}

// maxPwdAge of the domain object at the base DN; a search there also proves the base DN exists.
core::Result<core::DirectoryPolicy> read_policy(LDAP* ld, const LdapSettings& s) {
  LDAPMessage* raw = nullptr;
  timeval timeout{s.timeout_seconds, 0};
  int rc = ldap_search_ext_s(ld, s.base_dn.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)",
                             const_cast<char**>(kPolicyAttributes), 0, nullptr, nullptr, &timeout, 1, &raw);
  Message result(raw);
  if (rc != LDAP_SUCCESS) return explain(rc, ld, s, "reading the base DN");
  core::DirectoryPolicy p;
  if (LDAPMessage* entry = ldap_first_entry(ld, raw)) p.max_pwd_age = integer_value(ld, entry, "maxPwdAge");
  return p;
}

}  // namespace

std::string user_filter(const std::string& extra) {
  std::string e = extra;
  while (!e.empty() && e.front() == ' ') e.erase(e.begin());
  while (!e.empty() && e.back() == ' ') e.pop_back();
  if (e.empty()) return "(objectClass=user)";
  if (e.front() != '(') e = "(" + e + ")";
  return "(&(objectClass=user)" + e + ")";
}

core::Result<DirectoryListing> read_directory(const LdapSettings& s) {
  auto connected = connect(s);
  if (!connected) return connected.error();
  LDAP* ld = connected.value().get();
  auto policy = read_policy(ld, s);
  if (!policy) return policy.error();

  DirectoryListing out;
  out.policy = policy.value();
  const std::string filter = user_filter(s.filter);
  timeval timeout{s.timeout_seconds, 0};
  berval cookie{0, nullptr};
  berval* next_cookie = nullptr;
  do {
    LDAPControl* page = nullptr;
    int rc = ldap_create_page_control(ld, s.page_size, &cookie, 1, &page);
    if (next_cookie) {
      ber_bvfree(next_cookie);
      next_cookie = nullptr;
    }
    if (rc != LDAP_SUCCESS) return explain(rc, ld, s, "paging");
    LDAPControl* controls[] = {page, nullptr};
    LDAPMessage* raw = nullptr;
    rc = ldap_search_ext_s(ld, s.base_dn.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                           const_cast<char**>(kUserAttributes), 0, controls, nullptr, &timeout, 0, &raw);
    ldap_control_free(page);
    Message result(raw);
    if (rc != LDAP_SUCCESS) return explain(rc, ld, s, "searching");
    ++out.pages;
    for (LDAPMessage* e = ldap_first_entry(ld, raw); e; e = ldap_next_entry(ld, e)) out.users.push_back(read_user(ld, e));

    // The cookie for the next page sits in the result's paged-results control; empty means done.
    int err = LDAP_SUCCESS;
    LDAPControl** returned = nullptr;
    rc = ldap_parse_result(ld, raw, &err, nullptr, nullptr, nullptr, &returned, 0);
    if (rc != LDAP_SUCCESS) return explain(rc, ld, s, "reading a page");
    if (err != LDAP_SUCCESS) {
      if (returned) ldap_controls_free(returned);
      return explain(err, ld, s, "searching");
    }
    cookie = berval{0, nullptr};
    LDAPControl* response = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, returned, nullptr);
    if (response) {
      ber_int_t estimate = 0;
      berval value{0, nullptr};
      if (ldap_parse_pageresponse_control(ld, response, &estimate, &value) == LDAP_SUCCESS && value.bv_len > 0) {
        next_cookie = ber_bvdup(&value);
        cookie = *next_cookie;
      }
      if (value.bv_val) ber_memfree(value.bv_val);
    }
    if (returned) ldap_controls_free(returned);
  } while (cookie.bv_len > 0);
  return out;
}

}  // namespace cairn::directory
