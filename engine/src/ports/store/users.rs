//! Users and their refresh tokens.

use super::{Identity, NewUser, RefreshToken, StoreError};
use crate::model::{Profile, Role, User, UserId};
use async_trait::async_trait;

/// Accounts and sessions.
#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// Creates a user. [`StoreError::Conflict`] if the name is taken.
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError>;
    /// A user by id.
    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    /// A user by name.
    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError>;
    /// Number of users.
    async fn count_users(&self) -> Result<i64, StoreError>;
    /// Changes a user's role. [`StoreError::NotFound`] if absent.
    async fn set_role(&self, id: UserId, role: Role) -> Result<(), StoreError>;

    /// Stores a refresh token hash. [`StoreError::Conflict`] if the hash is stored
    /// already, [`StoreError::NotFound`] if the user does not exist.
    async fn put_refresh_token(
        &self,
        token_hash: &str,
        token: RefreshToken,
    ) -> Result<(), StoreError>;
    /// Removes and returns a refresh token (each token works once: rotation).
    async fn take_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshToken>, StoreError>;
    /// Removes every refresh token of a user (sign out everywhere); how many there were.
    async fn revoke_refresh_tokens(&self, user: UserId) -> Result<u64, StoreError>;
    /// Replaces a user's password hash. [`StoreError::NotFound`] if absent.
    async fn set_password_hash(&self, id: UserId, password_hash: &str) -> Result<(), StoreError>;

    /// Links an external identity to its account. [`StoreError::Conflict`] if that
    /// provider's subject is linked already (to anyone), or the account has an identity of
    /// that provider; [`StoreError::NotFound`] if the user does not exist.
    async fn link_identity(&self, identity: Identity) -> Result<(), StoreError>;
    /// The account a provider's subject signs in to.
    async fn identity_user(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<UserId>, StoreError>;
    /// The identities linked to an account, by provider name.
    async fn identities_of(&self, user: UserId) -> Result<Vec<Identity>, StoreError>;
    /// Unlinks an account's identity of a provider; whether there was one.
    async fn unlink_identity(&self, user: UserId, provider: &str) -> Result<bool, StoreError>;

    /// A user's profile. [`StoreError::NotFound`] if absent.
    async fn profile(&self, id: UserId) -> Result<Profile, StoreError>;
    /// Replaces a user's profile. [`StoreError::NotFound`] if absent.
    async fn set_profile(&self, id: UserId, profile: &Profile) -> Result<(), StoreError>;
    /// Disables or enables an account. [`StoreError::NotFound`] if absent.
    async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<(), StoreError>;
    /// Users whose name contains `search` (case-insensitive; deleted ones excluded), by
    /// id, `limit` from `offset`, and how many match in all.
    async fn list_users(
        &self,
        search: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<User>, i64), StoreError>;
    /// Deletes an account as its owner asks: the name becomes `deleted-<id>`, the
    /// password, profile, identities and sessions go; the row stays so submissions keep
    /// an (anonymous) owner. [`StoreError::NotFound`] if absent.
    async fn delete_user(&self, id: UserId) -> Result<(), StoreError>;
}
