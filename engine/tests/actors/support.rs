//! A running engine on the fakes, with one user, one problem and one running contest.

use codehub_engine::actors::hub::{HubMsg, Outgoing, QueueInbox};
use codehub_engine::actors::user::SubmitRequest;
use codehub_engine::actors::{Engine, EngineConfig};
use codehub_engine::model::{
    Contest, ContestId, ContestKind, ContestProblem, Judgement, Problem, ProblemId, Role,
    SubmissionId, SubmissionStatus, SubmittedFile, UserId, now_ms,
};
use codehub_engine::ports::store::NewUser;
use codehub_engine::ports::store::prelude::*;
use codehub_engine::testing::{MemoryStore, ScriptedJudge};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How long a test waits for something asynchronous before it fails.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// An engine on the fakes and what was seeded.
pub struct World {
    pub engine: Engine,
    pub store: Arc<MemoryStore>,
    pub judge: Arc<ScriptedJudge>,
    pub user: UserId,
    pub problem: ProblemId,
    pub contest: ContestId,
}

/// Minutes from now, in ms since the epoch.
pub fn minutes(m: i64) -> i64 {
    now_ms() + m * 60_000
}

/// A contest running from 10 minutes ago for an hour, on `problem`.
pub fn running_contest(slug: &str, problem: ProblemId) -> Contest {
    Contest {
        id: ContestId(0),
        slug: slug.into(),
        name: slug.to_uppercase(),
        kind: ContestKind::Icpc,
        start_at: minutes(-10),
        end_at: minutes(60),
        freeze_at: None,
        unfreeze_at: None,
        unfrozen: false,
        penalty_minutes: 20,
        verdict_policy: None,
        allow_runs: false,
        rated: false,
        problems: vec![ContestProblem {
            problem_id: problem,
            label: "A".into(),
        }],
    }
}

/// A practice problem with a 1 KiB source limit.
pub fn problem(slug: &str, practice: bool) -> Problem {
    Problem {
        id: ProblemId(0),
        slug: slug.into(),
        name: slug.to_uppercase(),
        package_hash: "ab".repeat(32),
        time_limit_ms: 1000,
        memory_limit_kib: 65_536,
        code_limit_bytes: 1024,
        statement: String::new(),
        samples: vec![],
        answer_files: vec![],
        practice,
        created_at: 0,
        tags: vec![],
        difficulty: None,
        source: None,
        statement_language: None,
        translations: Default::default(),
    }
}

/// Seeds `store`: a user, a practice problem, a contest (shaped by `contest`).
pub async fn seed(
    store: &MemoryStore,
    contest: impl FnOnce(&mut Contest),
) -> (UserId, ProblemId, ContestId) {
    let user = store
        .create_user(NewUser {
            username: "alice".into(),
            password_hash: "x".into(),
            role: Role::Contestant,
        })
        .await
        .unwrap();
    let problem = store.create_problem(problem("sum", true)).await.unwrap();
    let mut c = running_contest("c", problem.id);
    contest(&mut c);
    let c = store.create_contest(c).await.unwrap();
    (user.id, problem.id, c.id)
}

/// An engine on fresh fakes with a running ICPC contest.
pub async fn world(config: EngineConfig) -> World {
    world_with(config, |_| {}).await
}

/// An engine on fresh fakes with a contest shaped by `contest`.
pub async fn world_with(config: EngineConfig, contest: impl FnOnce(&mut Contest)) -> World {
    let store = Arc::new(MemoryStore::new());
    let judge = Arc::new(ScriptedJudge::new());
    let (user, problem, contest) = seed(&store, contest).await;
    let engine = Engine::start(store.clone(), judge.clone(), config)
        .await
        .unwrap();
    World {
        engine,
        store,
        judge,
        user,
        problem,
        contest,
    }
}

/// A fast engine configuration: retries after 10 ms.
pub fn fast() -> EngineConfig {
    EngineConfig {
        retry_delay: Duration::from_millis(10),
        ..EngineConfig::default()
    }
}

impl World {
    /// A one-file C submission to the contest (`None`: practice).
    pub fn request(&self, contest: Option<ContestId>) -> SubmitRequest {
        SubmitRequest {
            contest_id: contest,
            problem_id: self.problem,
            language: "c".into(),
            files: vec![SubmittedFile {
                name: "a.c".into(),
                contents: "int main(void) { return 0; }\n".into(),
            }],
            trace: tracing::Span::none(),
        }
    }

    /// Waits until the store has a judgement for `id`.
    pub async fn judged(&self, id: SubmissionId) -> Judgement {
        let store = self.store.clone();
        wait_for(|| {
            let store = store.clone();
            async move {
                let s = store.submission(id).await.unwrap()?;
                (s.status == SubmissionStatus::Done).then(|| s.judgement.unwrap())
            }
        })
        .await
    }
}

/// Polls `probe` every 5 ms until it answers, at most [`PATIENCE`].
pub async fn wait_for<T, F, Fut>(mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(Instant::now() < deadline, "gave up waiting");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// A subscriber's receiving end.
pub struct Inbox {
    pub rx: mpsc::Receiver<Outgoing>,
    pub lagged: Arc<AtomicBool>,
}

impl Inbox {
    /// The next message, as JSON, within [`PATIENCE`].
    pub async fn next(&mut self) -> serde_json::Value {
        let out = tokio::time::timeout(PATIENCE, self.rx.recv())
            .await
            .expect("a message in time")
            .expect("the hub is alive");
        let json: serde_json::Value = serde_json::from_slice(&out.bytes).unwrap();
        assert_eq!(json["seq"], out.seq);
        json
    }

    /// Messages until one satisfies `done` (included).
    pub async fn until(
        &mut self,
        mut done: impl FnMut(&serde_json::Value) -> bool,
    ) -> Vec<serde_json::Value> {
        let mut got = Vec::new();
        loop {
            let m = self.next().await;
            let stop = done(&m);
            got.push(m);
            if stop {
                return got;
            }
        }
    }

    /// Whatever has arrived already.
    pub fn drain(&mut self) -> Vec<serde_json::Value> {
        std::iter::from_fn(|| self.rx.try_recv().ok())
            .map(|o| serde_json::from_slice(&o.bytes).unwrap())
            .collect()
    }

    pub fn is_lagged(&self) -> bool {
        self.lagged.load(Ordering::Acquire)
    }
}

/// Subscribes a fresh connection with a queue of `capacity` to `channel`.
pub async fn subscribe(hub: &ractor::ActorRef<HubMsg>, channel: &str, capacity: usize) -> Inbox {
    let (subscriber, rx) = QueueInbox::new(capacity);
    let lagged = subscriber.lagged.clone();
    let conn = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let channel = channel.to_owned();
    let backlog = ractor::call!(hub, |reply| HubMsg::Subscribe {
        channel,
        conn,
        subscriber,
        since: None,
        reply,
    })
    .unwrap();
    assert!(backlog.is_none(), "no `since`: no backlog");
    Inbox { rx, lagged }
}
