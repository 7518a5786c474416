//! A spreadsheet or CSV file read into rows of cells: the one place that knows file formats
//! and text encodings. CSV is UTF-8 (with or without a BOM) or Shift_JIS as Windows writes it
//! (CP932, which city systems still export); `.xlsx` is read from its first sheet. Rows are
//! numbered as a spreadsheet shows them, the header row being row 1.

use std::path::Path;

/// One cell as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing written.
    Empty,
    /// Text (every CSV cell, and text cells of a sheet).
    Text(String),
    /// A number cell of a sheet.
    Number(f64),
    /// A date or time cell of a sheet: days since 1899-12-30, the time as the fraction.
    DateTime(f64),
}

impl Cell {
    /// Whether nothing but white space is written.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            Cell::Number(_) | Cell::DateTime(_) => false,
        }
    }

    /// The cell as text: numbers without a needless `.0`, date cells as `YYYY-MM-DD` (with
    /// `H:MM` when they hold a time of day too).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().replace("\r\n", "\n"),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::DateTime(serial) => super::values::serial_text(*serial),
        }
    }
}

/// One row below the header.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Its number as the spreadsheet shows it (the header is row 1).
    pub number: usize,
    /// Its cells, one per header column (missing ones empty).
    pub cells: Vec<Cell>,
}

/// A table: the header row's names and the rows under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// How the file was read, for the report (`UTF-8`, `Shift_JIS`, the sheet's name).
    pub read_as: String,
    /// The header row's names, trimmed.
    pub headers: Vec<String>,
    /// The rows with anything written in them, in order.
    pub rows: Vec<Row>,
}

/// Why a file cannot be read as a table.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file cannot be read at all.
    #[error("cannot read it: {0}")]
    Unreadable(String),
    /// A CSV file in neither UTF-8 nor Shift_JIS.
    #[error("its text is neither UTF-8 nor Shift_JIS (CP932)")]
    Encoding,
    /// A CSV file whose rows cannot be split (an unclosed quote, say).
    #[error("row {row} cannot be read as CSV: {reason}")]
    Csv {
        /// The row, as a spreadsheet numbers it.
        row: usize,
        /// The CSV reader's words.
        reason: String,
    },
    /// A spreadsheet file that cannot be opened.
    #[error("it cannot be opened as an .xlsx workbook: {0}")]
    Workbook(String),
    /// A file whose name says neither `.csv` nor `.xlsx`.
    #[error("only .csv and .xlsx files can be imported")]
    Format,
    /// No header row: nothing is written in the file.
    #[error("it has no header row")]
    NoHeader,
}

/// Reads `path` as a table: `.csv` or `.xlsx`, by its name.
pub fn read(path: &Path) -> Result<Table, TableError> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") | Some("txt") => {
            let bytes = std::fs::read(path).map_err(|e| TableError::Unreadable(e.to_string()))?;
            read_csv(&bytes)
        }
        Some("xlsx") | Some("xlsm") => read_xlsx(path),
        _ => Err(TableError::Format),
    }
}

/// Reads CSV bytes: UTF-8 (a BOM is dropped) when they are valid UTF-8, Shift_JIS otherwise.
pub fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let (text, read_as) = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // The csv reader skips blank lines; a spreadsheet shows them as rows. A record's row is
    // its first line less the line breaks inside the quoted cells of the records before it.
    let mut lines: Vec<Vec<Cell>> = Vec::new();
    let mut breaks_inside = 0;
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Csv {
            row: e
                .position()
                .map_or(lines.len() + 1, |p| p.line() as usize - breaks_inside),
            reason: e.to_string(),
        })?;
        let line = record
            .position()
            .map_or(lines.len() + 1, |p| p.line() as usize);
        let row = line - breaks_inside;
        while lines.len() + 1 < row {
            lines.push(Vec::new());
        }
        breaks_inside += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
        lines.push(
            record
                .iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_owned())
                    }
                })
                .collect::<Vec<_>>(),
        );
    }
    table(lines, read_as.to_owned())
}

/// The text of CSV bytes and the encoding it was in.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    // encoding_rs's Shift_JIS is the WHATWG one: Windows' CP932, with NEC and IBM extensions.
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(TableError::Encoding);
    }
    Ok((text.into_owned(), "Shift_JIS"))
}

/// Reads the first sheet of an `.xlsx` workbook.
fn read_xlsx(path: &Path) -> Result<Table, TableError> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<std::io::BufReader<std::fs::File>> = calamine::open_workbook(path)
        .map_err(|e: calamine::XlsxError| TableError::Workbook(e.to_string()))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(TableError::NoHeader)?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| TableError::Workbook(e.to_string()))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut lines: Vec<Vec<Cell>> = Vec::new();
    // Rows above the first written one are blank: kept so row numbers stay the sheet's.
    for _ in 0..first_row {
        lines.push(Vec::new());
    }
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; first_column as usize];
        cells.extend(row.iter().map(|data| match data {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Float(f) => Cell::Number(*f),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_owned()),
            Data::DateTime(d) => Cell::DateTime(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(_) => Cell::Empty,
        }));
        lines.push(cells);
    }
    table(lines, format!("sheet {name}"))
}

/// The table of `lines`: the first line with anything written is the header.
fn table(lines: Vec<Vec<Cell>>, read_as: String) -> Result<Table, TableError> {
    let header_at = lines
        .iter()
        .position(|cells| cells.iter().any(|c| !c.is_blank()))
        .ok_or(TableError::NoHeader)?;
    let headers: Vec<String> = lines[header_at].iter().map(|c| c.text()).collect();
    let rows = lines
        .into_iter()
        .enumerate()
        .skip(header_at + 1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_blank()))
        .map(|(index, mut cells)| {
            cells.resize(headers.len().max(cells.len()), Cell::Empty);
            Row {
                number: index + 1,
                cells,
            }
        })
        .collect();
    Ok(Table {
        read_as,
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_shift_jis_read_alike() {
        let text = "イベント名,開始日\n朝市,2026-07-04\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let plain = read_csv(text.as_bytes()).unwrap();
        assert_eq!(plain.read_as, "UTF-8");
        assert_eq!(plain.headers, ["イベント名", "開始日"]);
        assert_eq!(plain.rows[0].number, 2);
        let from_bom = read_csv(&bom).unwrap();
        let from_sjis = read_csv(&sjis).unwrap();
        assert_eq!(from_sjis.read_as, "Shift_JIS");
        assert_eq!(
            (from_bom.headers, from_bom.rows),
            (plain.headers.clone(), plain.rows.clone())
        );
        assert_eq!(
            (from_sjis.headers, from_sjis.rows),
            (plain.headers, plain.rows)
        );
    }

    #[test]
    fn blank_rows_are_skipped_but_keep_the_numbering() {
        let table = read_csv("a,b\n\n,\nx,y\n".as_bytes()).unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].number, 4);
    }

    #[test]
    fn bytes_in_no_known_encoding_are_refused() {
        assert!(matches!(
            read_csv(b"a,b\n\x82\xff\x80,1\n"),
            Err(TableError::Encoding)
        ));
    }
}
