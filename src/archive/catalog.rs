//! The archive's catalogue, `catalog.sqlite`: issues, pages, every text field and every figure,
//! with a full-text index for search. It is derived from the packages and can always be
//! rebuilt from them (`koho archive reindex`); the packages are the record.
//!
//! Japanese has no spaces between words, so the index is FTS5's trigram tokenizer: any query of
//! three characters or more is found inside longer text. Shorter queries (公約, 港) cannot use
//! trigrams: they look only at the packages holding every character of the query
//! (`package_char`), scan each page's texts as one (`page_texts`), and only then the fields of
//! the pages that hold the query.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::fields::PageFields;
use crate::schema::Words;

/// The catalogue's schema version (SQLite's `user_version`).
const SCHEMA_VERSION: i64 = 2;

/// The tables of every schema version so far, dropped when an older catalogue is rebuilt.
const TABLES: &[&str] = &[
    "field_text",
    "field",
    "page_texts",
    "page",
    "package_char",
    "package",
];

/// Characters of context either side of a match in a snippet.
const SNIPPET_CONTEXT: usize = 16;

/// Marks around the matched text in a snippet.
pub const MATCH_OPEN: &str = "【";
/// See [`MATCH_OPEN`].
pub const MATCH_CLOSE: &str = "】";

/// The fewest characters the trigram index can look up.
const TRIGRAM: usize = 3;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS package (
    id              INTEGER PRIMARY KEY,
    issue           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    magazine        TEXT NOT NULL,
    issue_date      TEXT NOT NULL,
    number          INTEGER,
    added           TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    newest          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (issue, version)
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

/// What the catalogue records of one package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageRecord {
    /// The issue folder's name (`2026-06`).
    pub issue: String,
    /// The package's version, from 1.
    pub version: u32,
    /// The magazine's name.
    pub magazine: String,
    /// The issue date (ISO 8601).
    pub issue_date: String,
    /// 通巻号数, when given.
    pub number: Option<u32>,
    /// When the package was added (ISO 8601, Japan time).
    pub added: String,
    /// The SHA-256 of the package's `manifest-sha256.txt`: the package's identity.
    pub manifest_sha256: String,
}

/// A listed package: its record and its page count.
#[derive(Clone, Debug, Serialize)]
pub struct Listed {
    /// The record.
    #[serde(flatten)]
    pub record: PackageRecord,
    /// Pages in the issue.
    pub pages: u32,
}

/// One search result.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// The issue.
    pub issue: String,
    /// The package version it is from (the newest of the issue).
    pub version: u32,
    /// The issue date.
    pub issue_date: String,
    /// The magazine.
    pub magazine: String,
    /// The printed page number.
    pub folio: u32,
    /// The page's title.
    pub page_title: String,
    /// The field path.
    pub field: String,
    /// The whole text of the field.
    pub text: String,
    /// The text around the match, the match between [`MATCH_OPEN`] and [`MATCH_CLOSE`].
    pub snippet: String,
    /// The figure beside the text, as printed (`25%`), if any.
    pub figure: Option<String>,
    /// The field in the editors' words, as its schema named it when the package was made.
    pub words: Option<Words>,
}

/// An open catalogue.
pub struct Catalog {
    conn: Connection,
    emptied: bool,
}

impl Catalog {
    /// Opens (creating if need be) the catalogue at `path`. A catalogue of an older schema
    /// is emptied and made anew ([`Catalog::emptied`] says so): the packages are the record,
    /// so the archive rebuilds it from them.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let emptied = version != 0 && version != SCHEMA_VERSION;
        if emptied {
            for table in TABLES {
                conn.execute_batch(&format!("DROP TABLE IF EXISTS {table};"))?;
            }
        }
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Catalog { conn, emptied })
    }

    /// True when the catalogue was of an older schema and was emptied on opening: it must be
    /// rebuilt from the packages (`reindex`).
    pub fn emptied(&self) -> bool {
        self.emptied
    }

    /// Starts a transaction: a package is recorded in one, committed only once its folder is
    /// in place.
    pub fn transaction(&mut self) -> rusqlite::Result<Transaction<'_>> {
        self.conn.transaction()
    }

    /// Every recorded package, oldest issue first.
    pub fn list(&self) -> rusqlite::Result<Vec<Listed>> {
        let mut statement = self.conn.prepare(
            "SELECT issue, version, magazine, issue_date, number, added, manifest_sha256,
                    (SELECT COUNT(*) FROM page WHERE page.package = package.id)
             FROM package ORDER BY issue_date, issue, version",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Listed {
                record: PackageRecord {
                    issue: row.get(0)?,
                    version: row.get(1)?,
                    magazine: row.get(2)?,
                    issue_date: row.get(3)?,
                    number: row.get(4)?,
                    added: row.get(5)?,
                    manifest_sha256: row.get(6)?,
                },
                pages: row.get(7)?,
            })
        })?;
        rows.collect()
    }

    /// The texts holding `query` in the newest version of every issue, newest issue first, at
    /// most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> rusqlite::Result<Vec<Hit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let newest = "package.newest = 1";
        let columns = "package.issue, package.version, package.issue_date, package.magazine,
                       page.folio, page.title, field.path, field.text, field.figure, field.words_ja, field.words_en";
        let joins = "JOIN page ON page.id = field.page JOIN package ON package.id = page.package";
        let order = "ORDER BY package.issue_date DESC, package.issue DESC, page.folio, field.id";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let (sql, pattern, chars) = if query.chars().count() >= TRIGRAM {
            let phrase = format!("\"{}\"", query.replace('"', "\"\""));
            (
                format!(
                    "SELECT {columns} FROM field_text JOIN field ON field.id = field_text.rowid {joins}
                     WHERE field_text MATCH ?1 AND {newest} {order} LIMIT ?2"
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
        let mut values: Vec<rusqlite::types::Value> = vec![pattern.into(), limit.into()];
        values.extend(
            chars
                .into_iter()
                .flatten()
                .map(rusqlite::types::Value::from),
        );
        let rows = statement.query_map(rusqlite::params_from_iter(values), |row| {
            let text: String = row.get(7)?;
            Ok(Hit {
                issue: row.get(0)?,
                version: row.get(1)?,
                issue_date: row.get(2)?,
                magazine: row.get(3)?,
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

    /// How many fields the catalogue holds (for reports and benchmarks).
    pub fn field_count(&self) -> rusqlite::Result<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM field", [], |row| row.get::<_, i64>(0))
            .optional()
            .map(|n| n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }
}

/// Records a package and its pages' fields inside `transaction`.
pub fn insert(
    transaction: &Transaction<'_>,
    record: &PackageRecord,
    pages: &[PageFields],
) -> rusqlite::Result<()> {
    transaction.execute(
        "INSERT INTO package (issue, version, magazine, issue_date, number, added, manifest_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            record.issue,
            record.version,
            record.magazine,
            record.issue_date,
            record.number,
            record.added,
            record.manifest_sha256
        ],
    )?;
    let package = transaction.last_insert_rowid();
    // Only the newest version of an issue is searched.
    transaction.execute(
        "UPDATE package SET newest = (version = (SELECT MAX(p.version) FROM package p WHERE p.issue = ?1))
         WHERE issue = ?1",
        params![record.issue],
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
        let texts: Vec<&str> = page
            .fields
            .iter()
            .filter_map(|f| f.text.as_deref())
            .collect();
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

/// `text` around the first occurrence of `query` (ASCII letters matched in either case), the
/// match marked, cut to `SNIPPET_CONTEXT` characters either side.
pub fn snippet(text: &str, query: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let wanted: Vec<char> = query.chars().collect();
    let found = (0..chars.len().saturating_sub(wanted.len().saturating_sub(1))).find(|&i| {
        chars[i..]
            .iter()
            .zip(&wanted)
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
            && chars.len() - i >= wanted.len()
    });
    let Some(start) = found else {
        return chars.iter().take(2 * SNIPPET_CONTEXT).collect();
    };
    let end = start + wanted.len();
    let from = start.saturating_sub(SNIPPET_CONTEXT);
    let to = (end + SNIPPET_CONTEXT).min(chars.len());
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    format!(
        "{}{}{MATCH_OPEN}{}{MATCH_CLOSE}{}{}",
        if from > 0 { "…" } else { "" },
        piece(from, start),
        piece(start, end),
        piece(end, to),
        if to < chars.len() { "…" } else { "" },
    )
}

#[cfg(test)]
mod tests {
    use super::super::fields::FieldValue;
    use super::*;

    fn record(issue: &str, version: u32, date: &str) -> PackageRecord {
        PackageRecord {
            issue: issue.into(),
            version,
            magazine: "広報とまこまい".into(),
            issue_date: date.into(),
            number: None,
            added: "2026-11-26T10:00:00+09:00".into(),
            manifest_sha256: "0".repeat(64),
        }
    }

    fn page(texts: &[(&str, &str, Option<u8>)]) -> Vec<PageFields> {
        vec![PageFields {
            folio: 4,
            file: "p04.yaml".into(),
            layout: "pledge-progress".into(),
            title: "市長公約の取組状況(概要)".into(),
            fields: texts
                .iter()
                .map(|(field, text, percent)| {
                    FieldValue::text(*field, *text, percent.map(|p| format!("{p}%")))
                })
                .collect(),
        }]
    }

    fn catalog() -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        let tx = catalog.transaction().unwrap();
        let first = page(&[
            ("title", "市長公約の取組状況(概要)", None),
            (
                "visions[2].items[5].label",
                "世界から選ばれる苫小牧港を目指して更なる機能強化",
                Some(25),
            ),
        ]);
        insert(&tx, &record("2026-06", 1, "2026-06-01"), &first).unwrap();
        let later = page(&[("visions[2].items[5].label", "苫小牧港の機能強化", Some(50))]);
        insert(&tx, &record("2027-06", 1, "2027-06-01"), &later).unwrap();
        let superseded = page(&[("title", "名古屋グランパスのキャンプ", None)]);
        insert(&tx, &record("2026-07", 1, "2026-07-01"), &superseded).unwrap();
        let corrected = page(&[("title", "名古屋グランパスの合宿", None)]);
        insert(&tx, &record("2026-07", 2, "2026-07-01"), &corrected).unwrap();
        tx.commit().unwrap();
        (dir, catalog)
    }

    fn found(catalog: &Catalog, query: &str) -> Vec<(String, String, Option<u8>)> {
        catalog
            .search(query, 50)
            .unwrap()
            .into_iter()
            .map(|h| {
                let figure = h.figure.map(|f| f.trim_end_matches('%').parse().unwrap());
                (h.issue, h.snippet, figure)
            })
            .collect()
    }

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
        let mut catalog = Catalog::open(&path).unwrap();
        assert!(catalog.emptied());
        assert_eq!(catalog.field_count().unwrap(), 0);
        let tx = catalog.transaction().unwrap();
        insert(
            &tx,
            &record("2026-06", 1, "2026-06-01"),
            &page(&[("title", "公約", Some(5))]),
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(
            found(&catalog, "公約"),
            [("2026-06".into(), "【公約】".into(), Some(5))]
        );
        // Opened again, it is current: nothing is emptied.
        drop(catalog);
        assert!(!Catalog::open(&path).unwrap().emptied());
    }

    #[test]
    fn long_and_short_queries_find_words_inside_japanese_text() {
        let (_dir, catalog) = catalog();
        // Trigram: three characters or more, newest issue first.
        assert_eq!(
            found(&catalog, "苫小牧港"),
            [
                ("2027-06".into(), "【苫小牧港】の機能強化".into(), Some(50)),
                (
                    "2026-06".into(),
                    "世界から選ばれる【苫小牧港】を目指して更なる機能強化".into(),
                    Some(25)
                ),
            ]
        );
        // One and two characters: found by scanning.
        assert_eq!(found(&catalog, "港").len(), 2);
        assert_eq!(
            found(&catalog, "公約"),
            [(
                "2026-06".into(),
                "市長【公約】の取組状況(概要)".into(),
                None
            )]
        );
        assert!(found(&catalog, "存在しない言葉").is_empty());
        assert!(found(&catalog, "").is_empty());
        // Wildcards and quotes in a query are text.
        assert!(found(&catalog, "%").is_empty());
        assert!(found(&catalog, "\"港\" OR x").is_empty());
    }

    #[test]
    fn only_the_newest_version_of_an_issue_is_searched() {
        let (_dir, catalog) = catalog();
        assert!(found(&catalog, "キャンプ").is_empty());
        assert_eq!(
            found(&catalog, "グランパス")[0].1,
            "名古屋【グランパス】の合宿"
        );
        let listed: Vec<(String, u32, u32)> = catalog
            .list()
            .unwrap()
            .into_iter()
            .map(|l| (l.record.issue, l.record.version, l.pages))
            .collect();
        assert_eq!(
            listed,
            [
                ("2026-06".into(), 1, 1),
                ("2026-07".into(), 1, 1),
                ("2026-07".into(), 2, 1),
                ("2027-06".into(), 1, 1)
            ]
        );
    }

    #[test]
    fn snippets_cut_long_text_and_mark_the_match() {
        let text = "あ".repeat(40) + "公約" + &"い".repeat(40);
        let cut = snippet(&text, "公約");
        assert_eq!(
            cut,
            format!("…{}【公約】{}…", "あ".repeat(16), "い".repeat(16))
        );
        assert_eq!(snippet("Tomakomai Port", "port"), "Tomakomai 【Port】");
    }
}
