//! JSON Schemas (draft 2020-12) of `issue.yaml` and of each kind's page files, for the
//! editors' text editor: the YAML language server reads one through a
//! `# yaml-language-server: $schema=…` line and completes keys and underlines mistakes as the
//! editor types, with the field's Japanese words as its title.
//!
//! The JSON Schema says what it can: types, bounds, required keys, no unknown keys, the words
//! of a choice. What it cannot (a date that does not exist, a photo's resolution, the rules)
//! `koho check` still says. It never refuses what koho accepts.

use serde_json::{Map, Value as Json, json};

use super::{AD_KEYS, Field, FieldType, Fields, Kind, PHOTO_KEYS};
use crate::diag::Lang;

/// The JSON Schema dialect written.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The file name of a kind's JSON Schema (`pledge-progress.schema.json`).
pub fn file_name(kind: &str) -> String {
    format!("{kind}.schema.json")
}

/// Where `koho schema` writes, under the project's `out/`, unless told otherwise.
pub const SCHEMA_DIR: &str = "schema";

/// The file name of the JSON Schema of `issue.yaml`.
pub const ISSUE_SCHEMA_FILE: &str = "issue.schema.json";

/// The JSON Schema of a page file of `kind`.
pub fn of_kind(kind: &Kind) -> Json {
    let mut body = object(&kind.fields);
    let map = body.as_object_mut().expect("an object schema");
    // The page names its kind first, as koho reads it.
    let mut properties = Map::new();
    properties.insert(
        crate::content::page::KIND_KEY.to_owned(),
        json!({
            "const": kind.name,
            "title": "ページの種類",
            "description": format!("layouts/ のフォルダー名。このファイルは {}", kind.name),
        }),
    );
    if let Some(Json::Object(fields)) = map.remove("properties") {
        properties.extend(fields);
    }
    let mut required = vec![json!(crate::content::page::KIND_KEY)];
    if let Some(Json::Array(fields)) = map.remove("required") {
        required.extend(fields);
    }
    json!({
        "$schema": DIALECT,
        "title": kind.words.ja,
        "description": format!(
            "koho のページ「{}」({}) の原稿ファイル。layouts/{}/schema.yaml から作りました。",
            kind.words.ja, kind.words.en, kind.name
        ),
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

/// The JSON Schema of `issue.yaml` (DESIGN §2).
pub fn of_issue() -> Json {
    json!({
        "$schema": DIALECT,
        "title": "号の設定 (issue.yaml)",
        "description": "koho の号の設定: 誌名、発行日、通巻号数、印刷順のページ。",
        "type": "object",
        "additionalProperties": false,
        "required": ["magazine", "issue_date", "pages"],
        "properties": {
            "magazine": with_words(text_schema(), "誌名", "ノンブルの横に印刷する誌名"),
            "municipality": with_words(json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["name", "code"],
                "properties": {
                    "name": with_words(text_schema(), "名前", "自治体の名前 (例: 苫小牧市)"),
                    "code": with_words(json!({"type": "string", "pattern": "^[0-9]{6}$"}), "団体コード", "全国地方公共団体コード 6 桁 (例: \"012131\")"),
                },
            }), "発行する自治体", "共有の保存庫で、どの自治体の広報誌かを区別します (書かなくてもかまいません)"),
            "issue_date": with_words(date_schema(), "発行日", "年-月-日 (例: 2026-06-01)"),
            "number": with_words(json!({"type": "integer", "minimum": 1}), "通巻号数", "1 以上の整数"),
            "offprint": with_words(json!({"type": "boolean"}), "抜き刷り", "true: 一部のページだけを確かめる (ページ番号の始まりとページ数を確かめません)"),
            "pages": {
                "title": "ページ",
                "description": "印刷する順に並べたページのファイル",
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["file"],
                    // One folio, or a run of them: exactly one of the two.
                    "oneOf": [{"required": ["folio"]}, {"required": ["folios"]}],
                    "properties": {
                        "file": with_words(text_schema(), "ファイル", "号のフォルダーの中のページのファイル"),
                        "folio": with_words(json!({"type": "integer", "minimum": 1}), "ページ番号", "印刷するページ番号 (ノンブル)"),
                        "folios": with_words(json!({"type": ["string", "integer"], "pattern": "^ *[0-9]+ *([-〜~–] *[0-9]+ *)?$"}), "ページ番号の範囲", "続けて使うページ (例: 5-7)"),
                    },
                },
            },
        },
    })
}

/// An object's schema: its fields, the required ones, nothing else.
fn object(fields: &Fields) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (key, field) in fields.iter() {
        properties.insert(key.clone(), field_schema(field));
        if !field.optional {
            required.push(json!(key));
        }
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

/// One field: its type's schema with its words; an optional field may also be left empty.
fn field_schema(field: &Field) -> Json {
    let schema = with_words(
        type_schema(&field.ty),
        field.words.get(Lang::Ja),
        &describe(field),
    );
    if field.optional {
        json!({
            "title": field.words.ja,
            "description": describe(field),
            "anyOf": [schema, {"type": "null"}],
        })
    } else {
        schema
    }
}

/// What a field holds, in an editor's words.
fn describe(field: &Field) -> String {
    let what = match &field.ty {
        FieldType::Text { max_chars: Some(n) } => format!("文字 ({n} 文字まで)"),
        FieldType::Text { .. } => "文字".to_owned(),
        FieldType::Paragraphs { .. } => "文章 (空行で段落を分けます)".to_owned(),
        FieldType::Integer { unit, .. } => match unit {
            Some(unit) => format!("整数 (単位 {unit} は付けません)"),
            None => "整数".to_owned(),
        },
        FieldType::Percent => "0〜100 の整数 (% は付けません)".to_owned(),
        FieldType::Date => "日付 年-月-日 (例: 2026-06-01)。曜日は koho が付けます".to_owned(),
        FieldType::Time => "時刻 時:分 (例: 9:30)".to_owned(),
        FieldType::Schedule => {
            "日時 (例: 2026-08-02 9:30-12:00、2026-08-01〜2026-08-03)。曜日は koho が付けます"
                .to_owned()
        }
        FieldType::Phone => "電話番号 (例: 0144-32-6039)".to_owned(),
        FieldType::Url => "ウェブのアドレス (https://…)".to_owned(),
        FieldType::Qr => "ウェブのアドレス (https://…)。QR コードも印刷されます".to_owned(),
        FieldType::Email => "メールアドレス".to_owned(),
        FieldType::Page => "この号のページのファイル名 (例: p05-feature.yaml)".to_owned(),
        FieldType::Choice { of } => format!("次のどれか: {}", of.join(", ")),
        FieldType::Photo { .. } => "写真: file (ファイル)、alt (写真の説明)、caption".to_owned(),
        FieldType::Ad { slots } => format!(
            "広告: slot (広告枠: {})、file (広告主から届いた PDF)、advertiser (広告主)",
            slots.join(", ")
        ),
        FieldType::List(list) => format!("「- 」で始まる {}〜{} 件のリスト", list.min, list.max),
        FieldType::Object(_) => "字下げした「名前: 値」の組".to_owned(),
    };
    let optional = if field.optional {
        "。省略できます"
    } else {
        ""
    };
    format!("{} ({}): {what}{optional}", field.words.ja, field.words.en)
}

fn with_words(mut schema: Json, title: &str, description: &str) -> Json {
    if let Some(map) = schema.as_object_mut() {
        map.insert("title".to_owned(), json!(title));
        map.insert("description".to_owned(), json!(description));
    }
    schema
}

/// Text as koho reads it: any scalar (a plain `2026` or `yes` is the text as written).
fn text_schema() -> Json {
    json!({"type": ["string", "number", "boolean"]})
}

fn date_schema() -> Json {
    json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
}

fn type_schema(ty: &FieldType) -> Json {
    match ty {
        FieldType::Text { .. } | FieldType::Paragraphs { .. } => text_schema(),
        FieldType::Integer { min, max, .. } => {
            let mut schema = json!({"type": "integer", "minimum": min.unwrap_or(0)});
            if let Some(max) = max {
                schema["maximum"] = json!(max);
            }
            schema
        }
        FieldType::Percent => json!({"type": "integer", "minimum": 0, "maximum": 100}),
        FieldType::Date => date_schema(),
        FieldType::Time => json!({"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$"}),
        FieldType::Schedule => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}"}),
        FieldType::Phone => json!({"type": ["string", "number"]}),
        FieldType::Url | FieldType::Qr => json!({"type": "string", "pattern": "^https?://"}),
        FieldType::Email => json!({"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"}),
        FieldType::Page => json!({"type": "string"}),
        FieldType::Choice { of } => json!({"enum": of}),
        FieldType::Photo { .. } => {
            let mut properties = Map::new();
            for key in PHOTO_KEYS {
                let (title, description) = match *key {
                    "file" => (
                        "ファイル",
                        "号のフォルダーの中の JPEG か PNG (例: images/photo.jpg)",
                    ),
                    "alt" => ("写真の説明 (読み上げ用)", "写真に写っているものを文章で"),
                    _ => ("キャプション", "写真の下に印刷する説明"),
                };
                properties.insert(
                    (*key).to_owned(),
                    with_words(text_schema(), title, description),
                );
            }
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["file", "alt"],
                "properties": properties,
            })
        }
        FieldType::Ad { slots } => json!({
            "type": "object",
            "additionalProperties": false,
            "required": AD_KEYS,
            "properties": {
                "slot": with_words(json!({"enum": slots}), "広告枠", "magazine.yaml の ads: slots: の名前"),
                "file": with_words(text_schema(), "広告の PDF", "号のフォルダーの中の PDF (例: ads/sample.pdf)"),
                "advertiser": with_words(text_schema(), "広告主", "広告主の名前 (アーカイブに残ります)"),
            },
        }),
        FieldType::List(list) => {
            let items = match &list.entry {
                FieldType::Object(fields) => object(fields),
                other => type_schema(other),
            };
            let mut schema = json!({"type": "array", "minItems": list.min, "items": items});
            if list.max < usize::MAX {
                schema["maxItems"] = json!(list.max);
            }
            schema
        }
        FieldType::Object(fields) => object(fields),
    }
}

/// What `koho schema` wrote, or why it wrote nothing.
#[derive(Debug, Default)]
pub struct ExportReport {
    /// The files written, in order.
    pub written: Vec<std::path::PathBuf>,
    /// The problems of the schemas (nothing is written when there are any).
    pub diagnostics: Vec<crate::diag::Diagnostic>,
}

/// Writes the JSON Schemas of `issue.yaml` and of every kind of the project (or of the kind
/// `only`) into `dir`, all or none (each staged and renamed into place). Paths are shown
/// relative to `cwd`.
pub fn export(
    project: &crate::Project,
    only: Option<&str>,
    dir: &std::path::Path,
    cwd: &std::path::Path,
) -> Result<ExportReport, crate::KohoError> {
    let layouts = project.layouts_dir();
    let shown = crate::project::shown(&layouts, cwd);
    let (kinds, diagnostics) = crate::layout::available_kinds(&layouts, &shown);
    if let Some(name) = only
        && !kinds.contains_key(name)
    {
        return Err(crate::KohoError::UnknownKind {
            name: name.to_owned(),
            known: kinds.keys().cloned().collect(),
        });
    }
    if !diagnostics.is_empty() {
        return Ok(ExportReport {
            written: Vec::new(),
            diagnostics,
        });
    }
    let mut outputs = crate::output::Outputs::default();
    let pretty = |value: &Json| {
        let mut text = serde_json::to_string_pretty(value).expect("a schema serialises");
        text.push('\n');
        text.into_bytes()
    };
    outputs.add(dir.join(ISSUE_SCHEMA_FILE), pretty(&of_issue()));
    for (name, kind) in &kinds {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        if let Some(kind) = kind {
            outputs.add(dir.join(file_name(name)), pretty(&of_kind(kind)));
        }
    }
    match outputs.commit() {
        Ok(written) => Ok(ExportReport {
            written,
            diagnostics: Vec::new(),
        }),
        Err(e) => Ok(ExportReport {
            written: Vec::new(),
            diagnostics: vec![crate::diag::Diagnostic::whole_file(
                crate::project::shown(dir, cwd),
                crate::diag::Problem::WriteFailed {
                    reason: e.to_string(),
                },
            )],
        }),
    }
}
