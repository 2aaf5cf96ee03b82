//! [`PracticeStore`] on SQL: editorials, hints and what users revealed of them.

use crate::SqlStore;
use crate::rows::{db, from_json, get, rows, to_json, write_error};
use async_trait::async_trait;
use codehub_engine::model::{ContestId, ProblemId, UserId};
use codehub_engine::ports::store::{Editorial, PracticeStore, Revealed, StoreError, VirtualStart};
use sqlx::any::AnyRow;

fn virtual_from_row(row: &AnyRow) -> Result<VirtualStart, StoreError> {
    Ok(VirtualStart {
        user_id: UserId(get(row, "user_id")?),
        contest_id: ContestId(get(row, "contest_id")?),
        started_at: get(row, "started_at")?,
    })
}

#[async_trait]
impl PracticeStore for SqlStore {
    async fn editorial(&self, problem: ProblemId) -> Result<Editorial, StoreError> {
        let row =
            sqlx::query("SELECT editorial, hints FROM problem_editorials WHERE problem_id = $1")
                .bind(problem.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        match row {
            None => Ok(Editorial::default()),
            Some(row) => Ok(Editorial {
                editorial: get(&row, "editorial")?,
                hints: from_json(&get::<String>(&row, "hints")?, "hints")?,
            }),
        }
    }

    async fn set_editorial(&self, problem: ProblemId, e: &Editorial) -> Result<(), StoreError> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM problems WHERE id = $1")
            .bind(problem.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("problem {problem}")));
        }
        sqlx::query(
            "INSERT INTO problem_editorials (problem_id, editorial, hints) VALUES ($1, $2, $3) \
             ON CONFLICT (problem_id) DO UPDATE SET editorial = excluded.editorial, \
             hints = excluded.hints",
        )
        .bind(problem.0)
        .bind(&e.editorial)
        .bind(to_json(&e.hints)?)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn revealed(&self, user: UserId, problem: ProblemId) -> Result<Revealed, StoreError> {
        let row = sqlx::query(
            "SELECT hints, editorial FROM editorial_reveals WHERE user_id = $1 AND problem_id = $2",
        )
        .bind(user.0)
        .bind(problem.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        match row {
            None => Ok(Revealed::default()),
            Some(row) => Ok(Revealed {
                hints: get::<i64>(&row, "hints")?.max(0) as usize,
                editorial: get::<i64>(&row, "editorial")? != 0,
            }),
        }
    }

    async fn reveal(
        &self,
        user: UserId,
        problem: ProblemId,
        revealed: Revealed,
    ) -> Result<Revealed, StoreError> {
        sqlx::query(
            "INSERT INTO editorial_reveals (user_id, problem_id, hints, editorial) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, problem_id) DO UPDATE SET \
             hints = CASE WHEN excluded.hints > editorial_reveals.hints \
                     THEN excluded.hints ELSE editorial_reveals.hints END, \
             editorial = CASE WHEN excluded.editorial > editorial_reveals.editorial \
                     THEN excluded.editorial ELSE editorial_reveals.editorial END",
        )
        .bind(user.0)
        .bind(problem.0)
        .bind(revealed.hints as i64)
        .bind(i64::from(revealed.editorial))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        self.revealed(user, problem).await
    }

    async fn start_virtual(&self, start: VirtualStart) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO virtual_participations (user_id, contest_id, started_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(start.user_id.0)
        .bind(start.contest_id.0)
        .bind(start.started_at)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            write_error(
                e,
                || format!("a virtual participation in contest {}", start.contest_id),
                "user or contest",
            )
        })?;
        Ok(())
    }

    async fn virtual_start(
        &self,
        user: UserId,
        contest: ContestId,
    ) -> Result<Option<VirtualStart>, StoreError> {
        sqlx::query(
            "SELECT user_id, contest_id, started_at FROM virtual_participations \
             WHERE user_id = $1 AND contest_id = $2",
        )
        .bind(user.0)
        .bind(contest.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(virtual_from_row)
        .transpose()
    }

    async fn user_virtuals(&self, user: UserId) -> Result<Vec<VirtualStart>, StoreError> {
        let all = sqlx::query(
            "SELECT user_id, contest_id, started_at FROM virtual_participations \
             WHERE user_id = $1 ORDER BY started_at, contest_id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, virtual_from_row)
    }
}
