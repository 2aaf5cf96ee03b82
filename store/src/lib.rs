//! CodeHub's durable state: [`SqlStore`] implements the engine's
//! [`Store`] port on SQLite or PostgreSQL.
//!
//! One code path serves both databases: queries go through [`sqlx::Any`] with `$n`
//! placeholders (which sqlx's SQLite driver accepts too), and the schema uses only
//! integers and text, so the two dialects decode alike. JSON (files, judgements, samples,
//! a contest's problems, event payloads) is stored as `TEXT`, times as `i64` milliseconds,
//! booleans as `0`/`1`.
//!
//! Migrations live in `migrations/{sqlite,postgres}/` at the workspace root, are embedded
//! at compile time and run by [`SqlStore::connect`].

mod rows;

use async_trait::async_trait;
use codehub_engine::model::{
    Contest, ContestId, Judgement, Millis, Problem, ProblemId, Role, Submission, SubmissionId,
    SubmissionStatus, User, UserId, now_ms,
};
use codehub_engine::ports::store::{
    ContestData, NewProblem, NewSubmission, NewUser, RefreshToken, Store, StoreError,
};
use rows::{
    contest_from_row, db, from_json, get, kind_str, problem_from_row, rows, submission_from_row,
    to_json, user_from_row, write_error,
};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long an SQLite connection waits for another's write lock before failing (10 s).
const SQLITE_BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// PostgreSQL advisory lock key serialising [`Store::append_event`] ("CHEV").
const EVENTS_APPEND_LOCK: i64 = 0x4348_4556;

/// Which database a [`SqlStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (a file, or in memory).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The [`Store`] on SQLite or PostgreSQL: a connection pool over [`sqlx::Any`].
///
/// Clones are cheap and share the pool. Every method borrows a pooled connection for one
/// statement (one short transaction for [`Store::append_event`]).
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
    async fn submission_exists(&self, id: SubmissionId) -> Result<bool, StoreError> {
        let found = sqlx::query("SELECT 1 FROM submissions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(found.is_some())
    }
}

// Column lists are spelled out in each query so a schema change shows up in review.
#[async_trait]
impl Store for SqlStore {
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
        let created_at = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(created_at)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| write_error(e, || format!("username `{}`", user.username), "user"))?;
        Ok(User {
            id: UserId(id),
            username: user.username,
            password_hash: user.password_hash,
            role: user.role,
            created_at,
        })
    }

    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        sqlx::query("SELECT id, username, password_hash, role, created_at FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError> {
        sqlx::query(
            "SELECT id, username, password_hash, role, created_at FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn set_role(&self, id: UserId, role: Role) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(())
    }

    async fn put_refresh_token(
        &self,
        token_hash: &str,
        token: RefreshToken,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(token.user_id.0)
        .bind(token.expires_at)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            write_error(
                e,
                || "refresh token".to_owned(),
                &format!("user {}", token.user_id),
            )
        })?;
        Ok(())
    }

    async fn take_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshToken>, StoreError> {
        let row = sqlx::query(
            "DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING user_id, expires_at",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|row| {
            Ok(RefreshToken {
                user_id: UserId(get(&row, "user_id")?),
                expires_at: get(&row, "expires_at")?,
            })
        })
        .transpose()
    }

    async fn create_problem(&self, problem: NewProblem) -> Result<Problem, StoreError> {
        let created_at = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO problems (slug, name, package_hash, time_limit_ms, memory_limit_kib, \
             code_limit_bytes, statement, samples, practice, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&problem.slug)
        .bind(&problem.name)
        .bind(&problem.package_hash)
        .bind(problem.time_limit_ms)
        .bind(problem.memory_limit_kib)
        .bind(problem.code_limit_bytes)
        .bind(&problem.statement)
        .bind(to_json(&problem.samples)?)
        .bind(i64::from(problem.practice))
        .bind(created_at)
        .fetch_one(&self.pool)
        .await
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
             code_limit_bytes, statement, samples, practice, created_at \
             FROM problems WHERE id = $1",
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
             code_limit_bytes, statement, samples, practice, created_at \
             FROM problems ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, problem_from_row)
    }

    async fn create_contest(&self, contest: ContestData) -> Result<Contest, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contests (slug, name, kind, start_at, end_at, freeze_at, unfreeze_at, \
             unfrozen, penalty_minutes, problems) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
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
        .fetch_one(&self.pool)
        .await
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
             problems = $11 WHERE id = $1",
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
             penalty_minutes, problems FROM contests WHERE id = $1",
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
             penalty_minutes, problems FROM contests ORDER BY start_at, id",
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
        .fetch_one(&self.pool)
        .await
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
        let done = sqlx::query(
            "UPDATE submissions SET status = 'done', judgement = $2 \
             WHERE id = $1 AND status <> 'done'",
        )
        .bind(id.0)
        .bind(to_json(judgement)?)
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

    async fn finish_submission_fenced(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
        contest: ContestId,
        fence: u64,
    ) -> Result<bool, StoreError> {
        // One statement: the token is compared where the row is written.
        let done = sqlx::query(
            "UPDATE submissions SET status = 'done', judgement = $2 \
             WHERE id = $1 AND status <> 'done' AND contest_id = $3 \
             AND (SELECT fence FROM contest_fences WHERE contest_id = $3) = $4",
        )
        .bind(id.0)
        .bind(to_json(judgement)?)
        .bind(contest.0)
        .bind(fence as i64)
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
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(fence as u64)
    }

    async fn requeue_submission(&self, id: SubmissionId) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE submissions SET status = 'queued', judgement = NULL WHERE id = $1")
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

    /// `contest: None` lists all of the user's submissions, practice and contests alike.
    async fn user_submissions(
        &self,
        user: UserId,
        contest: Option<ContestId>,
    ) -> Result<Vec<Submission>, StoreError> {
        let query = match contest {
            None => sqlx::query(
                "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
                 status, judgement FROM submissions WHERE user_id = $1 ORDER BY id DESC",
            )
            .bind(user.0),
            Some(contest) => sqlx::query(
                "SELECT id, user_id, contest_id, problem_id, language, files, submitted_at, \
                 status, judgement FROM submissions WHERE user_id = $1 AND contest_id = $2 \
                 ORDER BY id DESC",
            )
            .bind(user.0)
            .bind(contest.0),
        };
        rows(
            query.fetch_all(&self.pool).await.map_err(db)?,
            submission_from_row,
        )
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

    /// `contest: None` appends to the global log (events not tied to a contest). The
    /// event's time is the store's clock.
    ///
    /// Ids become visible in increasing order, so a reader polling with
    /// [`Store::events`]`(after_id)` never skips one: SQLite has a single writer anyway;
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
        .fetch_one(&mut *tx)
        .await
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

    /// `contest: None` reads the global log only (not every contest's events).
    async fn events(
        &self,
        contest: Option<ContestId>,
        after_id: i64,
    ) -> Result<Vec<(i64, String, serde_json::Value, Millis)>, StoreError> {
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
            .map(|row| {
                let payload: String = get(row, "payload")?;
                Ok((
                    get(row, "id")?,
                    get(row, "kind")?,
                    from_json(&payload, "payload")?,
                    get(row, "at")?,
                ))
            })
            .collect()
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
