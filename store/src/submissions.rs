//! [`SubmissionStore`] on SQL: submissions from acceptance to judgement.

use crate::SqlStore;
use crate::rows::{
    bad_value, db, first, get, rows, score_binds, submission_from_row, to_json, write_error,
};
use async_trait::async_trait;
use codehub_engine::Verdict;
use codehub_engine::model::{
    ContestId, Judgement, Millis, ProblemId, Submission, SubmissionId, SubmissionStatus, UserId,
};
use codehub_engine::ports::store::{
    NewSubmission, ProblemTally, StoreError, SubmissionMark, SubmissionStore,
};

#[async_trait]
impl SubmissionStore for SqlStore {
    async fn create_submission(&self, submission: NewSubmission) -> Result<Submission, StoreError> {
        let status = SubmissionStatus::Queued;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO submissions (user_id, contest_id, problem_id, language, files, \
             submitted_at, status, judgement) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING id",
        )
        .bind(submission.user_id.0)
        .bind(submission.contest_id.map(|c| c.0))
        .bind(submission.problem_id.0)
        .bind(&submission.language)
        .bind(to_json(&submission.files)?)
        .bind(submission.submitted_at)
        .bind(status.as_str())
        .fetch_all(&self.pool)
        .await
        .and_then(first)
        .map_err(|e| {
            let contest = submission
                .contest_id
                .map_or(String::new(), |c| format!(", contest {c}"));
            write_error(
                e,
                || "submission".to_owned(),
                &format!(
                    "user {}, problem {}{contest}",
                    submission.user_id, submission.problem_id
                ),
            )
        })?;
        Ok(Submission {
            id: SubmissionId(id),
            user_id: submission.user_id,
            contest_id: submission.contest_id,
            problem_id: submission.problem_id,
            language: submission.language,
            files: submission.files,
            submitted_at: submission.submitted_at,
            status,
            judgement: None,
        })
    }

    /// Only a queued submission changes; marking a judging or done one is a no-op (a
    /// duplicate job must not undo a judgement). [`StoreError::NotFound`] if absent.
    async fn mark_judging(&self, id: SubmissionId) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE submissions SET status = 'judging' WHERE id = $1 AND status = 'queued'",
        )
        .bind(id.0)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 && !self.submission_exists(id).await? {
            return Err(StoreError::NotFound(format!("submission {id}")));
        }
        Ok(())
    }

    /// `true` if this call recorded the judgement, `false` if the submission was already
    /// done. [`StoreError::NotFound`] if absent.
    async fn finish_submission(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
    ) -> Result<bool, StoreError> {
        let (has_score, score) = score_binds(judgement.score);
        let done = sqlx::query(
            "UPDATE submissions SET status = 'done', judgement = $2, verdict = $3, \
             score = CASE WHEN $4 = 1 THEN $5 END WHERE id = $1 AND status <> 'done'",
        )
        .bind(id.0)
        .bind(to_json(judgement)?)
        .bind(judgement.verdict.code())
        .bind(has_score)
        .bind(score)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() > 0 {
            return Ok(true);
        }
        if self.submission_exists(id).await? {
            Ok(false)
        } else {
            Err(StoreError::NotFound(format!("submission {id}")))
        }
    }

    async fn requeue_submission(&self, id: SubmissionId) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE submissions SET status = 'queued', judgement = NULL, verdict = NULL, \
                 score = NULL WHERE id = $1",
        )
        .bind(id.0)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("submission {id}")));
        }
        Ok(())
    }

    async fn submission(&self, id: SubmissionId) -> Result<Option<Submission>, StoreError> {
        sqlx::query(
            "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
             status, judgement FROM submissions WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(submission_from_row)
        .transpose()
    }

    async fn user_submissions_page(
        &self,
        user: UserId,
        contest: Option<ContestId>,
        before: Option<SubmissionId>,
        limit: u32,
    ) -> Result<Vec<Submission>, StoreError> {
        // No `before` is the largest id: one query serves the first page and the next.
        let before = before.map_or(i64::MAX, |b| b.0);
        let query = match contest {
            None => sqlx::query(
                "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
                 status, judgement FROM submissions WHERE user_id = $1 AND id < $2 \
                 ORDER BY id DESC LIMIT $3",
            )
            .bind(user.0)
            .bind(before),
            Some(contest) => sqlx::query(
                "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
                 status, judgement FROM submissions WHERE user_id = $1 AND contest_id = $2 \
                 AND id < $3 ORDER BY id DESC LIMIT $4",
            )
            .bind(user.0)
            .bind(contest.0)
            .bind(before),
        };
        let page = query
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows(page, submission_from_row)
    }

    async fn user_problem_tallies(&self, user: UserId) -> Result<Vec<ProblemTally>, StoreError> {
        // `verdict` and `score` are set only once a submission is done.
        let all = sqlx::query(
            "SELECT problem_id, contest_id, COUNT(*) AS attempts, \
             COUNT(CASE WHEN verdict = 'AC' THEN 1 END) AS accepted, MAX(score) AS best_score \
             FROM submissions WHERE user_id = $1 GROUP BY problem_id, contest_id \
             ORDER BY problem_id, COALESCE(contest_id, 0)",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, |row| {
            Ok(ProblemTally {
                problem_id: ProblemId(get(row, "problem_id")?),
                contest_id: get::<Option<i64>>(row, "contest_id")?.map(ContestId),
                attempts: u32::try_from(get::<i64>(row, "attempts")?).unwrap_or(u32::MAX),
                solved: get::<i64>(row, "accepted")? > 0,
                best_score: get(row, "best_score")?,
            })
        })
    }

    async fn user_submission_marks(
        &self,
        user: UserId,
        since: Millis,
    ) -> Result<Vec<SubmissionMark>, StoreError> {
        let all = sqlx::query(
            "SELECT id, problem_id, contest_id, submitted_at, verdict FROM submissions \
             WHERE user_id = $1 AND submitted_at >= $2 ORDER BY id DESC",
        )
        .bind(user.0)
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, |row| {
            let verdict = get::<Option<String>>(row, "verdict")?
                .map(|v| v.parse::<Verdict>().map_err(|_| bad_value("verdict", &v)))
                .transpose()?;
            Ok(SubmissionMark {
                id: SubmissionId(get(row, "id")?),
                problem_id: ProblemId(get(row, "problem_id")?),
                contest_id: get::<Option<i64>>(row, "contest_id")?.map(ContestId),
                submitted_at: get(row, "submitted_at")?,
                verdict,
            })
        })
    }

    async fn contest_submissions(&self, contest: ContestId) -> Result<Vec<Submission>, StoreError> {
        let all = sqlx::query(
            "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
             status, judgement FROM submissions WHERE contest_id = $1 ORDER BY id",
        )
        .bind(contest.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, submission_from_row)
    }

    async fn unfinished_submissions(&self) -> Result<Vec<Submission>, StoreError> {
        let all = sqlx::query(
            "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
             status, judgement FROM submissions WHERE status IN ('queued', 'judging') \
             ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, submission_from_row)
    }
}
