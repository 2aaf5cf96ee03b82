//! The UI end to end in a real headless Chromium: a spectator watches the public
//! scoreboard while a newcomer registers, opens a problem, submits, sees the verdict
//! stream in without a reload, and the spectator's row updates live. Screenshots of the
//! main pages go to `target/ui-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (the test script installs them and
//! sets `CODEHUB_REQUIRE_BROWSER=1`, making their absence a failure, not a skip).

use super::browser_support::{Driver, installed, screenshot, wait_text};
use super::helpers::spawn_app;
use fantoccini::Locator;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(60);

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
    contestant
        .goto(&format!("{}/login", app.base))
        .await
        .unwrap();
    contestant
        .wait()
        .at_most(LONG)
        .for_element(Locator::Css("[data-testid=username]"))
        .await
        .unwrap()
        .send_keys("admin")
        .await
        .unwrap();
    contestant
        .find(Locator::Css("[data-testid=password]"))
        .await
        .unwrap()
        .send_keys(app.admin_password.as_deref().unwrap())
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
        t.contains("admin")
    })
    .await;
    contestant
        .goto(&format!("{}/admin", app.base))
        .await
        .unwrap();
    wait_text(&contestant, "[data-testid=queue]", LONG, |t| {
        t.contains("Judges")
    })
    .await;
    screenshot(&contestant, "admin").await;

    spectator.close().await.unwrap();
    contestant.close().await.unwrap();
}
