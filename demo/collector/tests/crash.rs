//! The real binary killed mid-stream: it loses no response it acknowledged, keeps none it was
//! not sent, and stores nothing about the sender and logs nothing of what was sent.
//!
//! A response whose answer never arrived (in flight at the kill) may or may not be stored: the
//! server may have committed it just before dying. That is what the `submission_id` is for: the
//! widget sends it again and gets 201 (it was not stored) or 200 with the reference of the
//! stored one, and this test does the same after each restart.

mod common;

use common::ledger::{reference_of, Ledger};
use common::binary::{command, http, try_http, Server};
use common::{valid_payload, SURVEY, TOKEN};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Concurrent clients, each sending one response after another on fresh connections.
const CLIENTS: usize = 8;
/// Responses acknowledged in a round before the server is killed.
const ACKNOWLEDGED_BEFORE_KILL: usize = 100;
const KILLS: usize = 3;

/// In every answer to the free-text question: if it shows up in the log, a body was logged.
const BODY_MARKER: &str = "body-marker-5d1c9e";
/// Sent as the User-Agent and as a forwarded address: neither may be stored or logged.
const AGENT: &str = "agent-marker-8b2f47 (X11; survey crash test)";
const FORWARDED: &str = "203.0.113.77";

fn server(data: &Path) -> Server {
    // The most verbose log there is: nothing of a body may appear even at trace level.
    Server::start(command(data, &[("ADMIN_TOKEN", TOKEN), ("RUST_LOG", "trace")]))
}

/// The `n`th response of the test: distinct, valid, and carrying the marker.
fn payload(n: u64) -> (String, Value) {
    let id = format!("00000000-0000-4000-8000-{n:012x}");
    let mut payload = valid_payload(&id);
    payload["answers"]["improve"] = json!(format!("{BODY_MARKER} response {n}"));
    payload["answers"]["ease"] = json!(1 + n % 5);
    (id, payload)
}

fn post(addr: &str, id: &str, body: &str) -> std::io::Result<(u16, String)> {
    let headers = [
        ("Content-Type", "application/json"),
        ("Idempotency-Key", id),
        ("User-Agent", AGENT),
        ("X-Forwarded-For", FORWARDED),
    ];
    try_http(addr, "POST", "/api/responses", &headers, body)
}


/// Posts distinct responses from `CLIENTS` threads until the server is killed, which happens
/// once `ACKNOWLEDGED_BEFORE_KILL` have been acknowledged in this round.
fn fire_and_kill(server: &mut Server, ledger: &Arc<Mutex<Ledger>>, next: &Arc<AtomicU64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (addr, ledger, next, stop, acknowledged) =
                (server.addr.clone(), ledger.clone(), next.clone(), stop.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let (id, payload) = payload(next.fetch_add(1, Ordering::SeqCst));
                    let body = payload.to_string();
                    ledger.lock().expect("not poisoned").sent.insert(id.clone(), payload);
                    let answer = post(&addr, &id, &body);
                    if ledger.lock().expect("not poisoned").record(id, answer) {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    while acknowledged.load(Ordering::SeqCst) < ACKNOWLEDGED_BEFORE_KILL {
        assert!(start.elapsed() < Duration::from_secs(60), "{ACKNOWLEDGED_BEFORE_KILL} acknowledgements took over 60 s");
        std::thread::sleep(Duration::from_millis(1));
    }
    // No new request starts from here; the ones in flight are cut off by the kill.
    stop.store(true, Ordering::SeqCst);
    server.kill();
    for c in clients {
        c.join().expect("a client finishes");
    }
}

/// Every stored response, by submission id, with its reference (from the CSV, which has it).
fn stored(addr: &str) -> (Vec<Value>, HashMap<String, String>) {
    let auth = format!("Bearer {TOKEN}");
    let headers = [("Authorization", auth.as_str())];
    let (status, json) = http(addr, "GET", &format!("/admin/surveys/{SURVEY}/responses.json"), &headers, "");
    assert_eq!(status, 200, "{json}");
    let payloads: Vec<Value> = serde_json::from_str(&json).expect("a JSON list");
    let (status, csv) = http(addr, "GET", &format!("/admin/surveys/{SURVEY}/responses.csv"), &headers, "");
    assert_eq!(status, 200, "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("a CSV header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column"));
    let (id_col, reference_col) = (column("submission_id"), column("reference"));
    let references = reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            (r[id_col].to_owned(), r[reference_col].to_owned())
        })
        .collect();
    (payloads, references)
}

/// Every acknowledged response is stored exactly once, as sent, under the reference given;
/// nothing stored was invented.
fn check(addr: &str, ledger: &Ledger) {
    let (payloads, references) = stored(addr);
    let mut seen = HashSet::new();
    for payload in &payloads {
        let id = payload["submission_id"].as_str().expect("a submission id");
        assert!(seen.insert(id.to_owned()), "{id} is stored twice");
        let sent = ledger.sent.get(id).unwrap_or_else(|| panic!("{id} is stored but was never sent"));
        assert_eq!(payload, sent, "{id} is stored with other content than was sent");
    }
    assert_eq!(references.len(), payloads.len(), "the CSV and the JSON disagree");
    for (id, reference) in &ledger.acknowledged {
        assert!(seen.contains(id), "{id} was acknowledged ({reference}) but is not stored");
        assert_eq!(references.get(id), Some(reference), "{id} is stored under another reference");
    }
}

#[test]
fn a_killed_server_keeps_every_acknowledged_response_and_invents_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let next = Arc::new(AtomicU64::new(1));
    let mut stderr = String::new();
    let (mut resent_stored, mut resent_new) = (0, 0);

    for round in 0..=KILLS {
        let mut server = server(&data);
        {
            let mut ledger = ledger.lock().expect("not poisoned");
            check(&server.addr, &ledger);
            // What was in flight at the last kill is sent again, as the widget would.
            for id in std::mem::take(&mut ledger.unanswered) {
                let body = ledger.sent[&id].to_string();
                let (status, answer) = post(&server.addr, &id, &body).expect("the restarted server answers");
                match status {
                    200 => resent_stored += 1,
                    201 => resent_new += 1,
                    _ => panic!("a resend of {id} got {status}: {answer}"),
                }
                let reference = reference_of(&answer).unwrap_or_else(|| panic!("no reference in {answer}"));
                ledger.acknowledged.insert(id, reference);
            }
            check(&server.addr, &ledger);
        }
        if round < KILLS {
            fire_and_kill(&mut server, &ledger, &next);
        } else {
            server.terminate(Duration::from_secs(10)).expect("stops on SIGTERM");
        }
        stderr.push_str(&server.stderr());
    }

    let ledger = ledger.lock().expect("not poisoned");
    assert!(ledger.unexpected.is_empty(), "answers other than 201: {:?}", ledger.unexpected);
    assert!(ledger.acknowledged.len() >= KILLS * ACKNOWLEDGED_BEFORE_KILL);
    assert!(resent_stored + resent_new > 0, "no request was in flight at any kill: the kills tested nothing");
    eprintln!(
        "{} sent, {} acknowledged; of those in flight at a kill, {resent_stored} had been stored and {resent_new} had not",
        ledger.sent.len(),
        ledger.acknowledged.len()
    );
    assert_private(&stderr, &data);
}

/// Neither the log nor the database holds anything of the sender, and the log holds nothing
/// of a body.
fn assert_private(stderr: &str, data: &Path) {
    assert!(stderr.contains("/api/responses"), "the trace log is on, so requests are logged: {stderr}");
    for secret in [BODY_MARKER, AGENT, FORWARDED, "Leaflet", "leaflet", "Cardiff"] {
        assert!(!stderr.contains(secret), "the log contains {secret:?}");
    }
    assert!(!stderr.contains(TOKEN), "the log contains the admin token");
    let mut database = Vec::new();
    for entry in std::fs::read_dir(data).expect("DATA_DIR") {
        database.extend(std::fs::read(entry.expect("an entry").path()).expect("readable"));
    }
    assert!(contains(&database, BODY_MARKER.as_bytes()), "the database is where the answers are");
    for secret in [AGENT, FORWARDED, "127.0.0.1"] {
        assert!(!contains(&database, secret.as_bytes()), "the database contains {secret:?}");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn refused_responses_are_not_logged_either_and_the_table_has_no_room_for_the_sender() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut server = server(&data);
    let (id, accepted) = payload(1);
    let accepted = accepted.to_string();
    assert_eq!(post(&server.addr, &id, &accepted).expect("answered").0, 201);

    let mut conflicting = serde_json::from_str::<Value>(&accepted).expect("JSON");
    conflicting["answers"]["area"] = json!(format!("{BODY_MARKER} elsewhere"));
    let mut invalid = serde_json::from_str::<Value>(&accepted).expect("JSON");
    invalid["answers"]["ease"] = json!(BODY_MARKER);
    invalid["submission_id"] = json!("00000000-0000-4000-8000-00000000ffff");
    let mut unknown_field = invalid.clone();
    unknown_field[BODY_MARKER] = json!(BODY_MARKER);
    for (body, status) in [
        (conflicting.to_string(), 409),
        (invalid.to_string(), 422),
        (unknown_field.to_string(), 422),
        (format!("{{\"{BODY_MARKER}\": "), 422),
    ] {
        let key = if status == 409 { id.as_str() } else { "00000000-0000-4000-8000-00000000ffff" };
        let (got, answer) = post(&server.addr, key, &body).expect("answered");
        assert_eq!(got, status, "{answer}");
    }
    server.terminate(Duration::from_secs(10)).expect("stops on SIGTERM");
    assert_private(&server.stderr(), &data);

    // The table has exactly these columns: any new one must come with a reason it is not about
    // the sender, and this test must be changed with it.
    let conn = rusqlite::Connection::open(data.join(survey_collector::store::DB_FILE)).expect("the database opens");
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('responses') ORDER BY cid").expect("valid SQL");
    let columns: Vec<String> =
        stmt.query_map([], |row| row.get(0)).expect("query runs").collect::<Result<_, _>>().expect("names");
    // `body_sha256` is a hash of the body the sender chose to send (its payload, which is
    // stored anyway), and `order_key` a random number drawn at insert, to shuffle exports.
    assert_eq!(
        columns,
        ["submission_id", "survey_id", "survey_version", "reference", "received_at", "payload", "body_sha256", "order_key"]
    );
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .expect("valid SQL")
        .query_map([], |row| row.get(0))
        .expect("query runs")
        .collect::<Result<_, _>>()
        .expect("names");
    // `definitions` holds the authors' survey texts by version, written at startup,
    // `admin_sessions` hashes of signed-in admins' session secrets with their expiry, and
    // `survey_usage` a count of rows and bytes per survey (for the quotas), and `reach` the
    // reach counters (below), `survey_drafts` the editor's drafts of definitions and
    // `catalog_marker` one counter of changes to the definitions: nothing about whoever sends
    // a response.
    assert_eq!(
        tables,
        ["admin_sessions", "catalog_marker", "definitions", "reach", "responses", "survey_drafts", "survey_usage"],
        "no other table to keep senders in"
    );
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('reach') ORDER BY cid").expect("valid SQL");
    let columns: Vec<String> =
        stmt.query_map([], |row| row.get(0)).expect("query runs").collect::<Result<_, _>>().expect("names");
    assert_eq!(columns, ["survey_id", "version", "channel", "day", "kind", "page", "count"], "counters, by day at finest");
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('survey_usage') ORDER BY cid").expect("valid SQL");
    let columns: Vec<String> =
        stmt.query_map([], |row| row.get(0)).expect("query runs").collect::<Result<_, _>>().expect("names");
    assert_eq!(columns, ["survey_id", "rows", "bytes"], "usage is per survey, not per sender");
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('admin_sessions') ORDER BY cid").expect("valid SQL");
    let columns: Vec<String> =
        stmt.query_map([], |row| row.get(0)).expect("query runs").collect::<Result<_, _>>().expect("names");
    assert_eq!(columns, ["secret_hash", "expires_at"], "a session knows no address or browser");
}
