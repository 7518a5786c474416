//! Turning diagnostics into what people and programs read: the one place that does it.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Diagnostic, Lang, hint, message};

/// One diagnostic as text: `error: FILE:LINE:COL: field.path: what is wrong`, the source line
/// with the value underlined (double-width characters counted as two columns), and the hint.
pub fn human(diagnostic: &Diagnostic, lang: Lang) -> String {
    said(diagnostic, lang, Level::ERROR)
}

/// A warning as text: like [`human`], starting `warning:` — something that prints, but
/// likely not as the editors meant.
pub fn human_warning(diagnostic: &Diagnostic, lang: Lang) -> String {
    said(diagnostic, lang, Level::WARNING)
}

fn said(diagnostic: &Diagnostic, lang: Lang, level: Level<'static>) -> String {
    let location = diagnostic.location;
    // The path as written, and beside it the editors' words for it when the schema has them.
    let field = match (&diagnostic.words, diagnostic.field.is_root()) {
        (_, true) => String::new(),
        (Some(words), false) if words.get(lang) != diagnostic.field.to_string() => {
            format!("{} ({}): ", diagnostic.field, words.get(lang))
        }
        (_, false) => format!("{}: ", diagnostic.field),
    };
    let title = format!(
        "{}:{}:{}: {field}{}",
        diagnostic.file.display(),
        location.line,
        location.column,
        message(&diagnostic.problem, lang)
    );
    let hint_text = hint(&diagnostic.problem, &diagnostic.field, lang);
    let hint_name = hint_word(lang);
    // The first word stays `error:` in both languages, so scripts and editors can match it.
    let mut group = Group::with_title(level.primary_title(title));
    if let Some(snippet) = &diagnostic.snippet {
        group = group.element(
            Snippet::source(snippet.text.as_str())
                .line_start(snippet.line as usize)
                .annotation(AnnotationKind::Primary.span(snippet.underline.clone())),
        );
    }
    if let Some(hint_text) = &hint_text {
        group = group.element(Level::HELP.with_name(hint_name).message(hint_text.as_str()));
    }
    Renderer::plain().render(&[group])
}

/// The word a hint starts with: `ヒント` / `hint`.
pub fn hint_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ヒント",
        Lang::En => "hint",
    }
}

/// A whole report as text, one diagnostic after another, then a summary line.
/// The fields still marked 要記入 (after `koho new`) are listed last, one line each with
/// their count, instead of one full error each: the month's to-do list, not a wall of errors.
pub fn human_report(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let (to_fill, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = diagnostics
        .iter()
        .partition(|d| matches!(d.problem, super::Problem::StillToFill));
    let mut out = String::new();
    for d in &others {
        out.push_str(&human(d, lang));
        out.push_str("\n\n");
    }
    if !to_fill.is_empty() {
        out.push_str(&to_fill_list(&to_fill, lang));
        out.push('\n');
    }
    let line = match (to_fill.len(), others.len(), lang) {
        (0, n, _) => summary(n, lang),
        (fill, 0, Lang::Ja) => {
            format!("要記入の項目が {fill} 件あります (ほかのエラーはありません)")
        }
        (fill, n, Lang::Ja) => format!("{n} 件のエラーと、要記入の項目が {fill} 件あります"),
        (fill, 0, Lang::En) => format!("{fill} still to fill (no other errors)"),
        (fill, n, Lang::En) => format!("{}, and {fill} still to fill", summary(n, lang)),
    };
    out.push_str(&line);
    out.push('\n');
    out
}

/// `要記入 (今月の内容を書く項目): 12 件` and under it `  FILE:LINE:COL  人口と世帯 › 基準日`.
fn to_fill_list(to_fill: &[&Diagnostic], lang: Lang) -> String {
    let mut out = match lang {
        Lang::Ja => format!(
            "要記入 (koho new が前号から移した、今月の内容を書く項目): {} 件\n",
            to_fill.len()
        ),
        Lang::En => format!(
            "still to fill (carried over by koho new for this month's values): {}\n",
            to_fill.len()
        ),
    };
    for d in to_fill {
        let field = match &d.words {
            Some(words) => words.get(lang).to_owned(),
            None => d.field.to_string(),
        };
        out.push_str(&format!(
            "  {}:{}:{}  {field}\n",
            d.file.display(),
            d.location.line,
            d.location.column
        ));
    }
    out
}

/// `3 件のエラー` / `3 errors`.
pub fn summary(count: usize, lang: Lang) -> String {
    match (lang, count) {
        (Lang::Ja, 0) => "エラーはありません".to_owned(),
        (Lang::Ja, n) => format!("{n} 件のエラーがあります"),
        (Lang::En, 0) => "no errors".to_owned(),
        (Lang::En, 1) => "1 error".to_owned(),
        (Lang::En, n) => format!("{n} errors"),
    }
}

/// A diagnostic as a machine reads it (`--json`).
#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    /// The file.
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// The field path (`visions[3].items[2].percent`), empty for a whole file.
    pub field: String,
    /// The field in the editors' words (ビジョン03 › 項目2 › 進捗), when known.
    pub words: Option<String>,
    /// The stable kind name (`rollup-mismatch`).
    pub kind: &'static str,
    /// The message in the chosen language.
    pub message: String,
    /// The hint in the chosen language, if any.
    pub hint: Option<String>,
}

/// The JSON form of one diagnostic.
pub fn json(diagnostic: &Diagnostic, lang: Lang) -> JsonDiagnostic {
    JsonDiagnostic {
        file: diagnostic.file.display().to_string(),
        line: diagnostic.location.line,
        column: diagnostic.location.column,
        field: if diagnostic.field.is_root() {
            String::new()
        } else {
            diagnostic.field.to_string()
        },
        words: diagnostic.words.as_ref().map(|w| w.get(lang).to_owned()),
        kind: diagnostic.problem.kind(),
        message: message(&diagnostic.problem, lang),
        hint: hint(&diagnostic.problem, &diagnostic.field, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Expected, FieldPath, NumberTrap, Problem, Source};

    #[test]
    fn underlines_full_width_text_by_display_width() {
        let source = Source::new("p04.yaml", "visions:\n  - percent: ５５\n");
        let at = source.text.find('５').unwrap();
        let field = FieldPath::root().key("visions").index(0).key("percent");
        let d = source.diagnostic(
            at..at + "５５".len(),
            field,
            Problem::WrongType {
                expected: Expected::Percent,
                found: "５５".into(),
                trap: NumberTrap::FullWidthDigits,
                meant: Some(55),
            },
        );
        let text = human(&d, Lang::En);
        assert!(
            text.starts_with("error: p04.yaml:2:14: visions[1].percent: "),
            "{text}"
        );
        let lines: Vec<&str> = text.lines().collect();
        let source_line = lines
            .iter()
            .position(|l| l.ends_with("- percent: ５５"))
            .unwrap();
        let caret_line = lines[source_line + 1];
        // `５５` is two characters of width 2: four carets, starting under the first `５`.
        let caret_col =
            unicode_width::UnicodeWidthStr::width(&caret_line[..caret_line.find('^').unwrap()]);
        let value_col = unicode_width::UnicodeWidthStr::width(
            &lines[source_line][..lines[source_line].find('５').unwrap()],
        );
        assert_eq!(caret_col, value_col);
        assert!(
            caret_line.contains("^^^^") && !caret_line.contains("^^^^^"),
            "{caret_line}"
        );
        assert!(text.contains("hint: write the digits in ASCII (half-width): percent: 55"));
    }
}
