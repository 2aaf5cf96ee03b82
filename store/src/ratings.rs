//! [`RatingStore`] on SQL: finalised contests and their rating history.

use crate::SqlStore;
use crate::rows::{db, get, rows, write_error};
use async_trait::async_trait;
use codehub_engine::model::{ContestId, UserId};
use codehub_engine::ports::store::{RatingRow, RatingStore, StoreError};
use sqlx::any::AnyRow;

/// The columns of `rating_changes`, in [`RatingRow`]'s order.
macro_rules! columns {
    () => {
        "contest_id, user_id, round, place, performance, mu, sigma, rating, previous"
    };
}

fn rating_from_row(row: &AnyRow) -> Result<RatingRow, StoreError> {
    Ok(RatingRow {
        contest_id: ContestId(get(row, "contest_id")?),
        user_id: UserId(get(row, "user_id")?),
        round: get(row, "round")?,
        place: get(row, "place")?,
        performance: get(row, "performance")?,
        mu: get(row, "mu")?,
        sigma: get(row, "sigma")?,
        rating: get(row, "rating")?,
        previous: get(row, "previous")?,
    })
}

#[async_trait]
impl RatingStore for SqlStore {
    async fn finalized_contests(&self) -> Result<Vec<ContestId>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT contest_id FROM rating_finals ORDER BY contest_id")
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        Ok(ids.into_iter().map(ContestId).collect())
    }

    async fn replace_ratings(
        &self,
        finalized: &[ContestId],
        history: &[RatingRow],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM rating_changes")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM rating_finals")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for c in finalized {
            sqlx::query("INSERT INTO rating_finals (contest_id) VALUES ($1)")
                .bind(c.0)
                .execute(&mut *tx)
                .await
                .map_err(|e| write_error(e, || format!("contest {c}"), "contest"))?;
        }
        for r in history {
            sqlx::query(concat!(
                "INSERT INTO rating_changes (",
                columns!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            ))
            .bind(r.contest_id.0)
            .bind(r.user_id.0)
            .bind(r.round)
            .bind(r.place)
            .bind(r.performance)
            .bind(r.mu)
            .bind(r.sigma)
            .bind(r.rating)
            .bind(r.previous)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                write_error(
                    e,
                    || format!("rating of user {} in contest {}", r.user_id, r.contest_id),
                    "contest or user",
                )
            })?;
        }
        tx.commit().await.map_err(db)
    }

    async fn contest_ratings(&self, contest: ContestId) -> Result<Vec<RatingRow>, StoreError> {
        let all = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM rating_changes WHERE contest_id = $1 ORDER BY place, user_id"
        ))
        .bind(contest.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, rating_from_row)
    }

    async fn user_ratings(&self, user: UserId) -> Result<Vec<RatingRow>, StoreError> {
        let all = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM rating_changes WHERE user_id = $1 ORDER BY round"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, rating_from_row)
    }

    async fn current_ratings(&self) -> Result<Vec<(UserId, String, i64)>, StoreError> {
        let all = sqlx::query(
            "SELECT r.user_id, u.username, r.rating FROM rating_changes r \
             JOIN users u ON u.id = r.user_id WHERE r.round = \
             (SELECT MAX(x.round) FROM rating_changes x WHERE x.user_id = r.user_id) \
             ORDER BY r.user_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows(all, |row| {
            Ok((
                UserId(get(row, "user_id")?),
                get(row, "username")?,
                get(row, "rating")?,
            ))
        })
    }
}
