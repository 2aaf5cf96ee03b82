//! `/api/problems`: the archive (statements, limits, samples) and package import (admin).

use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::model::{Problem, ProblemId, Role, Translation, now_ms};
use codehub_engine::ports::judging::JudgeFailure;
use codehub_judge::package::Problem as Package;
use codehub_judge::polygon;
use codehub_judge::sandbox::native::NativeSandbox;
use codehub_protocol::requests::ProblemPatch;
use codehub_protocol::views::ProblemView;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// A package read at import: the package, its statement, samples, editorial with hints,
/// and the statement's language with the other languages.
type Loaded = (
    Package,
    String,
    Vec<(String, String)>,
    (String, Vec<String>),
    (Option<String>, BTreeMap<String, Translation>),
);

/// Largest package zip accepted.
pub const MAX_PACKAGE_BYTES: usize = 256 << 20;
/// Largest sample shown with a statement.
const MAX_SAMPLE_BYTES: u64 = 64 << 10;

/// `?slug=…&practice=true`.
#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    /// Short name (default: from the package name).
    #[serde(default)]
    slug: Option<String>,
    /// Open for practice (default false).
    #[serde(default)]
    practice: Option<bool>,
}

/// Problems a caller may see: all for the jury; otherwise practice problems and those of
/// contests that have started.
pub(super) async fn visible(
    state: &AppState,
    caller: &MaybeCaller,
) -> Result<HashSet<ProblemId>, ApiError> {
    let all = state.store.problems().await?;
    if caller.0.as_ref().is_some_and(|c| c.role.is_jury()) {
        return Ok(all.iter().map(|p| p.id).collect());
    }
    let now = now_ms();
    let mut ids: HashSet<ProblemId> = all.iter().filter(|p| p.practice).map(|p| p.id).collect();
    for c in state.store.contests().await? {
        if now >= c.start_at {
            ids.extend(c.problems.iter().map(|p| p.problem_id));
        }
    }
    Ok(ids)
}

/// The problems the caller may see.
#[utoipa::path(get, path = "/api/problems", responses((status = 200, body = Vec<ProblemView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: MaybeCaller,
) -> ApiResult<ApiJson<Vec<ProblemView>>> {
    let ids = visible(&state, &caller).await?;
    let problems = state.store.problems().await?;
    Ok(ApiJson(
        problems
            .iter()
            .filter(|p| ids.contains(&p.id))
            .map(|p| present::problem(p, false))
            .collect(),
    ))
}

/// `?lang=`: the statement's language.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// A language code of the problem's `languages` (others give the main statement).
    #[serde(default)]
    lang: Option<String>,
}

/// A problem with its statement and samples (in `?lang=` where it has that language).
#[utoipa::path(get, path = "/api/problems/{id}", params(("id" = i64, Path), LangQuery), responses((status = 200, body = ProblemView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: MaybeCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<ApiJson<ProblemView>> {
    let missing = || ApiError::not_found(format!("unknown problem {id}"));
    if !visible(&state, &caller).await?.contains(&ProblemId(id)) {
        return Err(missing());
    }
    let p = state
        .store
        .problem(ProblemId(id))
        .await?
        .ok_or_else(missing)?;
    Ok(ApiJson(present::problem_in(&p, q.lang.as_deref())))
}

fn read_capped(path: &std::path::Path) -> String {
    use std::io::Read;
    let mut out = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(MAX_SAMPLE_BYTES).read_to_end(&mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The language of the main statement (`None`: not said), and the package's other
/// languages: Markdown statements `problem.<lang>.md` and names of a `name` map.
fn translations_of(package: &Package) -> (Option<String>, BTreeMap<String, Translation>) {
    let main = package.statement_file();
    let statements = package.markdown_statements();
    let main_lang = statements
        .iter()
        .find(|(_, path)| Some(*path) == main.as_ref())
        .map(|(lang, _)| lang.clone())
        .or_else(|| {
            package
                .names
                .iter()
                .find(|(_, n)| **n == package.name)
                .map(|(l, _)| l.clone())
        });
    let mut out = BTreeMap::new();
    for (lang, path) in &statements {
        if Some(lang) == main_lang.as_ref() {
            continue;
        }
        out.insert(
            lang.clone(),
            Translation {
                name: package.names.get(lang).cloned(),
                statement: std::fs::read_to_string(path).unwrap_or_default(),
            },
        );
    }
    for (lang, name) in &package.names {
        if Some(lang) != main_lang.as_ref() && !out.contains_key(lang) {
            out.insert(
                lang.clone(),
                Translation {
                    name: Some(name.clone()),
                    statement: String::new(),
                },
            );
        }
    }
    (main_lang, out)
}

/// The Markdown statement (`statement/` in 2023-07, `problem_statement/` in legacy).
fn statement_of(package: &Package) -> String {
    package
        .statement_file()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default()
}

/// Imports a problem package (a Kattis/ICPC zip, or a Polygon zip imported into one, as
/// the request body; admin).
#[utoipa::path(post, path = "/api/problems", params(("slug" = Option<String>, Query), ("practice" = Option<bool>, Query)),
    request_body(content = Vec<u8>, content_type = "application/zip"), security(("bearer" = [])),
    responses((status = 201, body = ProblemView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, ApiJson<ProblemView>)> {
    caller.require(Role::Admin)?;
    let (bytes, import_notes) = polygon_to_kattis(&state, body.to_vec()).await?;
    let problem =
        import_package(&state, bytes, q.slug.clone(), q.practice.unwrap_or(false)).await?;
    state.archive.invalidate();
    let mut view = present::problem(&problem, true);
    view.import_notes = import_notes;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// Tags a problem may carry.
const MAX_TAGS: usize = 20;

/// Changes a problem's archive details: tags, the author's difficulty, source, practice
/// (jury).
#[utoipa::path(patch, path = "/api/problems/{id}", params(("id" = i64, Path)), request_body = ProblemPatch, security(("bearer" = [])),
    responses((status = 200, body = ProblemView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<ProblemPatch>,
) -> ApiResult<ApiJson<ProblemView>> {
    if !caller.role.is_jury() {
        return Err(ApiError::forbidden("only the jury changes problems"));
    }
    let mut p = state
        .store
        .problem(ProblemId(id))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("unknown problem {id}")))?;
    if let Some(tags) = patch.tags {
        p.tags = clean_tags(&tags)?;
    }
    if let Some(difficulty) = patch.difficulty {
        if difficulty.is_some_and(|d| !(1..=10).contains(&d)) {
            return Err(ApiError::unprocessable("difficulty must be 1 to 10"));
        }
        p.difficulty = difficulty;
    }
    if let Some(source) = patch.source {
        let source = source
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if source.as_ref().is_some_and(|s| s.chars().count() > 200) {
            return Err(ApiError::unprocessable(
                "source must be at most 200 characters",
            ));
        }
        p.source = source;
    }
    if let Some(practice) = patch.practice {
        p.practice = practice;
    }
    state.store.update_problem_details(&p).await?;
    state.archive.invalidate();
    Ok(ApiJson(present::problem(&p, true)))
}

/// Tags as stored: trimmed, lower case, without repeats; each 1-40 characters of letters,
/// digits, spaces, `-`, `+`, `#`, `.` (no comma: a search names several with commas).
fn clean_tags(tags: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    // Blank tags are dropped.
    for tag in tags.iter().filter(|t| !t.trim().is_empty()) {
        let tag = tag.trim().to_lowercase();
        let fine = (1..=40).contains(&tag.chars().count())
            && tag
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '+' | '#' | '.'));
        if !fine {
            return Err(ApiError::unprocessable(format!(
                "tag `{tag}`: 1-40 letters, digits, spaces, `-`, `+`, `#` or `.`"
            )));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ApiError::unprocessable(format!(
            "at most {MAX_TAGS} tags per problem"
        )));
    }
    Ok(out)
}

/// A Polygon zip imported into a Kattis one, with what could not be converted (the
/// judge's sandbox makes the tests the package does not hold); any other body as it is.
///
/// # Errors
/// 422 with the reason when the Polygon package cannot be imported.
pub async fn polygon_to_kattis(
    state: &AppState,
    bytes: Vec<u8>,
) -> Result<(Vec<u8>, Vec<String>), ApiError> {
    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
    let path = dir.path().join("package.zip");
    std::fs::write(&path, &bytes).map_err(ApiError::internal)?;
    if !polygon::is_polygon(&path) {
        return Ok((bytes, Vec::new()));
    }
    match state.judge.import_package(bytes).await {
        Ok(Some(imported)) => Ok((imported.zip, imported.notes)),
        // This node cannot run the package's programs: a full package (every test in
        // tests/) still imports; one that needs generating says so.
        Ok(None) => {
            let out = dir.path().join("kattis");
            std::fs::create_dir(&out).map_err(ApiError::internal)?;
            let conversion = polygon::import::<NativeSandbox>(&path, &out, None)
                .await
                .map_err(|e| ApiError::unprocessable(e.to_string()))?;
            let zip = polygon::zip_dir(&out).map_err(ApiError::internal)?;
            Ok((zip, conversion.notes))
        }
        Err(JudgeFailure::BadPackage(message)) => Err(ApiError::unprocessable(message)),
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// The time limit of a package that gives none: computed by the judge from the
/// package's accepted submissions (`docs/judging.md`), or the package default (1 s) when
/// the judge cannot (a remote judge, no accepted submission), with a warning in the log.
async fn computed_time_limit(state: &AppState, hash: &str, package: &Package) -> i64 {
    let default = package.limits.time_limit.as_millis() as i64;
    match state.judge.time_limit(hash).await {
        Ok(Some(ms)) => ms,
        Ok(None) => {
            tracing::warn!(
                package = hash,
                "the package gives no time limit and this judge cannot compute one: \
                 using {default} ms"
            );
            default
        }
        Err(e) => {
            tracing::warn!(
                package = hash,
                error.message = %e,
                "cannot compute the time limit of a package that gives none: using {default} ms"
            );
            default
        }
    }
}

/// Validates a package zip, stores it as a blob and records the problem.
///
/// # Errors
/// 400 for an empty body, 422 with the package error (file and problem named), 409 for a
/// taken slug.
pub async fn import_package(
    state: &AppState,
    bytes: Vec<u8>,
    slug: Option<String>,
    practice: bool,
) -> Result<Problem, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the request body must be a problem package zip",
        ));
    }
    let slug = slug.unwrap_or_default();
    if !slug.is_empty()
        && (slug.len() > 64
            || !slug
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)))
    {
        return Err(ApiError::unprocessable(
            "slug must be 1-64 letters, digits, `-` or `_`",
        ));
    }
    let file_name = if slug.is_empty() {
        "problem".to_owned()
    } else {
        slug.clone()
    };
    let zip_bytes = bytes.clone();
    let loaded = tokio::task::spawn_blocking(move || -> Result<Loaded, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let zip_path = dir.path().join(format!("{file_name}.zip"));
        std::fs::write(&zip_path, &zip_bytes).map_err(|e| e.to_string())?;
        let package = Package::load(&zip_path).map_err(|e| e.to_string())?;
        let statement = statement_of(&package);
        let editorial = editorial_of(&package);
        let samples = package
            .tests
            .iter()
            .filter(|t| t.sample)
            .map(|t| (read_capped(&t.input), read_capped(&t.answer)))
            .collect();
        let languages = translations_of(&package);
        Ok((package, statement, samples, editorial, languages))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::unprocessable)?;
    let (package, statement, samples, editorial, (statement_language, translations)) = loaded;
    // An answer submission holds up to one output per test case.
    let answer_files = package.answer_files();
    let code_limit = if answer_files.is_empty() {
        package.limits.code_bytes
    } else {
        package
            .limits
            .output_bytes
            .saturating_mul(answer_files.len() as u64)
            .min(i64::MAX as u64)
    };
    let hash = state.blobs.put(bytes).await?;
    let time_limit_ms = if package.limits.time_limit_given {
        package.limits.time_limit.as_millis() as i64
    } else {
        computed_time_limit(state, &hash, &package).await
    };
    let slug = if slug.is_empty() {
        package
            .name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    } else {
        slug
    };
    let problem = state
        .store
        .create_problem(Problem {
            id: ProblemId(0),
            slug,
            name: package.name.clone(),
            package_hash: hash,
            time_limit_ms,
            memory_limit_kib: (package.limits.memory_bytes >> 10) as i64,
            code_limit_bytes: code_limit as i64,
            statement,
            samples,
            answer_files,
            practice,
            created_at: now_ms(),
            tags: package.keywords.clone(),
            difficulty: None,
            source: package.source.clone(),
            statement_language,
            translations,
        })
        .await?;
    let (editorial, hints) = editorial;
    if !editorial.trim().is_empty() || !hints.is_empty() {
        let e = codehub_engine::ports::store::Editorial { editorial, hints };
        state.store.set_editorial(problem.id, &e).await?;
    }
    Ok(problem)
}

/// The package's editorial and hints: Markdown in `solution/` (2023-07's solution
/// description) or `editorial/`. Files named `hint*.md` are hints, in name order
/// (`hint-1.md`, `hint-2.md`, …: a CodeHub convention); of the others the English one
/// (`*.en.md`) is the editorial, else the first. Empty if there is none.
fn editorial_of(package: &Package) -> (String, Vec<String>) {
    for dir in ["solution", "editorial"] {
        let Ok(entries) = std::fs::read_dir(package.root.join(dir)) else {
            continue;
        };
        let mut files: Vec<(String, std::path::PathBuf)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .map(|p| {
                let name = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                (name, p)
            })
            .collect();
        files.sort_by_key(|(name, _)| natural_key(name));
        let (hints, others): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|(n, _)| n.starts_with("hint"));
        let hints: Vec<String> = hints
            .iter()
            .filter_map(|(_, p)| std::fs::read_to_string(p).ok())
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .take(MAX_PACKAGE_HINTS)
            .collect();
        let editorial = others
            .iter()
            .find(|(n, _)| n.ends_with(".en.md"))
            .or(others.first())
            .and_then(|(_, p)| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        if !editorial.is_empty() || !hints.is_empty() {
            return (editorial, hints);
        }
    }
    (String::new(), Vec::new())
}

/// At most this many hints are read from a package (as many as the jury may write).
const MAX_PACKAGE_HINTS: usize = 10;

/// A name with its digit runs compared as numbers (`hint-2` before `hint-10`).
fn natural_key(name: &str) -> Vec<(u8, u64, String)> {
    let mut out = Vec::new();
    let mut chars = name.chars().peekable();
    while let Some(&c) = chars.peek() {
        let digit = c.is_ascii_digit();
        let mut run = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() != digit {
                break;
            }
            run.push(c);
            chars.next();
        }
        if digit {
            out.push((0, run.parse().unwrap_or(u64::MAX), String::new()));
        } else {
            out.push((1, 0, run));
        }
    }
    out
}
