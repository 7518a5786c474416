//! A sheet whose header row names a kind's fields: each row becomes one entry of the kind's
//! list (the notices of a category, the clinics of a duty day…). The columns are worked out
//! from the kind's schema alone, so a new kind can be imported without Rust.
//!
//! The rows fill the kind's first list of entries; where an entry holds a list of its own
//! (a category's notices), the rows fill the innermost list and the outer columns group
//! them: rows with the same 分類名 go to one category, and a row that leaves the outer
//! columns blank joins the entry above it, as a spreadsheet is often written.

use super::draft::{DraftEntry, DraftValue};
use super::table::{Cell, Row, Table};
use super::{RowFault, RowProblem, values};
use crate::schema::{Field, FieldType, Fields, Kind};

/// One column a sheet may have for a kind: a field of one level's entries.
#[derive(Clone, Debug)]
pub struct Column<'k> {
    /// The keys from the level's entry down to the field (`["contact", "phone"]`).
    pub path: Vec<String>,
    /// The field.
    pub field: &'k Field,
    /// The header in Japanese (問合せ・電話), as the template writes it.
    pub ja: String,
    /// The header in English words (contact · phone).
    pub en: String,
    /// The whole key path from the page (`categories.items.contact.phone`), always accepted.
    pub key_path: String,
    /// Whether a row must fill it (its field and the objects around it are required).
    pub required: bool,
}

/// One level of lists the rows fill: the list's key in its parent entry, its columns.
#[derive(Clone, Debug)]
pub struct Level<'k> {
    /// The list's key.
    pub key: String,
    /// The list field.
    pub field: &'k Field,
    /// The fields of its entries that a sheet can hold.
    pub columns: Vec<Column<'k>>,
}

/// The levels of lists a sheet of `kind` fills, outermost first; `None` when the kind has no
/// list of entries.
pub fn levels(kind: &Kind) -> Option<Vec<Level<'_>>> {
    let mut levels = Vec::new();
    let mut fields = &kind.fields;
    let mut prefix = String::new();
    while let Some((key, field, entry)) = first_object_list(fields) {
        let key_path = format!("{prefix}{key}");
        let mut columns = Vec::new();
        collect_columns(
            entry,
            &[],
            "",
            "",
            &format!("{key_path}."),
            true,
            &mut columns,
        );
        levels.push(Level {
            key: key.clone(),
            field,
            columns,
        });
        fields = entry;
        prefix = format!("{key_path}.");
    }
    if levels.is_empty() {
        return None;
    }
    disambiguate(&mut levels);
    Some(levels)
}

/// The first field of `fields` that is a list of objects, with the objects' fields.
fn first_object_list(fields: &Fields) -> Option<(&String, &Field, &Fields)> {
    fields.iter().find_map(|(key, field)| match &field.ty {
        FieldType::List(list) => match &list.entry {
            FieldType::Object(entry) => Some((key, field, entry)),
            _ => None,
        },
        _ => None,
    })
}

/// Whether a cell can hold a value of `ty`.
fn fits_a_cell(ty: &FieldType) -> bool {
    !matches!(
        ty,
        FieldType::Photo { .. } | FieldType::Ad { .. } | FieldType::List(_) | FieldType::Object(_)
    )
}

fn collect_columns<'k>(
    fields: &'k Fields,
    path: &[String],
    ja_prefix: &str,
    en_prefix: &str,
    key_prefix: &str,
    required: bool,
    into: &mut Vec<Column<'k>>,
) {
    for (key, field) in fields.iter() {
        let mut here = path.to_vec();
        here.push(key.clone());
        let needed = required && !field.optional && field.default.is_none();
        match &field.ty {
            FieldType::Object(inner) => collect_columns(
                inner,
                &here,
                &format!("{ja_prefix}{}・", field.words.ja),
                &format!("{en_prefix}{} · ", field.words.en),
                &format!("{key_prefix}{key}."),
                needed,
                into,
            ),
            ty if fits_a_cell(ty) => into.push(Column {
                path: here,
                field,
                ja: format!("{ja_prefix}{}", field.words.ja),
                en: format!("{en_prefix}{}", field.words.en),
                key_path: format!("{key_prefix}{key}"),
                required: needed,
            }),
            _ => {}
        }
    }
}

/// Headers named alike on two levels get their level's words in front (分類・題).
fn disambiguate(levels: &mut [Level<'_>]) {
    let all: Vec<String> = levels
        .iter()
        .flat_map(|l| l.columns.iter().map(|c| normal(&c.ja)))
        .collect();
    for level in levels.iter_mut() {
        let (ja, en) = (level.field.words.ja.clone(), level.field.words.en.clone());
        for column in &mut level.columns {
            if all.iter().filter(|h| **h == normal(&column.ja)).count() > 1 {
                column.ja = format!("{ja}・{}", column.ja);
                column.en = format!("{en} · {}", column.en);
            }
        }
    }
}

/// A header as compared: full-width letters narrowed, spaces, brackets and `・ · _ .` dropped, in
/// lower case.
pub fn normal(header: &str) -> String {
    values::narrow(header)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '・' | '·' | '_' | '.' | '･' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which column of the sheet holds each column of each level, and the headers matched to
/// none.
struct Matched {
    /// For each level, for each of its columns, the sheet's column index.
    at: Vec<Vec<Option<usize>>>,
    /// Headers no field takes.
    unknown: Vec<String>,
}

fn match_headers(levels: &[Level<'_>], headers: &[String]) -> Matched {
    let names = |c: &Column<'_>| {
        let short = c.path.join(".");
        [
            c.ja.clone(),
            c.en.clone(),
            c.key_path.clone(),
            short,
            c.field.words.ja.clone(),
        ]
    };
    // A name counts only when it points at one column.
    let mut owners: std::collections::HashMap<String, Vec<(usize, usize)>> = Default::default();
    for (l, level) in levels.iter().enumerate() {
        for (c, column) in level.columns.iter().enumerate() {
            for name in names(column) {
                let entry = owners.entry(normal(&name)).or_default();
                if !entry.contains(&(l, c)) {
                    entry.push((l, c));
                }
            }
        }
    }
    let mut at: Vec<Vec<Option<usize>>> =
        levels.iter().map(|l| vec![None; l.columns.len()]).collect();
    let mut unknown = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        if header.trim().is_empty() {
            continue;
        }
        match owners.get(&normal(header)).map(Vec::as_slice) {
            Some([(l, c)]) if at[*l][*c].is_none() => at[*l][*c] = Some(index),
            _ => unknown.push(header.clone()),
        }
    }
    Matched { at, unknown }
}

/// What a sheet gave: the entries of the outermost list, the rows left out and why, and the
/// headers no field takes.
#[derive(Debug)]
pub struct SheetEntries {
    /// The entries, in the order their first rows come.
    pub entries: Vec<DraftEntry>,
    /// How many rows became entries.
    pub rows_taken: usize,
    /// Rows that could not become entries.
    pub skipped: Vec<RowProblem>,
    /// Headers no field takes.
    pub unknown: Vec<String>,
    /// Headers of required fields the sheet lacks.
    pub missing: Vec<String>,
}

/// An entry being built: its values, the key its columns make (to group rows), its entries.
struct Built {
    key: Vec<String>,
    comment: String,
    values: Vec<PathValue>,
    children: Vec<Built>,
}

/// The entries the rows of `table` make for `levels`; `file` names the sheet in comments.
pub fn entries(levels: &[Level<'_>], table: &Table, file: &str) -> SheetEntries {
    let matched = match_headers(levels, &table.headers);
    let missing: Vec<String> = levels
        .iter()
        .zip(&matched.at)
        .flat_map(|(level, at)| {
            level
                .columns
                .iter()
                .zip(at)
                .filter(|(c, a)| c.required && a.is_none())
                .map(|(c, _)| c.ja.clone())
        })
        .collect();
    let mut top: Vec<Built> = Vec::new();
    let mut skipped = Vec::new();
    let mut rows_taken = 0;
    for row in &table.rows {
        match read_row(levels, &matched.at, row) {
            Ok(per_level) => {
                if place(
                    &mut top,
                    per_level,
                    format!("{file} の {} 行目", row.number),
                ) {
                    rows_taken += 1;
                } else {
                    skipped.push(RowProblem {
                        row: row.number,
                        fault: RowFault::NoGroup {
                            column: levels[0]
                                .columns
                                .first()
                                .map(|c| c.ja.clone())
                                .unwrap_or_default(),
                        },
                    });
                }
            }
            Err(fault) => skipped.push(RowProblem {
                row: row.number,
                fault,
            }),
        }
    }
    let entries = top.into_iter().map(|b| finish(b, levels, 0)).collect();
    SheetEntries {
        entries,
        rows_taken,
        skipped,
        unknown: matched.unknown,
        missing,
    }
}

/// One row's values per level; a level whose cells are all blank is `None`.
type RowValues = Vec<Option<(Vec<String>, Vec<PathValue>)>>;

fn read_row(
    levels: &[Level<'_>],
    at: &[Vec<Option<usize>>],
    row: &Row,
) -> Result<RowValues, RowFault> {
    let mut per_level = Vec::new();
    for (depth, (level, at)) in levels.iter().zip(at).enumerate() {
        let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).unwrap_or(&Cell::Empty);
        let innermost = depth + 1 == levels.len();
        let blank = level
            .columns
            .iter()
            .zip(at)
            .all(|(_, a)| cell(*a).is_blank());
        if blank && !innermost {
            per_level.push(None);
            continue;
        }
        let mut key = Vec::new();
        let mut values = Vec::new();
        // Optional objects (a contact) are left out when none of their cells is written.
        let written_objects: Vec<String> = level
            .columns
            .iter()
            .zip(at)
            .filter(|(c, a)| c.path.len() > 1 && !cell(**a).is_blank())
            .map(|(c, _)| c.path[0].clone())
            .collect();
        for (column, a) in level.columns.iter().zip(at) {
            let cell = cell(*a);
            key.push(cell.text());
            if cell.is_blank() {
                let object_written =
                    column.path.len() > 1 && written_objects.contains(&column.path[0]);
                let needed = column.required
                    || (object_written && !column.field.optional && column.field.default.is_none());
                if needed {
                    return Err(RowFault::Missing {
                        column: column.ja.clone(),
                    });
                }
                continue;
            }
            values.push((column.path.clone(), cell_value(column, cell)?));
        }
        per_level.push(Some((key, values)));
    }
    Ok(per_level)
}

/// The value of one cell for `column`'s field, or why it is not one.
pub fn cell_value(column: &Column<'_>, cell: &Cell) -> Result<DraftValue, RowFault> {
    let written = cell.text();
    let bad = |fault: fn(String, String) -> RowFault| fault(column.ja.clone(), written.clone());
    Ok(match &column.field.ty {
        FieldType::Date => DraftValue::Text(
            match cell {
                Cell::DateTime(s) | Cell::Number(s) => values::serial_date(*s),
                _ => values::date(&written),
            }
            .ok_or_else(|| bad(|column, written| RowFault::NotADate { column, written }))?
            .to_string(),
        ),
        FieldType::Time => DraftValue::Text(
            match cell {
                Cell::DateTime(s) | Cell::Number(s) if *s < 1.0 => values::serial_time(*s),
                Cell::DateTime(s) => values::serial_time(*s),
                _ => values::time(&written),
            }
            .ok_or_else(|| bad(|column, written| RowFault::NotATime { column, written }))?
            .to_string(),
        ),
        FieldType::Schedule => DraftValue::Text(match cell {
            Cell::DateTime(s) | Cell::Number(s) => values::serial_text(*s),
            _ => match values::date(&written) {
                Some(date) => date.to_string(),
                None => values::narrow(&written),
            },
        }),
        FieldType::Integer { unit, .. } => DraftValue::Integer(
            match cell {
                Cell::Number(n) if n.fract() == 0.0 => Some(*n as i64),
                _ => values::integer(&written, unit.as_deref()),
            }
            .ok_or_else(|| bad(|column, written| RowFault::NotANumber { column, written }))?,
        ),
        FieldType::Percent => DraftValue::Integer(
            values::integer(written.trim_end_matches(['%', '％']), None)
                .ok_or_else(|| bad(|column, written| RowFault::NotANumber { column, written }))?,
        ),
        FieldType::Phone => DraftValue::Text(values::narrow(&written)),
        _ => DraftValue::Text(written),
    })
}

/// Puts one row's values into the tree; false when an outer level is blank and there is no
/// entry above to join.
fn place(siblings: &mut Vec<Built>, mut per_level: RowValues, comment: String) -> bool {
    if per_level.is_empty() {
        return true;
    }
    let here = per_level.remove(0);
    let innermost = per_level.is_empty();
    let index = match here {
        None => match siblings.len() {
            0 => return false,
            n => n - 1,
        },
        Some((key, values)) => match siblings.iter().position(|b| b.key == key && !innermost) {
            Some(i) => i,
            None => {
                siblings.push(Built {
                    key,
                    comment: comment.clone(),
                    values,
                    children: Vec::new(),
                });
                siblings.len() - 1
            }
        },
    };
    innermost || place(&mut siblings[index].children, per_level, comment)
}

/// The draft entry of a built one: its values nested into objects, then its own list.
fn finish(built: Built, levels: &[Level<'_>], depth: usize) -> DraftEntry {
    let mut fields = nest(built.values);
    if let Some(inner) = levels.get(depth + 1) {
        fields.push((
            inner.key.clone(),
            DraftValue::Entries(
                built
                    .children
                    .into_iter()
                    .map(|b| finish(b, levels, depth + 1))
                    .collect(),
            ),
        ));
    }
    DraftEntry {
        comment: Some(built.comment),
        fields,
    }
}

/// One value with the key path it goes under (`["contact", "phone"]`).
pub type PathValue = (Vec<String>, DraftValue);

/// Values by key path, nested: `contact.phone` and `contact.department` in one object.
pub fn nest(values: Vec<PathValue>) -> Vec<(String, DraftValue)> {
    let mut out: Vec<(String, DraftValue)> = Vec::new();
    let mut groups: Vec<(String, Vec<PathValue>)> = Vec::new();
    for (path, value) in values {
        match path.as_slice() {
            [key] => out.push((key.clone(), value)),
            [key, rest @ ..] => match groups.iter_mut().find(|(k, _)| k == key) {
                Some((_, group)) => group.push((rest.to_vec(), value)),
                None => {
                    out.push((key.clone(), DraftValue::Object(Vec::new())));
                    groups.push((key.clone(), vec![(rest.to_vec(), value)]));
                }
            },
            [] => {}
        }
    }
    for (key, group) in groups {
        if let Some((_, slot)) = out.iter_mut().find(|(k, _)| *k == key) {
            *slot = DraftValue::Object(nest(group));
        }
    }
    out
}
