//! The archive's catalogue: issues, pages, every text field and every figure, indexed for
//! search. It is derived from the packages and can always be rebuilt from them (`koho archive
//! reindex`); the packages are the record.
//!
//! [`Catalog`] is what every catalogue does; [`sqlite::SqliteCatalog`] is the embedded one
//! beside a folder archive (the default), the shared one lives in PostgreSQL. Besides
//! recording and searching, the catalogue is where adders agree on versions: object storage
//! cannot refuse a second writer, so an add [claims](Catalog::claim) its version first.

#[cfg(test)]
pub mod contract;
pub mod postgres;
pub mod sqlite;

use serde::Serialize;

use super::error::ArchiveError;
use super::fields::PageFields;
use super::store::PackageId;
use crate::schema::Words;

/// Characters of context either side of a match in a snippet.
const SNIPPET_CONTEXT: usize = 16;

/// Marks around the matched text in a snippet.
pub const MATCH_OPEN: &str = "【";
/// See [`MATCH_OPEN`].
pub const MATCH_CLOSE: &str = "】";

/// What the catalogue records of one package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageRecord {
    /// The magazine's shelf in the store (empty in a folder archive).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub shelf: String,
    /// The issue folder's name (`2026-06`).
    pub issue: String,
    /// The package's version, from 1.
    pub version: u32,
    /// The magazine's name.
    pub magazine: String,
    /// The municipality that publishes it (its 全国地方公共団体コード and name), when the
    /// issue says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<Municipality>,
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
    /// The municipality that publishes it, when its issue said.
    pub municipality: Option<Municipality>,
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

/// `text` around the first occurrence of `query` (ASCII letters matched in either case), the
/// match marked, cut to `SNIPPET_CONTEXT` characters either side.
pub fn snippet(text: &str, query: &str) -> String {
    let chars = one_line(text);
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

/// The characters of `text` on one line, as a snippet shows them: each run of white space
/// that breaks a line becomes one space, or nothing between two Japanese characters (which are
/// written without spaces).
fn one_line(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            run.push(c);
            continue;
        }
        if run.iter().any(|r| *r == '\n' || *r == '\r') {
            let between_japanese = chars.last().is_some_and(|p| !p.is_ascii()) && !c.is_ascii();
            if !between_japanese && !chars.is_empty() {
                chars.push(' ');
            }
        } else {
            chars.extend(run.iter().map(|r| if r.is_control() { ' ' } else { *r }));
        }
        run.clear();
        chars.push(c);
    }
    chars
}

/// A municipality: its 全国地方公共団体コード (six digits, the last a check digit) and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Municipality {
    /// The code (`012131`).
    pub code: String,
    /// The name (`苫小牧市`).
    pub name: String,
}

impl Municipality {
    /// From a catalogue's two columns, when both are there.
    pub fn from_columns(code: Option<String>, name: Option<String>) -> Option<Self> {
        Some(Municipality {
            code: code?,
            name: name?,
        })
    }
}

/// Which packages a listing or a search looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this magazine's.
    pub magazine: Option<String>,
    /// Only this municipality's (its code or its name).
    pub municipality: Option<String>,
}

impl Filter {
    /// Whether a record passes the filter.
    pub fn passes(&self, record: &PackageRecord) -> bool {
        let magazine = self.magazine.as_ref().is_none_or(|m| *m == record.magazine);
        let municipality = self.municipality.as_ref().is_none_or(|wanted| {
            record
                .municipality
                .as_ref()
                .is_some_and(|m| m.code == *wanted || m.name == *wanted)
        });
        magazine && municipality
    }
}

/// The answer to [`Catalog::claim`].
#[derive(Debug)]
pub enum Claim {
    /// The version is this add's to write; recording it (or releasing it) ends the claim.
    Granted(Ticket),
    /// Another add is writing that version now: wait, then look again.
    Busy,
    /// The catalogue records that version already (the store's listing had not shown it
    /// yet): look again.
    Taken,
}

/// A claim on one version, held until the package is recorded or the claim released. A
/// claim whose add has stopped is stale: the next add takes its place.
#[derive(Debug)]
pub struct Ticket {
    /// The package this add may write.
    pub id: PackageId,
    /// The catalogue's own handle on the claim.
    pub token: i64,
}

/// Whether recording found the package new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// It was recorded now.
    Now,
    /// It was recorded already (by another add that got there first).
    Already,
}

/// What every catalogue does.
pub trait Catalog {
    /// Where the catalogue is, as told to the editor (a file, a database).
    fn location(&self) -> String;

    /// True when the catalogue was made new on opening (of an older schema, or, for a shared
    /// catalogue, a database without its tables): it must be rebuilt from the packages.
    fn needs_rebuild(&self) -> bool;

    /// Every recorded package that passes `filter`, oldest issue first.
    fn list(&mut self, filter: &Filter) -> Result<Vec<Listed>, ArchiveError>;

    /// The texts holding `query` in the newest version of every issue that passes `filter`,
    /// newest issue first, at most `limit`.
    fn search(
        &mut self,
        query: &str,
        filter: &Filter,
        limit: usize,
    ) -> Result<Vec<Hit>, ArchiveError>;

    /// Asks for version `id` of an issue, to write its package: granted unless another add
    /// is writing it now or it is recorded already. `manifest_sha256` is the package's
    /// identity, so that an add of the very same issue can wait for the other to finish.
    fn claim(&mut self, id: &PackageId, manifest_sha256: &str) -> Result<Claim, ArchiveError>;

    /// Gives a claim up (its package could not be written).
    fn release(&mut self, ticket: Ticket) -> Result<(), ArchiveError>;

    /// Whether an add that is still running is writing `id` now (its leftovers are not
    /// leftovers yet).
    fn is_being_written(&mut self, id: &PackageId) -> Result<bool, ArchiveError>;

    /// Records a package and its pages' fields, at once; ends the claim on it, if any.
    /// Recording a package recorded already changes nothing.
    fn record(
        &mut self,
        record: &PackageRecord,
        pages: &[PageFields],
    ) -> Result<Recorded, ArchiveError>;

    /// Makes the catalogue anew from `packages` alone and puts it in place of the old one at
    /// once (a failure leaves the old one). Returns how many fields it holds.
    fn rebuild(
        &mut self,
        packages: &mut dyn Iterator<Item = (PackageRecord, Vec<PageFields>)>,
    ) -> Result<u64, ArchiveError>;

    /// The store whose packages this catalogue records (`s3://bucket/prefix`), as it noted
    /// it, for a catalogue that could be paired with another store by mistake — a shared one.
    /// None when it noted none (an embedded catalogue lives inside its store).
    fn indexed_store(&mut self) -> Result<Option<String>, ArchiveError> {
        Ok(None)
    }

    /// Notes the store whose packages this catalogue records.
    fn set_indexed_store(&mut self, _location: &str) -> Result<(), ArchiveError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_cut_long_text_and_mark_the_match() {
        let text = "あ".repeat(40) + "公約" + &"い".repeat(40);
        let cut = snippet(&text, "公約");
        assert_eq!(
            cut,
            format!("…{}【公約】{}…", "あ".repeat(16), "い".repeat(16))
        );
        assert_eq!(snippet("Tomakomai Port", "port"), "Tomakomai 【Port】");
        // A snippet is one line: a break between Japanese sentences goes, between words it is
        // a space.
        assert_eq!(
            snippet("お知らせします。\n\n私が約束した公約の", "公約"),
            "お知らせします。私が約束した【公約】の"
        );
        assert_eq!(snippet("the\r\nPort  of", "port"), "the 【Port】  of");
    }
}
