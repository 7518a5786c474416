//! The words editors read for fields and field paths, from a kind's schema:
//! `visions[3].items[2].percent` is ビジョン03 › 項目2 › 進捗 (Vision 03 › Item 2 › progress).

use super::{FieldType, Kind, object_fields};
pub use crate::diag::words::Words;
use crate::diag::{FieldPath, Lang, Segment};

/// The words of a photo's own fields (the photo type is the same in every kind).
fn photo_key_words(key: &str) -> Option<Words> {
    let (ja, en) = match key {
        "file" => ("ファイル", "file"),
        "alt" => ("写真の説明 (読み上げ用)", "alt text"),
        "caption" => ("キャプション", "caption"),
        _ => return None,
    };
    Some(Words::new(ja, en))
}

/// The words of the fields inside an ad value.
fn ad_key_words(key: &str) -> Option<Words> {
    let (ja, en) = match key {
        "slot" => ("広告枠", "ad slot"),
        "file" => ("広告の PDF", "ad PDF"),
        "advertiser" => ("広告主", "advertiser"),
        _ => return None,
    };
    Some(Words::new(ja, en))
}

/// `path` in the editors' words: each key by its field's words, a list position by the
/// list's entry words (ビジョン03, 項目2, 取り組み②). Keys the schema does not have (a typo
/// the loader reports) are shown as written.
pub fn path_words(kind: &Kind, path: &FieldPath, lang: Lang) -> String {
    let segments = path.segments();
    if segments.is_empty() {
        return match lang {
            Lang::Ja => "ページ全体".to_owned(),
            Lang::En => "the whole page".to_owned(),
        };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut fields = Some(&kind.fields);
    let mut current: Option<&FieldType> = None;
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Key(key) => {
                let field = fields.and_then(|f| f.get(key));
                let followed_by_number = matches!(segments.get(i + 1), Some(Segment::Number(_)));
                match field {
                    Some(field) => {
                        current = Some(&field.ty);
                        fields = object_fields(&field.ty);
                        // A list followed by a position is named by the entry alone.
                        if !followed_by_number || !matches!(field.ty, FieldType::List(_)) {
                            parts.push(field.words.get(lang).to_owned());
                        }
                    }
                    None => {
                        let inner = match current {
                            Some(FieldType::Photo { .. }) => photo_key_words(key),
                            Some(FieldType::Ad { .. }) => ad_key_words(key),
                            _ => None,
                        };
                        match inner {
                            Some(words) => parts.push(words.get(lang).to_owned()),
                            None => parts.push(key.clone()),
                        }
                        current = None;
                        fields = None;
                    }
                }
            }
            Segment::Number(n) => {
                let list_field = match segments.get(i.wrapping_sub(1)) {
                    Some(Segment::Key(_)) => current,
                    _ => None,
                };
                match list_field {
                    Some(FieldType::List(list)) => {
                        let list_words = i
                            .checked_sub(1)
                            .and_then(|k| field_words_before(kind, segments, k));
                        parts.push(entry_words(list, list_words.as_ref(), *n, lang));
                        current = Some(&list.entry);
                    }
                    _ => parts.push(format!("[{n}]")),
                }
            }
        }
    }
    parts.join(" › ")
}

/// The words of the list field named by `segments[at]`.
fn field_words_before(kind: &Kind, segments: &[Segment], at: usize) -> Option<Words> {
    let prefix: Vec<Segment> = segments[..=at].to_vec();
    let mut path = FieldPath::root();
    for segment in prefix {
        path = match segment {
            Segment::Key(key) => path.key(&key),
            Segment::Number(n) => path.index(n - 1),
        };
    }
    kind.field_at(&path).map(|f| f.words.clone())
}

/// One entry of a list in words: the schema's entry words, or the list's words and the
/// entry's printed number (ビジョン + 03, Vision 03).
fn entry_words(list: &super::ListType, words: Option<&Words>, n: usize, lang: Lang) -> String {
    if let Some(entry) = &list.entry_words {
        return match lang {
            Lang::Ja => entry.ja.format(n),
            Lang::En => entry.en.format(n),
        };
    }
    let number = list.numbering.format(n);
    match (words, lang) {
        (Some(w), Lang::Ja) => format!("{}{number}", w.ja),
        (Some(w), Lang::En) => format!("{} {number}", capitalised(&w.en)),
        (None, _) => format!("[{n}]"),
    }
}

/// `vision` → `Vision`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
