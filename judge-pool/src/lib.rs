//! CodeHub's judge: untrusted source code plus a problem package in, a verdict out.
//!
//! # Overview
//! - [`sandbox`]: the [`sandbox::Sandbox`] trait (environments where programs run under
//!   kernel-enforced limits) and its native Linux backend.
//! - [`language`]: the language table (compile/run commands as data, detection by
//!   extension, Java main-class discovery).
//! - [`package`]: Kattis / ICPC problem packages from a directory or a zip.
//! - [`validator`]: the default output validator and the custom-validator protocol.
//! - [`judge`]: [`judge::Judge`], the pipeline from source files to a [`judge::JudgeReport`].
//! - [`policy`]: [`policy::VerdictPolicy`], the judge's own choices (wall time, stack,
//!   output overflow, compiler file size).
//! - [`timelimit`]: time limits computed from a package's submissions.
//! - [`score`]: scores of 2023-07 scoring problems (test cases, groups, `secret`).
//! - [`service`]: [`service::SandboxedJudge`], the engine's judging port.
//! - [`verify`]: judging a package's own `submissions/` against their expected verdicts.
//! - [`polygon`]: Polygon packages imported into the Kattis layout (testlib programs,
//!   generated tests, statements).
//!
//! # Example
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use codehub_judge::{judge::{Judge, JudgeOptions}, language::{LanguageTable, SourceFile},
//!     package::Problem, sandbox::native::{KeeperCommand, NativeConfig, NativeSandbox}};
//! use std::sync::Arc;
//! let keeper = KeeperCommand { program: "codehub-sandbox-keeper".into(), args: vec![] };
//! let sandbox = || NativeSandbox::new(NativeConfig::new(keeper.clone()));
//! let judge = Judge::new(sandbox()?, sandbox()?, Arc::new(LanguageTable::builtin()));
//! let problem = Problem::load("hello".as_ref())?;
//! let files = [SourceFile { name: "hello.py".into(), contents: b"print('Hello World!')".to_vec() }];
//! let report = judge.judge(&problem, &files, None, &JudgeOptions::default()).await?;
//! println!("{}", report.verdict);
//! # Ok(()) }
//! ```
//!
//! The crate knows nothing of HTTP or storage; the engine and the CLI drive it.

pub mod judge;
pub mod language;
pub mod package;
pub mod policy;
pub mod polygon;
pub mod sandbox;
pub mod score;
pub mod service;
pub mod timelimit;
pub mod validator;
pub mod verify;
