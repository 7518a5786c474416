//! What `page.grams` holds and what a search looks up in it: a page's characters and pairs of
//! characters (ASCII folded to lower case), and one entry for its issue's month.

/// The characters of `text` with ASCII letters in lower case.
pub(super) fn folded(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// What a field keeps beside its text for the search (`field.folded`): the text folded, when
/// that differs from it.
pub(super) fn folded_if_changed(text: Option<&str>) -> Option<String> {
    text.map(folded).filter(|f| Some(f.as_str()) != text)
}

/// A month as one number (`year × 12 + month − 1`), for counting months back.
pub(super) fn month_number(date: &str) -> u32 {
    let year: u32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let month: u32 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    (year * 12 + month).saturating_sub(1)
}

/// The first day of a month numbered by [`month_number`] (`2026-06-01`).
pub(super) fn first_day(month: u32) -> String {
    format!("{:04}-{:02}-01", month / 12, month % 12 + 1)
}

/// The entry of `page.grams` that says which month the page's issue is of (`\u{1}2026-06`):
/// a control character first, which no text's characters hold, so it never meets a word's.
pub(super) fn month_token(issue_date: &str) -> String {
    format!("\u{1}{}", issue_date.get(..7).unwrap_or(issue_date))
}

/// What a page is indexed by: its characters and pairs, and its issue's month.
pub(super) fn indexed_grams(texts: &[&str], issue_date: &str) -> Vec<String> {
    let mut grams = page_grams(texts);
    grams.push(month_token(issue_date));
    grams
}

/// What a query looks up in `page.grams`: its one character, or every pair in it.
pub(super) fn query_grams(query: &str) -> Vec<String> {
    let chars: Vec<char> = folded(query).chars().collect();
    if chars.len() == 1 {
        return vec![chars[0].to_string()];
    }
    let mut grams: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    grams.sort();
    grams.dedup();
    grams
}

/// Every character and pair of characters of `texts` (line breaks never inside a pair).
fn page_grams(texts: &[&str]) -> Vec<String> {
    let mut grams = std::collections::BTreeSet::new();
    for text in texts {
        let chars: Vec<char> = folded(text).chars().filter(|c| !c.is_control()).collect();
        grams.extend(chars.iter().map(char::to_string));
        grams.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
    }
    grams.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_looks_up_its_character_or_its_pairs() {
        assert_eq!(query_grams("港"), ["港"]);
        assert_eq!(query_grams("公約"), ["公約"]);
        assert_eq!(query_grams("Port"), ["or", "po", "rt"]);
        let page = page_grams(&["苫小牧港", "Port"]);
        for gram in ["港", "牧港", "苫小", "po", "t"] {
            assert!(page.contains(&gram.to_owned()), "{gram}");
        }
        assert!(!page.contains(&"港P".to_owned()), "texts are not joined");
    }

    #[test]
    fn a_page_is_indexed_by_its_month_too() {
        let grams = indexed_grams(&["港"], "2026-06-01");
        assert!(grams.contains(&"\u{1}2026-06".to_owned()));
        assert!(!page_grams(&["a\u{1}b"]).iter().any(|g| g.contains('\u{1}')));
    }

    #[test]
    fn months_count_across_years() {
        let june = month_number("2026-06-01");
        assert_eq!(first_day(june), "2026-06-01");
        assert_eq!(first_day(june - 6), "2025-12-01");
        assert_eq!(month_number("2026-01-15") - month_number("2025-12-01"), 1);
    }
}
