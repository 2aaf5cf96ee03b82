//! The UI end to end in a real headless Chromium: a spectator watches the public
//! scoreboard while a newcomer registers, opens a problem, submits, sees the verdict
//! stream in without a reload, and the spectator's row updates live. Screenshots of the
//! main pages go to `target/ui-screenshots/`. The scoreboard's widest real values
//! (four-digit penalties, `99 / 299` cells) must fit uncut at desktop and phone widths in
//! both themes.
//!
//! Needs Debian's `chromium` and `chromium-driver` (the test script installs them and
//! sets `CODEHUB_REQUIRE_BROWSER=1`, making their absence a failure, not a skip).

use super::browser_support::{Driver, installed, screenshot, wait_text};
use super::helpers::{now_ms, spawn_app};
use fantoccini::Locator;
use serde_json::json;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(60);
const MINUTE: i64 = 60_000;

fn browser_or_skip() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let found = installed();
    if found.is_none() {
        assert!(
            std::env::var_os("CODEHUB_REQUIRE_BROWSER").is_none(),
            "CODEHUB_REQUIRE_BROWSER is set but chromium/chromedriver are missing"
        );
        eprintln!("browser: SKIPPED (install chromium and chromium-driver)");
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_submit_and_watch_the_scoreboard_live() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let (status, page) = {
        let r = app
            .client
            .get(format!("{}/", app.base))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 200, "the UI must be built into the binary: {page}");
    assert!(page.contains("codehub-web.js"), "{page}");
    let (_, contest) = app.get("/api/contests/1", None).await;
    let aplusb = contest["problems"][1]["problem_id"].as_i64().unwrap();

    let driver = Driver::start(driver, browser);
    let spectator = driver.session(1280, 900).await;
    let contestant = driver.session(1280, 900).await;

    // A spectator, not signed in, watches the public board.
    spectator
        .goto(&format!("{}/contests/1/scoreboard", app.base))
        .await
        .unwrap();
    wait_text(&spectator, "[data-testid=link-state]", LONG, |t| {
        t == "live"
    })
    .await;

    // A newcomer registers through the form.
    contestant
        .goto(&format!("{}/register", app.base))
        .await
        .unwrap();
    let name = "ada_browser";
    contestant
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=username]"))
        .await
        .unwrap()
        .send_keys(name)
        .await
        .unwrap();
    contestant
        .find(Locator::Css("[data-testid=password]"))
        .await
        .unwrap()
        .send_keys("correct horse battery")
        .await
        .unwrap();
    contestant
        .find(Locator::Css("[data-testid=auth-submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=whoami]", LONG, |t| {
        t.contains(name)
    })
    .await;
    wait_text(&contestant, "[data-testid=contest-card]", LONG, |t| {
        t.contains("Demo")
    })
    .await;
    screenshot(&contestant, "contests").await;

    // The contest home lists the problems with their names.
    contestant
        .goto(&format!("{}/contests/1", app.base))
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=problem-link]", LONG, |t| {
        t == "A plus B"
    })
    .await;
    screenshot(&contestant, "contest-home").await;

    // The problem: statement with math rendered as MathML, samples, editor.
    contestant
        .goto(&format!("{}/contests/1/problems/{aplusb}", app.base))
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=problem-title]", LONG, |t| {
        t == "A plus B"
    })
    .await;
    let maths = contestant
        .find_all(Locator::Css(".statement-body math"))
        .await
        .unwrap();
    assert!(
        maths.len() >= 3,
        "LaTeX rendered as MathML: {} formulas",
        maths.len()
    );
    contestant
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=language] option[value=python3]"))
        .await
        .unwrap();
    contestant
        .find(Locator::Css("[data-testid=language]"))
        .await
        .unwrap()
        .select_by_value("python3")
        .await
        .unwrap();
    contestant
        .find(Locator::Css("[data-testid=editor]"))
        .await
        .unwrap()
        .send_keys("import sys\na, b = map(int, sys.stdin.readline().split())\nprint(a + b)\n")
        .await
        .unwrap();
    let highlighted = contestant
        .find(Locator::Css(".editor-layer .tok-kw"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        highlighted, "import",
        "the editor highlights Python keywords"
    );
    screenshot(&contestant, "problem").await;
    let url_before = contestant.current_url().await.unwrap();
    contestant
        .find(Locator::Css("[data-testid=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The verdict streams in on the same page.
    let verdict = wait_text(
        &contestant,
        "[data-testid=live-verdict] [data-testid=verdict]",
        LONG,
        |t| t == "AC",
    )
    .await;
    assert_eq!(verdict, "AC");
    assert_eq!(
        contestant.current_url().await.unwrap(),
        url_before,
        "no navigation or reload"
    );
    wait_text(
        &contestant,
        "[data-testid=live-verdict] .detail",
        LONG,
        |t| t.contains("test(s) run"),
    )
    .await;
    screenshot(&contestant, "verdict").await;

    // The spectator's board shows the new team with one solve, live.
    let row = wait_text(&spectator, "[data-testid=sb-row]", LONG, |t| {
        t.contains(name) && t.contains("1 / ")
    })
    .await;
    assert!(row.starts_with('1'), "ranked first: {row:?}");
    screenshot(&spectator, "scoreboard").await;

    // My submissions, with the sample results behind a click.
    contestant
        .goto(&format!("{}/contests/1/submissions", app.base))
        .await
        .unwrap();
    wait_text(
        &contestant,
        "[data-testid=submission-row] [data-testid=verdict]",
        LONG,
        |t| t == "AC",
    )
    .await;
    contestant
        .find(Locator::Css("[data-testid=submission-row]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&contestant, ".detail", LONG, |t| t.contains("test(s) run")).await;
    screenshot(&contestant, "submissions").await;

    // Practice, dark theme, and a phone-sized screen.
    contestant
        .goto(&format!("{}/practice", app.base))
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=practice-row]", LONG, |t| {
        t.contains("Hello World")
    })
    .await;
    screenshot(&contestant, "practice").await;
    spectator
        .find(Locator::Css(
            "button[aria-label='Toggle dark and light theme']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let theme = spectator
        .execute("return document.documentElement.dataset.theme", vec![])
        .await
        .unwrap();
    assert_eq!(theme, "dark");
    screenshot(&spectator, "scoreboard-dark").await;
    contestant.set_window_size(390, 844).await.unwrap();
    contestant
        .goto(&format!("{}/contests/1/problems/{aplusb}", app.base))
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=problem-title]", LONG, |t| {
        t == "A plus B"
    })
    .await;
    screenshot(&contestant, "problem-phone").await;

    // The admin signs in (same browser, after signing out) and sees the jury pages.
    contestant.set_window_size(1280, 900).await.unwrap();
    contestant
        .find(Locator::Css(".topbar button.ghost:last-of-type"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    sign_in(
        &contestant,
        &app.base,
        "admin",
        app.admin_password.as_deref().unwrap(),
    )
    .await;
    contestant
        .goto(&format!("{}/admin", app.base))
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=queue]", LONG, |t| {
        t.contains("Judges")
    })
    .await;
    // The queue is polled every 2 s; the page must live through the polls (a poll
    // started from a timer once took the whole UI down).
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    let alive = contestant
        .find(Locator::Css("[data-testid=queue]"))
        .await
        .expect("the admin page still shows the queue after two polls");
    assert!(alive.text().await.unwrap().contains("Judges"));
    screenshot(&contestant, "admin").await;

    spectator.close().await.unwrap();
    contestant.close().await.unwrap();
}

/// Cells of the scoreboard whose text does not fit (all but the team name, which is
/// shortened on purpose and carries its full name as a title): `class "text" need>have`.
const CUT_CELLS_JS: &str = r#"
const cut = [];
for (const el of document.querySelectorAll('.sb-table .sb-row > span')) {
  if (el.classList.contains('c-team')) continue;
  if (el.scrollWidth > el.clientWidth) {
    cut.push(`${el.className} ${JSON.stringify(el.textContent)} ${el.scrollWidth}>${el.clientWidth}`);
  }
}
return cut;
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scoreboard_shows_four_digit_penalties_and_three_digit_minutes_uncut() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    // A five-hour ICPC contest near its end, with synthetic results: team 9001 solves A
    // first at minute 299 after 98 rejected tries (`99 / 299`, bold) and B at 298
    // (penalty 299 + 98 × 20 + 298 = 2557); 9002 and 9003 fill the other kinds of cell.
    let app = spawn_app();
    let admin = app.admin().await;
    let mut problems = Vec::new();
    for name in ["hello", "floats", "groups"] {
        problems.push(app.import(&admin, name).await);
    }
    let contest = app
        .contest(
            &admin,
            "five-hours",
            &problems,
            json!({"start_at": now_ms() - 300 * MINUTE, "end_at": now_ms() + 60 * MINUTE}),
        )
        .await;
    let mut results: Vec<(i64, usize, &str, i64)> =
        (1..=98).map(|m| (9001, 0, "WA", m * MINUTE)).collect();
    results.extend([
        (9001, 0, "AC", 299 * MINUTE + 10_000),
        (9001, 1, "AC", 298 * MINUTE),
        (9002, 0, "AC", 299 * MINUTE + 40_000),
        (9002, 1, "WA", 200 * MINUTE),
        (9002, 1, "WA", 210 * MINUTE),
        (9002, 1, "WA", 220 * MINUTE),
        (9002, 1, "AC", 250 * MINUTE),
        (9002, 2, "AC", 100 * MINUTE),
    ]);
    results.extend((0..9).map(|i| (9001, 2, "WA", (120 + i) * MINUTE)));
    results.extend((0..5).map(|i| (9003, 2, "TLE", (30 + i) * MINUTE)));
    for (team, problem, verdict, at_ms) in results {
        let (status, body) = app
            .post(
                &format!("/api/contests/{contest}/inject"),
                Some(&admin),
                json!({"team": team, "problem": problem, "verdict": verdict, "at_ms": at_ms}),
            )
            .await;
        assert_eq!(status, 202, "{body}");
    }

    let driver = Driver::start(driver, browser);
    let spectator = driver.session(1280, 900).await;
    spectator
        .goto(&format!("{}/contests/{contest}/scoreboard", app.base))
        .await
        .unwrap();
    let leader = wait_text(&spectator, "[data-testid=sb-row]", LONG, |t| {
        t.contains("team 9001") && t.contains("99 / 299")
    })
    .await;
    assert!(
        leader.contains("2557") && leader.contains("1 / 298"),
        "{leader:?}"
    );
    wait_text(&spectator, "[data-testid=sb-row]", LONG, |t| {
        t.contains("team 9002") && t.contains("1 / 299") && t.contains("4 / 250")
    })
    .await;
    let first = spectator
        .find(Locator::Css("[data-team='9001'] .c-cell.first"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        first, "99 / 299",
        "the widest cell is bold (first to solve)"
    );

    for (width, height, screen) in [(1280, 900, "desktop"), (390, 844, "phone")] {
        spectator.set_window_size(width, height).await.unwrap();
        let phone = spectator
            .execute("return matchMedia('(max-width: 640px)').matches", vec![])
            .await
            .unwrap();
        assert_eq!(
            phone,
            screen == "phone",
            "{screen}: the narrow layout applies"
        );
        for theme in ["light", "dark"] {
            // The header's toggle switches the theme (and remembers it).
            for _ in 0..2 {
                let now = spectator
                    .execute(
                        "return document.documentElement.dataset.theme || 'light'",
                        vec![],
                    )
                    .await
                    .unwrap();
                if now == theme {
                    break;
                }
                spectator
                    .find(Locator::Css(
                        "button[aria-label='Toggle dark and light theme']",
                    ))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap();
            }
            let now = spectator
                .execute(
                    "return document.documentElement.dataset.theme || 'light'",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(now, theme);
            let shot = screenshot(&spectator, &format!("scoreboard-wide-{screen}-{theme}")).await;
            let cut = spectator.execute(CUT_CELLS_JS, vec![]).await.unwrap();
            let checked = spectator
                .execute(
                    "return document.querySelectorAll('.sb-table .sb-row > span:not(.c-team)').length",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                checked.as_u64().unwrap_or(0) >= 4 * 6,
                "{screen}/{theme}: the header and three rows were measured ({checked})"
            );
            assert_eq!(
                cut,
                json!([]),
                "{screen}/{theme}: cut scoreboard cells; see {}",
                shot.display()
            );
        }
    }
    spectator.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_whose_name_breaks_the_rule_is_refused_before_sending() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let (token, _) = app.register("uma_upload").await;
    let (_, practice) = app.get("/api/problems", None).await;
    let problem = practice[0]["id"].as_i64().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = files.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };

    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    sign_in(&client, &app.base, "uma_upload", "correct horse").await;
    client
        .goto(&format!("{}/practice/{problem}", app.base))
        .await
        .unwrap();
    // The submit section is rebuilt when the problem arrives: wait for the problem, not
    // only the languages (served from memory, often first).
    wait_text(&client, "[data-testid=problem-title]", LONG, |t| {
        !t.is_empty()
    })
    .await;
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=language] option[value=python3]"))
        .await
        .unwrap();
    let upload = |path: String| {
        let client = client.clone();
        async move {
            client
                .find(Locator::Css("[data-testid=upload]"))
                .await
                .unwrap()
                .send_keys(&path)
                .await
                .unwrap();
        }
    };

    upload(file("a b#.py", "print(1)\n")).await;
    let refused = wait_text(&client, ".submit-form .error", LONG, |t| {
        t.contains("contains a space")
    })
    .await;
    assert!(
        refused.contains("file name `a b#.py`")
            && refused.contains("a file name is 1 to 100 characters"),
        "names the file and states the rule: {refused}"
    );
    client
        .execute(
            "document.querySelector('.submit-form .error').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&client, "upload-refused").await;
    upload(file("notes.txt", "hello\n")).await;
    wait_text(&client, ".submit-form .error", LONG, |t| {
        t.contains("`notes.txt`")
            && t.contains("is the extension of no language")
            && t.contains(".py")
    })
    .await;
    // Nothing was taken: submitting now asks for a solution, and nothing reaches the server.
    client
        .find(Locator::Css("[data-testid=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&client, ".submit-form .error", LONG, |t| {
        t.contains("Write or upload a solution first")
    })
    .await;
    let (status, mine) = app.get("/api/submissions", Some(&token)).await;
    assert_eq!((status, mine), (200, json!([])));

    // A good name is taken: the error goes, the language follows the extension.
    upload(file("sol_2.py", "print('hi')\n")).await;
    let deadline = std::time::Instant::now() + LONG;
    loop {
        let code = client
            .execute(
                "return document.querySelector('[data-testid=editor]').value",
                vec![],
            )
            .await
            .unwrap();
        if code == "print('hi')\n" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the upload reaches the editor: {code}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let errors = client
        .find_all(Locator::Css(".submit-form .error"))
        .await
        .unwrap();
    assert!(errors.is_empty(), "the refusal is cleared");
    let language = client
        .execute(
            "return document.querySelector('[data-testid=language]').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(language, "python3");
    client.close().await.unwrap();
}

/// An organiser imports a 2023-07 zip and a Polygon zip from the admin page; the page
/// says what was imported and what the Polygon import could not convert.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_uploads_2023_07_and_polygon_zips() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let zips = tempfile::tempdir().unwrap();
    let zip = |name: &str| {
        let path = zips.path().join(format!("{name}.zip"));
        let dir = super::helpers::problems_dir().join(name);
        std::fs::write(&path, super::helpers::zip_dir(&dir)).unwrap();
        path.to_string_lossy().into_owned()
    };
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    sign_in(
        &client,
        &app.base,
        "admin",
        app.admin_password.as_deref().unwrap(),
    )
    .await;
    client.goto(&format!("{}/admin", app.base)).await.unwrap();
    for (name, needle) in [
        ("scoring2023", "Imported problem"),
        ("polygonsum", "“Polygon Sum”. Not converted: solution"),
    ] {
        client
            .wait()
            .at_most(LONG)
            .for_element(Locator::Css("#pkg"))
            .await
            .unwrap()
            .send_keys(&zip(name))
            .await
            .unwrap();
        client
            .find(Locator::Css("#pkg-slug"))
            .await
            .unwrap()
            .clear()
            .await
            .unwrap();
        client
            .find(Locator::Css("#pkg-slug"))
            .await
            .unwrap()
            .send_keys(&format!("ui-{name}"))
            .await
            .unwrap();
        client
            .find(Locator::Css("#pkg ~ button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let said = wait_text(&client, "[data-testid=import-result]", LONG, |t| {
            t.contains(needle)
        })
        .await;
        assert!(said.contains(needle), "{name}: {said}");
    }
    screenshot(&client, "admin-import").await;
    let admin = app.admin().await;
    let (_, problems) = app.get("/api/problems", Some(&admin)).await;
    let slugs: Vec<&str> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["slug"].as_str())
        .collect();
    assert!(
        slugs.contains(&"ui-scoring2023") && slugs.contains(&"ui-polygonsum"),
        "{slugs:?}"
    );
    client.close().await.unwrap();
}

/// A contestant submits an output-only problem's answer files from its page and the
/// verdict streams in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contestant_submits_answer_files_to_an_output_only_problem() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "answers2023").await;
    app.register("olga_outputs").await;
    let answers = super::helpers::problems_dir()
        .join("answers2023/submissions/accepted/all")
        .canonicalize()
        .unwrap();
    let path = |name: &str| answers.join(name).to_string_lossy().into_owned();

    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    sign_in(&client, &app.base, "olga_outputs", "correct horse").await;
    client
        .goto(&format!("{}/practice/{problem}", app.base))
        .await
        .unwrap();
    let input = client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=answers]"))
        .await
        .unwrap();
    // Several files in one file input: one path per line.
    input
        .send_keys(&format!("{}\n{}", path("1.out"), path("2.out")))
        .await
        .unwrap();
    wait_text(&client, "[data-testid=chosen]", LONG, |t| {
        t.contains("1.out") && t.contains("2.out")
    })
    .await;
    client
        .find(Locator::Css("[data-testid=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let verdict = wait_text(
        &client,
        "[data-testid=live-verdict] [data-testid=verdict]",
        LONG,
        |t| t == "AC",
    )
    .await;
    assert_eq!(verdict, "AC");
    screenshot(&client, "answers-verdict").await;
    client.close().await.unwrap();
}

/// Signs `user` in through the UI.
async fn sign_in(client: &fantoccini::Client, base: &str, user: &str, password: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=username]"))
        .await
        .unwrap()
        .send_keys(user)
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=password]"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=auth-submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(client, "[data-testid=whoami]", LONG, |t| t.contains(user)).await;
}

/// Presses `key` on the page (a WebDriver key code for the arrows).
async fn press(client: &fantoccini::Client, key: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

/// A resolver row's rank text and class.
async fn row_of(client: &fantoccini::Client, team: i64) -> (String, String) {
    let css = format!("[data-testid=rv-row][data-team='{team}']");
    let row = client.find(Locator::Css(&css)).await.unwrap();
    let rank = row
        .find(Locator::Css("[data-testid=rv-rank]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (rank, row.attr("class").await.unwrap().unwrap_or_default())
}

async fn click(client: &fantoccini::Client, css: &str) {
    // The page may render the element again between finding and clicking it (a live
    // update): find it again then.
    let deadline = std::time::Instant::now() + LONG;
    loop {
        let element = client
            .wait()
            .at_most(LONG)
            .for_element(Locator::Css(css))
            .await
            .unwrap();
        match element.click().await {
            Ok(()) => return,
            Err(fantoccini::error::CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                    && std::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("clicking {css}: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contestant_asks_the_jury_answers_and_the_answer_appears_live() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "clar-ui", &[hello], json!({})).await;
    let (tina, _) = app.register("tina_asks").await;
    app.post(
        &format!("/api/contests/{contest}/register"),
        Some(&tina),
        json!({}),
    )
    .await;
    let page = format!("{}/contests/{contest}/clarifications", app.base);

    let driver = Driver::start(driver, browser);
    let team = driver.session(1280, 900).await;
    let jury = driver.session(1280, 900).await;
    sign_in(&team, &app.base, "tina_asks", "correct horse").await;
    sign_in(
        &jury,
        &app.base,
        "admin",
        app.admin_password.as_deref().unwrap(),
    )
    .await;

    // The contestant opens the page from the contest's home and asks.
    team.goto(&format!("{}/contests/{contest}", app.base))
        .await
        .unwrap();
    click(&team, "[data-testid=clarifications-link]").await;
    team.wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=ask-text]"))
        .await
        .unwrap()
        .send_keys("Can the *name* be empty?")
        .await
        .unwrap();
    click(&team, "[data-testid=ask-send]").await;
    wait_text(&team, "[data-testid=clarification]", LONG, |t| {
        t.contains("Can the name be empty?") && t.contains("waiting")
    })
    .await;

    // The jury sees it in its queue, claims it and answers.
    jury.goto(&page).await.unwrap();
    wait_text(&jury, "[data-testid=clarification]", LONG, |t| {
        t.contains("tina_asks asks") && t.contains("Can the name be empty?")
    })
    .await;
    click(&jury, "[data-testid=claim]").await;
    wait_text(&jury, "[data-testid=answer-form]", LONG, |t| {
        t.contains("Claimed")
    })
    .await;
    jury.find(Locator::Css("[data-testid=answer-text]"))
        .await
        .unwrap()
        .send_keys("No: it has **1 to 10** letters.")
        .await
        .unwrap();
    click(&jury, "[data-testid=answer-send]").await;

    // The answer reaches the contestant live, with a notice, rendered as Markdown.
    wait_text(&team, "[data-testid=clar-notice]", LONG, |t| {
        t.contains("The jury answered")
    })
    .await;
    let answer = team
        .find(Locator::Css("[data-testid=clarification-text] strong"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(answer, "1 to 10");
    // Neither the claim (204, no body) nor the answer left an error on the jury's page.
    let alerts = jury.find_all(Locator::Css("[role=alert]")).await.unwrap();
    let mut texts = Vec::new();
    for a in alerts {
        texts.push(a.text().await.unwrap());
    }
    assert!(texts.iter().all(|t| t.is_empty()), "{texts:?}");
    wait_text(&team, "[data-testid=clarification]", LONG, |t| {
        t.contains("Jury answer (private)")
    })
    .await;
    wait_text(&team, "[data-testid=clarification]", LONG, |t| {
        t.contains("Can the name be empty?") && t.contains("answered")
    })
    .await;
    screenshot(&team, "clarifications-team").await;
    screenshot(&jury, "clarifications-jury").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jury_resolves_a_frozen_board_step_by_step() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app
        .contest(
            &admin,
            "resolve-me",
            &[hello],
            json!({"start_at": now_ms() - 10 * MINUTE}),
        )
        .await;
    let source = |dir: &str, file: &str| {
        std::fs::read_to_string(
            super::helpers::problems_dir()
                .join("hello/submissions")
                .join(dir)
                .join(file),
        )
        .unwrap()
    };
    let mut teams = Vec::new();
    for name in ["alice_rv", "bob_rv", "carol_rv"] {
        let (token, id) = app.register(name).await;
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(&token),
            json!({}),
        )
        .await;
        teams.push((token, id));
    }
    let submit = |who: usize, dir: &'static str, file: &'static str| {
        let (app, token, src) = (&app, teams[who].0.clone(), source(dir, file));
        async move {
            let (status, s) = app.submit(&token, Some(contest), hello, file, &src).await;
            assert_eq!(status, 202, "{s}");
            app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
        }
    };
    // Before the freeze alice solves after two wrong tries (penalty 40 + ~10).
    submit(0, "wrong_answer", "no_bang.py").await;
    submit(0, "wrong_answer", "no_bang.py").await;
    submit(0, "accepted", "hello.py").await;
    app.request(
        reqwest::Method::PATCH,
        &format!("/api/contests/{contest}"),
        Some(&admin),
        Some(json!({"freeze_at": now_ms() - 1})),
    )
    .await;
    // During the freeze bob solves at once (~10), carol fails.
    submit(1, "accepted", "hello.py").await;
    submit(2, "wrong_answer", "no_bang.py").await;
    app.request(
        reqwest::Method::PATCH,
        &format!("/api/contests/{contest}"),
        Some(&admin),
        Some(json!({"end_at": now_ms() - 1})),
    )
    .await;
    let (alice, bob, carol) = (teams[0].1, teams[1].1, teams[2].1);

    let driver = Driver::start(driver, browser);
    let jury = driver.session(1920, 1080).await;
    let spectator = driver.session(1280, 900).await;
    sign_in(
        &jury,
        &app.base,
        "admin",
        app.admin_password.as_deref().unwrap(),
    )
    .await;
    // A spectator (not signed in) watches the resolver page: it follows the jury.
    spectator
        .goto(&format!("{}/contests/{contest}/resolver", app.base))
        .await
        .unwrap();
    wait_text(&spectator, "[data-testid=resolver-following]", LONG, |t| {
        t.contains("Following")
    })
    .await;
    wait_text(&spectator, "[data-testid=rv-cell]", LONG, |t| t == "? 1").await;
    jury.goto(&format!("{}/contests/{contest}", app.base))
        .await
        .unwrap();
    click(&jury, "[data-testid=resolver-link]").await;
    wait_text(&jury, "[data-testid=resolver-status]", LONG, |t| {
        t.contains("The board at the freeze")
    })
    .await;
    let rank_of = |team: i64| row_of(&jury, team);
    // At the freeze: alice first; bob and carol tied below with hidden tries.
    assert_eq!(rank_of(alice).await.0, "1");
    assert_eq!(rank_of(bob).await.0, "2");
    assert_eq!(rank_of(carol).await.0, "2");
    wait_text(&jury, "[data-testid=rv-cell]", LONG, |t| t == "? 1").await;
    screenshot(&jury, "resolver-frozen").await;

    // Space reveals the bottom row's cell: carol's wrong try.
    press(&jury, " ").await;
    wait_text(&jury, "[data-testid=resolver-status]", LONG, |t| {
        t.contains("Not solved: carol_rv")
    })
    .await;
    // Then bob's accepted try lifts him to the top; the board is final.
    click(&jury, "[data-testid=resolver-next]").await;
    wait_text(&jury, "[data-testid=resolver-status]", LONG, |t| {
        t == "Final standings"
    })
    .await;
    let (rank, class) = rank_of(bob).await;
    assert_eq!(rank, "1");
    assert!(
        class.contains("rv-winner") && class.contains("rv-gold"),
        "{class}"
    );
    assert_eq!(rank_of(alice).await.0, "2");
    screenshot(&jury, "resolver-final").await;
    // The spectator's board followed both steps live, without the hidden results itself.
    wait_text(&spectator, "[data-testid=resolver-status]", LONG, |t| {
        t == "Final standings"
    })
    .await;
    assert_eq!(row_of(&spectator, bob).await.0, "1");
    screenshot(&spectator, "resolver-spectator").await;
    // ← undoes a step.
    press(&jury, "\u{E012}").await;
    wait_text(&jury, "[data-testid=resolver-status]", LONG, |t| {
        t.contains("Not solved: carol_rv")
    })
    .await;
    assert_eq!(rank_of(bob).await.0, "2");
    // The contest's home lists its awards once it is over.
    jury.goto(&format!("{}/contests/{contest}", app.base))
        .await
        .unwrap();
    wait_text(&jury, "[data-testid=award]", LONG, |t| {
        t.contains("Contest winner") && t.contains("bob_rv")
    })
    .await;
}

/// At the mock provider's page: signs `sub` in.
async fn consent_at_provider(client: &fantoccini::Client, sub: &str) {
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("input[name=sub]"))
        .await
        .unwrap()
        .send_keys(sub)
        .await
        .unwrap();
    click(client, "form button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_signs_in_from_the_sign_in_page_and_links_a_second_on_the_account_page() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let Some(issuer) = super::oidc::provider_url() else {
        return;
    };
    let app = super::oidc::app_with_providers(&issuer);
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    client.goto(&format!("{}/login", app.base)).await.unwrap();
    wait_text(&client, "[data-testid=provider-mock]", LONG, |t| {
        t.contains("Sign in with Mock University")
    })
    .await;
    click(&client, "[data-testid=provider-mock]").await;
    consent_at_provider(&client, "ursula").await;
    // Back from the provider, signed in as the account it made.
    wait_text(&client, "[data-testid=whoami]", LONG, |t| {
        t.contains("ursula · contestant")
    })
    .await;

    click(&client, "[data-testid=whoami]").await;
    wait_text(&client, "[data-testid=identity-mock]", LONG, |t| {
        t.contains("linked")
    })
    .await;
    wait_text(&client, "[data-testid=has-password]", LONG, |t| {
        t.contains("No password yet")
    })
    .await;
    let second = "[data-testid=identity-second] button";
    wait_text(&client, second, LONG, |t| t == "Link").await;
    click(&client, second).await;
    consent_at_provider(&client, "ursula-elsewhere").await;
    wait_text(&client, "[data-testid=identity-second]", LONG, |t| {
        t.contains("· linked")
    })
    .await;
    screenshot(&client, "account").await;

    click(&client, "[data-testid=sign-out-everywhere]").await;
    wait_text(&client, "[data-testid=auth-submit]", LONG, |t| {
        t == "Sign in"
    })
    .await;
    // The second provider now signs in to the same account.
    click(&client, "[data-testid=provider-second]").await;
    consent_at_provider(&client, "ursula-elsewhere").await;
    wait_text(&client, "[data-testid=whoami]", LONG, |t| {
        t.contains("ursula · contestant")
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_edits_their_profile_and_an_admin_disables_them_from_the_user_list() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    app.register("bea_profile").await;
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("bea.png");
    image::RgbImage::from_pixel(64, 48, image::Rgb([30, 120, 200]))
        .save(&png)
        .unwrap();

    let driver = Driver::start(driver, browser);
    let bea = driver.session(1280, 900).await;
    sign_in(&bea, &app.base, "bea_profile", "correct horse").await;
    bea.goto(&format!("{}/account", app.base)).await.unwrap();
    bea.wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=display-name]"))
        .await
        .unwrap()
        .send_keys("Bea B.")
        .await
        .unwrap();
    click(&bea, "[data-testid=save-profile]").await;
    wait_text(&bea, "[data-testid=account-notice]", LONG, |t| {
        t == "Profile saved."
    })
    .await;
    bea.find(Locator::Css("[data-testid=avatar-file]"))
        .await
        .unwrap()
        .send_keys(png.to_str().unwrap())
        .await
        .unwrap();
    wait_text(&bea, "[data-testid=account-notice]", LONG, |t| {
        t == "Avatar saved."
    })
    .await;
    click(&bea, "[data-testid=my-profile]").await;
    wait_text(&bea, "[data-testid=profile-name]", LONG, |t| t == "Bea B.").await;
    bea.wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=avatar]"))
        .await
        .unwrap();
    screenshot(&bea, "profile").await;

    let admin = driver.session(1280, 900).await;
    sign_in(
        &admin,
        &app.base,
        "admin",
        app.admin_password.as_deref().unwrap(),
    )
    .await;
    admin.goto(&format!("{}/admin", app.base)).await.unwrap();
    // The unfiltered list first (admin and bea), then the search's answer.
    wait_text(&admin, "[data-testid=users-count]", LONG, |t| {
        t == "2 users"
    })
    .await;
    admin
        .find(Locator::Css("[data-testid=user-search]"))
        .await
        .unwrap()
        .send_keys("bea\n")
        .await
        .unwrap();
    wait_text(&admin, "[data-testid=users-count]", LONG, |t| t == "1 user").await;
    let row = "[data-testid=user-row-bea_profile]";
    wait_text(
        &admin,
        &format!("{row} [data-testid=user-state]"),
        LONG,
        |t| t == "active",
    )
    .await;
    click(&admin, &format!("{row} button")).await;
    wait_text(
        &admin,
        &format!("{row} [data-testid=user-state]"),
        LONG,
        |t| t == "disabled",
    )
    .await;
    admin.refresh().await.unwrap();
    wait_text(&admin, "[data-testid=audit-panel] td", LONG, |t| {
        t == "disable"
    })
    .await;
    let (status, _) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "bea_profile", "password": "correct horse"}),
        )
        .await;
    assert_eq!(status, 403);
    bea.close().await.unwrap();
    admin.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_runs_code_on_typed_input_and_on_a_sample() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "hello").await;
    let (token, _) = app.register("rhea_runs").await;
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 1000).await;
    sign_in(&client, &app.base, "rhea_runs", "correct horse").await;
    client
        .goto(&format!("{}/practice/{problem}", app.base))
        .await
        .unwrap();
    // The submit section is rebuilt when the problem arrives: wait for the problem, not
    // only the languages (served from memory, often first).
    wait_text(&client, "[data-testid=problem-title]", LONG, |t| {
        !t.is_empty()
    })
    .await;
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=language] option[value=python3]"))
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=language]"))
        .await
        .unwrap()
        .select_by_value("python3")
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=editor]"))
        .await
        .unwrap()
        .send_keys("import sys\nprint(sys.stdin.read().lower(), end='')\n")
        .await
        .unwrap();
    // The editor: Left puts the caret after `)`, which is marked with its `(`.
    client
        .find(Locator::Css("[data-testid=editor]"))
        .await
        .unwrap()
        .send_keys("\u{E012}")
        .await
        .unwrap();
    let marks = client
        .find_all(Locator::Css("[data-testid=bracket-marks] mark"))
        .await
        .unwrap();
    assert_eq!(marks.len(), 2, "the bracket pair at the caret");
    // Ctrl+F opens find and replace: `lower` becomes `upper`.
    client
        .find(Locator::Css("[data-testid=editor]"))
        .await
        .unwrap()
        .send_keys("\u{E009}f\u{E000}")
        .await
        .unwrap();
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=find-bar]:not([hidden])"))
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=find-input]"))
        .await
        .unwrap()
        .send_keys("lower")
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=replace-input]"))
        .await
        .unwrap()
        .send_keys("upper")
        .await
        .unwrap();
    click(&client, "[data-testid=replace-all]").await;
    wait_text(&client, "[data-testid=find-status]", LONG, |t| {
        t == "1 replaced"
    })
    .await;
    client
        .find(Locator::Css("[data-testid=run-input]"))
        .await
        .unwrap()
        .send_keys("shout")
        .await
        .unwrap();
    click(&client, "[data-testid=run-custom]").await;
    let out = wait_text(&client, "[data-testid=run-stdout]", LONG, |t| !t.is_empty()).await;
    assert_eq!(out, "SHOUT");
    // On the sample the output is checked: rejected, with the expected answer shown.
    click(&client, "[data-testid=run-sample-1]").await;
    let verdict = wait_text(
        &client,
        "[data-testid=run-result] [data-testid=verdict]",
        LONG,
        |t| t == "WA",
    )
    .await;
    assert_eq!(verdict, "WA");
    let result = client
        .find(Locator::Css("[data-testid=run-result]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        result.contains("Expected") && result.contains("Hello World!"),
        "{result}"
    );
    screenshot(&client, "run-on-sample").await;
    let (_, mine) = app.get("/api/submissions", Some(&token)).await;
    assert_eq!(mine, serde_json::json!([]), "runs make no submission");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_searches_the_archive_by_tag_and_name() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let custom = app.import(&admin, "custom").await;
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/problems/{custom}"),
            Some(&admin),
            Some(serde_json::json!({"tags": ["strings", "greedy"], "difficulty": 3})),
        )
        .await;
    assert_eq!(status, 200);
    app.register("ada_archive").await;
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    sign_in(&client, &app.base, "ada_archive", "correct horse").await;
    client
        .goto(&format!("{}/practice", app.base))
        .await
        .unwrap();
    // The demo's two problems and the tagged one.
    wait_text(&client, "[data-testid=archive-summary]", LONG, |t| {
        t.starts_with("3 problems")
    })
    .await;
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css(
            "[data-testid=archive-tag] option[value=greedy]",
        ))
        .await
        .unwrap();
    client
        .find(Locator::Css("[data-testid=archive-tag]"))
        .await
        .unwrap()
        .select_by_value("greedy")
        .await
        .unwrap();
    wait_text(&client, "[data-testid=archive-summary]", LONG, |t| {
        t.starts_with("1 problem ·")
    })
    .await;
    let row = client
        .find(Locator::Css("[data-testid=practice-row]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        row.contains("Two Different Parts") && row.contains("greedy") && row.contains("3.0"),
        "{row}"
    );
    screenshot(&client, "archive-by-tag").await;
    // Back to any tag, then by name.
    client
        .find(Locator::Css("[data-testid=archive-tag]"))
        .await
        .unwrap()
        .select_by_value("")
        .await
        .unwrap();
    wait_text(&client, "[data-testid=archive-summary]", LONG, |t| {
        t.starts_with("3 problems")
    })
    .await;
    client
        .find(Locator::Css("[data-testid=archive-search]"))
        .await
        .unwrap()
        .send_keys("plus")
        .await
        .unwrap();
    // The unfiltered list shows "A plus B" too, so wait for the filtered count, not the row.
    wait_text(&client, "[data-testid=archive-summary]", LONG, |t| {
        t.starts_with("1 problem ·")
    })
    .await;
    let rows = client
        .find_all(Locator::Css("[data-testid=practice-row]"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let row = rows[0].text().await.unwrap();
    assert!(row.contains("A plus B"), "{row}");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_reveals_a_hint_then_the_editorial() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "hello").await;
    let (status, _) = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/problems/{problem}/editorial"),
            Some(&admin),
            Some(serde_json::json!({
                "editorial": "Print it with $O(1)$ work.",
                "hints": ["No input is read.", "Mind the newline."],
            })),
        )
        .await;
    assert_eq!(status, 200);
    app.register("hugo_hints").await;
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 1000).await;
    sign_in(&client, &app.base, "hugo_hints", "correct horse").await;
    client
        .goto(&format!("{}/practice/{problem}", app.base))
        .await
        .unwrap();
    let button = wait_text(&client, "[data-testid=next-hint]", LONG, |t| {
        t.contains("1 of 2")
    })
    .await;
    assert!(button.contains("Show a hint"));
    click(&client, "[data-testid=next-hint]").await;
    let hint = wait_text(&client, "[data-testid=hint]", LONG, |t| {
        t.contains("No input")
    })
    .await;
    assert!(hint.contains("Hint 1"), "{hint}");
    wait_text(&client, "[data-testid=next-hint]", LONG, |t| {
        t.contains("2 of 2")
    })
    .await;
    click(&client, "[data-testid=open-editorial]").await;
    let editorial = wait_text(&client, "[data-testid=editorial]", LONG, |t| {
        t.contains("Print it")
    })
    .await;
    assert!(editorial.contains("Print it"), "{editorial}");
    let maths = client
        .find_all(Locator::Css("[data-testid=editorial] math"))
        .await
        .unwrap();
    assert_eq!(maths.len(), 1, "LaTeX rendered as MathML");
    screenshot(&client, "hint-and-editorial").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_shows_its_year_of_activity() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "hello").await;
    let (token, id) = app.register("heidi_heat").await;
    for code in ["print('Hello')\n", "print('Hello World!')\n"] {
        let (_, s) = app.submit(&token, None, problem, "a.py", code).await;
        app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    }
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    client
        .goto(&format!("{}/users/{id}", app.base))
        .await
        .unwrap();
    client
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=heatmap]"))
        .await
        .unwrap();
    let days = client
        .find_all(Locator::Css("[data-testid=heat-day]"))
        .await
        .unwrap();
    assert!(days.len() > 52 * 7, "a year of days: {}", days.len());
    let today = client
        .find_all(Locator::Css("[data-testid=heat-day][data-count='2']"))
        .await
        .unwrap();
    assert_eq!(today.len(), 1, "today's two submissions");
    let recent = wait_text(&client, "[data-testid=recent]", LONG, |t| t.contains("AC")).await;
    assert!(recent.contains("WA"), "{recent}");
    screenshot(&client, "profile-heatmap").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rating_graph_and_a_virtual_contest_whose_ghost_rows_move() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "hello").await;
    // A rated contest that started 6 s ago: ann solves now, ben fails.
    let contest = app
        .contest(
            &admin,
            "ghosts",
            &[problem],
            json!({"start_at": now_ms() - 6_000, "rated": true}),
        )
        .await;
    for (name, code) in [
        ("ann_gh", "print('Hello World!')\n"),
        ("ben_gh", "print('no')\n"),
    ] {
        let (token, _) = app.register(name).await;
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(&token),
            json!({}),
        )
        .await;
        let (_, s) = app
            .submit(&token, Some(contest), problem, "a.py", code)
            .await;
        app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    }
    let (status, v) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"end_at": now_ms() - 1})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let (status, ratings) = app
        .post(
            &format!("/api/contests/{contest}/ratings"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{ratings}");
    let ann = ratings["changes"][0]["user_id"].as_i64().unwrap();
    app.register("vic_gh").await;

    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    // ann's profile: her rating and its graph.
    client
        .goto(&format!("{}/users/{ann}", app.base))
        .await
        .unwrap();
    let rating = wait_text(&client, "[data-testid=rating]", LONG, |t| !t.is_empty()).await;
    assert_eq!(rating, "1616");
    let points = client
        .find_all(Locator::Css("[data-testid=rating-point]"))
        .await
        .unwrap();
    assert_eq!(points.len(), 1);
    screenshot(&client, "profile-rating").await;

    // vic takes the contest virtually from its page.
    sign_in(&client, &app.base, "vic_gh", "correct horse").await;
    client
        .goto(&format!("{}/contests/{contest}", app.base))
        .await
        .unwrap();
    click(&client, "[data-testid=start-virtual]").await;
    wait_text(&client, "[data-testid=virtual-clock]", LONG, |t| {
        t.contains("elapsed")
    })
    .await;
    // At first ann's ghost has solved nothing; about 6 s into vic's clock she has.
    let first = client
        .find_all(Locator::Css("[data-testid=ghost-row]"))
        .await
        .unwrap();
    assert_eq!(first.len(), 2, "two ghosts");
    let unsolved = client
        .find_all(Locator::Css("[data-testid=ghost-row][data-solved='0']"))
        .await
        .unwrap();
    assert_eq!(unsolved.len(), 2, "nobody solved at the start");
    assert!(
        client
            .find(Locator::Css("[data-testid=virtual-me]"))
            .await
            .is_ok()
    );
    let moved = wait_text(
        &client,
        "[data-testid=ghost-row][data-solved='1']",
        LONG,
        |t| t.contains("ann_gh"),
    )
    .await;
    assert!(
        moved.starts_with('1'),
        "ann ranks first once solved: {moved}"
    );
    screenshot(&client, "virtual-ghosts").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_speaks_german_and_a_statement_is_read_in_each_of_its_languages() {
    let Some((driver, browser)) = browser_or_skip() else {
        return;
    };
    let app = spawn_app();
    let admin = app.admin().await;
    let tmp = tempfile::tempdir().unwrap();
    let problem = app
        .import_dir(
            &admin,
            &super::helpers::hello_in_two_languages(tmp.path()),
            "bilingual",
        )
        .await;
    let driver = Driver::start(driver, browser);
    let client = driver.session(1280, 900).await;
    client
        .goto(&format!("{}/practice/{problem}", app.base))
        .await
        .unwrap();
    // English first (the browser's language), the English statement.
    wait_text(&client, "[data-testid=problem-title]", LONG, |t| {
        t == "Hello World"
    })
    .await;
    let nav = wait_text(&client, "nav", LONG, |t| t.contains("Contests")).await;
    assert!(nav.contains("Practice"), "{nav}");
    // German from the picker: the words, and the German statement by default.
    client
        .find(Locator::Css("[data-testid=language-picker]"))
        .await
        .unwrap()
        .select_by_value("de")
        .await
        .unwrap();
    wait_text(&client, "nav", LONG, |t| t.contains("Wettbewerbe")).await;
    wait_text(&client, "[data-testid=problem-title]", LONG, |t| {
        t == "Hallo Welt"
    })
    .await;
    let body = wait_text(&client, ".statement-body", LONG, |t| t.contains("Gib")).await;
    assert!(body.contains("Hello World!"), "{body}");
    screenshot(&client, "german-statement").await;
    // The statement's own picker goes back to English; the UI stays German.
    client
        .find(Locator::Css("[data-testid=statement-language]"))
        .await
        .unwrap()
        .select_by_value("en")
        .await
        .unwrap();
    wait_text(&client, "[data-testid=problem-title]", LONG, |t| {
        t == "Hello World"
    })
    .await;
    wait_text(&client, "nav", LONG, |t| t.contains("Üben")).await;
    client.close().await.unwrap();
}
