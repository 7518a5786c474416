//! How a list numbers its entries, as a schema writes it: a pattern with one placeholder.
//!
//! - `{n}` — 1, 2, 3…
//! - `{n:02}` — 01, 02… (zero-padded to the width given, 1–9)
//! - `{n:circled}` — ①, ②… (to ⑳; beyond, the plain number)
//! - `{n:kanji}` — 一, 二… (to 十; beyond, the plain number)
//!
//! Text around the placeholder is kept: `ビジョン{n:02}` → ビジョン03.

use std::fmt;

/// A numbering pattern, checked when the schema is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbering {
    before: String,
    style: Style,
    after: String,
}

/// How the number itself is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// 1, 2, 3.
    Plain,
    /// 01, 02 (the width).
    Padded(usize),
    /// ①②③.
    Circled,
    /// 一二三.
    Kanji,
}

/// The most circled numbers Unicode has in one run (①–⑳).
const MAX_CIRCLED: usize = 20;
/// 一 to 十.
const KANJI: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

impl Numbering {
    /// The plain numbering, `{n}`.
    pub fn plain() -> Self {
        Self {
            before: String::new(),
            style: Style::Plain,
            after: String::new(),
        }
    }

    /// Reads a pattern; the error says what is wrong with it, in English (the schema
    /// loader phrases it for the designer).
    pub fn parse(pattern: &str) -> Result<Self, &'static str> {
        let open = pattern.find('{').ok_or("no {n} placeholder")?;
        let close = pattern[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or("an unclosed {")?;
        let inside = &pattern[open + 1..close];
        let after = &pattern[close + 1..];
        if after.contains(['{', '}']) || pattern[..open].contains('}') {
            return Err("more than one placeholder");
        }
        let style = match inside {
            "n" => Style::Plain,
            "n:circled" => Style::Circled,
            "n:kanji" => Style::Kanji,
            other => {
                let width = other
                    .strip_prefix("n:0")
                    .and_then(|w| w.parse::<usize>().ok())
                    .filter(|w| (1..=9).contains(w))
                    .ok_or("the placeholder is not {n}, {n:02}, {n:circled} or {n:kanji}")?;
                Style::Padded(width)
            }
        };
        Ok(Self {
            before: pattern[..open].to_owned(),
            style,
            after: after.to_owned(),
        })
    }

    /// The number of entry `n` (from 1) as printed.
    pub fn format(&self, n: usize) -> String {
        let number = match self.style {
            Style::Plain => n.to_string(),
            Style::Padded(width) => format!("{n:0width$}"),
            Style::Circled if (1..=MAX_CIRCLED).contains(&n) => {
                char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from)
            }
            Style::Kanji if (1..=KANJI.len()).contains(&n) => KANJI[n - 1].to_owned(),
            Style::Circled | Style::Kanji => n.to_string(),
        };
        format!("{}{number}{}", self.before, self.after)
    }
}

impl fmt::Display for Numbering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inside = match self.style {
            Style::Plain => "n".to_owned(),
            Style::Padded(w) => format!("n:0{w}"),
            Style::Circled => "n:circled".to_owned(),
            Style::Kanji => "n:kanji".to_owned(),
        };
        write!(f, "{}{{{inside}}}{}", self.before, self.after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_number_as_printed() {
        let n = |p: &str, i| Numbering::parse(p).unwrap().format(i);
        assert_eq!(n("{n}", 3), "3");
        assert_eq!(n("{n:02}", 3), "03");
        assert_eq!(n("ビジョン{n:02}", 12), "ビジョン12");
        assert_eq!(n("{n:circled}", 2), "②");
        assert_eq!(n("{n:circled}", 21), "21");
        assert_eq!(n("第{n:kanji}回", 3), "第三回");
    }

    #[test]
    fn bad_patterns_are_refused() {
        for bad in ["n", "{n", "{m}", "{n:3}", "{n:00}", "{n}{n}", "{n:roman}"] {
            assert!(Numbering::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Numbering::parse("ビジョン{n:02}").unwrap().to_string(),
            "ビジョン{n:02}"
        );
    }
}
