//! The catalog of current surveys, kept current on every instance.
//!
//! A survey published through one collector instance must reach every other instance on the
//! same database within seconds, without a restart and without a message bus. The database
//! keeps a counter that moves with every change to the stored definitions (a trigger on the
//! table moves it, whoever writes: a publish, an import at start, an operator's SQL), and each
//! instance reads that one number every [`POLL_EVERY`]; when it has moved, the instance reads
//! the catalog again ([`crate::surveys::Catalog::read`]). The instance that publishes reloads
//! at once, so its own answer already reflects the publish.
//!
//! Requests see one catalog each, whole: [`LiveCatalog::current`] hands out the catalog as it
//! is at that moment, and a reload replaces it for the requests that come after.

use crate::error::Result;
use crate::store::Store;
use crate::surveys::{Catalog, FileProblems};
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::Duration;

/// How often every instance checks whether the stored definitions changed: one small query.
pub const POLL_EVERY: Duration = Duration::from_secs(2);

/// The current catalog, shared by every handler of one instance. Cloning is cheap.
#[derive(Clone)]
pub struct LiveCatalog {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// What this instance's import of `SURVEYS_DIR` found wrong; reported with every reload.
    problems: FileProblems,
    current: RwLock<Snapshot>,
    /// One reload at a time: a poll and a publish racing would read the same thing twice.
    reloading: tokio::sync::Mutex<()>,
}

struct Snapshot {
    /// The database's change counter when this catalog was read (or just before).
    marker: i64,
    catalog: Catalog,
}

impl LiveCatalog {
    /// Reads the catalog from `store`, and starts checking for changes every [`POLL_EVERY`]
    /// until the last clone is dropped. Needs a tokio runtime.
    pub async fn start(store: Store, problems: FileProblems) -> Result<LiveCatalog> {
        // The marker first: a change committed between the two reads is then seen again by
        // the next poll, never missed.
        let marker = store.catalog_marker().await?;
        let catalog = Catalog::read(&store, &problems, &Catalog::default()).await?;
        let inner = Arc::new(Inner {
            store,
            problems,
            current: RwLock::new(Snapshot { marker, catalog }),
            reloading: tokio::sync::Mutex::new(()),
        });
        spawn_poller(Arc::downgrade(&inner));
        Ok(LiveCatalog { inner })
    }

    /// The catalog as it is now.
    pub fn current(&self) -> Catalog {
        self.inner.current.read().unwrap_or_else(PoisonError::into_inner).catalog.clone()
    }

    /// Reads the catalog again if the stored definitions changed since it was last read, by
    /// this instance or any other. `true` if it was read again.
    pub async fn refresh(&self) -> Result<bool> {
        refresh(&self.inner).await
    }
}

async fn refresh(inner: &Inner) -> Result<bool> {
    let _one_at_a_time = inner.reloading.lock().await;
    let marker = inner.store.catalog_marker().await?;
    let previous = {
        let snapshot = inner.current.read().unwrap_or_else(PoisonError::into_inner);
        if snapshot.marker == marker {
            return Ok(false);
        }
        snapshot.catalog.clone()
    };
    let catalog = Catalog::read(&inner.store, &inner.problems, &previous).await?;
    tracing::info!(count = catalog.len(), "survey catalog read again: the stored definitions changed");
    // Only whole values are ever written, so a poisoned lock still holds a good catalog.
    *inner.current.write().unwrap_or_else(PoisonError::into_inner) = Snapshot { marker, catalog };
    Ok(true)
}

/// Checks for changes every [`POLL_EVERY`] while anyone still holds the catalog; a failed
/// check is logged and the catalog kept, so a database hiccup never empties it.
fn spawn_poller(inner: Weak<Inner>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(POLL_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate, and the catalog was just read.
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let Some(inner) = inner.upgrade() else { break };
            if let Err(e) = refresh(&inner).await {
                tracing::warn!(error = %e, "cannot check for changed survey definitions; keeping the catalog as it is");
            }
        }
    });
}
