//! The server's resources over a long run (`contest --resources`): resident memory and
//! open descriptors of a local server, sampled at an interval, written as CSV and drawn
//! as a plot, so growth after warm-up shows at a glance.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One sample of the server process.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    /// Since the sampling started, s.
    pub(crate) seconds: f64,
    /// Resident memory, KiB.
    pub(crate) rss_kib: u64,
    /// Open file descriptors (sockets included).
    pub(crate) open_fds: u64,
}

/// Samples process `pid` every `every` until aborted; the samples so far are shared,
/// and each is also appended to the CSV file `csv` at once (a run cut short keeps them).
pub(crate) fn spawn_sampler(
    pid: u32,
    every: Duration,
    csv: PathBuf,
) -> (tokio::task::JoinHandle<()>, Arc<Mutex<Vec<Sample>>>) {
    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let shared = samples.clone();
    let task = tokio::spawn(async move {
        let start = Instant::now();
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Some((rss_kib, open_fds)) = read(pid) {
                let mut samples = shared.lock().expect("samples lock");
                samples.push(Sample {
                    seconds: start.elapsed().as_secs_f64(),
                    rss_kib,
                    open_fds,
                });
                let _ = write_csv(&csv, &samples);
            }
        }
    });
    (task, samples)
}

/// `VmRSS` and the number of entries in `/proc/<pid>/fd`.
fn read(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some((rss, fds))
}

/// Writes `seconds,rss_kib,open_fds` rows.
pub(crate) fn write_csv(path: &Path, samples: &[Sample]) -> std::io::Result<()> {
    let mut text = String::from("seconds,rss_kib,open_fds\n");
    for s in samples {
        text.push_str(&format!("{:.0},{},{}\n", s.seconds, s.rss_kib, s.open_fds));
    }
    std::fs::write(path, text)
}

/// Growth from the end of warm-up (the first tenth of the samples) to the end, as
/// (RSS KiB, open fds); `None` with fewer than ten samples.
pub(crate) fn growth_after_warmup(samples: &[Sample]) -> Option<(i64, i64)> {
    if samples.len() < 10 {
        return None;
    }
    let (from, to) = (samples[samples.len() / 10], samples[samples.len() - 1]);
    Some((
        to.rss_kib as i64 - from.rss_kib as i64,
        to.open_fds as i64 - from.open_fds as i64,
    ))
}

/// Draws RSS (MiB) and open descriptors over time, one panel each, into an SVG file.
pub(crate) fn plot(path: &Path, samples: &[Sample], title: &str) -> anyhow::Result<()> {
    use plotters::prelude::*;
    let root = SVGBackend::new(path, (900, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(title, ("sans-serif", 20))?;
    let (upper, lower) = root.split_vertically(300);
    let end = samples.last().map_or(1.0, |s| s.seconds.max(1.0)) / 60.0;
    let rss: fn(&Sample) -> f64 = |s| s.rss_kib as f64 / 1024.0;
    let fds: fn(&Sample) -> f64 = |s| s.open_fds as f64;
    for (area, label, value, color) in [
        (&upper, "RSS, MiB", rss, BLUE),
        (&lower, "open descriptors", fds, RED),
    ] {
        let top = samples.iter().map(value).fold(1.0, f64::max) * 1.15;
        let mut chart = ChartBuilder::on(area)
            .margin(15)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..end, 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("minutes")
            .y_desc(label)
            .draw()?;
        chart.draw_series(LineSeries::new(
            samples.iter().map(|s| (s.seconds / 60.0, value(s))),
            &color,
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64, rss_kib: u64, open_fds: u64) -> Sample {
        Sample {
            seconds,
            rss_kib,
            open_fds,
        }
    }

    #[test]
    fn growth_is_measured_from_the_end_of_warm_up() {
        let mut samples: Vec<Sample> = (0..20).map(|i| at(f64::from(i), 1000, 50)).collect();
        samples[0] = at(0.0, 10, 5); // start-up, before warm-up ends
        samples[19] = at(19.0, 1300, 48);
        assert_eq!(growth_after_warmup(&samples), Some((300, -2)));
        assert_eq!(growth_after_warmup(&samples[..9]), None);
    }

    #[test]
    fn this_process_can_be_sampled() {
        let (rss, fds) = read(std::process::id()).expect("/proc of this process");
        assert!(rss > 0 && fds >= 3, "{rss} KiB, {fds} fds");
    }

    #[test]
    fn the_csv_and_the_plot_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let samples: Vec<Sample> = (0..30)
            .map(|i| at(f64::from(i) * 10.0, 50_000 + i as u64, 5000))
            .collect();
        write_csv(&dir.path().join("r.csv"), &samples).unwrap();
        let csv = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
        assert_eq!(csv.lines().count(), 31);
        assert!(
            csv.starts_with("seconds,rss_kib,open_fds\n0,50000,5000\n"),
            "{csv}"
        );
        plot(&dir.path().join("r.svg"), &samples, "soak").unwrap();
        let svg = std::fs::read_to_string(dir.path().join("r.svg")).unwrap();
        assert!(svg.contains("<svg") && svg.contains("open descriptors"));
    }
}
