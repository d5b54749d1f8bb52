//! The daily email digest: for each person who wants one and has something due, one plain
//! email listing it, at most once a day (safe to run again, or from several instances: the
//! day is recorded per person once the email has gone).

use super::store;
use crate::app::AppState;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestReport {
    pub sent: usize,
    pub nothing_due: usize,
    pub already_sent: usize,
    pub failed: usize,
}

/// The digest's text: a line per thing due, with its link.
pub fn body(name: &str, due: &[super::Reminder], public_url: &str) -> String {
    let mut text = format!("Hello {name},\n\nThis is what is due in cairn:\n\n");
    for reminder in due {
        text.push_str(&format!(
            "- {}\n  {public_url}{}\n",
            reminder.text, reminder.link
        ));
    }
    text.push_str(&format!(
        "\nYou choose what you are reminded of, or stop these emails, at {public_url}/reminders\n"
    ));
    text
}

/// Sends today's digests. Fails only when there is no relay configured or the database
/// cannot be read; a message the relay refuses is logged and counted, and tried again on the
/// next run.
pub async fn send_digests(state: &AppState) -> anyhow::Result<DigestReport> {
    let mail = state
        .config
        .mail
        .clone()
        .ok_or_else(|| anyhow::anyhow!("no SMTP relay is configured (--smtp-url)"))?;
    let from: Mailbox = mail.from.parse()?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&mail.host)
        .port(mail.port)
        .build();
    let today = state.clock.today();
    let mut report = DigestReport {
        already_sent: store::already_sent(&state.db, today).await? as usize,
        ..Default::default()
    };
    for (person, email, name) in store::digest_people(&state.db, today).await? {
        let choices = store::preferences(&state.db, person).await?;
        let due = super::due_for(state, person, &choices)
            .await
            .map_err(|e| anyhow::anyhow!("what is due for {person}: {e:?}"))?;
        if due.is_empty() {
            report.nothing_due += 1;
            continue;
        }
        // Built from its parts: a display name may hold characters an address cannot.
        let to = match email.parse() {
            Ok(address) => Mailbox::new(Some(name.clone()), address),
            Err(error) => {
                tracing::warn!(person.id = %person, %error, "digest: the address cannot be used");
                report.failed += 1;
                continue;
            }
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(match due.len() {
                1 => "cairn: one thing is due".to_owned(),
                n => format!("cairn: {n} things are due"),
            })
            .header(ContentType::TEXT_PLAIN)
            .body(body(&name, &due, &mail.public_url))?;
        match transport.send(message).await {
            Ok(_) => {
                store::mark_sent(&state.db, person, today).await?;
                report.sent += 1;
            }
            Err(error) => {
                tracing::warn!(person.id = %person, %error, "digest: the relay refused it; it will be tried again");
                report.failed += 1;
            }
        }
    }
    tracing::info!(sent = report.sent, failed = report.failed, "daily digests");
    Ok(report)
}
