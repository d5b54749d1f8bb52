//! The command line, as an administrator setting up a real installation would use it.

use std::io::Write;
use std::process::{Command, Stdio};

fn cairn(data: &std::path::Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("CAIRN_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cairn runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_owned()
}

#[test]
fn an_administrator_sets_up_an_installation_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    assert!(cairn(data, &["migrate"], None).status.success());

    let bad = cairn(
        data,
        &[
            "org",
            "add",
            "--name",
            "Highland Council",
            "--kind",
            "council",
        ],
        None,
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("local-authority"),
        "{}",
        text(&bad.stderr)
    );
    let org = cairn(
        data,
        &[
            "org",
            "add",
            "--name",
            "Highland Council",
            "--kind",
            "local-authority",
        ],
        None,
    );
    let org_id = text(&org.stdout);
    assert_eq!(org_id.len(), 36, "prints the new id");
    let team = cairn(
        data,
        &[
            "team",
            "add",
            "--org",
            &org_id,
            "--name",
            "Skye adults",
            "--service",
            "adults",
            "--locality",
            "island",
        ],
        None,
    );
    assert!(team.status.success(), "{}", text(&team.stderr));

    let short = cairn(
        data,
        &[
            "user",
            "add",
            "--org",
            &org_id,
            "--email",
            "fiona@example.org",
            "--name",
            "Fiona",
            "--role",
            "org-admin",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!short.status.success());
    let user = cairn(
        data,
        &[
            "user",
            "add",
            "--org",
            &org_id,
            "--email",
            "fiona@example.org",
            "--name",
            "Fiona",
            "--role",
            "org-admin",
            "--password-stdin",
        ],
        Some("a long enough passphrase\n"),
    );
    assert!(user.status.success(), "{}", text(&user.stderr));

    let feed = dir.path().join("people.csv");
    std::fs::write(&feed, "email,name,job_role,start_date,team\nann@example.org,Ann,Social worker,2024-01-08,Skye adults\nbob@example.org,Bob,Support worker,not-a-date,Skye adults\n").expect("write");
    let import = cairn(
        data,
        &["import", feed.to_str().expect("path"), "--org", &org_id],
        None,
    );
    assert!(
        !import.status.success(),
        "a rejected line makes the exit status non-zero"
    );
    let report = text(&import.stdout);
    assert!(
        report.contains("1 added, 0 updated, 1 rejected"),
        "{report}"
    );
    assert!(report.contains("line 3: rejected: start_date"), "{report}");
    let again = cairn(
        data,
        &["import", feed.to_str().expect("path"), "--org", &org_id],
        None,
    );
    assert!(text(&again.stdout).contains("0 added, 1 updated, 1 rejected"));

    let record = dir.path().join("record.json");
    let export = cairn(
        data,
        &[
            "export",
            "--person",
            "fiona@example.org",
            "--output",
            record.to_str().expect("path"),
        ],
        None,
    );
    assert!(export.status.success(), "{}", text(&export.stderr));
    let import = cairn(
        data,
        &[
            "import",
            record.to_str().expect("path"),
            "--person",
            "fiona@example.org",
        ],
        None,
    );
    assert_eq!(text(&import.stdout), "0 entries added, 0 already present");
}

#[test]
fn the_compliance_report_prints_csv_and_json() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let org = cairn(
        data,
        &[
            "org",
            "add",
            "--name",
            "Fife Council",
            "--kind",
            "local-authority",
        ],
        None,
    );
    let org_id = text(&org.stdout);
    let csv = cairn(
        data,
        &["report", "compliance", "--org", &org_id, "--format", "csv"],
        None,
    );
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    assert!(text(&csv.stdout).starts_with(
        "org_id,person_id,name,email,job_role,team,locality,policy,status,days_left,next"
    ));
    let json = cairn(
        data,
        &[
            "report",
            "compliance",
            "--org",
            &org_id,
            "--as-of",
            "2025-01-31",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(report["as_of"], "2025-01-31");
    let bad = cairn(
        data,
        &["report", "compliance", "--as-of", "31/01/2025"],
        None,
    );
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn the_demo_refuses_a_public_address_unless_told() {
    let dir = tempfile::tempdir().expect("dir");
    let output = cairn(
        dir.path(),
        &["serve", "--demo", "--listen", "0.0.0.0:0"],
        None,
    );
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("--allow-public-demo"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_generated_register_has_its_standing_kept_and_reported_for_everyone() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let demo = cairn(
        data,
        &[
            "demo",
            "--people",
            "150",
            "--largest-org",
            "60",
            "--seed",
            "3",
        ],
        None,
    );
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    assert!(
        text(&demo.stdout).contains("Standing of 150 people judged"),
        "{}",
        text(&demo.stdout)
    );
    let rebuild = cairn(data, &["standing", "rebuild"], None);
    assert!(rebuild.status.success(), "{}", text(&rebuild.stderr));
    assert!(
        text(&rebuild.stdout).contains("no drift"),
        "{}",
        text(&rebuild.stdout)
    );
    let csv = cairn(data, &["report", "compliance", "--format", "csv"], None);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    assert!(
        text(&csv.stderr).contains("people in post in 3 organisations"),
        "{}",
        text(&csv.stderr)
    );
    let out = text(&csv.stdout);
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("org_id,person_id")
    );
    // The first organisation has the 60 people of --largest-org, all in post, once each.
    let mut per_org: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for line in lines {
        let mut fields = line.split(',');
        let (org, person) = (fields.next().expect("org"), fields.next().expect("person"));
        per_org.entry(org).or_default().insert(person);
    }
    assert!(
        per_org.values().any(|people| people.len() == 60),
        "{:?}",
        per_org.values().map(|p| p.len()).collect::<Vec<_>>()
    );
}
