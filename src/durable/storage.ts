/**
 * The hub's own SQLite schema, versioned in a table of its own (DO SQLite has no PRAGMA user_version).
 * Append a migration to add tables; never edit one that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  // 1: metadata, the one-alarm-many-timers table, and used WebSocket tickets (single use).
  `CREATE TABLE hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE timers (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     payload TEXT NOT NULL DEFAULT '{}',
     dedupe_key TEXT UNIQUE,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT
   );
   CREATE INDEX timers_due_idx ON timers (due_at);
   CREATE TABLE ws_tickets (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);`,
  // 2: the job registry (times are epoch ms here; the D1 copy uses ISO text).
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     job_type TEXT NOT NULL,
     status TEXT NOT NULL,
     params TEXT NOT NULL,
     groups_total INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     completed_at INTEGER,
     timeout_seconds INTEGER NOT NULL,
     stall_seconds INTEGER NOT NULL,
     progress_pct INTEGER NOT NULL DEFAULT 0,
     progress_detail TEXT NOT NULL DEFAULT '',
     work_total INTEGER NOT NULL DEFAULT 0,
     work_done INTEGER NOT NULL DEFAULT 0,
     result_ref TEXT,
     error_class TEXT,
     error_msg TEXT,
     last_progress_at INTEGER
   );
   CREATE INDEX jobs_status_idx ON jobs (status, created_at);
   CREATE TABLE job_groups (
     job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
     group_key TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
     error TEXT,
     PRIMARY KEY (job_id, group_key)
   );`,
  // 3: leases (a consumer holds a group while it works and renews the lease; a lapsed lease means lost work,
  // and the group is sent again as a new attempt), and failed items with their error classes per job.
  `ALTER TABLE job_groups ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE job_groups ADD COLUMN lease_until INTEGER;
   ALTER TABLE job_groups ADD COLUMN enqueued_at INTEGER;
   ALTER TABLE jobs ADD COLUMN work_failed INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE jobs ADD COLUMN error_summary TEXT NOT NULL DEFAULT '{}';`,
  // 4: time slices. A group whose worker used up its time budget is handed back and sent again as the next
  // slice of the same attempt (not a lost attempt); the (attempt, slice) pair names the one delivery that may
  // run it. Item tallies of finished slices are carried so the group's outcome counts all of its slices.
  `ALTER TABLE job_groups ADD COLUMN slice INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE job_groups ADD COLUMN items_ok INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE job_groups ADD COLUMN items_failed INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE job_groups ADD COLUMN last_item_error TEXT;`,
];

export function migrateHubStorage(sql: SqlStorage): number {
  sql.exec("CREATE TABLE IF NOT EXISTS hub_schema_version (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM hub_schema_version").toArray()[0];
  let version = row?.version ?? 0;
  if (!row) sql.exec("INSERT INTO hub_schema_version (version) VALUES (0)");
  while (version < MIGRATIONS.length) {
    sql.exec(MIGRATIONS[version]!);
    version += 1;
    sql.exec("UPDATE hub_schema_version SET version = ?", version);
  }
  return version;
}

export const HUB_SCHEMA_VERSION = MIGRATIONS.length;
