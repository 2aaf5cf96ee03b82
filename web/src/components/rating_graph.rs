//! A user's rating over their rated contests, as an SVG line: one point per contest,
//! evenly spaced, the vertical range fitted to the ratings with a margin.

use codehub_protocol::views::RatingChangeView;
use sycamore::prelude::*;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 160.0;
const PAD: f64 = 12.0;

/// A point of the line: where it is drawn and what it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Horizontal position, px.
    pub x: f64,
    /// Vertical position, px (down from the top).
    pub y: f64,
    /// Rating after the contest.
    pub rating: i64,
    /// The contest's name.
    pub contest: String,
}

/// The points of `history` (oldest first), and the ratings at the top and bottom edge.
pub fn points(history: &[RatingChangeView]) -> (Vec<Point>, i64, i64) {
    let lo = history.iter().map(|r| r.rating).min().unwrap_or(1500) - 50;
    let hi = history.iter().map(|r| r.rating).max().unwrap_or(1500) + 50;
    let span = (hi - lo) as f64;
    let step = if history.len() > 1 {
        (WIDTH - 2.0 * PAD) / (history.len() - 1) as f64
    } else {
        0.0
    };
    let pts = history
        .iter()
        .enumerate()
        .map(|(i, r)| Point {
            x: if history.len() > 1 {
                PAD + step * i as f64
            } else {
                WIDTH / 2.0
            },
            y: PAD + (hi - r.rating) as f64 / span * (HEIGHT - 2.0 * PAD),
            rating: r.rating,
            contest: r.contest_name.clone(),
        })
        .collect();
    (pts, hi, lo)
}

/// The graph (nothing when there is no history).
pub fn rating_graph(history: &[RatingChangeView]) -> View {
    if history.is_empty() {
        return view! {};
    }
    let (pts, hi, lo) = points(history);
    let line = pts
        .iter()
        .map(|p| format!("{:.1},{:.1}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let dots: Vec<View> = pts
        .into_iter()
        .map(|p| {
            let tip = format!("{}: {}", p.contest, p.rating);
            view! {
                circle(class="rating-dot", cx=format!("{:.1}", p.x), cy=format!("{:.1}", p.y), r="4",
                    data-testid="rating-point", data-rating=p.rating.to_string()) {
                    title { (tip) }
                }
            }
        })
        .collect();
    let label = crate::t!(
        "profile-rating-history",
        low = lo.to_string(),
        high = hi.to_string()
    );
    view! {
        figure(class="rating-graph", role="img", aria-label=label) {
            svg(viewBox=format!("0 0 {WIDTH} {HEIGHT}"), width=WIDTH.to_string(), height=HEIGHT.to_string(),
                data-testid="rating-graph") {
                text(x="2", y="12", class="axis") { (hi) }
                text(x="2", y=format!("{}", HEIGHT - 2.0), class="axis") { (lo) }
                polyline(class="rating-line", points=line, fill="none")
                (dots)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(rating: i64) -> RatingChangeView {
        RatingChangeView {
            contest_id: 1,
            contest_name: format!("c{rating}"),
            ended_at: 0,
            user_id: 1,
            username: "u".into(),
            place: 1,
            performance: rating,
            rating,
            previous: None,
            delta: 0,
        }
    }

    #[test]
    fn higher_ratings_sit_higher_and_the_line_spans_the_width() {
        let (pts, hi, lo) = points(&[change(1500), change(1700), change(1400)]);
        assert_eq!((hi, lo), (1750, 1350));
        assert_eq!(pts.len(), 3);
        assert!(pts[1].y < pts[0].y && pts[0].y < pts[2].y);
        assert_eq!(pts[0].x, PAD);
        assert_eq!(pts[2].x, WIDTH - PAD);
        // 1700 is 50 below the top edge of a 400-point range.
        assert!((pts[1].y - (PAD + 50.0 / 400.0 * (HEIGHT - 2.0 * PAD))).abs() < 1e-9);
        let (one, _, _) = points(&[change(1600)]);
        assert_eq!(one[0].x, WIDTH / 2.0);
    }
}
