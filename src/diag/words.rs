//! Field paths in the words an editor knows: `visions[3].items[2].percent` is
//! ビジョン03 › 項目2 › 進捗 (Vision 03 › Item 2 › progress), as the page numbers them.

use super::{FieldPath, Lang, Segment};

/// A field path in an editor's words: ビジョン03 › 項目2 › 進捗 / Vision 03 › Item 2 › progress.
///
/// ```
/// use koho::diag::{FieldPath, Lang, words::words};
/// // visions[3].items[2].percent (list positions are given from 0 and shown from 1)
/// let path = FieldPath::root().key("visions").index(2).key("items").index(1).key("percent");
/// assert_eq!(words(&path, Lang::Ja), "ビジョン03 › 項目2 › 進捗");
/// assert_eq!(words(&path, Lang::En), "Vision 03 › Item 2 › progress");
/// let photo = FieldPath::root().key("highlights").key("items").index(1).key("photo");
/// assert_eq!(words(&photo, Lang::Ja), "取り組み紹介 › 取り組み② › 写真");
/// ```
pub fn words(path: &FieldPath, lang: Lang) -> String {
    let segments = path.segments();
    if segments.is_empty() {
        return match lang {
            Lang::Ja => "ページ全体".to_owned(),
            Lang::En => "the whole page".to_owned(),
        };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut list: Option<&str> = None;
    let mut under_highlights = false;
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Key(key) => {
                if key == "highlights" {
                    under_highlights = true;
                }
                let followed_by_number = matches!(segments.get(i + 1), Some(Segment::Number(_)));
                if followed_by_number {
                    list = Some(key);
                    continue;
                }
                parts.push(key_words(key, lang, parts.is_empty() && !under_highlights).to_owned());
            }
            Segment::Number(n) => {
                let entry = match (list, under_highlights, lang) {
                    (Some("visions"), _, Lang::Ja) => format!("ビジョン{n:02}"),
                    (Some("visions"), _, Lang::En) => format!("Vision {n:02}"),
                    (Some("items"), true, Lang::Ja) => format!("取り組み{}", circled(*n)),
                    (Some("items"), true, Lang::En) => format!("Highlight {n}"),
                    (Some("items"), false, Lang::Ja) => format!("項目{n}"),
                    (Some("items"), false, Lang::En) => format!("Item {n}"),
                    (other, _, _) => format!("{}[{n}]", other.unwrap_or("")),
                };
                parts.push(entry);
            }
        }
    }
    parts.join(" › ")
}

/// ①②③… for the highlights, as the page numbers them.
fn circled(n: usize) -> String {
    u32::try_from(n)
        .ok()
        .filter(|n| (1..=20).contains(n))
        .and_then(|n| char::from_u32(0x2460 + n - 1))
        .map_or_else(|| n.to_string(), String::from)
}

/// A key in words; `top` is true for the page's own fields (its title is the page title).
fn key_words(key: &str, lang: Lang, top: bool) -> &str {
    let (ja, en) = match key {
        "magazine" => ("誌名", "magazine"),
        "issue_date" => ("発行日", "issue date"),
        "number" => ("通巻号数", "issue number"),
        "section" => ("コーナー名", "section"),
        "title" if top => ("ページの題", "page title"),
        "title" => ("題", "title"),
        "contact" => ("問い合わせ先", "contact"),
        "department" => ("担当課", "department"),
        "phone" => ("電話", "phone"),
        "lead" => ("リード文", "lead"),
        "rollup" => ("進捗の計算方法", "rollup"),
        "slogan" => ("スローガン", "slogan"),
        "percent" => ("進捗", "progress"),
        "label" => ("見出し", "label"),
        "highlights" => ("取り組み紹介", "highlights"),
        "heading" => ("見出し", "heading"),
        "body" => ("本文", "text"),
        "photo" => ("写真", "photo"),
        "alt" => ("写真の説明 (読み上げ用)", "alt text"),
        "caption" => ("キャプション", "caption"),
        "note" => ("注記", "note"),
        other => (other, other),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}
