//! Configuration: one typed struct built from flags and environment variables, with
//! defaults that make a bare `cairn serve` work on a laptop.

use crate::db::{DbUrl, PoolSize};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything `serve` needs to know. Holds no secrets today; the database URL's password is
/// redacted wherever it is printed.
#[derive(Clone, Debug)]
pub struct Config {
    pub database: DbUrl,
    pub listen: SocketAddr,
    /// Where the SQLite file (by default) and evidence files live; never served directly.
    pub data_dir: PathBuf,
    /// Send cookies with `Secure` (on whenever cairn is reached over HTTPS).
    pub secure_cookies: bool,
    /// Behind a proxy or load balancer that appends the client's address to
    /// `X-Forwarded-For`: the sign-in limit per client reads it from there.
    pub behind_proxy: bool,
    pub pool: PoolSize,
    /// Where the daily email digests go out, if anywhere.
    pub mail: Option<MailConfig>,
}

/// An SMTP relay (plain SMTP: TLS to the outside world is the relay's job) and the sender.
#[derive(Clone, Debug)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
    /// The address people reach cairn at, for the links in emails.
    pub public_url: String,
}

impl MailConfig {
    /// From `smtp://HOST[:PORT]` (port 25 when absent) and a sender address.
    pub fn parse(url: &str, from: &str, public_url: &str) -> anyhow::Result<Self> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            anyhow::anyhow!("--smtp-url must look like smtp://HOST:PORT (got {url})")
        })?;
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse().map_err(|_| {
                    anyhow::anyhow!("--smtp-url: the port must be a number (got {port})")
                })?,
            ),
            None => (rest.trim_end_matches('/'), 25),
        };
        anyhow::ensure!(!host.is_empty(), "--smtp-url names no host");
        anyhow::ensure!(
            from.parse::<lettre::message::Mailbox>().is_ok(),
            "--mail-from must be an address such as \"cairn <learning@example.org>\" (got {from})"
        );
        anyhow::ensure!(
            public_url.starts_with("http://") || public_url.starts_with("https://"),
            "--public-url must start with http:// or https:// (got {public_url})"
        );
        Ok(Self {
            host: host.to_owned(),
            port,
            from: from.to_owned(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }
}

impl Config {
    /// A configuration for a data folder, with the SQLite file inside it.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Self {
            database: DbUrl::Sqlite(data_dir.join("cairn.db")),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir,
            secure_cookies: false,
            behind_proxy: false,
            pool: PoolSize::default(),
            mail: None,
        }
    }

    /// Where uploaded evidence is kept: inside the data folder, outside any web root.
    pub fn evidence_dir(&self) -> PathBuf {
        self.data_dir.join("evidence")
    }
}
