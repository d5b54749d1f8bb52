//! Organisation administration pages: people, roles, supervisors, teams and the HR feed
//! uploaded from the browser.

use crate::auth::{browser, csrf_of, sign_in};
use crate::on_both;
use crate::support::{TestApp, org, person};
use cairn::people::store as people;
use cairn_core::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const FEED: &str = "email,name,job_role,start_date,team,hours_per_week,roles
new.person@a.example,New Person,Social worker,08/01/2024,Adults,37,practitioner
bad.date@a.example,Bad Date,Support worker,31/13/2024,Adults,37,
";

/// The same as Excel saves it in a UK locale set for semicolons: a byte-order mark, CRLF,
/// `;`, a day-first date, and the bad row on line 4.
const EXCEL_FEED: &str = "\u{feff}email;name;job_role;start_date;team;hours_per_week;roles\r
excel.one@a.example;Excel One;Social worker;8/1/2024;Adults;37;practitioner\r
excel.two@a.example;Excel Two;Social worker;2024-01-08;Adults;37;practitioner\r
excel.bad@a.example;Excel Bad;Support worker;not yet;Adults;37;\r
";

async fn text(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.expect("html"))
}

on_both!(
    an_administrator_imports_a_feed_from_the_browser,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "admin@a.example", &["org-admin"]).await;
        let client = browser();
        let home = sign_in(&app, &client, "admin@a.example").await;
        assert!(
            home.contains(&format!("/orgs/{}/people", a.id)),
            "the People link"
        );

        let form_page = client
            .get(app.url(&format!("/orgs/{}/import", a.id)))
            .send()
            .await
            .expect("get");
        let (status, form_html) = text(form_page).await;
        assert_eq!(status, 200);
        assert!(form_html.contains("enctype=\"multipart/form-data\""));
        let csrf = home
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("csrf")
            .to_owned();
        let upload = |bytes: Vec<u8>, csrf: &str| {
            client
                .post(app.url(&format!("/orgs/{}/import?csrf={csrf}", a.id)))
                .multipart(Form::new().part("file", Part::bytes(bytes).file_name("staff.csv")))
                .send()
        };

        // A forged token changes nothing.
        let forged = upload(FEED.as_bytes().to_vec(), "forged")
            .await
            .expect("post");
        assert_eq!(forged.status(), 403);
        assert!(
            people::person_by_email(&test_db.db, "new.person@a.example")
                .await
                .expect("q")
                .is_none()
        );

        // One good line and one bad: the good one is applied, the bad one reported by line.
        let (status, report) =
            text(upload(FEED.as_bytes().to_vec(), &csrf).await.expect("post")).await;
        assert_eq!(status, 200, "{report}");
        assert!(
            report.contains("staff.csv: 1 added, 0 updated, 1 rejected"),
            "{report}"
        );
        assert!(
            report.contains("<strong>Line 3</strong>: start_date"),
            "{report}"
        );
        let added = people::person_by_email(&test_db.db, "new.person@a.example")
            .await
            .expect("q")
            .expect("added");
        let jobs = people::employments_of(&test_db.db, added.id)
            .await
            .expect("jobs");
        assert_eq!(
            jobs[0].start_date,
            time::macros::date!(2024 - 01 - 08),
            "08/01/2024 is 8 January, day first"
        );

        // Saved by Excel: the bad row is reported on the line the spreadsheet shows.
        let (status, report) = text(
            upload(EXCEL_FEED.as_bytes().to_vec(), &csrf)
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert!(
            report.contains("staff.csv: 2 added, 0 updated, 1 rejected"),
            "{report}"
        );
        assert!(
            report.contains("<strong>Line 4</strong>: start_date"),
            "{report}"
        );

        // A file that is not text, or no file at all, is refused with a message on the field.
        let (status, page) = text(
            upload(vec![0xff, 0xfe, 0x00, 0x81], &csrf)
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("href=\"#file\"") && page.contains("saved as UTF-8"),
            "{page}"
        );
        let (status, page) = text(upload(Vec::new(), &csrf).await.expect("post")).await;
        assert_eq!(status, 422);
        assert!(page.contains("Choose the CSV file to import"), "{page}");
        let (status, page) = text(
            upload(b"mail,name\nx,y\n".to_vec(), &csrf)
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("line 1: unknown column(s) mail"), "{page}");
    }
);

on_both!(
    an_administrator_finds_people_and_sets_roles_and_supervisors,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let admin = person(&test_db.db, &a, "admin@a.example", &["org-admin"]).await;
        let ann = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "sue@a.example", &["practitioner"]).await;
        let client = browser();
        // Ann is signed in already: what her roles allow must change at once, not when her
        // session is next read from the database.
        let ann_browser = browser();
        sign_in(&app, &ann_browser, "ann@a.example").await;
        let compliance = app.url(&format!("/orgs/{}/compliance", a.id));
        let before = ann_browser.get(&compliance).send().await.expect("get");
        assert_eq!(before.status(), 403);
        sign_in(&app, &client, "admin@a.example").await;

        // Search by email, ignoring case; `%` is taken literally.
        let (_, list) = text(
            client
                .get(app.url(&format!("/orgs/{}/people?q=ANN@", a.id)))
                .send()
                .await
                .expect("get"),
        )
        .await;
        assert!(
            list.contains("ann@a.example") && !list.contains("sue@a.example"),
            "{list}"
        );
        assert!(list.contains("1 person match"), "{list}");
        let (_, none) = text(
            client
                .get(app.url(&format!("/orgs/{}/people?q=%25", a.id)))
                .send()
                .await
                .expect("get"),
        )
        .await;
        assert!(none.contains("Nobody matches"), "{none}");

        let person_path = format!("/orgs/{}/people/{ann}", a.id);
        let (status, page) =
            text(client.get(app.url(&person_path)).send().await.expect("get")).await;
        assert_eq!(status, 200);
        let csrf = csrf_of(&page);

        // Roles: the ticked boxes replace what she had.
        let response = client
            .post(app.url(&format!("{person_path}/roles")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("roles", "practitioner"),
                ("roles", "auditor"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        let roles = people::roles_in_org(&test_db.db, ann, a.id)
            .await
            .expect("roles");
        assert_eq!(roles, [Role::Auditor, Role::Practitioner]);
        let after = ann_browser.get(&compliance).send().await.expect("get");
        assert_eq!(after.status(), 200, "an auditor sees the compliance report");
        // An unknown role, or an administrator removing their own role, changes nothing.
        let (status, page) = text(
            client
                .post(app.url(&format!("{person_path}/roles")))
                .form(&[("csrf", csrf.as_str()), ("roles", "wizard")])
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("`wizard` is not a role"), "{page}");
        let (status, page) = text(
            client
                .post(app.url(&format!("/orgs/{}/people/{admin}/roles", a.id)))
                .form(&[("csrf", csrf.as_str()), ("roles", "practitioner")])
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("cannot take away your own administrator role"),
            "{page}"
        );
        assert_eq!(
            people::roles_in_org(&test_db.db, admin, a.id)
                .await
                .expect("roles"),
            [Role::OrgAdmin]
        );

        // Supervisors: an unknown email comes back with what was typed; a colleague is linked
        // and given the supervisor role.
        let (status, page) = text(
            client
                .post(app.url(&format!("{person_path}/supervisors")))
                .form(&[("csrf", csrf.as_str()), ("email", "nobody@a.example")])
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("Nobody working for Organisation A today has the email nobody@a.example"),
            "{page}"
        );
        assert!(page.contains("value=\"nobody@a.example\""), "{page}");
        let response = client
            .post(app.url(&format!("{person_path}/supervisors")))
            .form(&[("csrf", csrf.as_str()), ("email", "sue@a.example")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        let sue = people::person_by_email(&test_db.db, "sue@a.example")
            .await
            .expect("q")
            .expect("sue");
        assert_eq!(
            people::supervisors_of(&test_db.db, ann).await.expect("q"),
            [sue.id]
        );
        assert!(
            people::roles_in_org(&test_db.db, sue.id, a.id)
                .await
                .expect("roles")
                .contains(&Role::Supervisor)
        );
        let (_, page) = text(client.get(app.url(&person_path)).send().await.expect("get")).await;
        assert!(
            page.contains(
                "Remove<span class=\"visually-hidden\"> Person sue@a.example as supervisor"
            ),
            "{page}"
        );
        let response = client
            .post(app.url(&format!("{person_path}/supervisors/{}/remove", sue.id)))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        assert!(
            people::supervisors_of(&test_db.db, ann)
                .await
                .expect("q")
                .is_empty()
        );
    }
);

on_both!(
    an_administrator_adds_teams_and_bad_ones_are_explained,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "admin@a.example", &["org-admin"]).await;
        person(
            &test_db.db,
            &a,
            "ann@a.example",
            &["practitioner", "supervisor"],
        )
        .await;
        let client = browser();
        let home = sign_in(&app, &client, "admin@a.example").await;
        let csrf = csrf_of(&home);
        let path = format!("/orgs/{}/teams", a.id);
        let add = |name: &'static str, service: &'static str, locality: &'static str| {
            client
                .post(app.url(&path))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("name", name),
                    ("service", service),
                    ("locality", locality),
                ])
                .send()
        };
        assert_eq!(
            add("Westray", "adults", "island")
                .await
                .expect("post")
                .status(),
            303
        );
        let (status, page) = text(add("westray", "plumbing", "").await.expect("post")).await;
        assert_eq!(status, 422);
        for message in [
            "Organisation A already has a team called westray",
            "Choose the service the team belongs to",
            "Choose where the team works",
        ] {
            assert!(page.contains(message), "{message} in {page}");
        }
        assert!(page.contains("value=\"westray\""), "typed name kept");
        let teams = people::list_teams(&test_db.db, a.id).await.expect("teams");
        let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["Adults", "Westray"],
            "the support's team and the new one"
        );

        // Someone who does not administer the organisation is refused, inside it.
        let other = browser();
        sign_in(&app, &other, "ann@a.example").await;
        let response = other.get(app.url(&path)).send().await.expect("get");
        assert_eq!(response.status(), 403);
    }
);
