//! The data a template receives: the issue and each page's content as JSON values, with the
//! numbering the page prints (ビジョン01, ①) and the field path of every block, so that the
//! template can mark where each field ends up. Content reaches typst only as data, never as
//! typst source, so a `#` or `$` in a title prints as itself.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::content::model::{CalendarDate, Issue, Page, PageContent, PledgeProgress};
use crate::content::{AvailableLayouts, LayoutRules};
use crate::diag::FieldPath;

/// Circled numbers for the highlights (①②③).
const CIRCLED: [&str; 3] = ["①", "②", "③"];

/// A photo the template places: its virtual path in the typst world and its file.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedPhoto {
    /// The path the template names (`/photos/p4-1.jpg`).
    pub virtual_path: String,
    /// The file on disk.
    pub file: PathBuf,
    /// The frame it fills, in millimetres (width, height), when the layout declares one.
    pub frame_mm: Option<(f64, f64)>,
}

/// One page ready for its template.
#[derive(Clone, Debug)]
pub struct PageData {
    /// The layout's name (its folder in `layouts/`).
    pub layout: &'static str,
    /// The printed page number.
    pub folio: u32,
    /// The page's content and numbering.
    pub json: Value,
    /// The photos it places.
    pub photos: Vec<PlacedPhoto>,
}

/// The issue as the running foot prints it, and the proof stamp's words on a proof (`null`
/// on the print file).
pub fn issue_json(issue: &Issue, proof: Option<&Value>) -> Value {
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
        "pages": issue.pages.len(),
    })
}

/// Every page of the issue, in print order, with what its layout declares.
pub fn pages(issue: &Issue, layouts: &AvailableLayouts) -> Vec<PageData> {
    issue
        .pages
        .iter()
        .map(|page| page_data(page, layouts.get(page.content.layout_name())))
        .collect()
}

fn page_data(page: &Page, rules: Option<&LayoutRules>) -> PageData {
    let folio = page.folio.get();
    let frame = rules
        .and_then(|r| r.photo)
        .map(|p| json!({ "width": p.frame_mm.0, "height": p.frame_mm.1 }));
    match &page.content {
        PageContent::PledgeProgress(content) => {
            let frame_mm = rules.and_then(|r| r.photo).map(|p| p.frame_mm);
            let (mut json, photos) = pledge_json(content, folio, frame_mm);
            json["photo_frame"] = frame.unwrap_or(Value::Null);
            PageData {
                layout: page.content.layout_name(),
                folio,
                json,
                photos,
            }
        }
    }
}

fn pledge_json(
    content: &PledgeProgress,
    folio: u32,
    frame_mm: Option<(f64, f64)>,
) -> (Value, Vec<PlacedPhoto>) {
    let root = FieldPath::root();
    let visions: Vec<Value> = content
        .visions
        .iter()
        .enumerate()
        .map(|(v, vision)| {
            let path = root.key("visions").index(v);
            let items: Vec<Value> = vision
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    json!({
                        "number": i + 1,
                        "label": item.label.as_str(),
                        "percent": item.percent.get(),
                        "field": path.key("items").index(i).to_string(),
                    })
                })
                .collect();
            json!({
                "number": format!("{:02}", v + 1),
                "title": vision.title.as_str(),
                "slogan": vision.slogan.as_ref().map(|s| s.as_str()),
                "percent": vision.percent.get(),
                "field": path.to_string(),
                "items": items,
            })
        })
        .collect();
    let mut photos = Vec::new();
    let highlights = content.highlights.as_ref().map(|h| {
        let items: Vec<Value> = h
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let photo = item.photo.as_ref().map(|p| {
                    // Every photo reaches the page as a CMYK JPEG, whatever it was.
                    let virtual_path = format!("/photos/p{folio}-{}.jpg", i + 1);
                    photos.push(PlacedPhoto {
                        virtual_path: virtual_path.clone(),
                        file: p.path.clone(),
                        frame_mm,
                    });
                    json!({
                        "src": virtual_path,
                        "alt": p.alt.as_str(),
                        "caption": p.caption.as_ref().map(|c| c.as_str()),
                    })
                });
                json!({
                    "mark": CIRCLED.get(i).copied().unwrap_or("・"),
                    "title": item.title.as_str(),
                    "body": item.body.as_ref().map(|b| b.as_str()),
                    "photo": photo,
                    "field": root.key("highlights").key("items").index(i).to_string(),
                })
            })
            .collect();
        json!({
            "heading": h.heading.as_ref().map(|t| t.as_str()),
            "items": items,
        })
    });
    let json = json!({
        "folio": folio,
        "section": content.section.as_str(),
        "title": content.title.as_str(),
        "contact": content.contact.as_ref().map(|c| json!({
            "label": c.label.as_str(),
            "department": c.department.as_str(),
            "phone": c.phone.as_ref().map(|p| p.as_str()),
        })),
        "lead": content.lead.as_ref().map(|l| l.as_str()),
        "rollup": content.rollup.name(),
        "visions": visions,
        "highlights": highlights,
        "note": content.note.as_ref().map(|n| n.as_str()),
    });
    (json, photos)
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
    fn era_years() {
        assert_eq!(era_year(date("2026-06-01")).as_deref(), Some("令和8年"));
        assert_eq!(era_year(date("2019-05-01")).as_deref(), Some("令和元年"));
        assert_eq!(era_year(date("2019-04-30")).as_deref(), Some("平成31年"));
        assert_eq!(era_year(date("1989-01-08")).as_deref(), Some("平成元年"));
        assert_eq!(era_year(date("1989-01-07")), None);
    }
}
