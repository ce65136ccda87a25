//! Two collector processes on one PostgreSQL database, as behind a load balancer: the real
//! binary twice, over real sockets. One submission sent to both at once is stored once; and
//! killing one of them in the middle of the load loses nothing it acknowledged, while the
//! other goes on serving (and settles what was in flight at the kill when it is sent again).
//!
//! PostgreSQL only: two processes cannot share a SQLite collector. Skipped, after a note,
//! without `TEST_DATABASE_URL`.

mod common;

use common::ledger::{reference_of, Ledger};
use common::binary::{command, http, try_http, Server};
use common::*;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

/// Identical requests sent at the same moment, each on its own connection, half to each instance.
const IDENTICAL: usize = 50;
/// Concurrent clients in the kill test, each alternating between the instances.
const CLIENTS: usize = 8;
/// Responses acknowledged before one instance is killed, and again by the other one after.
const ACKNOWLEDGED_BEFORE_KILL: usize = 150;
const ACKNOWLEDGED_AFTER_KILL: usize = 150;

/// Two instances on the test's own database.
fn two_instances(env: &TestEnv) -> (Server, Server) {
    let url = env.database.as_ref().expect("PostgreSQL").url().to_owned();
    let start = |name: &str| Server::start(command(&env.dir.path().join(name), &[("DATABASE_URL", &url)]));
    (start("a"), start("b"))
}

fn post(addr: &str, id: &str, body: &str) -> std::io::Result<(u16, String)> {
    let headers = [("Content-Type", "application/json"), ("Idempotency-Key", id)];
    try_http(addr, "POST", "/api/responses", &headers, body)
}


#[test]
fn identical_posts_split_across_two_instances_store_one_row() {
    if !postgres_available() {
        return;
    }
    let env = TestEnv::on(Engine::Postgres);
    let (mut a, mut b) = two_instances(&env);
    let id = new_id();
    let body = valid_payload(&id).to_string();
    let barrier = Arc::new(Barrier::new(IDENTICAL));
    let threads: Vec<_> = (0..IDENTICAL)
        .map(|n| {
            let addr = if n % 2 == 0 { a.addr.clone() } else { b.addr.clone() };
            let (body, id, barrier) = (body.clone(), id.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                post(&addr, &id, &body).unwrap_or_else(|e| panic!("POST to {addr}: {e}"))
            })
        })
        .collect();
    let mut statuses = Vec::new();
    let mut references = BTreeSet::new();
    for t in threads {
        let (status, answer) = t.join().expect("thread finishes");
        statuses.push(status);
        references.insert(reference_of(&answer).unwrap_or_else(|| panic!("no reference in {answer}")));
    }
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 201), "{statuses:?}");
    assert_eq!(references.len(), 1, "one reference from both instances: {references:?}");

    let auth = format!("Bearer {TOKEN}");
    for server in [&a, &b] {
        let (status, stored) =
            http(&server.addr, "GET", &format!("/admin/surveys/{SURVEY}/responses.json"), &[("Authorization", &auth)], "");
        assert_eq!(status, 200);
        assert_eq!(serde_json::from_str::<Value>(&stored).expect("JSON"), json!([valid_payload(&id)]), "seen from {}", server.addr);
    }
    for server in [&mut a, &mut b] {
        assert!(server.terminate(Duration::from_secs(10)).is_some_and(|s| s.success()));
    }
}

/// The `n`th response of the test: distinct and valid.
fn payload(n: u64) -> (String, Value) {
    let id = format!("00000000-0000-4000-8000-{n:012x}");
    let mut payload = valid_payload(&id);
    payload["answers"]["improve"] = json!(format!("response {n}"));
    (id, payload)
}

/// Clients posting distinct responses, alternating between `addrs`, until `stop`.
fn clients(addrs: [String; 2], ledger: &Arc<Mutex<Ledger>>, stop: &Arc<AtomicBool>, acks: &Arc<AtomicUsize>) -> Vec<std::thread::JoinHandle<()>> {
    let next = Arc::new(AtomicU64::new(1));
    (0..CLIENTS)
        .map(|_| {
            let (addrs, ledger, stop, acks, next) = (addrs.clone(), ledger.clone(), stop.clone(), acks.clone(), next.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let (id, payload) = payload(n);
                    let body = payload.to_string();
                    ledger.lock().expect("not poisoned").sent.insert(id.clone(), payload);
                    let addr = &addrs[usize::from(n % 2 == 1)];
                    let answer = post(addr, &id, &body);
                    if ledger.lock().expect("not poisoned").record(id, answer) {
                        acks.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect()
}

fn wait_for(acks: &AtomicUsize, count: usize, what: &str) {
    let start = Instant::now();
    while acks.load(Ordering::SeqCst) < count {
        assert!(start.elapsed() < Duration::from_secs(60), "{what}: {count} acknowledgements took over 60 s");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn killing_one_instance_mid_load_loses_nothing_acknowledged_and_the_other_keeps_serving() {
    if !postgres_available() {
        return;
    }
    let env = TestEnv::on(Engine::Postgres);
    let (mut a, mut b) = two_instances(&env);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let (stop, acks) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let running = clients([a.addr.clone(), b.addr.clone()], &ledger, &stop, &acks);

    wait_for(&acks, ACKNOWLEDGED_BEFORE_KILL, "before the kill");
    a.kill();
    let at_kill = acks.load(Ordering::SeqCst);
    // The clients go on: half their requests now fail at the dead instance, the rest must
    // still be served by the other.
    wait_for(&acks, at_kill + ACKNOWLEDGED_AFTER_KILL, "after the kill, from the survivor");
    stop.store(true, Ordering::SeqCst);
    for c in running {
        c.join().expect("a client finishes");
    }

    let mut ledger = ledger.lock().expect("not poisoned");
    assert!(ledger.unexpected.is_empty(), "answers other than 201: {:?}", ledger.unexpected);
    assert!(!ledger.unanswered.is_empty(), "no request failed at the killed instance: the kill tested nothing");
    // What failed at the dead instance goes again to the survivor: stored once either way.
    let (mut had_been_stored, mut stored_now) = (0, 0);
    for id in std::mem::take(&mut ledger.unanswered) {
        let body = ledger.sent[&id].to_string();
        let (status, answer) = post(&b.addr, &id, &body).expect("the survivor answers");
        match status {
            200 => had_been_stored += 1,
            201 => stored_now += 1,
            _ => panic!("a resend of {id} got {status}: {answer}"),
        }
        ledger.acknowledged.insert(id, reference_of(&answer).unwrap_or_else(|| panic!("no reference in {answer}")));
    }
    eprintln!(
        "{} sent, {} acknowledged; {} failed at the killed instance, of which {had_been_stored} had been stored and {stored_now} had not",
        ledger.sent.len(),
        ledger.acknowledged.len(),
        had_been_stored + stored_now
    );

    // Every acknowledged response is stored once, as sent, under the reference given; nothing
    // stored was never sent.
    let auth = format!("Bearer {TOKEN}");
    let headers = [("Authorization", auth.as_str())];
    let (status, json) = http(&b.addr, "GET", &format!("/admin/surveys/{SURVEY}/responses.json"), &headers, "");
    assert_eq!(status, 200, "{json}");
    let stored: Vec<Value> = serde_json::from_str(&json).expect("a JSON list");
    let mut seen = HashSet::new();
    for payload in &stored {
        let id = payload["submission_id"].as_str().expect("a submission id");
        assert!(seen.insert(id.to_owned()), "{id} is stored twice");
        assert_eq!(Some(payload), ledger.sent.get(id), "{id} is stored as sent, and was sent");
    }
    let (status, csv) = http(&b.addr, "GET", &format!("/admin/surveys/{SURVEY}/responses.csv"), &headers, "");
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column"));
    let (id_col, reference_col) = (column("submission_id"), column("reference"));
    let references: HashMap<String, String> = reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (r[id_col].to_owned(), r[reference_col].to_owned())
        })
        .collect();
    for (id, reference) in &ledger.acknowledged {
        assert_eq!(references.get(id), Some(reference), "{id} was acknowledged with {reference}");
    }
    assert!(b.terminate(Duration::from_secs(10)).is_some_and(|s| s.success()), "the survivor stops cleanly");
}
