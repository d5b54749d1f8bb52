//! The one check behind both the sign-in page and `POST /api/v1/auth/token`: the password,
//! under the throttle (per account, per client and per known browser).

use super::{password, store};
use crate::app::AppState;
use crate::web::AppError;
use cairn_core::{Email, FieldErrors};
use uuid::Uuid;

/// Failed sign-ins allowed per client address within the throttle window, over every email it
/// tries: one client cannot spray guesses across many accounts (nor lock them all out).
pub const CLIENT_ALLOWANCE: i64 = 50;

/// Who signed in, and whether the browser had signed in as them before.
pub struct Authenticated {
    pub person_id: Uuid,
    /// The email as cairn keeps it.
    pub email: Email,
    pub known_device: bool,
}

/// Checks an email and password, with the throttle. Wrong credentials are reported the same
/// way whether or not the email has an account.
///
/// Each attempt is taken from the allowances before the password is checked (so parallel
/// guesses cannot race past a lock): the client's address and the account's, or, for a
/// browser that has signed in as this email before, that browser's own, which a stranger's
/// guesses never touch.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: &str,
    from: &super::Requester,
) -> Result<Authenticated, AppError> {
    let mut errors = FieldErrors::default();
    let email = match Email::parse(email) {
        Ok(email) => Some(email),
        Err(message) => {
            errors.push("email", format!("Enter your email address: it {message}"));
            None
        }
    };
    if password.is_empty() {
        errors.push("password", "Enter your password");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let now = state.clock.now();
    let known_device = match &from.device {
        Some(token) => store::is_known_device(&state.db, token, email.as_str(), now)
            .await?
            .then(|| format!("device:{}", super::hash_token(token))),
        None => None,
    };
    // (key, allowance, forgotten on success): a success forgets the account's (or browser's)
    // failures, but only gives back its own attempt to the client's count, or one account of
    // an attacker's own would refill it between guesses at others.
    let keys: Vec<(String, i64, bool)> = match &known_device {
        Some(device) => vec![(device.clone(), store::MAX_FAILURES, true)],
        None => {
            let mut keys = Vec::new();
            if let Some(client) = from.client {
                keys.push((format!("client:{client}"), CLIENT_ALLOWANCE, false));
            }
            keys.push((email.as_str().to_owned(), store::MAX_FAILURES, true));
            keys
        }
    };
    for (key, allowed, _) in &keys {
        if let store::Attempt::Locked(until) =
            store::take_attempt(&state.db, key, *allowed, now).await?
        {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: (until - now).whole_seconds().max(1).unsigned_abs(),
            });
        }
    }
    let (person_id, stored) = store::credentials_by_email(&state.db, email.as_str())
        .await?
        .map_or((None, None), |(id, hash)| (Some(id), hash));
    let matches = password::verify(password.to_owned(), stored).await?;
    match person_id {
        Some(person_id) if matches => {
            for (key, _, forget) in &keys {
                if *forget {
                    store::clear_failures(&state.db, key).await?;
                } else {
                    store::refund_attempt(&state.db, key).await?;
                }
            }
            Ok(Authenticated {
                person_id,
                email,
                known_device: known_device.is_some(),
            })
        }
        _ => {
            let mut locked = None;
            for (key, allowed, _) in &keys {
                if let Some(until) = store::lock_if_spent(&state.db, key, *allowed, now).await? {
                    locked = locked.max(Some(until));
                }
            }
            if let Some(until) = locked {
                tracing::warn!("sign-in locked after repeated failures");
                return Err(AppError::TooManyAttempts {
                    retry_after_secs: (until - now).whole_seconds().max(1).unsigned_abs(),
                });
            }
            Err(AppError::field(
                "password",
                "The email address or password is not right",
            ))
        }
    }
}
