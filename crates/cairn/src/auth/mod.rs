//! Signing in: passwords (Argon2id), server-side sessions kept in the database (so any
//! instance behind a load balancer can serve any request), bearer tokens for API clients,
//! login throttling, and the [`CurrentUser`] every protected handler extracts.

pub mod api;
pub mod calendar_token;
pub mod expiry;
pub mod idempotency;
pub mod pages;
pub mod password;
pub mod service;
pub mod sign_in;
pub mod store;

use crate::app::AppState;
use crate::web::AppError;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use cairn_core::{Role, RoleGrant};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The name of the browser session cookie.
pub const SESSION_COOKIE: &str = "cairn_session";
/// The name of the cookie that carries the sign-in form's CSRF token before there is a session.
pub const SIGN_IN_COOKIE: &str = "cairn_sign_in";
/// The cookie of a browser that has signed in before: a lock on the account does not stop it
/// (it has a limit of its own), so a stranger's five wrong guesses never lock the owner out.
pub const DEVICE_COOKIE: &str = "cairn_device";
/// How long a browser stays known without signing in again.
pub const DEVICE_LIFETIME_SECS: i64 = 365 * 24 * 3600;

/// Who is trying to sign in, as far as the request tells: the browser's device cookie and
/// the client's address (from `X-Forwarded-For` only when configured to be behind a proxy).
#[derive(Debug, Clone, Default)]
pub struct Requester {
    pub device: Option<String>,
    pub client: Option<std::net::IpAddr>,
}

impl FromRequestParts<AppState> for Requester {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = || {
            // The proxy appends the address it saw: the last one is the one to trust.
            let value = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()?;
            value.to_str().ok()?.rsplit(',').next()?.trim().parse().ok()
        };
        let peer = || {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip())
        };
        let client = if state.config.behind_proxy {
            forwarded().or_else(peer)
        } else {
            peer()
        };
        Ok(Requester {
            device: cookie(&parts.headers, DEVICE_COOKIE).filter(|t| !t.is_empty()),
            client,
        })
    }
}

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

/// The signed-in person making this request, with their roles.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    /// The session's CSRF token, which every form must send back.
    pub csrf: String,
    pub via: Via,
    pub roles: Vec<RoleGrant>,
    /// The stored hash of the session token (to end this session).
    pub token_hash: String,
}

impl CurrentUser {
    /// Whether the person holds `role` in `org_id`.
    pub fn has_role(&self, org_id: Uuid, role: Role) -> bool {
        self.roles
            .iter()
            .any(|grant| grant.org_id == org_id && grant.role == role)
    }
    /// Whether the person reads everyone's records in `org_id` (administrator, L&D lead,
    /// auditor).
    pub fn reads_org_wide(&self, org_id: Uuid) -> bool {
        self.roles
            .iter()
            .any(|grant| grant.org_id == org_id && grant.role.reads_org_wide())
    }
    /// The page chrome for this person.
    pub fn chrome(&self) -> crate::web::page::Chrome {
        // Anyone with more than a practitioner's role has organisation pages to open.
        let org_id = self
            .roles
            .iter()
            .find(|grant| grant.role != Role::Practitioner)
            .map(|grant| grant.org_id.to_string());
        let supervisor = self
            .roles
            .iter()
            .any(|grant| grant.role == Role::Supervisor);
        let admin_org_id = self
            .roles
            .iter()
            .find(|grant| grant.role == Role::OrgAdmin)
            .map(|grant| grant.org_id.to_string());
        let lead_org_id = self
            .roles
            .iter()
            .find(|grant| matches!(grant.role, Role::LdLead | Role::OrgAdmin))
            .map(|grant| grant.org_id.to_string());
        crate::web::page::Chrome {
            name: Some(self.name.clone()),
            csrf: self.csrf.clone(),
            org_id,
            supervisor,
            admin_org_id,
            lead_org_id,
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let (token, via) = if let Some(token) = bearer_token(parts) {
            (token, Via::Bearer)
        } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            (token, Via::Cookie)
        } else {
            return Err(AppError::Unauthenticated);
        };
        let kind = match via {
            Via::Cookie => store::SessionKind::Browser,
            Via::Bearer => store::SessionKind::Api,
        };
        let token_hash = hash_token(&token);
        let now = state.clock.now();
        let session = match state.sessions.get(&token_hash, kind, now) {
            Some(session) => session,
            None => {
                let session = store::find_session(&state.db, &token_hash, kind, now)
                    .await?
                    .ok_or(AppError::Unauthenticated)?;
                store::touch_session(&state.db, &token_hash, &session, now).await?;
                state.sessions.put(&token_hash, kind, &session, now);
                session
            }
        };
        let user = CurrentUser {
            person_id: session.person_id,
            name: session.name,
            email: session.email,
            csrf: session.csrf_token,
            via,
            roles: session.roles,
            token_hash,
        };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// A form sent by the signed-in person, its CSRF token (the `csrf` field) checked against
/// their session before the handler runs: a page's POST handler takes this, never a bare
/// `Form`, so that it cannot forget the check (tests/it/structure.rs holds the rule). A
/// forged or stale form is refused with 403; a body that is not the form is a 422 that
/// names what was wrong.
pub struct CheckedForm<T>(pub T);

impl<T> axum::extract::FromRequest<AppState> for CheckedForm<T>
where
    T: serde::de::DeserializeOwned,
{
    type Rejection = crate::web::PageError;

    async fn from_request(
        request: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        #[derive(serde::Deserialize)]
        struct Token {
            #[serde(default)]
            csrf: String,
        }
        let (mut parts, body) = request.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let request = axum::extract::Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|_| AppError::field("form", "The form could not be read; send it again"))?;
        let token: Token = serde_urlencoded::from_bytes(&bytes).unwrap_or(Token {
            csrf: String::new(),
        });
        crate::web::csrf::require(&user.csrf, &token.csrf)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(CheckedForm)
            .map_err(|error| {
                AppError::field(
                    "form",
                    format!(
                        "The form could not be read ({error}): reload the page and send it again"
                    ),
                )
                .into()
            })
    }
}

/// An optional signed-in person (pages that also serve visitors).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(user) => Ok(MaybeUser(Some(user))),
            Err(AppError::Unauthenticated) => Ok(MaybeUser(None)),
            Err(other) => Err(other),
        }
    }
}

fn bearer_token(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// The value of a cookie sent with the request.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A new unguessable token: 256 random bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator failing is not something cairn can work around.
    #[expect(
        clippy::expect_used,
        reason = "no secure randomness means no safe sessions: stop loudly"
    )]
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as hashes: a leaked database gives no working sessions.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// A `Set-Cookie` value with the flags every cairn cookie carries.
pub fn cookie_header(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Where a person may be sent back to after signing in: a path of this site, never another
/// site. Only a path's own characters are accepted (letters, digits and `/-._~%?=&+:,;@!$*'()`),
/// so nothing a browser strips or reads as a slash (`/\host`, `/<TAB>/host`, `//host`) and
/// nothing a header cannot carry gets through.
pub fn safe_next(next: &str) -> Option<&str> {
    let path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~%?=&+:,;@!$*'()".contains(c);
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2048
        && next.chars().all(path_char)
        && !next.starts_with("/sign-in")
        && !next.starts_with("/api/");
    ok.then_some(next)
}
