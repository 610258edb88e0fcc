// The schemas as released versions shipped them, frozen, for the tests that open an old database.
//
// Each is a literal written down once when its version shipped, never derived from
// src/store/Schema.cpp: the migrations are what these tests check, so the old shape must not
// come from them. A literal holds the tables, indexes and user_version only; each test adds
// the rows it needs. Only the versions some test opens are here (2 and 3 are not).
#pragma once

namespace leadoutbox::testing {

// Version 1: the outbox's leads alone.
constexpr const char* kVersion1Schema = R"sql(
  CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE leads(
    id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
    updated_at INTEGER NOT NULL);
  CREATE INDEX leads_by_status ON leads(status, created_at);
  PRAGMA user_version = 1;
)sql";

// Version 4: the replica's staff view and the device's staff-edit queue (what migrations 1 to 4 give).
constexpr const char* kVersion4Schema = R"sql(
  CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
    updated_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    synced_at INTEGER
  );
  CREATE INDEX leads_by_status ON leads(status, created_at);
  CREATE TABLE replica_leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    version INTEGER NOT NULL, staff_state TEXT, status TEXT, owner TEXT, follow_up TEXT,
    tags TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]', overridden TEXT
  );
  CREATE INDEX replica_leads_by_created ON replica_leads(created_at);
  CREATE TABLE edits(
    mutation_id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    edit TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    reason TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX edits_by_lead ON edits(lead_id, mutation_id);
  CREATE INDEX edits_by_status ON edits(status, mutation_id);
  PRAGMA user_version = 4;
)sql";

// Version 5: staff edits and own_writes on the replica, no form columns.
constexpr const char* kVersion5Schema = R"sql(
  CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
    updated_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    synced_at INTEGER
  );
  CREATE INDEX leads_by_status ON leads(status, created_at);
  CREATE TABLE replica_leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    version INTEGER NOT NULL, staff_state TEXT, status TEXT, owner TEXT, follow_up TEXT,
    tags TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]', overridden TEXT, own_writes TEXT
  );
  CREATE INDEX replica_leads_by_created ON replica_leads(created_at);
  CREATE TABLE edits(
    mutation_id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    edit TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    reason TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX edits_by_lead ON edits(lead_id, mutation_id);
  CREATE INDEX edits_by_status ON edits(status, mutation_id);
  PRAGMA user_version = 5;
)sql";

// Version 6: custom forms on the outbox's leads, nothing more on the replica's.
constexpr const char* kVersion6Schema = R"sql(
  CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
    updated_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    synced_at INTEGER, form_id TEXT, form_version INTEGER, custom TEXT, custom_kept TEXT, consent TEXT, attribution TEXT
  );
  CREATE INDEX leads_by_status ON leads(status, created_at);
  CREATE TABLE replica_leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    version INTEGER NOT NULL, staff_state TEXT, status TEXT, owner TEXT, follow_up TEXT,
    tags TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]', overridden TEXT, own_writes TEXT
  );
  CREATE INDEX replica_leads_by_created ON replica_leads(created_at);
  CREATE TABLE edits(
    mutation_id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    edit TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    reason TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX edits_by_lead ON edits(lead_id, mutation_id);
  CREATE INDEX edits_by_status ON edits(status, mutation_id);
  PRAGMA user_version = 6;
)sql";

}  // namespace leadoutbox::testing
