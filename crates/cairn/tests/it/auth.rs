//! Signing in and out in a browser (cookies and CSRF), bearer tokens, throttling and
//! password changes.

use crate::on_both;
use crate::support::{PASSWORD, TestApp, org, person};
use serde_json::{Value, json};

/// The hidden CSRF field's value in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..].split('"').next().expect("a value").to_owned()
}

/// A client that keeps cookies and does not follow redirects, as a test browser.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Signs a browser in and returns the home page's HTML.
pub async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    let page = client
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let response = client
        .post(app.url("/sign-in"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303, "signed in");
    assert_eq!(response.headers()["location"], "/");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii"))
        .find(|c| c.starts_with("cairn_session="));
    let cookie = cookie.expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    client
        .get(app.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("html")
}

on_both!(a_browser_signs_in_and_out_with_csrf_protection, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let client = browser();

    // Without a session, the home page sends people to sign in.
    let response = client.get(app.url("/")).send().await.expect("home");
    assert_eq!(response.headers()["location"], "/sign-in");

    // A forged sign-in (no token) is refused and keeps what was typed.
    let response = client
        .post(app.url("/sign-in"))
        .form(&[("email", "ann@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("value=\"ann@example.org\"")
    );

    let home = sign_in(&app, &client, "ann@example.org").await;
    assert!(home.contains("My learning record"), "{home}");

    // Signing out needs the session's token, and a cross-site post is refused outright.
    let response = client
        .post(app.url("/sign-out"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    let response = client
        .post(app.url("/sign-out"))
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf_of(&home).as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    let response = client
        .post(app.url("/sign-out"))
        .form(&[("csrf", csrf_of(&home).as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let response = client.get(app.url("/")).send().await.expect("home");
    assert_eq!(
        response.headers()["location"],
        "/sign-in",
        "the session has ended"
    );
});

on_both!(wrong_passwords_are_throttled, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let client = reqwest::Client::new();
    let attempt = |password: &'static str| {
        client
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({"email": "ANN@example.org", "password": password}))
            .send()
    };
    for _ in 0..4 {
        assert_eq!(attempt("wrong password").await.expect("post").status(), 401);
    }
    let response = attempt("wrong password").await.expect("post");
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    // Locked even with the right password, until the lock ends.
    assert_eq!(attempt(PASSWORD).await.expect("post").status(), 429);
    // Unknown emails get the same answer as wrong passwords.
    let response = client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": "nobody@example.org", "password": "x"}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 401);
});

on_both!(bearer_tokens_work_until_revoked, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let api = app.api("ann@example.org").await;
    let me: Value = api.get_json("/api/v1/me").await;
    assert_eq!(me["person"]["email"], "ann@example.org");
    assert_eq!(me["registrations"][0]["register"], "SSSC");
    assert_eq!(
        api.delete("/api/v1/auth/token")
            .send()
            .await
            .expect("revoke")
            .status(),
        204
    );
    let response = api.get("/api/v1/me").send().await.expect("me");
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth("made-up")
        .send()
        .await
        .expect("me");
    assert_eq!(response.status(), 401);
});

on_both!(changing_the_password_signs_out_other_sessions, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let other_device = app.api("ann@example.org").await;
    let client = browser();
    sign_in(&app, &client, "ann@example.org").await;
    let page = client
        .get(app.url("/account/password"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = csrf_of(&page);

    let response = client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", token.as_str()),
            ("current_password", "wrong"),
            ("new_password", "short"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("href=\"#current_password\"") && html.contains("href=\"#new_password\""),
        "the summary links to both fields"
    );

    let response = client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", token.as_str()),
            ("current_password", PASSWORD),
            ("new_password", "a much longer passphrase"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert_eq!(
        other_device
            .get("/api/v1/me")
            .send()
            .await
            .expect("me")
            .status(),
        401,
        "other sessions ended"
    );
    assert_eq!(
        client
            .get(app.url("/"))
            .send()
            .await
            .expect("home")
            .status(),
        200,
        "this one continues"
    );
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": "ann@example.org", "password": "a much longer passphrase"}))
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), 201);
});

on_both!(
    quick_capture_keeps_what_was_typed_and_saves_in_one_request,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let client = browser();
        let home = sign_in(&app, &client, "ann@example.org").await;
        let csrf = csrf_of(&home);

        let response = client
            .post(app.url("/entries"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("date", "2026-01-10"),
                ("title", ""),
                ("hours", "two"),
                ("topics", "Child protection, a|b"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 422);
        let html = response.text().await.expect("html");
        for field in ["#title", "#hours", "#topics"] {
            assert!(
                html.contains(&format!("href=\"{field}\"")),
                "the summary links to {field}"
            );
        }
        assert!(
            html.contains("value=\"two\"") && html.contains("Child protection, a|b"),
            "typed values are kept"
        );

        let response = client
            .post(app.url("/entries"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("date", "2026-01-10"),
                ("title", "Court skills"),
                ("hours", "1.5"),
                ("topics", "Child protection"),
                ("kind", "course"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let home = client
            .get(app.url(&location))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("html");
        assert!(home.contains("Saved: Court skills"));
        let api = app.api("ann@example.org").await;
        let listed = api.get_json("/api/v1/me/entries").await;
        assert_eq!(
            listed["entries"][0]["topics"],
            json!(["child-protection"]),
            "a topic typed as its label is stored as its id"
        );

        let forged = client
            .post(app.url("/entries"))
            .form(&[("csrf", "forged"), ("title", "x"), ("hours", "1")])
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), 403);
    }
);

on_both!(
    my_record_filters_searches_and_explains_bad_filters,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let api = app.api("ann@example.org").await;
        api.create_entry(
            json!({"date": "2025-03-01", "title": "Court skills", "kind": "course", "hours": 6}),
        )
        .await;
        api.create_entry(json!({"date": "2025-04-01", "title": "Reading", "kind": "reading", "hours": 1, "reflection": "On shame and trust"})).await;
        let client = browser();
        sign_in(&app, &client, "ann@example.org").await;

        let page = client
            .get(app.url("/record?q=TRUST&kind="))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("1 entry, 1 hour.")
                && page.contains(">Reading</a>")
                && !page.contains(">Court skills</a>"),
            "{page}"
        );
        let page = client
            .get(app.url("/record?from=last+week"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("href=\"#from\""),
            "a bad filter is explained and linked"
        );
        assert!(
            page.contains("2 entries, 7 hours"),
            "and the whole record is shown meanwhile"
        );
        let csv = client
            .get(app.url("/record.csv?q=trust&kind="))
            .send()
            .await
            .expect("csv");
        assert!(
            csv.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/csv")
        );
        let text = csv.text().await.expect("text");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "header, one entry, totals: {text}");
        assert!(
            lines[1].contains("On shame and trust"),
            "reflections are included"
        );
        assert!(lines[2].contains("Total: 1 entries"));

        // The same selection as a PDF to print: tagged, titled with the person's name.
        let pdf = client
            .get(app.url("/record.pdf?q=trust&kind="))
            .send()
            .await
            .expect("pdf");
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(
            pdf.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .starts_with("attachment; filename=\"my-learning-")
        );
        let bytes = pdf.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("Learning record: Person ann@example.org"));
        assert!(
            text.contains("/StructTreeRoot"),
            "tagged for screen readers"
        );
        let bad = client
            .get(app.url("/record.pdf?from=last+week"))
            .send()
            .await
            .expect("pdf");
        assert_eq!(bad.status(), 422, "a bad filter is refused, not ignored");
    }
);

/// The value of the first `<input name="{name}" value="…">` in a page, unescaped.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let raw = html[start..].split('"').next()?;
    Some(
        raw.replace("&#34;", "\"")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&#60;", "<")
            .replace("&gt;", ">")
            .replace("&#62;", ">")
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

on_both!(
    work_typed_before_a_session_ends_is_kept_across_signing_in,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let client = browser();
        let home = sign_in(&app, &client, "ann@example.org").await;
        let old_csrf = csrf_of(&home);
        // The session ends in another tab while this one still shows the capture form.
        let response = client
            .post(app.url("/sign-out"))
            .form(&[("csrf", old_csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);

        let typed = [
            ("csrf", old_csrf.as_str()),
            ("date", "2026-01-05"),
            ("title", "Kept across \"signing in\" & back"),
            ("hours", "1.5"),
            ("reflection", "Line one\n\nLine two <b>"),
        ];
        let response = client
            .post(app.url("/entries"))
            .form(&typed)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 401);
        let page = response.text().await.expect("html");
        assert!(page.contains("Your session had ended"), "{page}");
        let kept = input_value(&page, "kept_form").expect("the typed form is kept");
        assert!(!kept.contains("csrf="), "the old token is dropped: {kept}");

        let response = client
            .post(app.url("/sign-in"))
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("email", "ann@example.org"),
                ("password", PASSWORD),
                ("next", input_value(&page, "next").expect("next").as_str()),
                ("kept_form", kept.as_str()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 200);
        let again = response.text().await.expect("html");
        assert!(again.contains("action=\"/entries\""), "{again}");
        assert_eq!(
            input_value(&again, "title").as_deref(),
            Some("Kept across \"signing in\" & back")
        );
        assert_eq!(
            input_value(&again, "reflection").as_deref(),
            Some("Line one\n\nLine two <b>")
        );
        let fields: Vec<(String, String)> = ["csrf", "date", "title", "hours", "reflection"]
            .iter()
            .map(|name| ((*name).to_owned(), input_value(&again, name).expect(name)))
            .collect();
        let response = client
            .post(app.url("/entries"))
            .form(&fields)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303, "saved once signed in again");
        let record = client
            .get(app.url("/record"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            record.contains("Kept across &#34;signing in&#34; &#38; back"),
            "{record}"
        );
    }
);

on_both!(
    a_page_opened_after_the_session_ended_comes_back_after_signing_in,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let client = browser();
        let response = client
            .get(app.url("/record?kind=course"))
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_eq!(location, "/sign-in?next=%2Frecord%3Fkind%3Dcourse");
        let page = client
            .get(app.url(&location))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert_eq!(
            input_value(&page, "next").as_deref(),
            Some("/record?kind=course")
        );
        let response = client
            .post(app.url("/sign-in"))
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("email", "ann@example.org"),
                ("password", PASSWORD),
                ("next", "/record?kind=course"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/record?kind=course");

        // Never to another site.
        let other = browser();
        let page = other
            .get(app.url("/sign-in?next=//evil.example/"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(input_value(&page, "next").is_none(), "{page}");
        let response = other
            .post(app.url("/sign-in"))
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("email", "ann@example.org"),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.headers()["location"], "/");
    }
);

/// Sends `threads` × `each` wrong guesses at once and counts those whose password was checked
/// (401) rather than refused by the lock (429).
pub async fn guess_in_parallel(
    apps: &[&TestApp],
    email: &str,
    threads: usize,
    each: usize,
) -> usize {
    let mut tasks = Vec::new();
    for thread in 0..threads {
        let url = apps[thread % apps.len()].url("/api/v1/auth/token");
        let email = email.to_owned();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut checked = 0;
            for guess in 0..each {
                let response = client
                    .post(&url)
                    .json(&json!({"email": email, "password": format!("guess {thread} {guess}")}))
                    .send()
                    .await
                    .expect("post");
                match response.status().as_u16() {
                    401 => checked += 1,
                    429 => {}
                    other => panic!("unexpected status {other}"),
                }
            }
            checked
        }));
    }
    let mut checked = 0;
    for task in tasks {
        checked += task.await.expect("task");
    }
    checked
}

on_both!(parallel_guesses_cannot_race_past_the_lock, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    // Ann's own browser has signed in before the attack.
    let own_browser = browser();
    let home = sign_in(&app, &own_browser, "ann@example.org").await;
    let signed_out = own_browser
        .post(app.url("/sign-out"))
        .form(&[("csrf", csrf_of(&home))])
        .send()
        .await
        .expect("sign out");
    assert_eq!(signed_out.status(), 303);

    // Five guesses are checked (the fifth wrong one answers 429, as it sets the lock).
    let checked = guess_in_parallel(&[&app], "ann@example.org", 8, 10).await;
    assert!(
        checked <= 4,
        "at most five guesses are ever checked in a window; {} were",
        checked + 1
    );
    // The right password from anywhere new is locked out too.
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": "ann@example.org", "password": PASSWORD}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 429);
    // ...but not Ann in the browser she has used before: the stranger cannot lock her out.
    let fresh_session_page = sign_in(&app, &own_browser, "ann@example.org").await;
    assert!(fresh_session_page.contains("My learning record"));
});

on_both!(one_client_cannot_spray_guesses_across_accounts, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    // Successful sign-ins from one client (an office behind one address) never use up its
    // allowance.
    person(&test_db.db, &org, "busy@example.org", &["practitioner"]).await;
    for _ in 0..(cairn::auth::sign_in::CLIENT_ALLOWANCE + 5) {
        let _ = app.token("busy@example.org").await;
    }
    let client = reqwest::Client::new();
    let mut checked = 0;
    let mut refused = 0;
    // 30 accounts × 3 guesses each: no account reaches its own limit, the client does.
    for account in 0..30 {
        let email = format!("worker{account}@example.org");
        person(&test_db.db, &org, &email, &["practitioner"]).await;
        for guess in 0..3 {
            let response = client
                .post(app.url("/api/v1/auth/token"))
                .json(&json!({"email": email, "password": format!("guess {guess}")}))
                .send()
                .await
                .expect("post");
            match response.status().as_u16() {
                401 => checked += 1,
                429 => refused += 1,
                other => panic!("unexpected status {other}"),
            }
        }
    }
    // The last guess of the allowance is checked and answers 429, as it sets the lock.
    assert_eq!(checked, cairn::auth::sign_in::CLIENT_ALLOWANCE as usize - 1);
    assert_eq!(refused, 90 - checked);
});

on_both!(
    only_browsers_are_remembered_and_housekeeping_forgets_them,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let devices = || async {
            let count: i64 = match &test_db.db {
                cairn::db::Db::Sqlite(sqlite) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM known_device")
                        .fetch_one(&sqlite.pool)
                        .await
                        .expect("count")
                }
                cairn::db::Db::Postgres(pool) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM known_device")
                        .fetch_one(pool)
                        .await
                        .expect("count")
                }
            };
            count
        };
        let _ = app.token("ann@example.org").await;
        assert_eq!(devices().await, 0, "an API client keeps no device cookie");
        sign_in(&app, &browser(), "ann@example.org").await;
        assert_eq!(devices().await, 1);
        let later = time::OffsetDateTime::now_utc() + time::Duration::days(400);
        cairn::auth::store::forget_stale(&test_db.db, later)
            .await
            .expect("housekeeping");
        assert_eq!(
            devices().await,
            0,
            "a browser unused for a year is forgotten"
        );
    }
);
