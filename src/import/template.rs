//! `koho import --template KIND`: an `.xlsx` workbook whose first sheet has the header row a
//! sheet of that kind needs (the columns [`super::sheet::levels`] works out from the schema),
//! and a second sheet saying how to write each column.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::sheet::{Column, levels};
use crate::schema::{FieldType, Kind};

/// The width of a column, in characters.
const COLUMN_WIDTH: f64 = 18.0;

/// The workbook's bytes; `None` when the kind has no list a sheet could fill.
pub fn workbook(kind: &Kind) -> Option<Result<Vec<u8>, XlsxError>> {
    let levels = levels(kind)?;
    let columns: Vec<&Column<'_>> = levels.iter().flat_map(|l| l.columns.iter()).collect();
    Some(write(kind, &columns))
}

fn write(kind: &Kind, columns: &[&Column<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    let required = Format::new().set_bold().set_background_color("#FCE4D6");
    let dates = Format::new().set_num_format("yyyy-mm-dd");
    let times = Format::new().set_num_format("h:mm");
    let sheet = book.add_worksheet();
    sheet.set_name(kind.words.ja.chars().take(31).collect::<String>())?;
    for (index, column) in columns.iter().enumerate() {
        let col = index as u16;
        let format = if column.required { &required } else { &header };
        sheet.write_string_with_format(0, col, &column.ja, format)?;
        sheet.set_column_width(col, COLUMN_WIDTH)?;
        match column.field.ty {
            FieldType::Date => {
                sheet.set_column_format(col, &dates)?;
            }
            FieldType::Time => {
                sheet.set_column_format(col, &times)?;
            }
            _ => {}
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    let help = book.add_worksheet();
    help.set_name("書き方")?;
    for (col, title) in ["見出し", "English", "書き方", "必ず書く"]
        .iter()
        .enumerate()
    {
        help.write_string_with_format(0, col as u16, *title, &header)?;
    }
    for (index, column) in columns.iter().enumerate() {
        let row = index as u32 + 1;
        help.write_string(row, 0, &column.ja)?;
        help.write_string(row, 1, &column.key_path)?;
        help.write_string(row, 2, how_to_write(&column.field.ty))?;
        help.write_string(row, 3, if column.required { "はい" } else { "" })?;
    }
    help.set_column_width(0, 24)?;
    help.set_column_width(1, 32)?;
    help.set_column_width(2, 56)?;
    book.save_to_buffer()
}

/// How to write a cell of `ty`, in Japanese.
fn how_to_write(ty: &FieldType) -> String {
    match ty {
        FieldType::Text { max_chars: Some(n) } => format!("文字 ({n} 字まで)"),
        FieldType::Text { max_chars: None } => "文字".to_owned(),
        FieldType::Paragraphs { .. } => "文章 (セルの中の改行 2 つで段落を分けます)".to_owned(),
        FieldType::Integer { unit: Some(u), .. } => {
            format!("数字 (「{u}」は付けなくてかまいません)")
        }
        FieldType::Integer { unit: None, .. } => "数字".to_owned(),
        FieldType::Percent => "0〜100 の数字".to_owned(),
        FieldType::Date => "日付 (2026-07-04、2026/7/4 や日付のセル)".to_owned(),
        FieldType::Time => "時刻 (9:30 や時刻のセル)".to_owned(),
        FieldType::Schedule => "日時 (2026-07-04 10:00-12:00、2026-07-04〜2026-07-06)".to_owned(),
        FieldType::Phone => "電話番号 (0144-32-6039)".to_owned(),
        FieldType::Url | FieldType::Qr => "ホームページのアドレス (https://…)".to_owned(),
        FieldType::Email => "メールアドレス".to_owned(),
        FieldType::Page => "同じ号のページのファイル名 (p10-notices.yaml)".to_owned(),
        FieldType::Choice { of } => format!("次のどれか: {}", of.join(" / ")),
        _ => String::new(),
    }
}
