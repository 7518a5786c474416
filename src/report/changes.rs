//! The words of proofs: the rounds' names (初校, 再校…), what happened to a field, and the
//! changes between two rounds as the editors read them (`changes.md`) and as programs read
//! them (`changes.json`).

use serde_json::json;

use crate::diag::Lang;
use crate::proof::changes::{Change, ChangeKind, ISSUE_WIDE};
use crate::proof::round::Round;
use crate::proof::snapshot::Snapshot;

/// A round's name as printed on the stamp: 初校, 再校, 三校, then 念校 with its number
/// (念校(4校)), as Japanese editors count them.
pub fn round_name(round: Round, lang: Lang) -> String {
    match (lang, round.get()) {
        (Lang::Ja, 1) => "初校".to_owned(),
        (Lang::Ja, 2) => "再校".to_owned(),
        (Lang::Ja, 3) => "三校".to_owned(),
        (Lang::Ja, n) => format!("念校({n}校)"),
        (Lang::En, 1) => "1st proof".to_owned(),
        (Lang::En, 2) => "2nd proof".to_owned(),
        (Lang::En, 3) => "3rd proof".to_owned(),
        (Lang::En, n) => format!("{n}th proof"),
    }
}

/// What happened to a field, in words.
pub fn kind_words(kind: ChangeKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ChangeKind::Changed, Lang::Ja) => "変更",
        (ChangeKind::Changed, Lang::En) => "changed",
        (ChangeKind::Added, Lang::Ja) => "追加",
        (ChangeKind::Added, Lang::En) => "added",
        (ChangeKind::Removed, Lang::Ja) => "削除",
        (ChangeKind::Removed, Lang::En) => "removed",
        (ChangeKind::PhotoReplaced, Lang::Ja) => "写真の差し替え",
        (ChangeKind::PhotoReplaced, Lang::En) => "photo replaced",
        (ChangeKind::PageAdded, Lang::Ja) => "ページの追加",
        (ChangeKind::PageAdded, Lang::En) => "page added",
        (ChangeKind::PageRemoved, Lang::Ja) => "ページの削除",
        (ChangeKind::PageRemoved, Lang::En) => "page removed",
    }
}

/// `changes.md`: per page, a table of every change (field, what happened, before, after,
/// line), and the name of the page's diff picture.
pub fn changes_markdown(
    before: &Snapshot,
    after: &Snapshot,
    changes: &[Change],
    lang: Lang,
) -> String {
    let name = |round: u32| Round::new(round).map_or_else(String::new, |r| round_name(r, lang));
    let mut out = String::new();
    let (b, a) = (before.round, after.round);
    match lang {
        Lang::Ja => {
            out.push_str(&format!(
                "# 変更点: r{a} ({}) ← r{b} ({})\n\n",
                name(a),
                name(b)
            ));
            out.push_str(&format!(
                "{} {} ・ r{b} 作成 {} ・ r{a} 作成 {}\n\n",
                after.magazine, after.issue_date, before.made, after.made
            ));
        }
        Lang::En => {
            out.push_str(&format!(
                "# Changes: r{a} ({}) since r{b} ({})\n\n",
                name(a),
                name(b)
            ));
            out.push_str(&format!(
                "{} {} · r{b} made {} · r{a} made {}\n\n",
                after.magazine, after.issue_date, before.made, after.made
            ));
        }
    }
    if changes.is_empty() {
        out.push_str(match lang {
            Lang::Ja => "前の回から変わったところはありません。\n",
            Lang::En => "Nothing changed since the last round.\n",
        });
        return out;
    }
    let mut folios: Vec<u32> = changes.iter().map(|c| c.folio).collect();
    folios.dedup();
    for folio in folios {
        let title = after
            .pages
            .iter()
            .chain(&before.pages)
            .find(|p| p.folio == folio)
            .map(|p| (p.title.as_str(), p.file.as_str()))
            .unwrap_or(("", ""));
        let page_changes: Vec<&Change> = changes.iter().filter(|c| c.folio == folio).collect();
        if folio == ISSUE_WIDE {
            let heading = match lang {
                Lang::Ja => "## 号全体 (issue.yaml、すべてのページの柱に出ます)",
                Lang::En => "## The whole issue (issue.yaml, in every page's running foot)",
            };
            out.push_str(heading);
            out.push_str("\n\n");
            out.push_str(table_head(lang));
            for change in &page_changes {
                out.push_str(&table_row(change, lang));
            }
            out.push('\n');
            continue;
        }
        match lang {
            Lang::Ja => {
                out.push_str(&format!("## {folio}ページ {} ({})\n\n", title.0, title.1));
                out.push_str(&format!("{} か所\n\n", page_changes.len()));
                out.push_str(table_head(lang));
            }
            Lang::En => {
                out.push_str(&format!("## Page {folio}: {} ({})\n\n", title.0, title.1));
                out.push_str(&format!("{} changes\n\n", page_changes.len()));
                out.push_str(table_head(lang));
            }
        }
        for change in &page_changes {
            out.push_str(&table_row(change, lang));
        }
        let pictured = page_changes
            .iter()
            .all(|c| !matches!(c.kind, ChangeKind::PageAdded | ChangeKind::PageRemoved));
        if pictured {
            out.push_str(&match lang {
                Lang::Ja => format!(
                    "\n図: p{folio}-diff.png (左: r{b}、中: 変わったところ (赤)、右: r{a}。変わった欄を赤い枠で囲んでいます)\n\n"
                ),
                Lang::En => format!(
                    "\nPicture: p{folio}-diff.png (left: r{b}, middle: what changed (red), right: r{a}; changed fields boxed in red)\n\n"
                ),
            });
        } else {
            out.push('\n');
        }
    }
    out
}

/// The head of a table of changes.
fn table_head(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "| 箇所 | 変更 | 前 | 後 | 行 |\n|---|---|---|---|---|\n",
        Lang::En => "| Where | What | Before | After | Line |\n|---|---|---|---|---|\n",
    }
}

/// One change as a table row.
fn table_row(change: &Change, lang: Lang) -> String {
    format!(
        "| {} | {} | {} | {} | {} |\n",
        cell(change.words.get(lang)),
        kind_words(change.kind, lang),
        cell(change.old.as_deref().unwrap_or("—")),
        cell(change.new.as_deref().unwrap_or("—")),
        change
            .line
            .map_or_else(|| "—".to_owned(), |l| l.to_string()),
    )
}

/// A table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `changes.json`: the rounds compared and every change with its field in both forms.
pub fn changes_json(
    before: &Snapshot,
    after: &Snapshot,
    changes: &[Change],
    lang: Lang,
) -> Vec<u8> {
    let listed: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            json!({
                "page": c.folio,
                "kind": c.kind,
                "field": c.path.to_string(),
                "old_field": c.old_path.as_ref().map(ToString::to_string),
                "words": c.words.get(lang),
                "old": c.old,
                "new": c.new,
                "file": c.file,
                "line": c.line,
            })
        })
        .collect();
    let value = json!({
        "issue": after.issue,
        "from": {"round": before.round, "made": before.made},
        "to": {"round": after.round, "made": after.made},
        "changes": listed,
    });
    serde_json::to_vec_pretty(&value).expect("changes serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_names_follow_the_editors_count() {
        let names: Vec<String> = (1..=5)
            .map(|n| round_name(Round::new(n).unwrap(), Lang::Ja))
            .collect();
        assert_eq!(names, ["初校", "再校", "三校", "念校(4校)", "念校(5校)"]);
        assert_eq!(round_name(Round::new(2).unwrap(), Lang::En), "2nd proof");
    }
}
