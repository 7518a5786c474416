//! A search of the shared catalogue, newest issues first.
//!
//! A common word (港 is on a fifth of all pages) fills the page of hits from the last month's
//! pages alone; only a rarer one reaches further back, where its index entries are few. So a
//! search looks in windows of months, newest first, each one's pages found by one GIN
//! intersection of the word's pairs with the window's month entries ([`super::grams`]). The
//! windows do not overlap and every hit in one is newer than any in the next, so the hits of
//! the windows one after the other are exactly the whole catalogue's hits in order.
//!
//! Within a window the pages found are read from a cursor a batch at a time, and only their
//! fields are read for the word itself: a search stops as soon as it has its hits, rather than
//! reading the fields of every page that has the word's pairs.

use std::collections::HashMap;

use postgres::{Client, Row, Transaction};

use super::grams::{first_day, folded, month_number, month_token, query_grams};
use crate::archive::catalog::{Filter, Hit, Municipality, snippet};
use crate::schema::Words;

/// Where each window ends, in months back from the newest issue's month: the newest month,
/// the two before it, the rest of the year, the nine years before; then everything older.
const WINDOW_ENDS: [u32; 4] = [1, 3, 12, 120];

/// Up to how many months a window finds its pages by their month entries. A longer window
/// would make the index join the pages of every one of its months, more than the date range
/// saves; its pages are found by the word alone and then kept by date.
const MONTHS_BY_INDEX: u32 = 12;

/// The pages read from the cursor at a time: about as many as give a page of hits of a common
/// word, so that one batch usually ends the search.
const PAGES_PER_BATCH: i32 = 50;

/// The months a try of a search looks in.
#[derive(Debug, PartialEq, Eq)]
struct Window {
    /// The first issue date in it (`YYYY-MM-DD`), or none for no lower limit.
    from: Option<String>,
    /// The first issue date after it, or none for no upper limit.
    before: Option<String>,
    /// Its months' entries in `page.grams`, when it is found by them.
    months: Option<Vec<String>>,
}

/// The windows of a search, newest first, when the newest issue is of `newest`'s month.
fn windows(newest: &str) -> Vec<Window> {
    let newest = month_number(newest);
    let mut windows = Vec::new();
    let mut start = 0;
    for end in WINDOW_ENDS {
        let first = newest.saturating_sub(end - 1);
        let last = newest.saturating_sub(start);
        windows.push(Window {
            from: Some(first_day(first)),
            before: (start > 0).then(|| first_day(last + 1)),
            months: (end - start <= MONTHS_BY_INDEX)
                .then(|| (first..=last).map(|m| month_token(&first_day(m))).collect()),
        });
        start = end;
    }
    windows.push(Window {
        from: None,
        before: Some(first_day(newest.saturating_sub(start) + 1)),
        months: None,
    });
    windows
}

/// The pages of a window that hold all of a word's pairs, newest first, in every magazine.
const PAGES: &str = "
    SELECT page.id, page.folio, page.title, package.issue, package.version,
           package.issue_date, package.magazine, package.municipality_code,
           package.municipality_name
    FROM page JOIN package ON package.id = page.package
    WHERE page.grams @> $1 AND page.newest
      -- The window's months from the same index as the word: GIN intersects them.
      AND ($2::text[] IS NULL OR page.grams && $2)
      AND ($3::text IS NULL OR page.issue_date >= $3)
      AND ($4::text IS NULL OR page.issue_date < $4)
    ORDER BY package.issue_date DESC, package.issue DESC, page.folio";

/// The same, narrowed to one magazine's or municipality's packages of the window: their few
/// pages, read by package, each one's grams checked for the word's. The index is kept out of
/// it (`|| '{}'` is an expression it does not cover): its lists for a common word hold every
/// municipality's pages, thousands of times more than these.
const NARROWED_PAGES: &str = "
    SELECT page.id, page.folio, page.title, package.issue, package.version,
           package.issue_date, package.magazine, package.municipality_code,
           package.municipality_name
    FROM package JOIN page ON page.package = package.id
    WHERE package.newest
      AND ($2::text IS NULL OR package.issue_date >= $2)
      AND ($3::text IS NULL OR package.issue_date < $3)
      AND ($4::text IS NULL OR package.magazine = $4)
      AND ($5::text IS NULL OR package.municipality_code = $5
                            OR package.municipality_name = $5)
      AND (page.grams || '{}'::text[]) @> $1
    ORDER BY package.issue_date DESC, package.issue DESC, page.folio";

/// The fields of some pages that hold the word itself, in each page's order.
const FIELDS: &str = "
    SELECT page, path, text, figure, words_ja, words_en FROM field
    WHERE page = ANY($1) AND strpos(coalesce(folded, text), $2) > 0
    ORDER BY page, id";

/// The first `limit` hits of `query` in the catalogue, newest issue first, then by issue,
/// page and field.
pub(super) fn search(
    client: &mut Client,
    query: &str,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<Hit>, postgres::Error> {
    let query = query.trim();
    if query.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let newest: Option<String> = client
        .query_one("SELECT max(issue_date) FROM package WHERE newest", &[])?
        .get(0);
    let Some(newest) = newest else {
        return Ok(Vec::new());
    };
    let narrowed = filter.magazine.is_some() || filter.municipality.is_some();
    let word = Word {
        query,
        grams: query_grams(query),
        needle: folded(query),
    };
    let mut tx = client.build_transaction().read_only(true).start()?;
    let mut hits = Vec::new();
    for window in windows(&newest) {
        let cursor = if narrowed {
            tx.bind(
                NARROWED_PAGES,
                &[
                    &word.grams,
                    &window.from,
                    &window.before,
                    &filter.magazine,
                    &filter.municipality,
                ],
            )?
        } else {
            tx.bind(
                PAGES,
                &[&word.grams, &window.months, &window.from, &window.before],
            )?
        };
        loop {
            let batch = tx.query_portal(&cursor, PAGES_PER_BATCH)?;
            if batch.is_empty() {
                break;
            }
            add_hits(&mut tx, &word, &batch, limit, &mut hits)?;
            if hits.len() >= limit {
                tx.commit()?;
                return Ok(hits);
            }
        }
    }
    tx.commit()?;
    Ok(hits)
}

/// A word searched for, as the index and the fields are asked for it.
struct Word<'a> {
    /// As the editor typed it, trimmed (for the snippets).
    query: &'a str,
    /// Its character or pairs.
    grams: Vec<String>,
    /// Folded as the fields' texts are.
    needle: String,
}

/// Adds to `hits`, up to `limit`, the fields of a batch of pages (rows of [`PAGES`], in order)
/// that hold the word.
fn add_hits(
    tx: &mut Transaction<'_>,
    word: &Word<'_>,
    pages: &[Row],
    limit: usize,
    hits: &mut Vec<Hit>,
) -> Result<(), postgres::Error> {
    let ids: Vec<i64> = pages.iter().map(|page| page.get(0)).collect();
    let mut fields: HashMap<i64, Vec<Row>> = HashMap::new();
    for field in tx.query(FIELDS, &[&ids, &word.needle])? {
        fields.entry(field.get(0)).or_default().push(field);
    }
    for page in pages {
        for field in fields.get(&page.get::<_, i64>(0)).into_iter().flatten() {
            if hits.len() >= limit {
                return Ok(());
            }
            hits.push(hit(page, field, word.query));
        }
    }
    Ok(())
}

/// One hit from a row of [`PAGES`] and one of [`FIELDS`].
fn hit(page: &Row, field: &Row, query: &str) -> Hit {
    let text: String = field.get(2);
    Hit {
        folio: u32::try_from(page.get::<_, i32>(1)).unwrap_or(0),
        page_title: page.get(2),
        issue: page.get(3),
        version: u32::try_from(page.get::<_, i32>(4)).unwrap_or(0),
        issue_date: page.get(5),
        magazine: page.get(6),
        municipality: Municipality::from_columns(page.get(7), page.get(8)),
        field: field.get(1),
        snippet: snippet(&text, query),
        text,
        figure: field.get(3),
        words: match (
            field.get::<_, Option<String>>(4),
            field.get::<_, Option<String>>(5),
        ) {
            (Some(ja), Some(en)) => Some(Words::new(ja, en)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_looks_back_a_month_three_a_year_ten_years_then_everywhere() {
        let all = windows("2026-02-01");
        let spans: Vec<(Option<&str>, Option<&str>)> = all
            .iter()
            .map(|w| (w.from.as_deref(), w.before.as_deref()))
            .collect();
        assert_eq!(
            spans,
            [
                (Some("2026-02-01"), None),
                (Some("2025-12-01"), Some("2026-02-01")),
                (Some("2025-03-01"), Some("2025-12-01")),
                (Some("2016-03-01"), Some("2025-03-01")),
                (None, Some("2016-03-01")),
            ]
        );
    }

    #[test]
    fn a_short_window_is_found_by_its_months() {
        let all = windows("2026-02-01");
        assert_eq!(
            all[0].months.as_deref(),
            Some(&["\u{1}2026-02".to_owned()][..])
        );
        assert_eq!(
            all[1].months.as_deref(),
            Some(&["\u{1}2025-12".to_owned(), "\u{1}2026-01".to_owned()][..])
        );
        assert_eq!(all[2].months.as_ref().map(Vec::len), Some(9));
        assert_eq!(
            all[3].months, None,
            "nine years by date, not 108 month entries"
        );
        assert_eq!(all[4].months, None);
    }
}
