//! The Contest API (2026-01) end to end: a contest played through CodeHub's API with
//! submissions of several verdicts, a freeze, clarifications and awards; every endpoint
//! and every event-feed line validated against the schemas (with the errata) for the
//! public, a team and the jury; referential integrity; the scoreboard recomputed from
//! submissions and judgements; `since_token` resumption, also after a restart.

use super::ccs_schemas::check;
use super::helpers::{Options, TestApp, now_ms, problems_dir, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

/// How a request authenticates.
#[derive(Clone, Copy)]
enum Auth<'a> {
    Public,
    Basic(&'a str, &'a str),
    Bearer(&'a str),
}

fn request(app: &TestApp, path: &str, auth: Auth) -> reqwest::RequestBuilder {
    let req = app.client.get(format!("{}/api/ccs/{path}", app.base));
    match auth {
        Auth::Public => req,
        Auth::Basic(u, p) => req.basic_auth(u, Some(p)),
        Auth::Bearer(t) => req.bearer_auth(t),
    }
}

async fn get(app: &TestApp, path: &str, auth: Auth<'_>) -> (u16, Value) {
    let resp = request(app, path, auth).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// GETs `path`, asserts 200 and that the body validates against `schema`.
async fn valid(app: &TestApp, path: &str, auth: Auth<'_>, schema: &str) -> Value {
    let (status, body) = get(app, path, auth).await;
    assert_eq!(status, 200, "{path}: {body}");
    if let Err(e) = check(schema, &body) {
        panic!("{path} does not validate against {schema}:\n{e}\n{body:#}");
    }
    body
}

/// A feed read in the background until it ends (or `limit` passes): its lines.
fn read_feed(
    app: &TestApp,
    path: String,
    auth: Auth<'static>,
) -> tokio::task::JoinHandle<Vec<Value>> {
    read_feed_for(app, path, auth, Duration::from_secs(240))
}

/// A feed read in the background until it ends or `limit` passes: its lines.
fn read_feed_for(
    app: &TestApp,
    path: String,
    auth: Auth<'static>,
    limit: Duration,
) -> tokio::task::JoinHandle<Vec<Value>> {
    read_feed_until(app, path, auth, limit, |_| false, Duration::ZERO)
}

/// A feed read in the background until a line satisfies `until` (then for `grace` more,
/// to catch what should not follow), or it ends, or `limit` passes: its lines.
fn read_feed_until(
    app: &TestApp,
    path: String,
    auth: Auth<'static>,
    limit: Duration,
    until: impl Fn(&Value) -> bool + Send + 'static,
    grace: Duration,
) -> tokio::task::JoinHandle<Vec<Value>> {
    let req = request(app, &path, auth);
    tokio::spawn(async move {
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{path}");
        assert_eq!(resp.headers()["content-type"], "application/x-ndjson");
        let done = move |lines: &[Value]| lines.iter().any(&until);
        crate::feed::read_lines_until(resp, limit, done, grace).await
    })
}

/// Checks feed lines against the schemas and returns the final state of each object.
fn fold_feed(who: &str, lines: &[Value]) -> BTreeMap<(String, String), Value> {
    let mut objects = BTreeMap::new();
    let mut tokens = HashSet::new();
    for line in lines {
        if let Err(e) = check("event-feed.json", line) {
            panic!("{who}: feed line does not validate:\n{e}\n{line:#}");
        }
        assert!(
            tokens.insert(line["token"].as_str().unwrap().to_owned()),
            "{who}: token repeated: {line}"
        );
        let id = line["id"].as_str().unwrap_or("").to_owned();
        objects.insert(
            (line["type"].as_str().unwrap().to_owned(), id),
            line["data"].clone(),
        );
    }
    let last = lines.last().expect("events");
    assert_eq!(
        last["type"], "state",
        "{who}: the feed ends with the state: {last}"
    );
    assert!(last["data"]["end_of_updates"].is_string(), "{who}: {last}");
    objects
}

/// The objects of one type in a folded feed (deleted ones left out), by id.
fn of_type(objects: &BTreeMap<(String, String), Value>, kind: &str) -> BTreeMap<String, Value> {
    objects
        .iter()
        .filter(|((k, _), v)| k == kind && !v.is_null())
        .map(|((_, id), v)| (id.clone(), v.clone()))
        .collect()
}

/// Every collection for one viewer, validated, with referential integrity and each
/// object equal to its `/{id}`; returns the collections.
async fn check_endpoints(
    app: &TestApp,
    cid: &str,
    auth: Auth<'_>,
    who: &str,
) -> HashMap<String, Vec<Value>> {
    let access = valid(app, &format!("contests/{cid}/access"), auth, "access.json").await;
    let allowed: HashMap<String, HashSet<String>> = access["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let props = e["properties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned());
            (e["type"].as_str().unwrap().to_owned(), props.collect())
        })
        .collect();
    let mut all = HashMap::new();
    for kind in [
        "judgement-types",
        "languages",
        "problems",
        "groups",
        "organizations",
        "teams",
        "accounts",
        "submissions",
        "judgements",
        "runs",
        "clarifications",
        "awards",
    ] {
        let path = format!("contests/{cid}/{kind}");
        let Some(props) = allowed.get(kind) else {
            let (status, body) = get(app, &path, auth).await;
            assert_eq!(
                status, 404,
                "{who}: {kind} is not in access but served: {body}"
            );
            continue;
        };
        let items = valid(app, &path, auth, &format!("{kind}.json")).await;
        for item in items.as_array().unwrap() {
            for key in item.as_object().unwrap().keys() {
                assert!(props.contains(key), "{who}: {kind}.{key} is not in access");
            }
            let id = item["id"].as_str().unwrap();
            let one = valid(
                app,
                &format!("{path}/{id}"),
                auth,
                &format!("{}.json", kind.trim_end_matches('s')),
            )
            .await;
            assert_eq!(&one, item, "{who}: {kind}/{id}");
        }
        all.insert(kind.to_owned(), items.as_array().unwrap().clone());
    }
    // Referential integrity.
    let ids = |kind: &str| -> HashSet<String> {
        all.get(kind)
            .map(|v| {
                v.iter()
                    .map(|o| o["id"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let refs: &[(&str, &str, &str)] = &[
        ("submissions", "problem_id", "problems"),
        ("submissions", "team_id", "teams"),
        ("submissions", "language_id", "languages"),
        ("judgements", "submission_id", "submissions"),
        ("judgements", "judgement_type_id", "judgement-types"),
        ("runs", "judgement_id", "judgements"),
        ("runs", "judgement_type_id", "judgement-types"),
        ("clarifications", "from_team_id", "teams"),
        ("clarifications", "reply_to_id", "clarifications"),
        ("clarifications", "problem_id", "problems"),
        ("accounts", "team_id", "teams"),
    ];
    for (kind, key, target) in refs {
        let targets = ids(target);
        for o in all.get(*kind).into_iter().flatten() {
            if let Some(r) = o[*key].as_str() {
                assert!(
                    targets.contains(r),
                    "{who}: {kind} {} refers to a missing {target} `{r}`",
                    o["id"]
                );
            }
        }
    }
    for (kind, key) in [("awards", "team_ids"), ("clarifications", "to_team_ids")] {
        for o in all.get(kind).into_iter().flatten() {
            for r in o[key].as_array().into_iter().flatten() {
                assert!(
                    ids("teams").contains(r.as_str().unwrap()),
                    "{who}: {kind} {} names a missing team {r}",
                    o["id"]
                );
            }
        }
    }
    all
}

/// The ICPC scoreboard recomputed from submissions and judgements: per team, (solved,
/// penalty minutes).
fn recompute(
    submissions: &[Value],
    judgements: &[Value],
    penalty: i64,
) -> BTreeMap<String, (u64, i64)> {
    let verdict: HashMap<&str, &str> = judgements
        .iter()
        .filter_map(|j| {
            Some((
                j["submission_id"].as_str()?,
                j["judgement_type_id"].as_str()?,
            ))
        })
        .collect();
    let minutes = |rel: &str| -> i64 {
        let mut parts = rel.split(':');
        let h: i64 = parts.next().unwrap().parse().unwrap();
        let m: i64 = parts.next().unwrap().parse().unwrap();
        h * 60 + m
    };
    let mut tries: BTreeMap<(String, String), (i64, Option<i64>)> = BTreeMap::new();
    let mut subs: Vec<&Value> = submissions.iter().collect();
    subs.sort_by_key(|s| s["id"].as_str().unwrap().parse::<i64>().unwrap());
    for s in subs {
        let key = (
            s["team_id"].as_str().unwrap().to_owned(),
            s["problem_id"].as_str().unwrap().to_owned(),
        );
        let entry = tries.entry(key).or_insert((0, None));
        if entry.1.is_some() {
            continue;
        }
        match verdict.get(s["id"].as_str().unwrap()).copied() {
            Some("AC") => entry.1 = Some(minutes(s["contest_time"].as_str().unwrap())),
            Some("CE") | Some("JE") | None => {}
            Some(_) => entry.0 += 1,
        }
    }
    let mut out: BTreeMap<String, (u64, i64)> = BTreeMap::new();
    for ((team, _), (wrong, solved)) in tries {
        let row = out.entry(team).or_default();
        if let Some(at) = solved {
            row.0 += 1;
            row.1 += at + wrong * penalty;
        }
    }
    out
}

#[tokio::test]
async fn a_contest_through_the_contest_api_validates_for_every_viewer() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let now = now_ms();
    let contest = app
        .contest(
            &admin,
            "wf-ccs",
            &[hello],
            json!({"start_at": now - 600_000, "end_at": now + 3_600_000}),
        )
        .await;
    let cid = "wf-ccs";
    let (alice, alice_id) = app.register("alice_ccs").await;
    let (bob, bob_id) = app.register("bob_ccs").await;
    for t in [&alice, &bob] {
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(t),
            json!({}),
        )
        .await;
    }
    let (alice_team, bob_team) = (alice_id.to_string(), bob_id.to_string());
    let admin_auth: Auth<'static> = Auth::Bearer(Box::leak(admin.clone().into_boxed_str()));
    let alice_auth = Auth::Basic("alice_ccs", "correct horse");

    // API information, contests, and bad credentials.
    let info = valid(&app, "", Auth::Public, "api_information.json").await;
    assert_eq!(info["version"], "2026-01");
    valid(&app, "contests", Auth::Public, "contests.json").await;
    let (status, body) = get(
        &app,
        &format!("contests/{cid}/teams"),
        Auth::Basic("alice_ccs", "wrong"),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (401, Some(401)), "{body}");
    let (status, _) = get(&app, "contests/nope", Auth::Public).await;
    assert_eq!(status, 404);

    // Feeds from the start, for each viewer.
    let feed = format!("contests/{cid}/event-feed");
    let admin_feed = read_feed(&app, feed.clone(), admin_auth);
    let public_feed = read_feed(&app, feed.clone(), Auth::Public);
    let alice_feed = read_feed(
        &app,
        feed.clone(),
        Auth::Basic("alice_ccs", "correct horse"),
    );

    // Before the freeze: AC, WA, RTE, CE.
    let src = |dir: &str, file: &str| {
        std::fs::read_to_string(
            problems_dir()
                .join("hello/submissions")
                .join(dir)
                .join(file),
        )
        .unwrap()
    };
    let mut ids = Vec::new();
    for (token, dir, file) in [
        (&alice, "accepted", "hello.py"),
        (&alice, "wrong_answer", "no_bang.py"),
        (&bob, "run_time_error", "raise.py"),
        (&bob, "compile_error", "syntax.py"),
    ] {
        let (status, s) = app
            .submit(token, Some(contest), hello, file, &src(dir, file))
            .await;
        assert_eq!(status, 202, "{s}");
        ids.push((token.clone(), s["id"].as_i64().unwrap()));
    }
    for (token, id) in &ids {
        app.wait_judged(token, *id).await;
    }
    // Freeze, then a TLE for alice and an AC for bob.
    let (status, body) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"freeze_at": now_ms() - 1})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mut frozen_ids = Vec::new();
    for (token, dir, file) in [
        (&alice, "time_limit_exceeded", "spin.py"),
        (&bob, "accepted", "hello.py"),
    ] {
        let (status, s) = app
            .submit(token, Some(contest), hello, file, &src(dir, file))
            .await;
        assert_eq!(status, 202, "{s}");
        let id = s["id"].as_i64().unwrap();
        app.wait_judged(token, id).await;
        frozen_ids.push(id.to_string());
    }
    // Clarifications: a question, a private answer, an announcement.
    let clars = format!("/api/contests/{contest}/clarifications");
    let (status, q) = app
        .post(
            &clars,
            Some(&alice),
            json!({"text": "Is the output case-sensitive?", "problem_id": hello}),
        )
        .await;
    assert_eq!(status, 201, "{q}");
    let (status, a) = app
        .post(
            &clars,
            Some(&admin),
            json!({"text": "Yes.", "reply_to_id": q["id"]}),
        )
        .await;
    assert_eq!(status, 201, "{a}");
    let (status, n) = app
        .post(
            &clars,
            Some(&admin),
            json!({"text": "Five minutes left.", "to_all": true}),
        )
        .await;
    assert_eq!(status, 201, "{n}");
    // Bob's question answered to every team: only bob sees which question it answers.
    let bob_token = bob.clone();
    let (status, bq) = app
        .post(
            &clars,
            Some(&bob_token),
            json!({"text": "Is the judge's output final?"}),
        )
        .await;
    assert_eq!(status, 201, "{bq}");
    let (status, ba) = app
        .post(
            &clars,
            Some(&admin),
            json!({"text": "Yes, for everyone.", "reply_to_id": bq["id"], "to_all": true}),
        )
        .await;
    assert_eq!(status, 201, "{ba}");
    let answer_to_all = ba["id"].to_string();

    // During the freeze the public feed shows the new submissions, not their results.
    // Read until the last frozen submission's line, then a second more: its judgement
    // must not follow.
    let last_frozen = frozen_ids[1].clone();
    let during = read_feed_until(
        &app,
        feed.clone(),
        Auth::Public,
        Duration::from_secs(60),
        move |l| l["type"] == "submissions" && l["id"] == last_frozen.as_str(),
        Duration::from_secs(1),
    )
    .await
    .unwrap();
    let shown = |kind: &str, id: &str| during.iter().any(|l| l["type"] == kind && l["id"] == id);
    assert!(shown("submissions", &frozen_ids[1]) && !shown("judgements", &frozen_ids[1]));
    assert!(shown("judgements", &ids[0].1.to_string()));

    // During the freeze, every viewer's endpoints validate; each sees what it may.
    let public = check_endpoints(&app, cid, Auth::Public, "public").await;
    let team = check_endpoints(&app, cid, alice_auth, "alice").await;
    let jury = check_endpoints(&app, cid, admin_auth, "jury").await;
    let judged = |all: &HashMap<String, Vec<Value>>| -> HashSet<String> {
        all["judgements"]
            .iter()
            .map(|j| j["submission_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (tle, late_ac) = (&frozen_ids[0], &frozen_ids[1]);
    assert!(
        !judged(&public).contains(tle) && !judged(&public).contains(late_ac),
        "the public sees no result of the freeze"
    );
    assert!(
        judged(&team).contains(tle) && !judged(&team).contains(late_ac),
        "a team sees its own results only"
    );
    assert!(judged(&jury).contains(tle) && judged(&jury).contains(late_ac));
    assert_eq!(
        public["submissions"].len(),
        6,
        "submissions are public (without files)"
    );
    assert!(
        public["submissions"]
            .iter()
            .all(|s| s.get("files").is_none_or(|f| f == &json!([])))
    );
    assert!(!public.contains_key("runs") && !public.contains_key("accounts"));
    assert_eq!(team["accounts"].len(), 1, "a team sees its own account");
    let texts = |all: &HashMap<String, Vec<Value>>| -> Vec<String> {
        all["clarifications"]
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(texts(&public), ["Five minutes left.", "Yes, for everyone."]);
    assert_eq!(texts(&team).len(), 4);
    let reply_of = |all: &HashMap<String, Vec<Value>>| -> Value {
        all["clarifications"]
            .iter()
            .find(|c| c["id"] == answer_to_all.as_str())
            .unwrap()["reply_to_id"]
            .clone()
    };
    assert_eq!(
        reply_of(&public),
        Value::Null,
        "the public cannot see bob's question"
    );
    assert_eq!(reply_of(&team), Value::Null, "nor can alice");
    assert_eq!(reply_of(&jury), bq["id"].to_string().as_str());
    let (_, bob_view) = get(
        &app,
        &format!("contests/{cid}/clarifications"),
        Auth::Basic("bob_ccs", "correct horse"),
    )
    .await;
    assert_eq!(
        bob_view.as_array().unwrap().len(),
        3,
        "bob sees the announcement, his question and its answer: {bob_view}"
    );
    let bobs_answer = bob_view
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == answer_to_all.as_str())
        .unwrap();
    assert_eq!(
        bobs_answer["reply_to_id"],
        bq["id"].to_string().as_str(),
        "the asker sees the link"
    );
    let verdicts: HashSet<&str> = jury["judgements"]
        .iter()
        .filter_map(|j| j["judgement_type_id"].as_str())
        .collect();
    assert_eq!(verdicts, HashSet::from(["AC", "WA", "RTE", "CE", "TLE"]));
    assert!(!jury["runs"].is_empty());

    // Filters on ID properties; others refused.
    let (_, mine) = get(
        &app,
        &format!("contests/{cid}/submissions?team_id={alice_team}"),
        admin_auth,
    )
    .await;
    assert_eq!(mine.as_array().unwrap().len(), 3);
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|s| s["team_id"] == alice_team.as_str())
    );
    let (_, general) = get(
        &app,
        &format!("contests/{cid}/clarifications?problem_id="),
        admin_auth,
    )
    .await;
    // Alice's question and its answer are about a problem; the rest is general.
    let general: Vec<&str> = general
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        general,
        [
            "Five minutes left.",
            "Is the judge's output final?",
            "Yes, for everyone."
        ]
    );
    let (status, body) = get(
        &app,
        &format!("contests/{cid}/submissions?text=x"),
        admin_auth,
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // Submission files: the team and the jury; not the public.
    let files = request(
        &app,
        &format!("contests/{cid}/submissions/{}/files", ids[0].1),
        alice_auth,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(files.status().as_u16(), 200);
    let zip = files.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    assert_eq!(archive.by_index(0).unwrap().name(), "hello.py");
    let (status, _) = get(
        &app,
        &format!("contests/{cid}/submissions/{}/files", ids[0].1),
        Auth::Public,
    )
    .await;
    assert_eq!(status, 404);

    // The scoreboard: valid, frozen for the public, equal to a recomputation for the jury.
    let public_board = valid(
        &app,
        &format!("contests/{cid}/scoreboard"),
        Auth::Public,
        "scoreboard.json",
    )
    .await;
    let jury_board = valid(
        &app,
        &format!("contests/{cid}/scoreboard"),
        admin_auth,
        "scoreboard.json",
    )
    .await;
    let solved = |board: &Value, team: &str| {
        board["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team_id"] == team)
            .unwrap()["score"]["num_solved"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(
        (
            solved(&public_board, &bob_team),
            solved(&jury_board, &bob_team)
        ),
        (0, 1)
    );
    let expected = recompute(&jury["submissions"], &jury["judgements"], 20);
    for row in jury_board["rows"].as_array().unwrap() {
        let team = row["team_id"].as_str().unwrap();
        let total = row["score"]["total_time"].as_str().unwrap();
        let (h, m) = {
            let mut p = total.split(':');
            (
                p.next().unwrap().parse::<i64>().unwrap(),
                p.next().unwrap().parse::<i64>().unwrap(),
            )
        };
        let want = expected.get(team).copied().unwrap_or_default();
        assert_eq!(
            (row["score"]["num_solved"].as_u64().unwrap(), h * 60 + m),
            want,
            "{row}"
        );
    }
    let (status, _) = get(
        &app,
        &format!("contests/{cid}/scoreboard?group_id=x"),
        Auth::Public,
    )
    .await;
    assert_eq!(status, 400);

    // The end: the contest ends, the board is thawed, the results are final.
    let (status, body) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"end_at": now_ms() - 10})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/contests/{contest}/unfreeze"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert!(status < 300, "{body}");
    let state = valid(
        &app,
        &format!("contests/{cid}/state"),
        Auth::Public,
        "state.json",
    )
    .await;
    for key in [
        "started",
        "frozen",
        "ended",
        "thawed",
        "finalized",
        "end_of_updates",
    ] {
        assert!(state[key].is_string(), "{key}: {state}");
    }
    let awards = check_endpoints(&app, cid, Auth::Public, "public after").await["awards"].clone();
    let award = |id: &str| {
        awards
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        award("winner")["team_ids"],
        json!([alice_team]),
        "{awards:?}"
    );
    assert_eq!(
        award("first-to-solve-t-hello")["team_ids"],
        json!([alice_team]),
        "{awards:?}"
    );

    // Every feed ended with end_of_updates; its final objects equal what GET says.
    let admin_lines = tokio::time::timeout(Duration::from_secs(60), admin_feed)
        .await
        .expect("the jury's feed ends")
        .unwrap();
    let public_lines = tokio::time::timeout(Duration::from_secs(60), public_feed)
        .await
        .expect("the public feed ends")
        .unwrap();
    let alice_lines = tokio::time::timeout(Duration::from_secs(60), alice_feed)
        .await
        .expect("alice's feed ends")
        .unwrap();
    let jury_objects = fold_feed("jury", &admin_lines);
    let public_objects = fold_feed("public", &public_lines);
    let alice_objects = fold_feed("alice", &alice_lines);
    let jury_now = check_endpoints(&app, cid, admin_auth, "jury after").await;
    let public_now = check_endpoints(&app, cid, Auth::Public, "public after").await;
    let alice_now = check_endpoints(&app, cid, alice_auth, "alice after").await;
    for (who, objects, now) in [
        ("jury", &jury_objects, &jury_now),
        ("public", &public_objects, &public_now),
        ("alice", &alice_objects, &alice_now),
    ] {
        for (kind, items) in now {
            let by_id: BTreeMap<String, Value> = items
                .iter()
                .map(|o| (o["id"].as_str().unwrap().to_owned(), o.clone()))
                .collect();
            assert_eq!(
                of_type(objects, kind),
                by_id,
                "{who}: feed and GET disagree on {kind}"
            );
        }
    }
    assert!(
        public_lines
            .iter()
            .all(|l| l["type"] != "runs" && l["type"] != "accounts")
    );
    let late = public_lines
        .iter()
        .filter(|l| l["type"] == "judgements" && l["id"] == late_ac.as_str())
        .count();
    assert_eq!(
        late, 1,
        "the public got the freeze's result once, at the thaw"
    );

    // Resuming: from a token in the middle, the rest without duplicates; a bad token is
    // refused.
    let middle = &admin_lines[admin_lines.len() / 2];
    let token = middle["token"].as_str().unwrap().to_owned();
    let resumed = read_feed(&app, format!("{feed}?since_token={token}"), admin_auth)
        .await
        .unwrap();
    let after: Vec<&str> = admin_lines[admin_lines.len() / 2 + 1..]
        .iter()
        .map(|l| l["token"].as_str().unwrap())
        .collect();
    let got: Vec<&str> = resumed
        .iter()
        .map(|l| l["token"].as_str().unwrap())
        .collect();
    assert!(
        got.iter()
            .all(|t| t.parse::<i64>().unwrap() > token.parse::<i64>().unwrap()),
        "{got:?}"
    );
    let got_set: HashSet<&str> = got.iter().copied().collect();
    assert_eq!(got_set.len(), got.len(), "no duplicates");
    for (kind_id, data) in &fold_feed("jury resumed", &resumed) {
        assert_eq!(jury_objects.get(kind_id), Some(data), "{kind_id:?}");
    }
    assert!(after.iter().filter(|t| !got_set.contains(*t)).all(|t| {
        // Left out only if superseded by a later record of the same object.
        let line = admin_lines.iter().find(|l| l["token"] == *t).unwrap();
        resumed
            .iter()
            .any(|l| l["type"] == line["type"] && l["id"] == line["id"])
    }));
    for bad in ["abc", "0", "999999999"] {
        let (status, body) = get(&app, &format!("{feed}?since_token={bad}"), admin_auth).await;
        assert_eq!(
            (status, body["code"].as_i64()),
            (400, Some(400)),
            "{bad}: {body}"
        );
    }

    // Tokens survive a restart.
    let data_dir = app.data_dir.clone();
    let admin_password = app.admin_password.clone();
    let mut app = app;
    app.child.kill().unwrap();
    app.child.wait().unwrap();
    let mut again = spawn_app_with(Options {
        data_dir: Some(data_dir),
        ..Options::default()
    });
    again.admin_password = admin_password;
    let admin = again.admin().await;
    let admin_auth: Auth<'static> = Auth::Bearer(Box::leak(admin.into_boxed_str()));
    let resumed_again = read_feed(&again, format!("{feed}?since_token={token}"), admin_auth)
        .await
        .unwrap();
    assert_eq!(
        resumed_again
            .iter()
            .map(|l| l["token"].clone())
            .collect::<Vec<_>>(),
        resumed
            .iter()
            .map(|l| l["token"].clone())
            .collect::<Vec<_>>(),
        "the same records after a restart"
    );
}

#[tokio::test]
async fn the_api_refuses_what_it_does_not_serve() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    app.contest(&admin, "tiny", &[hello], json!({})).await;
    for (path, code) in [
        ("contests/tiny/nonsense", 404),
        ("contests/tiny/submissions/12345", 404),
        ("contests/tiny/account", 404),
        ("contests/tiny/runs", 404),
        ("contests/tiny/event-feed?since_token=-3", 400),
    ] {
        let (status, body) = get(&app, path, Auth::Public).await;
        assert_eq!(
            (status, body["code"].as_i64()),
            (code, Some(code as i64)),
            "{path}: {body}"
        );
    }
    let (status, me) = get(&app, "contests/tiny/account", Auth::Bearer(&admin)).await;
    assert_eq!(status, 200, "{me}");
    check("account.json", &me).unwrap();
    assert_eq!(me["type"], "admin");
}

/// A request with a JSON body.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    auth: Auth<'_>,
    body: Value,
) -> (u16, Option<String>, Value) {
    let req = app
        .client
        .request(method, format!("{}/api/ccs/{path}", app.base))
        .json(&body);
    let req = match auth {
        Auth::Public => req,
        Auth::Basic(u, p) => req.basic_auth(u, Some(p)),
        Auth::Bearer(t) => req.bearer_auth(t),
    };
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    (status, location, resp.json().await.unwrap_or(Value::Null))
}

/// A base64 zip holding `files`.
fn archive(files: &[(&str, &str)]) -> Value {
    use base64::Engine as _;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, contents) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, contents.as_bytes()).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    json!([{"data": base64::engine::general_purpose::STANDARD.encode(bytes), "mime": "application/zip"}])
}

#[tokio::test]
async fn external_tools_submit_clarify_start_and_thaw_through_the_api() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let now = now_ms();
    let contest = app
        .contest(
            &admin,
            "write-side",
            &[hello],
            json!({"freeze_at": now - 1000}),
        )
        .await;
    let (alice, alice_id) = app.register("alice_writes").await;
    let (bob, bob_id) = app.register("bob_writes").await;
    for t in [&alice, &bob] {
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(t),
            json!({}),
        )
        .await;
    }
    let alice_auth = Auth::Basic("alice_writes", "correct horse");
    let admin_auth = Auth::Bearer(&admin);
    let cid = "write-side";
    let source =
        std::fs::read_to_string(problems_dir().join("hello/submissions/accepted/hello.py"))
            .unwrap();

    // Capabilities by caller.
    let caps = |v: Value| -> Vec<String> {
        v["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        caps(
            valid(
                &app,
                &format!("contests/{cid}/access"),
                alice_auth,
                "access.json"
            )
            .await
        ),
        ["team_submit", "post_clar"]
    );
    assert_eq!(
        caps(
            valid(
                &app,
                &format!("contests/{cid}/access"),
                admin_auth,
                "access.json"
            )
            .await
        ),
        ["proxy_submit", "post_clar", "contest_start", "contest_thaw"]
    );
    assert!(
        caps(
            valid(
                &app,
                &format!("contests/{cid}/access"),
                Auth::Public,
                "access.json"
            )
            .await
        )
        .is_empty()
    );

    // team_submit: a zip of files at its root.
    let path = format!("contests/{cid}/submissions");
    let body = json!({"language_id": "python3", "problem_id": "t-hello", "files": archive(&[("hello.py", &source)])});
    let (status, location, created) =
        send(&app, reqwest::Method::POST, &path, alice_auth, body.clone()).await;
    assert_eq!(status, 201, "{created}");
    check("submission.json", &created).unwrap();
    assert_eq!(created["team_id"], alice_id.to_string());
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        location.unwrap(),
        format!("/api/ccs/contests/{cid}/submissions/{id}")
    );
    app.wait_judged(&alice, id.parse().unwrap()).await;
    let judgement = valid(
        &app,
        &format!("contests/{cid}/judgements/{id}"),
        alice_auth,
        "judgement.json",
    )
    .await;
    assert_eq!(judgement["judgement_type_id"], "AC");

    // Refusals, each with its reason.
    let mut other_team = body.clone();
    other_team["team_id"] = json!(bob_id.to_string());
    let mut unknown_problem = body.clone();
    unknown_problem["problem_id"] = json!("nope");
    let mut with_time = body.clone();
    with_time["time"] = json!("2026-01-01T00:00:00.000Z");
    let mut not_base64 = body.clone();
    not_base64["files"] = json!([{"data": "***"}]);
    let mut nested = body.clone();
    nested["files"] = archive(&[("src/hello.py", &source)]);
    let mut two = body.clone();
    two["files"] = json!([archive(&[("a.py", "")])[0], archive(&[("b.py", "")])[0]]);
    // A zip bomb: 5 MiB of one letter compresses to a few KiB.
    let mut bomb = body.clone();
    bomb["files"] = archive(&[("hello.py", &"a".repeat(5 << 20))]);
    let mut crowd = body.clone();
    let names: Vec<String> = (0..65).map(|i| format!("f{i}.py")).collect();
    let many: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
    crowd["files"] = archive(&many);
    for (auth, body, code, needle) in [
        (alice_auth, bomb, 413, "unpacks to more than"),
        (alice_auth, crowd, 400, "more than 64 entries"),
        (alice_auth, other_team, 403, "as itself"),
        (alice_auth, unknown_problem, 422, "unknown problem"),
        (alice_auth, with_time, 400, "`time` may not be given"),
        (alice_auth, not_base64, 400, "not base64"),
        (alice_auth, nested, 400, "root"),
        (alice_auth, two, 400, "exactly one archive"),
        (Auth::Public, body.clone(), 401, "sign in"),
        (admin_auth, body.clone(), 400, "`team_id` is required"),
    ] {
        let (status, _, e) = send(&app, reqwest::Method::POST, &path, auth, body).await;
        assert_eq!(
            (status, e["code"].as_i64()),
            (code, Some(code as i64)),
            "{needle}: {e}"
        );
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{needle}: {e}"
        );
    }
    // proxy_submit: the jury for a team.
    let mut proxied = body.clone();
    proxied["team_id"] = json!(bob_id.to_string());
    let (status, _, created) = send(&app, reqwest::Method::POST, &path, admin_auth, proxied).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["team_id"], bob_id.to_string());
    check("submission.json", &created).unwrap();

    // post_clar: a team asks; the jury answers it privately and announces.
    let clars = format!("contests/{cid}/clarifications");
    let (status, _, q) = send(
        &app,
        reqwest::Method::POST,
        &clars,
        alice_auth,
        json!({"text": "Trailing newline?", "problem_id": "t-hello"}),
    )
    .await;
    assert_eq!(status, 201, "{q}");
    check("clarification.json", &q).unwrap();
    assert_eq!(q["from_team_id"], alice_id.to_string());
    let (status, _, e) = send(
        &app,
        reqwest::Method::POST,
        &clars,
        alice_auth,
        json!({"text": "x", "to_team_ids": [bob_id.to_string()]}),
    )
    .await;
    assert_eq!(status, 400, "{e}");
    let (status, _, a) = send(
        &app,
        reqwest::Method::POST,
        &clars,
        admin_auth,
        json!({"text": "Yes.", "reply_to_id": q["id"]}),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        (a["reply_to_id"].clone(), a["to_team_ids"].clone()),
        (q["id"].clone(), json!([alice_id.to_string()]))
    );
    let (status, _, n) = send(
        &app,
        reqwest::Method::POST,
        &clars,
        admin_auth,
        json!({"text": "Lunch is served."}),
    )
    .await;
    assert_eq!(status, 201, "{n}");
    assert!(
        n["to_team_ids"].is_null() && n["from_team_id"].is_null(),
        "{n}"
    );
    let (_, bob_sees) = get(&app, &clars, Auth::Basic("bob_writes", "correct horse")).await;
    assert_eq!(bob_sees.as_array().unwrap().len(), 1, "{bob_sees}");

    // contest_thaw: refused before the end; after it, thaws now with 200.
    let contest_path = format!("contests/{cid}");
    let thaw = json!({"id": cid, "scoreboard_thaw_time": time_at(now_ms())});
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        &contest_path,
        admin_auth,
        thaw.clone(),
    )
    .await;
    assert_eq!(status, 403, "{e}");
    app.request(
        reqwest::Method::PATCH,
        &format!("/api/contests/{contest}"),
        Some(&admin),
        Some(json!({"end_at": now_ms() - 10})),
    )
    .await;
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        &contest_path,
        alice_auth,
        thaw.clone(),
    )
    .await;
    assert_eq!(status, 403, "{e}");
    let (status, _, c) = send(
        &app,
        reqwest::Method::PATCH,
        &contest_path,
        admin_auth,
        thaw.clone(),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    check("contest.json", &c).unwrap();
    let state = valid(
        &app,
        &format!("contests/{cid}/state"),
        Auth::Public,
        "state.json",
    )
    .await;
    assert!(state["thawed"].is_string(), "{state}");
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        &contest_path,
        admin_auth,
        thaw,
    )
    .await;
    assert_eq!(status, 403, "thawed already: {e}");

    // contest_start: a contest not started yet moves, keeping its length; not once near.
    app.contest(
        &admin,
        "later",
        &[hello],
        json!({"start_at": now_ms() + 600_000, "end_at": now_ms() + 4_200_000}),
    )
    .await;
    let before = valid(&app, "contests/later", Auth::Public, "contest.json").await;
    let start = time_at(now_ms() + 1_200_000);
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        "contests/later",
        admin_auth,
        json!({"id": "other", "start_time": start}),
    )
    .await;
    assert_eq!(status, 409, "{e}");
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        "contests/later",
        admin_auth,
        json!({"id": "later", "start_time": time_at(now_ms() + 5_000)}),
    )
    .await;
    assert_eq!(status, 403, "{e}");
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        "contests/later",
        admin_auth,
        json!({"id": "later", "start_time": start}),
    )
    .await;
    assert_eq!(status, 204, "{e}");
    let after = valid(&app, "contests/later", Auth::Public, "contest.json").await;
    assert_eq!(after["start_time"], start.as_str());
    assert_eq!(after["duration"], before["duration"]);
    let (status, _, e) = send(
        &app,
        reqwest::Method::PATCH,
        "contests/write-side",
        admin_auth,
        json!({"id": "write-side", "start_time": start}),
    )
    .await;
    assert_eq!(status, 403, "started: {e}");
}

/// `ms` as the API's TIME (UTC, milliseconds).
fn time_at(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap();
    let f = time::format_description::parse_borrowed::<2>(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z",
    )
    .unwrap();
    t.format(&f).unwrap()
}

#[tokio::test]
async fn the_jury_sets_medal_counts_and_edits_awards() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "awards", &[hello], json!({})).await;
    let source =
        std::fs::read_to_string(problems_dir().join("hello/submissions/accepted/hello.py"))
            .unwrap();
    let wrong =
        std::fs::read_to_string(problems_dir().join("hello/submissions/wrong_answer/no_bang.py"))
            .unwrap();
    let mut teams = Vec::new();
    // Ranks by penalty: ada 0 wrong tries, bea 1, cid 2.
    for (wrongs, name) in ["ada_aw", "bea_aw", "cid_aw"].into_iter().enumerate() {
        let (token, id) = app.register(name).await;
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(&token),
            json!({}),
        )
        .await;
        for src in std::iter::repeat_n(&wrong, wrongs).chain([&source]) {
            let (status, s) = app.submit(&token, Some(contest), hello, "a.py", src).await;
            assert_eq!(status, 202, "{s}");
            app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
        }
        teams.push(id.to_string());
    }
    // Awards come from the board, which applies a verdict just after storing it.
    app.settled_board(&admin, contest).await;
    let admin_auth = Auth::Bearer(&admin);
    // Read until the last edit below (award-1 added), and a second more.
    let feed = read_feed_until(
        &app,
        "contests/awards/event-feed".into(),
        Auth::Bearer(Box::leak(admin.clone().into_boxed_str())),
        Duration::from_secs(60),
        |l| l["type"] == "awards" && l["id"] == "award-1",
        Duration::from_secs(1),
    );
    let awards = |auth| {
        let app = &app;
        async move {
            let list = valid(app, "contests/awards/awards", auth, "awards.json").await;
            list.as_array()
                .unwrap()
                .iter()
                .map(|a| (a["id"].as_str().unwrap().to_owned(), a.clone()))
                .collect::<BTreeMap<_, _>>()
        }
    };
    // Defaults: 4 gold places, so all three have gold.
    assert_eq!(
        awards(admin_auth).await["gold-medal"]["team_ids"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // One gold, one silver, no bronze.
    let (status, body) = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/contests/{contest}/medals"),
            Some(&admin),
            Some(json!({"gold": 1, "silver": 1, "bronze": 0})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now = awards(Auth::Public).await;
    assert_eq!(now["gold-medal"]["team_ids"], json!([teams[0]]));
    assert_eq!(now["silver-medal"]["team_ids"], json!([teams[1]]));
    assert_eq!(now["bronze-medal"]["team_ids"], json!([]));

    // PUT a new one, PATCH its citation, DELETE a computed one, POST one more.
    let path = "contests/awards/awards";
    let (status, _, a) = send(
        &app,
        reqwest::Method::PUT,
        &format!("{path}/best-newcomer"),
        admin_auth,
        json!({"citation": "Best newcomer", "team_ids": [teams[2]]}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    check("award.json", &a).unwrap();
    let (status, _, a) = send(
        &app,
        reqwest::Method::PATCH,
        &format!("{path}/best-newcomer"),
        admin_auth,
        json!({"citation": "Best new team"}),
    )
    .await;
    assert_eq!(
        (status, a["citation"].as_str(), a["team_ids"].clone()),
        (200, Some("Best new team"), json!([teams[2]])),
        "{a}"
    );
    let (status, _, _) = send(
        &app,
        reqwest::Method::DELETE,
        &format!("{path}/bronze-medal"),
        admin_auth,
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let (status, location, a) = send(
        &app,
        reqwest::Method::POST,
        path,
        admin_auth,
        json!({"citation": "Fair play", "team_ids": []}),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(location.unwrap(), "/api/ccs/contests/awards/awards/award-1");
    let now = awards(Auth::Public).await;
    assert_eq!(now["best-newcomer"]["citation"], "Best new team");
    assert!(!now.contains_key("bronze-medal") && now.contains_key("award-1"));

    // Refusals.
    for (method, target, auth, body, code) in [
        (
            reqwest::Method::PUT,
            "best-newcomer",
            Auth::Basic("ada_aw", "correct horse"),
            json!({"citation": "x", "team_ids": []}),
            403,
        ),
        (
            reqwest::Method::PUT,
            "x",
            Auth::Public,
            json!({"citation": "x", "team_ids": []}),
            401,
        ),
        (
            reqwest::Method::PUT,
            "x",
            admin_auth,
            json!({"citation": "x", "team_ids": ["999999"]}),
            422,
        ),
        (
            reqwest::Method::PUT,
            "x",
            admin_auth,
            json!({"citation": "", "team_ids": []}),
            400,
        ),
        (
            reqwest::Method::PUT,
            "x",
            admin_auth,
            json!({"id": "y", "citation": "x", "team_ids": []}),
            409,
        ),
        (
            reqwest::Method::PATCH,
            "best-newcomer",
            admin_auth,
            json!({"team_ids": null}),
            400,
        ),
        (
            reqwest::Method::PATCH,
            "nope",
            admin_auth,
            json!({"citation": "x"}),
            404,
        ),
        (
            reqwest::Method::DELETE,
            "bronze-medal",
            admin_auth,
            Value::Null,
            404,
        ),
    ] {
        let (status, _, e) = send(
            &app,
            method.clone(),
            &format!("{path}/{target}"),
            auth,
            body,
        )
        .await;
        assert_eq!(
            (status, e["code"].as_i64()),
            (code, Some(code as i64)),
            "{method} {target}: {e}"
        );
    }
    let (status, _, e) = send(
        &app,
        reqwest::Method::POST,
        path,
        admin_auth,
        json!({"id": "z", "citation": "x", "team_ids": []}),
    )
    .await;
    assert_eq!(status, 400, "{e}");

    // The jury's feed carried the edits.
    let lines = feed.await.unwrap();
    let last_of = |id: &str| {
        lines
            .iter()
            .rev()
            .find(|l| l["type"] == "awards" && l["id"] == id)
            .map(|l| l["data"].clone())
    };
    assert_eq!(
        last_of("best-newcomer").unwrap()["citation"],
        "Best new team"
    );
    assert_eq!(last_of("bronze-medal"), Some(Value::Null));
    assert_eq!(
        last_of("gold-medal").unwrap()["team_ids"],
        json!([teams[0]])
    );
}

/// A webhook receiver on loopback: what it was sent (token header, body), answering 500
/// to the first `fail_first` requests.
async fn receiver(
    fail_first: usize,
) -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>,
) {
    use std::sync::{Arc, Mutex};
    let got: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::Json<Value>| {
                let seen = seen.clone();
                async move {
                    let token = headers
                        .get("webhook-token")
                        .map(|t| t.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    let mut seen = seen.lock().unwrap();
                    seen.push((token, body.0));
                    if seen.len() <= fail_first {
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::OK
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_get_every_change_once_acknowledged_and_retries_until_then() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "hooked", &[hello], json!({})).await;
    let (team, _) = app.register("hana_hook").await;
    app.post(
        &format!("/api/contests/{contest}/register"),
        Some(&team),
        json!({}),
    )
    .await;
    let admin_auth = Auth::Bearer(&admin);
    let (url, got) = receiver(1).await;

    // Registration: the jury only, a valid URL and token, known endpoints and contests.
    for (auth, body, code) in [
        (
            Auth::Basic("hana_hook", "correct horse"),
            json!({"url": url, "token": "t"}),
            403,
        ),
        (Auth::Public, json!({"url": url, "token": "t"}), 401),
        (admin_auth, json!({"url": "ftp://x", "token": "t"}), 400),
        (admin_auth, json!({"url": url}), 400),
        (
            admin_auth,
            json!({"url": url, "token": "t", "endpoints": ["nope"]}),
            422,
        ),
        (
            admin_auth,
            json!({"url": url, "token": "t", "contest_ids": ["nope"]}),
            422,
        ),
    ] {
        let (status, _, e) = send(&app, reqwest::Method::POST, "webhooks", auth, body).await;
        assert_eq!(status, code, "{e}");
    }
    let (status, location, hook) = send(
        &app,
        reqwest::Method::POST,
        "webhooks",
        admin_auth,
        json!({"url": url, "token": "s3cret", "endpoints": ["submissions", "judgements"], "contest_ids": ["hooked"]}),
    )
    .await;
    assert_eq!(status, 201, "{hook}");
    let id = hook["id"].as_str().unwrap().to_owned();
    assert_eq!(location.unwrap(), format!("/api/ccs/webhooks/{id}"));
    let (_, listed) = get(&app, "webhooks", admin_auth).await;
    assert_eq!(listed[0]["url"], url.as_str());
    assert!(
        listed[0].get("token").is_none(),
        "the token is never shown: {listed}"
    );

    // A submission: its submission and judgement reach the hook, after one failed try.
    let source =
        std::fs::read_to_string(problems_dir().join("hello/submissions/accepted/hello.py"))
            .unwrap();
    let (_, s) = app
        .submit(&team, Some(contest), hello, "a.py", &source)
        .await;
    let sid = s["id"].as_i64().unwrap().to_string();
    app.wait_judged(&team, s["id"].as_i64().unwrap()).await;
    let delivered = |kind: &str, matching: &dyn Fn(&Value) -> bool| {
        let got = got.lock().unwrap();
        got.iter()
            .skip(1) // the first answer was a 500
            .flat_map(|(_, b)| b["notifications"].as_array().unwrap().clone())
            .filter(|n| n["type"] == kind && n["id"] == sid.as_str() && matching(n))
            .count()
    };
    let any = |_: &Value| true;
    // Until the final judgement: one is also recorded when judging starts, and a batch
    // holding only that one may come first.
    let accepted = |n: &Value| n["data"]["judgement_type_id"] == "AC";
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while delivered("judgements", &accepted) == 0 || delivered("submissions", &any) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "not delivered: {:?}",
            got.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    {
        let got = got.lock().unwrap();
        assert!(got.len() >= 2, "retried after the 500");
        for (token, body) in got.iter() {
            assert_eq!(token, "s3cret");
            assert_eq!(body["contest_id"], "hooked");
            for n in body["notifications"].as_array().unwrap() {
                assert!(
                    ["submissions", "judgements"].contains(&n["type"].as_str().unwrap()),
                    "{n}"
                );
                check("event-feed.json", n).unwrap();
            }
        }
        // Acknowledged tokens are never sent again.
        let tokens: Vec<&str> = got
            .iter()
            .skip(1)
            .flat_map(|(_, b)| {
                b["notifications"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["token"].as_str().unwrap())
            })
            .collect();
        let unique: HashSet<&str> = tokens.iter().copied().collect();
        assert_eq!(unique.len(), tokens.len(), "{tokens:?}");
    }

    // Deleted: nothing more is sent.
    let (status, _, _) = send(
        &app,
        reqwest::Method::DELETE,
        &format!("webhooks/{id}"),
        admin_auth,
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let before = got.lock().unwrap().len();
    let (_, s) = app
        .submit(&team, Some(contest), hello, "a.py", &source)
        .await;
    app.wait_judged(&team, s["id"].as_i64().unwrap()).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(got.lock().unwrap().len(), before);
    let (status, _, _) = send(
        &app,
        reqwest::Method::DELETE,
        &format!("webhooks/{id}"),
        admin_auth,
        Value::Null,
    )
    .await;
    assert_eq!(status, 404);
}
