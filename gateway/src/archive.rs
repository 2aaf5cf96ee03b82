//! The practice archive (`GET /api/archive`): problems open for practice with their tags,
//! difficulty and solve statistics, searched, filtered, sorted and paged on the server.
//!
//! The list (problems, and the statistics) is kept in memory, read again in the background
//! once older than [`FRESH_FOR`] and dropped when a problem is imported or changed, so a
//! search over 10,000 problems reads no table; only "unsolved" reads the caller's
//! submissions.
//!
//! **Difficulty** (`docs/practice.md`): once [`MIN_ATTEMPTS`] users have had a submission
//! judged, `1 + 9 × (1 − (solved + 1) / (attempted + 2))`, one decimal: the share of users
//! who solve it, smoothed (Laplace: one solver and one non-solver assumed), mapped onto
//! 1.0 (everyone solves it) to 10.0 (nobody does). Before that, the author's 1-10.

use codehub_engine::model::Problem;
use codehub_engine::ports::store::{ProblemStats, Store, StoreError};
use codehub_protocol::views::{ArchiveEntry, ArchivePage, TagCount};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the archive's list is served from memory before it is read again.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// Users with a judged submission needed before the difficulty is computed.
pub const MIN_ATTEMPTS: i64 = 5;

/// The difficulty computed from who solves a problem (see the module's docs).
pub fn computed_difficulty(attempted: i64, solved: i64) -> Option<f64> {
    if attempted < MIN_ATTEMPTS {
        return None;
    }
    let share = (solved as f64 + 1.0) / (attempted as f64 + 2.0);
    Some(((1.0 + 9.0 * (1.0 - share)) * 10.0).round() / 10.0)
}

/// A problem as the archive lists it, with what searches compare.
#[derive(Debug, Clone)]
pub struct Indexed {
    /// What the API shows (`solved_by_me` is set per caller).
    pub entry: ArchiveEntry,
    /// Open for practice, or in a contest that has ended (others are listed to the jury
    /// only).
    pub practice: bool,
    /// When imported, for "newest".
    pub created_at: i64,
    /// Lower-case name and slug, for the text search.
    haystack: String,
    /// Lower-case name, for sorting by name.
    name_key: String,
}

impl Indexed {
    /// The archive's view of `p` with its statistics.
    pub fn new(p: &Problem, stats: Option<&ProblemStats>) -> Indexed {
        let (attempted, solved, judged, accepted) = stats.map_or((0, 0, 0, 0), |s| {
            (s.attempted, s.solved, s.judged, s.accepted)
        });
        let difficulty = computed_difficulty(attempted, solved).or(p.difficulty.map(|d| d as f64));
        Indexed {
            entry: ArchiveEntry {
                id: p.id.0,
                slug: p.slug.clone(),
                name: p.name.clone(),
                tags: p.tags.clone(),
                difficulty,
                author_difficulty: p.difficulty,
                source: p.source.clone(),
                attempted,
                solved,
                acceptance: (judged > 0).then(|| accepted as f64 / judged as f64),
                solved_by_me: false,
            },
            practice: p.practice,
            created_at: p.created_at,
            haystack: format!("{}\n{}", p.name.to_lowercase(), p.slug.to_lowercase()),
            name_key: p.name.to_lowercase(),
        }
    }
}

/// The archive's list, read from the store at most every [`FRESH_FOR`]. A list older than
/// that is still served while a fresh one is read in the background, so only the first
/// search after a start or a change waits for the store.
#[derive(Default)]
pub struct Archive {
    inner: Arc<Cached>,
}

#[derive(Default)]
struct Cached {
    list: Mutex<Option<(Instant, Arc<Vec<Indexed>>)>>,
    /// Bumped by every change: a read begun before it is not kept.
    generation: AtomicU64,
    /// A background read is under way.
    refreshing: AtomicBool,
}

impl Cached {
    fn keep(&self, generation: u64, list: Arc<Vec<Indexed>>) {
        let mut cached = self.list.lock().expect("archive lock");
        if self.generation.load(Ordering::Acquire) == generation {
            *cached = Some((Instant::now(), list));
        }
    }
}

impl Archive {
    /// Forgets the list (a problem was imported or changed).
    pub fn invalidate(&self) {
        let mut cached = self.inner.list.lock().expect("archive lock");
        self.inner.generation.fetch_add(1, Ordering::AcqRel);
        *cached = None;
    }

    /// Every problem with its statistics.
    ///
    /// # Errors
    /// The store's.
    pub async fn entries(&self, store: &Arc<dyn Store>) -> Result<Arc<Vec<Indexed>>, StoreError> {
        let cached = self.inner.list.lock().expect("archive lock").clone();
        match cached {
            Some((at, list)) if at.elapsed() < FRESH_FOR => Ok(list),
            Some((_, stale)) => {
                if !self.inner.refreshing.swap(true, Ordering::AcqRel) {
                    let (inner, store) = (self.inner.clone(), store.clone());
                    tokio::spawn(async move {
                        let generation = inner.generation.load(Ordering::Acquire);
                        match read(&*store).await {
                            Ok(list) => inner.keep(generation, Arc::new(list)),
                            Err(e) => tracing::warn!(error = %e, "refreshing the archive"),
                        }
                        inner.refreshing.store(false, Ordering::Release);
                    });
                }
                Ok(stale)
            }
            None => {
                let generation = self.inner.generation.load(Ordering::Acquire);
                let list = Arc::new(read(&**store).await?);
                self.inner.keep(generation, list.clone());
                Ok(list)
            }
        }
    }
}

/// Every problem with its statistics, from the store.
async fn read(store: &dyn Store) -> Result<Vec<Indexed>, StoreError> {
    let stats: HashMap<_, _> = store
        .problem_stats()
        .await?
        .into_iter()
        .map(|s| (s.problem_id, s))
        .collect();
    // A contest that has ended opens its problems for practice (upsolving).
    let now = codehub_engine::model::now_ms();
    let upsolvable: HashSet<_> = store
        .contests()
        .await?
        .iter()
        .filter(|c| now >= c.end_at)
        .flat_map(|c| c.problems.iter().map(|p| p.problem_id))
        .collect();
    Ok(store
        .problems()
        .await?
        .iter()
        .map(|p| {
            let mut indexed = Indexed::new(p, stats.get(&p.id));
            indexed.practice |= upsolvable.contains(&p.id);
            indexed
        })
        .collect())
}

/// How the archive is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By name (the default).
    Name,
    /// Easiest first (no difficulty last).
    Difficulty,
    /// Most solved first.
    Solved,
    /// Highest acceptance first.
    Acceptance,
    /// Newest first.
    Newest,
}

impl Sort {
    /// The sort named `name`, if it is one.
    pub fn parse(name: &str) -> Option<Sort> {
        Some(match name {
            "name" => Sort::Name,
            "difficulty" => Sort::Difficulty,
            "solved" => Sort::Solved,
            "acceptance" => Sort::Acceptance,
            "newest" => Sort::Newest,
            _ => return None,
        })
    }
}

/// A search of the archive.
#[derive(Debug, Clone)]
pub struct Search {
    /// Words the name or short name must contain (case-insensitive).
    pub text: Option<String>,
    /// Tags a problem must all carry.
    pub tags: Vec<String>,
    /// Difficulty bounds (inclusive); a bound excludes problems without a difficulty.
    pub min_difficulty: Option<f64>,
    /// Upper bound.
    pub max_difficulty: Option<f64>,
    /// Only problems the caller has not solved.
    pub unsolved: bool,
    /// Order.
    pub sort: Sort,
    /// Reverse the order.
    pub reverse: bool,
    /// 1-based page.
    pub page: usize,
    /// Problems per page.
    pub per_page: usize,
    /// List problems not open for practice too (the jury).
    pub everything: bool,
}

/// The page of `all` that `search` asks for; `solved` holds the caller's solved problems.
pub fn search(all: &[Indexed], search: &Search, solved: &HashSet<i64>) -> ArchivePage {
    let listed: Vec<&Indexed> = all
        .iter()
        .filter(|p| p.practice || search.everything)
        .collect();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &listed {
        for t in &p.entry.tags {
            *tags.entry(t).or_default() += 1;
        }
    }
    let mut tags: Vec<TagCount> = tags
        .into_iter()
        .map(|(tag, problems)| TagCount {
            tag: tag.to_owned(),
            problems,
        })
        .collect();
    tags.sort_by(|a, b| b.problems.cmp(&a.problems).then_with(|| a.tag.cmp(&b.tag)));
    let words: Vec<String> = search
        .text
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut found: Vec<&Indexed> = listed
        .into_iter()
        .filter(|p| words.iter().all(|w| p.haystack.contains(w.as_str())))
        .filter(|p| search.tags.iter().all(|t| p.entry.tags.contains(t)))
        .filter(|p| {
            let d = p.entry.difficulty;
            search
                .min_difficulty
                .is_none_or(|min| d.is_some_and(|d| d >= min))
                && search
                    .max_difficulty
                    .is_none_or(|max| d.is_some_and(|d| d <= max))
        })
        .filter(|p| !search.unsolved || !solved.contains(&p.entry.id))
        .collect();
    let by_name = |a: &&Indexed, b: &&Indexed| {
        a.name_key
            .cmp(&b.name_key)
            .then(a.entry.id.cmp(&b.entry.id))
    };
    let missing_last = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    };
    match search.sort {
        Sort::Name => found.sort_by(by_name),
        Sort::Difficulty => found.sort_by(|a, b| {
            missing_last(a.entry.difficulty, b.entry.difficulty).then_with(|| by_name(a, b))
        }),
        Sort::Solved => found.sort_by(|a, b| {
            b.entry
                .solved
                .cmp(&a.entry.solved)
                .then_with(|| by_name(a, b))
        }),
        Sort::Acceptance => found.sort_by(|a, b| {
            missing_last(
                a.entry.acceptance.map(|x| -x),
                b.entry.acceptance.map(|x| -x),
            )
            .then_with(|| by_name(a, b))
        }),
        Sort::Newest => found.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then(b.entry.id.cmp(&a.entry.id))
        }),
    }
    if search.reverse {
        found.reverse();
    }
    let total = found.len();
    let problems = found
        .into_iter()
        .skip((search.page - 1).saturating_mul(search.per_page))
        .take(search.per_page)
        .map(|p| ArchiveEntry {
            solved_by_me: solved.contains(&p.entry.id),
            ..p.entry.clone()
        })
        .collect();
    ArchivePage {
        total,
        page: search.page,
        per_page: search.per_page,
        problems,
        tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(id: i64, name: &str, tags: &[&str], difficulty: Option<i64>) -> Problem {
        Problem {
            id: codehub_engine::model::ProblemId(id),
            slug: name.to_lowercase().replace(' ', "-"),
            name: name.to_owned(),
            package_hash: String::new(),
            time_limit_ms: 1000,
            memory_limit_kib: 1024,
            code_limit_bytes: 1024,
            statement: String::new(),
            samples: vec![],
            answer_files: vec![],
            practice: true,
            created_at: id,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            difficulty,
            source: None,
            statement_language: None,
            translations: Default::default(),
        }
    }

    fn stats(id: i64, attempted: i64, solved: i64, judged: i64, accepted: i64) -> ProblemStats {
        ProblemStats {
            problem_id: codehub_engine::model::ProblemId(id),
            attempted,
            solved,
            judged,
            accepted,
        }
    }

    fn all_of(page: &ArchivePage) -> Vec<i64> {
        page.problems.iter().map(|p| p.id).collect()
    }

    fn query() -> Search {
        Search {
            text: None,
            tags: vec![],
            min_difficulty: None,
            max_difficulty: None,
            unsolved: false,
            sort: Sort::Name,
            reverse: false,
            page: 1,
            per_page: 50,
            everything: false,
        }
    }

    #[test]
    fn difficulty_follows_the_share_of_users_who_solve_it() {
        assert_eq!(computed_difficulty(4, 4), None, "too few users");
        // Everyone of 98 solves it: (99/100) → 1.1; nobody: (1/100) → 9.9; half: 5.5.
        assert_eq!(computed_difficulty(98, 98), Some(1.1));
        assert_eq!(computed_difficulty(98, 0), Some(9.9));
        assert_eq!(computed_difficulty(98, 49), Some(5.5));
        // Fewer solvers, harder; more evidence, further from the middle.
        assert!(computed_difficulty(10, 2) > computed_difficulty(10, 8));
        assert!(computed_difficulty(100, 0) > computed_difficulty(5, 0));
    }

    #[test]
    fn search_filters_sorts_and_pages() {
        let all = vec![
            Indexed::new(&problem(1, "Graph Walk", &["graphs"], Some(7)), None),
            Indexed::new(
                &problem(2, "Easy Sum", &["math"], Some(9)),
                // Computed (everyone solves it) wins over the author's 9.
                Some(&stats(2, 10, 10, 12, 10)),
            ),
            Indexed::new(&problem(3, "Grid Paths", &["graphs", "dp"], None), None),
            Indexed::new(
                &problem(4, "Hard Graph", &["graphs"], None),
                Some(&stats(4, 8, 1, 20, 1)),
            ),
        ];
        assert_eq!(all[1].entry.difficulty, Some(1.8));
        assert_eq!(all[1].entry.acceptance, Some(10.0 / 12.0));
        let run = |q: Search| search(&all, &q, &HashSet::from([1]));

        let page = run(query());
        assert_eq!(all_of(&page), [2, 1, 3, 4], "by name");
        assert_eq!(page.total, 4);
        assert_eq!(page.tags[0].tag, "graphs");
        assert_eq!(page.tags[0].problems, 3);
        assert!(page.problems[1].solved_by_me);

        let text = run(Search {
            text: Some("GRAPH".into()),
            ..query()
        });
        assert_eq!(all_of(&text), [1, 4]);
        let tagged = run(Search {
            tags: vec!["graphs".into(), "dp".into()],
            ..query()
        });
        assert_eq!(all_of(&tagged), [3]);
        let easy = run(Search {
            max_difficulty: Some(7.0),
            ..query()
        });
        assert_eq!(all_of(&easy), [2, 1], "no difficulty: not within bounds");
        let unsolved = run(Search {
            unsolved: true,
            ..query()
        });
        assert_eq!(all_of(&unsolved), [2, 3, 4]);
        let by_difficulty = run(Search {
            sort: Sort::Difficulty,
            ..query()
        });
        assert_eq!(all_of(&by_difficulty), [2, 1, 4, 3], "none last");
        let by_acceptance = run(Search {
            sort: Sort::Acceptance,
            ..query()
        });
        assert_eq!(all_of(&by_acceptance)[..2], [2, 4]);
        let newest = run(Search {
            sort: Sort::Newest,
            ..query()
        });
        assert_eq!(all_of(&newest), [4, 3, 2, 1]);
        let second = run(Search {
            per_page: 3,
            page: 2,
            ..query()
        });
        assert_eq!((all_of(&second), second.total), (vec![4], 4));
    }
}
