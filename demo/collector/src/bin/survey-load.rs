//! `survey-load`: a load generator for the collector's `POST /api/responses` that also checks,
//! at the end, that every acknowledged response is stored exactly once.
//!
//! ```text
//! ADMIN_TOKEN=… survey-load --url http://127.0.0.1:8080 --duration 20 --concurrency 8
//! ```
//!
//! Each of `--concurrency` clients keeps one HTTP/1.1 connection open and sends one request at
//! a time, the next as soon as the last is answered (a closed loop, like wrk). A request is a
//! new, unique, valid response to the demo survey (`digital-engagement`, which the server must
//! collect), or, with probability `--retries` (default 0.1), an exact resend of one already
//! acknowledged, as a widget does when an answer is lost on the way back; a resend must get 200
//! with the reference first given. Latency runs from sending a request to having read the whole
//! answer. `--url` may be given more than once, for several collector instances on one
//! database: the clients are shared out among them in turn (a resend may go to another instance
//! than the first send, as behind a load balancer), and the first one is read back from.
//!
//! Then it reads `/admin/surveys/digital-engagement/responses.json` and counts, among the
//! responses of this run (their submission ids start with a random run prefix, so earlier runs
//! against the same server do not count):
//! - lost: acknowledged with a 201, but not stored;
//! - duplicated: a submission id stored more than once, or stored but never sent;
//! - mismatched: stored with other content than was sent.
//!
//! It prints a table, then one JSON line with the same numbers. Exit status: 0 when all is
//! well; 1 if anything was lost, duplicated or mismatched, or a resend was answered wrongly;
//! 2 for a usage error; 3 if the stored responses could not be read or the run overran its hard
//! timeout. Transport errors and refusals (5xx, …) are counted and shown, not fatal: the
//! widget would send those again.

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

const USAGE: &str = "\
usage: survey-load --url URL [--url URL …] [--duration SECONDS] [--concurrency N] [--retries FRACTION]
                   [--token TOKEN] [--timeout SECONDS]

  --url          the collector, such as http://127.0.0.1:8080 (plain HTTP); once per instance
                 when several share one database
  --duration     how long to send requests (default 10)
  --concurrency  clients sending at once, each on its own connection (default 8)
  --retries      fraction of requests that resend an acknowledged response (default 0.1)
  --token        the admin token (default: the ADMIN_TOKEN environment variable)
  --timeout      hard limit for the whole run, checks included (default: duration + 60)";

/// The survey the generated responses answer: the demo's own.
const SURVEY: &str = "digital-engagement";

/// A request not answered in this time counts as an error, and its connection is dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1), std::env::var("ADMIN_TOKEN").ok()) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("survey-load: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match tokio::time::timeout(args.timeout, run(&args)).await {
        Ok(Ok(report)) => {
            print!("{}", report.table(&args));
            println!("{}", report.json(&args));
            if report.is_correct() {
                ExitCode::SUCCESS
            } else {
                eprintln!("survey-load: FAILED: a response was lost, duplicated or changed, or a resend was answered wrongly");
                ExitCode::from(1)
            }
        }
        Ok(Err(message)) => {
            eprintln!("survey-load: {message}");
            ExitCode::from(3)
        }
        Err(_) => {
            eprintln!("survey-load: the run did not finish within {} s", args.timeout.as_secs());
            ExitCode::from(3)
        }
    }
}

/// The command line, checked.
#[derive(Debug, Clone, PartialEq)]
struct Args {
    /// `host:port`, for connecting and for the `Host` header.
    /// `host:port` of each `--url`, for connecting and for the `Host` header; client `i` uses
    /// the `i % len`th, and the first is read back from.
    authorities: Vec<String>,
    urls: Vec<String>,
    duration: Duration,
    concurrency: usize,
    retries: f64,
    token: String,
    timeout: Duration,
}

impl Args {
    /// `Ok(None)` means `--help`.
    fn parse(mut argv: impl Iterator<Item = String>, env_token: Option<String>) -> Result<Option<Args>, String> {
        let (mut urls, mut duration, mut concurrency, mut retries, mut token, mut timeout) =
            (Vec::new(), 10.0_f64, 8_usize, 0.1_f64, env_token, None);
        while let Some(flag) = argv.next() {
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = |what: &str| value.parse::<f64>().map_err(|_| format!("{flag} must be {what}, not {value:?}"));
            match flag.as_str() {
                "--url" => urls.push(value.clone()),
                "--duration" => duration = number("a number of seconds")?,
                "--concurrency" => {
                    concurrency = value.parse().map_err(|_| format!("--concurrency must be a count, not {value:?}"))?;
                }
                "--retries" => retries = number("a fraction from 0 to 1")?,
                "--token" => token = Some(value.clone()),
                "--timeout" => timeout = Some(number("a number of seconds")?),
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        if urls.is_empty() {
            return Err("--url is required".into());
        }
        let authorities = urls.iter().map(|url| authority_of(url)).collect::<Result<Vec<_>, _>>()?;
        if !(duration.is_finite() && duration > 0.0 && duration <= 3600.0) {
            return Err("--duration must be more than 0 and at most 3600 seconds".into());
        }
        if !(1..=1024).contains(&concurrency) {
            return Err("--concurrency must be from 1 to 1024".into());
        }
        if !(0.0..=1.0).contains(&retries) {
            return Err("--retries must be a fraction from 0 to 1".into());
        }
        let token = token.filter(|t| !t.is_empty()).ok_or("give the admin token with --token or ADMIN_TOKEN")?;
        let timeout = timeout.unwrap_or(duration + 60.0);
        if !(timeout.is_finite() && timeout > duration) {
            return Err("--timeout must be longer than --duration".into());
        }
        Ok(Some(Args {
            authorities,
            urls: urls.iter().map(|url| url.trim_end_matches('/').to_owned()).collect(),
            duration: Duration::from_secs_f64(duration),
            concurrency,
            retries,
            token,
            timeout: Duration::from_secs_f64(timeout),
        }))
    }
}

/// The `host:port` of a `--url`, which must be `http://HOST:PORT` and nothing more.
fn authority_of(url: &str) -> Result<String, String> {
    let uri: Uri = url.parse().map_err(|_| format!("--url {url:?} is not a URL"))?;
    if uri.scheme_str() != Some("http") || !uri.path().trim_end_matches('/').is_empty() {
        return Err(format!("--url must be http://HOST:PORT with no path, not {url:?}"));
    }
    Ok(uri.authority().ok_or("--url needs a host")?.as_str().to_owned())
}

/// The submission id of the `n`th response of run `run`: a valid UUID whose first group is the
/// run, so a run can pick its own responses out of everything the server has stored.
fn submission_id(run: u32, n: u64) -> String {
    format!("{run:08x}-0000-4000-8000-{n:012x}")
}

/// The `n` of a submission id of run `run`, if it is one.
fn sequence_of(run: u32, id: &str) -> Option<u64> {
    let rest = id.strip_prefix(&format!("{run:08x}-0000-4000-8000-"))?;
    (rest.len() == 12).then(|| u64::from_str_radix(rest, 16).ok()).flatten()
}

/// The `n`th response of run `run`: valid for the demo survey, and different from its
/// neighbours in every question, so that a mix-up between two responses cannot go unseen.
fn payload_for(run: u32, n: u64) -> Value {
    const HEARD: [&str; 5] = ["social", "website", "newsletter", "practice", "other"];
    const CHANNELS: [&str; 4] = ["phone", "email", "webform", "social"];
    const AREAS: [&str; 3] = ["Cardiff", "Abertawe", "Wrexham"];
    // Each index is a remainder, so it is in range.
    let pick = |len: usize| usize::try_from(n % len as u64).expect("a remainder fits in usize");
    let heard = HEARD[pick(HEARD.len())];
    let mut answers = json!({
        "heard": heard,
        "ease": 1 + n % 5,
        "improve": format!("Load test response {n}: answer emails faster"),
        "area": AREAS[pick(AREAS.len())],
        "consent": true,
    });
    let channels: Vec<&str> = if n.is_multiple_of(16) {
        vec!["none"]
    } else {
        CHANNELS.iter().enumerate().filter(|(bit, _)| (n >> bit) & 1 == 1).map(|(_, c)| *c).collect()
    };
    if !channels.is_empty() {
        answers["channels"] = json!(channels);
    }
    let mut payload = json!({
        "format": "survey-response/1",
        "survey": { "id": SURVEY, "version": 1 },
        "submission_id": submission_id(run, n),
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": answers,
        "hidden": { "channel": "load-test" },
    });
    if heard == "other" {
        payload["other_text"] = json!({ "heard": format!("Leaflet {n}") });
    }
    payload
}

/// xorshift64*: plenty for choosing when to resend; not for anything secret.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let mut seed = [0u8; 8];
        // Without OS randomness, a fixed seed still gives a fair mix of requests.
        let _ = getrandom::fill(&mut seed);
        Rng(u64::from_le_bytes(seed) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// What the clients share: the next sequence number and every acknowledged response.
struct Shared {
    run: u32,
    next: AtomicU64,
    acknowledged: Mutex<Vec<(u64, String)>>,
}

impl Shared {
    fn pick_acknowledged(&self, rng: &mut Rng) -> Option<(u64, String)> {
        let acked = self.acknowledged.lock().unwrap_or_else(PoisonError::into_inner);
        if acked.is_empty() {
            return None;
        }
        let i = usize::try_from(rng.next() % acked.len() as u64).expect("a remainder fits in usize");
        Some(acked[i].clone())
    }
}

/// What one client saw.
#[derive(Default)]
struct ClientStats {
    /// Microseconds, one per answered request.
    latencies_us: Vec<u64>,
    created: u64,
    resent: u64,
    /// By kind: `transport`, `timeout`, or the unexpected status.
    errors: BTreeMap<String, u64>,
    bad_resends: u64,
}

impl ClientStats {
    fn error(&mut self, kind: impl Into<String>) {
        *self.errors.entry(kind.into()).or_default() += 1;
    }
}

async fn connect(authority: &str) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(authority).await.map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| format!("cannot set TCP_NODELAY: {e}"))?;
    let (sender, connection) =
        http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("HTTP handshake failed: {e}"))?;
    tokio::spawn(async move {
        // An error here shows up as a failed request on the sender side.
        let _ = connection.await;
    });
    Ok(sender)
}

/// Sends one request and reads the whole answer.
async fn exchange(sender: &mut SendRequest<Full<Bytes>>, request: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes), String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender.send_request(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((status, body))
}

fn post(authority: &str, id: &str, body: Vec<u8>) -> Request<Full<Bytes>> {
    Request::builder()
        .method(Method::POST)
        .uri("/api/responses")
        .header(HOST, authority)
        .header(CONTENT_TYPE, "application/json")
        .header("idempotency-key", id)
        .body(Full::new(Bytes::from(body)))
        .expect("a request built from a checked authority and a UUID is valid")
}

fn reference_in(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.get("reference")?.as_str().map(str::to_owned)
}

/// One client: sends to `authority` until `deadline`, one request at a time.
async fn client(args: Arc<Args>, authority: String, shared: Arc<Shared>, deadline: Instant) -> ClientStats {
    let mut stats = ClientStats::default();
    let mut rng = Rng::seeded();
    let mut sender: Option<SendRequest<Full<Bytes>>> = None;
    while Instant::now() < deadline {
        let resend = if rng.chance(args.retries) { shared.pick_acknowledged(&mut rng) } else { None };
        let (n, expected) = match resend {
            Some((n, reference)) => (n, Some(reference)),
            None => (shared.next.fetch_add(1, Ordering::Relaxed), None),
        };
        let id = submission_id(shared.run, n);
        let body = serde_json::to_vec(&payload_for(shared.run, n)).expect("a JSON value serialises");

        let mut live = match sender.take() {
            Some(s) if !s.is_closed() => s,
            _ => match connect(&authority).await {
                Ok(s) => s,
                Err(_) => {
                    stats.error("transport");
                    // The server is not there (yet, or any more): do not spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let start = Instant::now();
        let answer = tokio::time::timeout(REQUEST_TIMEOUT, exchange(&mut live, post(&authority, &id, body))).await;
        let elapsed = start.elapsed();
        let (status, body) = match answer {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => {
                stats.error("transport");
                continue;
            }
            Err(_) => {
                stats.error("timeout");
                continue;
            }
        };
        sender = Some(live);
        stats.latencies_us.push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
        let reference = reference_in(&body);
        match (expected, status, reference) {
            (None, StatusCode::CREATED, Some(reference)) => {
                stats.created += 1;
                shared.acknowledged.lock().unwrap_or_else(PoisonError::into_inner).push((n, reference));
            }
            (Some(expected), StatusCode::OK, Some(reference)) if reference == expected => stats.resent += 1,
            (Some(_), status, _) if status.is_success() || status == StatusCode::CONFLICT => stats.bad_resends += 1,
            (_, status, _) => stats.error(status.as_str()),
        }
    }
    stats
}

/// What the stored responses say about this run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Verdict {
    /// Rows of this run.
    stored: u64,
    lost: u64,
    duplicated: u64,
    mismatched: u64,
    /// Sent, not acknowledged (the request failed), yet stored: allowed, as the server may have
    /// committed just before the answer was lost; a widget would resend and get 200.
    unacknowledged_stored: u64,
}

/// Compares the stored responses with what was sent (`0..sent`) and acknowledged.
fn verify(run: u32, stored: &[Value], sent: u64, acknowledged: &HashMap<u64, String>) -> Verdict {
    let mut verdict = Verdict::default();
    let mut seen: HashMap<u64, u64> = HashMap::new();
    for payload in stored {
        let Some(n) = payload.get("submission_id").and_then(Value::as_str).and_then(|id| sequence_of(run, id)) else {
            continue; // another run's, or someone else's
        };
        verdict.stored += 1;
        if n >= sent {
            verdict.duplicated += 1; // invented: never sent
            continue;
        }
        let count = seen.entry(n).or_default();
        *count += 1;
        if *count > 1 {
            verdict.duplicated += 1;
        }
        if *payload != payload_for(run, n) {
            verdict.mismatched += 1;
        }
    }
    verdict.lost = acknowledged.keys().filter(|n| !seen.contains_key(n)).count() as u64;
    verdict.unacknowledged_stored = seen.keys().filter(|n| !acknowledged.contains_key(n)).count() as u64;
    verdict
}

async fn stored_responses(args: &Args) -> Result<Vec<Value>, String> {
    let authority = &args.authorities[0];
    let mut sender = connect(authority).await?;
    let request = Request::builder()
        .uri(format!("/admin/surveys/{SURVEY}/responses.json"))
        .header(HOST, authority)
        .header(AUTHORIZATION, format!("Bearer {}", args.token))
        .body(Full::new(Bytes::new()))
        .map_err(|e| format!("bad admin request: {e}"))?;
    let (status, body) = exchange(&mut sender, request).await.map_err(|e| format!("cannot read the stored responses: {e}"))?;
    if status != StatusCode::OK {
        return Err(format!("reading the stored responses answered {status} (is the admin token right?)"));
    }
    serde_json::from_slice(&body).map_err(|e| format!("the stored responses are not a JSON list: {e}"))
}

async fn run(args: &Args) -> Result<Report, String> {
    let mut run_id = [0u8; 4];
    getrandom::fill(&mut run_id).map_err(|e| format!("no randomness from the OS: {e}"))?;
    let shared = Arc::new(Shared {
        run: u32::from_le_bytes(run_id),
        next: AtomicU64::new(0),
        acknowledged: Mutex::new(Vec::new()),
    });
    // Fail early, with a clear message, if the admin export cannot be read.
    stored_responses(args).await?;

    let args_arc = Arc::new(args.clone());
    let start = Instant::now();
    let deadline = start + args.duration;
    let clients: Vec<_> = (0..args.concurrency)
        .map(|i| {
            let authority = args.authorities[i % args.authorities.len()].clone();
            tokio::spawn(client(Arc::clone(&args_arc), authority, Arc::clone(&shared), deadline))
        })
        .collect();
    let mut all = ClientStats::default();
    for c in clients {
        let stats = c.await.map_err(|e| format!("a client task failed: {e}"))?;
        all.latencies_us.extend(stats.latencies_us);
        all.created += stats.created;
        all.resent += stats.resent;
        all.bad_resends += stats.bad_resends;
        for (kind, count) in stats.errors {
            *all.errors.entry(kind).or_default() += count;
        }
    }
    let elapsed = start.elapsed();

    let acknowledged: HashMap<u64, String> =
        shared.acknowledged.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect();
    let sent = shared.next.load(Ordering::Relaxed);
    let verdict = verify(shared.run, &stored_responses(args).await?, sent, &acknowledged);
    all.latencies_us.sort_unstable();
    Ok(Report { elapsed, stats: all, verdict })
}

struct Report {
    elapsed: Duration,
    stats: ClientStats,
    verdict: Verdict,
}

/// The nearest-rank percentile of sorted values, in milliseconds.
fn percentile_ms(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * sorted_us.len() as f64).ceil() as usize;
    sorted_us[rank.clamp(1, sorted_us.len()) - 1] as f64 / 1000.0
}

impl Report {
    fn answered(&self) -> u64 {
        self.stats.latencies_us.len() as u64
    }

    fn errors(&self) -> u64 {
        self.stats.errors.values().sum()
    }

    fn per_second(&self) -> f64 {
        self.answered() as f64 / self.elapsed.as_secs_f64()
    }

    fn is_correct(&self) -> bool {
        let v = &self.verdict;
        v.lost == 0 && v.duplicated == 0 && v.mismatched == 0 && self.stats.bad_resends == 0
    }

    fn table(&self, args: &Args) -> String {
        let lat = |p: f64| format!("{:.2} ms", percentile_ms(&self.stats.latencies_us, p));
        let errors = if self.stats.errors.is_empty() {
            "0".to_owned()
        } else {
            let kinds: Vec<String> = self.stats.errors.iter().map(|(k, n)| format!("{k}: {n}")).collect();
            format!("{} ({})", self.errors(), kinds.join(", "))
        };
        let v = &self.verdict;
        format!(
            "survey-load: {} for {:.1} s, concurrency {}, {:.0}% resends\n\
             \x20 requests answered   {} ({} new, {} resends)\n\
             \x20 requests/s          {:.1}\n\
             \x20 latency p50         {}\n\
             \x20 latency p90         {}\n\
             \x20 latency p99         {}\n\
             \x20 latency max         {}\n\
             \x20 errors              {errors}\n\
             \x20 wrong resend answer {}\n\
             \x20 stored (this run)   {} ({} not acknowledged: their requests failed)\n\
             \x20 lost                {}\n\
             \x20 duplicated          {}\n\
             \x20 mismatched          {}\n",
            args.urls.join(" and "),
            self.elapsed.as_secs_f64(),
            args.concurrency,
            args.retries * 100.0,
            self.answered(),
            self.stats.created,
            self.stats.resent,
            self.per_second(),
            lat(50.0),
            lat(90.0),
            lat(99.0),
            lat(100.0),
            self.stats.bad_resends,
            v.stored,
            v.unacknowledged_stored,
            v.lost,
            v.duplicated,
            v.mismatched,
        )
    }

    fn json(&self, args: &Args) -> Value {
        let ms = |p: f64| (percentile_ms(&self.stats.latencies_us, p) * 100.0).round() / 100.0;
        let v = &self.verdict;
        json!({
            "concurrency": args.concurrency,
            "duration_s": (self.elapsed.as_secs_f64() * 10.0).round() / 10.0,
            "resend_fraction": args.retries,
            "requests": self.answered(),
            "created": self.stats.created,
            "resent": self.stats.resent,
            "requests_per_s": self.per_second().round() as u64,
            "p50_ms": ms(50.0),
            "p90_ms": ms(90.0),
            "p99_ms": ms(99.0),
            "max_ms": ms(100.0),
            "errors": self.errors(),
            "wrong_resend_answers": self.stats.bad_resends,
            "stored": v.stored,
            "unacknowledged_stored": v.unacknowledged_stored,
            "lost": v.lost,
            "duplicated": v.duplicated,
            "mismatched": v.mismatched,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>, String> {
        Args::parse(list.iter().map(|s| (*s).to_owned()), Some("t".into()))
    }

    #[test]
    fn arguments_are_checked() {
        let a = args(&["--url", "http://127.0.0.1:9/", "--duration", "2", "--concurrency", "4"])
            .expect("valid")
            .expect("not help");
        assert_eq!(a.authorities, ["127.0.0.1:9"]);
        assert_eq!(a.urls, ["http://127.0.0.1:9"]);
        let two = args(&["--url", "http://127.0.0.1:9", "--url", "http://127.0.0.1:10"]).expect("valid").expect("not help");
        assert_eq!(two.authorities, ["127.0.0.1:9", "127.0.0.1:10"]);
        assert!(args(&["--url", "http://127.0.0.1:9", "--url", "https://x:1"]).is_err(), "each is checked");
        assert_eq!((a.duration, a.concurrency, a.timeout), (Duration::from_secs(2), 4, Duration::from_secs(62)));
        assert_eq!(args(&["--help"]), Ok(None));
        assert!(args(&[]).is_err(), "--url is required");
        assert!(args(&["--url", "https://x:1"]).is_err());
        assert!(args(&["--url", "http://x:1/api"]).is_err());
        assert!(args(&["--url", "http://x:1", "--retries", "1.5"]).is_err());
        assert!(args(&["--url", "http://x:1", "--concurrency", "0"]).is_err());
        assert!(args(&["--url", "http://x:1", "--duration", "5", "--timeout", "5"]).is_err());
        assert!(Args::parse(["--url", "http://x:1"].iter().map(|s| (*s).to_owned()), None).is_err(), "a token is required");
    }

    #[test]
    fn ids_belong_to_their_run() {
        let id = submission_id(0xdead_beef, 42);
        assert!(survey_model::is_uuid(&id), "{id}");
        assert_eq!(sequence_of(0xdead_beef, &id), Some(42));
        assert_eq!(sequence_of(0xdead_bee0, &id), None);
    }

    #[test]
    fn generated_payloads_are_valid_and_distinct() {
        let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/digital-engagement.json"))
            .expect("the demo survey");
        let survey = survey_model::Survey::parse(&source).expect("valid survey");
        for n in 0..64 {
            let body = serde_json::to_vec(&payload_for(7, n)).expect("serialises");
            let payload = survey_model::Payload::parse(&body).unwrap_or_else(|e| panic!("{n}: {e}"));
            payload.validate(&survey).unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_ne!(payload_for(7, n)["answers"], payload_for(7, n + 1)["answers"]);
        }
    }

    #[test]
    fn verification_counts_lost_duplicated_invented_and_changed() {
        let run = 1;
        let acked: HashMap<u64, String> = [(0, "A".into()), (1, "B".into()), (2, "C".into())].into();
        let mut changed = payload_for(run, 2);
        changed["answers"]["ease"] = json!(5 - changed["answers"]["ease"].as_u64().expect("a number") % 5);
        let stored = vec![
            payload_for(run, 0),
            payload_for(run, 0), // twice
            changed,             // 2, changed; 1 is missing
            payload_for(run, 3), // sent, not acknowledged
            payload_for(run, 9), // never sent
            payload_for(run + 1, 1), // another run's
        ];
        let v = verify(run, &stored, 4, &acked);
        assert_eq!(v, Verdict { stored: 5, lost: 1, duplicated: 2, mismatched: 1, unacknowledged_stored: 1 });
        let clean: Vec<Value> = (0..3).map(|n| payload_for(run, n)).collect();
        assert_eq!(verify(run, &clean, 3, &acked), Verdict { stored: 3, ..Verdict::default() });
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let us: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile_ms(&us, 50.0), 50.0);
        assert_eq!(percentile_ms(&us, 99.0), 99.0);
        assert_eq!(percentile_ms(&us, 100.0), 100.0);
        assert_eq!(percentile_ms(&[], 99.0), 0.0);
    }
}
