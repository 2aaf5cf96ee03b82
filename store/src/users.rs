//! [`UserStore`] on SQL: users and refresh tokens.

use crate::SqlStore;
use crate::rows::{db, first, get, user_from_row, write_error};
use async_trait::async_trait;
use codehub_engine::model::{Profile, Role, User, UserId, now_ms};
use codehub_engine::ports::store::{Identity, NewUser, RefreshToken, StoreError, UserStore};

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
        let created_at = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(created_at)
        .fetch_all(&self.pool)
        .await
        .and_then(first)
        .map_err(|e| write_error(e, || format!("username `{}`", user.username), "user"))?;
        Ok(User {
            id: UserId(id),
            username: user.username,
            password_hash: user.password_hash,
            role: user.role,
            created_at,
            disabled: false,
            deleted: false,
        })
    }

    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        sqlx::query("SELECT id, username, password_hash, role, created_at, disabled, deleted_at FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError> {
        sqlx::query(
            "SELECT id, username, password_hash, role, created_at, disabled, deleted_at \
             FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn set_role(&self, id: UserId, role: Role) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(())
    }

    async fn revoke_refresh_tokens(&self, user: UserId) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM refresh_tokens WHERE user_id = $1")
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn set_password_hash(&self, id: UserId, password_hash: &str) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(())
    }

    async fn put_refresh_token(
        &self,
        token_hash: &str,
        token: RefreshToken,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(token.user_id.0)
        .bind(token.expires_at)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            write_error(
                e,
                || "refresh token".to_owned(),
                &format!("user {}", token.user_id),
            )
        })?;
        Ok(())
    }

    async fn take_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshToken>, StoreError> {
        let row = sqlx::query(
            "DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING user_id, expires_at",
        )
        .bind(token_hash)
        .fetch_all(&self.pool)
        .await
        .map(|rows| rows.into_iter().next())
        .map_err(db)?;
        row.map(|row| {
            Ok(RefreshToken {
                user_id: UserId(get(&row, "user_id")?),
                expires_at: get(&row, "expires_at")?,
            })
        })
        .transpose()
    }

    async fn link_identity(&self, identity: Identity) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO identities (provider, subject, user_id, email, linked_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&identity.provider)
        .bind(&identity.subject)
        .bind(identity.user_id.0)
        .bind(identity.email.clone())
        .bind(identity.linked_at)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            write_error(
                e,
                || format!("an identity of `{}`", identity.provider),
                &format!("user {}", identity.user_id),
            )
        })?;
        Ok(())
    }

    async fn identity_user(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM identities WHERE provider = $1 AND subject = $2",
        )
        .bind(provider)
        .bind(subject)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(id.map(UserId))
    }

    async fn identities_of(&self, user: UserId) -> Result<Vec<Identity>, StoreError> {
        let rows = sqlx::query(
            "SELECT provider, subject, email, linked_at FROM identities \
             WHERE user_id = $1 ORDER BY provider",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok(Identity {
                    provider: get(row, "provider")?,
                    subject: get(row, "subject")?,
                    user_id: user,
                    email: get(row, "email")?,
                    linked_at: get(row, "linked_at")?,
                })
            })
            .collect()
    }

    async fn unlink_identity(&self, user: UserId, provider: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM identities WHERE user_id = $1 AND provider = $2")
            .bind(user.0)
            .bind(provider)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn profile(&self, id: UserId) -> Result<Profile, StoreError> {
        let row = sqlx::query(
            "SELECT display_name, affiliation, country, bio, avatar FROM users WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        Ok(Profile {
            display_name: get(&row, "display_name")?,
            affiliation: get(&row, "affiliation")?,
            country: get(&row, "country")?,
            bio: get(&row, "bio")?,
            avatar: get(&row, "avatar")?,
        })
    }

    async fn set_profile(&self, id: UserId, p: &Profile) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, affiliation = $2, country = $3, bio = $4, \
             avatar = $5 WHERE id = $6",
        )
        .bind(p.display_name.clone())
        .bind(p.affiliation.clone())
        .bind(p.country.clone())
        .bind(p.bio.clone())
        .bind(p.avatar.clone())
        .bind(id.0)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(())
    }

    async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(())
    }

    async fn list_users(
        &self,
        search: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<User>, i64), StoreError> {
        let pattern = format!(
            "%{}%",
            search
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL \
             AND LOWER(username) LIKE $1 ESCAPE '\\'",
        )
        .bind(&pattern)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        let rows = sqlx::query(
            "SELECT id, username, password_hash, role, created_at, disabled, deleted_at \
             FROM users WHERE deleted_at IS NULL AND LOWER(username) LIKE $1 ESCAPE '\\' \
             ORDER BY id LIMIT $2 OFFSET $3",
        )
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let users = rows.iter().map(user_from_row).collect::<Result<_, _>>()?;
        Ok((users, total))
    }

    async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let done = sqlx::query(
            "UPDATE users SET username = $1, password_hash = '', display_name = NULL, \
             affiliation = NULL, country = NULL, bio = NULL, avatar = NULL, disabled = 1, \
             deleted_at = $2 WHERE id = $3",
        )
        .bind(format!("deleted-{}", id.0))
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        for delete in [
            "DELETE FROM identities WHERE user_id = $1",
            "DELETE FROM refresh_tokens WHERE user_id = $1",
        ] {
            sqlx::query(delete)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
}
