//! The `cairn check` and `cairn policies` command-line contract.

use serde_json::Value;
use std::process::Command;

fn cairn(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .output()
        .expect("cairn runs")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

const RECORD: &str = r#"{"format": "cairn-record/1",
 "person": {"id": "p1", "name": "Sam", "hours_per_week": 37,
            "registrations": [{"register": "SWE", "part": "social-worker", "start": "2020-03-01", "first": true}]},
 "entries": [{"id": "e1", "date": "2025-01-15", "title": "Court skills", "kind": "course", "hours": 6,
              "topics": ["court-skills"], "elements": [], "peer_reflection": false, "endorsed": false,
              "reflection": "What I learnt about giving evidence, and how I now prepare reports"}],
 "declarations": []}"#;

#[test]
fn check_prints_the_json_contract() {
    let dir = tempfile::tempdir().expect("dir");
    let record = write(&dir, "record.json", RECORD);
    let output = cairn(&[
        "check",
        "--record",
        &record,
        "--policy",
        "swe-cpd",
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["as_of"], "2025-06-01");
    let result = &report["results"][0];
    assert_eq!(result["policy"], "swe-cpd");
    assert_eq!(result["status"], "overdue");
    assert_eq!(result["current"]["start"], "2024-12-01");
    assert_eq!(result["current"]["end"], "2025-12-01");
    assert_eq!(result["current"]["status"], "at-risk");
    assert_eq!(result["current"]["rules"][0]["id"], "pieces");
    assert_eq!(result["current"]["rules"][0]["required"], 2);
    assert_eq!(result["current"]["rules"][0]["achieved"], 1);
    assert_eq!(result["previous"]["met"], false);

    // Without --policy: every built-in policy that applies, and only those.
    let output = cairn(&[
        "check",
        "--record",
        &record,
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    let ids: Vec<&str> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["policy"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["swe-cpd"]);

    let output = cairn(&["check", "--record", &record, "--as-of", "2025-06-01"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("swe-cpd: OVERDUE") && text.contains("What's left"),
        "{text}"
    );
}

#[test]
fn check_refuses_bad_input_naming_where() {
    let dir = tempfile::tempdir().expect("dir");
    let bad_record = write(
        &dir,
        "bad.json",
        &RECORD.replace("\"hours\": 6", "\"hours\": \"six\""),
    );
    let output = cairn(&["check", "--record", &bad_record, "--policy", "swe-cpd"]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("entries[0].hours"), "{message}");

    let record = write(&dir, "record.json", RECORD);
    let output = cairn(&["check", "--record", &record, "--policy", "no-such-policy"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("swe-cpd"),
        "lists the built-in ids"
    );

    let policy = write(
        &dir,
        "p.toml",
        "format = \"cairn-policy/1\"\nid = \"x\"\ntitle = \"X\"\neffective_from = 2020-01-01\n[applies_to]\nregister = \"EMP\"\n[period]\nanchor = \"registration\"\nlength = \"P1Y\"\n[[rules]]\nid = \"a\"\nkind = \"hours\"\nmin = 0\n",
    );
    let output = cairn(&["check", "--record", &record, "--policy", &policy]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("p.toml:13: rules.min"), "{message}");
    let output = cairn(&["policies", "validate", &policy]);
    assert!(!output.status.success());
}

#[test]
fn policies_are_listed_shown_and_validated() {
    let output = cairn(&["policies", "list"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for id in [
        "sssc-prtl-social-worker",
        "sssc-prtl-nqsw",
        "sssc-cpl-2024-social-care",
        "sssc-cpl-2024-social-worker",
        "swe-cpd",
        "scw-social-worker",
        "scw-care-worker",
        "niscc-social-worker",
        "niscc-care-worker",
        "nmc-revalidation",
    ] {
        assert!(text.contains(id), "{id} in {text}");
    }
    assert!(text.contains("partly unconfirmed"));
    let output = cairn(&["policies", "show", "swe-cpd"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("start_month_day = \"12-01\""));
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        &dir,
        "swe.toml",
        cairn_core::policy::builtin::text_of("swe-cpd").expect("text"),
    );
    let output = cairn(&["policies", "validate", &file]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
