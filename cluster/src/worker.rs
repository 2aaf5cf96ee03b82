//! The worker side of the Redis judge queue (`codehub judge-worker`).
//!
//! Each job is read through the consumer group (`XREADGROUP … >`); while it is judged the
//! worker re-claims it every third of the claim timeout (`XCLAIM` with min-idle 0), so its
//! idle time stays low. A worker that dies stops doing that: once its job has been idle
//! for the claim timeout another worker takes it (`XAUTOCLAIM`) and judges it again. The
//! reply names the attempt, and the node stores a judgement once (`finish_submission` is
//! idempotent), so the scoreboard counts it once.
//!
//! Runs (code on a sample or typed input) come on their own stream, [`RUNS`], read in the
//! same call as jobs but taken only after them: a run never takes a slot a waiting job
//! could have had. A run is acknowledged when read (at most once).

use super::wire::{FIELD, GROUP, JOBS, Job, REPLY_CAP, RUNS, Reply, RunRequest};
use codehub_engine::model::SubmissionId;
use codehub_engine::ports::judging::{JudgeJob, JudgeService, ProgressSender, RunError, RunJob};
use fred::prelude::*;
use fred::types::streams::{XCapKind, XCapTrim, XReadValue};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// This worker's consumer name (unique per process).
    pub name: String,
    /// Jobs judged at once.
    pub parallel: usize,
    /// A job idle this long (its worker stopped renewing it) is taken over.
    pub claim_idle: Duration,
}

/// Trims reply streams to about [`REPLY_CAP`] entries.
fn cap() -> (XCapKind, XCapTrim, i64) {
    (XCapKind::MaxLen, XCapTrim::AlmostExact, REPLY_CAP as i64)
}

async fn reply(client: &Client, to: &str, reply: &Reply) {
    let Ok(json) = serde_json::to_string(reply) else {
        return;
    };
    let sent: Result<String, _> = client
        .xadd(to, false, cap(), "*", vec![(FIELD, json)])
        .await;
    if let Err(e) = sent {
        tracing::warn!("replying to {to}: {e}");
    }
}

/// Creates the consumer groups (and the streams) of jobs and runs unless they exist.
pub async fn ensure_group(client: &Client) -> anyhow::Result<()> {
    for stream in [JOBS, RUNS] {
        let created: Result<(), Error> = client.xgroup_create(stream, GROUP, "0", true).await;
        if let Err(e) = created
            && !e.details().contains("BUSYGROUP")
        {
            return Err(e.into());
        }
    }
    Ok(())
}

/// Entries as read from the stream: (id, fields).
type Entries = Vec<XReadValue<String, String, String>>;

/// One job to judge: its stream entry id and the job (`None`: unreadable, acknowledged).
type Entry = (String, Option<Job>);

fn parse(entries: Entries) -> Vec<Entry> {
    entries
        .into_iter()
        .map(|(id, fields): (String, HashMap<String, String>)| {
            let job = fields.get(FIELD).and_then(|m| serde_json::from_str(m).ok());
            (id, job)
        })
        .collect()
}

/// Runs a worker until the process stops: takes over stale jobs first, then new ones.
pub async fn run(
    url: &str,
    config: WorkerConfig,
    judge: Arc<dyn JudgeService>,
) -> anyhow::Result<()> {
    let client = super::connect(url).await?;
    let blocking = super::connect(url).await?;
    ensure_group(&client).await?;
    let slots = Arc::new(tokio::sync::Semaphore::new(config.parallel.max(1)));
    println!("judge-worker: {} ready", config.name);
    loop {
        let permit = slots.clone().acquire_owned().await.expect("never closed");
        let claimed: Result<(String, Entries), _> = client
            .xautoclaim_values(
                JOBS,
                GROUP,
                config.name.as_str(),
                config.claim_idle.as_millis() as u64,
                "0-0",
                Some(1),
                false,
            )
            .await;
        let mut entries = match claimed {
            Ok((_, e)) => parse(e),
            Err(e) => {
                tracing::warn!("claiming stale jobs: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
                // A restarted Redis has lost the group: make it again.
                let _ = ensure_group(&client).await;
                continue;
            }
        };
        let mut runs = Vec::new();
        if entries.is_empty() {
            // A waiting job first (without blocking), then whichever comes: a job or a run.
            match read_new(&client, &config.name, &[JOBS], None).await {
                Ok((jobs, _)) => entries = jobs,
                Err(e) => {
                    tracing::warn!("reading jobs: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        if entries.is_empty() {
            match read_new(&blocking, &config.name, &[JOBS, RUNS], Some(2_000)).await {
                Ok((jobs, new_runs)) => (entries, runs) = (jobs, new_runs),
                Err(e) => {
                    tracing::warn!("reading jobs and runs: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        // A job and a run may come in one read: the job takes this slot, the run the next.
        let mut permit = Some(permit);
        for (id, run) in runs {
            let _: Result<i64, _> = client.xack(RUNS, GROUP, id.as_str()).await;
            let Some(run) = run else { continue };
            let slot = if entries.is_empty() {
                permit.take()
            } else {
                None
            };
            let (client, judge, slots) = (client.clone(), judge.clone(), slots.clone());
            tokio::spawn(async move {
                let _slot = match slot {
                    Some(p) => p,
                    None => slots.acquire_owned().await.expect("never closed"),
                };
                handle_run(&client, judge, run).await;
            });
        }
        let Some(permit) = permit else { continue };
        let Some((id, job)) = entries.pop() else {
            continue;
        };
        let Some(job) = job else {
            let _: Result<i64, _> = client.xack(JOBS, GROUP, id.as_str()).await;
            continue;
        };
        let (client, judge, config) = (client.clone(), judge.clone(), config.clone());
        tokio::spawn(async move {
            handle(&client, &config, judge, id, job).await;
            drop(permit);
        });
    }
}

/// New entries of `streams` (jobs, runs) for this consumer, at most one of each, waiting
/// up to `block` ms for one (`None`: not at all).
async fn read_new(
    client: &Client,
    name: &str,
    streams: &[&str],
    block: Option<u64>,
) -> Result<(Vec<Entry>, Vec<(String, Option<RunRequest>)>), Error> {
    let ids: Vec<&str> = streams.iter().map(|_| ">").collect();
    let read: fred::types::Value = client
        .xreadgroup(GROUP, name, Some(1), block, false, streams.to_vec(), ids)
        .await?;
    if read.is_null() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut map: fred::types::streams::XReadResponse<String, String, String, String> =
        read.into_xread_response()?;
    let jobs = parse(map.remove(JOBS).unwrap_or_default());
    let runs = map
        .remove(RUNS)
        .unwrap_or_default()
        .into_iter()
        .map(|(id, fields)| {
            let run = fields.get(FIELD).and_then(|m| serde_json::from_str(m).ok());
            (id, run)
        })
        .collect();
    Ok((jobs, runs))
}

/// Runs one run and replies with its result.
async fn handle_run(client: &Client, judge: Arc<dyn JudgeService>, run: RunRequest) {
    let job = RunJob {
        package_hash: run.package_hash,
        language: run.language,
        files: run.files,
        input: run.input,
        time_limit_ms: run.time_limit_ms,
        policy: run.policy,
    };
    let attempt = run.attempt;
    let message = match judge.run(job).await {
        Ok(view) => Reply::RunDone { attempt, view },
        Err(RunError::Refused(message)) => Reply::RunRefused { attempt, message },
        Err(RunError::Failed(e)) => Reply::Failed {
            attempt,
            message: e.to_string(),
        },
    };
    reply(client, &run.reply_to, &message).await;
}

async fn handle(
    client: &Client,
    config: &WorkerConfig,
    judge: Arc<dyn JudgeService>,
    id: String,
    job: Job,
) {
    tracing::info!(submission = job.submission_id, entry = %id, "judging");
    // Keep the claim fresh while judging.
    let renew = {
        let (client, id, name) = (client.clone(), id.clone(), config.name.clone());
        let every = config.claim_idle / 3;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let _: Result<fred::types::Value, _> = client
                    .xclaim(
                        JOBS,
                        GROUP,
                        name.as_str(),
                        0,
                        id.as_str(),
                        None,
                        None,
                        None,
                        false,
                        true,
                    )
                    .await;
            }
        })
    };
    let (tx, mut rx) = ProgressSender::channel();
    let forward = {
        let (client, to, attempt) = (client.clone(), job.reply_to.clone(), job.attempt.clone());
        tokio::spawn(async move {
            while let Some(p) = rx.recv().await {
                let progress = serde_json::to_value(&p).unwrap_or_default();
                reply(
                    &client,
                    &to,
                    &Reply::Progress {
                        attempt: attempt.clone(),
                        progress,
                    },
                )
                .await;
            }
        })
    };
    let judge_job = JudgeJob {
        submission_id: SubmissionId(job.submission_id),
        package_hash: job.package_hash.clone(),
        language: job.language.clone(),
        files: job.files.clone(),
        run_all_tests: job.run_all_tests,
        time_limit_ms: job.time_limit_ms,
        policy: job.policy.clone(),
        trace_parent: job.trace_parent.clone(),
    };
    let result = judge.judge(judge_job, tx).await;
    let _ = forward.await;
    let message = match result {
        Ok(judgement) => Reply::Done {
            attempt: job.attempt.clone(),
            judgement,
            worker: config.name.clone(),
        },
        Err(e) => Reply::Failed {
            attempt: job.attempt.clone(),
            message: e.to_string(),
        },
    };
    reply(client, &job.reply_to, &message).await;
    renew.abort();
    let acked: Result<i64, _> = client.xack(JOBS, GROUP, id.as_str()).await;
    if let Err(e) = acked {
        tracing::warn!("acknowledging {id}: {e}");
    }
}
