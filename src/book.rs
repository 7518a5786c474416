//! The issue as a book (DESIGN §9): what `issue.yaml`'s page list must be for the pages to be
//! printed and bound — folios from 1 without gaps, a page count the binding takes, each file
//! given as many folios as its kind fills, and the pages of one file printed alike (all four
//! colours or all two). Checked once both the issue and the format are read.

use crate::content::model::{Issue, Page};
use crate::diag::words::{Words, issue_words};
use crate::diag::{Diagnostic, FieldPath, Lang, Problem};
use crate::layout::Magazine;

/// Every problem of the issue's page list as a book bound as `format` says.
pub fn check(issue: &Issue, format: &Magazine) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in issue.pages.iter() {
        let span = page.content.kind.pages;
        let count = page.folios.count();
        if count < span.min || count > span.max {
            found.push(at_entry(
                issue,
                page,
                Problem::KindPages {
                    kind: page.content.kind.words.clone(),
                    folios: page.folios.to_string(),
                    count,
                    min: span.min,
                    max: span.max,
                },
            ));
        }
        if let Some(two) = &format.two_colour {
            let two_colour: Vec<u32> = page.folios.iter().filter(|f| two.covers(*f)).collect();
            if let Some(first) = two_colour.first()
                && two_colour.len() as u32 != count
            {
                found.push(at_entry(
                    issue,
                    page,
                    Problem::MixedColours {
                        folios: page.folios.to_string(),
                        two_colour: *first,
                    },
                ));
            }
        }
    }
    if issue.offprint {
        return found;
    }
    let pages = issue.pages.as_slice();
    let first = pages[0].folio().get();
    if first != 1 {
        found.push(at_entry(issue, &pages[0], Problem::FoliosStart { first }));
    }
    for pair in pages.windows(2) {
        let (after, next) = (pair[0].folios.last().get(), pair[1].folio().get());
        if next > after + 1 {
            found.push(at_entry(issue, &pair[1], Problem::FolioGap { after, next }));
        }
    }
    // The count is only worth saying once the folios run without gaps from 1.
    if found.is_empty() {
        let count = issue.page_count();
        let multiple = format.stitch.multiple();
        let short = count % multiple;
        if short != 0 {
            let last = &pages[pages.len() - 1];
            let mut diagnostic = issue.source.diagnostic(
                last.entry.0.clone(),
                FieldPath::root().key("pages"),
                Problem::PageCountBinding {
                    pages: count,
                    binding: format.stitch.words(),
                    multiple,
                    add: multiple - short,
                    remove: short,
                },
            );
            diagnostic.words = Some(words(&diagnostic.field));
            found.push(diagnostic);
        }
    }
    found
}

/// A diagnostic at a page's `folio:`/`folios:` in `issue.yaml`.
fn at_entry(issue: &Issue, page: &Page, problem: Problem) -> Diagnostic {
    let (span, path) = &page.entry;
    let key = if page.folios.count() == 1 {
        "folio"
    } else {
        "folios"
    };
    let mut diagnostic = issue
        .source
        .diagnostic(span.clone(), path.key(key), problem);
    diagnostic.words = Some(words(&diagnostic.field));
    diagnostic
}

fn words(path: &FieldPath) -> Words {
    Words::new(issue_words(path, Lang::Ja), issue_words(path, Lang::En))
}
