//! Row mapping and error translation shared by every query: rows to domain types, JSON
//! columns, flags, and sqlx errors to [`StoreError`].

use codehub_engine::model::{
    Contest, ContestId, ContestKind, ContestProblem, Judgement, Problem, ProblemId, Role,
    Submission, SubmissionId, SubmissionStatus, SubmittedFile, User, UserId,
};
use codehub_engine::ports::store::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Any failure as [`StoreError::Database`].
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    if disk_full(&e) {
        StoreError::Full(e.to_string())
    } else if unavailable(&e) {
        StoreError::Unavailable(e.to_string())
    } else {
        StoreError::Database(e.to_string())
    }
}

/// The first row of a write's `RETURNING` rows, read with `fetch_all`: SQLite commits
/// an autocommit write when its statement runs to the end, and `fetch_one` stops at the
/// first row, so a commit that fails there (a full disk, a lock) went unseen and the id
/// returned named a row that was never stored (sqlx issue #2099).
pub(crate) fn first<T>(rows: Vec<T>) -> Result<T, sqlx::Error> {
    rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

/// Whether `e` says the database's disk is full: SQLite's `SQLITE_FULL` (13),
/// PostgreSQL's `disk_full` (53100), or an I/O error `ENOSPC`.
fn disk_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c == "13" || c == "53100"),
        _ => false,
    }
}

/// Whether `e` says the database cannot be reached (rather than that the request is
/// wrong): no connection, a closed or exhausted pool, or PostgreSQL shutting down,
/// starting up or dropping the connection (SQLSTATE classes 08 and 57P).
fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// A unique violation as [`StoreError::Conflict`]`(what)`, a foreign-key violation as
/// [`StoreError::NotFound`]`(missing)`, anything else as [`StoreError::Database`].
pub(crate) fn write_error(
    e: sqlx::Error,
    what: impl FnOnce() -> String,
    missing: &str,
) -> StoreError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => StoreError::Conflict(what()),
        Some(d) if d.is_foreign_key_violation() => StoreError::NotFound(missing.to_owned()),
        _ => db(e),
    }
}

pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(format!("encoding JSON: {e}")))
}

pub(crate) fn from_json<T: DeserializeOwned>(text: &str, column: &str) -> Result<T, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Database(format!("column `{column}` holds bad JSON: {e}")))
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column).map_err(db)
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    Ok(get::<i64>(row, column)? != 0)
}

pub(crate) fn bad_value(column: &str, value: &str) -> StoreError {
    StoreError::Database(format!("column `{column}` holds unknown value `{value}`"))
}

pub(crate) fn kind_str(kind: ContestKind) -> &'static str {
    kind.as_str()
}

pub(crate) fn parse_kind(s: &str) -> Option<ContestKind> {
    ContestKind::parse(s)
}

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    let role: String = get(row, "role")?;
    Ok(User {
        id: UserId(get(row, "id")?),
        username: get(row, "username")?,
        password_hash: get(row, "password_hash")?,
        role: Role::parse(&role).ok_or_else(|| bad_value("role", &role))?,
        created_at: get(row, "created_at")?,
        disabled: flag(row, "disabled")?,
        deleted: get::<Option<i64>>(row, "deleted_at")?.is_some(),
    })
}

pub(crate) fn problem_from_row(row: &AnyRow) -> Result<Problem, StoreError> {
    let samples: String = get(row, "samples")?;
    let answer_files: String = get(row, "answer_files")?;
    Ok(Problem {
        id: ProblemId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: get(row, "name")?,
        package_hash: get(row, "package_hash")?,
        time_limit_ms: get(row, "time_limit_ms")?,
        memory_limit_kib: get(row, "memory_limit_kib")?,
        code_limit_bytes: get(row, "code_limit_bytes")?,
        statement: get(row, "statement")?,
        samples: from_json(&samples, "samples")?,
        answer_files: from_json(&answer_files, "answer_files")?,
        practice: flag(row, "practice")?,
        created_at: get(row, "created_at")?,
        tags: from_json(&get::<String>(row, "tags")?, "tags")?,
        difficulty: get(row, "difficulty")?,
        source: get(row, "source")?,
        statement_language: get(row, "statement_language")?,
        translations: from_json(&get::<String>(row, "translations")?, "translations")?,
    })
}

pub(crate) fn contest_from_row(row: &AnyRow) -> Result<Contest, StoreError> {
    let kind: String = get(row, "kind")?;
    let problems: String = get(row, "problems")?;
    Ok(Contest {
        id: ContestId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: get(row, "name")?,
        kind: parse_kind(&kind).ok_or_else(|| bad_value("kind", &kind))?,
        start_at: get(row, "start_at")?,
        end_at: get(row, "end_at")?,
        freeze_at: get(row, "freeze_at")?,
        unfreeze_at: get(row, "unfreeze_at")?,
        unfrozen: flag(row, "unfrozen")?,
        penalty_minutes: get(row, "penalty_minutes")?,
        problems: from_json::<Vec<ContestProblem>>(&problems, "problems")?,
        verdict_policy: get::<Option<String>>(row, "verdict_policy")?
            .map(|p| from_json(&p, "verdict_policy"))
            .transpose()?,
        allow_runs: flag(row, "allow_runs")?,
        rated: flag(row, "rated")?,
    })
}

pub(crate) fn submission_from_row(row: &AnyRow) -> Result<Submission, StoreError> {
    let status: String = get(row, "status")?;
    let files: String = get(row, "files")?;
    let judgement: Option<String> = get(row, "judgement")?;
    Ok(Submission {
        id: SubmissionId(get(row, "id")?),
        user_id: UserId(get(row, "user_id")?),
        contest_id: get::<Option<i64>>(row, "contest_id")?.map(ContestId),
        problem_id: ProblemId(get(row, "problem_id")?),
        language: get(row, "language")?,
        files: from_json::<Vec<SubmittedFile>>(&files, "files")?,
        submitted_at: get(row, "submitted_at")?,
        status: SubmissionStatus::parse(&status).ok_or_else(|| bad_value("status", &status))?,
        judgement: judgement
            .map(|j| from_json::<Judgement>(&j, "judgement"))
            .transpose()?,
    })
}

pub(crate) fn rows<T>(
    rows: Vec<AnyRow>,
    f: fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(f).collect()
}

/// A judgement's optional score as two values that are always bound, for
/// `score = CASE WHEN $has = 1 THEN $value END`: whether there is one (`1`/`0`) and its
/// value (`0` when there is none). An optional `f64` is never bound as NULL: sqlx 0.9's
/// `Any` driver sends a NULL `f64` to PostgreSQL as a `float4` (its `Null(Double)` and
/// `Null(Real)` arms are swapped), the prepared statement keeps that parameter type, and
/// the next score bound to it is refused ("incorrect binary data format").
pub(crate) fn score_binds(score: Option<f64>) -> (i64, f64) {
    (i64::from(score.is_some()), score.unwrap_or(0.0))
}
