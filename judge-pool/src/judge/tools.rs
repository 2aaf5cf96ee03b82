//! A package's own programs run outside judging: test generators and the reference
//! solution that writes the answers (Polygon import). They run in the validators' sandbox
//! under the problem's validation limits, never on the judge's host.

use super::{Artifact, DEFAULT_PROCESSES, Judge, JudgeError, env_for};
use crate::language::SourceFile;
use crate::package::ProblemLimits;
use crate::sandbox::{Environment, ExitStatus, RunLimits, RunSpec, Sandbox, Stdin};
use std::path::Path;
use std::time::Duration;

/// Characters of a failed tool's stderr kept in its error.
const MESSAGE_CHARS: usize = 400;

/// A compiled package program.
pub struct Tool {
    name: String,
    artifact: Artifact,
}

impl<S: Sandbox> Judge<S> {
    /// Compiles `sources` (a generator, a reference solution) as `name`: `Ok(Err)` with
    /// the compiler's message when they do not compile or no language fits.
    ///
    /// # Errors
    /// [`JudgeError::Sandbox`] when the sandbox fails.
    pub async fn compile_tool(
        &self,
        name: &str,
        limits: &ProblemLimits,
        sources: &[SourceFile],
    ) -> Result<Result<Tool, String>, JudgeError> {
        let Some(lang) = self.languages.detect(sources) else {
            return Ok(Err(format!("{name}: no known language")));
        };
        Ok(self
            .compile_validator(limits, lang, sources)
            .await?
            .map(|artifact| Tool {
                name: name.to_owned(),
                artifact,
            })
            .map_err(|m| format!("{name} does not compile: {m}")))
    }

    /// Runs `tool` with `args`, `stdin` (a file, or nothing), up to `time` of CPU and
    /// `output_bytes` of output: its standard output, or `Ok(Err)` saying how it failed
    /// (exit code, signal, limit, with its stderr).
    ///
    /// # Errors
    /// [`JudgeError::Sandbox`] when the sandbox fails.
    pub async fn run_tool(
        &self,
        tool: &Tool,
        limits: &ProblemLimits,
        args: &[String],
        stdin: Option<&Path>,
        time: Duration,
        output_bytes: u64,
    ) -> Result<Result<Vec<u8>, String>, JudgeError> {
        let lang = &tool.artifact.language;
        let env = self.validators.acquire().await?;
        for (file, data) in &tool.artifact.files {
            env.write_file(file, data, true).await?;
        }
        let memory = limits.validation_memory_bytes.max(limits.memory_bytes);
        let mut argv = lang.expand(&lang.run, &tool.artifact.prepared, memory >> 20);
        argv.extend(args.iter().cloned());
        let mut spec = RunSpec::new(argv);
        spec.env = env_for(lang);
        if let Some(path) = stdin {
            spec.stdin = Stdin::File(path.to_owned());
        }
        spec.limits = RunLimits {
            cpu_time: time,
            wall_time: time * 2,
            memory_bytes: memory + (lang.memory_overhead_mib << 20),
            stack_bytes: memory,
            address_space_bytes: None,
            processes: lang.processes.unwrap_or(DEFAULT_PROCESSES),
            file_size_bytes: output_bytes,
            output_bytes,
            stderr_bytes: 16 << 10,
            open_files: 64,
        };
        let r = env.run(spec).await?;
        let how = match (r.limit_hit, r.status) {
            (None, ExitStatus::Exited(0)) if !r.stdout_truncated => return Ok(Ok(r.stdout)),
            (None, ExitStatus::Exited(0)) => format!("wrote more than {output_bytes} bytes"),
            (None, ExitStatus::Exited(c)) => format!("exited with code {c}"),
            (None, ExitStatus::Signaled(s)) => format!("was killed by signal {s}"),
            (Some(hit), _) => format!("hit its {hit:?} limit"),
        };
        let stderr: String = String::from_utf8_lossy(&r.stderr)
            .trim()
            .chars()
            .take(MESSAGE_CHARS)
            .collect();
        let shown = args.join(" ");
        Ok(Err(if stderr.is_empty() {
            format!("`{} {shown}` {how}", tool.name)
        } else {
            format!("`{} {shown}` {how}: {stderr}", tool.name)
        }))
    }
}
