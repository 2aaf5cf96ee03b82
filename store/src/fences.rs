//! [`FenceStore`] on SQL: fencing tokens and the fenced finish of contest owners.

use crate::SqlStore;
use crate::rows::{db, first, score_binds, to_json};
use async_trait::async_trait;
use codehub_engine::model::{ContestId, Judgement, SubmissionId};
use codehub_engine::ports::store::{FenceStore, StoreError};

#[async_trait]
impl FenceStore for SqlStore {
    async fn finish_submission_fenced(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
        contest: ContestId,
        fence: u64,
    ) -> Result<bool, StoreError> {
        // One statement: the token is compared where the row is written.
        let (has_score, score) = score_binds(judgement.score);
        let done = sqlx::query(
            "UPDATE submissions SET status = 'done', judgement = $2, verdict = $5, \
             score = CASE WHEN $6 = 1 THEN $7 END WHERE id = $1 AND status <> 'done' \
             AND contest_id = $3 AND (SELECT fence FROM contest_fences WHERE contest_id = $3) = $4",
        )
        .bind(id.0)
        .bind(to_json(judgement)?)
        .bind(contest.0)
        .bind(fence as i64)
        .bind(judgement.verdict.code())
        .bind(has_score)
        .bind(score)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() > 0 {
            return Ok(true);
        }
        let current: Option<i64> =
            sqlx::query_scalar("SELECT fence FROM contest_fences WHERE contest_id = $1")
                .bind(contest.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        if current != Some(fence as i64) {
            return Err(StoreError::Fenced(format!(
                "contest {contest}: fencing token {fence} is not the latest ({})",
                current.map_or("none".to_owned(), |c| c.to_string())
            )));
        }
        if self.submission_exists(id).await? {
            Ok(false)
        } else {
            Err(StoreError::NotFound(format!("submission {id}")))
        }
    }

    async fn advance_fence(&self, contest: ContestId) -> Result<u64, StoreError> {
        let fence: i64 = sqlx::query_scalar(
            "INSERT INTO contest_fences (contest_id, fence) VALUES ($1, 1) \
             ON CONFLICT (contest_id) DO UPDATE SET fence = contest_fences.fence + 1 \
             RETURNING fence",
        )
        .bind(contest.0)
        .fetch_all(&self.pool)
        .await
        .and_then(first)
        .map_err(db)?;
        Ok(fence as u64)
    }
}
