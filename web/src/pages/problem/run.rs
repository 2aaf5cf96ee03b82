//! The problem page's run panel: the editor's code run on a sample or typed input
//! (`POST /api/runs`), its output, error output, time and memory, and for a sample the
//! expected answer when the output is rejected.

use crate::components::verdict::verdict_badge;
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::t;
use codehub_protocol::Verdict;
use codehub_protocol::requests::{NewRun, RunInput};
use codehub_protocol::views::{FileView, RunView};
use sycamore::prelude::*;

/// The run panel for `problem` (in `contest`, if any) with `samples` samples; `source`
/// gives the language and file to run, or why there is nothing to run yet.
pub fn run_panel(
    problem: i64,
    contest: Option<i64>,
    samples: usize,
    source: impl Fn() -> Result<(String, FileView), String> + Copy + 'static,
) -> View {
    let ctx = use_context::<Ctx>();
    let input = create_signal(String::new());
    let result = create_signal(None::<RunView>);
    let error = create_signal(None::<String>);
    let running = create_signal(false);
    let start = move |what: RunInput| {
        if running.get() {
            return;
        }
        let (language, file) = match source() {
            Ok(s) => s,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let body = NewRun {
            problem_id: problem,
            contest_id: contest,
            language: Some(language),
            files: vec![file],
            input: what,
        };
        running.set(true);
        error.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            let json = serde_json::to_value(&body).unwrap_or_default();
            match ctx.api.post::<RunView>("/api/runs", json).await {
                Ok(r) => result.set(Some(r)),
                Err(e) => {
                    result.set(None);
                    error.set(Some(e.to_string()));
                }
            }
            running.set(false);
        });
    };
    let sample_buttons: Vec<View> = (1..=samples)
        .map(|n| {
            view! {
                button(r#type="button", class="ghost", disabled=running.get(),
                    data-testid=format!("run-sample-{n}"), on:click=move |_| start(RunInput::Sample(n))) {
                    (crate::t!("problem-run-sample", number = n))
                }
            }
        })
        .collect();
    view! {
        div(class="run-panel") {
            h3 { (t("problem-run")) }
            textarea(bind:value=input, rows="4", placeholder=t("problem-run-input"),
                aria-label=t("problem-run-input"), data-testid="run-input")
            div(class="row") {
                button(r#type="button", disabled=running.get(), data-testid="run-custom",
                    on:click=move |_| start(RunInput::Stdin(input.get_clone()))) {
                    (if running.get() { t("problem-running") } else { t("problem-run-on-input") })
                }
                (sample_buttons)
            }
            (super::super::error_line(error))
            (result.get_clone().map(outcome).unwrap_or_default())
        }
    }
}

/// A run's result.
fn outcome(r: RunView) -> View {
    let status = match r.verdict {
        None => t("problem-run-finished"),
        Some(v) => format::verdict_name(v),
    };
    let facts = format!(
        "{} · {}{}",
        format::ms(r.time_ms as i64),
        format::kib(r.memory_kib as i64),
        r.exit_code
            .map(|c| format!(
                " {}",
                crate::t!("problem-run-exit-code", code = c.to_string())
            ))
            .unwrap_or_default()
    );
    let cut = |text: String, truncated: bool| {
        if truncated {
            format!("{text}\n{}", t("problem-run-cut"))
        } else {
            text
        }
    };
    let compile = (r.verdict == Some(Verdict::CompileError) || !r.compile_output.is_empty())
        .then(|| r.compile_output.clone())
        .filter(|c| !c.is_empty());
    let stdout = cut(r.stdout, r.stdout_truncated);
    let stderr = (!r.stderr.is_empty()).then(|| cut(r.stderr, r.stderr_truncated));
    let expected = r
        .sample
        .filter(|_| r.verdict != Some(Verdict::Accepted))
        .map(|s| (cut(s.expected, s.expected_truncated), s.message));
    let compile: View = compile
        .map(|c| view! { h4 { (t("problem-compiler-output")) } pre { (c) } })
        .unwrap_or_default();
    let stderr: View = stderr
        .map(|e| view! { h4 { (t("problem-run-error-output")) } pre(data-testid="run-stderr") { (e) } })
        .unwrap_or_default();
    let expected: View = expected
        .map(|(answer, why)| {
            let why: View = why
                .map(|w| view! { p(class="muted") { (w) } })
                .unwrap_or_default();
            view! {
                h4 { (t("problem-run-expected")) }
                pre { (answer) }
                (why)
            }
        })
        .unwrap_or_default();
    let badge = verdict_badge(r.verdict, status);
    view! {
        div(class="run-result", data-testid="run-result") {
            p { (badge) " " span(class="muted") { (facts) } }
            (compile)
            h4 { (t("problem-run-output")) }
            pre(data-testid="run-stdout") { (stdout) }
            (stderr)
            (expected)
        }
    }
}
