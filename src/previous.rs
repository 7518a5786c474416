//! The rule across issues (DESIGN §9): a figure's change since the previous issue (前月比)
//! is that figure minus the same figure on the same kind's page of the previous issue —
//! computed when the editor leaves it out, checked when it is written.
//!
//! The previous issue is the latest earlier issue of the same magazine that has a page of the
//! kind: looked for in the issue folders beside this one (`content/2026-05/` beside
//! `content/2026-06/`), then in the archive's packages (their `fields.json`). A folder wins
//! over a package of the same date: it is the editors' working copy. Only the pages of kinds
//! that carry the rule are read, and only until each kind is found.
//!
//! What the rule took is kept with the issue ([`EarlierFigures`], in `Issue::earlier`): a
//! package holds it, and a restored issue's folder gets it back as [`RECORDED_FILE`], which
//! then wins over every other source — so that an issue restored where its previous issue is
//! not at hand (a fresh project, ten years on) still rebuilds exactly as it was archived.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::archive::bag;
use crate::archive::fields::{FILE_NAME as FIELDS_FILE, PageFields};
use crate::archive::store::Store;
use crate::archive::store::folder::FolderStore;
use crate::content::model::{CalendarDate, Issue, Page};
use crate::content::value::{Object, Value};
use crate::content::{self, AvailableLayouts};
use crate::diag::{Diagnostic, FieldPath, PreviousGap, Problem};
use crate::schema::{Rule, Words};

/// What the rule found: errors (a change that disagrees, or that cannot be worked out) and
/// warnings (a change written that nothing could check).
#[derive(Debug, Default)]
pub struct Found {
    /// Problems that stop the build.
    pub errors: Vec<Diagnostic>,
    /// What prints as written but was not checked.
    pub warnings: Vec<Diagnostic>,
}

/// Where the figures of earlier issues are looked for.
#[derive(Clone, Copy, Debug)]
pub struct Sources<'a> {
    /// The folder holding the issue folders (`content/`).
    pub issues: Option<&'a Path>,
    /// The archive's folder (`archive/`), which may not exist.
    pub archive: Option<&'a Path>,
}

/// Applies every `previous` rule of the issue's pages: fills the changes left out, checks the
/// ones written.
pub fn apply(issue: &mut Issue, layouts: &AvailableLayouts, sources: Sources<'_>) -> Found {
    let mut found = Found::default();
    let wanted: Vec<String> = issue
        .pages
        .iter()
        .filter(|p| has_rule(p))
        .map(|p| p.content.kind.name.clone())
        .collect();
    if wanted.is_empty() {
        return found;
    }
    let recorded = EarlierFigures::recorded_in(&issue.dir).unwrap_or_default();
    let mut earlier = Earlier::find(issue, sources);
    let mut taken = EarlierFigures::default();
    for page in issue.pages.iter_mut().filter(|p| has_rule(p)) {
        let kind = page.content.kind.clone();
        let previous = match recorded.kinds.get(&kind.name) {
            Some(previous) => Some(previous.clone()),
            None => earlier.latest_with(&kind.name, layouts, &wanted),
        };
        if let Some(previous) = &previous {
            taken.kinds.insert(kind.name.clone(), previous.clone());
        }
        for rule in &kind.rules {
            if let Rule::Previous {
                scope,
                of,
                into,
                dated,
            } = rule
            {
                let rule = PreviousRule {
                    scope,
                    of,
                    into,
                    dated: dated.as_deref(),
                };
                rule.apply(page, previous.as_ref(), &mut found);
            }
        }
    }
    issue.earlier = taken;
    found
}

fn has_rule(page: &Page) -> bool {
    page.content
        .kind
        .rules
        .iter()
        .any(|r| matches!(r, Rule::Previous { .. }))
}

/// The file in a restored issue's folder that holds the earlier figures it was archived with
/// (hidden, so that `koho new` does not carry it into next month's issue).
pub const RECORDED_FILE: &str = ".previous-figures.json";

/// The same, in a package's payload (under `data/`).
pub const PACKAGE_FILE: &str = "previous-figures.json";

/// The earlier issues' figures the rule across issues took, by page kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierFigures {
    /// Kind → the previous issue's page of that kind, as far as its figures go.
    pub kinds: BTreeMap<String, Previous>,
}

impl EarlierFigures {
    /// The figures recorded in `issue_dir`'s [`RECORDED_FILE`], if it has one koho can read.
    fn recorded_in(issue_dir: &Path) -> Option<Self> {
        let bytes = fs::read(issue_dir.join(RECORDED_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// As a package keeps it; none when the rule took nothing.
    pub fn to_json(&self) -> Option<Vec<u8>> {
        (!self.kinds.is_empty())
            .then(|| serde_json::to_vec_pretty(self).expect("figures serialise"))
    }
}

/// A figure another issue printed: a number, or a date (`"2026-05-01"`) as JSON keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Written", try_from = "Written")]
pub enum Figure {
    /// A count (人, 世帯).
    Integer(i64),
    /// The day it was counted at.
    Date(CalendarDate),
}

/// A [`Figure`] as JSON writes it.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Written {
    Integer(i64),
    Date(String),
}

impl From<Figure> for Written {
    fn from(figure: Figure) -> Self {
        match figure {
            Figure::Integer(n) => Written::Integer(n),
            Figure::Date(d) => Written::Date(d.to_string()),
        }
    }
}

impl TryFrom<Written> for Figure {
    type Error = String;

    fn try_from(written: Written) -> Result<Self, String> {
        match written {
            Written::Integer(n) => Ok(Figure::Integer(n)),
            Written::Date(d) => CalendarDate::parse(&d)
                .map(Figure::Date)
                .ok_or_else(|| format!("not a date: {d}")),
        }
    }
}

/// One page of an earlier issue: its kind and its figures by field path.
#[derive(Clone, Debug)]
struct EarlierPage {
    layout: String,
    figures: BTreeMap<String, Figure>,
}

/// The page of a kind in the latest earlier issue that has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    /// The issue's name (its folder's, 2026-05).
    pub issue: String,
    /// Its integers and dates, by field path.
    pub figures: BTreeMap<String, Figure>,
}

/// Where an earlier issue's pages are read from.
#[derive(Clone, Debug)]
enum ReadFrom {
    /// An issue folder and its page files.
    Folder { dir: PathBuf, files: Vec<String> },
    /// A package's `fields.json`.
    Package { dir: PathBuf },
}

/// An earlier issue, its pages read when first asked for.
#[derive(Clone, Debug)]
struct Candidate {
    name: String,
    issue_date: CalendarDate,
    from: ReadFrom,
    pages: Option<Vec<EarlierPage>>,
}

/// The earlier issues of the magazine, latest first.
struct Earlier {
    candidates: Vec<Candidate>,
}

impl Earlier {
    fn find(issue: &Issue, sources: Sources<'_>) -> Self {
        let mut candidates = Vec::new();
        let own = issue.dir.canonicalize().ok();
        if let Some(parent) = sources.issues
            && let Ok(entries) = fs::read_dir(parent)
        {
            for entry in entries.filter_map(Result::ok) {
                let dir = entry.path();
                if !dir.is_dir() || dir.canonicalize().ok() == own {
                    continue;
                }
                let Some(listing) = content::read_listing(&dir) else {
                    continue;
                };
                if listing.magazine == issue.magazine.as_str()
                    && listing.issue_date < issue.issue_date
                {
                    candidates.push(Candidate {
                        name: entry.file_name().to_string_lossy().into_owned(),
                        issue_date: listing.issue_date,
                        from: ReadFrom::Folder {
                            dir,
                            files: listing.files,
                        },
                        pages: None,
                    });
                }
            }
        }
        if let Some(archive) = sources.archive {
            candidates.extend(packages(archive, issue));
        }
        // Latest first; on the same date, a folder before a package.
        candidates.sort_by_key(|c| {
            (
                Reverse(c.issue_date),
                matches!(c.from, ReadFrom::Package { .. }),
                c.name.clone(),
            )
        });
        Earlier { candidates }
    }

    /// The page of `kind` in the latest earlier issue that has one. Reading a candidate reads
    /// its pages of every kind in `wanted`.
    fn latest_with(
        &mut self,
        kind: &str,
        layouts: &AvailableLayouts,
        wanted: &[String],
    ) -> Option<Previous> {
        for candidate in &mut self.candidates {
            let pages = candidate
                .pages
                .get_or_insert_with(|| read_pages(&candidate.from, layouts, wanted));
            if let Some(page) = pages.iter().find(|p| p.layout == kind) {
                return Some(Previous {
                    issue: candidate.name.clone(),
                    figures: page.figures.clone(),
                });
            }
        }
        None
    }
}

/// The latest package of every earlier issue of the magazine in the archive.
fn packages(archive: &Path, issue: &Issue) -> Vec<Candidate> {
    let store = FolderStore::new(archive, archive);
    let mut latest: BTreeMap<String, PathBuf> = BTreeMap::new();
    for package in store.packages().unwrap_or_default() {
        latest.insert(package.issue.clone(), store.dir(&package));
    }
    latest
        .into_iter()
        .filter_map(|(name, dir)| {
            let info = fs::read_to_string(dir.join(bag::BAG_INFO)).ok()?;
            let info = bag::parse_info(&info);
            let get = |label: &str| {
                info.iter()
                    .find(|(l, _)| l == label)
                    .map(|(_, v)| v.as_str())
            };
            let issue_date = CalendarDate::parse(get("Issue-Date")?)?;
            let earlier =
                get("Magazine")? == issue.magazine.as_str() && issue_date < issue.issue_date;
            earlier.then_some(Candidate {
                name,
                issue_date,
                from: ReadFrom::Package { dir },
                pages: None,
            })
        })
        .collect()
}

/// The pages of the kinds in `wanted` an earlier issue holds, with their figures.
fn read_pages(from: &ReadFrom, layouts: &AvailableLayouts, wanted: &[String]) -> Vec<EarlierPage> {
    let is_wanted = |layout: &str| wanted.iter().any(|w| w == layout);
    match from {
        ReadFrom::Folder { dir, files } => files
            .iter()
            .filter_map(|file| content::read_other_page(dir, file, layouts, &is_wanted))
            .map(|content| {
                let mut figures = BTreeMap::new();
                figures_of(&content.fields, &FieldPath::root(), &mut figures);
                EarlierPage {
                    layout: content.kind.name.clone(),
                    figures,
                }
            })
            .collect(),
        ReadFrom::Package { dir } => {
            let path = dir.join(bag::DATA).join(FIELDS_FILE);
            let pages: Vec<PageFields> = fs::read(&path)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .unwrap_or_default();
            pages
                .into_iter()
                .filter(|p| is_wanted(&p.layout))
                .map(|p| EarlierPage {
                    layout: p.layout,
                    figures: p
                        .fields
                        .into_iter()
                        .filter_map(|f| {
                            let value = f.value?;
                            let figure = match f.ty.as_str() {
                                "integer" => Figure::Integer(printed_integer(&value)?),
                                "date" => Figure::Date(CalendarDate::parse(&value)?),
                                _ => return None,
                            };
                            Some((f.field, figure))
                        })
                        .collect(),
                })
                .collect()
        }
    }
}

/// The integers and dates of an object and of the objects inside it (not inside lists).
fn figures_of(object: &Object, path: &FieldPath, out: &mut BTreeMap<String, Figure>) {
    for (key, value) in object.iter() {
        let inner = path.key(key);
        match value {
            Some(Value::Integer(n)) => {
                out.insert(inner.to_string(), Figure::Integer(*n));
            }
            Some(Value::Date(d)) => {
                out.insert(inner.to_string(), Figure::Date(*d));
            }
            Some(Value::Object(o)) => figures_of(o, &inner, out),
            _ => {}
        }
    }
}

/// An integer as a package records it, with its unit (`166145人`, `-84人`).
fn printed_integer(printed: &str) -> Option<i64> {
    let digits_end = printed
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(printed.len(), |(i, _)| i);
    printed[..digits_end].parse().ok()
}

/// The day one month before `date`: the same day of the month before, or its last day when
/// `date` is the last of its month or that day does not exist (3月31日 → 2月28日).
pub fn month_before(date: CalendarDate) -> CalendarDate {
    let (year, month) = if date.month() == 1 {
        (date.year() - 1, 12)
    } else {
        (date.year(), date.month() - 1)
    };
    let last_of = |y: u16, m: u8| {
        (28..=31)
            .rev()
            .find_map(|d| CalendarDate::new(y, m, d))
            .expect("every month has a 28th")
    };
    let is_last = last_of(date.year(), date.month()) == date;
    let last = last_of(year, month);
    if is_last || date.day() > last.day() {
        last
    } else {
        CalendarDate::new(year, month, date.day()).expect("a day within the month")
    }
}

/// One `previous` rule, as the schema gives it.
struct PreviousRule<'r> {
    scope: &'r [String],
    of: &'r str,
    into: &'r str,
    dated: Option<&'r str>,
}

impl PreviousRule<'_> {
    fn apply(&self, page: &mut Page, previous: Option<&Previous>, found: &mut Found) {
        let scope_path = self
            .scope
            .iter()
            .fold(FieldPath::root(), |path, key| path.key(key));
        let of_path = scope_path.key(self.of);
        let into_path = scope_path.key(self.into);
        let Some(object) = object_at(&page.content.fields, self.scope) else {
            // An optional object left out: nothing to compare.
            return;
        };
        let Some(Value::Integer(now)) = object.get(self.of) else {
            return;
        };
        let now = *now;
        let stated = match object.get(self.into) {
            Some(Value::Integer(n)) => Some(*n),
            _ => None,
        };
        let date = self.dated.and_then(|d| match object.get(d) {
            Some(Value::Date(date)) => Some(*date),
            _ => None,
        });
        let kind = page.content.kind.clone();
        let figure = kind
            .field_at(&of_path)
            .map_or_else(|| Words::new(self.of, self.of), |f| f.words.clone());
        let earlier = match previous {
            None => Err(PreviousGap::NoEarlierIssue {
                kind: kind.words.clone(),
            }),
            Some(previous) => {
                self.earlier_figure(previous, &kind.words, &scope_path, &of_path, date)
            }
        };
        // The change as written; else the figure, else the date it is counted at (a figure
        // a sum filled was not written), else the object.
        let at = |path: &FieldPath| page.spans.get(&path.to_string());
        let span = at(&into_path)
            .or_else(|| at(&of_path))
            .or_else(|| self.dated.and_then(|d| at(&scope_path.key(d))))
            .or_else(|| at(&scope_path))
            .unwrap_or(0..0);
        match (earlier, stated) {
            (Ok((issue, before)), Some(stated)) if stated != now - before => {
                found.errors.push(page.diagnostic(
                    span,
                    into_path,
                    Problem::PreviousMismatch {
                        figure,
                        issue,
                        previous: before,
                        now,
                        computed: now - before,
                        stated,
                    },
                ));
            }
            (Ok(_), Some(_)) => {}
            (Ok((_, before)), None) => {
                if let Some(object) = object_at_mut(&mut page.content.fields, self.scope)
                    && let Some(slot) = object.get_mut(self.into)
                {
                    *slot = Some(Value::Integer(now - before));
                }
            }
            (Err(gap), Some(_)) => found.warnings.push(page.diagnostic(
                span,
                into_path,
                Problem::PreviousUnchecked { figure, gap },
            )),
            (Err(gap), None) => found.errors.push(page.diagnostic(
                span,
                into_path,
                Problem::PreviousMissing { figure, gap },
            )),
        }
    }

    /// The figure on the previous issue's page, with that issue's name, when it is there and
    /// (for a dated rule) counted one month before `date`.
    fn earlier_figure(
        &self,
        previous: &Previous,
        kind: &Words,
        scope_path: &FieldPath,
        of_path: &FieldPath,
        date: Option<CalendarDate>,
    ) -> Result<(String, i64), PreviousGap> {
        let missing = || PreviousGap::NoEarlierIssue { kind: kind.clone() };
        if let (Some(dated), Some(date)) = (self.dated, date) {
            let wanted = month_before(date);
            match previous.figures.get(&scope_path.key(dated).to_string()) {
                Some(Figure::Date(found)) if *found == wanted => {}
                Some(Figure::Date(found)) => {
                    return Err(PreviousGap::NotAMonthBefore {
                        issue: previous.issue.clone(),
                        found: found.to_string(),
                        wanted: wanted.to_string(),
                    });
                }
                _ => return Err(missing()),
            }
        }
        match previous.figures.get(&of_path.to_string()) {
            Some(Figure::Integer(n)) => Ok((previous.issue.clone(), *n)),
            _ => Err(missing()),
        }
    }
}

/// The object at a key path (through objects only); the page itself for no keys.
fn object_at<'o>(object: &'o Object, keys: &[String]) -> Option<&'o Object> {
    keys.iter().try_fold(object, |o, key| match o.get(key) {
        Some(Value::Object(inner)) => Some(inner),
        _ => None,
    })
}

fn object_at_mut<'o>(object: &'o mut Object, keys: &[String]) -> Option<&'o mut Object> {
    let mut current = object;
    for key in keys {
        match current.get_mut(key)?.as_mut()? {
            Value::Object(inner) => current = inner,
            _ => return None,
        }
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    #[test]
    fn one_month_before_keeps_the_day_or_the_month_end() {
        assert_eq!(month_before(date("2026-05-01")), date("2026-04-01"));
        assert_eq!(month_before(date("2026-01-15")), date("2025-12-15"));
        assert_eq!(month_before(date("2026-05-31")), date("2026-04-30"));
        assert_eq!(month_before(date("2026-04-30")), date("2026-03-31"));
        assert_eq!(month_before(date("2026-03-30")), date("2026-02-28"));
        assert_eq!(month_before(date("2024-03-31")), date("2024-02-29"));
    }

    #[test]
    fn integers_as_packages_print_them() {
        assert_eq!(printed_integer("166145人"), Some(166_145));
        assert_eq!(printed_integer("-84人"), Some(-84));
        assert_eq!(printed_integer("12"), Some(12));
        assert_eq!(printed_integer("人"), None);
    }
}
