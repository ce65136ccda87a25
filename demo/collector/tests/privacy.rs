//! What the collector keeps of a response: the answers as validated, the hour an anonymous
//! response arrived and no finer, no order of arrival in its exports or its table, and hidden
//! values only for the fields the survey declares.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

async fn stored_json(app: &axum::Router) -> Vec<Value> {
    let (status, stored) = send_json(app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
    assert_eq!(status, StatusCode::OK);
    stored.as_array().cloned().expect("a list")
}

on_both_engines! {
    async fn text_is_stored_as_validated_so_max_length_bounds_what_is_kept(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut payload = valid_payload(&new_id());
        // `improve` allows 500 characters: these are 500 once trimmed, as the widget checks them.
        let padded = format!("{}{}{}", " ".repeat(300), "x".repeat(500), "\n".repeat(100));
        payload["answers"]["improve"] = json!(padded);
        payload["answers"]["area"] = json!("  Cardiff\t");
        payload["other_text"]["heard"] = json!("   A leaflet   ");
        let (status, body) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        let stored = stored_json(&app).await;
        assert_eq!(stored[0]["answers"]["improve"], "x".repeat(500));
        assert_eq!(stored[0]["answers"]["area"], "Cardiff");
        assert_eq!(stored[0]["other_text"]["heard"], "A leaflet");
        let raw = env.query_texts("SELECT payload FROM responses").await;
        assert!(raw.len() == 1 && !raw[0].contains("   "), "no padding reaches the disk: {raw:?}");
    }
}

on_both_engines! {
    async fn an_anonymous_response_is_stored_with_the_hour_it_arrived_and_no_finer(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let before = time::OffsetDateTime::now_utc();
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
        let after = time::OffsetDateTime::now_utc();

        let received_at = env.query_texts("SELECT received_at FROM responses").await.pop().expect("a row");
        assert!(received_at.ends_with(":00:00.000Z"), "{received_at}");
        let hour = |t: time::OffsetDateTime| format!("{:04}-{:02}-{:02}T{:02}", t.year(), u8::from(t.month()), t.day(), t.hour());
        assert!(received_at.starts_with(&hour(before)) || received_at.starts_with(&hour(after)), "{received_at}");

        let text = body_text(send(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.csv"))).await).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().expect("a row").expect("valid CSV");
        assert_eq!(&row[1], received_at, "the export shows what is stored");
    }
}

on_both_engines! {
    async fn exports_and_the_table_are_not_in_the_order_of_arrival(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let sent: Vec<String> = (0..30).map(|_| new_id()).collect();
        for id in &sent {
            assert_eq!(send(&app, post_json(&valid_payload(id))).await.status(), StatusCode::CREATED);
        }
        let order: Vec<String> =
            stored_json(&app).await.iter().map(|p| p["submission_id"].as_str().expect("an id").to_owned()).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, sent, "every response, once");
        // 30 responses in arrival order by chance: 1 in 30! (about 4e-33).
        assert_ne!(order, sent, "the JSON export is not in the order of arrival");

        let text = body_text(send(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.csv"))).await).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let csv_order: Vec<String> = reader.records().map(|r| r.expect("valid CSV")[2].to_owned()).collect();
        assert_eq!(csv_order, order, "the CSV in the same random order");

        // Nor does an SQLite table itself keep it, in its row ids. (A PostgreSQL table's heap
        // does, to whoever reads the database's files or `ctid`s: docs/deploying.md says so.)
        if engine == Engine::Sqlite {
            let by_rowid = env.query_texts("SELECT submission_id FROM responses ORDER BY rowid").await;
            assert_ne!(by_rowid, sent, "row ids are random too");
        }
    }
}

on_both_engines! {
    async fn hidden_values_are_stored_only_for_the_fields_the_survey_declares(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut payload = valid_payload(&new_id());
        payload["hidden"]["tracking_id"] = json!("hidden-marker-7c1e");
        let (status, body) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem_paths(&body), ["hidden.tracking_id"]);

        let declared = valid_payload(&new_id());
        assert_eq!(send(&app, post_json(&declared)).await.status(), StatusCode::CREATED);
        assert_eq!(stored_json(&app).await, [declared], "the declared field is kept, nothing else");
        drop(app);
        let mut bytes = Vec::new();
        match engine {
            // The files, free pages and write-ahead log included.
            Engine::Sqlite => {
                for entry in std::fs::read_dir(&env.config.data_dir).expect("DATA_DIR") {
                    bytes.extend(std::fs::read(entry.expect("an entry").path()).expect("readable"));
                }
            }
            Engine::Postgres => {
                for text in env.query_texts("SELECT payload FROM responses UNION ALL SELECT source FROM definitions").await {
                    bytes.extend(text.into_bytes());
                }
            }
        }
        assert!(!bytes.windows(18).any(|w| w == b"hidden-marker-7c1e"), "an undeclared value never reaches the disk");
    }
}
