//! A year of activity as a grid of days (weeks as columns, Monday on top), shaded by how
//! many submissions each day saw.

use codehub_protocol::views::DayCount;
use std::collections::HashMap;
use sycamore::prelude::*;
use time::{Date, Duration};

/// Side of a day's square and the gap after it, px.
const CELL: i64 = 11;
const GAP: i64 = 2;

/// One day of the grid: its date, submissions, column (week) and row (weekday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Submissions that day.
    pub count: usize,
    /// Week, 0 the oldest.
    pub column: i64,
    /// Monday 0 … Sunday 6.
    pub row: i64,
}

/// The days from the Monday 52 weeks before `today`'s week up to `today`.
pub fn cells(activity: &[DayCount], today: Date) -> Vec<Cell> {
    let counts: HashMap<&str, usize> = activity
        .iter()
        .map(|d| (d.day.as_str(), d.submissions))
        .collect();
    let monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let first = monday - Duration::weeks(52);
    let mut out = Vec::new();
    let mut day = first;
    let mut i = 0;
    while day <= today {
        let key = format!(
            "{:04}-{:02}-{:02}",
            day.year(),
            u8::from(day.month()),
            day.day()
        );
        out.push(Cell {
            count: counts.get(key.as_str()).copied().unwrap_or(0),
            day: key,
            column: i / 7,
            row: i % 7,
        });
        day += Duration::days(1);
        i += 1;
    }
    out
}

/// The shade of a day with `count` submissions (0 none … 4 most).
pub fn level(count: usize) -> u8 {
    match count {
        0 => 0,
        1..=2 => 1,
        3..=5 => 2,
        6..=9 => 3,
        _ => 4,
    }
}

/// Today (UTC), by the browser's clock.
pub fn today() -> Date {
    let ms = js_sys::Date::now() as i128;
    time::OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000)
        .map(|t| t.date())
        .unwrap_or(Date::MIN)
}

/// The grid as SVG, for the year up to `today`.
pub fn heatmap(activity: &[DayCount], today: Date) -> View {
    let cells = cells(activity, today);
    let weeks = cells.last().map_or(1, |c| c.column + 1);
    let width = weeks * (CELL + GAP);
    let height = 7 * (CELL + GAP);
    let total: usize = activity.iter().map(|d| d.submissions).sum();
    let squares: Vec<View> = cells
        .into_iter()
        .map(|c| {
            let class = format!("heat heat-{}", level(c.count));
            view! {
                rect(class=class, x=(c.column * (CELL + GAP)).to_string(), y=(c.row * (CELL + GAP)).to_string(),
                    width=CELL.to_string(), height=CELL.to_string(), rx="2",
                    data-testid="heat-day", data-day=c.day.clone(), data-count=c.count.to_string())
            }
        })
        .collect();
    view! {
        figure(class="heatmap", role="img", aria-label=crate::t!("submissions-last-year", count = total)) {
            svg(viewBox=format!("0 0 {width} {height}"), width=width.to_string(), height=height.to_string(),
                data-testid="heatmap") {
                (squares)
            }
            figcaption(class="muted") { (crate::t!("submissions-last-year", count = total)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_of_weeks_ends_today_with_each_days_count() {
        // A Wednesday.
        let today = Date::from_calendar_date(2026, time::Month::November, 25).unwrap();
        let activity = vec![
            DayCount {
                day: "2026-11-25".into(),
                submissions: 7,
            },
            DayCount {
                day: "2025-11-24".into(),
                submissions: 1,
            },
        ];
        let cells = cells(&activity, today);
        // 52 full weeks and Monday to Wednesday.
        assert_eq!(cells.len(), 52 * 7 + 3);
        assert_eq!(cells[0].day, "2025-11-24", "a Monday");
        assert_eq!((cells[0].count, cells[0].row, cells[0].column), (1, 0, 0));
        let last = cells.last().unwrap();
        assert_eq!(
            (last.day.as_str(), last.count, last.row, last.column),
            ("2026-11-25", 7, 2, 52)
        );
        assert_eq!(cells.iter().map(|c| c.count).sum::<usize>(), 8);
        assert_eq!([0, 1, 3, 6, 10].map(level), [0, 1, 2, 3, 4]);
    }
}
