//! [`ContestStore`] on SQL: problems, contests and participants.

use crate::SqlStore;
use crate::rows::{
    contest_from_row, db, first, kind_str, problem_from_row, rows, to_json, write_error,
};
use async_trait::async_trait;
use codehub_engine::model::{Contest, ContestId, Problem, ProblemId, UserId, now_ms};
use codehub_engine::ports::store::{
    ContestData, ContestStore, NewProblem, ProblemStats, StoreError,
};

#[async_trait]
impl ContestStore for SqlStore {
    async fn create_problem(&self, problem: NewProblem) -> Result<Problem, StoreError> {
        let created_at = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO problems (slug, name, package_hash, time_limit_ms, memory_limit_kib, \
             code_limit_bytes, statement, samples, answer_files, practice, created_at, tags, \
             difficulty, source, statement_language, translations) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             RETURNING id",
        )
        .bind(&problem.slug)
        .bind(&problem.name)
        .bind(&problem.package_hash)
        .bind(problem.time_limit_ms)
        .bind(problem.memory_limit_kib)
        .bind(problem.code_limit_bytes)
        .bind(&problem.statement)
        .bind(to_json(&problem.samples)?)
        .bind(to_json(&problem.answer_files)?)
        .bind(i64::from(problem.practice))
        .bind(created_at)
        .bind(to_json(&problem.tags)?)
        .bind(problem.difficulty)
        .bind(&problem.source)
        .bind(&problem.statement_language)
        .bind(to_json(&problem.translations)?)
        .fetch_all(&self.pool)
        .await
        .and_then(first)
        .map_err(|e| write_error(e, || format!("problem slug `{}`", problem.slug), "problem"))?;
        Ok(Problem {
            id: ProblemId(id),
            created_at,
            ..problem
        })
    }

    async fn problem(&self, id: ProblemId) -> Result<Option<Problem>, StoreError> {
        sqlx::query(
            "SELECT id, slug, name, package_hash, time_limit_ms, memory_limit_kib, \
             code_limit_bytes, statement, samples, answer_files, practice, created_at, tags, \
             difficulty, source, statement_language, translations FROM problems WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(problem_from_row)
        .transpose()
    }

    async fn problems(&self) -> Result<Vec<Problem>, StoreError> {
        let all = sqlx::query(
            "SELECT id, slug, name, package_hash, time_limit_ms, memory_limit_kib, \
             code_limit_bytes, statement, samples, answer_files, practice, created_at, tags, \
             difficulty, source, statement_language, translations FROM problems ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, problem_from_row)
    }

    async fn update_problem_details(&self, problem: &Problem) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE problems SET tags = $2, difficulty = $3, source = $4, practice = $5 \
             WHERE id = $1",
        )
        .bind(problem.id.0)
        .bind(to_json(&problem.tags)?)
        .bind(problem.difficulty)
        .bind(&problem.source)
        .bind(i64::from(problem.practice))
        .execute(&self.pool)
        .await
        .map_err(|e| write_error(e, || format!("problem {}", problem.id), "problem"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("problem {}", problem.id)));
        }
        Ok(())
    }

    async fn problem_stats(&self) -> Result<Vec<ProblemStats>, StoreError> {
        use sqlx::Row;
        let all = sqlx::query(
            "SELECT problem_id, COUNT(DISTINCT user_id) AS attempted, \
             COUNT(DISTINCT CASE WHEN verdict = 'AC' THEN user_id END) AS solved, \
             COUNT(*) AS judged, \
             COALESCE(SUM(CASE WHEN verdict = 'AC' THEN 1 ELSE 0 END), 0) AS accepted \
             FROM submissions WHERE verdict IS NOT NULL AND verdict <> 'JE' \
             GROUP BY problem_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        all.iter()
            .map(|row| {
                let get = |c: &str| row.try_get::<i64, _>(c).map_err(db);
                Ok(ProblemStats {
                    problem_id: ProblemId(get("problem_id")?),
                    attempted: get("attempted")?,
                    solved: get("solved")?,
                    judged: get("judged")?,
                    accepted: get("accepted")?,
                })
            })
            .collect()
    }

    async fn create_contest(&self, contest: ContestData) -> Result<Contest, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contests (slug, name, kind, start_at, end_at, freeze_at, unfreeze_at, \
             unfrozen, penalty_minutes, problems, verdict_policy, allow_runs, rated) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&contest.slug)
        .bind(&contest.name)
        .bind(kind_str(contest.kind))
        .bind(contest.start_at)
        .bind(contest.end_at)
        .bind(contest.freeze_at)
        .bind(contest.unfreeze_at)
        .bind(i64::from(contest.unfrozen))
        .bind(contest.penalty_minutes)
        .bind(to_json(&contest.problems)?)
        .bind(policy_json(&contest.verdict_policy)?)
        .bind(i64::from(contest.allow_runs))
        .bind(i64::from(contest.rated))
        .fetch_all(&self.pool)
        .await
        .and_then(first)
        .map_err(|e| write_error(e, || format!("contest slug `{}`", contest.slug), "contest"))?;
        Ok(Contest {
            id: ContestId(id),
            ..contest
        })
    }

    async fn update_contest(&self, contest: &Contest) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE contests SET slug = $2, name = $3, kind = $4, start_at = $5, end_at = $6, \
             freeze_at = $7, unfreeze_at = $8, unfrozen = $9, penalty_minutes = $10, \
             problems = $11, verdict_policy = $12, allow_runs = $13, rated = $14 WHERE id = $1",
        )
        .bind(contest.id.0)
        .bind(&contest.slug)
        .bind(&contest.name)
        .bind(kind_str(contest.kind))
        .bind(contest.start_at)
        .bind(contest.end_at)
        .bind(contest.freeze_at)
        .bind(contest.unfreeze_at)
        .bind(i64::from(contest.unfrozen))
        .bind(contest.penalty_minutes)
        .bind(to_json(&contest.problems)?)
        .bind(policy_json(&contest.verdict_policy)?)
        .bind(i64::from(contest.allow_runs))
        .bind(i64::from(contest.rated))
        .execute(&self.pool)
        .await
        .map_err(|e| write_error(e, || format!("contest slug `{}`", contest.slug), "contest"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("contest {}", contest.id)));
        }
        Ok(())
    }

    async fn contest(&self, id: ContestId) -> Result<Option<Contest>, StoreError> {
        sqlx::query(
            "SELECT id, slug, name, kind, start_at, end_at, freeze_at, unfreeze_at, unfrozen, \
             penalty_minutes, problems, verdict_policy, allow_runs, rated FROM contests WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(contest_from_row)
        .transpose()
    }

    async fn contests(&self) -> Result<Vec<Contest>, StoreError> {
        let all = sqlx::query(
            "SELECT id, slug, name, kind, start_at, end_at, freeze_at, unfreeze_at, unfrozen, \
             penalty_minutes, problems, verdict_policy, allow_runs, rated FROM contests ORDER BY start_at, id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, contest_from_row)
    }

    async fn add_participant(&self, contest: ContestId, user: UserId) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO participants (contest_id, user_id) VALUES ($1, $2) \
             ON CONFLICT (contest_id, user_id) DO NOTHING",
        )
        .bind(contest.0)
        .bind(user.0)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            write_error(
                e,
                || format!("participant {user} of contest {contest}"),
                &format!("contest {contest} or user {user}"),
            )
        })?;
        Ok(())
    }

    async fn participants(&self, contest: ContestId) -> Result<Vec<UserId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT user_id FROM participants WHERE contest_id = $1 ORDER BY user_id",
        )
        .bind(contest.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    async fn participant_names(
        &self,
        contest: ContestId,
    ) -> Result<Vec<(UserId, String)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT p.user_id, u.username FROM participants p JOIN users u ON u.id = p.user_id \
             WHERE p.contest_id = $1 ORDER BY p.user_id",
        )
        .bind(contest.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| (UserId(id), name))
            .collect())
    }
}

/// A contest's verdict policy as stored: JSON, or NULL for the judge's own.
fn policy_json(
    policy: &Option<codehub_engine::model::VerdictPolicy>,
) -> Result<Option<String>, StoreError> {
    policy.as_ref().map(to_json).transpose()
}
