//! The checks a proofreader does by hand across the issue, once every page is read: each date
//! written with its weekday inside free text (「6月7日(日)」) against the calendar, in the
//! issue's year. Field types check their own values as they are read (`content::page`); this
//! is for what only the issue's date can settle.

use crate::calendar::{self, DateFault};
use crate::content::model::{Issue, Page};
use crate::diag::{Diagnostic, FieldPath, Problem};

/// Every date in the issue's texts whose written weekday (or 祝) the calendar contradicts.
pub fn check(issue: &Issue) -> Vec<Diagnostic> {
    check_pages(issue.pages.iter(), issue.issue_date)
}

/// [`check`] on some pages of an issue dated `issue_date` (the clean pages of an issue with
/// other problems, so that one run reports these too).
pub fn check_pages<'a>(
    pages: impl Iterator<Item = &'a Page>,
    issue_date: crate::content::model::CalendarDate,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in pages {
        for (path, text) in page.content.fields.printed_texts(&FieldPath::root()) {
            for slip in calendar::slips(text, issue_date) {
                found.push(diagnostic(page, &path, &slip));
            }
        }
    }
    found
}

fn diagnostic(page: &Page, path: &FieldPath, slip: &calendar::DateSlip) -> Diagnostic {
    let problem = match &slip.fault {
        DateFault::WrongWeekday { date, right, fix } => Problem::WrongWeekday {
            written: slip.written.clone(),
            date: date.to_string(),
            right: (*right).to_owned(),
            fix: fix.clone(),
        },
        DateFault::NotAHoliday { date, fix } => Problem::NotAHoliday {
            written: slip.written.clone(),
            date: date.to_string(),
            fix: fix.clone(),
        },
        DateFault::NoSuchDay { .. } => Problem::NoSuchDay {
            written: slip.written.clone(),
        },
    };
    page.diagnostic(written_at(page, path, &slip.written), path.clone(), problem)
}

/// Where `written` stands in the page file: inside the value of `path` as written (a quoted
/// or folded YAML value is not byte for byte the text, so it is searched for), else the
/// value's start.
fn written_at(page: &Page, path: &FieldPath, written: &str) -> std::ops::Range<usize> {
    let value = page.spans.get(&path.to_string()).unwrap_or(0..0);
    let source = &page.source.text;
    source
        .get(value.clone())
        .and_then(|text| text.find(written))
        .map_or(value.start..value.start, |at| {
            let start = value.start + at;
            start..start + written.len()
        })
}
