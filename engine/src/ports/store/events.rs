//! The event log: an append-only audit of what happened, per contest.

use super::{LoggedEvent, StoreError};
use crate::model::ContestId;
use async_trait::async_trait;

/// Append-only events, readable in id order.
#[async_trait]
pub trait EventLog: Send + Sync + 'static {
    /// Appends an event to a contest's log (`None`: the global log); the time is the
    /// store's clock. Ids become visible in increasing order, so a reader polling with
    /// [`EventLog::events`] never skips one. [`StoreError::NotFound`] if the contest
    /// does not exist.
    async fn append_event(
        &self,
        contest: Option<ContestId>,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<i64, StoreError>;
    /// Events of a contest (`None`: the global log only) after `after_id`, by id.
    async fn events(
        &self,
        contest: Option<ContestId>,
        after_id: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError>;
    /// Appends `payloads`, in order, as the contest's events of `kind`, only if the
    /// contest's last event of that kind is `expected_last` (0: it has none): a
    /// compare-and-append, so several writers (one per node) keep one history. `Ok(None)`:
    /// another writer appended first and nothing was written; the ids otherwise.
    /// [`StoreError::NotFound`] if the contest does not exist.
    async fn append_events_if_last(
        &self,
        contest: ContestId,
        kind: &str,
        expected_last: i64,
        payloads: &[serde_json::Value],
    ) -> Result<Option<Vec<i64>>, StoreError>;
    /// The contest's events of one kind after `after_id`, by id (what [`EventLog::events`]
    /// gives, filtered; stores answer it from an index).
    async fn events_of_kind(
        &self,
        contest: ContestId,
        kind: &str,
        after_id: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let mut events = self.events(Some(contest), after_id).await?;
        events.retain(|(_, k, _, _)| k == kind);
        Ok(events)
    }
}
