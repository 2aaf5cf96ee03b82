//! [`MemoryStore`]: the store port in memory, with the SQL adapter's semantics.

use crate::model::{
    Clarification, ClarificationId, Contest, ContestId, Judgement, Millis, Problem, ProblemId,
    Profile, Role, Submission, SubmissionId, SubmissionStatus, User, UserId, now_ms,
};
use crate::ports::store::{
    ClarificationStore, ContestData, ContestStore, EventLog, FenceStore, Identity, LoggedEvent,
    NewProblem, NewSubmission, NewUser, ProblemStats, ProblemTally, RefreshToken, StoreError,
    SubmissionMark, SubmissionStore, UserStore,
};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

/// Every store trait in memory. Ids start at 1 per table, as in SQL. A call either
/// succeeds whole or changes nothing (each takes one lock), so a refused write never
/// leaves half a row.
#[derive(Default)]
pub struct MemoryStore {
    /// The tables.
    inner: Mutex<Tables>,
    /// While set, every call fails with this error (a database outage).
    failure: Mutex<Option<StoreError>>,
}

#[derive(Default)]
struct Tables {
    users: BTreeMap<UserId, User>,
    tokens: HashMap<String, RefreshToken>,
    problems: BTreeMap<ProblemId, Problem>,
    contests: BTreeMap<ContestId, Contest>,
    /// (contest, user).
    participants: BTreeSet<(ContestId, UserId)>,
    editorials: BTreeMap<ProblemId, crate::ports::store::Editorial>,
    reveals: BTreeMap<(UserId, ProblemId), crate::ports::store::Revealed>,
    submissions: BTreeMap<SubmissionId, Submission>,
    fences: HashMap<ContestId, u64>,
    /// The log, in id order.
    events: Vec<(Option<ContestId>, LoggedEvent)>,
    clarifications: BTreeMap<ClarificationId, Clarification>,
    /// Linked external identities.
    identities: Vec<Identity>,
    /// Profiles (absent: empty).
    profiles: HashMap<UserId, Profile>,
    /// Virtual participations, by (user, contest).
    virtuals: BTreeMap<(UserId, ContestId), crate::ports::store::VirtualStart>,
    /// Contests whose ratings are final.
    rating_finals: BTreeSet<ContestId>,
    /// Rating history.
    ratings: Vec<crate::ports::store::RatingRow>,
    /// Last id handed out per table (users, problems, contests, submissions, events).
    ids: [i64; 5],
}

impl Tables {
    fn next(&mut self, table: usize) -> i64 {
        self.ids[table] += 1;
        self.ids[table]
    }

    fn submission_mut(&mut self, id: SubmissionId) -> Result<&mut Submission, StoreError> {
        self.submissions
            .get_mut(&id)
            .ok_or_else(|| StoreError::NotFound(format!("submission {id}")))
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Makes every call fail with `error` (`None`: work again).
    pub fn set_failure(&self, error: Option<StoreError>) {
        *self.failure.lock().expect("not poisoned") = error;
    }

    /// The tables, unless a failure is set.
    fn tables(&self) -> Result<std::sync::MutexGuard<'_, Tables>, StoreError> {
        if let Some(e) = self.failure.lock().expect("not poisoned").clone() {
            return Err(e);
        }
        Ok(self.inner.lock().expect("not poisoned"))
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
        let mut t = self.tables()?;
        if t.users.values().any(|u| u.username == user.username) {
            return Err(StoreError::Conflict(format!(
                "username `{}`",
                user.username
            )));
        }
        let user = User {
            id: UserId(t.next(0)),
            username: user.username,
            password_hash: user.password_hash,
            role: user.role,
            created_at: now_ms(),
            disabled: false,
            deleted: false,
        };
        t.users.insert(user.id, user.clone());
        Ok(user)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        Ok(self.tables()?.users.get(&id).cloned())
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError> {
        let t = self.tables()?;
        Ok(t.users.values().find(|u| u.username == username).cloned())
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(self.tables()?.users.len() as i64)
    }

    async fn set_role(&self, id: UserId, role: Role) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let user = t
            .users
            .get_mut(&id)
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user.role = role;
        Ok(())
    }

    async fn put_refresh_token(
        &self,
        token_hash: &str,
        token: RefreshToken,
    ) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if t.tokens.contains_key(token_hash) {
            return Err(StoreError::Conflict("refresh token".into()));
        }
        if !t.users.contains_key(&token.user_id) {
            return Err(StoreError::NotFound(format!("user {}", token.user_id)));
        }
        t.tokens.insert(token_hash.to_owned(), token);
        Ok(())
    }

    async fn take_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshToken>, StoreError> {
        Ok(self.tables()?.tokens.remove(token_hash))
    }

    async fn revoke_refresh_tokens(&self, user: UserId) -> Result<u64, StoreError> {
        let mut t = self.tables()?;
        let before = t.tokens.len();
        t.tokens.retain(|_, tok| tok.user_id != user);
        Ok((before - t.tokens.len()) as u64)
    }

    async fn set_password_hash(&self, id: UserId, password_hash: &str) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let user = t
            .users
            .get_mut(&id)
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user.password_hash = password_hash.to_owned();
        Ok(())
    }

    async fn link_identity(&self, identity: Identity) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if !t.users.contains_key(&identity.user_id) {
            return Err(StoreError::NotFound(format!("user {}", identity.user_id)));
        }
        let taken = t.identities.iter().any(|i| {
            i.provider == identity.provider
                && (i.subject == identity.subject || i.user_id == identity.user_id)
        });
        if taken {
            return Err(StoreError::Conflict(format!(
                "an identity of `{}`",
                identity.provider
            )));
        }
        t.identities.push(identity);
        Ok(())
    }

    async fn identity_user(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<UserId>, StoreError> {
        Ok(self
            .tables()?
            .identities
            .iter()
            .find(|i| i.provider == provider && i.subject == subject)
            .map(|i| i.user_id))
    }

    async fn identities_of(&self, user: UserId) -> Result<Vec<Identity>, StoreError> {
        let mut list: Vec<Identity> = self
            .tables()?
            .identities
            .iter()
            .filter(|i| i.user_id == user)
            .cloned()
            .collect();
        list.sort_by(|a, b| a.provider.cmp(&b.provider));
        Ok(list)
    }

    async fn unlink_identity(&self, user: UserId, provider: &str) -> Result<bool, StoreError> {
        let mut t = self.tables()?;
        let before = t.identities.len();
        t.identities
            .retain(|i| !(i.user_id == user && i.provider == provider));
        Ok(t.identities.len() < before)
    }

    async fn profile(&self, id: UserId) -> Result<Profile, StoreError> {
        let t = self.tables()?;
        if !t.users.contains_key(&id) {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(t.profiles.get(&id).cloned().unwrap_or_default())
    }

    async fn set_profile(&self, id: UserId, profile: &Profile) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if !t.users.contains_key(&id) {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        t.profiles.insert(id, profile.clone());
        Ok(())
    }

    async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let user = t
            .users
            .get_mut(&id)
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user.disabled = disabled;
        Ok(())
    }

    async fn list_users(
        &self,
        search: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<User>, i64), StoreError> {
        let t = self.tables()?;
        let needle = search.to_lowercase();
        let matching: Vec<User> = t
            .users
            .values()
            .filter(|u| !u.deleted && u.username.to_lowercase().contains(&needle))
            .cloned()
            .collect();
        let total = matching.len() as i64;
        let page = matching
            .into_iter()
            .skip(offset.max(0) as usize)
            .take(limit.max(0) as usize)
            .collect();
        Ok((page, total))
    }

    async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let user = t
            .users
            .get_mut(&id)
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user.username = format!("deleted-{}", id.0);
        user.password_hash.clear();
        user.disabled = true;
        user.deleted = true;
        t.profiles.remove(&id);
        t.identities.retain(|i| i.user_id != id);
        t.tokens.retain(|_, tok| tok.user_id != id);
        Ok(())
    }
}

#[async_trait]
impl ContestStore for MemoryStore {
    async fn create_problem(&self, problem: NewProblem) -> Result<Problem, StoreError> {
        let mut t = self.tables()?;
        if t.problems.values().any(|p| p.slug == problem.slug) {
            return Err(StoreError::Conflict(format!(
                "problem slug `{}`",
                problem.slug
            )));
        }
        let problem = Problem {
            id: ProblemId(t.next(1)),
            created_at: now_ms(),
            ..problem
        };
        t.problems.insert(problem.id, problem.clone());
        Ok(problem)
    }

    async fn problem(&self, id: ProblemId) -> Result<Option<Problem>, StoreError> {
        Ok(self.tables()?.problems.get(&id).cloned())
    }

    async fn problems(&self) -> Result<Vec<Problem>, StoreError> {
        Ok(self.tables()?.problems.values().cloned().collect())
    }

    async fn update_problem_details(&self, problem: &Problem) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let stored = t
            .problems
            .get_mut(&problem.id)
            .ok_or_else(|| StoreError::NotFound(format!("problem {}", problem.id)))?;
        stored.tags = problem.tags.clone();
        stored.difficulty = problem.difficulty;
        stored.source = problem.source.clone();
        stored.practice = problem.practice;
        Ok(())
    }

    async fn problem_stats(&self) -> Result<Vec<ProblemStats>, StoreError> {
        let t = self.tables()?;
        let mut by_problem: BTreeMap<ProblemId, (BTreeSet<UserId>, BTreeSet<UserId>, i64, i64)> =
            BTreeMap::new();
        for s in t.submissions.values() {
            let Some(j) = &s.judgement else { continue };
            if j.verdict == crate::Verdict::JudgeError {
                continue;
            }
            let e = by_problem.entry(s.problem_id).or_default();
            e.0.insert(s.user_id);
            e.2 += 1;
            if j.verdict == crate::Verdict::Accepted {
                e.1.insert(s.user_id);
                e.3 += 1;
            }
        }
        Ok(by_problem
            .into_iter()
            .map(
                |(problem_id, (tried, solved, judged, accepted))| ProblemStats {
                    problem_id,
                    attempted: tried.len() as i64,
                    solved: solved.len() as i64,
                    judged,
                    accepted,
                },
            )
            .collect())
    }

    async fn create_contest(&self, contest: ContestData) -> Result<Contest, StoreError> {
        let mut t = self.tables()?;
        if t.contests.values().any(|c| c.slug == contest.slug) {
            return Err(StoreError::Conflict(format!(
                "contest slug `{}`",
                contest.slug
            )));
        }
        let contest = Contest {
            id: ContestId(t.next(2)),
            ..contest
        };
        t.contests.insert(contest.id, contest.clone());
        Ok(contest)
    }

    async fn update_contest(&self, contest: &Contest) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if t.contests
            .values()
            .any(|c| c.slug == contest.slug && c.id != contest.id)
        {
            return Err(StoreError::Conflict(format!(
                "contest slug `{}`",
                contest.slug
            )));
        }
        let stored = t
            .contests
            .get_mut(&contest.id)
            .ok_or_else(|| StoreError::NotFound(format!("contest {}", contest.id)))?;
        *stored = contest.clone();
        Ok(())
    }

    async fn contest(&self, id: ContestId) -> Result<Option<Contest>, StoreError> {
        Ok(self.tables()?.contests.get(&id).cloned())
    }

    async fn contests(&self) -> Result<Vec<Contest>, StoreError> {
        let mut all: Vec<Contest> = self.tables()?.contests.values().cloned().collect();
        all.sort_by_key(|c| (c.start_at, c.id));
        Ok(all)
    }

    async fn add_participant(&self, contest: ContestId, user: UserId) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if !t.contests.contains_key(&contest) || !t.users.contains_key(&user) {
            return Err(StoreError::NotFound(format!(
                "contest {contest} or user {user}"
            )));
        }
        t.participants.insert((contest, user));
        Ok(())
    }

    async fn participants(&self, contest: ContestId) -> Result<Vec<UserId>, StoreError> {
        let t = self.tables()?;
        Ok(t.participants
            .iter()
            .filter(|(c, _)| *c == contest)
            .map(|(_, u)| *u)
            .collect())
    }

    async fn participant_names(
        &self,
        contest: ContestId,
    ) -> Result<Vec<(UserId, String)>, StoreError> {
        let t = self.tables()?;
        Ok(t.participants
            .iter()
            .filter(|(c, _)| *c == contest)
            .filter_map(|(_, u)| t.users.get(u).map(|user| (*u, user.username.clone())))
            .collect())
    }
}

#[async_trait]
impl SubmissionStore for MemoryStore {
    async fn create_submission(&self, submission: NewSubmission) -> Result<Submission, StoreError> {
        let mut t = self.tables()?;
        let contest_known = submission
            .contest_id
            .is_none_or(|c| t.contests.contains_key(&c));
        if !t.users.contains_key(&submission.user_id)
            || !t.problems.contains_key(&submission.problem_id)
            || !contest_known
        {
            let contest = submission
                .contest_id
                .map_or(String::new(), |c| format!(", contest {c}"));
            return Err(StoreError::NotFound(format!(
                "user {}, problem {}{contest}",
                submission.user_id, submission.problem_id
            )));
        }
        let stored = Submission {
            id: SubmissionId(t.next(3)),
            user_id: submission.user_id,
            contest_id: submission.contest_id,
            problem_id: submission.problem_id,
            language: submission.language,
            files: submission.files,
            submitted_at: submission.submitted_at,
            status: SubmissionStatus::Queued,
            judgement: None,
        };
        t.submissions.insert(stored.id, stored.clone());
        Ok(stored)
    }

    async fn mark_judging(&self, id: SubmissionId) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let s = t.submission_mut(id)?;
        if s.status == SubmissionStatus::Queued {
            s.status = SubmissionStatus::Judging;
        }
        Ok(())
    }

    async fn finish_submission(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
    ) -> Result<bool, StoreError> {
        let mut t = self.tables()?;
        let s = t.submission_mut(id)?;
        if s.status == SubmissionStatus::Done {
            return Ok(false);
        }
        s.status = SubmissionStatus::Done;
        s.judgement = Some(judgement.clone());
        Ok(true)
    }

    async fn requeue_submission(&self, id: SubmissionId) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let s = t.submission_mut(id)?;
        s.status = SubmissionStatus::Queued;
        s.judgement = None;
        Ok(())
    }

    async fn submission(&self, id: SubmissionId) -> Result<Option<Submission>, StoreError> {
        Ok(self.tables()?.submissions.get(&id).cloned())
    }

    async fn user_submissions_page(
        &self,
        user: UserId,
        contest: Option<ContestId>,
        before: Option<SubmissionId>,
        limit: u32,
    ) -> Result<Vec<Submission>, StoreError> {
        let t = self.tables()?;
        Ok(t.submissions
            .values()
            .rev()
            .filter(|s| {
                s.user_id == user
                    && contest.is_none_or(|c| s.contest_id == Some(c))
                    && before.is_none_or(|b| s.id < b)
            })
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn user_problem_tallies(&self, user: UserId) -> Result<Vec<ProblemTally>, StoreError> {
        let t = self.tables()?;
        let mut tallies: BTreeMap<(ProblemId, i64), ProblemTally> = BTreeMap::new();
        for s in t.submissions.values().filter(|s| s.user_id == user) {
            let key = (s.problem_id, s.contest_id.map_or(0, |c| c.0));
            let tally = tallies.entry(key).or_insert(ProblemTally {
                problem_id: s.problem_id,
                contest_id: s.contest_id,
                attempts: 0,
                solved: false,
                best_score: None,
            });
            tally.attempts += 1;
            if let (SubmissionStatus::Done, Some(j)) = (s.status, &s.judgement) {
                tally.solved |= j.verdict == crate::Verdict::Accepted;
                if let Some(score) = j.score {
                    tally.best_score = Some(tally.best_score.map_or(score, |b| b.max(score)));
                }
            }
        }
        Ok(tallies.into_values().collect())
    }

    async fn user_submission_marks(
        &self,
        user: UserId,
        since: Millis,
    ) -> Result<Vec<SubmissionMark>, StoreError> {
        let t = self.tables()?;
        Ok(t.submissions
            .values()
            .rev()
            .filter(|s| s.user_id == user && s.submitted_at >= since)
            .map(|s| SubmissionMark {
                id: s.id,
                problem_id: s.problem_id,
                contest_id: s.contest_id,
                submitted_at: s.submitted_at,
                verdict: s
                    .judgement
                    .as_ref()
                    .filter(|_| s.status == SubmissionStatus::Done)
                    .map(|j| j.verdict),
            })
            .collect())
    }

    async fn contest_submissions(&self, contest: ContestId) -> Result<Vec<Submission>, StoreError> {
        let t = self.tables()?;
        Ok(t.submissions
            .values()
            .filter(|s| s.contest_id == Some(contest))
            .cloned()
            .collect())
    }

    async fn unfinished_submissions(&self) -> Result<Vec<Submission>, StoreError> {
        let t = self.tables()?;
        Ok(t.submissions
            .values()
            .filter(|s| s.status != SubmissionStatus::Done)
            .cloned()
            .collect())
    }
}

#[async_trait]
impl FenceStore for MemoryStore {
    async fn finish_submission_fenced(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
        contest: ContestId,
        fence: u64,
    ) -> Result<bool, StoreError> {
        let mut t = self.tables()?;
        let current = t.fences.get(&contest).copied();
        if current != Some(fence) {
            return Err(StoreError::Fenced(format!(
                "contest {contest}: fencing token {fence} is not the latest ({})",
                current.map_or("none".to_owned(), |c| c.to_string())
            )));
        }
        let s = t.submission_mut(id)?;
        if s.status == SubmissionStatus::Done || s.contest_id != Some(contest) {
            return Ok(false);
        }
        s.status = SubmissionStatus::Done;
        s.judgement = Some(judgement.clone());
        Ok(true)
    }

    async fn advance_fence(&self, contest: ContestId) -> Result<u64, StoreError> {
        let mut t = self.tables()?;
        if !t.contests.contains_key(&contest) {
            return Err(StoreError::Database(format!(
                "contest {contest} does not exist (foreign key)"
            )));
        }
        let fence = t.fences.entry(contest).or_insert(0);
        *fence += 1;
        Ok(*fence)
    }
}

#[async_trait]
impl EventLog for MemoryStore {
    async fn append_event(
        &self,
        contest: Option<ContestId>,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let mut t = self.tables()?;
        if let Some(c) = contest
            && !t.contests.contains_key(&c)
        {
            return Err(StoreError::NotFound(format!("contest {c}")));
        }
        let id = t.next(4);
        t.events
            .push((contest, (id, kind.to_owned(), payload.clone(), now_ms())));
        Ok(id)
    }

    async fn append_events_if_last(
        &self,
        contest: ContestId,
        kind: &str,
        expected_last: i64,
        payloads: &[serde_json::Value],
    ) -> Result<Option<Vec<i64>>, StoreError> {
        let mut t = self.tables()?;
        if !t.contests.contains_key(&contest) {
            return Err(StoreError::NotFound(format!("contest {contest}")));
        }
        let last = t
            .events
            .iter()
            .filter(|(c, e)| *c == Some(contest) && e.1 == kind)
            .map(|(_, e)| e.0)
            .max()
            .unwrap_or(0);
        if last != expected_last {
            return Ok(None);
        }
        let mut ids = Vec::new();
        for p in payloads {
            let id = t.next(4);
            t.events
                .push((Some(contest), (id, kind.to_owned(), p.clone(), now_ms())));
            ids.push(id);
        }
        Ok(Some(ids))
    }

    async fn events(
        &self,
        contest: Option<ContestId>,
        after_id: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let t = self.tables()?;
        Ok(t.events
            .iter()
            .filter(|(c, e)| *c == contest && e.0 > after_id)
            .map(|(_, e)| e.clone())
            .collect())
    }
}

#[async_trait]
impl crate::ports::store::PracticeStore for MemoryStore {
    async fn editorial(
        &self,
        problem: ProblemId,
    ) -> Result<crate::ports::store::Editorial, StoreError> {
        Ok(self
            .tables()?
            .editorials
            .get(&problem)
            .cloned()
            .unwrap_or_default())
    }

    async fn set_editorial(
        &self,
        problem: ProblemId,
        e: &crate::ports::store::Editorial,
    ) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if !t.problems.contains_key(&problem) {
            return Err(StoreError::NotFound(format!("problem {problem}")));
        }
        t.editorials.insert(problem, e.clone());
        Ok(())
    }

    async fn revealed(
        &self,
        user: UserId,
        problem: ProblemId,
    ) -> Result<crate::ports::store::Revealed, StoreError> {
        Ok(self
            .tables()?
            .reveals
            .get(&(user, problem))
            .copied()
            .unwrap_or_default())
    }

    async fn reveal(
        &self,
        user: UserId,
        problem: ProblemId,
        revealed: crate::ports::store::Revealed,
    ) -> Result<crate::ports::store::Revealed, StoreError> {
        let mut t = self.tables()?;
        let r = t.reveals.entry((user, problem)).or_default();
        r.hints = r.hints.max(revealed.hints);
        r.editorial |= revealed.editorial;
        Ok(*r)
    }

    async fn start_virtual(
        &self,
        start: crate::ports::store::VirtualStart,
    ) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        if !t.users.contains_key(&start.user_id) || !t.contests.contains_key(&start.contest_id) {
            return Err(StoreError::NotFound("user or contest".into()));
        }
        let key = (start.user_id, start.contest_id);
        if t.virtuals.contains_key(&key) {
            return Err(StoreError::Conflict(format!(
                "a virtual participation in contest {}",
                start.contest_id
            )));
        }
        t.virtuals.insert(key, start);
        Ok(())
    }

    async fn virtual_start(
        &self,
        user: UserId,
        contest: ContestId,
    ) -> Result<Option<crate::ports::store::VirtualStart>, StoreError> {
        Ok(self.tables()?.virtuals.get(&(user, contest)).copied())
    }

    async fn user_virtuals(
        &self,
        user: UserId,
    ) -> Result<Vec<crate::ports::store::VirtualStart>, StoreError> {
        let mut all: Vec<_> = self
            .tables()?
            .virtuals
            .values()
            .filter(|v| v.user_id == user)
            .copied()
            .collect();
        all.sort_by_key(|v| (v.started_at, v.contest_id));
        Ok(all)
    }
}

#[async_trait]
impl crate::ports::store::RatingStore for MemoryStore {
    async fn finalized_contests(&self) -> Result<Vec<ContestId>, StoreError> {
        Ok(self.tables()?.rating_finals.iter().copied().collect())
    }

    async fn replace_ratings(
        &self,
        finalized: &[ContestId],
        rows: &[crate::ports::store::RatingRow],
    ) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let missing = finalized
            .iter()
            .chain(rows.iter().map(|r| &r.contest_id))
            .any(|c| !t.contests.contains_key(c))
            || rows.iter().any(|r| !t.users.contains_key(&r.user_id));
        if missing {
            return Err(StoreError::NotFound("contest or user".into()));
        }
        t.rating_finals = finalized.iter().copied().collect();
        t.ratings = rows.to_vec();
        Ok(())
    }

    async fn contest_ratings(
        &self,
        contest: ContestId,
    ) -> Result<Vec<crate::ports::store::RatingRow>, StoreError> {
        let mut all: Vec<_> = self
            .tables()?
            .ratings
            .iter()
            .filter(|r| r.contest_id == contest)
            .cloned()
            .collect();
        all.sort_by_key(|r| (r.place, r.user_id));
        Ok(all)
    }

    async fn user_ratings(
        &self,
        user: UserId,
    ) -> Result<Vec<crate::ports::store::RatingRow>, StoreError> {
        let mut all: Vec<_> = self
            .tables()?
            .ratings
            .iter()
            .filter(|r| r.user_id == user)
            .cloned()
            .collect();
        all.sort_by_key(|r| r.round);
        Ok(all)
    }

    async fn current_ratings(&self) -> Result<Vec<(UserId, String, i64)>, StoreError> {
        let t = self.tables()?;
        let mut latest: BTreeMap<UserId, (i64, i64)> = BTreeMap::new();
        for r in &t.ratings {
            let e = latest.entry(r.user_id).or_insert((r.round, r.rating));
            if r.round >= e.0 {
                *e = (r.round, r.rating);
            }
        }
        Ok(latest
            .into_iter()
            .filter_map(|(u, (_, r))| Some((u, t.users.get(&u)?.username.clone(), r)))
            .collect())
    }
}

#[async_trait]
impl ClarificationStore for MemoryStore {
    async fn create_clarification(&self, c: Clarification) -> Result<Clarification, StoreError> {
        let mut t = self.tables()?;
        if !t.contests.contains_key(&c.contest_id) {
            return Err(StoreError::NotFound(format!("contest {}", c.contest_id)));
        }
        if let Some(q) = c.reply_to {
            match t.clarifications.get_mut(&q) {
                Some(question) if question.contest_id == c.contest_id => question.answered = true,
                _ => return Err(StoreError::NotFound(format!("clarification {q}"))),
            }
        }
        let id = ClarificationId(t.clarifications.keys().last().map_or(1, |k| k.0 + 1));
        let stored = Clarification { id, ..c };
        t.clarifications.insert(id, stored.clone());
        Ok(stored)
    }

    async fn clarification(
        &self,
        id: ClarificationId,
    ) -> Result<Option<Clarification>, StoreError> {
        Ok(self.tables()?.clarifications.get(&id).cloned())
    }

    async fn clarifications(&self, contest: ContestId) -> Result<Vec<Clarification>, StoreError> {
        Ok(self
            .tables()?
            .clarifications
            .values()
            .filter(|c| c.contest_id == contest)
            .cloned()
            .collect())
    }

    async fn claim_clarification(
        &self,
        id: ClarificationId,
        judge: Option<UserId>,
    ) -> Result<(), StoreError> {
        let mut t = self.tables()?;
        let c = t
            .clarifications
            .get_mut(&id)
            .ok_or_else(|| StoreError::NotFound(format!("clarification {id}")))?;
        c.claimed_by = judge;
        Ok(())
    }
}
