//! The storage interface itself, run against both engines: what `Store` promises whichever
//! database is behind it (the HTTP suites check the same through the routes).

mod common;

use common::*;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;
use survey_collector::store::{Quota, Recorded, Saved, Store, Submission};
use survey_model::Payload;

const PLENTY: Quota = Quota { rows: 1_000_000, bytes: 1 << 30 };

async fn open(env: &TestEnv) -> Store {
    Store::open(&env.config).await.expect("the store opens")
}

/// A submission as the route would build it from `body`.
fn submission(body: &serde_json::Value) -> Submission {
    let bytes = serde_json::to_vec(body).expect("serialisable");
    let payload = Payload::parse(&bytes).expect("a valid payload");
    let body_sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    Submission { payload: payload.clone(), as_sent: payload, body_sha256 }
}

fn reference(saved: &Saved) -> String {
    match saved {
        Saved::Created(r) | Saved::Repeated(r) | Saved::Conflict(r) => r.reference.clone(),
        Saved::OverQuota => panic!("over quota"),
    }
}

on_both_engines! {
    async fn a_submission_is_created_once_then_repeated_or_in_conflict(engine) {
        let env = TestEnv::on(engine);
        let store = open(&env).await;
        let body = valid_payload(&new_id());
        let created = store.save(submission(&body), PLENTY).await.expect("saved");
        assert!(matches!(created, Saved::Created(_)), "{created:?}");
        let first = reference(&created);

        let again = store.save(submission(&body), PLENTY).await.expect("saved");
        assert_eq!(again, Saved::Repeated(match created { Saved::Created(r) => r, _ => unreachable!() }));
        // Other bytes (as a client that re-serialises sends), same content: still a repeat.
        let mut resent = submission(&body);
        resent.body_sha256 = "0".repeat(64);
        assert!(matches!(store.save(resent, PLENTY).await.expect("saved"), Saved::Repeated(_)));
        // Same id, other answers: a conflict, with the first reference.
        let mut other = body.clone();
        other["answers"]["ease"] = json!(1);
        let conflict = store.save(submission(&other), PLENTY).await.expect("saved");
        assert!(matches!(conflict, Saved::Conflict(_)), "{conflict:?}");
        assert_eq!(reference(&conflict), first);

        let rows = store.responses(SURVEY).await.expect("read");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].reference, first);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&rows[0].payload).expect("JSON"), body);
        assert_eq!(store.response_count(SURVEY).await.expect("counted"), 1);
    }

    async fn quotas_count_rows_and_bytes_and_never_refuse_a_repeat(engine) {
        let env = TestEnv::on(engine);
        let store = open(&env).await;
        let quota = Quota { rows: 2, bytes: 1 << 20 };
        let bodies: Vec<_> = (0..3).map(|_| valid_payload(&new_id())).collect();
        for body in &bodies[..2] {
            assert!(matches!(store.save(submission(body), quota).await.expect("saved"), Saved::Created(_)));
        }
        assert_eq!(store.save(submission(&bodies[2]), quota).await.expect("answered"), Saved::OverQuota);
        assert!(matches!(store.save(submission(&bodies[0]), quota).await.expect("saved"), Saved::Repeated(_)), "a retry still gets its 200");
        assert_eq!(store.response_count(SURVEY).await.expect("counted"), 2, "nothing stored over the quota");

        // Bytes: one payload's worth admits one and not the next.
        let one = serde_json::to_string(&submission(&bodies[2]).payload).expect("JSON").len() as u64;
        let other_env = TestEnv::on(engine);
        let other = open(&other_env).await;
        let quota = Quota { rows: 100, bytes: one + 10 };
        assert!(matches!(other.save(submission(&bodies[2]), quota).await.expect("saved"), Saved::Created(_)));
        assert_eq!(other.save(submission(&valid_payload(&new_id())), quota).await.expect("answered"), Saved::OverQuota);
    }

    async fn two_stores_on_one_database_store_a_racing_submission_once(engine) {
        // Two instances of the collector on the same database, as behind a load balancer.
        let env = TestEnv::on(engine);
        let (a, b) = (open(&env).await, open(&env).await);
        let body = valid_payload(&new_id());
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let (store, submission) = (if i % 2 == 0 { a.clone() } else { b.clone() }, submission(&body));
                tokio::spawn(async move { store.save(submission, PLENTY).await.expect("saved") })
            })
            .collect();
        let mut created = 0;
        let mut references = BTreeSet::new();
        for task in tasks {
            let saved = task.await.expect("the task finishes");
            created += usize::from(matches!(saved, Saved::Created(_)));
            assert!(!matches!(saved, Saved::Conflict(_) | Saved::OverQuota), "{saved:?}");
            references.insert(reference(&saved));
        }
        assert_eq!(created, 1, "exactly one stored it");
        assert_eq!(references.len(), 1, "{references:?}");
        assert_eq!(b.response_count(SURVEY).await.expect("counted"), 1);
    }

    async fn every_version_of_a_definition_is_kept_and_an_unbumped_edit_replaces_its_text(engine) {
        let env = TestEnv::on(engine);
        let store = open(&env).await;
        assert_eq!(store.record_definition("s", 1, "one").await.expect("records"), Recorded::New);
        assert_eq!(store.record_definition("s", 1, "one").await.expect("records"), Recorded::Unchanged);
        let first_loaded = || env.query_texts("SELECT first_loaded_at FROM definitions WHERE survey_id = 's' AND version = 1");
        let loaded_at = first_loaded().await;
        assert_eq!(
            store.record_definition("s", 1, "one, edited").await.expect("records"),
            Recorded::Replaced { previous: "one".into() }
        );
        assert_eq!(store.definition("s", 1).await.expect("reads").as_deref(), Some("one, edited"));
        assert_eq!(first_loaded().await, loaded_at, "still first loaded when it was first loaded");
        assert_eq!(store.record_definition("s", 2, "two").await.expect("records"), Recorded::New);
        assert_eq!(store.record_definition("other", 5, "x").await.expect("records"), Recorded::New);
        assert_eq!(store.definition_versions("s").await.expect("reads"), [1, 2]);
        assert_eq!(store.definition("s", 3).await.expect("reads"), None);
        assert_eq!(
            store.stored_definitions("s").await.expect("reads"),
            [(2, "two".to_owned()), (1, "one, edited".to_owned())],
            "newest first"
        );
        // A survey with responses and no definition (stored before definitions were kept) is
        // known too; the list is sorted by bytes, upper case first, as on both engines.
        assert!(matches!(store.save(submission(&valid_payload(&new_id())), PLENTY).await.expect("saved"), Saved::Created(_)));
        assert_eq!(store.record_definition("Zed", 1, "z").await.expect("records"), Recorded::New);
        assert_eq!(store.known_survey_ids().await.expect("reads"), ["Zed", SURVEY, "other", "s"]);
    }

    async fn sessions_are_found_until_they_expire_or_end(engine) {
        let env = TestEnv::on(engine);
        let store = open(&env).await;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        store.create_session("live".into(), now + 60).await.expect("created");
        store.create_session("stale".into(), now - 1).await.expect("created");
        assert!(store.session_is_valid("live".into()).await.expect("read"));
        assert!(!store.session_is_valid("stale".into()).await.expect("read"), "expired");
        assert!(!store.session_is_valid("never".into()).await.expect("read"));
        store.delete_session("live".into()).await.expect("deleted");
        store.delete_session("never".into()).await.expect("an unknown one is fine");
        assert!(!store.session_is_valid("live".into()).await.expect("read"), "signed out");
        // Creating a session sweeps the expired ones away.
        store.create_session("next".into(), now + 60).await.expect("created");
        assert_eq!(env.query_texts("SELECT secret_hash FROM admin_sessions").await, ["next"]);
    }

    async fn rows_come_one_at_a_time_and_an_abandoned_read_frees_its_reader(engine) {
        let env = TestEnv::on(engine);
        let store = open(&env).await;
        let mut sent = BTreeSet::new();
        for _ in 0..300 {
            let id = new_id();
            assert!(matches!(store.save(submission(&valid_payload(&id)), PLENTY).await.expect("saved"), Saved::Created(_)));
            sent.insert(id);
        }
        // Abandoned after one row, many times over: more than any pool has connections.
        for _ in 0..40 {
            let mut rows = store.rows(SURVEY);
            rows.next().await.expect("a row").expect("readable");
        }
        let mut rows = store.rows(SURVEY);
        let mut read = Vec::new();
        while let Some(row) = rows.next().await {
            read.push(row.expect("readable").submission_id);
        }
        assert_eq!(read.iter().cloned().collect::<BTreeSet<_>>(), sent, "every row, once");
        assert_eq!(read.len(), sent.len());
        let sorted: Vec<String> = sent.into_iter().collect();
        assert_ne!(read, sorted, "in the random order of the order keys, not by id or arrival");
        assert_eq!(store.rows("no-such-survey").next().await.map(|r| r.is_ok()), None, "no rows, no error");
    }
}
