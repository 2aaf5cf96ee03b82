//! Reports: one per worker process, merged into one per run.

use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use serde::{Deserialize, Serialize};

/// Highest latency recorded exactly (ms); slower deliveries are clamped to it.
pub const MAX_LATENCY_MS: u64 = 60_000;

/// An empty latency histogram (ms, 3 significant digits).
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_LATENCY_MS, 3).expect("valid bounds")
}

/// What one worker process measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkerReport {
    /// Connections tried.
    pub attempted: u64,
    /// Connections that subscribed and got their snapshot.
    pub established: u64,
    /// Connections that closed before the end.
    pub dropped: u64,
    /// Deltas received.
    pub delivered: u64,
    /// Deltas never received (gaps in `seq`, or missing at the end).
    pub missed: u64,
    /// Deltas received with a `seq` at or below one already seen.
    pub out_of_order: u64,
    /// The latency histogram, HDR V2 serialised and base64-encoded.
    pub histogram: String,
}

impl WorkerReport {
    /// Encodes a histogram into the report.
    pub fn set_histogram(&mut self, h: &Histogram<u64>) {
        let mut bytes = Vec::new();
        V2Serializer::new()
            .serialize(h, &mut bytes)
            .expect("serialising to memory");
        self.histogram = base64_encode(&bytes);
    }

    /// Decodes the histogram of the report.
    ///
    /// # Errors
    /// If the report is corrupt.
    pub fn histogram(&self) -> Result<Histogram<u64>, String> {
        let bytes = base64_decode(&self.histogram)?;
        Deserializer::new()
            .deserialize(&mut &bytes[..])
            .map_err(|e| format!("bad histogram: {e:?}"))
    }
}

/// Latency percentiles, ms.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Latency {
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// Maximum.
    pub max: u64,
}

impl Latency {
    /// Percentiles of a histogram.
    pub fn of(h: &Histogram<u64>) -> Self {
        Latency {
            p50: h.value_at_quantile(0.5),
            p90: h.value_at_quantile(0.9),
            p99: h.value_at_quantile(0.99),
            p999: h.value_at_quantile(0.999),
            max: h.max(),
        }
    }
}

/// The report of a run (the JSON written with `--report`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// `spectators` or `ramp`.
    pub scenario: String,
    /// Server URLs used.
    pub urls: Vec<String>,
    /// Connections tried.
    pub connections_attempted: u64,
    /// Connections established.
    pub connections_established: u64,
    /// Connections dropped before the end.
    pub connections_dropped: u64,
    /// Worker processes.
    pub processes: usize,
    /// Deltas made to happen.
    pub deltas_published: u64,
    /// Deltas received, over all connections.
    pub messages_delivered: u64,
    /// Deltas not received.
    pub deltas_missed: u64,
    /// Deltas out of order.
    pub deltas_out_of_order: u64,
    /// Delivery latency, ms (server timestamp → receipt).
    pub latency_ms: Latency,
    /// Duration of the measured phase, s.
    pub duration_s: f64,
    /// Deltas per second asked for.
    pub rate_per_s: f64,
    /// Resident memory of a local server at the end, KiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_rss_kib: Option<u64>,
    /// Growth of a local server's resident memory per established connection, KiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_rss_per_connection_kib: Option<f64>,
    /// CPU time a local server spent per delivered message during the measured phase, µs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_cpu_us_per_message: Option<f64>,
    /// The server loaded: `codehub` or the peer (`nchan`).
    #[serde(default)]
    pub server: String,
    /// Connections set up per second (every spectator connected and subscribed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_per_s: Option<f64>,
    /// Whether the run passed (everything connected, nothing missed or out of order).
    pub ok: bool,
}

/// Merges worker reports.
///
/// # Errors
/// A corrupt worker histogram.
pub fn merge(workers: &[WorkerReport]) -> Result<(WorkerReport, Histogram<u64>), String> {
    let mut total = WorkerReport::default();
    let mut h = histogram();
    for w in workers {
        total.attempted += w.attempted;
        total.established += w.established;
        total.dropped += w.dropped;
        total.delivered += w.delivered;
        total.missed += w.missed;
        total.out_of_order += w.out_of_order;
        h.add(w.histogram()?)
            .map_err(|e| format!("merging histograms: {e:?}"))?;
    }
    Ok((total, h))
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| format!("bad base64: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_histograms_round_trip_and_merge() {
        let mut a = histogram();
        let mut b = histogram();
        for v in 1..=100 {
            a.record(v).unwrap();
            b.record(v + 100).unwrap();
        }
        let mut ra = WorkerReport {
            delivered: 100,
            ..Default::default()
        };
        ra.set_histogram(&a);
        let mut rb = WorkerReport {
            delivered: 100,
            missed: 2,
            ..Default::default()
        };
        rb.set_histogram(&b);
        let (total, h) = merge(&[ra, rb]).unwrap();
        assert_eq!((total.delivered, total.missed, h.len()), (200, 2, 200));
        let l = Latency::of(&h);
        assert_eq!(l.max, 200);
        assert!((99..=101).contains(&l.p50), "{l:?}");
    }

    #[test]
    fn base64_round_trips() {
        for len in 0..20 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&data)).unwrap(), data);
        }
    }
}
