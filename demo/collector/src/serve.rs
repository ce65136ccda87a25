//! Accepting connections: at most `MAX_CONNECTIONS` open at once, each given
//! `READ_TIMEOUT_SECS` to send a request's headers, and a graceful stop.
//!
//! `axum::serve` offers neither a connection cap nor a header timeout (hyper's needs a timer,
//! which it does not set), so a client that opens connections and sends nothing, or one byte a
//! minute, could hold the server's sockets forever. This is the part of `axum::serve` the
//! collector needs, on hyper's HTTP/1.1 server (the collector speaks nothing else: a TLS proxy
//! in front of it may speak HTTP/2 to browsers).

use crate::config::Limits;
use crate::error::{Error, Result};
use axum::extract::connect_info::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// say), so a persistent failure does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown` completes, then waits for the requests under way.
///
/// A connection beyond the cap is not refused: it waits in the kernel's queue until another one
/// closes, as a busy server's would.
pub async fn run(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) -> Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => {
                permit.map_err(|_| Error::Internal("the connection limit was closed".into()))?
            }
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are written whole; waiting to coalesce them (Nagle) only adds latency.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
        // The peer address reaches handlers for the per-client brakes only (memory only).
        let service = app.clone().map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            // Also bounds how long a kept-alive connection may sit idle before its next request.
            .header_read_timeout(limits.read_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // A client that went away or was too slow: nothing to act on.
                tracing::debug!(error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
