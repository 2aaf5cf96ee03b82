//! Submission rate limits shared by every node: one token bucket per user in Redis,
//! updated atomically by a script on Redis's own clock. Each node's UserActor keeps its
//! local bucket too (it can only be less strict: it sees a subset of the submissions).

use codehub_engine::model::UserId;
use fred::prelude::*;
use std::time::Duration;

/// Takes a token from `KEYS[1]` (`ARGV`: burst, milliseconds per token); answers 0, or
/// the milliseconds until a token is there.
const TAKE: &str = r"
local burst = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / per)
if tokens < 1 then
  return math.ceil((1 - tokens) * per)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * per) + 1000)
return 0
";

/// How long a submission waits for the shared bucket before the node's own decides.
const ANSWER_WITHIN: Duration = Duration::from_secs(1);

/// The shared bucket parameters and the Redis client.
#[derive(Clone)]
pub struct SharedRateLimit {
    client: Client,
    burst: u32,
    per_token_ms: u64,
}

impl SharedRateLimit {
    /// `burst` submissions at once, one more every `refill`.
    pub fn new(client: Client, burst: u32, refill: Duration) -> SharedRateLimit {
        SharedRateLimit {
            client,
            burst: burst.max(1),
            per_token_ms: refill.as_millis().max(1) as u64,
        }
    }

    /// Takes one submission from `user`'s bucket: `Err(wait)` when it is empty. If Redis
    /// does not answer, the submission is let through (the node's own bucket still holds).
    pub async fn take(&self, user: UserId) -> Result<(), Duration> {
        let waited = tokio::time::timeout(
            ANSWER_WITHIN,
            self.client.eval::<i64, _, _, _>(
                TAKE,
                vec![format!("codehub:rate:{}", user.0)],
                vec![self.burst.to_string(), self.per_token_ms.to_string()],
            ),
        )
        .await
        .map_err(|_| "no answer in time".to_owned())
        .and_then(|r| r.map_err(|e| e.to_string()));
        match waited {
            Ok(0) => Ok(()),
            Ok(ms) => Err(Duration::from_millis(ms.max(1) as u64)),
            Err(e) => {
                tracing::warn!(error = %e, "shared rate limit unavailable; the node's own applies");
                Ok(())
            }
        }
    }
}
