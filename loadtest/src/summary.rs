//! How a spectators run's [`RunReport`] is shown: a one-line summary on stderr and a
//! latency-percentile plot (SVG).

use codehub_loadtest::report::RunReport;

/// Prints the run's counts and latency percentiles on stderr, on one line.
pub(crate) fn summary(r: &RunReport) {
    let l = &r.latency_ms;
    eprintln!(
        "{} connections ({} established, {} dropped), {} deltas published, {} delivered, {} missed, {} out of order; latency ms p50 {} p90 {} p99 {} p99.9 {} max {}{}",
        r.connections_attempted,
        r.connections_established,
        r.connections_dropped,
        r.deltas_published,
        r.messages_delivered,
        r.deltas_missed,
        r.deltas_out_of_order,
        l.p50,
        l.p90,
        l.p99,
        l.p999,
        l.max,
        r.server_rss_kib
            .map(|k| format!("; server RSS {k} KiB"))
            .unwrap_or_default()
    );
}

/// Draws the delivery latency by percentile (p50 … max) into an SVG file at `path`.
pub(crate) fn plot(path: &std::path::Path, r: &RunReport) -> anyhow::Result<()> {
    use plotters::prelude::*;
    let l = &r.latency_ms;
    let points = [
        (50.0, l.p50),
        (90.0, l.p90),
        (99.0, l.p99),
        (99.9, l.p999),
        (100.0, l.max),
    ];
    let top = (l.max.max(1) as f64) * 1.1;
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("delivery latency, {} spectators", r.connections_established),
            ("sans-serif", 22),
        )
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(50.0..100.0, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("percentile")
        .y_desc("ms")
        .draw()?;
    chart.draw_series(LineSeries::new(
        points.iter().map(|(p, v)| (*p, *v as f64)),
        &BLUE,
    ))?;
    chart.draw_series(
        points
            .iter()
            .map(|(p, v)| Circle::new((*p, *v as f64), 4, BLUE.filled())),
    )?;
    root.present()?;
    Ok(())
}
