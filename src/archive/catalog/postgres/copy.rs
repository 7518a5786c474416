//! Rebuilding a shared catalogue at scale: rows sent with `COPY … FROM STDIN`, a batch of
//! packages at a time, instead of one `INSERT` per field. A million pages hold some ten
//! million fields; row by row that is hours of round trips, by COPY minutes.
//!
//! Ids are taken ahead from the tables' sequences (the rebuild holds the tables in EXCLUSIVE
//! mode, so no add takes one meanwhile), so that pages can name their package and fields their
//! page without asking the server back.

use std::fmt::Write as _;
use std::io::Write as _;

use postgres::Transaction;

use super::grams::{folded_if_changed, indexed_grams};
use crate::archive::catalog::PackageRecord;
use crate::archive::fields::PageFields;

/// How many packages are sent in one round of COPYs (a few tens of megabytes of rows).
pub const BATCH: usize = 500;

/// One value of a COPY text row: backslash, tab, newline and carriage return escaped.
fn push_text(row: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => row.push_str("\\\\"),
            '\t' => row.push_str("\\t"),
            '\n' => row.push_str("\\n"),
            '\r' => row.push_str("\\r"),
            c => row.push(c),
        }
    }
}

/// A value that may be NULL (`\N`).
fn push_opt(row: &mut String, text: Option<&str>) {
    match text {
        Some(text) => push_text(row, text),
        None => row.push_str("\\N"),
    }
}

/// A `text[]` literal, every element quoted, then escaped as a COPY value.
fn push_array(row: &mut String, items: &[String]) {
    let mut literal = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            literal.push(',');
        }
        literal.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                literal.push('\\');
            }
            literal.push(c);
        }
        literal.push('"');
    }
    literal.push('}');
    push_text(row, &literal);
}

/// Takes `n` ids from `sequence` and gives the first.
fn take_ids(tx: &mut Transaction<'_>, sequence: &str, n: usize) -> Result<i64, postgres::Error> {
    let n = i64::try_from(n.max(1)).unwrap_or(i64::MAX);
    let last: i64 = tx
        .query_one(
            "SELECT setval($1::text::regclass, nextval($1::text::regclass) + $2 - 1)",
            &[&sequence, &n],
        )?
        .get(0);
    Ok(last - n + 1)
}

/// Why a batch could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The server refused.
    #[error(transparent)]
    Db(#[from] postgres::Error),
    /// The rows could not be written to the connection.
    #[error("sending rows: {0}")]
    Io(#[from] std::io::Error),
}

/// Sends one batch of packages with their pages and fields. Returns the fields sent.
pub fn send(
    tx: &mut Transaction<'_>,
    batch: &[(PackageRecord, Vec<PageFields>)],
) -> Result<u64, CopyError> {
    let pages: usize = batch.iter().map(|(_, p)| p.len()).sum();
    let fields: usize = batch
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.fields.len()))
        .sum();
    let first_package = take_ids(tx, "package_id_seq", batch.len())?;
    let mut page_id = take_ids(tx, "page_id_seq", pages)?;
    let mut field_id = take_ids(tx, "field_id_seq", fields)?;
    let (mut package_rows, mut page_rows, mut field_rows) =
        (String::new(), String::new(), String::new());
    for (package_id, (record, pages)) in (first_package..).zip(batch) {
        let row = &mut package_rows;
        let _ = write!(row, "{package_id}\t");
        push_text(row, &record.shelf);
        row.push('\t');
        push_text(row, &record.issue);
        let _ = write!(row, "\t{}\t", record.version);
        push_text(row, &record.magazine);
        row.push('\t');
        push_opt(row, record.municipality.as_ref().map(|m| m.code.as_str()));
        row.push('\t');
        push_opt(row, record.municipality.as_ref().map(|m| m.name.as_str()));
        row.push('\t');
        push_text(row, &record.issue_date);
        row.push('\t');
        push_opt(row, record.number.map(|n| n.to_string()).as_deref());
        row.push('\t');
        push_text(row, &record.added);
        row.push('\t');
        push_text(row, &record.manifest_sha256);
        row.push('\n');
        for page in pages {
            let texts = page.texts();
            let row = &mut page_rows;
            let _ = write!(row, "{page_id}\t{package_id}\t{}\t", page.folio);
            push_text(row, &page.file);
            row.push('\t');
            push_text(row, &page.layout);
            row.push('\t');
            push_text(row, &page.title);
            row.push('\t');
            push_array(row, &indexed_grams(&texts, &record.issue_date));
            row.push('\t');
            push_text(row, &record.issue_date);
            row.push('\n');
            for field in &page.fields {
                let folded_text = folded_if_changed(field.text.as_deref());
                let row = &mut field_rows;
                let _ = write!(row, "{field_id}\t{page_id}\t");
                push_text(row, &field.field);
                row.push('\t');
                push_text(row, &field.ty);
                row.push('\t');
                push_opt(row, field.text.as_deref());
                row.push('\t');
                push_opt(row, folded_text.as_deref());
                row.push('\t');
                push_opt(row, field.value.as_deref());
                row.push('\t');
                push_opt(row, field.figure.as_deref());
                row.push('\t');
                push_opt(row, field.words.as_ref().map(|w| w.ja.as_str()));
                row.push('\t');
                push_opt(row, field.words.as_ref().map(|w| w.en.as_str()));
                row.push('\n');
                field_id += 1;
            }
            page_id += 1;
        }
    }
    for (statement, rows) in [
        (
            "COPY package (id, shelf, issue, version, magazine, municipality_code, \
             municipality_name, issue_date, number, added, manifest_sha256) FROM STDIN",
            package_rows,
        ),
        (
            "COPY page (id, package, folio, file, layout, title, grams, issue_date) FROM STDIN",
            page_rows,
        ),
        (
            "COPY field (id, page, path, type, text, folded, value, figure, words_ja, words_en) \
             FROM STDIN",
            field_rows,
        ),
    ] {
        let mut writer = tx.copy_in(statement)?;
        writer.write_all(rows.as_bytes())?;
        writer.finish()?;
    }
    Ok(fields as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_values_and_arrays_are_escaped() {
        let mut row = String::new();
        push_text(&mut row, "a\tb\\c\nd");
        assert_eq!(row, "a\\tb\\\\c\\nd");
        let mut row = String::new();
        push_array(&mut row, &["港".into(), "\"x".into(), "a\\".into()]);
        // {"港","\"x","a\\"} with each backslash doubled for COPY.
        assert_eq!(row, "{\"港\",\"\\\\\"x\",\"a\\\\\\\\\"}");
    }
}
