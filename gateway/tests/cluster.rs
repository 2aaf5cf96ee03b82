//! Cluster mode against a real Redis (`CODEHUB_TEST_REDIS_URL`, started by the test
//! script) with real processes: a `codehub serve` node judging through the Redis queue and
//! `codehub judge-worker` processes, one of which is killed with SIGKILL mid-judging.
//!
//! Each test uses its own Redis database number, so tests running at once never share
//! streams.

#[path = "support/cluster.rs"]
mod support;

use codehub_engine::ports::store::prelude::*;
use codehub_engine::scoring::View;
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};
use support::*;

/// One node on SQLite with a private data dir.
fn single_node(redis: &str) -> Node {
    node(NodeSpec::alone(redis, "node-a"))
}

/// Waits until `consumer` holds an unacknowledged job (it is judging it).
async fn wait_pending(redis: &str, consumer: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = Command::new("redis-cli")
            .args(["-u", redis, "xpending", "codehub:jobs", "judges"])
            .output()
            .expect("redis-cli");
        if String::from_utf8_lossy(&out.stdout).contains(consumer) {
            return;
        }
        assert!(Instant::now() < deadline, "{consumer} never took the job");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Correct, but each test keeps the CPU busy for 0.6 s (time limit 1 s): ~2.5 s in all.
const SLOW_AC: &str = "import time\nt = time.time()\nwhile time.time() - t < 0.6:\n    pass\na, b = map(int, input().split())\nprint(a + b)\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_workers_judge_and_a_killed_workers_job_is_taken_over() {
    let Some(redis) = redis_url(1) else { return };
    // A fresh database for this test.
    flush(&redis);
    let node = single_node(&redis);
    let first = worker(&redis, &node.base, "worker-a");

    // Judged remotely, end to end.
    let alice = node.register("alice").await;
    let id = node.submit(&alice, AC).await;
    let done = node.wait_status(&alice, id, "done").await;
    assert_eq!(done["verdict"], "AC", "{done}");

    // Kill the worker while it judges; a second worker takes the job over.
    let bob = node.register("bob").await;
    let slow = node.submit(&bob, SLOW_AC).await;
    node.wait_status(&bob, slow, "judging").await;
    wait_pending(&redis, "worker-a").await;
    let mut first = first;
    first.kill9();
    let taken_at = Instant::now();
    let _second = worker(&redis, &node.base, "worker-b");
    let done = node.wait_status(&bob, slow, "done").await;
    assert_eq!(done["verdict"], "AC", "{done}");
    assert!(
        taken_at.elapsed() >= Duration::from_secs(2),
        "taken over only after the claim timeout (3 s, renewed every 1 s)"
    );

    // Judged once as far as the scoreboard can tell: one try, solved.
    let (_, teams) = node
        .call(reqwest::Method::GET, "/api/contests/1/teams", None, None)
        .await;
    let bob_id = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "bob")
        .unwrap()["id"]
        .clone();
    // The verdict is stored before the contest actor applies it to the board.
    let board = node.settled_board().await;
    let row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == bob_id)
        .unwrap()
        .clone();
    assert_eq!(row["cells"][1]["attempts"], 1, "{row}");
    assert_eq!(row["cells"][1]["solved"], true, "{row}");
    assert_eq!(row["solved"], 1, "{row}");
    drop(node.proc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_on_samples_and_typed_input_go_to_remote_workers() {
    let Some(redis) = redis_url(5) else { return };
    flush(&redis);
    let node = single_node(&redis);
    let _worker = worker(&redis, &node.base, "worker-runs");
    let carol = node.register("carol").await;
    let problem = node.problem_id(1).await;
    let run = |input: Value| {
        serde_json::json!({"problem_id": problem, "language": "python3",
            "files": [{"name": "a.py", "contents": AC}], "input": input})
    };
    let (status, typed) = node
        .call(
            reqwest::Method::POST,
            "/api/runs",
            Some(&carol),
            Some(run(serde_json::json!({"stdin": "2 3\n"}))),
        )
        .await;
    assert_eq!(
        (status, &typed["stdout"]),
        (200, &Value::from("5\n")),
        "{typed}"
    );
    let (status, sample) = node
        .call(
            reqwest::Method::POST,
            "/api/runs",
            Some(&carol),
            Some(run(serde_json::json!({"sample": 1}))),
        )
        .await;
    assert_eq!(
        (status, &sample["verdict"]),
        (200, &Value::from("AC")),
        "{sample}"
    );
    // The worker's refusal reaches the caller as the node's own would.
    let (status, refused) = node
        .call(
            reqwest::Method::POST,
            "/api/runs",
            Some(&carol),
            Some(run(serde_json::json!({"sample": 99}))),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("sample 99"),
        "{refused}"
    );
    // Nothing was stored.
    let (_, mine) = node
        .call(reqwest::Method::GET, "/api/submissions", Some(&carol), None)
        .await;
    assert_eq!(mine, serde_json::json!([]));
    drop(node.proc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_and_the_package_endpoint_for_workers() {
    let Some(redis) = redis_url(2) else { return };
    let node = single_node(&redis);
    let res = node
        .http
        .get(format!("{}/readyz", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Packages are for workers only, and by valid hash only.
    let hash = "0".repeat(64);
    let (s, v) = node
        .call(
            reqwest::Method::GET,
            &format!("/api/internal/blobs/{hash}"),
            None,
            None,
        )
        .await;
    assert_eq!((s, v["code"].as_u64()), (401, Some(401)), "{v}");
    let (s, v) = node
        .call(
            reqwest::Method::GET,
            &format!("/api/internal/blobs/{hash}"),
            Some(TOKEN),
            None,
        )
        .await;
    assert_eq!(s, 404, "{v}");
    let (s, v) = node
        .call(
            reqwest::Method::GET,
            "/api/internal/blobs/..%2F..%2Fetc%2Fpasswd",
            Some(TOKEN),
            None,
        )
        .await;
    assert_eq!(s, 404, "{v}");
}

/// The public board recomputed from what PostgreSQL holds, by team, without ranks.
async fn recompute(database: &str) -> std::collections::BTreeMap<i64, Value> {
    let store = codehub_store::SqlStore::connect(database).await.unwrap();
    let contest = store
        .contest(codehub_engine::model::ContestId(1))
        .await
        .unwrap()
        .unwrap();
    let teams = store.participants(contest.id).await.unwrap();
    let subs = store.contest_submissions(contest.id).await.unwrap();
    let board = codehub_engine::actors::leaderboard::build_board(
        &contest,
        &teams,
        &subs,
        codehub_engine::model::now_ms(),
    );
    let rows = serde_json::json!({ "rows": board.rows(View::Public) });
    store.close().await;
    rows_by_team(&rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_share_a_contest_and_survive_the_owner_being_killed() {
    let Some(redis) = redis_url(3) else { return };
    let Some((admin, database)) = postgres_database("cluster") else {
        return;
    };
    flush(&redis);
    let data = tempfile::tempdir().unwrap();
    let spec = |id| NodeSpec::shared(&redis, id, &database, data.path());
    // The first node creates the schema and the demo; then the others join.
    let mut a = node(spec("node-a"));
    let b = node(spec("node-b"));
    let c = node(spec("node-c"));
    // Workers fetch packages from the owner first: after it dies, from another node.
    let gateways = format!("{},{}", a.base, c.base);
    let _w1 = worker(&redis, &gateways, "worker-1");
    let _w2 = worker(&redis, &gateways, "worker-2");

    // The first spectator makes node A the contest's owner; one spectator per node.
    let [on_a, on_b, on_c] = spectators([&a.base, &b.base, &c.base]).await;
    assert_eq!(owner(&redis), "node-a");

    // Submissions through every node; the owner judges them all through the workers.
    let nodes = [&a, &b, &c];
    let mut users = Vec::new();
    let mut ids = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let token = n.register(&format!("team{i}")).await;
        ids.push((i, n.submit(&token, WA).await, token.clone()));
        ids.push((i, n.submit(&token, AC).await, token.clone()));
        users.push(token);
    }
    for (i, id, token) in &ids {
        nodes[*i].wait_status(token, *id, "done").await;
    }
    // A verdict stream on a node that does not own the contest: the owner (A) judges, and
    // node C relays its status messages to its own client, in one order.
    let (_, me) = c
        .call(reqwest::Method::GET, "/api/me", Some(&users[2]), None)
        .await;
    let channel = format!("user/{}/submissions", me["id"]);
    let stream = Listener::start(&c.base, &users[2], &channel).await;
    stream
        .wait_for("a snapshot", |m| m["type"] == "snapshot")
        .await;
    let watched = c.submit(&users[2], WA).await;
    let verdict = stream
        .wait_for("the verdict", |m| {
            m["type"] == "verdict" && m["data"]["submission_id"] == watched
        })
        .await;
    assert_eq!(verdict["data"]["verdict"], "WA", "{verdict}");
    let seqs: Vec<u64> = stream
        .messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m["type"] != "snapshot")
        .map(|m| m["seq"].as_u64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert!(seqs.len() >= 2, "queued and the verdict at least: {seqs:?}");
    c.wait_status(&users[2], watched, "done").await;
    let want = recompute(&database).await;
    assert_eq!(want.len(), 3, "{want:?}");
    for row in want.values() {
        assert_eq!(row["solved"], 1, "{row}");
        assert_eq!(row["cells"][1]["attempts"], 2, "{row}");
    }
    converge(&[&on_a, &on_b, &on_c], &want, "before the failover").await;
    for n in nodes {
        assert_eq!(rows_by_team(&n.board().await), want, "{}", n.base);
    }

    // The owner keeps a hot copy of its boards in Redis.
    let deadline = Instant::now() + Duration::from_secs(10);
    while redis_cli(&redis, &["exists", "codehub:board:1:public"]) != "1" {
        assert!(Instant::now() < deadline, "no hot copy");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // kill -9 the owner while a submission is on its way.
    let late = b.submit(&users[1], AC).await;
    a.proc.kill9();
    let killed = Instant::now();
    // A spectator arriving while nobody owns the contest still gets a board.
    let newcomer = Spectator::new(&c.base).await;
    // Acknowledged while nobody owns the contest: queued in its inbox, not lost. (Problem
    // A: the workers fetch its package now, from node C since node A is gone.)
    let orphan = c.submit_to(&users[2], 0, "print('Hello World!')\n").await;
    // Failover takes ≈ 2 s (the lease); 30 s leaves room for a loaded CI machine running
    // two cluster tests at once. The time measured is printed below.
    let deadline = killed + Duration::from_secs(30);
    loop {
        let now_owner = owner(&redis);
        if now_owner == "node-b" || now_owner == "node-c" {
            break;
        }
        assert!(Instant::now() < deadline, "nobody took over within 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Spectators on the surviving nodes hear from the new owner (its snapshot).
    let mut first_from_new_owner = None;
    while first_from_new_owner.is_none() {
        first_from_new_owner = on_b
            .seen
            .lock()
            .unwrap()
            .snapshots
            .iter()
            .find(|(at, seq)| *at > killed && *seq >> 32 >= 2)
            .map(|(at, _)| at.duration_since(killed));
        assert!(
            Instant::now() < deadline,
            "no message from a new owner within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "failover: kill -9 → first message from the new owner on another node: {:?}",
        first_from_new_owner.unwrap()
    );

    b.wait_status(&users[1], late, "done").await;
    let orphan = c.wait_status(&users[2], orphan, "done").await;
    assert_eq!(orphan["verdict"], "AC", "{orphan}");
    let want = recompute(&database).await;
    newcomer.ready().await;
    converge(&[&on_b, &on_c, &newcomer], &want, "after the failover").await;
    for n in [&b, &c] {
        assert_eq!(rows_by_team(&n.board().await), want, "{}", n.base);
    }

    // A spectator moves from node B to node C with `since`: nothing missed, nothing twice.
    let since = on_b.seen.lock().unwrap().seq;
    let moved = on_b.seen.clone();
    drop(on_b);
    let extra = c.register("team-late").await;
    let extra_id = b.submit(&extra, AC).await;
    let on_c_again = Spectator::follow(&c.base, moved, Some(since)).await;
    c.wait_status(&extra, extra_id, "done").await;
    let want = recompute(&database).await;
    assert_eq!(want.len(), 4);
    converge(&[&on_c_again, &on_c], &want, "after moving with since").await;

    for (name, s) in [("on_a", &on_a), ("on_c", &on_c), ("moved", &on_c_again)] {
        let seen = s.seen.lock().unwrap();
        assert!(seen.violations.is_empty(), "{name}: {:?}", seen.violations);
    }
    drop((b, c));
    drop_database(&admin, &database);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_redis_loses_nothing_judged_and_the_nodes_resynchronise() {
    let Some(mut redis) = PrivateRedis::start() else {
        return;
    };
    let Some((admin, database)) = postgres_database("redis_restart") else {
        return;
    };
    let url = redis.url();
    let data = tempfile::tempdir().unwrap();
    let spec = |id| NodeSpec::shared(&url, id, &database, data.path());
    let a = node(spec("node-a"));
    let b = node(spec("node-b"));
    let _w = worker(&url, &a.base, "worker-1");
    let on_a = Spectator::new(&a.base).await;
    on_a.ready().await;
    let on_b = Spectator::new(&b.base).await;
    on_b.ready().await;

    let alice = a.register("alice").await;
    let bob = b.register("bob").await;
    let first = a.submit(&alice, AC).await;
    let second = b.submit(&bob, WA).await;
    let judged_first = a.wait_status(&alice, first, "done").await;
    let judged_second = b.wait_status(&bob, second, "done").await;

    // A job in flight when Redis dies (and comes back empty).
    let slow = b.submit(&bob, SLOW_AC).await;
    b.wait_status(&bob, slow, "judging").await;
    redis.restart();
    let after = a.submit(&alice, WA).await;
    let later = b.submit(&bob, AC).await;
    for (n, token, id) in [(&b, &bob, slow), (&a, &alice, after), (&b, &bob, later)] {
        n.wait_status(token, id, "done").await;
    }
    // Nothing judged before the restart changed.
    let (_, again) = a
        .call(
            reqwest::Method::GET,
            &format!("/api/submissions/{first}"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(again, judged_first);
    let (_, again) = b
        .call(
            reqwest::Method::GET,
            &format!("/api/submissions/{second}"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(again, judged_second);

    let want = recompute(&database).await;
    assert_eq!(want.len(), 2, "{want:?}");
    converge(&[&on_a, &on_b], &want, "after the Redis restart").await;
    for n in [&a, &b] {
        assert_eq!(rows_by_team(&n.board().await), want, "{}", n.base);
    }
    drop((a, b));
    drop_database(&admin, &database);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_submission_rate_limit_is_shared_by_all_nodes() {
    let Some(redis) = redis_url(4) else { return };
    let Some((admin, database)) = postgres_database("rate") else {
        return;
    };
    flush(&redis);
    let data = tempfile::tempdir().unwrap();
    let spec = |id| NodeSpec {
        rate_burst: 2,
        ..NodeSpec::shared(&redis, id, &database, data.path())
    };
    let a = node(spec("node-a"));
    let b = node(spec("node-b"));
    let alice = a.register("alice").await;
    a.submit(&alice, AC).await;
    b.submit(&alice, AC).await;
    // The third, on either node, waits for the bucket (one more per minute).
    let problem = a.problem_id(1).await;
    let res = a.post_submission(&alice, problem, AC).await;
    assert_eq!(res.status(), 429);
    let wait = retry_after(&res);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], 429, "{body}");
    // Someone else is not limited by alice's bucket.
    let bob = b.register("bob").await;
    b.submit(&bob, AC).await;
    drop((a, b));
    drop_database(&admin, &database);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_cut_off_from_redis_gives_the_contest_up_and_rejoins_as_follower() {
    let Some(redis) = redis_url(6) else { return };
    let Some((admin, database)) = postgres_database("partition") else {
        return;
    };
    flush(&redis);
    // Node A reaches Redis through a proxy that can cut it off.
    let authority = redis
        .trim_start_matches("redis://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let proxy = Proxy::start(authority).await;
    let through_proxy = format!("redis://127.0.0.1:{}/6", proxy.port);
    let data = tempfile::tempdir().unwrap();
    let a = node(NodeSpec::shared(
        &through_proxy,
        "node-a",
        &database,
        data.path(),
    ));
    let b = node(NodeSpec::shared(&redis, "node-b", &database, data.path()));
    let _w = worker(&redis, &b.base, "worker-1");
    let on_a = Spectator::new(&a.base).await;
    on_a.ready().await;
    assert_eq!(owner(&redis), "node-a");
    let on_b = Spectator::new(&b.base).await;
    on_b.ready().await;
    let alice = a.register("alice").await;
    let first = a.submit(&alice, WA).await;
    a.wait_status(&alice, first, "done").await;

    proxy.partition();
    let cut = Instant::now();
    // Node B takes the contest once A's lease runs out; A tells its load balancer.
    while owner(&redis) != "node-b" {
        assert!(cut.elapsed() < Duration::from_secs(30), "B never took over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ready = a
        .http
        .get(format!("{}/readyz", a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let bob = b.register("bob").await;
    let second = b.submit(&bob, AC).await;
    b.wait_status(&bob, second, "done").await;

    // Healed: A follows B, and its spectator catches up.
    proxy.heal();
    let third = a.submit(&alice, AC).await;
    a.wait_status(&alice, third, "done").await;
    assert_eq!(owner(&redis), "node-b");
    let want = recompute(&database).await;
    assert_eq!(want.len(), 2, "{want:?}");
    converge(&[&on_a, &on_b], &want, "after the partition healed").await;
    for n in [&a, &b] {
        assert_eq!(rows_by_team(&n.board().await), want, "{}", n.base);
    }
    {
        let seen = on_b.seen.lock().unwrap();
        assert!(seen.violations.is_empty(), "{:?}", seen.violations);
    }

    // Cut off again, now a follower: A still accepts submissions (they are in
    // PostgreSQL), cannot forward them for longer than its Redis command timeout, and the
    // owner catches up from the store.
    proxy.partition();
    let stranded = a.submit(&bob, WA).await;
    tokio::time::sleep(Duration::from_secs(11)).await;
    proxy.heal();
    let done = b.wait_status(&bob, stranded, "done").await;
    assert_eq!(done["verdict"], "WA", "{done}");
    let want = recompute(&database).await;
    converge(&[&on_a, &on_b], &want, "after the second partition").await;
    drop((a, b));
    drop_database(&admin, &database);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_on_a_private_network_survive_a_partitioned_node() {
    const RUNTIME: &str = "codehub/judge-runtime:1";
    let Some(redis) = redis_url(7) else { return };
    let Some((admin, database)) = postgres_database("containers") else {
        return;
    };
    if !docker_ready(RUNTIME) {
        drop_database(&admin, &database);
        return;
    }
    flush(&redis);
    let cluster = DockerCluster::new(RUNTIME);
    // The containers reach the host's PostgreSQL and Redis through proxies listening on
    // the network's gateway address.
    let authority = |url: &str| {
        let rest = url.split("://").nth(1).unwrap();
        let rest = rest.rsplit('@').next().unwrap();
        rest.split(['/', '?']).next().unwrap().to_owned()
    };
    let pg = Proxy::start_on(&cluster.gateway, authority(&database)).await;
    let rd = Proxy::start_on(&cluster.gateway, authority(&redis)).await;
    let db_name = database
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let db_url = format!(
        "postgres://postgres@{}:{}/{db_name}",
        cluster.gateway, pg.port
    );
    let redis_in = format!("redis://{}:{}/7", cluster.gateway, rd.port);
    let args = [
        "--database-url",
        db_url.as_str(),
        "--redis-url",
        redis_in.as_str(),
        "--remote-judges",
        "--worker-token",
        TOKEN,
        "--jwt-secret",
        JWT_SECRET,
        "--lease-ms",
        "2000",
        "--rate-burst",
        "100",
    ];
    let data = tempfile::tempdir().unwrap();
    let (a_name, a) = cluster.node("node-a", data.path(), &args).await;
    let (_, b) = cluster.node("node-b", data.path(), &args).await;
    let (_, c) = cluster.node("node-c", data.path(), &args).await;
    let (a, b, c) = (Api::new(a), Api::new(b), Api::new(c));
    let gateways = format!("{},{}", b.base, c.base);
    let _w1 = worker(&redis, &gateways, "worker-1");
    let _w2 = worker(&redis, &gateways, "worker-2");

    let [on_a, on_b, on_c] = spectators([&a.base, &b.base, &c.base]).await;
    assert_eq!(owner(&redis), "node-a");
    let alice = b.register("alice").await;
    let bob = c.register("bob").await;
    let s1 = b.submit(&alice, WA).await;
    let s2 = c.submit(&bob, AC).await;
    b.wait_status(&alice, s1, "done").await;
    c.wait_status(&bob, s2, "done").await;
    let want = recompute(&database).await;
    converge(
        &[&on_a, &on_b, &on_c],
        &want,
        "containers, before the partition",
    )
    .await;

    // Cut node A (the owner) off the network: B or C takes the contest over.
    docker(&["network", "disconnect", &cluster.network, &a_name]);
    let cut = Instant::now();
    while !["node-b", "node-c"].contains(&owner(&redis).as_str()) {
        assert!(cut.elapsed() < Duration::from_secs(30), "nobody took over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "containers: partitioned owner replaced after {:?}",
        cut.elapsed()
    );
    let s3 = b.submit(&alice, AC).await;
    b.wait_status(&alice, s3, "done").await;
    let want = recompute(&database).await;
    assert_eq!(want.len(), 2);
    converge(&[&on_b, &on_c], &want, "containers, after the partition").await;
    for n in [&b, &c] {
        assert_eq!(rows_by_team(&n.board().await), want, "{}", n.base);
    }
    for (name, s) in [("on_b", &on_b), ("on_c", &on_c)] {
        let seen = s.seen.lock().unwrap();
        assert!(seen.violations.is_empty(), "{name}: {:?}", seen.violations);
    }
    // Healed: A is back, as a follower.
    docker(&["network", "connect", &cluster.network, &a_name]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_ne!(owner(&redis), "node-a");
    drop((a, b, c));
    drop(cluster);
    drop_database(&admin, &database);
}

/// Reads `base`'s public event feed of `cid` (after `since`) for `for_`: its lines.
async fn feed_lines(base: &str, cid: &str, since: Option<&str>, for_: Duration) -> Vec<Value> {
    feed_lines_until(base, cid, since, for_, |_| false, Duration::ZERO).await
}

/// A contest's event feed on `base` until `done` holds of the lines read (then `grace`
/// more), or `limit` passes.
async fn feed_lines_until(
    base: &str,
    cid: &str,
    since: Option<&str>,
    limit: Duration,
    done: impl Fn(&[Value]) -> bool,
    grace: Duration,
) -> Vec<Value> {
    let mut url = format!("{base}/api/ccs/contests/{cid}/event-feed");
    if let Some(t) = since {
        url.push_str(&format!("?since_token={t}"));
    }
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{url}");
    support::feed::read_lines_until(resp, limit, done, grace).await
}

/// How many submissions have a final judgement (one with a verdict) in feed lines.
fn final_judgements(lines: &[Value]) -> usize {
    lines
        .iter()
        .filter(|l| l["type"] == "judgements" && l["data"]["judgement_type_id"].is_string())
        .map(|l| l["id"].as_str().unwrap_or(""))
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// The newest data of each object in feed lines.
fn fold(lines: &[Value]) -> std::collections::BTreeMap<(String, String), Value> {
    lines
        .iter()
        .map(|l| {
            let key = (
                l["type"].as_str().unwrap().to_owned(),
                l["id"].as_str().unwrap_or("").to_owned(),
            );
            (key, l["data"].clone())
        })
        .collect()
}

fn tokens(lines: &[Value]) -> Vec<i64> {
    lines
        .iter()
        .map(|l| l["token"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_feed_is_one_history_on_every_node_and_resumes_after_a_kill() {
    let Some(redis) = redis_url(8) else { return };
    let Some((admin, database)) = postgres_database("feed") else {
        return;
    };
    flush(&redis);
    let data = tempfile::tempdir().unwrap();
    let spec = |id| NodeSpec::shared(&redis, id, &database, data.path());
    let mut a = node(spec("node-a"));
    let b = node(spec("node-b"));
    let c = node(spec("node-c"));
    let gateways = format!("{},{},{}", a.base, b.base, c.base);
    let _w1 = worker(&redis, &gateways, "worker-1");
    let (_, contest) = a
        .call(reqwest::Method::GET, "/api/contests/1", None, None)
        .await;
    let cid = contest["ccs_id"].as_str().unwrap().to_owned();
    // Its board, asked of node A first, makes node A the owner.
    a.board().await;
    assert_eq!(owner(&redis), "node-a");

    // Readers on every node at once: each node runs a recorder; they race to write. Each
    // reads until the six submissions below are judged, then two seconds more (what the
    // verdicts change after them), at most 90 s.
    let readers: Vec<_> = [&a.base, &b.base, &c.base]
        .into_iter()
        .map(|base| {
            let (base, cid) = (base.clone(), cid.clone());
            tokio::spawn(async move {
                feed_lines_until(
                    &base,
                    &cid,
                    None,
                    Duration::from_secs(90),
                    |lines| final_judgements(lines) >= 6,
                    Duration::from_secs(2),
                )
                .await
            })
        })
        .collect();
    let mut users = Vec::new();
    for (i, n) in [&a, &b, &c].into_iter().enumerate() {
        let token = n.register(&format!("feeder{i}")).await;
        let wa = n.submit(&token, WA).await;
        let ac = n.submit(&token, AC).await;
        users.push((i, token, wa, ac));
    }
    let nodes = [&a, &b, &c];
    for (i, token, wa, ac) in &users {
        nodes[*i].wait_status(token, *wa, "done").await;
        nodes[*i].wait_status(token, *ac, "done").await;
    }
    let live: Vec<Vec<Value>> = futures::future::join_all(readers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    // One history: every token once, in order, on every node; the same final objects.
    for (n, lines) in live.iter().enumerate() {
        let t = tokens(lines);
        assert!(
            t.windows(2).all(|w| w[0] < w[1]),
            "node {n}: tokens in order, none twice: {t:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l["type"] == "judgements" && l["data"]["judgement_type_id"] == "AC"),
            "node {n}"
        );
    }
    assert_eq!(fold(&live[0]), fold(&live[1]));
    assert_eq!(fold(&live[1]), fold(&live[2]));
    let fresh: Vec<Vec<Value>> = futures::future::join_all(
        [&a.base, &b.base, &c.base]
            .map(|base| feed_lines(base, &cid, None, Duration::from_secs(2))),
    )
    .await;
    assert_eq!(fresh[0], fresh[1], "the same sequence from any node");
    assert_eq!(fresh[1], fresh[2], "the same sequence from any node");
    // No change was recorded twice (the nodes' recorders never wrote the same record).
    let store = codehub_store::SqlStore::connect(&database).await.unwrap();
    let log = store
        .events_of_kind(codehub_engine::model::ContestId(1), "ccs", 0)
        .await
        .unwrap();
    let mut last = std::collections::HashMap::new();
    for (id, _, record, _) in &log {
        let key = (
            record["audience"].to_string(),
            record["type"].to_string(),
            record["id"].to_string(),
        );
        let data = record["data"].to_string();
        assert_ne!(
            last.insert(key, data.clone()),
            Some(data),
            "record {id} repeats the previous one: {record}"
        );
    }
    // A client reading from the owner: the owner is killed; it resumes on node C with
    // its last token and misses nothing.
    let token = tokens(&fresh[0]).into_iter().max().unwrap().to_string();
    a.proc.kill9();
    let (_, token_c, ..) = &users[2];
    let late = c.submit(token_c, AC).await;
    c.wait_status(token_c, late, "done").await;
    let resumed = feed_lines(&c.base, &cid, Some(&token), Duration::from_secs(5)).await;
    assert!(
        resumed
            .iter()
            .any(|l| l["type"] == "judgements" && l["id"] == late.to_string().as_str()),
        "the judgement made after the kill: {resumed:?}"
    );
    let mut after_resume = fold(&fresh[0]);
    after_resume.extend(fold(&resumed));
    let everything = fold(&feed_lines(&b.base, &cid, None, Duration::from_secs(2)).await);
    assert_eq!(
        after_resume, everything,
        "resumed with the token: the same objects as a fresh read"
    );
    drop((b, c));
    drop_database(&admin, &database);
}

/// `curl` with SigV4 against the test S3 server: `GET /{bucket}?list-type=2&prefix=…`.
fn s3_keys(url: &str) -> String {
    let rest = url.strip_prefix("s3://").unwrap();
    let (bucket, prefix) = rest.split_once('/').unwrap();
    let var = |name: &str| std::env::var(name).unwrap();
    let out = Command::new("curl")
        .args(["-fsS", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user"])
        .arg(format!(
            "{}:{}",
            var("CODEHUB_TEST_S3_ACCESS_KEY"),
            var("CODEHUB_TEST_S3_SECRET_KEY")
        ))
        .arg(format!(
            "{}/{bucket}?list-type=2&prefix={prefix}%2F",
            var("CODEHUB_TEST_S3_URL")
        ))
        .output()
        .expect("curl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Two nodes and a judge worker that share nothing but PostgreSQL, Redis and an S3 bucket
/// (private data dirs, the worker never talks to a node): packages seeded by the first
/// node are judged by the worker straight from S3, and an avatar uploaded through one
/// node is served by the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_and_a_worker_share_only_postgres_redis_and_s3() {
    let Some(redis) = redis_url(9) else { return };
    let Some(s3) = s3_blobs("cluster") else {
        return;
    };
    let Some((admin, database)) = postgres_database("s3") else {
        return;
    };
    flush(&redis);
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (data_a, data_b) = (data_a.path(), data_b.path());
    // The first node creates the schema and seeds the demo contest's packages into S3.
    let a = node(NodeSpec {
        s3: Some(&s3),
        ..NodeSpec::shared(&redis, "node-a", &database, data_a)
    });
    let password = a.proc.admin_password();
    let b = node(NodeSpec {
        s3: Some(&s3),
        ..NodeSpec::shared(&redis, "node-b", &database, data_b)
    });
    let listing = s3_keys(&s3);
    assert!(
        listing.contains("<Key>"),
        "the packages are in S3: {listing}"
    );
    assert!(
        !data_a.join("blobs").exists() && !data_b.join("blobs").exists(),
        "no node keeps blobs in its data dir"
    );
    let _worker = s3_worker(&redis, &s3, "worker-s3");

    // Submitted through node B, judged by the worker from S3, whichever node owns it.
    let team = b.register("s3team").await;
    let wrong = b.submit(&team, WA).await;
    let right = b.submit(&team, AC).await;
    assert_eq!(b.wait_status(&team, wrong, "done").await["verdict"], "WA");
    assert_eq!(b.wait_status(&team, right, "done").await["verdict"], "AC");

    // An avatar put through node A is served by node B.
    let token = a.login("admin", &password).await;
    let img = image::ImageBuffer::from_fn(40, 30, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let res = a
        .http
        .put(format!("{}/api/me/avatar", a.base))
        .bearer_auth(&token)
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let (_, me) = a
        .call(reqwest::Method::GET, "/api/me", Some(&token), None)
        .await;
    let res = b
        .http
        .get(format!("{}/api/users/{}/avatar", b.base, me["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let served = res.bytes().await.unwrap();
    assert!(
        served.starts_with(b"\x89PNG"),
        "node B serves the avatar from S3"
    );
    drop((a, b));
    drop_database(&admin, &database);
}

/// One exported span, as an OTLP receiver sees it.
#[derive(Debug, Clone)]
struct ReceivedSpan {
    service: String,
    name: String,
    trace_id: Vec<u8>,
    span_id: Vec<u8>,
    parent: Vec<u8>,
}

/// A real OTLP/HTTP trace receiver on loopback (`POST /v1/traces`, protobuf, decoded with
/// `opentelemetry-proto`): the spans it was sent.
async fn otlp_receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<ReceivedSpan>>>) {
    use opentelemetry_proto::tonic::collector::trace::v1::{
        ExportTraceServiceRequest, ExportTraceServiceResponse,
    };
    use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
    use prost::Message;
    let spans = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = spans.clone();
    let app = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let request = ExportTraceServiceRequest::decode(body).expect("OTLP protobuf");
                for resource in request.resource_spans {
                    let service = resource
                        .resource
                        .iter()
                        .flat_map(|r| &r.attributes)
                        .find(|kv| kv.key == "service.name")
                        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
                            Any::StringValue(s) => Some(s.clone()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    for scope in resource.scope_spans {
                        for span in scope.spans {
                            seen.lock().unwrap().push(ReceivedSpan {
                                service: service.clone(),
                                name: span.name,
                                trace_id: span.trace_id,
                                span_id: span.span_id,
                                parent: span.parent_span_id,
                            });
                        }
                    }
                }
                (
                    [("content-type", "application/x-protobuf")],
                    ExportTraceServiceResponse::default().encode_to_vec(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (endpoint, spans)
}

/// One submission is one connected trace across the node and the worker process: the
/// HTTP request, the node's judging, the worker's judging and test runs, the verdict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_is_one_trace_across_node_and_worker() {
    let Some(redis) = redis_url(10) else { return };
    flush(&redis);
    let (endpoint, spans) = otlp_receiver().await;
    let env = vec![
        ("OTEL_EXPORTER_OTLP_ENDPOINT".to_owned(), endpoint),
        ("OTEL_BSP_SCHEDULE_DELAY".to_owned(), "100".to_owned()),
    ];
    let node = node(NodeSpec {
        env: &env,
        ..NodeSpec::alone(&redis, "node-traced")
    });
    let _worker = worker_with_env(&redis, &node.base, "worker-traced", &env);
    let team = node.register("traced").await;
    let id = node.submit(&team, AC).await;
    assert_eq!(node.wait_status(&team, id, "done").await["verdict"], "AC");

    // The request's span is the root; everything else hangs under it.
    let deadline = Instant::now() + Duration::from_secs(30);
    let (root, trace) = loop {
        let all = spans.lock().unwrap().clone();
        let root = all
            .iter()
            .find(|s| s.name == "POST /api/submissions" && s.parent.is_empty())
            .cloned();
        if let Some(root) = root {
            let trace: Vec<ReceivedSpan> = all
                .into_iter()
                .filter(|s| s.trace_id == root.trace_id)
                .collect();
            let names: Vec<&str> = trace.iter().map(|s| s.name.as_str()).collect();
            if ["judge", "worker judge", "test", "verdict"]
                .iter()
                .all(|n| names.contains(n))
            {
                break (root, trace);
            }
        }
        assert!(
            Instant::now() < deadline,
            "no complete trace; spans so far: {:?}",
            spans
                .lock()
                .unwrap()
                .iter()
                .map(|s| (&s.service, &s.name))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let one = |name: &str| trace.iter().find(|s| s.name == name).unwrap().clone();
    let (judge, remote, verdict) = (one("judge"), one("worker judge"), one("verdict"));
    assert_eq!(root.service, "codehub");
    assert_eq!(
        (judge.service.as_str(), judge.parent.clone()),
        ("codehub", root.span_id.clone())
    );
    assert_eq!(
        verdict.parent, root.span_id,
        "the verdict's publication is under the request"
    );
    assert_eq!(
        (remote.service.as_str(), remote.parent.clone()),
        ("codehub-judge-worker", judge.span_id.clone()),
        "the worker continues the node's judging span"
    );
    let tests: Vec<&ReceivedSpan> = trace.iter().filter(|s| s.name == "test").collect();
    assert!(
        tests
            .iter()
            .all(|t| t.parent == remote.span_id && t.service == "codehub-judge-worker"),
        "{tests:?}"
    );
}
