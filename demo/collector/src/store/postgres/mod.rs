//! The PostgreSQL engine, when `DATABASE_URL` names a database: what several collector
//! instances share, so any of them can take any request (sessions, quotas and idempotency
//! included), behind a load balancer.
//!
//! Requests take connections from a pool of `DATABASE_POOL_SIZE` (deadpool-postgres over
//! tokio-postgres). A response is acknowledged after its insert has committed, which with
//! PostgreSQL's default `synchronous_commit = on` means after the commit is on disk.
//!
//! Once per `submission_id`, across instances: the insert is one statement,
//! `INSERT … ON CONFLICT DO NOTHING`, so of two instances storing the same submission at the
//! same moment, the second waits for the first to commit and then inserts nothing; it then
//! finds the first one's row and answers as for any repeat ([`super::judge_repeat`]).
//!
//! Quotas without a hot row: a survey's usage is kept in [`USAGE_SHARDS`] rows, each insert
//! adding to one drawn at random in the same statement, so concurrent writers to one survey
//! rarely wait for each other's commit. The check reads their sum before the insert, without
//! a lock, so writers racing at the very edge of a quota can pass it by at most as many
//! responses as are being written at that moment (the pool sizes of the instances together).
//!
//! Exports read through a connection of their own, in one `REPEATABLE READ` read-only
//! transaction, a batch of rows at a time from a portal (a cursor), so memory stays flat and a
//! long download never holds one of the pool's connections.
//!
//! All of this engine's SQL is in its `sql` module and [`MIGRATIONS`], and nowhere else. The table
//! `schema_version` counts the steps a database has had; opening it runs the rest, in one
//! transaction under an advisory lock, so instances starting together upgrade it once.

use super::copy::{CopiedDefinition, CopiedDraft, CopiedResponse, DefinitionsCopied, DraftsCopied, ResponsesCopied};
use super::{judge_repeat, new_identifiers, Engine, Existing, NewRow, Quota, Recorded, RowSender, Saved};
use super::{CompletionCount, ReachCount, ReachKey, Receipt, StoredResponse, REFERENCE_ATTEMPTS};
use super::{Draft, VersionEntry};
use crate::config::DatabaseUrl;
use crate::error::{Error, Result};
use crate::filter::ResultsFilter;
use crate::reference;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio_postgres::{IsolationLevel, NoTls, Row};

/// The rows each survey's usage is spread over (see the module docs).
pub const USAGE_SHARDS: i16 = 16;

/// Rows an export fetches from its portal at a time.
const EXPORT_BATCH: i32 = 256;

/// How long a request waits for a free connection before it fails (and the widget retries).
const POOL_WAIT: Duration = Duration::from_secs(30);

/// How long opening a new connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);


pub use schema::{migrate, MIGRATIONS};

mod schema;
mod sql;

/// The PostgreSQL engine. Cloning is cheap and shares the pool.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// For the exports' connections of their own.
    config: tokio_postgres::Config,
    described: String,
}

impl Postgres {
    /// Connects to the database `url` names, with a pool of at most `pool_size` connections,
    /// and brings its schema up to date. Errs in words if it cannot connect, if the database
    /// is not UTF-8, or if a newer release has upgraded it.
    pub async fn open(url: &DatabaseUrl, pool_size: usize) -> Result<Postgres> {
        let mut config = url.config().clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let manager =
            Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the connection pool: {e}")))?;
        let mut client = pool.get().await.map_err(|e| Error::Config {
            name: "DATABASE_URL",
            message: format!("cannot connect to {} ({e})", url.describe()),
        })?;
        check_server(&client).await?;
        migrate(&mut client, &MIGRATIONS).await?;
        Ok(Postgres { pool, config, described: format!("PostgreSQL {}", url.describe()) })
    }

    /// A connection from the pool.
    async fn client(&self) -> Result<Object> {
        Ok(self.pool.get().await?)
    }

    /// Copies definitions from another engine: a new (id, version) is inserted as it was;
    /// one already here is kept as it is here, and counted as the same or as differing.
    pub async fn copy_definitions(&self, definitions: &[CopiedDefinition]) -> Result<DefinitionsCopied> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let mut copied = DefinitionsCopied::default();
        for d in definitions {
            let version = i64::from(d.version);
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] = [&d.survey_id, &version, &d.source, &d.first_loaded_at];
            if tx.execute(sql::INSERT_DEFINITION_IF_NEW, &params).await? == 1 {
                copied.new += 1;
                continue;
            }
            let here: String = tx.query_one(sql::FIND_DEFINITION, &[&d.survey_id, &version]).await?.try_get(0)?;
            if here == d.source {
                copied.same += 1;
            } else {
                copied.differing.push(format!("{} version {}", d.survey_id, d.version));
            }
        }
        tx.commit().await?;
        Ok(copied)
    }

    /// Copies drafts from another engine: a survey without a draft here gets the copied one as
    /// it was; one with a draft keeps it, counted as the same or as differing.
    pub async fn copy_drafts(&self, drafts: &[CopiedDraft]) -> Result<DraftsCopied> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let mut copied = DraftsCopied::default();
        for d in drafts {
            if tx.execute(sql::COPY_DRAFT, &[&d.survey_id, &d.source, &d.updated_at]).await? == 1 {
                copied.new += 1;
                continue;
            }
            let here: String = tx.query_one(sql::FIND_DRAFT, &[&d.survey_id]).await?.try_get(0)?;
            if here == d.source {
                copied.same += 1;
            } else {
                copied.differing.push(d.survey_id.clone());
            }
        }
        tx.commit().await?;
        Ok(copied)
    }

    /// Copies responses from another engine in one transaction, each exactly as it was
    /// (reference, arrival time, order key and hash included), and counts the new ones in their
    /// surveys' usage. A submission already here with the same reference and payload is counted
    /// as the same; any other clash is a conflict, and what is here is kept.
    pub async fn copy_responses(&self, responses: &[CopiedResponse]) -> Result<ResponsesCopied> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let insert = tx.prepare(sql::COPY_RESPONSE).await?;
        let mut copied = ResponsesCopied::default();
        let mut usage: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for r in responses {
            let version = i64::from(r.survey_version);
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 8] = [
                &r.submission_id,
                &r.survey_id,
                &version,
                &r.reference,
                &r.received_at,
                &r.payload,
                &r.body_sha256,
                &r.order_key,
            ];
            if tx.query_opt(&insert, &params).await?.is_some() {
                copied.new += 1;
                let counted = usage.entry(&r.survey_id).or_default();
                counted.0 += 1;
                counted.1 += i64::try_from(r.payload.len()).unwrap_or(i64::MAX);
                continue;
            }
            let here = tx.query_opt(sql::FIND_COPIED_RESPONSE, &[&r.submission_id]).await?;
            let same = match here {
                Some(row) => row.try_get::<_, String>(0)? == r.reference && row.try_get::<_, String>(1)? == r.payload,
                // Its id is free, so its reference belongs to another submission.
                None => false,
            };
            if same {
                copied.same += 1;
            } else {
                copied.conflicting.push(r.submission_id.clone());
            }
        }
        for (survey_id, (rows, bytes)) in usage {
            tx.execute(sql::ADD_USAGE, &[&survey_id, &rows, &bytes]).await?;
        }
        tx.commit().await?;
        Ok(copied)
    }
}

#[async_trait::async_trait]
impl Engine for Postgres {
    async fn save(&self, row: NewRow<'_>, quota: Quota) -> Result<Saved> {
        let client = self.client().await?;
        let (existing, used_rows, used_bytes) = lookup(&client, &row).await?;
        if let Some(existing) = existing {
            return Ok(judge_repeat(existing, row.submission));
        }
        if !quota.admits(used_rows, used_bytes, row.bytes()) {
            return Ok(Saved::OverQuota);
        }
        let insert = client.prepare_cached(sql::INSERT_RESPONSE).await?;
        let version = i64::from(row.survey_version());
        let bytes = i64::try_from(row.bytes()).unwrap_or(i64::MAX);
        for _ in 0..REFERENCE_ATTEMPTS {
            let (reference, order_key) = new_identifiers()?;
            let shard = usage_shard()?;
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 10] = [
                &row.submission.payload.submission_id,
                &row.submission.payload.survey.id,
                &version,
                &reference,
                &row.received_at,
                &row.json,
                &row.submission.body_sha256,
                &order_key,
                &shard,
                &bytes,
            ];
            if client.query_opt(&insert, &params).await?.is_some() {
                return Ok(Saved::Created(Receipt { submission_id: row.submission_id().to_owned(), reference }));
            }
            // Nothing inserted: another request stored this submission first (this one waited
            // for it to commit), or the reference was taken; the first is a repeat.
            if let (Some(existing), _, _) = lookup(&client, &row).await? {
                return Ok(judge_repeat(existing, row.submission));
            }
        }
        Err(Error::Internal(format!("no free reference after {REFERENCE_ATTEMPTS} attempts")))
    }

    async fn create_session(&self, secret_hash: &str, expires_at: i64, now: i64) -> Result<()> {
        let client = self.client().await?;
        client.execute(sql::DELETE_EXPIRED_SESSIONS, &[&now]).await?;
        client.execute(sql::INSERT_SESSION, &[&secret_hash, &expires_at]).await?;
        Ok(())
    }

    async fn session_is_valid(&self, secret_hash: &str, now: i64) -> Result<bool> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql::FIND_SESSION).await?;
        Ok(client.query_opt(&statement, &[&secret_hash, &now]).await?.is_some())
    }

    async fn delete_session(&self, secret_hash: &str) -> Result<()> {
        self.client().await?.execute(sql::DELETE_SESSION, &[&secret_hash]).await?;
        Ok(())
    }

    fn read_responses(&self, survey_id: &str, filter: &ResultsFilter, rows: RowSender) {
        let (config, survey_id, filter) = (self.config.clone(), survey_id.to_owned(), filter.clone());
        tokio::spawn(async move {
            if let Err(e) = read_responses(&config, &survey_id, &filter, &rows).await {
                rows.send(Err(e)).await;
            }
        });
    }

    async fn response_count(&self, survey_id: &str) -> Result<u64> {
        let n: i64 = self.client().await?.query_one(sql::COUNT_RESPONSES, &[&survey_id]).await?.try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn response_channels(&self, survey_id: &str) -> Result<Vec<String>> {
        let rows = self.client().await?.query(sql::RESPONSE_CHANNELS, &[&survey_id]).await?;
        Ok(rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?)
    }

    async fn count_reach(&self, key: &ReachKey, count: u64) -> Result<()> {
        let (version, count) = (i64::from(key.version), i64::try_from(count).unwrap_or(i64::MAX));
        let shard = usage_shard()?;
        self.client()
            .await?
            .execute(
                sql::COUNT_REACH,
                &[&key.survey_id, &version, &key.channel, &key.day, &key.kind, &key.page, &shard, &count],
            )
            .await?;
        Ok(())
    }

    async fn reach_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<ReachCount>> {
        let (first, last) = filter.day_range();
        let rows = self.client().await?.query(sql::REACH_COUNTS, &[&survey_id, &filter.channel, &first, &last]).await?;
        rows.iter()
            .map(|r| {
                Ok(ReachCount {
                    channel: r.try_get(0)?,
                    day: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    page: r.try_get(3)?,
                    count: u64::try_from(r.try_get::<_, i64>(4)?).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn completion_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<CompletionCount>> {
        let (from, before) = filter.received_range();
        let rows = self.client().await?.query(sql::COMPLETION_COUNTS, &[&survey_id, &filter.channel, &from, &before]).await?;
        rows.iter()
            .map(|r| {
                Ok(CompletionCount {
                    channel: r.try_get(0)?,
                    day: r.try_get(1)?,
                    count: u64::try_from(r.try_get::<_, i64>(2)?).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn record_definition(&self, survey_id: &str, version: u32, source: &str, now: &str) -> Result<Recorded> {
        let version = i64::from(version);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Two instances starting at once: the second waits here for the first to commit.
        let recorded = if tx.execute(sql::INSERT_DEFINITION_IF_NEW, &[&survey_id, &version, &source, &now]).await? == 1 {
            Recorded::New
        } else {
            let stored: String = tx.query_one(sql::FIND_DEFINITION_FOR_UPDATE, &[&survey_id, &version]).await?.try_get(0)?;
            if stored == source {
                Recorded::Unchanged
            } else {
                tx.execute(sql::REPLACE_DEFINITION, &[&survey_id, &version, &source]).await?;
                Recorded::Replaced { previous: stored }
            }
        };
        tx.commit().await?;
        Ok(recorded)
    }

    async fn known_survey_ids(&self) -> Result<Vec<String>> {
        let rows = self.client().await?.query(sql::KNOWN_SURVEY_IDS, &[]).await?;
        Ok(rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?)
    }

    async fn stored_definitions(&self, survey_id: &str) -> Result<Vec<(u32, String)>> {
        let rows = self.client().await?.query(sql::DEFINITIONS_NEWEST_FIRST, &[&survey_id]).await?;
        rows.iter().map(|r| Ok((version(r, 0)?, r.try_get(1)?))).collect()
    }

    async fn definition(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql::FIND_DEFINITION).await?;
        let row = client.query_opt(&statement, &[&survey_id, &i64::from(version)]).await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    async fn first_loaded_at(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql::FIRST_LOADED_AT).await?;
        let row = client.query_opt(&statement, &[&survey_id, &i64::from(version)]).await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    async fn definition_versions(&self, survey_id: &str) -> Result<Vec<u32>> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql::DEFINITION_VERSIONS).await?;
        let rows = client.query(&statement, &[&survey_id]).await?;
        rows.iter().map(|r| version(r, 0)).collect()
    }

    async fn version_entries(&self, survey_id: &str) -> Result<Vec<VersionEntry>> {
        let rows = self.client().await?.query(sql::VERSION_ENTRIES, &[&survey_id]).await?;
        rows.iter().map(|r| Ok(VersionEntry { version: version(r, 0)?, first_loaded_at: r.try_get(1)? })).collect()
    }

    async fn latest_definitions(&self) -> Result<Vec<(String, u32, String)>> {
        let rows = self.client().await?.query(sql::LATEST_DEFINITIONS, &[]).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, version(r, 1)?, r.try_get(2)?))).collect()
    }

    async fn insert_definition(&self, survey_id: &str, version: u32, source: &str, now: &str) -> Result<bool> {
        let version = i64::from(version);
        let client = self.client().await?;
        // A concurrent insert of the same (id, version) makes this one wait for its commit,
        // then insert nothing.
        Ok(client.execute(sql::INSERT_DEFINITION_IF_NEW, &[&survey_id, &version, &source, &now]).await? == 1)
    }

    async fn catalog_marker(&self) -> Result<i64> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql::CATALOG_MARKER).await?;
        Ok(client.query_one(&statement, &[]).await?.try_get(0)?)
    }

    async fn save_draft(&self, survey_id: &str, source: &str, now: &str) -> Result<()> {
        self.client().await?.execute(sql::SAVE_DRAFT, &[&survey_id, &source, &now]).await?;
        Ok(())
    }

    async fn replace_draft(&self, survey_id: &str, expected: Option<&str>, source: &str, now: &str) -> Result<bool> {
        let client = self.client().await?;
        let written = match expected {
            None => client.execute(sql::INSERT_DRAFT_IF_NONE, &[&survey_id, &source, &now]).await?,
            Some(old) => client.execute(sql::REPLACE_DRAFT_IF, &[&survey_id, &source, &now, &old]).await?,
        };
        Ok(written == 1)
    }

    async fn draft(&self, survey_id: &str) -> Result<Option<Draft>> {
        let row = self.client().await?.query_opt(sql::FIND_DRAFT, &[&survey_id]).await?;
        row.map(|r| Ok(Draft { source: r.try_get(0)?, updated_at: r.try_get(1)? })).transpose()
    }

    async fn delete_draft_if(&self, survey_id: &str, source: &str) -> Result<bool> {
        Ok(self.client().await?.execute(sql::DELETE_DRAFT_IF, &[&survey_id, &source]).await? > 0)
    }

    async fn drafts(&self) -> Result<Vec<(String, String)>> {
        let rows = self.client().await?.query(sql::DRAFTS, &[]).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    async fn find(&self, submission_id: &str) -> Result<Option<Existing>> {
        let row = self.client().await?.query_opt(sql::FIND_RESPONSE, &[&submission_id]).await?;
        row.map(|r| Ok(Existing { reference: r.try_get(0)?, payload: r.try_get(1)?, body_sha256: r.try_get(2)? }))
            .transpose()
    }

    async fn ping(&self) -> Result<()> {
        self.client().await?.simple_query("SELECT 1").await?;
        Ok(())
    }

    fn describe(&self) -> String {
        self.described.clone()
    }
}


/// Refuses a database whose text is not UTF-8 (payloads are counted in UTF-8 bytes, and any
/// language must fit), and warns if commits are not waited for.
async fn check_server(client: &tokio_postgres::Client) -> Result<()> {
    let encoding = show(client, "server_encoding").await?;
    if !encoding.eq_ignore_ascii_case("UTF8") {
        return Err(Error::Config {
            name: "DATABASE_URL",
            message: format!("the database's encoding is {encoding}; create it with ENCODING 'UTF8'"),
        });
    }
    if show(client, "synchronous_commit").await?.eq_ignore_ascii_case("off") {
        tracing::warn!(
            "synchronous_commit is off for this database: an acknowledged response can be lost if PostgreSQL \
             crashes. Set it to on (the default) for the collector's user or database."
        );
    }
    Ok(())
}

/// A server setting's value.
async fn show(client: &tokio_postgres::Client, setting: &str) -> Result<String> {
    let row = client.query_one("SELECT current_setting($1)", &[&setting]).await?;
    Ok(row.try_get(0)?)
}

/// The stored response under the new row's id, if any, and its survey's usage (rows, bytes).
async fn lookup(client: &Object, row: &NewRow<'_>) -> Result<(Option<Existing>, u64, u64)> {
    let statement = client.prepare_cached(sql::LOOKUP).await?;
    let found = client.query_one(&statement, &[&row.submission_id(), &row.survey_id()]).await?;
    let existing = match found.try_get::<_, Option<String>>(0)? {
        Some(reference) => Some(Existing { reference, payload: found.try_get(1)?, body_sha256: found.try_get(2)? }),
        None => None,
    };
    let used = |i| found.try_get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
    Ok((existing, used(3)?, used(4)?))
}

/// A usage shard drawn at random.
fn usage_shard() -> Result<i16> {
    let [byte] = reference::random_bytes::<1>()?;
    Ok(i16::from(byte) % USAGE_SHARDS)
}

/// A survey version stored as BIGINT.
fn version(row: &Row, index: usize) -> Result<u32> {
    let stored: i64 = row.try_get(index)?;
    u32::try_from(stored).map_err(|_| Error::Internal(format!("stored survey version {stored} is out of range")))
}

/// Sends every response to `survey_id` that `filter` lets through in export order, a batch at a
/// time from a portal, over a connection of its own, until the receiver goes away.
async fn read_responses(config: &tokio_postgres::Config, survey_id: &str, filter: &ResultsFilter, rows: &RowSender) -> Result<()> {
    let (mut client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "export connection ended");
        }
    });
    let tx = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
    let (from, before) = filter.received_range();
    let portal = tx.bind(sql::RESPONSES_IN_ORDER, &[&survey_id, &filter.channel, &from, &before]).await?;
    loop {
        let batch = tx.query_portal(&portal, EXPORT_BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            let response = StoredResponse {
                submission_id: row.try_get(0)?,
                reference: row.try_get(1)?,
                received_at: row.try_get(2)?,
                payload: row.try_get(3)?,
            };
            if !rows.send(Ok(response)).await {
                return Ok(());
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
