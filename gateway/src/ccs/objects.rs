//! A contest as Contest API objects: every object computed once from the store, with what
//! the jury, the public and the object's own team(s) each see of it. The GET endpoints
//! and the event feed both read this, so they never disagree.

use super::format::{is_id, named_id, reltime, time};
use crate::app::AppState;
use crate::error::ApiError;
use codehub_engine::Verdict;
use codehub_engine::model::{
    Clarification, Contest, ContestKind, Millis, Problem, Role, Submission, SubmissionStatus, User,
    UserId, now_ms,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The object types of the event feed, in the order a snapshot lists them (referenced
/// objects before the objects referring to them).
pub const KINDS: [&str; 15] = [
    "contest",
    "judgement-types",
    "languages",
    "problems",
    "groups",
    "organizations",
    "teams",
    "accounts",
    "state",
    "submissions",
    "judgements",
    "runs",
    "clarifications",
    "awards",
    "persons",
];

/// Who is asking, as the Contest API distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Anyone, unauthenticated or a spectator.
    Public,
    /// A team of the contest (a CodeHub contestant registered in it).
    Team(UserId),
    /// The jury or an administrator: everything.
    Admin,
}

impl Viewer {
    /// The feed audience name (`admin`, `public`, `team`).
    pub fn is_admin(self) -> bool {
        self == Viewer::Admin
    }
}

/// One object and what each audience sees of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Type (`teams`, `submissions`, …; `contest` and `state` are singletons).
    pub kind: &'static str,
    /// Id (`None` for the singletons).
    pub id: Option<String>,
    /// The teams the object belongs to (a submission's team, a clarification's asker or
    /// addressees): they see `own`, not `public`.
    pub owners: Vec<UserId>,
    /// What the jury sees.
    pub admin: Value,
    /// What everyone else sees (`None`: hidden).
    pub public: Option<Value>,
    /// What its owners see (`None`: hidden).
    pub own: Option<Value>,
}

impl Entry {
    fn shared(kind: &'static str, id: Option<String>, data: Value) -> Self {
        Entry {
            kind,
            id,
            owners: Vec::new(),
            public: Some(data.clone()),
            own: None,
            admin: data,
        }
    }

    fn jury_only(kind: &'static str, id: String, data: Value) -> Self {
        Entry {
            kind,
            id: Some(id),
            owners: Vec::new(),
            public: None,
            own: None,
            admin: data,
        }
    }

    /// What `viewer` sees of this object (`None`: hidden from it).
    pub fn seen_by(&self, viewer: Viewer) -> Option<&Value> {
        match viewer {
            Viewer::Admin => Some(&self.admin),
            Viewer::Team(t) if self.owners.contains(&t) => self.own.as_ref(),
            _ => self.public.as_ref(),
        }
    }
}

/// Everything the Contest API shows of one contest, read from the store at one moment.
pub struct ContestData {
    /// The contest.
    pub contest: Contest,
    /// Its API id.
    pub id: String,
    /// Its problems, in label order, with their labels.
    pub problems: Vec<(String, Problem)>,
    /// Its teams (participants).
    pub teams: Vec<User>,
    /// Its submissions, by id.
    pub submissions: Vec<Submission>,
    /// Its clarifications, by id.
    pub clarifications: Vec<Clarification>,
    /// Test cases per problem package (by problem id).
    pub test_counts: HashMap<i64, usize>,
    /// What the jury set about awards.
    pub award_settings: super::board::AwardSettings,
    /// Languages the judge offers: (id, name, extensions).
    pub languages: Vec<(String, String, Vec<String>)>,
    /// When the data was read.
    pub now: Millis,
}

/// The API id of a contest.
pub fn contest_id(c: &Contest) -> String {
    named_id(&c.slug, "c", c.id.0)
}

/// The API id of a problem.
pub fn problem_id(p: &Problem) -> String {
    named_id(&p.slug, "p", p.id.0)
}

impl ContestData {
    /// Reads a contest's data from the store.
    ///
    /// # Errors
    /// Store failures.
    pub async fn load(state: &AppState, contest: Contest) -> Result<Self, ApiError> {
        let store = &state.store;
        let mut problems = Vec::new();
        let mut test_counts = HashMap::new();
        for cp in &contest.problems {
            if let Some(p) = store.problem(cp.problem_id).await? {
                test_counts.insert(
                    p.id.0,
                    super::test_count::count(state, &p.package_hash).await,
                );
                problems.push((cp.label.clone(), p));
            }
        }
        let mut teams = Vec::new();
        for id in store.participants(contest.id).await? {
            if let Some(u) = store.user(id).await? {
                teams.push(u);
            }
        }
        teams.sort_by_key(|u| u.id);
        let mut submissions = store.contest_submissions(contest.id).await?;
        submissions.sort_by_key(|s| s.id);
        let mut clarifications = store.clarifications(contest.id).await?;
        clarifications.sort_by_key(|c| c.id);
        let mut award_log = store
            .events_of_kind(contest.id, super::board::MEDALS_EVENT, 0)
            .await?;
        award_log.extend(
            store
                .events_of_kind(contest.id, super::board::AWARD_EVENT, 0)
                .await?,
        );
        award_log.sort_by_key(|(id, _, _, _)| *id);
        let award_settings = super::board::AwardSettings::from_log(&award_log);
        let languages = state
            .languages
            .iter()
            .map(|l| (l.id.clone(), l.name.clone(), l.extensions.clone()))
            .collect();
        Ok(ContestData {
            id: contest_id(&contest),
            contest,
            problems,
            teams,
            submissions,
            clarifications,
            test_counts,
            award_settings,
            languages,
            now: now_ms(),
        })
    }

    fn rel(&self, at: Millis) -> String {
        reltime(at - self.contest.start_at)
    }

    fn problem_api_id(&self, id: codehub_engine::model::ProblemId) -> Option<String> {
        self.problems
            .iter()
            .find(|(_, p)| p.id == id)
            .map(|(_, p)| problem_id(p))
    }

    /// Whether the public may not see this submission's result yet: made during the
    /// freeze, and the board is still frozen.
    pub fn embargoed(&self, s: &Submission) -> bool {
        let c = &self.contest;
        c.freeze_at.is_some_and(|f| s.submitted_at >= f) && c.is_frozen(self.now)
    }

    /// The contest object.
    pub fn contest_object(&self) -> Value {
        let c = &self.contest;
        let mut o = json!({
            "id": self.id,
            "name": c.name,
            "formal_name": c.name,
            "start_time": time(c.start_at),
            "duration": reltime(c.end_at - c.start_at),
            "scoreboard_type": match c.kind { ContestKind::Icpc => "pass-fail", ContestKind::Ioi => "score" },
        });
        if let Some(f) = c.freeze_at {
            o["scoreboard_freeze_duration"] = json!(reltime(c.end_at - f));
            if let Some(u) = c.unfreeze_at {
                o["scoreboard_thaw_time"] = json!(time(u));
            }
        }
        if c.kind == ContestKind::Icpc {
            o["penalty_time"] = json!(reltime(c.penalty_minutes * 60_000));
        }
        o
    }

    /// When the public board was thawed, if it was.
    fn thawed_at(&self) -> Option<Millis> {
        let c = &self.contest;
        let freeze = c.freeze_at.filter(|f| self.now >= *f)?;
        match c.unfreeze_at {
            Some(u) if u <= self.now => Some(u.max(freeze)),
            _ if c.unfrozen => Some(c.end_at.max(freeze)),
            _ => None,
        }
    }

    /// When the results became final: the contest is over, its board is not frozen and
    /// every submission is judged. Also the end of updates.
    pub fn finalized_at(&self) -> Option<Millis> {
        let c = &self.contest;
        if self.now < c.end_at || c.is_frozen(self.now) {
            return None;
        }
        if self
            .submissions
            .iter()
            .any(|s| s.status != SubmissionStatus::Done)
        {
            return None;
        }
        let judged = self
            .submissions
            .iter()
            .filter_map(|s| s.judgement.as_ref().map(|j| j.judged_at))
            .max()
            .unwrap_or(c.end_at);
        Some(judged.max(c.end_at).max(self.thawed_at().unwrap_or(0)))
    }

    /// The state object.
    pub fn state_object(&self) -> Value {
        let c = &self.contest;
        let at = |t: Option<Millis>| t.filter(|t| *t <= self.now).map(time);
        let finalized = self.finalized_at().map(time);
        json!({
            "started": at(Some(c.start_at)),
            "frozen": at(c.freeze_at.filter(|f| *f < c.end_at)),
            "ended": at(Some(c.end_at)),
            "thawed": self.thawed_at().map(time),
            "finalized": finalized,
            "end_of_updates": finalized,
        })
    }

    fn team_object(&self, u: &User) -> Value {
        json!({"id": u.id.0.to_string(), "label": u.id.0.to_string(), "name": u.username,
               "display_name": u.username, "group_ids": [], "hidden": false})
    }

    /// The account object of `u` (`team`: it is a team of the contest).
    pub fn account_object(&self, u: &User, team: bool) -> Value {
        let kind = match u.role {
            Role::Admin => "admin",
            Role::Jury => "judge",
            Role::Contestant => "team",
            Role::Spectator => "spectator",
        };
        let mut o = json!({"id": u.id.0.to_string(), "username": u.username, "name": u.username,
                           "type": kind});
        if team {
            o["team_id"] = json!(u.id.0.to_string());
        }
        o
    }

    fn problem_object(&self, ordinal: usize, label: &str, p: &Problem) -> Value {
        json!({
            "id": problem_id(p),
            "label": label,
            "name": p.name,
            "ordinal": ordinal,
            "time_limit": p.time_limit_ms as f64 / 1000.0,
            "memory_limit": (p.memory_limit_kib / 1024).max(1),
            "code_limit": (p.code_limit_bytes / 1024).max(1),
            "test_data_count": self.test_counts.get(&p.id.0).copied().unwrap_or(0),
        })
    }

    fn submission_object(&self, s: &Submission, with_files: bool) -> Option<Value> {
        let problem = self.problem_api_id(s.problem_id)?;
        let id = s.id.0.to_string();
        let mut o = json!({
            "id": id,
            "language_id": s.language,
            "problem_id": problem,
            "team_id": s.user_id.0.to_string(),
            "account_id": s.user_id.0.to_string(),
            "time": time(s.submitted_at),
            "contest_time": self.rel(s.submitted_at),
            "files": [],
        });
        if with_files {
            o["files"] = json!([{
                "href": format!("contests/{}/submissions/{id}/files", self.id),
                "filename": "files.zip",
                "mime": "application/zip",
            }]);
        }
        match s.language.as_str() {
            "java" => {
                let class = s
                    .files
                    .iter()
                    .find_map(|f| codehub_judge::language::java_main_class(&f.contents))
                    .unwrap_or_else(|| "Main".to_owned());
                o["entry_point"] = json!(class);
            }
            "c" | "cpp" => {}
            _ => o["entry_point"] = json!(s.files.first().map(|f| f.name.clone())),
        }
        Some(o)
    }

    fn judgement_object(&self, s: &Submission) -> Option<Value> {
        let id = s.id.0.to_string();
        let mut o = json!({
            "id": id,
            "submission_id": id,
            "start_time": time(s.submitted_at),
            "start_contest_time": self.rel(s.submitted_at),
            "current": true,
        });
        match (&s.judgement, s.status) {
            (Some(j), _) => {
                o["judgement_type_id"] = json!(j.verdict.code());
                o["end_time"] = json!(time(j.judged_at));
                o["end_contest_time"] = json!(self.rel(j.judged_at));
                o["max_run_time"] = json!(j.time_ms as f64 / 1000.0);
                if self.contest.kind == ContestKind::Ioi {
                    o["score"] = json!(j.score.unwrap_or(0.0).max(0.0));
                }
                Some(o)
            }
            (None, SubmissionStatus::Judging) => Some(o),
            (None, _) => None,
        }
    }

    fn run_objects(&self, s: &Submission) -> Vec<(String, Value)> {
        let Some(j) = &s.judgement else {
            return Vec::new();
        };
        j.tests
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = format!("{}-{}", s.id.0, i + 1);
                let o = json!({
                    "id": id,
                    "judgement_id": s.id.0.to_string(),
                    "ordinal": i + 1,
                    "judgement_type_id": t.verdict.code(),
                    "time": time(j.judged_at),
                    "contest_time": self.rel(j.judged_at),
                    "run_time": t.time_ms as f64 / 1000.0,
                });
                (id, o)
            })
            .collect()
    }

    fn clarification_object(&self, c: &Clarification) -> Value {
        let team = |u: &UserId| u.0.to_string();
        json!({
            "id": c.id.0.to_string(),
            "from_team_id": c.from_user.as_ref().map(team),
            "to_team_ids": if c.from_user.is_some() { Value::Null } else {
                c.to_users.as_ref().map_or(Value::Null, |to| json!(to.iter().map(team).collect::<Vec<_>>()))
            },
            "to_group_ids": Value::Null,
            "reply_to_id": c.reply_to.map(|r| r.0.to_string()),
            "problem_id": c.problem_id.and_then(|p| self.problem_api_id(p)),
            "text": c.text,
            "time": time(c.created_at),
            "contest_time": self.rel(c.created_at),
        })
    }

    /// Every object of the contest with each audience's view of it, in [`KINDS`] order.
    pub fn entries(&self, awards: Vec<Entry>) -> Vec<Entry> {
        let started = self.now >= self.contest.start_at;
        let mut out = vec![Entry::shared("contest", None, self.contest_object())];
        for v in Verdict::ALL {
            out.push(Entry::shared(
                "judgement-types",
                Some(v.code().to_owned()),
                judgement_type(v),
            ));
        }
        for (id, name, extensions) in &self.languages {
            let mut o = json!({"id": id, "name": name, "entry_point_required": false,
                               "extensions": extensions});
            if !is_id(id) {
                continue;
            }
            o["entry_point_name"] = Value::Null;
            out.push(Entry::shared("languages", Some(id.clone()), o));
        }
        for (i, (label, p)) in self.problems.iter().enumerate() {
            let o = self.problem_object(i + 1, label, p);
            let id = problem_id(p);
            // The package is the jury's (`problems/{id}/package`).
            let mut admin = o.clone();
            admin["package"] = json!([{
                "href": format!("contests/{}/problems/{id}/package", self.id),
                "filename": "problem.zip",
                "mime": "application/zip",
            }]);
            // Problems stay secret until the contest starts.
            out.push(Entry {
                kind: "problems",
                id: Some(id),
                owners: Vec::new(),
                public: started.then_some(o),
                own: None,
                admin,
            });
        }
        for u in &self.teams {
            out.push(Entry::shared(
                "teams",
                Some(u.id.0.to_string()),
                self.team_object(u),
            ));
        }
        for u in &self.teams {
            let o = self.account_object(u, true);
            out.push(Entry {
                kind: "accounts",
                id: Some(u.id.0.to_string()),
                owners: vec![u.id],
                public: None,
                own: Some(o.clone()),
                admin: o,
            });
        }
        out.push(Entry::shared("state", None, self.state_object()));
        for s in &self.submissions {
            let Some(admin) = self.submission_object(s, true) else {
                continue;
            };
            let id = Some(s.id.0.to_string());
            out.push(Entry {
                kind: "submissions",
                id: id.clone(),
                owners: vec![s.user_id],
                public: self.submission_object(s, false),
                own: Some(admin.clone()),
                admin,
            });
            if let Some(j) = self.judgement_object(s) {
                let public = (!self.embargoed(s)).then(|| j.clone());
                out.push(Entry {
                    kind: "judgements",
                    id,
                    owners: vec![s.user_id],
                    public,
                    own: Some(j.clone()),
                    admin: j,
                });
            }
        }
        for s in &self.submissions {
            if self.problem_api_id(s.problem_id).is_none() {
                continue;
            }
            for (id, run) in self.run_objects(s) {
                // Runs are the jury's: test-by-test results say too much about the data.
                out.push(Entry::jury_only("runs", id, run));
            }
        }
        for c in &self.clarifications {
            let o = self.clarification_object(c);
            let id = Some(c.id.0.to_string());
            // `reply_to_id` only for those who can see the question (the text's rule; and
            // no reference to an object the viewer cannot see).
            let asker = c
                .reply_to
                .and_then(|q| self.clarifications.iter().find(|x| x.id == q))
                .and_then(|q| q.from_user);
            let without_reply = || {
                let mut o = o.clone();
                o["reply_to_id"] = Value::Null;
                o
            };
            let entry = match (&c.from_user, &c.to_users) {
                (Some(from), _) => Entry {
                    kind: "clarifications",
                    id,
                    owners: vec![*from],
                    public: None,
                    own: Some(o.clone()),
                    admin: o,
                },
                (None, Some(to)) => Entry {
                    kind: "clarifications",
                    id,
                    owners: to.clone(),
                    public: None,
                    own: Some(if asker.is_none() || to.iter().all(|t| Some(*t) == asker) {
                        o.clone()
                    } else {
                        without_reply()
                    }),
                    admin: o,
                },
                // To every team: the asker (if a question was answered) keeps the link.
                (None, None) => Entry {
                    kind: "clarifications",
                    id,
                    owners: asker.into_iter().collect(),
                    public: Some(if asker.is_some() {
                        without_reply()
                    } else {
                        o.clone()
                    }),
                    own: asker.map(|_| o.clone()),
                    admin: o,
                },
            };
            out.push(entry);
        }
        out.extend(awards);
        out
    }
}

/// A judgement type object.
pub fn judgement_type(v: Verdict) -> Value {
    let (name, penalty) = match v {
        Verdict::Accepted => ("correct", false),
        Verdict::WrongAnswer => ("wrong answer", true),
        Verdict::TimeLimitExceeded => ("time limit exceeded", true),
        Verdict::MemoryLimitExceeded => ("memory limit exceeded", true),
        Verdict::RunTimeError => ("run-time error", true),
        Verdict::CompileError => ("compiler error", false),
        Verdict::OutputLimitExceeded => ("output limit exceeded", true),
        Verdict::JudgeError => ("judging error", false),
    };
    json!({"id": v.code(), "name": name, "penalty": penalty, "solved": v == Verdict::Accepted})
}
