//! Words editors read: [`Words`] in both languages, and the words of the fields of
//! `issue.yaml`, which is not a page kind (a page's fields are named by their kind's schema,
//! `crate::schema`).

use serde::{Deserialize, Serialize};

use super::{FieldPath, Lang, Segment};

/// A name in both languages koho speaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    /// 日本語.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Words {
    /// Words in both languages.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The words in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// A path in `issue.yaml` in an editor's words: `pages[2].folio` is ページ2 › ページ番号.
///
/// ```
/// use koho::diag::{FieldPath, Lang, words::issue_words};
/// let path = FieldPath::root().key("pages").index(1).key("folio");
/// assert_eq!(issue_words(&path, Lang::Ja), "ページ2 › ページ番号");
/// assert_eq!(issue_words(&path, Lang::En), "Page 2 › folio");
/// assert_eq!(issue_words(&FieldPath::root().key("issue_date"), Lang::Ja), "発行日");
/// ```
pub fn issue_words(path: &FieldPath, lang: Lang) -> String {
    let segments = path.segments();
    if segments.is_empty() {
        return match lang {
            Lang::Ja => "号全体".to_owned(),
            Lang::En => "the whole issue".to_owned(),
        };
    }
    let mut parts = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Key(key) if key == "pages" && i + 1 < segments.len() => {}
            Segment::Key(key) => parts.push(key_words(key, lang).to_owned()),
            Segment::Number(n) => parts.push(match lang {
                Lang::Ja => format!("ページ{n}"),
                Lang::En => format!("Page {n}"),
            }),
        }
    }
    parts.join(" › ")
}

fn key_words(key: &str, lang: Lang) -> &str {
    let (ja, en) = match key {
        "magazine" => ("誌名", "magazine"),
        "issue_date" => ("発行日", "issue date"),
        "number" => ("通巻号数", "issue number"),
        "pages" => ("ページ", "pages"),
        "file" => ("ファイル", "file"),
        "folio" => ("ページ番号", "folio"),
        "folios" => ("ページ番号の範囲", "folios"),
        "offprint" => ("抜き刷り", "offprint"),
        "municipality" => ("発行する自治体", "municipality"),
        "name" => ("名前", "name"),
        "code" => ("団体コード", "code"),
        other => (other, other),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}
