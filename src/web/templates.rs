//! The web edition's templates: minijinja, reading only from `layouts/` (a kind's `web.html`,
//! the shared parts under `layouts/lib/web/`), autoescaping every `.html` template so that
//! nothing an editor writes becomes markup; and the filters the templates print with (dates
//! with their weekday, phone numbers as `tel:` links, web addresses in text as links).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use regex::Regex;

use crate::diag::{Diagnostic, FieldPath, Problem, Source};

/// Where the shared parts of the web edition live, inside `layouts/`.
pub const LIB_DIR: &str = "lib/web";

/// The template a kind without its own `web.html` is rendered with.
pub const GENERIC: &str = "lib/web/generic.html";

/// The issue's front page.
pub const INDEX: &str = "lib/web/index.html";

/// A kind's own web template, beside its `page.typ`.
pub fn kind_template(kind: &str) -> String {
    format!("{kind}/web.html")
}

/// The templates of one project's `layouts/`, loaded as they are asked for.
pub struct Templates {
    env: Environment<'static>,
    layouts_dir: PathBuf,
}

impl Templates {
    /// The templates under `layouts_dir`. `area_code` (`0144`) is put before the city-local
    /// phone numbers (`(32)6039`) when they become `tel:` links.
    pub fn new(layouts_dir: &Path, area_code: Option<String>) -> Self {
        let mut env = Environment::new();
        let root = layouts_dir.to_path_buf();
        env.set_loader(move |name| load(&root, name));
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // A misspelt field is an error in the template, not an empty space on the page.
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_formatter(html_formatter);
        env.set_keep_trailing_newline(false);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_filter("date_words", date_words);
        env.add_filter("chronological", chronological);
        // A whole number with its thousands marked as print does: `172,345`.
        env.add_filter("grouped", crate::diag::grouped);
        let code = area_code.clone();
        env.add_filter("tel", move |phone: &str| tel_href(phone, code.as_deref()));
        let code = area_code;
        env.add_filter("linked", move |text: &str| linked(text, code.as_deref()));
        Self {
            env,
            layouts_dir: layouts_dir.to_path_buf(),
        }
    }

    /// Whether `name` (relative to `layouts/`) exists.
    pub fn exists(&self, name: &str) -> bool {
        self.layouts_dir.join(name).is_file()
    }

    /// `name` rendered with `context`; a template's error is a diagnostic in its file, at its
    /// line, shown relative to `cwd`.
    pub fn render(
        &self,
        name: &str,
        context: &Value,
        cwd: &Path,
    ) -> Result<String, Box<Diagnostic>> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(context))
            .map_err(|e| Box::new(self.diagnostic(&e, name, cwd)))
    }

    /// A template error as a diagnostic: the file it is in (the innermost template named, an
    /// included part's own file), its line, the message and what minijinja adds.
    fn diagnostic(&self, error: &Error, asked: &str, cwd: &Path) -> Diagnostic {
        let name = error.name().unwrap_or(asked);
        let mut message = error.kind().to_string();
        if let Some(detail) = error.detail() {
            message = format!("{message}: {detail}");
        }
        let mut hints = Vec::new();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            hints.push(cause.to_string());
            source = cause.source();
        }
        let problem = Problem::Template { message, hints };
        let path = self.layouts_dir.join(name);
        let shown = crate::project::shown(&path, cwd);
        let text = std::fs::read_to_string(&path).ok();
        match (text, error.line()) {
            (Some(text), Some(line)) => {
                let source = Source::new(shown, text);
                let range = error.range().unwrap_or_else(|| {
                    let line = u32::try_from(line).unwrap_or(1);
                    source.line_range(line).unwrap_or(0..0)
                });
                source.diagnostic(range, FieldPath::root(), problem)
            }
            _ => Diagnostic::whole_file(shown, problem),
        }
    }
}

/// What a template prints, escaped in `.html` templates as [`escape`] does (minijinja's own
/// escaping also turns every `/` into `&#x2f;`, which makes the addresses unreadable).
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if state.auto_escape() != AutoEscape::Html || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(text) => escape(text),
        None => escape(&value.to_string()),
    };
    out.write_str(&text)
        .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))
}

/// A template by its name under `layouts/`: `None` when there is no such file. Names that
/// would leave `layouts/` are refused.
fn load(root: &Path, name: &str) -> Result<Option<String>, Error> {
    let safe = !name.is_empty()
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && !name.contains('\\');
    if !safe {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("{name}: a template is named by its path inside layouts/"),
        ));
    }
    match std::fs::read_to_string(root.join(name)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(ErrorKind::InvalidOperation, e.to_string())),
    }
}

/// A date as koho's data gives it (`{year, month, day, weekday, holiday, era_year}`) in
/// words: `6月7日(日)`, `7月20日(月・祝)`; `year=true` puts the year before it.
fn date_words(date: &Value, kwargs: Kwargs) -> Result<String, Error> {
    let with_year: bool = kwargs.get::<Option<bool>>("year")?.unwrap_or(false);
    kwargs.assert_all_used()?;
    let part = |key: &str| -> Result<Value, Error> {
        let value = date.get_attr(key)?;
        if value.is_undefined() || value.is_none() {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("date_words: a date has `{key}`"),
            ));
        }
        Ok(value)
    };
    let holiday = date.get_attr("holiday")?.is_true();
    let number = |key: &str| -> Result<u64, Error> {
        u64::try_from(part(key)?).map_err(|_| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("date_words: `{key}` is a number"),
            )
        })
    };
    let year = if with_year {
        Some(number("year")?)
    } else {
        None
    };
    let weekday = part("weekday")?;
    Ok(date_words_of(
        year,
        number("month")?,
        number("day")?,
        weekday.as_str().unwrap_or_default(),
        holiday,
    ))
}

/// A date in words as Japanese print gives it: `6月7日(日)`, `2026年7月20日(月・祝)`.
pub fn date_words_of(
    year: Option<u64>,
    month: u64,
    day: u64,
    weekday: &str,
    holiday: bool,
) -> String {
    let year = year.map(|y| format!("{y}年")).unwrap_or_default();
    let day_off = if holiday { "・祝" } else { "" };
    format!("{year}{month}月{day}日({weekday}{day_off})")
}

/// Events (`{date, start, …}`) in the order they happen: by date, then by start time (`9:30`
/// before `13:00`; an event without a time first), events at the same moment as given.
fn chronological(events: Vec<Value>) -> Result<Value, Error> {
    let moment = |event: &Value| -> Result<(String, i64), Error> {
        let day = event.get_attr("date")?.get_attr("date")?;
        let start = event.get_attr("start")?;
        let minutes = start
            .as_str()
            .and_then(|t| t.split_once(':'))
            .and_then(|(h, m)| Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?))
            .unwrap_or(-1);
        Ok((day.to_string(), minutes))
    };
    let mut keyed = events
        .into_iter()
        .map(|event| Ok((moment(&event)?, event)))
        .collect::<Result<Vec<_>, Error>>()?;
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Value::from(
        keyed.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
    ))
}

/// The `tel:` address of a phone number as printed: `0144-32-6039`, `(32)6039` (the city's
/// own form: the area code goes before it), `#7119` (a short number, dialled as it is).
pub fn tel_href(phone: &str, area_code: Option<&str>) -> String {
    let digits: String = phone
        .chars()
        .filter_map(|c| {
            let c = full_to_half(c);
            (c.is_ascii_digit() || c == '#').then_some(c)
        })
        .collect();
    let local = phone.trim_start().starts_with(['(', '（']);
    match area_code {
        Some(code) if local && !digits.starts_with('0') => format!("tel:{code}{digits}"),
        _ => format!("tel:{digits}"),
    }
}

/// A full-width digit or sign as its ASCII twin.
fn full_to_half(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '＃' => '#',
        '（' => '(',
        '）' => ')',
        '－' | 'ー' | '‐' => '-',
        other => other,
    }
}

/// Web addresses and phone numbers inside free text.
static LINKABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<url>https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+)",
        r"|(?P<tel>0\d{1,4}-\d{1,4}-\d{3,4}|[(（]\d{2,4}[)）]\d{4}|#\d{4})",
    ))
    .expect("the pattern is valid")
});

/// Free text, escaped, with every web address and phone number in it made a link.
fn linked(text: &str, area_code: Option<&str>) -> Value {
    let mut html = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for found in LINKABLE.captures_iter(text) {
        let whole = found.get(0).expect("a match");
        html.push_str(&escape(&text[last..whole.start()]));
        let shown = escape(whole.as_str());
        let href = if found.name("url").is_some() {
            escape(whole.as_str())
        } else {
            escape(&tel_href(whole.as_str(), area_code))
        };
        html.push_str(&format!("<a href=\"{href}\">{shown}</a>"));
        last = whole.end();
    }
    html.push_str(&escape(&text[last..]));
    Value::from_safe_string(html)
}

/// Text made safe inside HTML, in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_addresses() {
        assert_eq!(tel_href("0144-32-6039", Some("0144")), "tel:0144326039");
        assert_eq!(tel_href("(32)6039", Some("0144")), "tel:0144326039");
        assert_eq!(tel_href("（３２）６０３９", Some("0144")), "tel:0144326039");
        assert_eq!(tel_href("(32)6039", None), "tel:326039");
        assert_eq!(tel_href("#7119", Some("0144")), "tel:#7119");
    }

    #[test]
    fn text_is_escaped_and_its_addresses_linked() {
        let html = linked(
            "<b>詳しくは https://www.city.example.jp/a?b=1&c=2 へ。問 (32)6039</b>",
            Some("0144"),
        );
        assert_eq!(
            html.to_string(),
            "&lt;b&gt;詳しくは <a href=\"https://www.city.example.jp/a?b=1&amp;c=2\">\
             https://www.city.example.jp/a?b=1&amp;c=2</a> へ。問 \
             <a href=\"tel:0144326039\">(32)6039</a>&lt;/b&gt;"
        );
    }

    #[test]
    fn events_are_put_in_the_order_they_happen() {
        let event = |date: &str, start: Option<&str>, title: &str| {
            Value::from_serialize(serde_json::json!({
                "date": {"date": date}, "start": start, "title": title,
            }))
        };
        let sorted = chronological(vec![
            event("2026-06-14", Some("13:00"), "野球"),
            event("2026-06-14", Some("9:30"), "ウオーキング"),
            event("2026-06-07", None, "納期限"),
            event("2026-06-14", None, "終日"),
        ])
        .unwrap();
        let titles: Vec<String> = sorted
            .try_iter()
            .unwrap()
            .map(|e| e.get_attr("title").unwrap().to_string())
            .collect();
        assert_eq!(titles, ["納期限", "終日", "ウオーキング", "野球"]);
    }

    #[test]
    fn templates_stay_inside_layouts() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path(), "../secret.html").is_err());
        assert!(load(dir.path(), "/etc/passwd").is_err());
        assert_eq!(load(dir.path(), "none/web.html").unwrap(), None);
    }
}
