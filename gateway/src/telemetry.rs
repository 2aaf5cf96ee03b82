//! Logs and traces: one `tracing` subscriber for the process.
//!
//! - Logs go to stderr, filtered by `RUST_LOG` (default `info`), as text or, with
//!   `CODEHUB_LOG_FORMAT=json`, one JSON object per line carrying the current span's
//!   fields (the HTTP request's `trace_id` among them, so a log line leads to its trace).
//! - Traces go to an OpenTelemetry collector over OTLP/HTTP (protobuf) when the standard
//!   variables say where: `OTEL_EXPORTER_OTLP_ENDPOINT` or
//!   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (with `OTEL_EXPORTER_OTLP_HEADERS`,
//!   `OTEL_EXPORTER_OTLP_TIMEOUT`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
//!   `OTEL_BSP_*`); off when unset, or with `OTEL_SDK_DISABLED=true` or
//!   `OTEL_TRACES_EXPORTER=none`. Plain `http://` endpoints only (a collector agent
//!   beside the node): this build has no TLS for OTLP.
//!
//! A submission is one trace: the HTTP request's span, the engine's `judge` span under
//! it, the judge's `compile` and `test` spans (in a worker process, under the node's span,
//! through the W3C `traceparent` the job carries) and the `verdict` span.

use async_trait::async_trait;
use codehub_engine::model::Judgement;
use codehub_engine::ports::judging::{JudgeFailure, JudgeJob, JudgeService, ProgressSender};
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// Whether the standard variables ask for traces.
fn tracing_wanted() -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    let disabled = std::env::var("OTEL_SDK_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
        || std::env::var("OTEL_TRACES_EXPORTER").is_ok_and(|v| v.eq_ignore_ascii_case("none"));
    !disabled && (set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
}

/// The tracer provider exporting to the configured collector, or `None` (with a warning
/// on stderr) when the configuration is unusable.
fn provider(service: &str) -> Option<SdkTracerProvider> {
    let exporter = match opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()
    {
        Ok(e) => e,
        Err(e) => {
            eprintln!("codehub: traces are off: the OTLP exporter cannot start: {e}");
            return None;
        }
    };
    let mut resource = opentelemetry_sdk::Resource::builder();
    if std::env::var("OTEL_SERVICE_NAME").is_err() {
        resource = resource.with_service_name(service.to_owned());
    }
    Some(
        SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource.build())
            .build(),
    )
}

/// Installs the subscriber (once; later calls do nothing). `service` names this process
/// in traces unless `OTEL_SERVICE_NAME` does.
pub fn init(service: &str) {
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
    };
    let json = std::env::var("CODEHUB_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let logs = if json {
        tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .with_filter(filter())
            .boxed()
    } else {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter())
            .boxed()
    };
    let traces = if tracing_wanted() && PROVIDER.get().is_none() {
        provider(service).map(|provider| {
            opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
            let tracer = provider.tracer("codehub");
            let _ = PROVIDER.set(provider);
            // Spans of CodeHub's own crates (and HTTP), at info and above.
            tracing_opentelemetry::layer()
                .with_tracer(tracer)
                .with_filter(tracing_subscriber::EnvFilter::new(
                    "warn,codehub=info,codehub_gateway=info,codehub_engine=info,\
                     codehub_judge=info,codehub_cluster=info,tower_http=info",
                ))
                .boxed()
        })
    } else {
        None
    };
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .try_init();
}

/// Sends the spans not yet exported (on shutdown).
pub fn flush() {
    if let Some(provider) = PROVIDER.get() {
        let _ = provider.force_flush();
    }
}

/// The W3C `traceparent` of `span`, when traces are on.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    PROVIDER.get()?;
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut carrier);
    carrier.remove("traceparent")
}

/// Makes `span` a child of the remote span `traceparent` names (ignored when malformed
/// or when traces are off).
pub fn continue_trace(span: &tracing::Span, traceparent: &str) {
    if PROVIDER.get().is_none() {
        return;
    }
    let carrier = HashMap::from([("traceparent".to_owned(), traceparent.to_owned())]);
    let cx = TraceContextPropagator::new().extract(&carrier);
    let _ = span.set_parent(cx);
}

/// The trace id of `span` as 32 hex digits, when traces are on.
pub fn trace_id(span: &tracing::Span) -> Option<String> {
    traceparent(span).and_then(|tp| tp.split('-').nth(1).map(str::to_owned))
}

/// The span of an HTTP request: named `METHOD /route/{pattern}`, continuing the caller's
/// trace when the request carries a `traceparent`, with the trace id as a field so JSON
/// log lines inside it can be found in the trace.
pub fn http_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    if PROVIDER.get().is_none() {
        // Traces off: a debug-level span as before (disabled by the default filter, so a
        // request pays nothing for it).
        return tracing::debug_span!("request", method = %request.method(), uri = %request.uri());
    }
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        );
    let span = tracing::info_span!(
        target: "codehub_gateway",
        "http",
        otel.name = %format!("{} {route}", request.method()),
        otel.kind = "server",
        http.request.method = %request.method(),
        http.route = %route,
        http.response.status_code = tracing::field::Empty,
        trace_id = tracing::field::Empty,
    );
    if let Some(parent) = request
        .headers()
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
    {
        continue_trace(&span, parent);
    }
    if let Some(id) = trace_id(&span) {
        span.record("trace_id", id);
    }
    span
}

/// Records the answer's status on the request's span.
pub fn http_status<B>(
    response: &axum::http::Response<B>,
    _latency: std::time::Duration,
    span: &tracing::Span,
) {
    span.record("http.response.status_code", response.status().as_u16());
}

/// A judge whose jobs carry the trace across processes: on a node, the job gets the
/// current (judging) span's `traceparent` for the worker; in a worker, the judging runs
/// in a span continuing the node's.
pub struct TracedJudge {
    inner: Arc<dyn JudgeService>,
}

impl TracedJudge {
    /// Wraps `inner`; with traces off it adds nothing but a field copy.
    pub fn wrap(inner: Arc<dyn JudgeService>) -> Arc<dyn JudgeService> {
        if PROVIDER.get().is_none() {
            return inner;
        }
        Arc::new(TracedJudge { inner })
    }
}

#[async_trait]
impl JudgeService for TracedJudge {
    async fn judge(
        &self,
        mut job: JudgeJob,
        progress: ProgressSender,
    ) -> Result<Judgement, JudgeFailure> {
        let span = match job.trace_parent.as_deref() {
            Some(parent) => {
                let span = tracing::info_span!(target: "codehub_cluster", "worker judge",
                    submission_id = %job.submission_id, language = %job.language);
                continue_trace(&span, parent);
                span
            }
            None => tracing::Span::current(),
        };
        job.trace_parent = traceparent(&span);
        self.inner.judge(job, progress).instrument(span).await
    }

    async fn run(
        &self,
        job: codehub_engine::ports::judging::RunJob,
    ) -> Result<codehub_protocol::views::RunView, codehub_engine::ports::judging::RunError> {
        self.inner.run(job).await
    }

    async fn time_limit(&self, package_hash: &str) -> Result<Option<i64>, JudgeFailure> {
        self.inner.time_limit(package_hash).await
    }

    async fn import_package(
        &self,
        archive: Vec<u8>,
    ) -> Result<Option<codehub_engine::ports::judging::ImportedPackage>, JudgeFailure> {
        self.inner.import_package(archive).await
    }
}
