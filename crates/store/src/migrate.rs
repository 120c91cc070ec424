//! Schema migrations, numbered and applied once each, in order, per back end.

/// `(version, name, SQLite SQL, PostgreSQL SQL)`.
pub(crate) const MIGRATIONS: &[(i64, &str, &str, &str)] = &[(
    1,
    "records_and_verdicts",
    include_str!("../migrations/sqlite/0001_records_and_verdicts.sql"),
    include_str!("../migrations/postgres/0001_records_and_verdicts.sql"),
)];

/// The table that records which migrations ran (same SQL on both back ends).
pub(crate) const CREATE_MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing_and_both_back_ends_have_sql() {
        let mut last = 0;
        for (v, name, sqlite, pg) in MIGRATIONS {
            assert!(*v > last, "migration {name} is out of order");
            last = *v;
            assert!(sqlite.contains("CREATE") && pg.contains("CREATE"), "{name}");
        }
    }
}
