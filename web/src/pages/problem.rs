//! A problem: statement (server-rendered HTML with MathML), limits, samples with copy
//! buttons, the editor with a remembered language and file upload (or, for an
//! output-only problem, the upload of its answer files), submission with the live
//! verdict underneath.

use super::{Load, fetch, pending};
use crate::components::editor::Editor;
use crate::components::verdict::verdict_badge;
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::t;
use crate::live;
use codehub_protocol::files::{ANSWER_LANGUAGE, check_source_name};
use codehub_protocol::names::LiveState;
use codehub_protocol::requests::NewSubmission;
use codehub_protocol::views::{ANSWERS_KIND, FileView, LanguageView, ProblemView, SubmissionView};
use codehub_protocol::ws::{MessageKind, Status};
use codehub_protocol::{Channel, SubmissionId};
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

mod drafts;
mod help;
mod run;

const LANGUAGE_KEY: &str = "codehub.language";

fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The language of an uploaded file, or why it cannot be submitted, in the words of the
/// server's checks: a name that breaks [`check_source_name`], or (once the languages are
/// known, else `Ok(None)`) an extension that is no language's, matched exactly as the
/// judge does (`.CPP` is not `.cpp`, and `.C` is C++, not C).
fn upload_language(
    name: &str,
    languages: &[(String, Vec<String>)],
) -> Result<Option<String>, String> {
    check_source_name(name)
        .map_err(|e| crate::t!("problem-cannot-upload", reason = e.to_string()))?;
    if languages.is_empty() {
        return Ok(None);
    }
    let ext = codehub_protocol::files::extension(name).unwrap_or_default();
    let owner = languages
        .iter()
        .find(|(_, exts)| exts.iter().any(|e| e.trim_start_matches('.') == ext));
    match owner {
        Some((id, _)) => Ok(Some(id.clone())),
        None => {
            let known: Vec<&str> = languages
                .iter()
                .flat_map(|(_, exts)| exts.iter().map(|e| e.trim_start_matches('.')))
                .collect();
            Err(crate::t!(
                "problem-unknown-extension",
                name = name,
                ext = ext,
                known = known.join(", .")
            ))
        }
    }
}

/// Whether chosen answer files can be submitted, in the words of the server's checks:
/// each name by [`check_source_name`], one of the problem's answer files, once.
fn check_answer_uploads(names: &[String], expected: &[String]) -> Result<(), String> {
    if names.is_empty() {
        return Err(t("problem-choose-answer-files"));
    }
    for (i, name) in names.iter().enumerate() {
        check_source_name(name)
            .map_err(|e| crate::t!("problem-cannot-upload", reason = e.to_string()))?;
        if !expected.contains(name) {
            return Err(crate::t!(
                "problem-not-an-answer-file",
                name = name,
                expected = expected
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if names[..i].contains(name) {
            return Err(crate::t!("problem-chosen-twice", name = name));
        }
    }
    Ok(())
}

/// The submit form of an output-only (submit-answer) problem: its answer files, one per
/// test case, sent with the language `answer`.
fn answer_form(contest: Option<i64>, problem: i64, answer_files: Vec<String>) -> View {
    let ctx = use_context::<Ctx>();
    let files = create_signal(Vec::<FileView>::new());
    let error = create_signal(None::<String>);
    let submitted = create_signal(None::<i64>);
    let busy = create_signal(false);
    let listed = answer_files
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let on_files = move |e: web_sys::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else {
            return;
        };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        let names: Vec<String> = chosen.iter().map(|f| f.name()).collect();
        if let Err(message) = check_answer_uploads(&names, &answer_files) {
            error.set(Some(message));
            files.set(Vec::new());
            input.set_value("");
            return;
        }
        error.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            let mut read = Vec::new();
            for file in chosen {
                let name = file.name();
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => read.push(FileView {
                        name,
                        contents: text.as_string().unwrap_or_default(),
                    }),
                    Err(_) => {
                        error.set(Some(crate::t!("problem-cannot-read", name = name)));
                        return;
                    }
                }
            }
            files.set(read);
        });
    };
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        if busy.get() {
            return;
        }
        let chosen = files.get_clone();
        if chosen.is_empty() {
            error.set(Some(t("problem-choose-answer-files")));
            return;
        }
        let body = NewSubmission {
            problem_id: problem,
            contest_id: contest,
            language: Some(ANSWER_LANGUAGE.into()),
            files: chosen,
        };
        post_submission(ctx, body, busy, error, submitted);
    };
    let mine = match contest {
        Some(c) => format!("/contests/{c}/submissions"),
        None => "/practice/submissions".to_owned(),
    };
    let output_only = crate::t!("problem-output-only", files = listed);
    view! {
        section(class="card") {
            h2 { (t("problem-submit-answers")) }
            p { (output_only) }
            form(on:submit=submit, class="submit-form") {
                div(class="row") {
                    label(class="file") {
                        (t("problem-answer-files")) " "
                        input(r#type="file", multiple=true, on:change=on_files, data-testid="answers")
                    }
                }
                p(data-testid="chosen") {
                    (files.with(|f| f.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", ")))
                }
                div(class="row") {
                    button(r#type="submit", disabled=busy.get(), data-testid="submit") {
                        (if busy.get() { t("problem-submitting") } else { t("problem-submit") })
                    }
                    a(href=mine) { (t("problem-my-submissions")) }
                }
                (super::error_line(error))
            }
            (submitted.get().map(|id| view! { LiveVerdict(id=id) }).unwrap_or_default())
        }
    }
}

/// A problem page, in a contest or in practice.
#[component(inline_props)]
pub fn ProblemPage(contest: Option<i64>, problem: i64) -> View {
    let ctx = use_context::<Ctx>();
    // The statement in the UI's language where the problem has it; the picker chooses.
    let statement_lang = create_signal(crate::i18n::language().to_owned());
    let data = create_signal(Load::<ProblemView>::Loading);
    create_effect(move || {
        let lang = statement_lang.get_clone();
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/problems/{problem}?lang={lang}");
            data.set(match ctx.api.get::<ProblemView>(&path).await {
                Ok(p) => Load::Ready(p),
                Err(e) => Load::Failed(e.to_string()),
            });
        });
    });
    let languages = fetch::<Vec<LanguageView>>(ctx.api, "/api/languages".into());
    let language = create_signal(crate::api::stored(LANGUAGE_KEY).unwrap_or_else(|| "cpp".into()));
    create_effect(move || crate::api::store(LANGUAGE_KEY, Some(&language.get_clone())));
    let code = create_signal(String::new());
    // Each language has its own draft of this problem's code; a new one starts from the
    // language's template.
    create_effect(move || {
        let lang = language.get_clone();
        let draft = crate::api::stored(&drafts::draft_key(problem, &lang))
            .unwrap_or_else(|| drafts::template(&lang).to_owned());
        code.set(draft);
    });
    create_effect(move || {
        let text = code.get_clone();
        let lang = language.get_clone_untracked();
        crate::api::store(&drafts::draft_key(problem, &lang), Some(&text));
    });
    let file_name = create_signal(None::<String>);
    let error = create_signal(None::<String>);
    let submitted = create_signal(None::<i64>);
    let busy = create_signal(false);

    let on_file = move |e: web_sys::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        let exts: Vec<(String, Vec<String>)> = languages.with(|l| {
            l.ready()
                .map(|l| {
                    l.iter()
                        .map(|x| (x.id.clone(), x.extensions.clone()))
                        .collect()
                })
                .unwrap_or_default()
        });
        // The server's checks, before anything is read or sent.
        match upload_language(&name, &exts) {
            Ok(id) => {
                error.set(None);
                if let Some(id) = id {
                    language.set(id);
                }
            }
            Err(message) => {
                error.set(Some(message));
                input.set_value("");
                return;
            }
        }
        file_name.set(Some(name));
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                code.set(text.as_string().unwrap_or_default());
            }
        });
    };

    // The editor's code as the file to send, with its language.
    let source = move || -> Result<(String, FileView), String> {
        let contents = code.get_clone();
        let lang = language.get_clone();
        // The language's template alone is not a solution yet.
        if contents.trim().is_empty() || contents.trim() == drafts::template(&lang).trim() {
            return Err(t("problem-write-first"));
        }
        let ext = languages.with(|l| {
            l.ready()
                .and_then(|l| l.iter().find(|x| x.id == lang))
                .and_then(|x| x.extensions.first().cloned())
        });
        let name = file_name
            .get_clone()
            .unwrap_or_else(|| format!("main.{}", ext.unwrap_or_else(|| "txt".into())));
        Ok((lang, FileView { name, contents }))
    };
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        if busy.get() {
            return;
        }
        let (lang, file) = match source() {
            Ok(s) => s,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let body = NewSubmission {
            problem_id: problem,
            contest_id: contest,
            language: Some(lang),
            files: vec![file],
        };
        post_submission(ctx, body, busy, error, submitted);
    };

    let back = match contest {
        Some(c) => (format!("/contests/{c}"), t("common-back-to-contest")),
        None => ("/practice".to_owned(), t("common-back-to-practice")),
    };
    let mine = match contest {
        Some(c) => format!("/contests/{c}/submissions"),
        None => "/practice/submissions".to_owned(),
    };
    view! {
        p { a(href=back.0) { (back.1) } }
        (pending(&data.get_clone()))
        (match data.get_clone() {
            Load::Ready(p) => {
                let picker = statement_languages(&p, statement_lang);
                let body = statement(p);
                view! { (picker) (body) }
            }
            _ => view! {},
        })
        (match (contest, ctx.api.user().is_some()) {
            (None, true) => view! { help::HelpPanel(problem=problem) },
            _ => view! {},
        })
        (if ctx.api.user().is_none() {
            view! { section(class="card") { p { a(href="/login") { (t("problem-sign-in")) } (t("problem-sign-in-to")) } } }
        } else if let Some(answer_files) = answers_of(&data.get_clone()) {
            answer_form(contest, problem, answer_files)
        } else {
            let mine = mine.clone();
            view! {
                section(class="card") {
                    h2 { (t("problem-submit-title")) }
                    form(on:submit=submit, class="submit-form") {
                        div(class="row") {
                            label(r#for="language") { (t("problem-language")) }
                            select(id="language", data-testid="language", prop:value=language.get_clone(), on:change=move |e: web_sys::Event| {
                                if let Some(s) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                                    language.set(s.value());
                                }
                            }) {
                                (languages.with(|l| l.ready().cloned().unwrap_or_default()).into_iter().map(|l| {
                                    let id = l.id.clone();
                                    let selected = language.get_clone_untracked() == l.id;
                                    let label = if l.available { l.name.clone() } else { crate::t!("problem-language-unavailable", name = &l.name) };
                                    view! { option(value=id, disabled=!l.available, selected=selected) { (label) } }
                                }).collect::<Vec<View>>())
                            }
                            label(class="file") {
                                (t("problem-upload-file")) " "
                                input(r#type="file", on:change=on_file, data-testid="upload")
                            }
                        }
                        Editor(code=code, language=*language)
                        div(class="row") {
                            button(r#type="submit", disabled=busy.get(), data-testid="submit") {
                                (if busy.get() { t("problem-submitting") } else { t("problem-submit") })
                            }
                            a(href=mine) { (t("problem-my-submissions")) }
                        }
                        (super::error_line(error))
                    }
                    (submitted.get().map(|id| view! { LiveVerdict(id=id) }).unwrap_or_default())
                    (run::run_panel(problem, contest, sample_count(&data.get_clone()), source))
                }
            }
        })
    }
}

/// How many samples the loaded problem shows.
fn sample_count(data: &Load<ProblemView>) -> usize {
    match data {
        Load::Ready(p) => p.samples.as_ref().map_or(0, Vec::len),
        _ => 0,
    }
}

/// The choice of the statement's language, when the problem has several.
fn statement_languages(p: &ProblemView, chosen: Signal<String>) -> View {
    if p.languages.len() < 2 {
        return view! {};
    }
    let current = p.language.clone().unwrap_or_default();
    let options: Vec<View> = p
        .languages
        .iter()
        .map(|l| {
            let selected = *l == current;
            let (value, label) = (l.clone(), l.clone());
            view! { option(value=value, selected=selected) { (label) } }
        })
        .collect();
    view! {
        p(class="row statement-languages") {
            label(r#for="statement-language") { (t("problem-statement-language")) }
            select(id="statement-language", data-testid="statement-language",
                on:change=move |e: web_sys::Event| {
                    let v = e.target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                        .map(|s| s.value())
                        .unwrap_or_default();
                    chosen.set(v);
                }) {
                (options)
            }
        }
    }
}

fn statement(p: ProblemView) -> View {
    let name = p.name.clone();
    let limits = crate::t!(
        "problem-limits",
        time = format::ms(p.time_limit_ms),
        memory = format::kib(p.memory_limit_kib),
        code = format::kib(p.code_limit_bytes / 1024)
    );
    let html = p.statement_html.clone().unwrap_or_default();
    let samples: Vec<View> = p
        .samples
        .clone()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let (input, output) = (s.input.clone(), s.output.clone());
            let (copy_in, copy_out) = (s.input, s.output);
            view! {
                div(class="sample") {
                    div {
                        div(class="sample-head") {
                            span { (crate::t!("problem-sample-input", number = i + 1)) }
                            button(class="ghost small", on:click=move |_| copy_to_clipboard(&copy_in),
                                aria-label=crate::t!("problem-copy-sample-input", number = i + 1)) { (t("problem-copy")) }
                        }
                        pre { (input) }
                    }
                    div {
                        div(class="sample-head") {
                            span { (crate::t!("problem-sample-output", number = i + 1)) }
                            button(class="ghost small", on:click=move |_| copy_to_clipboard(&copy_out),
                                aria-label=crate::t!("problem-copy-sample-output", number = i + 1)) { (t("problem-copy")) }
                        }
                        pre { (output) }
                    }
                }
            }
        })
        .collect();
    let samples = if samples.is_empty() {
        view! {}
    } else {
        view! { h2 { (t("problem-samples")) } (samples) }
    };
    view! {
        article(class="card statement") {
            h1(data-testid="problem-title") { (name) }
            p(class="muted") { (limits) }
            div(class="statement-body", dangerously_set_inner_html=html)
            (samples)
        }
    }
}

/// One submission's live progress: queued → compiling → test i/n → verdict, then its
/// compiler output and sample results.
#[component(inline_props)]
pub fn LiveVerdict(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let status = create_signal(format::status_line(LiveState::Queued, None, None, None));
    let verdict = create_signal(None::<codehub_protocol::Verdict>);
    let detail = create_signal(None::<SubmissionView>);
    let load_detail = move || {
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(s) = ctx
                .api
                .get::<SubmissionView>(&format!("/api/submissions/{id}"))
                .await
            {
                detail.set(Some(s));
            }
        });
    };
    let link = live::subscribe(
        ctx.api,
        Channel::Submission(SubmissionId(id)),
        move |msg| match msg.kind {
            MessageKind::Snapshot => {
                if let Ok(s) = serde_json::from_value::<SubmissionView>(msg.data) {
                    status.set(format::submission_status_name(s.status));
                    if s.verdict.is_some() {
                        verdict.set(s.verdict);
                        load_detail();
                    }
                }
            }
            MessageKind::Status | MessageKind::Verdict => {
                if let Ok(s) = serde_json::from_value::<Status>(msg.data) {
                    status.set(format::status_line(s.state, s.test, s.total, s.verdict));
                    if s.verdict.is_some() {
                        verdict.set(s.verdict);
                        load_detail();
                    }
                }
            }
            _ => {}
        },
    );
    view! {
        div(class="live-verdict", aria-live="polite", data-testid="live-verdict") {
            p {
                (crate::t!("problem-live-submission", id = id.to_string())) " "
                (verdict_badge(verdict.get_clone(), status.get_clone()))
                " " span(class="muted", data-testid="live-status") { (status.get_clone()) }
                (if link.get() == live::Link::Live { view! {} } else { view! { span(class="muted") { " " (t("problem-connecting")) } } })
            }
            (detail.get_clone().map(submission_detail).unwrap_or_default())
        }
    }
}

/// Compiler output and per-test results of a judged submission.
pub fn submission_detail(s: SubmissionView) -> View {
    let compile = s.compile_output.clone().filter(|o| !o.trim().is_empty());
    let tests: Vec<View> = s
        .tests
        .iter()
        .map(|t| {
            let (name, v) = (t.name.clone(), t.verdict);
            let (time, mem) = (format::ms(t.time_ms), format::kib(t.memory_kib));
            let badge = verdict_badge(Some(v), String::new());
            view! { tr { td { (name) } td { (badge) } td { (time) } td { (mem) } } }
        })
        .collect();
    let tests = if tests.is_empty() {
        view! {}
    } else {
        view! {
            table(class="table compact") {
                thead { tr { th(scope="col") { (t("problem-test")) } th(scope="col") { (t("problem-verdict")) } th(scope="col") { (t("problem-time")) } th(scope="col") { (t("problem-memory")) } } }
                tbody { (tests) }
            }
        }
    };
    let summary = crate::t!(
        "problem-tests-summary",
        count = s.tests_run,
        time = format::ms(s.time_ms.unwrap_or(0)),
        memory = format::kib(s.memory_kib.unwrap_or(0))
    );
    view! {
        div(class="detail") {
            p(class="muted") { (summary) }
            (if let Some(out) = compile.clone() {
                view! { details(open=true) { summary { (t("problem-compiler-output")) } pre(class="compile-output", data-testid="compile-output") { (out) } } }
            } else { view! {} })
            (tests)
        }
    }
}

/// The answer files of a loaded output-only problem; `None` for others or before loading.
fn answers_of(data: &Load<ProblemView>) -> Option<Vec<String>> {
    match data {
        Load::Ready(p) if p.kind == ANSWERS_KIND => Some(p.answer_files.clone()),
        _ => None,
    }
}

/// Posts `body` to `/api/submissions` with `busy` set meanwhile: the new submission's id
/// goes to `submitted`, a refusal's message to `error`.
fn post_submission(
    ctx: Ctx,
    body: NewSubmission,
    busy: Signal<bool>,
    error: Signal<Option<String>>,
    submitted: Signal<Option<i64>>,
) {
    busy.set(true);
    error.set(None);
    sycamore::futures::spawn_local_scoped(async move {
        let json = serde_json::to_value(&body).unwrap_or_default();
        match ctx
            .api
            .post::<SubmissionView>("/api/submissions", json)
            .await
        {
            Ok(s) => submitted.set(Some(s.id)),
            Err(e) => error.set(Some(e.to_string())),
        }
        busy.set(false);
    });
}

#[cfg(test)]
mod tests {
    use super::{check_answer_uploads, upload_language};

    #[test]
    fn answer_uploads_must_be_the_problems_answer_files_once() {
        let expected = vec!["sample.1.out".to_owned(), "1.out".to_owned()];
        let check = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            check_answer_uploads(&names, &expected)
        };
        assert_eq!(check(&["1.out"]), Ok(()));
        assert_eq!(check(&["1.out", "sample.1.out"]), Ok(()));
        assert!(check(&[]).unwrap_err().contains("Choose"));
        let e = check(&["2.out"]).unwrap_err();
        assert!(
            e.contains("`2.out`") && e.contains("`sample.1.out`, `1.out`"),
            "{e}"
        );
        assert!(check(&["1.out", "1.out"]).unwrap_err().contains("twice"));
        assert!(
            check(&["a b.out"])
                .unwrap_err()
                .contains("contains a space")
        );
    }

    #[test]
    fn uploads_are_held_to_the_servers_file_name_rule() {
        let langs = vec![
            ("c".to_owned(), vec!["c".to_owned()]),
            ("cpp".to_owned(), vec!["cpp".to_owned(), "C".to_owned()]),
            ("python3".to_owned(), vec!["py".to_owned()]),
        ];
        let lang = |name: &str| upload_language(name, &langs);
        assert_eq!(lang("sol.py"), Ok(Some("python3".into())));
        assert_eq!(lang("main.C"), Ok(Some("cpp".into())));
        assert_eq!(lang("main.c"), Ok(Some("c".into())));
        for name in ["a b#.py", ".hidden.py", "x\\y.py", "Makefile"] {
            let e = lang(name).unwrap_err();
            assert!(
                e.contains("a file name is 1 to 100 characters"),
                "{name}: {e}"
            );
        }
        for name in ["notes.txt", "Main.CPP"] {
            let e = lang(name).unwrap_err();
            assert!(
                e.contains("is the extension of no language") && e.contains(".c, .cpp, .C, .py"),
                "{e}"
            );
        }
        // Before the languages load, only the name is checked.
        assert_eq!(upload_language("notes.txt", &[]), Ok(None));
    }
}
