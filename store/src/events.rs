//! [`EventLog`] on SQL: the append-only event log.

use crate::rows::{db, first, from_json, get, to_json, write_error};
use crate::{Backend, EVENTS_APPEND_LOCK, SqlStore};
use async_trait::async_trait;
use codehub_engine::model::{ContestId, now_ms};
use codehub_engine::ports::store::{EventLog, LoggedEvent, StoreError};

#[async_trait]
impl EventLog for SqlStore {
    /// `contest: None` appends to the global log (events not tied to a contest). The
    /// event's time is the store's clock.
    ///
    /// Ids become visible in increasing order, so a reader polling with
    /// [`EventLog::events`]`(after_id)` never skips one: SQLite has a single writer anyway;
    /// on PostgreSQL appends are serialised by a transaction-scoped advisory lock, since
    /// concurrent transactions may otherwise commit a later sequence value first.
    async fn append_event(
        &self,
        contest: Option<ContestId>,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(EVENTS_APPEND_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let id = sqlx::query_scalar(
            "INSERT INTO events (contest_id, kind, payload, at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(contest.map(|c| c.0))
        .bind(kind)
        .bind(to_json(payload)?)
        .bind(now_ms())
        .fetch_all(&mut *tx)
        .await
        .and_then(first)
        .map_err(|e| {
            write_error(
                e,
                || "event".to_owned(),
                &contest.map_or("contest".to_owned(), |c| format!("contest {c}")),
            )
        })?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    /// In one transaction: the last id of the kind (from the `(contest_id, kind, id)`
    /// index) is checked, then every payload is inserted; on PostgreSQL under the same
    /// advisory lock as [`EventLog::append_event`], so no other append interleaves.
    async fn append_events_if_last(
        &self,
        contest: ContestId,
        kind: &str,
        expected_last: i64,
        payloads: &[serde_json::Value],
    ) -> Result<Option<Vec<i64>>, StoreError> {
        // SQLite: take the write lock first (a read that later upgrades to a write would
        // fail with "database is locked" instead of waiting for the busy timeout).
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(db)?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(EVENTS_APPEND_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let last: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(id), 0) FROM events WHERE contest_id = $1 AND kind = $2",
        )
        .bind(contest.0)
        .bind(kind)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        if last != expected_last {
            return Ok(None);
        }
        let at = now_ms();
        let mut ids = Vec::with_capacity(payloads.len());
        for payload in payloads {
            let id = sqlx::query_scalar(
                "INSERT INTO events (contest_id, kind, payload, at) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(contest.0)
            .bind(kind)
            .bind(to_json(payload)?)
            .bind(at)
            .fetch_all(&mut *tx)
            .await
            .and_then(first)
            .map_err(|e| write_error(e, || "event".to_owned(), &format!("contest {contest}")))?;
            ids.push(id);
        }
        tx.commit().await.map_err(db)?;
        Ok(Some(ids))
    }

    /// From the `(contest_id, kind, id)` index.
    async fn events_of_kind(
        &self,
        contest: ContestId,
        kind: &str,
        after_id: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        sqlx::query(
            "SELECT id, kind, payload, at FROM events \
             WHERE contest_id = $1 AND kind = $2 AND id > $3 ORDER BY id",
        )
        .bind(contest.0)
        .bind(kind)
        .bind(after_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?
        .iter()
        .map(logged)
        .collect()
    }

    /// `contest: None` reads the global log only (not every contest's events).
    async fn events(
        &self,
        contest: Option<ContestId>,
        after_id: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let query = match contest {
            None => sqlx::query(
                "SELECT id, kind, payload, at FROM events \
                 WHERE contest_id IS NULL AND id > $1 ORDER BY id",
            )
            .bind(after_id),
            Some(contest) => sqlx::query(
                "SELECT id, kind, payload, at FROM events \
                 WHERE contest_id = $1 AND id > $2 ORDER BY id",
            )
            .bind(contest.0)
            .bind(after_id),
        };
        query
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(logged)
            .collect()
    }
}

/// A row of `events`.
fn logged(row: &sqlx::any::AnyRow) -> Result<LoggedEvent, StoreError> {
    let payload: String = get(row, "payload")?;
    Ok((
        get(row, "id")?,
        get(row, "kind")?,
        from_json(&payload, "payload")?,
        get(row, "at")?,
    ))
}
