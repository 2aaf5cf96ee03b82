//! [`ClarificationStore`] on SQL.

use crate::SqlStore;
use crate::rows::{db, first, flag, from_json, get, rows, to_json, write_error};
use async_trait::async_trait;
use codehub_engine::model::{Clarification, ClarificationId, ContestId, ProblemId, UserId};
use codehub_engine::ports::store::{ClarificationStore, StoreError};
use sqlx::any::AnyRow;

/// The columns read, in every query.
macro_rules! columns {
    () => {
        "id, contest_id, from_user_id, to_user_ids, reply_to_id, problem_id, text, created_at, \
         answered, claimed_by"
    };
}

fn from_row(row: &AnyRow) -> Result<Clarification, StoreError> {
    let to: Option<String> = get(row, "to_user_ids")?;
    Ok(Clarification {
        id: ClarificationId(get(row, "id")?),
        contest_id: ContestId(get(row, "contest_id")?),
        from_user: get::<Option<i64>>(row, "from_user_id")?.map(UserId),
        to_users: to
            .map(|t| from_json::<Vec<UserId>>(&t, "to_user_ids"))
            .transpose()?,
        reply_to: get::<Option<i64>>(row, "reply_to_id")?.map(ClarificationId),
        problem_id: get::<Option<i64>>(row, "problem_id")?.map(ProblemId),
        text: get(row, "text")?,
        created_at: get(row, "created_at")?,
        answered: flag(row, "answered")?,
        claimed_by: get::<Option<i64>>(row, "claimed_by")?.map(UserId),
    })
}

#[async_trait]
impl ClarificationStore for SqlStore {
    async fn create_clarification(&self, c: Clarification) -> Result<Clarification, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        if let Some(question) = c.reply_to {
            // The question must be of the same contest; it is answered by this write.
            let done = sqlx::query(
                "UPDATE clarifications SET answered = 1 WHERE id = $1 AND contest_id = $2",
            )
            .bind(question.0)
            .bind(c.contest_id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!(
                    "clarification {} of contest {}",
                    question.0, c.contest_id.0
                )));
            }
        }
        let to = c.to_users.as_ref().map(to_json).transpose()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO clarifications (contest_id, from_user_id, to_user_ids, reply_to_id, \
             problem_id, text, created_at, answered, claimed_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(c.contest_id.0)
        .bind(c.from_user.map(|u| u.0))
        .bind(to)
        .bind(c.reply_to.map(|r| r.0))
        .bind(c.problem_id.map(|p| p.0))
        .bind(&c.text)
        .bind(c.created_at)
        .bind(i64::from(c.answered))
        .bind(c.claimed_by.map(|u| u.0))
        .fetch_all(&mut *tx)
        .await
        .and_then(first)
        .map_err(|e| write_error(e, || "clarification".into(), "contest, user or problem"))?;
        tx.commit().await.map_err(db)?;
        Ok(Clarification {
            id: ClarificationId(id),
            ..c
        })
    }

    async fn clarification(
        &self,
        id: ClarificationId,
    ) -> Result<Option<Clarification>, StoreError> {
        sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM clarifications WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    async fn clarifications(&self, contest: ContestId) -> Result<Vec<Clarification>, StoreError> {
        let all = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM clarifications WHERE contest_id = $1 ORDER BY id"
        ))
        .bind(contest.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, from_row)
    }

    async fn claim_clarification(
        &self,
        id: ClarificationId,
        judge: Option<UserId>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE clarifications SET claimed_by = $2 WHERE id = $1")
            .bind(id.0)
            .bind(judge.map(|u| u.0))
            .execute(&self.pool)
            .await
            .map_err(|e| write_error(e, || "claim".into(), "judge"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("clarification {}", id.0)));
        }
        Ok(())
    }
}
