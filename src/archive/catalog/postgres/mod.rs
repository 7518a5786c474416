//! The shared catalogue, in PostgreSQL: many machines add and search at once.
//!
//! Japanese search: every page keeps the set of its texts' characters and character pairs
//! (`page.grams`, folded to ASCII lower case) under a GIN index. A query of one character
//! looks the character up; a longer query looks up all its pairs, so 港, 公約 and
//! グランパス all use the index whatever the database's locale (pg_trgm's trigrams miss one-
//! and two-character words, and in the C locale it sees no Japanese letters at all; see
//! ARCHITECTURE.md). The pages found are then read field by field for the query itself.
//!
//! Versions: an add claims the version it will write in `claim`, under a transaction-level
//! advisory lock on its issue (adds of one issue take turns; of different issues, not), and
//! holds a session-level advisory lock on its claim while it writes. When its process stops
//! its connection closes and the lock goes with it: a claim whose lock can be taken is stale.

mod copy;
mod grams;
mod search;

use std::time::Duration;

use postgres::{Client, NoTls, Transaction};

use grams::{folded_if_changed, indexed_grams};

use super::{Catalog, Claim, Filter, Hit, Listed, Municipality, PackageRecord, Recorded, Ticket};
use crate::archive::error::ArchiveError;
use crate::archive::fields::PageFields;
use crate::archive::store::PackageId;

/// The schema's version, in `koho_schema`: a catalogue of another version is made anew.
const SCHEMA_VERSION: i32 = 3;

/// How long connecting may take before the database counts as down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one statement may run before it is given up (a database that stops answering is
/// an error, not a hang).
const STATEMENT_TIMEOUT: &str = "60s";

/// The first key of the advisory locks on claims (the second is the claim's token).
const CLAIM_LOCKS: i32 = 0x6b6f_686f; // "koho"

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS koho_schema (version integer NOT NULL);
-- The store whose packages this catalogue records (one row): a catalogue is never paired
-- with another store's packages by mistake.
CREATE TABLE IF NOT EXISTS koho_store (location text NOT NULL);
CREATE TABLE IF NOT EXISTS package (
    id                bigserial PRIMARY KEY,
    shelf             text NOT NULL,
    issue             text NOT NULL,
    version           integer NOT NULL,
    magazine          text NOT NULL,
    municipality_code text,
    municipality_name text,
    issue_date        text NOT NULL,
    number            integer,
    added             text NOT NULL,
    manifest_sha256   text NOT NULL,
    newest            boolean NOT NULL DEFAULT true,
    UNIQUE (shelf, issue, version)
);
CREATE INDEX IF NOT EXISTS package_newest_by_date
    ON package (issue_date DESC, issue DESC) WHERE newest;
CREATE INDEX IF NOT EXISTS package_by_magazine ON package (magazine);
CREATE INDEX IF NOT EXISTS package_by_municipality ON package (municipality_code);
CREATE INDEX IF NOT EXISTS package_by_municipality_name ON package (municipality_name);
CREATE TABLE IF NOT EXISTS page (
    id      bigserial PRIMARY KEY,
    package bigint NOT NULL REFERENCES package(id) ON DELETE CASCADE,
    folio   integer NOT NULL,
    file    text NOT NULL,
    layout  text NOT NULL,
    title   text NOT NULL,
    -- Every character and pair of characters of the page's texts, ASCII folded to lower case.
    grams   text[] NOT NULL,
    -- The package's, kept beside the grams so that a search can take the newest issues'
    -- pages first from two indexes at once (DESIGN §12, ARCHITECTURE.md).
    issue_date text NOT NULL,
    newest     boolean NOT NULL DEFAULT true
);
CREATE INDEX IF NOT EXISTS page_newest_by_date ON page (issue_date) WHERE newest;
CREATE INDEX IF NOT EXISTS page_by_package ON page (package);
CREATE INDEX IF NOT EXISTS page_grams ON page USING gin (grams);
CREATE TABLE IF NOT EXISTS field (
    id       bigserial PRIMARY KEY,
    page     bigint NOT NULL REFERENCES page(id) ON DELETE CASCADE,
    path     text NOT NULL,
    type     text NOT NULL,
    text     text,
    -- The text ASCII folded to lower case, when that differs from it.
    folded   text,
    value    text,
    figure   text,
    words_ja text,
    words_en text
);
CREATE INDEX IF NOT EXISTS field_by_page ON field (page);
-- Versions being written now: one row per add at work.
CREATE TABLE IF NOT EXISTS claim (
    shelf           text NOT NULL,
    issue           text NOT NULL,
    version         integer NOT NULL,
    manifest_sha256 text NOT NULL,
    token           serial UNIQUE,
    claimed         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shelf, issue, version)
);
";

/// The tables of every schema version, dropped when the catalogue is made anew.
const TABLES: &str =
    "DROP TABLE IF EXISTS field, page, package, claim, koho_schema, koho_store CASCADE";

/// A connection to the shared catalogue.
pub struct PgCatalog {
    client: Client,
    shown: String,
    emptied: bool,
    /// Tokens of the claims this connection holds.
    held: Vec<i32>,
}

/// `url` with its password hidden, to be shown.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// A database error with where the catalogue is, in the server's own words (its SQLSTATE
/// and message, not the driver's bare "db error").
fn catalog_error(at: impl Into<String>) -> impl FnOnce(postgres::Error) -> ArchiveError {
    let at = at.into();
    move |e| ArchiveError::Catalog {
        at,
        reason: reason_of(&e),
    }
}

/// The server's words for an error, or the driver's when the server said none.
fn reason_of(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// A session with the server at `url`, given up on after [`CONNECT_TIMEOUT`] when nothing
/// answers.
fn connect_raw(url: &str) -> Result<Client, postgres::Error> {
    let mut config: postgres::Config = url.parse()?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config.keepalives(true);
    config.application_name("koho");
    config.connect(NoTls)
}

impl PgCatalog {
    /// Connects to the catalogue at `url` (`postgres://user@host:port/database`), making its
    /// tables when there are none.
    pub fn connect(url: &str) -> Result<Self, ArchiveError> {
        let shown = without_password(url);
        let client = connect_raw(url).map_err(catalog_error(shown.clone()))?;
        let mut catalog = PgCatalog {
            client,
            shown,
            emptied: false,
            held: Vec::new(),
        };
        catalog
            .prepare()
            .map_err(catalog_error(catalog.shown.clone()))?;
        Ok(catalog)
    }

    fn prepare(&mut self) -> Result<(), postgres::Error> {
        self.client.batch_execute(&format!(
            "SET statement_timeout = '{STATEMENT_TIMEOUT}'; SET client_min_messages = warning;"
        ))?;
        let mut tx = self.client.transaction()?;
        // One koho at a time makes the tables.
        tx.execute("SELECT pg_advisory_xact_lock($1::int, 0)", &[&CLAIM_LOCKS])?;
        let version: Option<i32> = tx
            .query_opt("SELECT to_regclass('koho_schema')::text", &[])?
            .and_then(|row| row.get::<_, Option<String>>(0))
            .map(|_| tx.query_opt("SELECT version FROM koho_schema", &[]))
            .transpose()?
            .flatten()
            .map(|row| row.get(0));
        if version.is_some_and(|v| v != SCHEMA_VERSION) {
            tx.batch_execute(TABLES)?;
        }
        tx.batch_execute(SCHEMA)?;
        if version != Some(SCHEMA_VERSION) {
            // Made new (a database lost and given back empty, or an older schema): the
            // packages in the store are the record, and the catalogue is rebuilt from them.
            self.emptied = true;
            tx.execute("DELETE FROM koho_schema", &[])?;
            tx.execute("INSERT INTO koho_schema VALUES ($1)", &[&SCHEMA_VERSION])?;
        }
        tx.commit()
    }

    fn error(&self) -> impl FnOnce(postgres::Error) -> ArchiveError + use<> {
        catalog_error(self.shown.clone())
    }

    /// Makes the catalogue empty of every record and claim (for a fresh test database).
    pub fn clear(&mut self) -> Result<(), ArchiveError> {
        self.client
            .batch_execute("TRUNCATE field, page, package, claim")
            .map_err(self.error())
    }

    /// A new, empty database on the server `admin_url` reaches (whose role may create
    /// databases), named after `label` and this process, for a test run or a bench: its
    /// address. [`drop_scratch`] removes it.
    pub fn scratch(admin_url: &str, label: &str) -> Result<String, ArchiveError> {
        static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name: String = format!("koho_{label}_{}_{n}", std::process::id())
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let shown = without_password(admin_url);
        let mut admin = connect_raw(admin_url).map_err(catalog_error(shown.clone()))?;
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .map_err(catalog_error(shown.clone()))?;
        // A statement of its own: a database is never made inside a transaction.
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(catalog_error(shown))?;
        let base = admin_url.split('?').next().unwrap_or(admin_url);
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        Ok(format!("{server}/{name}"))
    }

    /// How many fields the catalogue holds.
    pub fn field_count(&mut self) -> Result<u64, ArchiveError> {
        let error = self.error();
        let row = self
            .client
            .query_one("SELECT count(*) FROM field", &[])
            .map_err(error)?;
        Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
    }

    fn list_raw(&mut self, filter: &Filter) -> Result<Vec<Listed>, postgres::Error> {
        let rows = self.client.query(
            "SELECT shelf, issue, version, magazine, municipality_code, municipality_name,
                    issue_date, number, added, manifest_sha256,
                    (SELECT count(*) FROM page WHERE page.package = package.id)
             FROM package
             WHERE ($1::text IS NULL OR magazine = $1)
               AND ($2::text IS NULL OR municipality_code = $2 OR municipality_name = $2)
             ORDER BY issue_date, issue, version",
            &[&filter.magazine, &filter.municipality],
        )?;
        Ok(rows
            .iter()
            .map(|row| Listed {
                record: record_of(row),
                pages: u32::try_from(row.get::<_, i64>(10)).unwrap_or(u32::MAX),
            })
            .collect())
    }

    fn claim_raw(&mut self, id: &PackageId, manifest: &str) -> Result<Claim, postgres::Error> {
        let version = i32::try_from(id.version).unwrap_or(i32::MAX);
        let held = self.held.clone();
        let mut tx = self.client.transaction()?;
        lock_issue(&mut tx, id)?;
        let recorded = tx
            .query_opt(
                "SELECT 1 FROM package WHERE shelf = $1 AND issue = $2 AND version = $3",
                &[&id.shelf, &id.issue, &version],
            )?
            .is_some();
        if recorded {
            tx.commit()?;
            return Ok(Claim::Taken);
        }
        let existing = tx.query_opt(
            "SELECT token FROM claim WHERE shelf = $1 AND issue = $2 AND version = $3",
            &[&id.shelf, &id.issue, &version],
        )?;
        if let Some(row) = existing {
            let token: i32 = row.get(0);
            if is_live(&mut tx, &held, token)? {
                tx.commit()?;
                return Ok(Claim::Busy);
            }
            // Its add has stopped: the claim is this one's now.
            tx.execute("DELETE FROM claim WHERE token = $1", &[&token])?;
        }
        let token: i32 = tx
            .query_one(
                "INSERT INTO claim (shelf, issue, version, manifest_sha256)
                 VALUES ($1, $2, $3, $4) RETURNING token",
                &[&id.shelf, &id.issue, &version, &manifest],
            )?
            .get(0);
        // Session-level: held past the commit, until recorded, released or disconnected.
        tx.execute("SELECT pg_advisory_lock($1, $2)", &[&CLAIM_LOCKS, &token])?;
        tx.commit()?;
        self.held.push(token);
        Ok(Claim::Granted(Ticket {
            id: id.clone(),
            token: i64::from(token),
        }))
    }

    fn let_go(&mut self, token: i32) -> Result<(), postgres::Error> {
        if let Some(at) = self.held.iter().position(|t| *t == token) {
            self.held.remove(at);
            self.client
                .execute("SELECT pg_advisory_unlock($1, $2)", &[&CLAIM_LOCKS, &token])?;
        }
        Ok(())
    }

    fn record_raw(
        &mut self,
        record: &PackageRecord,
        pages: &[PageFields],
    ) -> Result<Recorded, postgres::Error> {
        let id = PackageId::new(&record.shelf, &record.issue, record.version);
        let version = i32::try_from(record.version).unwrap_or(i32::MAX);
        let mut tx = self.client.transaction()?;
        lock_issue(&mut tx, &id)?;
        let claim: Option<i32> = tx
            .query_opt(
                "DELETE FROM claim WHERE shelf = $1 AND issue = $2 AND version = $3
                 RETURNING token",
                &[&id.shelf, &id.issue, &version],
            )?
            .map(|row| row.get(0));
        let already = tx
            .query_opt(
                "SELECT 1 FROM package WHERE shelf = $1 AND issue = $2 AND version = $3",
                &[&id.shelf, &id.issue, &version],
            )?
            .is_some();
        if !already {
            insert(&mut tx, record, pages)?;
        }
        tx.commit()?;
        if let Some(token) = claim {
            self.let_go(token)?;
        }
        Ok(if already {
            Recorded::Already
        } else {
            Recorded::Now
        })
    }

    fn rebuild_raw(
        &mut self,
        packages: &mut dyn Iterator<Item = (PackageRecord, Vec<PageFields>)>,
    ) -> Result<u64, copy::CopyError> {
        let mut tx = self.client.transaction()?;
        // A rebuild of a large archive takes minutes: no statement limit for it. Adds wait
        // for it (EXCLUSIVE lets readers on); readers go on seeing the old catalogue until it
        // commits.
        tx.batch_execute(
            "SET LOCAL statement_timeout = 0;
             LOCK TABLE package, page, field IN EXCLUSIVE MODE;
             DELETE FROM package;",
        )?;
        let mut fields = 0u64;
        let mut batch = Vec::with_capacity(copy::BATCH);
        loop {
            let next = packages.next();
            let done = next.is_none();
            batch.extend(next);
            if batch.len() == copy::BATCH || (done && !batch.is_empty()) {
                fields += copy::send(&mut tx, &batch)?;
                batch.clear();
            }
            if done {
                break;
            }
        }
        // Which version of each issue is the newest, for all at once.
        tx.batch_execute(
            "UPDATE package SET newest = (package.version = newest.version)
             FROM (SELECT shelf, issue, max(version) AS version FROM package GROUP BY shelf, issue)
                  AS newest
             WHERE package.shelf = newest.shelf AND package.issue = newest.issue;
             UPDATE page SET newest = false FROM package
             WHERE page.package = package.id AND NOT package.newest;
             ANALYZE package; ANALYZE page; ANALYZE field;",
        )?;
        tx.commit()?;
        Ok(fields)
    }
}

/// Whether the add holding claim `token` is still at work: this connection holds it, or
/// another session still holds its advisory lock (a stopped add's session, and lock, are gone).
fn is_live(tx: &mut Transaction<'_>, held: &[i32], token: i32) -> Result<bool, postgres::Error> {
    if held.contains(&token) {
        return Ok(true);
    }
    let free: bool = tx
        .query_one(
            "SELECT pg_try_advisory_lock($1, $2)",
            &[&CLAIM_LOCKS, &token],
        )?
        .get(0);
    if free {
        tx.execute("SELECT pg_advisory_unlock($1, $2)", &[&CLAIM_LOCKS, &token])?;
    }
    Ok(!free)
}

/// Adds of one issue take turns: a lock on the issue for the rest of the transaction.
fn lock_issue(tx: &mut Transaction<'_>, id: &PackageId) -> Result<(), postgres::Error> {
    let key = format!("{}/{}", id.shelf, id.issue);
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&key],
    )?;
    Ok(())
}

fn record_of(row: &postgres::Row) -> PackageRecord {
    let municipality = match (row.get::<_, Option<String>>(4), row.get(5)) {
        (Some(code), Some(name)) => Some(Municipality { code, name }),
        _ => None,
    };
    PackageRecord {
        shelf: row.get(0),
        issue: row.get(1),
        version: u32::try_from(row.get::<_, i32>(2)).unwrap_or(0),
        magazine: row.get(3),
        municipality,
        issue_date: row.get(6),
        number: row
            .get::<_, Option<i32>>(7)
            .and_then(|n| u32::try_from(n).ok()),
        added: row.get(8),
        manifest_sha256: row.get(9),
    }
}

/// Records a package, its pages and their fields inside `tx`, and marks which version of
/// its issue is the newest.
fn insert(
    tx: &mut Transaction<'_>,
    record: &PackageRecord,
    pages: &[PageFields],
) -> Result<(), postgres::Error> {
    let version = i32::try_from(record.version).unwrap_or(i32::MAX);
    let number = record.number.and_then(|n| i32::try_from(n).ok());
    let package: i64 = tx
        .query_one(
            "INSERT INTO package (shelf, issue, version, magazine, municipality_code,
                                  municipality_name, issue_date, number, added, manifest_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &record.shelf,
                &record.issue,
                &version,
                &record.magazine,
                &record.municipality.as_ref().map(|m| m.code.as_str()),
                &record.municipality.as_ref().map(|m| m.name.as_str()),
                &record.issue_date,
                &number,
                &record.added,
                &record.manifest_sha256,
            ],
        )?
        .get(0);
    tx.execute(
        "UPDATE package SET newest = (version = (SELECT max(p.version) FROM package p
                                                 WHERE p.shelf = $1 AND p.issue = $2))
         WHERE shelf = $1 AND issue = $2",
        &[&record.shelf, &record.issue],
    )?;
    let add_page = tx.prepare(
        "INSERT INTO page (package, folio, file, layout, title, grams, issue_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )?;
    let add_field = tx.prepare(
        "INSERT INTO field (page, path, type, text, folded, value, figure, words_ja, words_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )?;
    for page in pages {
        let texts = page.texts();
        let folio = i32::try_from(page.folio).unwrap_or(i32::MAX);
        let page_id: i64 = tx
            .query_one(
                &add_page,
                &[
                    &package,
                    &folio,
                    &page.file,
                    &page.layout,
                    &page.title,
                    &indexed_grams(&texts, &record.issue_date),
                    &record.issue_date,
                ],
            )?
            .get(0);
        for field in &page.fields {
            let folded_text = folded_if_changed(field.text.as_deref());
            tx.execute(
                &add_field,
                &[
                    &page_id,
                    &field.field,
                    &field.ty,
                    &field.text,
                    &folded_text,
                    &field.value,
                    &field.figure,
                    &field.words.as_ref().map(|w| w.ja.as_str()),
                    &field.words.as_ref().map(|w| w.en.as_str()),
                ],
            )?;
        }
    }
    // The older versions' pages step back from searches.
    tx.execute(
        "UPDATE page SET newest = package.newest FROM package
         WHERE page.package = package.id AND package.shelf = $1 AND package.issue = $2
           AND page.newest <> package.newest",
        &[&record.shelf, &record.issue],
    )?;
    Ok(())
}

impl Catalog for PgCatalog {
    fn location(&self) -> String {
        self.shown.clone()
    }

    fn needs_rebuild(&self) -> bool {
        self.emptied
    }

    fn list(&mut self, filter: &Filter) -> Result<Vec<Listed>, ArchiveError> {
        let error = self.error();
        self.list_raw(filter).map_err(error)
    }

    fn indexed_store(&mut self) -> Result<Option<String>, ArchiveError> {
        let error = self.error();
        let row = self
            .client
            .query_opt("SELECT location FROM koho_store LIMIT 1", &[])
            .map_err(error)?;
        Ok(row.map(|row| row.get(0)))
    }

    fn set_indexed_store(&mut self, location: &str) -> Result<(), ArchiveError> {
        let error = self.error();
        (|| {
            let mut tx = self.client.transaction()?;
            tx.execute("DELETE FROM koho_store", &[])?;
            tx.execute("INSERT INTO koho_store VALUES ($1)", &[&location])?;
            tx.commit()
        })()
        .map_err(error)
    }

    fn search(
        &mut self,
        query: &str,
        filter: &Filter,
        limit: usize,
    ) -> Result<Vec<Hit>, ArchiveError> {
        let error = self.error();
        search::search(&mut self.client, query, filter, limit).map_err(error)
    }

    fn claim(&mut self, id: &PackageId, manifest_sha256: &str) -> Result<Claim, ArchiveError> {
        let error = self.error();
        self.claim_raw(id, manifest_sha256).map_err(error)
    }

    fn release(&mut self, ticket: Ticket) -> Result<(), ArchiveError> {
        let error = self.error();
        let token = i32::try_from(ticket.token).unwrap_or(0);
        (|| {
            self.client
                .execute("DELETE FROM claim WHERE token = $1", &[&token])?;
            self.let_go(token)
        })()
        .map_err(error)
    }

    fn is_being_written(&mut self, id: &PackageId) -> Result<bool, ArchiveError> {
        let error = self.error();
        let version = i32::try_from(id.version).unwrap_or(i32::MAX);
        let held = self.held.clone();
        let shown = self.shown.clone();
        let mut tx = self.client.transaction().map_err(error)?;
        let error = catalog_error(shown.clone());
        let answer = (|| -> Result<bool, postgres::Error> {
            lock_issue(&mut tx, id)?;
            let Some(row) = tx.query_opt(
                "SELECT token FROM claim WHERE shelf = $1 AND issue = $2 AND version = $3",
                &[&id.shelf, &id.issue, &version],
            )?
            else {
                return Ok(false);
            };
            is_live(&mut tx, &held, row.get(0))
        })()
        .map_err(error)?;
        tx.commit().map_err(catalog_error(shown))?;
        Ok(answer)
    }

    fn record(
        &mut self,
        record: &PackageRecord,
        pages: &[PageFields],
    ) -> Result<Recorded, ArchiveError> {
        let error = self.error();
        self.record_raw(record, pages).map_err(error)
    }

    fn rebuild(
        &mut self,
        packages: &mut dyn Iterator<Item = (PackageRecord, Vec<PageFields>)>,
    ) -> Result<u64, ArchiveError> {
        let shown = self.shown.clone();
        let fields = self
            .rebuild_raw(packages)
            .map_err(|e| ArchiveError::Catalog {
                at: shown,
                reason: match e {
                    copy::CopyError::Db(e) => reason_of(&e),
                    other => other.to_string(),
                },
            })?;
        self.emptied = false;
        Ok(fields)
    }
}

/// Removes a database [`PgCatalog::scratch`] made (its sessions closed first).
pub fn drop_scratch(admin_url: &str, url: &str) -> Result<(), ArchiveError> {
    let name = url.rsplit('/').next().unwrap_or_default();
    if !name.starts_with("koho_") {
        return Ok(()); // only what scratch made
    }
    let shown = without_password(admin_url);
    let mut admin = connect_raw(admin_url).map_err(catalog_error(shown.clone()))?;
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .map_err(catalog_error(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database of its own for one test, dropped after it.
    struct Scratch {
        admin: String,
        url: String,
    }

    impl Scratch {
        fn new(admin: &str, label: &str) -> Self {
            Scratch {
                url: PgCatalog::scratch(admin, label).unwrap(),
                admin: admin.to_owned(),
            }
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = drop_scratch(&self.admin, &self.url);
        }
    }

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            without_password("postgres://koho:secret@127.0.0.1:5432/archive"),
            "postgres://koho:***@127.0.0.1:5432/archive"
        );
        assert_eq!(
            without_password("postgres://koho@127.0.0.1/archive"),
            "postgres://koho@127.0.0.1/archive"
        );
    }

    /// The shared catalogue keeps what every catalogue promises, against the PostgreSQL of
    /// `KOHO_TEST_CATALOG` (`tools/archive-servers start` prints it; `.ci/run` sets it and
    /// `KOHO_REQUIRE_SHARED=1`, so that CI cannot skip this).
    #[test]
    fn the_shared_catalogue_keeps_the_catalogue_contract() {
        let Some(url) = crate::archive::catalog::contract::shared_catalog_url() else {
            return;
        };
        super::super::contract::run(&mut || {
            let scratch = Scratch::new(&url, "contract");
            (
                Box::new(PgCatalog::connect(&scratch.url).unwrap()) as Box<dyn Catalog>,
                Box::new(scratch) as Box<dyn std::any::Any>,
            )
        });
    }

    #[test]
    fn an_add_still_at_work_keeps_its_claim_and_a_stopped_one_loses_it() {
        let Some(url) = crate::archive::catalog::contract::shared_catalog_url() else {
            return;
        };
        let scratch = Scratch::new(&url, "claims");
        let mut first = PgCatalog::connect(&scratch.url).unwrap();
        let mut second = PgCatalog::connect(&scratch.url).unwrap();
        let id = PackageId::new("012131-広報とまこまい", "2026-06", 1);
        let Claim::Granted(_ticket) = first.claim(&id, &"a".repeat(64)).unwrap() else {
            panic!("the first add gets the version");
        };
        assert!(matches!(
            second.claim(&id, &"a".repeat(64)).unwrap(),
            Claim::Busy
        ));
        assert!(second.is_being_written(&id).unwrap());
        // The first add's process stops: its connection closes, and its claim is stale.
        drop(first);
        let mut waited = 0;
        while second.is_being_written(&id).unwrap() {
            std::thread::sleep(Duration::from_millis(50));
            waited += 1;
            assert!(waited < 100, "the server lets a closed session's locks go");
        }
        assert!(matches!(
            second.claim(&id, &"a".repeat(64)).unwrap(),
            Claim::Granted(_)
        ));
    }

    #[test]
    fn the_catalogue_keeps_which_store_it_records_and_a_new_schema_forgets_it() {
        let Some(url) = crate::archive::catalog::contract::shared_catalog_url() else {
            return;
        };
        let scratch = Scratch::new(&url, "store");
        let mut catalog = PgCatalog::connect(&scratch.url).unwrap();
        assert_eq!(catalog.indexed_store().unwrap(), None);
        catalog.set_indexed_store("s3://koho/a").unwrap();
        catalog.set_indexed_store("s3://koho/b").unwrap();
        let mut again = PgCatalog::connect(&scratch.url).unwrap();
        assert_eq!(
            again.indexed_store().unwrap().as_deref(),
            Some("s3://koho/b")
        );
        // An older schema is dropped whole: the store it noted goes with it.
        again
            .client
            .batch_execute("UPDATE koho_schema SET version = 2")
            .unwrap();
        let mut made_anew = PgCatalog::connect(&scratch.url).unwrap();
        assert!(made_anew.needs_rebuild());
        assert_eq!(made_anew.indexed_store().unwrap(), None);
    }

    #[test]
    fn a_database_that_is_down_is_a_clear_error() {
        // A port nothing listens on (the discard port, refused on loopback).
        let Err(error) = PgCatalog::connect("postgres://koho@127.0.0.1:9/archive") else {
            panic!("nothing answers there");
        };
        let told = error.message(crate::diag::Lang::Ja);
        assert!(
            told.contains("postgres://koho@127.0.0.1:9/archive"),
            "{told}"
        );
    }
}
