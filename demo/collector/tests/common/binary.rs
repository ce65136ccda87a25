//! The real `survey-collector` binary as a child process, and plain HTTP/1.1 over real sockets:
//! for what only a real process shows (its startup line, its exit, its log, a kill).

use super::{demo_surveys, TOKEN};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_survey-collector");

/// The server with settings for a temp folder; `extra` overrides or adds variables. Every
/// test client is 127.0.0.1, so the per-client rate limit is off unless `extra` sets it.
pub fn command(data: &Path, extra: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PORT", "0")
        .env("DATA_DIR", data)
        .env("SURVEYS_DIR", demo_surveys())
        .env("ADMIN_TOKEN", TOKEN)
        .env("DIST_DIR", data.join("no-dist"))
        .env("RATE_LIMIT_PER_MINUTE", "0")
        .env("RUST_LOG", "warn");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd
}

/// A running server, killed (SIGKILL) if still running when dropped, so a failing test never
/// leaves one behind.
pub struct Server {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// What it printed on stdout up to and including its listening line.
    pub announced: String,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts `cmd` and waits for its `survey-collector listening on http://127.0.0.1:PORT` line.
    /// Everything it writes to stderr is kept for [`Server::stderr`].
    pub fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        // Read stderr as it comes, so a chatty log can never fill the pipe and stall the server.
        let mut pipe = child.stderr.take().expect("piped stderr");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let stderr_reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                sink.lock().expect("not poisoned").extend_from_slice(&chunk[..n]);
            }
        });
        // The settings come first, one per line, then the line scripts wait for.
        let mut announced = String::new();
        let mut line = String::new();
        while !line.starts_with("survey-collector listening on ") {
            line.clear();
            if stdout.read_line(&mut line).expect("startup lines") == 0 {
                panic!("the server exited before listening; it printed {announced:?}");
            }
            announced.push_str(&line);
        }
        let port = line
            .trim_end()
            .strip_prefix("survey-collector listening on http://127.0.0.1:")
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or_else(|| panic!("unexpected startup line {line:?}"));
        assert_ne!(port, 0, "the real port is printed");
        Server { child, stdout, addr: format!("127.0.0.1:{port}"), announced, stderr, stderr_reader: Some(stderr_reader) }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next line the server printed on stdout.
    pub fn stdout_line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("a line on stdout");
        line
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        self.child.kill().expect("the server can be killed");
        self.child.wait().expect("waitable");
    }

    /// SIGTERM, then waits up to `limit` for the exit.
    pub fn terminate(&mut self, limit: Duration) -> Option<ExitStatus> {
        let killed = Command::new("kill").args(["-TERM", &self.pid().to_string()]).status().expect("kill runs");
        assert!(killed.success());
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("waitable") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Everything written to stderr; complete once the server has exited.
    pub fn stderr(&mut self) -> String {
        if self.child.try_wait().expect("waitable").is_some() {
            if let Some(reader) = self.stderr_reader.take() {
                reader.join().expect("the stderr reader finishes");
            }
        }
        String::from_utf8_lossy(&self.stderr.lock().expect("not poisoned")).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request over a fresh connection; the status and body of a complete answer, or
/// an error if the connection failed or closed before a whole answer arrived.
pub fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    let incomplete = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete answer");
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8(response).map_err(|_| incomplete())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or_else(incomplete)?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(incomplete)?;
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v.trim().to_owned())
    };
    // A streamed answer (an export) comes in chunks, ended by an empty one.
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        return dechunk(body).map(|body| (status, body)).ok_or_else(incomplete);
    }
    // Otherwise with Content-Length; fewer bytes means the connection died midway.
    if header("content-length").and_then(|v| v.parse::<usize>().ok()).is_some_and(|n| n != body.len()) {
        return Err(incomplete());
    }
    Ok((status, body.to_owned()))
}

/// The body of a chunked answer, or `None` if it stops before its last (empty) chunk: a
/// download cut off part way.
pub fn dechunk(mut rest: &str) -> Option<String> {
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(body);
        }
        body.push_str(after.get(..size)?);
        rest = after.get(size..)?.strip_prefix("\r\n")?;
    }
}

/// [`try_http`] to a server that is expected to answer.
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    try_http(addr, method, path, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}
