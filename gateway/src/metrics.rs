//! Prometheus metrics: the `metrics` facade's recorder for the whole process (engine,
//! judge, gateway and cluster record through the facade, a no-op until this is
//! installed), the HTTP middleware, and `GET /metrics` in the text exposition format.
//!
//! `/metrics` on the main listener answers an admin's bearer token, or a client whose
//! address is in the allowed networks (`--metrics-allow`); a separate listener
//! (`--metrics-listen`, for a private network) answers anyone who reaches it.

use crate::app::AppState;
use crate::auth::MaybeCaller;
use crate::error::ApiError;
use crate::proxy::ClientInfo;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use codehub_engine::model::Role;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Histogram buckets, in seconds: 1 ms to 2 minutes (HTTP, delivery lag, judging).
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// What `/metrics` serves and to whom.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
    allow: Vec<ipnet::IpNet>,
}

impl Metrics {
    /// Installs the process's recorder (once; later calls share it) and describes the
    /// metrics; `allow` are the networks that may scrape the main listener without a token.
    pub fn install(allow: Vec<ipnet::IpNet>) -> Metrics {
        let handle = HANDLE
            .get_or_init(|| {
                let handle = PrometheusBuilder::new()
                    .set_buckets(BUCKETS)
                    .expect("buckets are not empty")
                    .install_recorder()
                    .expect("no other metrics recorder is installed");
                describe();
                // Histograms keep a rolling window that needs draining now and then.
                let upkeep = handle.clone();
                std::thread::Builder::new()
                    .name("metrics-upkeep".into())
                    .spawn(move || {
                        loop {
                            std::thread::sleep(Duration::from_secs(5));
                            upkeep.run_upkeep();
                        }
                    })
                    .expect("a thread");
                handle
            })
            .clone();
        Metrics { handle, allow }
    }

    /// The exposition, now.
    pub fn render(&self) -> String {
        crate::memory::record_heap_stats();
        self.handle.render()
    }
}

/// Help texts and units, shown by Prometheus and Grafana; counters of rare events start
/// at 0, so that their first increase is seen by `increase()` and alerts.
fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    for rare in [
        "codehub_cluster_leases_acquired_total",
        "codehub_cluster_takeovers_total",
        "codehub_cluster_leases_lost_total",
        "codehub_ws_messages_dropped_total",
    ] {
        metrics::counter!(rare).increment(0);
    }
    describe_counter!(
        "codehub_http_requests_total",
        "HTTP requests answered, by method, route and status"
    );
    describe_histogram!(
        "codehub_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request (WebSocket upgrades excluded), by method and route"
    );
    describe_counter!(
        "codehub_judgements_total",
        "Submissions judged, by verdict and language"
    );
    describe_counter!(
        "codehub_judge_failures_total",
        "Judgings that failed (no verdict), by cause"
    );
    describe_histogram!(
        "codehub_judge_duration_seconds",
        Unit::Seconds,
        "Judging time of a submission, queue wait excluded, by language"
    );
    describe_histogram!(
        "codehub_judge_queue_wait_seconds",
        Unit::Seconds,
        "Time a submission waited in this node's judge queue"
    );
    describe_gauge!(
        "codehub_judge_queue_depth",
        "Submissions waiting in this node's judge queue"
    );
    describe_gauge!("codehub_judge_busy", "Submissions being judged now");
    describe_histogram!(
        "codehub_judge_compile_seconds",
        Unit::Seconds,
        "Compilation time in the sandbox"
    );
    describe_histogram!(
        "codehub_judge_test_seconds",
        Unit::Seconds,
        "Time to run one test in the sandbox"
    );
    describe_histogram!(
        "codehub_sandbox_overhead_seconds",
        Unit::Seconds,
        "Sandbox cost of a run: call time minus the program's wall time"
    );
    describe_gauge!("codehub_ws_connections", "Open WebSocket connections");
    describe_counter!(
        "codehub_heap_trims_total",
        "Heap trims (after bursts of WebSocket connections, and once a minute)"
    );
    describe_gauge!(
        "codehub_heap_allocated_bytes",
        Unit::Bytes,
        "Heap the process holds (malloc's arenas and its own mappings)"
    );
    describe_gauge!(
        "codehub_heap_free_bytes",
        Unit::Bytes,
        "Heap malloc keeps free in its arenas, not returned to the system"
    );
    describe_counter!(
        "codehub_ws_messages_sent_total",
        "Live messages written to WebSocket clients, by channel kind"
    );
    describe_counter!(
        "codehub_ws_messages_dropped_total",
        "Live messages not queued because a client's queue was full (it resyncs)"
    );
    describe_gauge!(
        "codehub_hub_channels",
        "Live channels the Hub holds (idle verdict streams are forgotten every 30 s)"
    );
    describe_counter!(
        "codehub_ws_resyncs_total",
        "Snapshots sent to clients that fell behind, by channel kind"
    );
    describe_histogram!(
        "codehub_ws_delivery_lag_seconds",
        Unit::Seconds,
        "From a message's publication to its write to a client, by channel kind"
    );
    describe_counter!(
        "codehub_cluster_leases_acquired_total",
        "Contest leases this node took (takeovers included)"
    );
    describe_counter!(
        "codehub_cluster_takeovers_total",
        "Contests this node took over from an owner that stopped renewing"
    );
    describe_counter!(
        "codehub_cluster_leases_lost_total",
        "Contest leases this node lost or gave up"
    );
    describe_counter!(
        "codehub_redis_errors_total",
        "Redis commands that failed, by operation"
    );
}

/// Counts and times every HTTP request by its route pattern (never the raw path, so the
/// label set stays small).
pub async fn track_http(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method: &'static str = match request.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    if route != "/ws" {
        metrics::histogram!("codehub_http_request_duration_seconds",
            "method" => method, "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    }
    metrics::counter!("codehub_http_requests_total",
        "method" => method, "route" => route, "status" => status)
    .increment(1);
    response
}

/// The exposition as an HTTP answer.
fn exposition(metrics: &Metrics) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics.render(),
    )
        .into_response()
}

/// `GET /metrics` on the main listener: for an admin's token or an allowed network.
pub async fn scrape(
    State(state): State<AppState>,
    client: Option<axum::Extension<ClientInfo>>,
    caller: MaybeCaller,
) -> Result<Response, ApiError> {
    let Some(metrics) = &state.metrics else {
        return Err(ApiError::not_found("metrics are off on this server"));
    };
    let allowed = client
        .and_then(|c| c.ip)
        .is_some_and(|ip| metrics.allow.iter().any(|net| net.contains(&ip)));
    match caller.0 {
        _ if allowed => {}
        Some(caller) => caller.require(Role::Admin)?,
        None => {
            return Err(ApiError::unauthorized(
                "metrics need an admin's token, or a scraper in an allowed network (--metrics-allow)",
            ));
        }
    }
    Ok(exposition(metrics))
}

/// Serves `/metrics` alone on `addr` (`--metrics-listen`), to anyone who reaches it, in
/// the background; returns the address bound (port 0 picks one).
///
/// # Errors
/// If `addr` cannot be bound.
pub async fn spawn_listener(
    metrics: Metrics,
    addr: std::net::SocketAddr,
) -> anyhow::Result<std::net::SocketAddr> {
    use anyhow::Context;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen for metrics on {addr}"))?;
    let bound = listener.local_addr()?;
    let router = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let metrics = metrics.clone();
            async move { exposition(&metrics) }
        }),
    );
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(bound)
}
