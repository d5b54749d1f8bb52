//! Reminders and the daily email digest, sent through a real SMTP server (Python's aiosmtpd,
//! writing to a Maildir), on both databases.

use crate::on_both;
use crate::support::{TestApp, org, person};
use cairn::people::store as people;
use cairn::reminders::store::{Preferences, set_preferences};
use cairn::{AppState, Clock};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A local SMTP server that keeps what it receives in a Maildir, stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir = tempfile::tempdir().expect("a maildir");
        for part in ["tmp", "new", "cur"] {
            std::fs::create_dir(maildir.path().join(part)).expect("maildir folders");
        }
        let python = std::env::var("CAIRN_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
        let child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path())
            .spawn()
            .unwrap_or_else(|e| panic!("{python} -m aiosmtpd (Debian: python3-aiosmtpd): {e}"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            child,
            port,
            maildir,
        }
    }

    /// The messages received so far, as text.
    fn messages(&self) -> Vec<String> {
        let new = self.maildir.path().join("new");
        std::fs::read_dir(new)
            .map(|dir| {
                dir.filter_map(|f| f.ok())
                    .map(|f| std::fs::read_to_string(f.path()).expect("a message"))
                    // Undo quoted-printable's soft line breaks and escaped "=".
                    .map(|m| {
                        m.replace("=\r\n", "")
                            .replace("=\n", "")
                            .replace("=3D", "=")
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

on_both!(
    the_daily_digest_tells_each_person_what_is_due_once,
    |test_db| {
        let smtp = SmtpServer::start();
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
        let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "bob@a.example", &["practitioner"]).await;
        let cal_id = person(&test_db.db, &a, "cal@a.example", &["practitioner"]).await;
        for supervisee in [ann_id, cal_id] {
            people::add_supervision(&test_db.db, sup_id, supervisee, a.id)
                .await
                .expect("supervision");
        }
        // Cal wants no email; Ann and Cal have never had supervision, so it is overdue.
        let quiet = Preferences {
            email_digest: false,
            ..Default::default()
        };
        set_preferences(&test_db.db, cal_id, &quiet, time::OffsetDateTime::now_utc())
            .await
            .expect("preferences");
        // Sup and Bob are not reminded of their registration's requirements (their choice); Bob
        // has nothing else due, and Sup is reminded of Ann and Cal, whom he supervises.
        let no_requirements = Preferences {
            requirements: false,
            ..Default::default()
        };
        for email in ["sup@a.example", "bob@a.example"] {
            let id = people::person_by_email(&test_db.db, email)
                .await
                .expect("q")
                .expect("them")
                .id;
            set_preferences(
                &test_db.db,
                id,
                &no_requirements,
                time::OffsetDateTime::now_utc(),
            )
            .await
            .expect("preferences");
        }
        let ann = app.api("ann@a.example").await;
        let page = ann
            .get("/reminders")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(page.contains("Your supervision is overdue"), "{page}");

        let mut config = cairn::config::Config::for_data_dir(test_db.dir.path().to_path_buf());
        config.database = test_db.url.clone();
        config.mail = Some(
            cairn::config::MailConfig::parse(
                &format!("smtp://127.0.0.1:{}", smtp.port),
                "cairn <learning@a.example>",
                "https://cairn.a.example",
            )
            .expect("mail config"),
        );
        let state = AppState::new(test_db.db.clone(), config, Clock::System);
        let report = cairn::reminders::digest::send_digests(&state)
            .await
            .expect("digests");
        assert_eq!((report.sent, report.failed), (2, 0), "{report:?}");
        assert_eq!(report.nothing_due, 1, "Bob has nothing due: {report:?}");
        let messages = smtp.messages();
        assert_eq!(messages.len(), 2);
        let to_sup = messages
            .iter()
            .find(|m| m.contains("sup@a.example"))
            .expect("the supervisor's digest");
        assert!(
            to_sup.contains("Person ann@a.example") && to_sup.contains("supervision is overdue"),
            "{to_sup}"
        );
        let message = messages
            .iter()
            .find(|m| m.contains("ann@a.example") && !m.contains("sup@a.example"))
            .expect("Ann's digest");
        assert!(message.contains("ann@a.example"), "{message}");
        assert!(message.contains("things are due"), "{message}");
        // Her registration's requirement, with nothing recorded, is at risk.
        assert!(message.contains("SSSC"), "{message}");
        assert!(message.contains("Your supervision is overdue"), "{message}");
        assert!(
            message.contains("https://cairn.a.example/reminders"),
            "{message}"
        );

        // Once a day: a second run sends nothing.
        let again = cairn::reminders::digest::send_digests(&state)
            .await
            .expect("digests");
        assert_eq!((again.sent, again.already_sent), (0, 2), "{again:?}");
        assert_eq!(smtp.messages().len(), 2);

        // Choices are kept and shown.
        let choices = ann.get_json("/api/v1/me/reminders").await;
        assert_eq!(choices["choices"]["email_digest"], true);
        assert!(
            choices["due"]
                .as_array()
                .expect("list")
                .iter()
                .any(|d| d["link"] == "/supervision"),
            "{choices}"
        );
    }
);

#[test]
fn a_relay_address_is_checked() {
    use cairn::config::MailConfig;
    assert!(
        MailConfig::parse(
            "smtp://relay.example:2525",
            "cairn <a@b.example>",
            "https://x.example"
        )
        .is_ok()
    );
    for (url, from, public) in [
        ("http://relay", "a@b.example", "https://x"),
        ("smtp://relay:port", "a@b.example", "https://x"),
        ("smtp://relay", "not an address", "https://x"),
        ("smtp://relay", "a@b.example", "ftp://x"),
    ] {
        assert!(
            MailConfig::parse(url, from, public).is_err(),
            "{url} {from} {public}"
        );
    }
}
