//! The reading text of each printed page (`p<folio>.txt`): everything a page file says, in the
//! order it is printed, as plain lines for text-to-speech and the residents' reading apps —
//! figures with their words (進捗 80%), dates with their weekday, photos by their alt text.
//! A text goes on the folio where typesetting put its field (the regions and markers the
//! templates leave), never before the text printed ahead of it.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::diag::FieldPath;

/// Where typesetting put each field of one page file: the folio of each field path it marked.
#[derive(Debug, Default)]
pub struct Placed {
    folios: BTreeMap<String, u32>,
    /// For a field whose regions lie on several folios, the area it takes on each.
    areas: BTreeMap<String, BTreeMap<u32, f64>>,
}

impl Placed {
    /// Records that part of the field at `path` takes `area` (square points) on `folio`.
    pub fn add_area(&mut self, path: &str, folio: u32, area: f64) {
        self.add(path, folio);
        *self
            .areas
            .entry(path.to_owned())
            .or_default()
            .entry(folio)
            .or_default() += area.max(0.0);
    }

    /// The folio each of `paragraphs` of the field at `path` was printed on, when the field
    /// runs over several: the paragraphs shared out by their length over the area the field
    /// takes on each folio (typesetting says how much of it went where, not which paragraph).
    fn spread(&self, path: &FieldPath, paragraphs: &[&str]) -> Option<Vec<u32>> {
        let areas = self.areas.get(&path.to_string()).filter(|a| a.len() > 1)?;
        let total_area: f64 = areas.values().sum();
        let total_chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
        if total_area <= 0.0 || total_chars == 0 {
            return None;
        }
        let mut before = 0usize;
        Some(
            paragraphs
                .iter()
                .map(|p| {
                    let chars = p.chars().count();
                    // Where the paragraph starts, as a share of the field's text.
                    let share = before as f64 / total_chars as f64;
                    before += chars;
                    let mut reached = 0.0;
                    for (folio, area) in areas {
                        reached += area / total_area;
                        if share < reached - 1e-9 {
                            return *folio;
                        }
                    }
                    *areas.keys().last().expect("two folios at least")
                })
                .collect(),
        )
    }

    /// Records that the field at `path` (as its `field` string) starts on `folio`; the
    /// earliest folio is kept.
    pub fn add(&mut self, path: &str, folio: u32) {
        let entry = self.folios.entry(path.to_owned()).or_insert(folio);
        *entry = (*entry).min(folio);
    }

    /// The folio of `path`, or of the nearest field holding it that was marked.
    pub fn folio_of(&self, path: &FieldPath) -> Option<u32> {
        let mut text = path.to_string();
        loop {
            if let Some(folio) = self.folios.get(&text) {
                return Some(*folio);
            }
            let cut = text.rfind(['.', '['])?;
            text.truncate(cut);
        }
    }
}

/// The reading text of a page file that fills `first..=last`: `head` (its section and title,
/// as printed at its top) and then its outline ([`super::outline::outline`]), each line on the
/// folio [`Placed`] says. Every folio of the file gets its text, empty when nothing printed
/// there is text.
pub fn page_texts(
    head: &[String],
    outline: &Json,
    placed: &Placed,
    first: u32,
    last: u32,
) -> Vec<(u32, String)> {
    let mut walk = Walk {
        placed,
        folio: first,
        last,
        lines: (first..=last).map(|f| (f, Vec::new())).collect(),
    };
    for line in head {
        walk.line(line.clone());
    }
    walk.nodes(outline, &FieldPath::root());
    walk.lines
        .into_iter()
        .map(|(folio, lines)| {
            let mut text = lines.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            (folio, text)
        })
        .collect()
}

/// One walk over a page file's outline.
struct Walk<'a> {
    placed: &'a Placed,
    /// The folio the last line went on.
    folio: u32,
    last: u32,
    lines: BTreeMap<u32, Vec<String>>,
}

impl Walk<'_> {
    /// Moves on to where `path` was printed (never back, never past the file's last folio).
    fn at(&mut self, path: &FieldPath) {
        if let Some(folio) = self.placed.folio_of(path) {
            self.folio = self.folio.max(folio).min(self.last);
        }
    }

    fn line(&mut self, text: String) {
        let text = text.trim().to_owned();
        if !text.is_empty() {
            self.lines.entry(self.folio).or_default().push(text);
        }
    }

    fn nodes(&mut self, nodes: &Json, path: &FieldPath) {
        for node in nodes.as_array().into_iter().flatten() {
            if node["type"] == "particulars" {
                for row in node["rows"].as_array().into_iter().flatten() {
                    let key = row["key"].as_str().unwrap_or_default();
                    self.row(row, &path.key(key));
                }
                continue;
            }
            let key = node["key"].as_str().unwrap_or_default();
            self.node(node, &path.key(key));
        }
    }

    /// A labelled line (日時 6月7日(日)); a group of them (問合せ) under its label.
    fn row(&mut self, row: &Json, path: &FieldPath) {
        self.at(path);
        let label = row["label"].as_str().unwrap_or_default();
        let ty = row["type"].as_str().unwrap_or_default();
        if ty == "object" {
            self.line(label.to_owned());
            self.nodes(&row["children"], path);
            return;
        }
        let unit = row["unit"].as_str().unwrap_or_default();
        if let Some(text) = scalar(ty, &row["value"]) {
            self.line(format!("{label} {text}{unit}"));
        }
    }

    fn node(&mut self, node: &Json, path: &FieldPath) {
        self.at(path);
        let label = node["label"].as_str().unwrap_or_default();
        match node["type"].as_str().unwrap_or_default() {
            "object" => {
                match node["heading"].as_str() {
                    Some(heading) => self.line(heading.to_owned()),
                    None => self.line(label.to_owned()),
                }
                self.nodes(&node["children"], path);
            }
            "list" => {
                for (i, entry) in node["entries"].as_array().into_iter().flatten().enumerate() {
                    let entry_path = path.index(i);
                    self.at(&entry_path);
                    let heading = entry["heading"].as_str().unwrap_or_default();
                    match entry["name"].as_str() {
                        Some(name) => self.line(format!("{name} {heading}")),
                        None => self.line(heading.to_owned()),
                    }
                    self.nodes(&entry["children"], &entry_path);
                }
                for (i, item) in node["items"].as_array().into_iter().flatten().enumerate() {
                    self.at(&path.index(i));
                    let ty = node["entry_type"].as_str().unwrap_or_default();
                    if let Some(text) = scalar(ty, item) {
                        self.line(text);
                    }
                }
            }
            "photo" => {
                let value = &node["value"];
                if let Some(alt) = value["alt"].as_str() {
                    self.line(format!("写真: {alt}"));
                }
                if let Some(caption) = value["caption"].as_str() {
                    self.line(caption.to_owned());
                }
            }
            "text" => {
                if let Some(text) = scalar("text", &node["value"]) {
                    self.line(text);
                }
            }
            "paragraphs" => {
                let paragraphs: Vec<&str> = node["value"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .collect();
                let folios = self.placed.spread(path, &paragraphs);
                for (i, text) in paragraphs.iter().enumerate() {
                    if let Some(folio) = folios.as_ref().and_then(|f| f.get(i)) {
                        self.folio = self.folio.max(*folio).min(self.last);
                    }
                    self.line((*text).to_owned());
                }
            }
            _ => self.row(node, path),
        }
    }
}

/// One value of a scalar type in words.
fn scalar(ty: &str, value: &Json) -> Option<String> {
    match (ty, value) {
        ("percent", Json::Number(n)) => Some(format!("{n}%")),
        ("date", date @ Json::Object(_)) => date_text(date, true),
        ("schedule", Json::Array(occurrences)) => Some(
            occurrences
                .iter()
                .filter_map(occurrence_text)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("page", page @ Json::Object(_)) => {
            // The page its entry is printed on, where koho aimed the reference (printed).
            let title = page["title"].as_str().unwrap_or_default();
            let folio = page.get("printed").unwrap_or(&page["folio"]);
            Some(format!("{folio}ページ {title}"))
        }
        (_, Json::String(text)) => Some(text.clone()),
        (_, Json::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A date of koho's data in words: `2026年6月7日(日)`, `7月20日(月・祝)`.
pub fn date_text(date: &Json, with_year: bool) -> Option<String> {
    let holiday = date["holiday"].is_string();
    Some(super::templates::date_words_of(
        with_year.then(|| date["year"].as_u64()).flatten(),
        date["month"].as_u64()?,
        date["day"].as_u64()?,
        date["weekday"].as_str()?,
        holiday,
    ))
}

/// One occurrence of a schedule in words: `6月7日(日) 9:30〜12:00`, `8月1日(土)〜8月3日(月)`.
pub fn occurrence_text(occurrence: &Json) -> Option<String> {
    let mut text = date_text(&occurrence["date"], false)?;
    if occurrence["until"].is_object() {
        text.push('〜');
        text.push_str(&date_text(&occurrence["until"], false)?);
    }
    match (occurrence["start"].as_str(), occurrence["end"].as_str()) {
        (Some(start), Some(end)) => text.push_str(&format!(" {start}〜{end}")),
        (Some(start), None) => text.push_str(&format!(" {start}〜")),
        _ => {}
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_line_goes_on_the_folio_its_field_was_printed_on() {
        let outline = json!([
            {"key": "lead", "type": "text", "label": "リード文", "value": "はじめに"},
            {"key": "chapters", "type": "list", "label": "章", "entries": [
                {"name": "第1章", "heading": "備える", "children": [
                    {"key": "body", "type": "paragraphs", "label": "本文", "value": ["一。", "二。"]}
                ]},
                {"name": "第2章", "heading": "逃げる", "children": [
                    {"type": "particulars", "rows": [
                        {"key": "when", "type": "date", "label": "日付",
                         "value": {"year": 2026, "month": 6, "day": 7, "weekday": "日",
                                   "holiday": null}}
                    ]}
                ]}
            ]}
        ]);
        let mut placed = Placed::default();
        placed.add("chapters[2]", 6);
        // A field printed earlier than the text before it does not move the reading back.
        placed.add("chapters[2].when", 5);
        let texts = page_texts(&["特集".into(), "防災".into()], &outline, &placed, 5, 7);
        // The first chapter's text ran from page 5 on to page 7, two thirds of it there.
        let mut spread = Placed::default();
        spread.add_area("chapters[1].body", 5, 100.0);
        spread.add_area("chapters[1].body", 7, 200.0);
        let split = page_texts(&[], &outline, &spread, 5, 7);
        assert_eq!(split[0], (5, "はじめに\n第1章 備える\n一。\n".to_owned()));
        assert_eq!(
            split[2],
            (7, "二。\n第2章 逃げる\n日付 2026年6月7日(日)\n".to_owned())
        );
        assert_eq!(
            texts,
            vec![
                (
                    5,
                    "特集\n防災\nはじめに\n第1章 備える\n一。\n二。\n".to_owned()
                ),
                (6, "第2章 逃げる\n日付 2026年6月7日(日)\n".to_owned()),
                (7, String::new()),
            ]
        );
    }
}
