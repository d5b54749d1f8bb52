//! The portable record: export, and idempotent import.

use crate::on_both;
use crate::support::{TestApp, entry_body, org, person};
use serde_json::{Value, json};

on_both!(
    the_record_exports_and_reimports_without_duplicates,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "bob@a.example", &["practitioner"]).await;
        let ann = app.api("ann@a.example").await;
        ann.create_entry(entry_body("First")).await;
        ann.create_entry(json!({"date": "2025-02-02", "title": "Second", "hours": "0.1"}))
            .await;

        let response = ann.get("/api/v1/me/record").send().await.expect("export");
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .contains("cairn-record-")
        );
        let record: Value = response.json().await.expect("json");
        assert_eq!(record["format"], "cairn-record/1");
        assert_eq!(record["person"]["registrations"][0]["register"], "SSSC");
        assert_eq!(record["person"]["hours_per_week"], 37);
        assert_eq!(record["entries"].as_array().expect("entries").len(), 2);
        assert_eq!(record["entries"][0]["hours"], 0.1);

        // Importing your own export adds nothing.
        let report: Value = ann
            .post("/api/v1/me/record")
            .json(&record)
            .send()
            .await
            .expect("import")
            .json()
            .await
            .expect("json");
        assert_eq!(
            report,
            json!({"added": 0, "already_present": 2, "endorsement_not_carried": 0})
        );

        // A record from elsewhere, with ids that are not UUIDs: added once, then never again.
        let foreign = json!({"format": "cairn-record/1", "person": {"id": "p-17", "name": "Ann"},
        "entries": [{"id": "e1", "date": "2019-05-01", "title": "Old course", "kind": "course", "hours": 6},
                    {"id": "e2", "date": "2019-06-01", "title": "Old reading", "hours": 1.5, "topics": ["court-skills"]}]});
        let report: Value = ann
            .post("/api/v1/me/record")
            .json(&foreign)
            .send()
            .await
            .expect("import")
            .json()
            .await
            .expect("json");
        assert_eq!(report["added"], 2);
        let report: Value = ann
            .post("/api/v1/me/record")
            .json(&foreign)
            .send()
            .await
            .expect("import")
            .json()
            .await
            .expect("json");
        assert_eq!(report["added"], 0);
        let listed: Value = ann.get_json("/api/v1/me/entries").await;
        assert_eq!(listed["total"], 4);

        // Someone else's entry ids are refused, naming the path, and nothing is added.
        let bob = app.api("bob@a.example").await;
        let response = bob
            .post("/api/v1/me/record")
            .json(&record)
            .send()
            .await
            .expect("import");
        assert_eq!(response.status(), 422);
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "entries[0].id");
        let mut bad = foreign.clone();
        bad["entries"][1]["hours"] = json!(-2);
        let response = bob
            .post("/api/v1/me/record")
            .json(&bad)
            .send()
            .await
            .expect("import");
        assert_eq!(response.status(), 422);
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "entries[1].hours");
        let response = bob
            .post("/api/v1/me/record")
            .json(&json!({"format": "cairn-record/2", "person": {"id": "x"}}))
            .send()
            .await
            .expect("import");
        assert_eq!(response.status(), 422);
        let listed: Value = bob.get_json("/api/v1/me/entries").await;
        assert_eq!(listed["total"], 0);

        // A file cannot endorse its own entries: they come in unendorsed, and the report says so.
        let self_endorsed = json!({"format": "cairn-record/1", "person": {"id": "x"},
        "entries": [{"id": "s1", "date": "2024-05-01", "title": "Said it was endorsed", "hours": 3, "endorsed": true}]});
        let report: Value = bob
            .post("/api/v1/me/record")
            .json(&self_endorsed)
            .send()
            .await
            .expect("import")
            .json()
            .await
            .expect("json");
        assert_eq!(report["added"], 1);
        assert_eq!(report["endorsement_not_carried"], 1);
        let listed: Value = bob.get_json("/api/v1/me/entries").await;
        assert_eq!(listed["entries"][0]["endorsed"], false, "{listed}");
    }
);

on_both!(csv_exports_show_formulas_as_text, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let ann = app.api("ann@a.example").await;
    let mut body = entry_body("=HYPERLINK(\"http://evil.example\",\"Open\")");
    body["reflection"] = json!("@SUM(A1:A9)");
    ann.create_entry(body).await;
    let csv = ann
        .get("/record.csv")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@SUM(A1:A9)"), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for row in reader.records() {
        for cell in row.expect("row").iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a formula cell: {cell:?}");
        }
    }
});

/// Every CSV the product writes goes through the one spreadsheet-safe writer.
#[test]
fn every_csv_export_uses_the_spreadsheet_safe_writer() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("web/spreadsheet.rs")
            {
                let text = std::fs::read_to_string(&path).expect("source");
                if text.contains("csv::Writer") || text.contains("csv::WriterBuilder") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "CSV written without web::spreadsheet: {found:?}"
    );
}

on_both!(
    a_pdf_is_made_of_text_stored_with_control_characters,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        let ann = app.api("ann@a.example").await;
        let entry = ann.create_entry(entry_body("Fire safety")).await;
        let id: uuid::Uuid = entry["id"].as_str().expect("id").parse().expect("uuid");
        // Stored before such characters were refused at the door (PostgreSQL cannot hold NUL).
        let title = "Fire\u{1} safety \u{1b}[31mawareness\u{7f}";
        match &test_db.db {
            cairn::Db::Sqlite(db) => {
                sqlx::query("UPDATE entry SET title = $1, reflection = $1 WHERE id = $2")
                    .bind(format!("{title}\u{0}"))
                    .bind(id)
                    .execute(&db.pool)
                    .await
                    .map(|_| ())
            }
            cairn::Db::Postgres(pool) => {
                sqlx::query("UPDATE entry SET title = $1, reflection = $1 WHERE id = $2")
                    .bind(title)
                    .bind(id)
                    .execute(pool)
                    .await
                    .map(|_| ())
            }
        }
        .expect("stored");
        let client = crate::auth::browser();
        crate::auth::sign_in(&app, &client, "ann@a.example").await;
        let pdf = client
            .get(app.url("/record.pdf"))
            .send()
            .await
            .expect("pdf");
        assert_eq!(pdf.status(), 200);
        assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    }
);
