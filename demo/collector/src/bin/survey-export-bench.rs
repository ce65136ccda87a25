//! `survey-export-bench`: how much memory the collector needs to export a big survey.
//!
//! It starts a `survey-collector` (by default the one built next to it) on a free loopback port
//! with a fresh database, posts `--rows` distinct valid responses to the demo survey through
//! `POST /api/responses` (so the rows are exactly what a real collector stores), then, on a
//! freshly started collector each time, downloads `/admin/surveys/digital-engagement/responses.csv`
//! and `.json`, the results page (`/admin/surveys/digital-engagement`, which counts every response)
//! and the last page of one question's written answers (`…/answers/improve?page=…`, which reads
//! them all to find it), and reports for each the collector's resident memory before and at its
//! peak during the download (Linux's `VmHWM`, reset first through `/proc/PID/clear_refs`), the time
//! taken and the bytes received.
//!
//! A benchmark, not a test: the numbers depend on the machine. BENCHMARKS.md has the method and
//! the results. Run it in release:
//!
//! ```text
//! cargo run --release -p survey-collector --bin survey-export-bench -- --rows 200000
//! ```
//!
//! Options: `--rows N` (default 200000), `--clients N` posting at once (default 8),
//! `--collector PATH` (another build to measure, such as an older release), `--data DIR` (use
//! this DATA_DIR and keep it; if it already holds the responses, no new ones are posted, so two
//! builds can be measured on the same database). With `DATABASE_URL` set, the collectors it
//! starts keep the responses in that PostgreSQL database instead (responses already there count
//! as with `--data`). The last line printed is the report as JSON.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SURVEY: &str = "digital-engagement";
const TOKEN: &str = "export-bench-token-0123456789abcdefghijklmnop";

struct Args {
    rows: u64,
    clients: u64,
    collector: PathBuf,
    data: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("survey-export-bench: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("survey-export-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let beside = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?.with_file_name("survey-collector");
    let mut args = Args { rows: 200_000, clients: 8, collector: beside, data: None };
    while let Some(flag) = argv.next() {
        let mut value = || argv.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--rows" => args.rows = value()?.parse().map_err(|_| "--rows must be a whole number")?,
            "--clients" => args.clients = value()?.parse().map_err(|_| "--clients must be a whole number")?,
            "--collector" => args.collector = PathBuf::from(value()?),
            "--data" => args.data = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other} (see the file's doc comment)")),
        }
    }
    if args.clients == 0 {
        return Err("--clients must be at least 1".into());
    }
    Ok(args)
}

/// The collector, killed when dropped.
struct Collector {
    child: Child,
    addr: String,
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &Args) -> Result<Value, String> {
    let (data, temporary) = match &args.data {
        Some(dir) => (dir.clone(), false),
        None => (std::env::temp_dir().join(format!("survey-export-bench-{}", std::process::id())), true),
    };
    let collector = start(&args.collector, &data)?;
    let stored = count_rows(&collector.addr)?;
    let posted = if stored >= args.rows {
        eprintln!("{stored} responses already stored in {}; posting none", data.display());
        0
    } else {
        let need = args.rows - stored;
        eprintln!("posting {need} responses with {} clients…", args.clients);
        let start = Instant::now();
        fill(&collector.addr, need, args.clients)?;
        eprintln!("posted in {:.0} s", start.elapsed().as_secs_f64());
        need
    };
    drop(collector);
    // Each download from a freshly started collector, so neither inherits what the filling or
    // the other download left in the allocator.
    let mut exports = Vec::new();
    // The last page of written answers: every row is read and searched to reach it.
    let last_page = (stored + posted).div_ceil(20).max(1);
    let reads = [
        ("csv", format!("/admin/surveys/{SURVEY}/responses.csv")),
        ("json", format!("/admin/surveys/{SURVEY}/responses.json")),
        ("results page", format!("/admin/surveys/{SURVEY}")),
        ("written answers", format!("/admin/surveys/{SURVEY}/answers/improve?page={last_page}")),
    ];
    for (format, path) in reads {
        let collector = start(&args.collector, &data)?;
        let pid = collector.child.id();
        let before_kib = status_kib(pid, "VmRSS")?;
        reset_peak(pid)?;
        let start = Instant::now();
        let bytes = download(&collector.addr, &path)?;
        let seconds = start.elapsed().as_secs_f64();
        let peak_kib = status_kib(pid, "VmHWM")?;
        eprintln!(
            "{format}: {bytes} bytes in {seconds:.1} s; collector RSS {:.1} MB before, peak {:.1} MB during",
            before_kib as f64 / 1024.0,
            peak_kib as f64 / 1024.0
        );
        exports.push(json!({ "format": format, "bytes": bytes, "seconds": seconds, "rss_before_kib": before_kib, "peak_rss_kib": peak_kib }));
    }
    if temporary {
        let _ = std::fs::remove_dir_all(&data);
    }
    Ok(json!({ "rows": stored + posted, "posted": posted, "collector": args.collector.display().to_string(), "exports": exports }))
}

/// Starts the collector on a free port and waits for its listening line.
fn start(binary: &Path, data: &Path) -> Result<Collector, String> {
    let surveys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../surveys");
    let mut command = Command::new(binary);
    command.env_clear();
    // On PostgreSQL when the caller says so; the database then outlives the run, as `--data` does.
    if let Ok(url) = std::env::var("DATABASE_URL") {
        command.env("DATABASE_URL", url);
    }
    let mut child = command
        .env("PORT", "0")
        .env("DATA_DIR", data)
        .env("SURVEYS_DIR", surveys)
        .env("DIST_DIR", data.join("no-dist"))
        .env("ADMIN_TOKEN", TOKEN)
        .env("RATE_LIMIT_PER_MINUTE", "0")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e} (build it first: cargo build --release -p survey-collector)", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .ok_or("the collector exited before listening")?
            .map_err(|e| format!("reading the collector's output: {e}"))?;
        if let Some(url) = line.strip_prefix("survey-collector listening on http://") {
            break url.trim().to_owned();
        }
    };
    // Keep draining stdout so the collector never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Ok(Collector { child, addr })
}

/// Posts `count` distinct responses from `clients` threads, each on one kept-alive connection.
fn fill(addr: &str, count: u64, clients: u64) -> Result<(), String> {
    let next = Arc::new(AtomicU64::new(0));
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() & 0xffff_ffff);
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (addr, next) = (addr.to_owned(), Arc::clone(&next));
            std::thread::spawn(move || -> Result<(), String> {
                let mut connection = Connection::open(&addr)?;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= count {
                        return Ok(());
                    }
                    let body = payload(run, n).to_string();
                    let status = connection.post("/api/responses", &body)?;
                    if status != 201 && status != 200 {
                        return Err(format!("response {n} got {status}"));
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().map_err(|_| "a posting thread panicked".to_owned())??;
    }
    Ok(())
}

/// The `n`th response: valid for the demo survey, distinct, about 900 bytes as stored.
fn payload(run: u64, n: u64) -> Value {
    const WORDS: [&str; 12] =
        ["quicker", "replies", "clearer", "forms", "fewer", "steps", "online", "booking", "plain", "words", "less", "waiting"];
    let improve: Vec<&str> = (0..60).map(|i| WORDS[((n * 7 + i * 5) % 12) as usize]).collect();
    json!({
        "format": "survey-response/1",
        "survey": { "id": SURVEY, "version": 1 },
        "submission_id": format!("{:08x}-0000-4000-8000-{n:012x}", run),
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": {
            "heard": if n.is_multiple_of(3) { "other" } else { "website" },
            "channels": ["email", "webform"],
            "ease": 1 + n % 5,
            "improve": improve.join(" "),
            "area": format!("Area {}", n % 97),
            "consent": true
        },
        "other_text": if n.is_multiple_of(3) { json!({ "heard": "A leaflet through the door" }) } else { json!({}) },
        "hidden": { "channel": "newsletter" }
    })
}

/// How many responses the survey already has, from the admin start page (a `COUNT(*)`; the
/// summary page would read every row, and leave the allocator bigger than an export found it).
fn count_rows(addr: &str) -> Result<u64, String> {
    let mut connection = Connection::open(addr)?;
    let (status, page) = connection.get("/admin")?;
    if status != 200 {
        return Err(format!("the admin page answered {status}"));
    }
    // `<a href="/admin/surveys/ID">…</td><td class="num">N</td>`
    page.split(&format!("href=\"/admin/surveys/{SURVEY}\""))
        .nth(1)
        .and_then(|rest| rest.split("<td class=\"num\">").nth(1))
        .and_then(|rest| rest.split("</td>").next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| "no response count on the admin page".to_owned())
}

/// Downloads `path` over a fresh connection, discarding the body as it comes; the body's size
/// (without the chunked encoding's framing).
fn download(addr: &str, path: &str) -> Result<u64, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| format!("send: {e}"))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let read_line = |reader: &mut BufReader<TcpStream>, line: &mut String| -> Result<(), String> {
        line.clear();
        reader.read_line(line).map(drop).map_err(|e| format!("read: {e}"))
    };
    read_line(&mut reader, &mut line)?;
    if !line.starts_with("HTTP/1.1 200") {
        return Err(format!("{path} answered {}", line.trim()));
    }
    let mut chunked = false;
    loop {
        read_line(&mut reader, &mut line)?;
        if line.trim_end().is_empty() {
            break;
        }
        chunked |= line.to_ascii_lowercase().starts_with("transfer-encoding: chunked");
    }
    let mut bytes = 0u64;
    if !chunked {
        return std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| format!("read: {e}"));
    }
    loop {
        read_line(&mut reader, &mut line)?;
        let size = u64::from_str_radix(line.trim(), 16).map_err(|_| format!("bad chunk size {line:?}"))?;
        if size == 0 {
            return Ok(bytes);
        }
        let copied = std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink()).map_err(|e| format!("read: {e}"))?;
        if copied != size {
            return Err("the download was cut off".into());
        }
        bytes += size;
        read_line(&mut reader, &mut line)?;
    }
}

/// A field of `/proc/PID/status`, in KiB.
fn status_kib(pid: u32, field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| format!("/proc/{pid}/status: {e} (Linux only)"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
}

/// Resets the process's peak resident size (`VmHWM`) to its current size.
fn reset_peak(pid: u32) -> Result<(), String> {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").map_err(|e| format!("cannot reset VmHWM: {e}"))
}

/// A kept-alive HTTP/1.1 connection that reads answers with a Content-Length.
struct Connection {
    reader: BufReader<TcpStream>,
    addr: String,
}

impl Connection {
    fn open(addr: &str) -> Result<Connection, String> {
        let stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
        stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
        Ok(Connection { reader: BufReader::new(stream), addr: addr.to_owned() })
    }

    fn post(&mut self, path: &str, body: &str) -> Result<u16, String> {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        self.send(&(head + body))?;
        self.answer().map(|(status, _)| status)
    }

    fn get(&mut self, path: &str) -> Result<(u16, String), String> {
        self.send(&format!("GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n", self.addr))?;
        self.answer()
    }

    fn send(&mut self, request: &str) -> Result<(), String> {
        self.reader.get_mut().write_all(request.as_bytes()).map_err(|e| format!("send: {e}"))
    }

    fn answer(&mut self) -> Result<(u16, String), String> {
        let mut line = String::new();
        self.reader.read_line(&mut line).map_err(|e| format!("read: {e}"))?;
        let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).map_err(|e| format!("read: {e}"))?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().map_err(|_| "bad Content-Length")?;
                }
            }
        }
        let mut body = vec![0u8; length];
        self.reader.read_exact(&mut body).map_err(|e| format!("read: {e}"))?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}
