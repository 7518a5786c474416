//! The data a template receives: the issue and each page's content as JSON values, walked
//! along the page's schema, with the numbering the page prints (01, ①) and the field path of
//! every block, so that the template can mark where each field ends up. Content reaches typst only as data, never as
//! typst source, so a `#` or `$` in a title prints as itself.

use std::path::PathBuf;

use serde_json::{Map, Value as Json, json};

use crate::ad_placement::{Placement, Placements};
use crate::content::model::{CalendarDate, Issue, Page};
use crate::content::value::{Object, Value};
use crate::diag::FieldPath;
use crate::print::ad::AdGeometry;
use crate::schema::{FieldType, Fields};

/// A photo the template places: its virtual path in the typst world and its file.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedPhoto {
    /// The path the template names (`/photos/p4-1.jpg`).
    pub virtual_path: String,
    /// The file on disk.
    pub file: PathBuf,
    /// The frame it fills, in millimetres (width, height).
    pub frame_mm: Option<(f64, f64)>,
    /// True on a two-colour page: the photo prints in black alone.
    pub black_only: bool,
}

/// An ad the template places: its virtual path in the typst world and its file.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedAd {
    /// The path the template names (`/ads/p14-1.pdf`).
    pub virtual_path: String,
    /// The advertiser's file on disk.
    pub file: PathBuf,
}

/// One page ready for its template.
#[derive(Clone, Debug)]
pub struct PageData {
    /// The kind's name (its folder in `layouts/`).
    pub layout: String,
    /// The printed page number of its first page.
    pub folio: u32,
    /// True when its pages print in two colours.
    pub two_colour: bool,
    /// The page's content and numbering.
    pub json: Json,
    /// The photos it places.
    pub photos: Vec<PlacedPhoto>,
    /// The ads it places.
    pub ads: Vec<PlacedAd>,
}

/// The issue as the running foot prints it, and the proof stamp's words on a proof (`null`
/// on the print file).
pub fn issue_json(issue: &Issue, proof: Option<&Json>) -> Json {
    let date = issue.issue_date;
    let date_words = format!("{}年{}月{}日号", date.year(), date.month(), date.day());
    json!({
        "title": format!("{} {date_words}", issue.magazine),
        "date_words": date_words,
        "proof": proof,
        "magazine": issue.magazine.as_str(),
        "date": issue.issue_date.to_string(),
        "year": issue.issue_date.year(),
        "month": issue.issue_date.month(),
        "day": issue.issue_date.day(),
        "era_year": era_year(issue.issue_date),
        "number": issue.number.map(|n| n.get()),
        "pages": issue.page_count(),
        "contents": contents(issue),
        "holidays": holidays_near(issue.issue_date),
        "phrases": phrases(issue),
    })
}

/// Where display type may break: every word (space-separated) of the issue's one-line texts
/// (titles, headings, names — the schema's `text` fields) that falls into several phrases
/// (文節), by those phrases (`"名水百選に選ばれた": ["名水百選に", "選ばれた"]`). Japanese has
/// no spaces between words: without this a title breaks between any two characters (まつも /
/// と); `keep-words` in `layouts/lib/parts.typ` keeps each phrase whole. The phrases come from
/// BudouX's model, the one Chrome uses for `word-break: auto-phrase`.
pub fn phrases(issue: &Issue) -> Json {
    let model = budoux::models::default_japanese_model();
    let mut phrases = Map::new();
    for page in issue.pages.iter() {
        let kind = &page.content.kind;
        for (path, text) in page.content.fields.printed_texts(&FieldPath::root()) {
            if !matches!(kind.type_at(&path), Some(FieldType::Text { .. })) {
                continue;
            }
            for word in text.split([' ', '\u{3000}']).filter(|w| !w.is_empty()) {
                if phrases.contains_key(word) {
                    continue;
                }
                let parts = budoux::parse(model, word);
                if parts.len() > 1 {
                    phrases.insert(word.to_owned(), json!(parts));
                }
            }
        }
    }
    Json::Object(phrases)
}

/// The holidays of the issue's year and the years either side, by date (`"2026-07-20":
/// "海の日"`): a calendar template marks every day it prints from them.
pub fn holidays_near(date: CalendarDate) -> Json {
    let year = date.year();
    let mut map = serde_json::Map::new();
    for y in [year.saturating_sub(1), year, year + 1] {
        for (day, holiday) in crate::calendar::holidays::of_year(y) {
            map.insert(day.to_string(), json!(holiday.name));
        }
    }
    Json::Object(map)
}

/// The issue's table of contents, made from its pages: every page file whose kind names a
/// title field, in print order, with its section (when the kind names one) and its folios.
pub fn contents(issue: &Issue) -> Json {
    Json::Array(
        issue
            .pages
            .iter()
            .filter(|p| p.content.kind.title_field.is_some())
            .map(page_reference)
            .collect(),
    )
}

/// A page as another page names it (the contents, a cover headline): its file, folios, kind,
/// section and title.
pub fn page_reference(page: &Page) -> Json {
    let content = &page.content;
    let section =
        content
            .kind
            .section_field
            .as_deref()
            .and_then(|key| match content.fields.get(key) {
                Some(Value::Text(text)) => Some(text.as_str()),
                _ => None,
            });
    json!({
        "file": page.file,
        "folio": page.folio().get(),
        "last": page.folios.last().get(),
        "kind": content.layout_name(),
        "section": section,
        "title": content.title(),
    })
}

/// Every page of the issue, in print order, for the format it prints in.
/// `placements` says where each ad's slot lies on its page (the ads that passed their checks).
pub fn pages(
    issue: &Issue,
    format: &crate::layout::Magazine,
    placements: &Placements,
) -> Vec<PageData> {
    let mut sheet_page = 1;
    issue
        .pages
        .iter()
        .map(|page| {
            let two_colour = format.plates(page.folio().get()).len() == 2;
            let ads = AdsOnPage {
                placements,
                file: &page.file,
                mark: format.ads.mark.as_ref(),
            };
            let data = page_data(issue, page, sheet_page, two_colour, ads);
            sheet_page += page.folios.count();
            data
        })
        .collect()
}

/// One page's data, walked along its schema: every field in schema order (`null` when left
/// out); every object with its `field` path; every list entry with its printed `number`;
/// photos with their virtual path, alt, caption and frame; dates with their parts.
/// `sheet_page` is the page of the document the file starts on (its first folio when the
/// issue starts at 1).
fn page_data(
    issue: &Issue,
    page: &Page,
    sheet_page: u32,
    two_colour: bool,
    ads: AdsOnPage<'_>,
) -> PageData {
    let folio = page.folio().get();
    let mut walk = DataWalk {
        issue,
        folio,
        black_only: two_colour,
        photos: Vec::new(),
        ads,
        placed_ads: Vec::new(),
    };
    let content = &page.content;
    let mut json = walk.object(&content.fields, &content.kind.fields, &FieldPath::root());
    json["folio"] = json!(folio);
    json["folios"] = json!({
        "first": folio,
        "last": page.folios.last().get(),
        "count": page.folios.count(),
    });
    json["sheet_page"] = json!(sheet_page);
    PageData {
        layout: content.layout_name().to_owned(),
        folio,
        two_colour,
        json,
        photos: walk.photos,
        ads: walk.placed_ads,
    }
}

/// What the walk over one page needs to place its ads.
#[derive(Clone, Copy)]
struct AdsOnPage<'a> {
    /// The ads that passed their checks.
    placements: &'a Placements,
    /// The page file.
    file: &'a str,
    /// The 「広告」 mark.
    mark: Option<&'a crate::layout::AdMark>,
}

/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// An ad as its template places it: the slot's size, the ad's page at its own size shifted so
/// that the slot's area of it fills the slot (the rest, its bleed, is clipped), and the mark.
fn ad_json(
    virtual_path: &str,
    placement: &Placement,
    mark: Option<&crate::layout::AdMark>,
    path: &FieldPath,
) -> Json {
    let AdGeometry { trim, shown } = placement.geometry;
    // Not rounded: the page is placed at exactly its own size.
    let mm = |pt: f64| pt / PT_PER_MM;
    json!({
        "src": virtual_path,
        "slot": placement.slot.key,
        "name": placement.slot.name.as_str(),
        "width": placement.slot.width.mm(),
        "height": placement.slot.height.mm(),
        "page": {
            "width": mm(shown[2] - shown[0]),
            "height": mm(shown[3] - shown[1]),
            "dx": mm(shown[0] - trim[0]),
            "dy": mm(trim[3] - shown[3]),
        },
        "mark": mark.map(|m| json!({"text": m.text.as_str(), "place": m.place})),
        "field": path.to_string(),
    })
}

/// The fewest characters a title may share with another for a reference to be aimed by it.
const MATCHED_TITLE_CHARS: usize = 2;

/// The fewest characters two titles must share in a run for a reference to be aimed by it,
/// and how many always suffice.
const SHARED_RUN_CHARS: usize = 4;
const CLEARLY_SHARED_CHARS: usize = 6;
/// The fewest characters a title held inside another (not at its start) must have.
const CONTAINED_TITLE_CHARS: usize = 4;

/// The longest run of characters `a` and `b` share.
fn shared_run(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut longest = 0;
    let mut previous = vec![0usize; b.len() + 1];
    for x in &a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                current[j + 1] = previous[j] + 1;
                longest = longest.max(current[j + 1]);
            }
        }
        previous = current;
    }
    longest
}

/// An entry's title: its first one-line text.
fn first_text(object: &Object) -> Option<&str> {
    object.iter().find_map(|(_, v)| match v {
        Some(Value::Text(t)) => Some(t.as_str()),
        _ => None,
    })
}

/// Every list entry under `object` that has a title, with its path, in reading order.
fn titled_entries<'a>(object: &'a Object, path: &FieldPath, out: &mut Vec<(FieldPath, &'a str)>) {
    for (key, value) in object.iter() {
        let here = path.key(key);
        match value {
            Some(Value::List(entries)) => {
                for (i, entry) in entries.iter().enumerate() {
                    if let Value::Object(entry) = entry {
                        if let Some(title) = first_text(entry) {
                            out.push((here.index(i), title));
                        }
                        titled_entries(entry, &here.index(i), out);
                    }
                }
            }
            Some(Value::Object(inner)) => titled_entries(inner, &here, out),
            _ => {}
        }
    }
}

/// One walk over a page's values.
struct DataWalk<'a> {
    issue: &'a Issue,
    folio: u32,
    black_only: bool,
    photos: Vec<PlacedPhoto>,
    ads: AdsOnPage<'a>,
    placed_ads: Vec<PlacedAd>,
}

impl DataWalk<'_> {
    fn object(&mut self, object: &Object, fields: &Fields, path: &FieldPath) -> Json {
        let mut map = Map::new();
        for (key, field) in fields.iter() {
            let value = object
                .get(key)
                .map_or(Json::Null, |v| self.value(v, &field.ty, &path.key(key)));
            map.insert(key.clone(), value);
        }
        if !path.is_root() {
            map.insert("field".to_owned(), json!(path.to_string()));
        }
        self.aim_references(object, &mut map);
        Json::Object(map)
    }

    /// Aims each page reference of `object` (a calendar event's `page`) at the entry of the
    /// named file that it is about, so that the template prints the folio where that entry
    /// lands (`item`: its field path), not the file's first folio. An entry's title is its
    /// first one-line text; the entry aimed at is the one whose title is the referring
    /// entry's, else the first whose title holds it or is held in it (献血 → 献血にご協力を),
    /// else the one sharing the longest run of characters with it.
    /// A file that holds no such entry is named by its first folio.
    fn aim_references(&self, object: &Object, map: &mut Map<String, Json>) {
        let Some(title) = first_text(object) else {
            return;
        };
        for (key, value) in object.iter() {
            let Some(Value::Page(file)) = value else {
                continue;
            };
            let Some(target) = self.issue.pages.iter().find(|p| p.file == file.as_str()) else {
                continue;
            };
            let mut entries = Vec::new();
            titled_entries(&target.content.fields, &FieldPath::root(), &mut entries);
            let same = entries.iter().find(|(_, t)| *t == title);
            // Else one title holds the other: at its start (献血 → 献血にご協力を), or anywhere
            // when the shorter is a word of some length (いきいき体操教室 → 介護予防 いきいき体操教室).
            let near = || {
                entries.iter().find(|(_, t)| {
                    let (short, long) = if t.chars().count() < title.chars().count() {
                        (*t, title)
                    } else {
                        (title, *t)
                    };
                    let chars = short.chars().count();
                    (chars >= MATCHED_TITLE_CHARS && long.starts_with(short))
                        || (chars >= CONTAINED_TITLE_CHARS && long.contains(short))
                })
            };
            // Else the one sharing the longest run of characters, at least SHARED_RUN_CHARS and
            // half the shorter title, or CLEARLY_SHARED_CHARS (秋の全国交通安全運動(30日まで) →
            // 秋の全国交通安全運動 9月21日…; 市立博物館 特別展「城下町の水と暮らし」開幕 →
            // 市立博物館の特別展「城下町の水と暮らし」).
            let alike = || {
                entries
                    .iter()
                    .map(|entry| (entry, shared_run(entry.1, title)))
                    .filter(|(entry, shared)| {
                        let shorter = entry.1.chars().count().min(title.chars().count());
                        *shared
                            >= SHARED_RUN_CHARS.max(shorter.div_ceil(2).min(CLEARLY_SHARED_CHARS))
                    })
                    .max_by_key(|(_, shared)| *shared)
                    .map(|(entry, _)| entry)
            };
            if let (Some((item, _)), Some(Json::Object(reference))) =
                (same.or_else(near).or_else(alike), map.get_mut(key))
            {
                reference.insert("item".to_owned(), json!(item.to_string()));
            }
        }
    }

    fn value(&mut self, value: &Value, ty: &FieldType, path: &FieldPath) -> Json {
        match (value, ty) {
            (Value::Object(object), FieldType::Object(fields)) => self.object(object, fields, path),
            (Value::List(entries), FieldType::List(list)) => Json::Array(
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, entry)| {
                        let entry_path = path.index(i);
                        let mut json = match (entry, &list.entry) {
                            (Value::Object(object), FieldType::Object(fields)) => {
                                self.object(object, fields, &entry_path)
                            }
                            (other, ty) => self.value(other, ty, &entry_path),
                        };
                        if let Json::Object(map) = &mut json {
                            map.insert("number".to_owned(), json!(list.numbering.format(i + 1)));
                        }
                        json
                    })
                    .collect(),
            ),
            (Value::Photo(photo), _) => {
                // Every photo reaches the page as a CMYK JPEG, whatever it was.
                let virtual_path = format!("/photos/p{}-{}.jpg", self.folio, self.photos.len() + 1);
                self.photos.push(PlacedPhoto {
                    virtual_path: virtual_path.clone(),
                    file: photo.path.clone(),
                    frame_mm: Some(photo.frame_mm),
                    black_only: self.black_only,
                });
                json!({
                    "src": virtual_path,
                    "alt": photo.alt.as_str(),
                    "caption": photo.caption.as_ref().map(|c| c.as_str()),
                    "frame": {"width": photo.frame_mm.0, "height": photo.frame_mm.1},
                    "field": path.to_string(),
                })
            }
            (Value::Ad(ad), _) => match self.ads.placements.get(self.ads.file, path) {
                Some(placement) => {
                    let virtual_path =
                        format!("/ads/p{}-{}.pdf", self.folio, self.placed_ads.len() + 1);
                    self.placed_ads.push(PlacedAd {
                        virtual_path: virtual_path.clone(),
                        file: ad.path.clone(),
                    });
                    let mut json = ad_json(&virtual_path, placement, self.ads.mark, path);
                    json["hidden"] = json!(self.ads.placements.is_hidden());
                    json["advertiser"] = json!(ad.advertiser.as_str());
                    json
                }
                // Only an issue whose ads all passed is typeset.
                None => Json::Null,
            },
            // The page it names, as the contents lists it (it is one of the issue's: checked).
            (Value::Page(file), _) => self
                .issue
                .pages
                .iter()
                .find(|p| p.file == file.as_str())
                .map_or(Json::Null, page_reference),
            (Value::Paragraphs(paragraphs), _) => {
                Json::Array(paragraphs.iter().map(|p| json!(p.as_str())).collect())
            }
            (Value::Date(date), _) => date_json(*date),
            (Value::Url(url), FieldType::Qr) => crate::layout::qr::json(url.as_str()),
            (Value::Schedule(occurrences), _) => Json::Array(
                occurrences
                    .iter()
                    .map(|o| {
                        json!({
                            "date": date_json(o.date),
                            "until": o.until.map(date_json),
                            "start": o.start.map(|t| t.to_string()),
                            "end": o.end.map(|t| t.to_string()),
                        })
                    })
                    .collect(),
            ),
            (other, _) => other.to_json(),
        }
    }
}

/// A date as templates print it: its parts, its weekday and its era year.
pub fn date_json(date: CalendarDate) -> Json {
    json!({
        "date": date.to_string(),
        "year": date.year(),
        "month": date.month(),
        "day": date.day(),
        "weekday": date.weekday_ja(),
        "holiday": crate::calendar::holiday(date).map(|h| h.name),
        "era_year": era_year(date),
    })
}

/// The Japanese era and year of a date (`令和8年`), for dates from 平成 on.
pub fn era_year(date: CalendarDate) -> Option<String> {
    // The first day of each era, newest first.
    const ERAS: [(&str, u16, u8, u8); 2] = [("令和", 2019, 5, 1), ("平成", 1989, 1, 8)];
    let key = (date.year(), date.month(), date.day());
    ERAS.iter()
        .find(|(_, y, m, d)| key >= (*y, *m, *d))
        .map(|(name, start, _, _)| match date.year() - start + 1 {
            1 => format!("{name}元年"),
            n => format!("{name}{n}年"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    #[test]
    fn the_longest_shared_run_of_two_titles_is_counted_in_characters() {
        assert_eq!(
            shared_run(
                "市立博物館 特別展「城下町の水と暮らし」開幕",
                "市立博物館の特別展「城下町の水と暮らし」"
            ),
            14
        );
        assert_eq!(shared_run("献血", "献血にご協力を"), 2);
        assert_eq!(shared_run("図書館", "市役所"), 0);
        assert_eq!(shared_run("", "献血"), 0);
    }

    #[test]
    fn era_years() {
        assert_eq!(era_year(date("2026-06-01")).as_deref(), Some("令和8年"));
        assert_eq!(era_year(date("2019-05-01")).as_deref(), Some("令和元年"));
        assert_eq!(era_year(date("2019-04-30")).as_deref(), Some("平成31年"));
        assert_eq!(era_year(date("1989-01-08")).as_deref(), Some("平成元年"));
        assert_eq!(era_year(date("1989-01-07")), None);
    }
}
