//! The embedded catalogue, `catalog.sqlite` beside a folder archive's packages.
//!
//! Japanese has no spaces between words, so the index is FTS5's trigram tokenizer: any query of
//! three characters or more is found inside longer text. Shorter queries (公約, 港) cannot use
//! trigrams: they look only at the packages holding every character of the query
//! (`package_char`), scan each page's texts as one (`page_texts`), and only then the fields of
//! the pages that hold the query.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{
    Catalog, Claim, Filter, Hit, Listed, Municipality, PackageRecord, Recorded, Ticket, snippet,
};
use crate::archive::error::{ArchiveError, catalog as catalog_error};
use crate::archive::fields::PageFields;
use crate::archive::store::PackageId;
use crate::schema::Words;

/// The catalogue's schema version (SQLite's `user_version`): 3 added the shelf and the
/// municipality.
const SCHEMA_VERSION: i64 = 3;

/// The tables of every schema version so far, dropped when an older catalogue is rebuilt.
const TABLES: &[&str] = &[
    "field_text",
    "field",
    "page_texts",
    "page",
    "package_char",
    "package",
];

/// The fewest characters the trigram index can look up.
const TRIGRAM: usize = 3;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS package (
    id              INTEGER PRIMARY KEY,
    shelf           TEXT NOT NULL,
    issue           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    magazine        TEXT NOT NULL,
    municipality_code TEXT,
    municipality_name TEXT,
    issue_date      TEXT NOT NULL,
    number          INTEGER,
    added           TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    newest          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (shelf, issue, version)
);
CREATE INDEX IF NOT EXISTS package_newest_by_date ON package(newest, issue_date, issue);
CREATE TABLE IF NOT EXISTS page (
    id      INTEGER PRIMARY KEY,
    package INTEGER NOT NULL REFERENCES package(id),
    folio   INTEGER NOT NULL,
    file    TEXT NOT NULL,
    layout  TEXT NOT NULL,
    title   TEXT NOT NULL
);
-- Every text of a page, one a line: a short query scans these few long texts first.
CREATE TABLE IF NOT EXISTS page_texts (
    page  INTEGER PRIMARY KEY REFERENCES page(id),
    texts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS field (
    id      INTEGER PRIMARY KEY,
    page    INTEGER NOT NULL REFERENCES page(id),
    path    TEXT NOT NULL,
    -- The schema type of the value (text, percent, date…).
    type    TEXT NOT NULL,
    -- The text of a text field: what search looks in.
    text    TEXT,
    -- Any other value, as printed (95%, 2026-06-01).
    value   TEXT,
    -- For a text, the printed figure of its block (an item's label: the item's 95%).
    figure  TEXT,
    -- The field in the editors' words when the package was made (ビジョン02 › 項目5 › 見出し).
    words_ja TEXT,
    words_en TEXT
);
CREATE INDEX IF NOT EXISTS field_by_page ON field(page);
CREATE INDEX IF NOT EXISTS page_by_package ON page(package);
CREATE TABLE IF NOT EXISTS package_char (
    ch      TEXT NOT NULL,
    package INTEGER NOT NULL REFERENCES package(id),
    PRIMARY KEY (ch, package)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS field_text
    USING fts5(text, content = 'field', content_rowid = 'id', tokenize = 'trigram');
";

/// An open catalogue file.
pub struct SqliteCatalog {
    conn: Connection,
    path: PathBuf,
    emptied: bool,
}

/// The columns of a package row that make its [`PackageRecord`], in order.
const RECORD_COLUMNS: &str = "package.shelf, package.issue, package.version, package.magazine,
    package.municipality_code, package.municipality_name, package.issue_date, package.number,
    package.added, package.manifest_sha256";

/// The filter's conditions on `package`, by the parameters `?5` (magazine) and `?6`
/// (municipality code or name).
const FILTERED: &str = "(?5 IS NULL OR package.magazine = ?5)
    AND (?6 IS NULL OR package.municipality_code = ?6 OR package.municipality_name = ?6)";

fn record_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<PackageRecord> {
    let municipality = match (
        row.get::<_, Option<String>>(4)?,
        row.get::<_, Option<String>>(5)?,
    ) {
        (Some(code), Some(name)) => Some(Municipality { code, name }),
        _ => None,
    };
    Ok(PackageRecord {
        shelf: row.get(0)?,
        issue: row.get(1)?,
        version: row.get(2)?,
        magazine: row.get(3)?,
        municipality,
        issue_date: row.get(6)?,
        number: row.get(7)?,
        added: row.get(8)?,
        manifest_sha256: row.get(9)?,
    })
}

impl SqliteCatalog {
    /// Opens (creating if need be) the catalogue at `path`. A catalogue of an older schema
    /// is emptied and made anew ([`Catalog::needs_rebuild`] says so): the packages are the
    /// record, so the archive rebuilds it from them.
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        Self::open_raw(path).map_err(catalog_error(path.display().to_string()))
    }

    fn open_raw(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        // Several adds may record at once: each waits its turn rather than failing.
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let emptied = version != 0 && version != SCHEMA_VERSION;
        if emptied {
            for table in TABLES {
                conn.execute_batch(&format!("DROP TABLE IF EXISTS {table};"))?;
            }
        }
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(SqliteCatalog {
            conn,
            path: path.to_path_buf(),
            emptied,
        })
    }

    fn error(&self) -> impl FnOnce(rusqlite::Error) -> ArchiveError + use<> {
        catalog_error(self.path.display().to_string())
    }

    /// How many fields the catalogue holds (for reports and benchmarks).
    pub fn field_count(&self) -> Result<u64, ArchiveError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM field", [], |row| row.get::<_, i64>(0))
            .optional()
            .map(|n| n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
            .map_err(self.error())
    }

    fn is_recorded(&self, id: &PackageId) -> rusqlite::Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM package WHERE shelf = ?1 AND issue = ?2 AND version = ?3",
                params![id.shelf, id.issue, id.version],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
    }

    fn list_raw(&self, filter: &Filter) -> rusqlite::Result<Vec<Listed>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS}, (SELECT COUNT(*) FROM page WHERE page.package = package.id)
             FROM package WHERE ?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL
               AND {FILTERED}
             ORDER BY issue_date, issue, version"
        ))?;
        let nothing: Option<String> = None;
        let rows = statement.query_map(
            params![
                nothing,
                nothing,
                nothing,
                nothing,
                filter.magazine,
                filter.municipality
            ],
            |row| {
                Ok(Listed {
                    record: record_of(row)?,
                    pages: row.get(10)?,
                })
            },
        )?;
        rows.collect()
    }

    fn search_raw(&self, query: &str, filter: &Filter, limit: usize) -> rusqlite::Result<Vec<Hit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let newest = format!("package.newest = 1 AND {FILTERED}");
        let columns = "package.issue, package.version, package.issue_date, package.magazine,
                       page.folio, page.title, field.path, field.text, field.figure, field.words_ja, field.words_en,
                       package.municipality_code, package.municipality_name";
        let joins = "JOIN page ON page.id = field.page JOIN package ON package.id = page.package";
        let order = "ORDER BY package.issue_date DESC, package.issue DESC, page.folio, field.id";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let (sql, pattern, chars) = if query.chars().count() >= TRIGRAM {
            let phrase = format!("\"{}\"", query.replace('"', "\"\""));
            (
                format!(
                    "SELECT {columns} FROM field_text JOIN field ON field.id = field_text.rowid {joins}
                     WHERE field_text MATCH ?1 AND ?3 IS NULL AND ?4 IS NULL AND {newest}
                     {order} LIMIT ?2"
                ),
                phrase,
                None,
            )
        } else {
            // One or two characters: no trigram holds them. The packages whose texts hold
            // every character of the query are found in `package_char`; only their texts are
            // scanned, newest issue first, until `limit` are found.
            let mut chars = [String::new(), String::new()];
            for (slot, c) in chars.iter_mut().zip(query.chars()) {
                *slot = c.to_ascii_lowercase().to_string();
            }
            if chars[1].is_empty() {
                chars[1] = chars[0].clone();
            }
            // Latin letters match in either case, as the trigram index matches them.
            let (test, pattern) = if query.is_ascii() {
                let escaped = query
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                ("LIKE ?1 ESCAPE '\\'", format!("%{escaped}%"))
            } else {
                ("GLOB ?1", format!("*{}*", glob_escape(query)))
            };
            // The page's texts first (one long text a page), then the fields of the pages
            // that hold the query.
            (
                format!(
                    "SELECT {columns} FROM package JOIN page ON page.package = package.id
                     JOIN page_texts ON page_texts.page = page.id
                     JOIN field ON field.page = page.id
                     WHERE {newest}
                       AND package.id IN (SELECT package FROM package_char WHERE ch = ?3
                                          INTERSECT SELECT package FROM package_char WHERE ch = ?4)
                       AND page_texts.texts {test} AND field.text {test} {order} LIMIT ?2"
                ),
                pattern,
                Some(chars),
            )
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let text = |value: Option<String>| value.map_or(rusqlite::types::Value::Null, Into::into);
        let [first, second] = chars.map_or([None, None], |[a, b]| [Some(a), Some(b)]);
        let values: Vec<rusqlite::types::Value> = vec![
            pattern.into(),
            limit.into(),
            text(first),
            text(second),
            text(filter.magazine.clone()),
            text(filter.municipality.clone()),
        ];
        let rows = statement.query_map(rusqlite::params_from_iter(values), |row| {
            let text: String = row.get(7)?;
            Ok(Hit {
                issue: row.get(0)?,
                version: row.get(1)?,
                issue_date: row.get(2)?,
                magazine: row.get(3)?,
                municipality: Municipality::from_columns(row.get(11)?, row.get(12)?),
                folio: row.get(4)?,
                page_title: row.get(5)?,
                field: row.get(6)?,
                snippet: snippet(&text, query),
                text,
                figure: row.get(8)?,
                words: match (
                    row.get::<_, Option<String>>(9)?,
                    row.get::<_, Option<String>>(10)?,
                ) {
                    (Some(ja), Some(en)) => Some(Words::new(ja, en)),
                    _ => None,
                },
            })
        })?;
        rows.collect()
    }
}

impl Catalog for SqliteCatalog {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn needs_rebuild(&self) -> bool {
        self.emptied
    }

    fn list(&mut self, filter: &Filter) -> Result<Vec<Listed>, ArchiveError> {
        self.list_raw(filter).map_err(self.error())
    }

    fn search(
        &mut self,
        query: &str,
        filter: &Filter,
        limit: usize,
    ) -> Result<Vec<Hit>, ArchiveError> {
        self.search_raw(query, filter, limit).map_err(self.error())
    }

    /// A folder store refuses a second writer by itself (its rename is atomic): the claim is
    /// granted unless the version is recorded already.
    fn claim(&mut self, id: &PackageId, _manifest_sha256: &str) -> Result<Claim, ArchiveError> {
        if self.is_recorded(id).map_err(self.error())? {
            return Ok(Claim::Taken);
        }
        Ok(Claim::Granted(Ticket {
            id: id.clone(),
            token: 0,
        }))
    }

    fn release(&mut self, _ticket: Ticket) -> Result<(), ArchiveError> {
        Ok(())
    }

    fn is_being_written(&mut self, _id: &PackageId) -> Result<bool, ArchiveError> {
        Ok(false)
    }

    fn record(
        &mut self,
        record: &PackageRecord,
        pages: &[PageFields],
    ) -> Result<Recorded, ArchiveError> {
        let error = self.error();
        let done = (|| {
            let transaction = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let id = PackageId::new(&record.shelf, &record.issue, record.version);
            let already = transaction
                .query_row(
                    "SELECT 1 FROM package WHERE shelf = ?1 AND issue = ?2 AND version = ?3",
                    params![id.shelf, id.issue, id.version],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if already {
                return Ok(Recorded::Already);
            }
            insert(&transaction, record, pages)?;
            transaction.commit()?;
            Ok(Recorded::Now)
        })();
        done.map_err(error)
    }

    /// Written under a temporary name beside the catalogue, then renamed over it.
    fn rebuild(
        &mut self,
        packages: &mut dyn Iterator<Item = (PackageRecord, Vec<PageFields>)>,
    ) -> Result<u64, ArchiveError> {
        let temp = crate::output::staging_path(&self.path);
        let _ = fs::remove_file(&temp);
        let built = (|| -> Result<(SqliteCatalog, u64), ArchiveError> {
            let mut fresh = SqliteCatalog::open(&temp)?;
            let error = fresh.error();
            let begin_error = fresh.error();
            let transaction = fresh.conn.transaction().map_err(begin_error)?;
            for (record, fields) in packages {
                insert(&transaction, &record, &fields)
                    .map_err(catalog_error(temp.display().to_string()))?;
            }
            transaction.commit().map_err(error)?;
            let fields = fresh.field_count()?;
            Ok((fresh, fields))
        })();
        match built {
            Ok((fresh, fields)) => {
                drop(fresh);
                fs::rename(&temp, &self.path).map_err(crate::archive::error::io(&self.path))?;
                *self = SqliteCatalog::open(&self.path)?;
                Ok(fields)
            }
            Err(e) => {
                let _ = fs::remove_file(&temp);
                Err(e)
            }
        }
    }
}

/// Records a package and its pages' fields inside `transaction`.
fn insert(
    transaction: &Transaction<'_>,
    record: &PackageRecord,
    pages: &[PageFields],
) -> rusqlite::Result<()> {
    transaction.execute(
        "INSERT INTO package (shelf, issue, version, magazine, municipality_code,
                              municipality_name, issue_date, number, added, manifest_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            record.shelf,
            record.issue,
            record.version,
            record.magazine,
            record.municipality.as_ref().map(|m| m.code.as_str()),
            record.municipality.as_ref().map(|m| m.name.as_str()),
            record.issue_date,
            record.number,
            record.added,
            record.manifest_sha256
        ],
    )?;
    let package = transaction.last_insert_rowid();
    // Only the newest version of an issue is searched.
    transaction.execute(
        "UPDATE package SET newest = (version = (SELECT MAX(p.version) FROM package p
                                                 WHERE p.shelf = ?1 AND p.issue = ?2))
         WHERE shelf = ?1 AND issue = ?2",
        params![record.shelf, record.issue],
    )?;
    let mut add_page = transaction.prepare_cached(
        "INSERT INTO page (package, folio, file, layout, title) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut add_field = transaction.prepare_cached(
        "INSERT INTO field (page, path, type, text, value, figure, words_ja, words_en)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut add_text =
        transaction.prepare_cached("INSERT INTO field_text (rowid, text) VALUES (?1, ?2)")?;
    let mut add_texts =
        transaction.prepare_cached("INSERT INTO page_texts (page, texts) VALUES (?1, ?2)")?;
    // Which characters the package's texts hold, for queries too short for trigrams.
    let mut chars = std::collections::BTreeSet::new();
    for field in pages.iter().flat_map(|p| &p.fields) {
        chars.extend(
            field
                .text
                .iter()
                .flat_map(|t| t.chars())
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    let mut add_char =
        transaction.prepare_cached("INSERT INTO package_char (ch, package) VALUES (?1, ?2)")?;
    for c in chars {
        add_char.execute(params![c.to_string(), package])?;
    }
    for page in pages {
        let texts = page.texts();
        add_page.execute(params![
            package,
            page.folio,
            page.file,
            page.layout,
            page.title
        ])?;
        let page_id = transaction.last_insert_rowid();
        add_texts.execute(params![page_id, texts.join("\n")])?;
        for field in &page.fields {
            add_field.execute(params![
                page_id,
                field.field,
                field.ty,
                field.text,
                field.value,
                field.figure,
                field.words.as_ref().map(|w| w.ja.as_str()),
                field.words.as_ref().map(|w| w.en.as_str()),
            ])?;
            if let Some(text) = &field.text {
                add_text.execute(params![transaction.last_insert_rowid(), text])?;
            }
        }
    }
    Ok(())
}

/// `text` as a GLOB pattern that matches only itself (`*`, `?` and `[` bracketed).
fn glob_escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '*' | '?' | '[' => format!("[{c}]"),
            other => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_of_an_older_schema_is_emptied_to_be_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.sqlite");
        {
            // The first schema: a `percent` column, no type.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE field (id INTEGER PRIMARY KEY, page INTEGER, path TEXT,
                                     text TEXT, percent INTEGER);
                 INSERT INTO field (page, path, text, percent) VALUES (1, 'title', 't', 5);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let mut catalog = SqliteCatalog::open(&path).unwrap();
        assert!(catalog.needs_rebuild());
        assert_eq!(catalog.field_count().unwrap(), 0);
        super::super::contract::record_sample(&mut catalog);
        assert!(catalog.field_count().unwrap() > 0);
        // Opened again, it is current: nothing is emptied.
        drop(catalog);
        assert!(!SqliteCatalog::open(&path).unwrap().needs_rebuild());
    }

    /// The embedded catalogue keeps what every catalogue promises.
    #[test]
    fn the_embedded_catalogue_keeps_the_catalogue_contract() {
        super::super::contract::run(&mut || {
            let dir = tempfile::tempdir().unwrap();
            let catalog = SqliteCatalog::open(&dir.path().join("catalog.sqlite")).unwrap();
            (
                Box::new(catalog) as Box<dyn Catalog>,
                Box::new(dir) as Box<dyn std::any::Any>,
            )
        });
    }
}
