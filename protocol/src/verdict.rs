//! Verdicts: what the judge says about a submission or a single test case.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The judge's verdict on a run, a test case or a whole submission.
///
/// `JudgeError` is the judge's own fault (a broken validator, a sandbox failure) and must
/// never be counted against the contestant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verdict {
    /// Accepted: the output was judged correct within all limits.
    #[serde(rename = "AC")]
    Accepted,
    /// Wrong answer: the program finished normally but its output was rejected.
    #[serde(rename = "WA")]
    WrongAnswer,
    /// Time limit exceeded: CPU time or wall-clock time ran out.
    #[serde(rename = "TLE")]
    TimeLimitExceeded,
    /// Memory limit exceeded: the kernel's memory limit was hit.
    #[serde(rename = "MLE")]
    MemoryLimitExceeded,
    /// Run-time error: non-zero exit status or death by a signal.
    #[serde(rename = "RTE")]
    RunTimeError,
    /// Compilation error (including a compiler that ran out of time or memory).
    #[serde(rename = "CE")]
    CompileError,
    /// Output limit exceeded: the program wrote more than the allowed output.
    #[serde(rename = "OLE")]
    OutputLimitExceeded,
    /// Judge error: the judge, not the contestant, failed.
    #[serde(rename = "JE")]
    JudgeError,
}

impl Verdict {
    /// All verdicts, in a stable order.
    pub const ALL: [Verdict; 8] = [
        Verdict::Accepted,
        Verdict::WrongAnswer,
        Verdict::TimeLimitExceeded,
        Verdict::MemoryLimitExceeded,
        Verdict::RunTimeError,
        Verdict::CompileError,
        Verdict::OutputLimitExceeded,
        Verdict::JudgeError,
    ];

    /// The short code (`AC`, `WA`, …) used on the wire and in reports.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accepted => "AC",
            Verdict::WrongAnswer => "WA",
            Verdict::TimeLimitExceeded => "TLE",
            Verdict::MemoryLimitExceeded => "MLE",
            Verdict::RunTimeError => "RTE",
            Verdict::CompileError => "CE",
            Verdict::OutputLimitExceeded => "OLE",
            Verdict::JudgeError => "JE",
        }
    }

    /// The directory name used under a problem package's `submissions/` for this verdict.
    pub fn submissions_dir(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::WrongAnswer => "wrong_answer",
            Verdict::TimeLimitExceeded => "time_limit_exceeded",
            Verdict::MemoryLimitExceeded => "memory_limit_exceeded",
            Verdict::RunTimeError => "run_time_error",
            Verdict::CompileError => "compile_error",
            Verdict::OutputLimitExceeded => "output_limit_exceeded",
            Verdict::JudgeError => "judge_error",
        }
    }

    /// The verdict whose `submissions/` directory is `dir`, if any.
    pub fn from_submissions_dir(dir: &str) -> Option<Verdict> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.submissions_dir() == dir)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error returned when a string is not a verdict code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVerdict(pub String);

impl fmt::Display for UnknownVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown verdict `{}` (expected one of AC, WA, TLE, MLE, RTE, CE, OLE, JE)",
            self.0
        )
    }
}

impl std::error::Error for UnknownVerdict {}

impl FromStr for Verdict {
    type Err = UnknownVerdict;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownVerdict(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_parse_and_serde() {
        for v in Verdict::ALL {
            assert_eq!(v.code().parse::<Verdict>().unwrap(), v);
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.code()));
            assert_eq!(serde_json::from_str::<Verdict>(&json).unwrap(), v);
            assert_eq!(Verdict::from_submissions_dir(v.submissions_dir()), Some(v));
        }
        assert!("XX".parse::<Verdict>().is_err());
    }
}
