//! CodeHub's durable state: [`SqlStore`] implements the engine's
//! [`Store`](codehub_engine::ports::store::Store) port on SQLite or PostgreSQL.
//!
//! One code path serves both databases: queries go through [`sqlx::Any`] with `$n`
//! placeholders (which sqlx's SQLite driver accepts too), and the schema uses only
//! integers, text and doubles (ratings), so the two dialects decode alike. JSON (files, judgements, samples,
//! a contest's problems, event payloads) is stored as `TEXT`, times as `i64` milliseconds,
//! booleans as `0`/`1`.
//!
//! Migrations live in `migrations/{sqlite,postgres}/` at the workspace root, are embedded
//! at compile time and run by [`SqlStore::connect`].
//!
//! # Layout
//! One file per store trait: `users.rs` ([`UserStore`]), `contests.rs` ([`ContestStore`]),
//! `submissions.rs` ([`SubmissionStore`]), `fences.rs` ([`FenceStore`]), `events.rs`
//! ([`EventLog`]), `clarifications.rs`, `practice.rs` (editorials, hints, virtual
//! participations), `ratings.rs` (rating history); this file connects and migrates; `rows.rs` maps rows to domain types
//! and sqlx errors to [`StoreError`].
//!
//! [`UserStore`]: codehub_engine::ports::store::UserStore
//! [`ContestStore`]: codehub_engine::ports::store::ContestStore
//! [`SubmissionStore`]: codehub_engine::ports::store::SubmissionStore
//! [`FenceStore`]: codehub_engine::ports::store::FenceStore
//! [`EventLog`]: codehub_engine::ports::store::EventLog

mod clarifications;
mod contests;
mod events;
mod fences;
mod practice;
mod ratings;
mod rows;
mod submissions;
mod users;

use codehub_engine::model::SubmissionId;
use codehub_engine::ports::store::StoreError;
use rows::db;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long an SQLite connection waits for another's write lock before failing (10 s).
const SQLITE_BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// PostgreSQL advisory lock key serialising
/// [`EventLog::append_event`](codehub_engine::ports::store::EventLog::append_event) ("CHEV").
const EVENTS_APPEND_LOCK: i64 = 0x4348_4556;

/// Which database a [`SqlStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (a file, or in memory).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The [`Store`](codehub_engine::ports::store::Store) on SQLite or PostgreSQL: a
/// connection pool over [`sqlx::Any`].
///
/// Clones are cheap and share the pool. Every method borrows a pooled connection for one
/// statement (one short transaction for
/// [`EventLog::append_event`](codehub_engine::ports::store::EventLog::append_event)).
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

impl SqlStore {
    /// Connects to `url` and brings the schema up to date.
    ///
    /// Accepts `sqlite://path?mode=rwc` (`mode=rwc` creates the file), `sqlite::memory:`
    /// and `postgres://…` / `postgresql://…`. On SQLite every connection runs with
    /// `journal_mode=WAL`, `synchronous=FULL` (a commit is on disk when it returns),
    /// foreign keys on and a busy timeout; an in-memory database uses a single
    /// connection that is never recycled, since each connection would see its own.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Database(format!(
                "unsupported database URL `{}` (want sqlite:… or postgres://…)",
                redact(url)
            )));
        };
        let options = AnyConnectOptions::from_str(url).map_err(|e| {
            StoreError::Database(format!("bad database URL `{}`: {e}", redact(url)))
        })?;
        let pool = match backend {
            Backend::Sqlite => {
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let pool_options = if in_memory {
                    AnyPoolOptions::new()
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                } else {
                    AnyPoolOptions::new().max_connections(8)
                };
                pool_options
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(SQLITE_BUSY_TIMEOUT).await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA synchronous = FULL").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(10)
                    // With the database down, a request fails (503, try again) within
                    // 5 s instead of waiting 30 s for a connection.
                    .acquire_timeout(std::time::Duration::from_secs(5))
                    .connect_with(options)
                    .await
            }
        }
        .map_err(|e| StoreError::Database(format!("connecting to `{}`: {e}", redact(url))))?;

        if backend == Backend::Sqlite {
            // WAL is a property of the file: set once, before other connections exist
            // (switching needs an exclusive lock that the busy timeout cannot wait for).
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode = WAL")
                .fetch_one(&pool)
                .await
                .map_err(db)?;
            if !matches!(mode.as_str(), "wal" | "memory") {
                return Err(StoreError::Database(format!(
                    "SQLite refused WAL mode (journal_mode is `{mode}`)"
                )));
            }
        }
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(format!("migrating: {e}")))?;
        Ok(SqlStore { pool, backend })
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection, waiting for those in use to be returned. Calls after this
    /// fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `url` without its password, for error messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***{}", &rest[at..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

impl SqlStore {
    /// Whether submission `id` exists (to tell "nothing to do" from "no such row").
    pub(crate) async fn submission_exists(&self, id: SubmissionId) -> Result<bool, StoreError> {
        let found = sqlx::query("SELECT 1 FROM submissions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(found.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// Every pooled SQLite connection, not just the first, runs with the durability
    /// settings.
    #[tokio::test]
    async fn sqlite_connections_are_durable() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("p.db").display());
        let store = SqlStore::connect(&url).await.unwrap();
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut conn = store.pool.acquire().await.unwrap();
            for (sql, want) in [
                ("PRAGMA journal_mode", "wal"),
                ("PRAGMA synchronous", "2"),
                ("PRAGMA foreign_keys", "1"),
                ("PRAGMA busy_timeout", "10000"),
            ] {
                let row = sqlx::query(sql).fetch_one(&mut *conn).await.unwrap();
                let got = match row.try_get::<String, _>(0) {
                    Ok(text) => text,
                    Err(_) => row.try_get::<i64, _>(0).unwrap().to_string(),
                };
                assert_eq!(got, want, "{sql}");
            }
            held.push(conn);
        }
        drop(held);
        store.close().await;
    }
}
