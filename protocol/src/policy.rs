//! The verdict policy: the judge's own choices where the package format leaves them to
//! the judging system (see `docs/judging.md`). The defaults are CodeHub's behaviour; a
//! contest (`verdict_policy` of its body) or a command line may change them. It travels
//! with each judge job, so a remote worker judges a contest by the contest's policy.

use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What a submission's run may do beyond the package's limits, and what it earns for
/// going past them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VerdictPolicy {
    /// Wall-clock limit of a run as a multiple of the time limit (plus
    /// `wall_time_extra_ms`): a submission that sleeps or waits gets TLE at last.
    pub wall_time_factor: u32,
    /// Added to the wall-clock limit, ms.
    pub wall_time_extra_ms: u64,
    /// The verdict of a run that writes more than the output limit.
    pub output_overflow: OutputOverflow,
    /// Stack of a submission's main thread, bytes; `None`: the memory limit (a stack as
    /// deep as memory allows, as Kattis and the ICPC judges give).
    pub stack_bytes: Option<u64>,
    /// Largest file a compiler may write (object file, executable), bytes; at most
    /// 256 MiB (compiled files are read back up to that). An initialised static array
    /// larger than this gives a compile error (the message says why).
    pub compile_file_bytes: u64,
}

/// The verdict for output past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutputOverflow {
    /// Output limit exceeded (CodeHub's default).
    OutputLimitExceeded,
    /// Wrong answer (as problemtools and DOMjudge report it).
    WrongAnswer,
    /// Run-time error.
    RunTimeError,
}

impl OutputOverflow {
    /// Reads `OLE`, `WA` or `RTE` (or the snake-case names).
    ///
    /// # Errors
    /// A message listing the choices.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "ole" | "output_limit_exceeded" => Ok(OutputOverflow::OutputLimitExceeded),
            "wa" | "wrong_answer" => Ok(OutputOverflow::WrongAnswer),
            "rte" | "run_time_error" => Ok(OutputOverflow::RunTimeError),
            _ => Err(format!(
                "`{text}`: the output overflow verdict is OLE, WA or RTE"
            )),
        }
    }

    /// The verdict it gives.
    pub fn verdict(self) -> Verdict {
        match self {
            OutputOverflow::OutputLimitExceeded => Verdict::OutputLimitExceeded,
            OutputOverflow::WrongAnswer => Verdict::WrongAnswer,
            OutputOverflow::RunTimeError => Verdict::RunTimeError,
        }
    }
}

impl Default for VerdictPolicy {
    fn default() -> Self {
        VerdictPolicy {
            wall_time_factor: 2,
            wall_time_extra_ms: 1000,
            output_overflow: OutputOverflow::OutputLimitExceeded,
            stack_bytes: None,
            compile_file_bytes: 256 << 20,
        }
    }
}

impl VerdictPolicy {
    /// The wall-clock limit of a run whose CPU time limit is `time_limit`.
    pub fn wall_time(&self, time_limit: Duration) -> Duration {
        time_limit * self.wall_time_factor.max(1) + Duration::from_millis(self.wall_time_extra_ms)
    }

    /// Why this policy cannot be used (a contest's body is checked with it), or `None`.
    pub fn problem(&self) -> Option<String> {
        if !(1..=10).contains(&self.wall_time_factor) {
            return Some("verdict_policy.wall_time_factor must be 1-10".into());
        }
        if self.wall_time_extra_ms > 60_000 {
            return Some("verdict_policy.wall_time_extra_ms must be at most 60000".into());
        }
        if self.stack_bytes.is_some_and(|b| b < 64 << 10) {
            return Some("verdict_policy.stack_bytes must be at least 65536".into());
        }
        if !(1 << 20..=256 << 20).contains(&self.compile_file_bytes) {
            return Some("verdict_policy.compile_file_bytes must be 1 MiB-256 MiB".into());
        }
        None
    }

    /// The stack of a run whose memory limit is `memory_bytes`.
    pub fn stack(&self, memory_bytes: u64) -> u64 {
        self.stack_bytes.unwrap_or(memory_bytes).min(memory_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_codehubs_behaviour() {
        let p = VerdictPolicy::default();
        assert_eq!(p.wall_time(Duration::from_secs(2)), Duration::from_secs(5));
        assert_eq!(p.stack(256 << 20), 256 << 20);
        assert_eq!(p.output_overflow.verdict(), Verdict::OutputLimitExceeded);
    }

    #[test]
    fn a_policy_reads_from_json_with_defaults_for_missing_knobs() {
        let p: VerdictPolicy =
            serde_json::from_str(r#"{"output_overflow":"wrong_answer","stack_bytes":8388608}"#)
                .unwrap();
        assert_eq!(p.output_overflow.verdict(), Verdict::WrongAnswer);
        assert_eq!(p.stack(256 << 20), 8 << 20);
        assert_eq!(p.stack(4 << 20), 4 << 20);
        assert_eq!(p.wall_time_factor, 2);
        assert!(serde_json::from_str::<VerdictPolicy>(r#"{"walltime":3}"#).is_err());
    }

    #[test]
    fn out_of_range_knobs_are_named() {
        assert_eq!(VerdictPolicy::default().problem(), None);
        let p = VerdictPolicy {
            wall_time_factor: 0,
            ..VerdictPolicy::default()
        };
        assert!(p.problem().unwrap().contains("wall_time_factor"));
        let p = VerdictPolicy {
            compile_file_bytes: 1 << 30,
            ..VerdictPolicy::default()
        };
        assert!(p.problem().unwrap().contains("compile_file_bytes"));
    }
}
