//! Ratings of rated contests: Elo-MMR's performance estimation with a Gaussian belief
//! per player (the paper's Elo-MMχ variant).
//!
//! Method: Aram Ebtekar and Paul Liu, "Elo-MMR: A Rating System for Massive Multiplayer
//! Competitions", The Web Conference (WWW) 2021, arXiv:2101.00400. Each player's skill is
//! a belief N(μ, σ²). A round, given the final places of its players:
//! 1. **Diffusion**: a returning player's σ² grows by γ² (skills drift between rounds).
//! 2. **Performance**: each player's performance `p` is the zero of
//!    `Σ_{j at or below i} (tanh((p−μ_j)/2δ_j) − 1)/δ_j + Σ_{j at or above i} (tanh((p−μ_j)/2δ_j) + 1)/δ_j`
//!    (j over places), with logistic spread `δ_j = (√3/π)·√(σ_j² + β²)`: the most likely performance
//!    given who finished above and below (ties, and the player itself, count on both
//!    sides, so tied players get one performance). The function is strictly increasing,
//!    so the zero is unique; it is found by bisection to 10⁻⁹.
//! 3. **Update**: the belief and the performance (noise β) are combined as Gaussians:
//!    `μ' = (μ/σ² + p/β²)/(1/σ² + 1/β²)`, `σ'² = 1/(1/σ² + 1/β²)`.
//!
//! The displayed rating is `round(μ)`. Everything here is a pure function of the rounds
//! in order, so recomputing all history from the first rated contest gives the same
//! numbers every time (what makes finalising idempotent). Cost: O(n²) per round of n
//! players, times ~60 bisection steps (1,000 players ≈ 0.1 s).

#[cfg(test)]
mod tests;

use crate::model::UserId;
use std::collections::HashMap;

/// The system's parameters (the paper's defaults for Codeforces-like contests).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingParams {
    /// A new player's μ.
    pub mu_init: f64,
    /// A new player's σ.
    pub sigma_init: f64,
    /// Performance noise within one round.
    pub beta: f64,
    /// Skill drift between rounds (σ² grows by γ²); with β = 200, γ = 35 keeps a regular
    /// player's σ near 80.
    pub gamma: f64,
}

impl Default for RatingParams {
    fn default() -> Self {
        RatingParams {
            mu_init: 1500.0,
            sigma_init: 350.0,
            beta: 200.0,
            gamma: 35.0,
        }
    }
}

/// A belief about a player's skill.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Belief {
    /// Mean.
    pub mu: f64,
    /// Standard deviation.
    pub sigma: f64,
}

impl Belief {
    /// The rating shown to people: μ rounded.
    pub fn rating(&self) -> i64 {
        self.mu.round() as i64
    }
}

/// A player's place in a round (1-based; tied players share a place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placing {
    /// The player.
    pub user: UserId,
    /// Place.
    pub place: usize,
}

/// What a round did to one player.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// The player.
    pub user: UserId,
    /// Place in the round.
    pub place: usize,
    /// Estimated performance.
    pub performance: f64,
    /// The belief before the round (`None`: first rated round).
    pub before: Option<Belief>,
    /// The belief after it.
    pub after: Belief,
}

/// Rates one round from the players' beliefs before it (`None`: new player). Results are
/// in the order of `placings`; a user listed twice counts once (its first placing).
pub fn rate_round(
    params: &RatingParams,
    placings: &[Placing],
    prior: impl Fn(UserId) -> Option<Belief>,
) -> Vec<Change> {
    let mut seen = std::collections::HashSet::new();
    let players: Vec<(Placing, Option<Belief>, Belief)> = placings
        .iter()
        .filter(|p| seen.insert(p.user))
        .map(|p| {
            let before = prior(p.user);
            let diffused = match before {
                None => Belief {
                    mu: params.mu_init,
                    sigma: params.sigma_init,
                },
                Some(b) => Belief {
                    mu: b.mu,
                    sigma: (b.sigma * b.sigma + params.gamma * params.gamma).sqrt(),
                },
            };
            (*p, before, diffused)
        })
        .collect();
    let spread = std::f64::consts::PI.recip() * 3f64.sqrt();
    let terms: Vec<(usize, f64, f64)> = players
        .iter()
        .map(|(p, _, b)| {
            let delta = spread * (b.sigma * b.sigma + params.beta * params.beta).sqrt();
            (p.place, b.mu, delta)
        })
        .collect();
    let beta2 = params.beta * params.beta;
    players
        .iter()
        .map(|(p, before, b)| {
            let performance = performance(&terms, p.place);
            let (wb, wp) = (1.0 / (b.sigma * b.sigma), 1.0 / beta2);
            let after = Belief {
                mu: (b.mu * wb + performance * wp) / (wb + wp),
                sigma: (1.0 / (wb + wp)).sqrt(),
            };
            Change {
                user: p.user,
                place: p.place,
                performance,
                before: *before,
                after,
            }
        })
        .collect()
}

/// The zero of the performance equation of a player at `place` (see the module docs).
fn performance(terms: &[(usize, f64, f64)], place: usize) -> f64 {
    let f = |p: f64| -> f64 {
        terms
            .iter()
            .map(|&(other, mu, delta)| {
                let t = ((p - mu) / (2.0 * delta)).tanh();
                let mut v = 0.0;
                if other >= place {
                    v += (t - 1.0) / delta;
                }
                if other <= place {
                    v += (t + 1.0) / delta;
                }
                v
            })
            .sum()
    };
    let (lo_mu, hi_mu) = terms
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| {
            (lo.min(t.1), hi.max(t.1))
        });
    // Far enough out that f has its limit's sign: tanh saturates within ~40 spreads.
    let reach = terms.iter().map(|t| t.2).fold(0.0, f64::max) * 60.0;
    let (mut lo, mut hi) = (lo_mu - reach, hi_mu + reach);
    while hi - lo > 1e-9 * (1.0 + hi.abs().max(lo.abs())) {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Replays rounds in order from nobody rated: each round's changes, then the final
/// beliefs. The same rounds always give the same numbers.
pub fn replay(
    params: &RatingParams,
    rounds: &[Vec<Placing>],
) -> (Vec<Vec<Change>>, HashMap<UserId, Belief>) {
    let mut beliefs: HashMap<UserId, Belief> = HashMap::new();
    let mut all = Vec::with_capacity(rounds.len());
    for round in rounds {
        let changes = rate_round(params, round, |u| beliefs.get(&u).copied());
        for c in &changes {
            beliefs.insert(c.user, c.after);
        }
        all.push(changes);
    }
    (all, beliefs)
}
