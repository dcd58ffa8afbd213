#pragma once
// The documentation store's entities as data: one EntitySchema per resource, one Field per
// attribute. The store builds its SQL from these, the API its JSON:API documents, and the sync
// engine its field diffs, so adding an attribute is one line here plus a migration.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::core {

enum class FieldType { String, Text, Integer, Boolean, Date, DateTime, Reference, Mac, Ip, Email, Phone, Rows };
enum class Storage { Column, Derived, Children, Auto };

struct EntitySchema;

struct Field {
  std::string name;      // snake_case, as IT Glue documents request parameters
  std::string api_name;  // kebab-case, as IT Glue answers
  FieldType type = FieldType::String;
  Storage storage = Storage::Column;
  std::string column;                // Column: the table's column
  std::string expr;                  // Derived: SQL over alias "b" and the named joins
  std::vector<std::string> joins;    // Derived: joins the expression needs
  std::string references;            // Reference: the target entity's type
  std::string scope;                 // Reference: target must share this field's value (e.g. organization_id)
  std::vector<std::string> allowed;  // String: the only values accepted, when not empty
  std::string default_text;          // String: the value stored when none is given
  size_t max_length = 0;             // 0: no limit
  bool required = false;
  bool writable = true;
  bool filterable = false;
  bool sortable = false;
  bool hidden = false;  // filter-only: never in a response
  bool internal = false;  // loaded with the record for Cairn's own use (a push), never in a response
  const EntitySchema* child = nullptr;  // Children: the child rows' schema
  std::string child_fk;                 // Children: the child table's column naming the parent
  size_t index = 0;

  // Builders, so each entity below reads as a table.
  Field& req() { required = true; return *this; }
  Field& filter() { filterable = true; return *this; }
  Field& sort() { sortable = true; return *this; }
  Field& ro() { writable = false; return *this; }
  Field& hide() { hidden = true; writable = false; return *this; }
  Field& keep_internal() { internal = true; writable = false; return *this; }
  Field& max(size_t n) { max_length = n; return *this; }
  Field& col(std::string c) { column = std::move(c); return *this; }
  Field& in_scope(std::string s) { scope = std::move(s); return *this; }
  Field& one_of(std::vector<std::string> v, std::string def) { allowed = std::move(v); default_text = std::move(def); return *this; }
};

struct Join {
  std::string name;
  std::string sql;  // "LEFT JOIN ... ON ..." over alias "b"
};

struct EntitySchema {
  std::string type;         // JSON:API type and route segment: "organizations"
  std::string table;        // SQL table
  std::string link_entity;  // singular, as psa_links and audit_events name it: "organization"
  std::string parent_field; // nested routes: the field naming the parent ("organization_id")
  std::string parent_type;  // nested routes: the parent's type ("organizations")
  std::string default_sort = "id";
  bool bulk = false;          // bulk PATCH and bulk DELETE on the collection
  bool has_psa_link = false;  // carries psa-integration and filter[psa_id]
  bool read_only = false;     // the API lists and shows it, nothing more (sync runs, audit events)
  std::vector<Field> fields;
  std::vector<Join> joins;

  const Field* field(std::string_view name) const;  // by snake_case or kebab-case name
  std::vector<const Field*> columns() const;         // stored, writable-or-auto columns in order
};

const std::vector<const EntitySchema*>& all_entities();
const EntitySchema* find_entity(std::string_view type);
const EntitySchema& entity(std::string_view type);  // throws std::out_of_range for an unknown type

// The value psa_integration_type takes for each connector kind, as IT Glue names them.
std::string psa_integration_type(std::string_view kind);

}  // namespace cairn::core
