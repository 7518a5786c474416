//! A proof's comments as the to-do list of the next round: each comment with the content
//! field under it and that field's file and line.
//!
//! Every proof page carries, in its `/PieceInfo` (the place PDF keeps an application's data
//! about a page, preserved by viewers that add comments), where each field lies on the page.
//! So the marked-up file alone is enough: it may have travelled by mail and back.

use lopdf::{Document, Object};
use serde::{Deserialize, Serialize};

use super::comments::{self, Comment, CommentKind};
use super::snapshot::{PageSnapshot, Snapshot};
use crate::layout::Magazine;
use crate::print::finish::PIECE_INFO_KEY;
use crate::schema::{Kind, Words};

/// A comment this far (in points) from every field still belongs to the nearest one; beyond
/// it, the comment is about no field (a note in the margin).
const NEAR_PT: f64 = 24.0;

/// What a proof page says of itself in its `/PieceInfo`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PageFields {
    /// The koho version that made the proof.
    pub koho: String,
    /// The issue folder's name.
    pub issue: String,
    /// The round.
    pub round: u32,
    /// The printed page number.
    pub folio: u32,
    /// The page file, from the project root (`content/2026-06/p04-pledge-progress.yaml`).
    pub file: String,
    /// Where each field lies.
    pub fields: Vec<FieldPlace>,
}

/// One field on a proof page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FieldPlace {
    /// The field path (`visions[3].items[2]`).
    pub field: String,
    /// Its area in PDF user space (points from the sheet's bottom-left): x0, y0, x1, y1.
    pub rect: [f64; 4],
    /// Its line in the page file, when known.
    pub line: Option<u32>,
    /// The field in the editors' words, from the page's schema (proofs made before kinds
    /// were data have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Words>,
}

/// The `/PieceInfo` data of a proof page: its fields moved from the trim's top-left corner
/// (typst's frame) to the sheet's PDF coordinates.
pub fn page_data(
    snap: &Snapshot,
    page: &PageSnapshot,
    format: &Magazine,
    file: &str,
    kind: Option<&Kind>,
) -> Vec<u8> {
    let slug = format.slug.pt();
    let sheet_height = format.trim.height.pt() + 2.0 * slug;
    let fields = page
        .regions
        .iter()
        .map(|region| {
            let [x0, y0, x1, y1] = region.rect;
            FieldPlace {
                field: region.field.clone(),
                rect: [
                    slug + x0,
                    sheet_height - (slug + y1),
                    slug + x1,
                    sheet_height - (slug + y0),
                ],
                line: page.lines.get(&region.field).copied(),
                words: kind
                    .and_then(|k| k.field_words(&crate::diag::FieldPath::parse(&region.field))),
            }
        })
        .collect();
    let data = PageFields {
        koho: snap.koho.clone(),
        issue: snap.issue.clone(),
        round: snap.round,
        folio: page.folio,
        file: file.to_owned(),
        fields,
    };
    serde_json::to_vec(&data).expect("page fields serialise")
}

/// One comment of a marked-up proof, with what it is about.
#[derive(Clone, Debug, Serialize)]
pub struct MarkedComment {
    /// The PDF page, from 1.
    pub page: usize,
    /// The printed page number, when the page is a koho proof page.
    pub folio: Option<u32>,
    /// The kind of mark (note, highlight…).
    pub kind: String,
    /// What the editor wrote.
    pub text: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// The field under it (`visions[3].items[2]`), if any.
    pub field: Option<String>,
    /// That field in the editors' words, when the proof says.
    pub words: Option<Words>,
    /// The page file holding that field.
    pub file: Option<String>,
    /// The field's line in it (as of the proof's round).
    pub line: Option<u32>,
    /// The comment it answers (its position in this list, from 1).
    pub reply_to: Option<usize>,
}

/// Why a proof's comments could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MarkedError {
    /// Not a readable PDF.
    #[error("{0}")]
    Unreadable(String),
    /// A PDF with no koho proof data on any page.
    #[error("it is not a proof made by koho proof (no page holds koho's field data)")]
    NotAProof,
}

/// The comments of a marked-up proof, each with the field under it.
pub fn read(pdf: &[u8]) -> Result<Vec<MarkedComment>, MarkedError> {
    let found = comments::read_comments(pdf).map_err(|e| MarkedError::Unreadable(e.to_string()))?;
    let doc = Document::load_mem(pdf).map_err(|e| MarkedError::Unreadable(e.to_string()))?;
    let pages: Vec<Option<PageFields>> = doc
        .get_pages()
        .values()
        .map(|id| page_fields(&doc, *id))
        .collect();
    if pages.iter().all(Option::is_none) {
        return Err(MarkedError::NotAProof);
    }
    Ok(found
        .iter()
        .map(|comment| {
            let fields = pages.get(comment.page - 1).and_then(Option::as_ref);
            let place = fields.and_then(|f| field_under(comment, &f.fields));
            MarkedComment {
                page: comment.page,
                folio: fields.map(|f| f.folio),
                kind: kind_name(&comment.kind),
                text: comment.text.clone(),
                author: comment.author.clone(),
                field: place.map(|p| p.field.clone()),
                words: place.and_then(|p| p.words.clone()),
                file: fields.map(|f| f.file.clone()),
                line: place.and_then(|p| p.line),
                reply_to: comment.in_reply_to.map(|i| i + 1),
            }
        })
        .collect())
}

fn page_fields(doc: &Document, page: lopdf::ObjectId) -> Option<PageFields> {
    let resolve = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let page = doc.get_dictionary(page).ok()?;
    let piece = resolve(page.get(b"PieceInfo").ok()?)?;
    let ours = resolve(piece.as_dict().ok()?.get(PIECE_INFO_KEY).ok()?)?;
    let private = resolve(ours.as_dict().ok()?.get(b"Private").ok()?)?;
    let stream = private.as_stream().ok()?;
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    serde_json::from_slice(&bytes).ok()
}

/// The field a comment is about: for each area it marks, the smallest field holding the point
/// it marks (or the nearest, within [`NEAR_PT`]); the field most of its areas point at.
fn field_under<'a>(comment: &Comment, fields: &'a [FieldPlace]) -> Option<&'a FieldPlace> {
    let mut votes: Vec<(&FieldPlace, usize)> = Vec::new();
    for area in &comment.regions {
        let Some(place) = field_at(marked_point(&comment.kind, area), fields) else {
            continue;
        };
        match votes.iter_mut().find(|(p, _)| std::ptr::eq(*p, place)) {
            Some((_, n)) => *n += 1,
            None => votes.push((place, 1)),
        }
    }
    // The first of the most voted.
    let most = votes.iter().map(|(_, n)| *n).max()?;
    votes.into_iter().find(|(_, n)| *n == most).map(|(p, _)| p)
}

/// The point an area of a comment marks. A sticky note is pinned to a point of the page and
/// its icon hangs from it: the annotation's upper-left corner is that point (PDF 32000-1,
/// 12.5.3: a note does not zoom, its upper-left corner stays fixed). Any other mark covers
/// what it is about: its centre.
fn marked_point(kind: &CommentKind, area: &[f64; 4]) -> (f64, f64) {
    match kind {
        CommentKind::Note => (area[0], area[3]),
        _ => ((area[0] + area[2]) / 2.0, (area[1] + area[3]) / 2.0),
    }
}

fn field_at(point: (f64, f64), fields: &[FieldPlace]) -> Option<&FieldPlace> {
    crate::area::under(point, fields, |f| f.rect, NEAR_PT)
}

fn kind_name(kind: &CommentKind) -> String {
    match kind {
        CommentKind::Other(name) => name.clone(),
        other => format!("{other:?}").to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(field: &str, rect: [f64; 4]) -> FieldPlace {
        FieldPlace {
            field: field.to_owned(),
            rect,
            line: None,
            words: None,
        }
    }

    /// A sticky note pinned at (x, y): its icon hangs down and to the right of the point.
    fn note_at(x: f64, y: f64) -> Comment {
        let rect = [x, y - 20.0, x + 20.0, y];
        Comment {
            page: 1,
            kind: CommentKind::Note,
            text: "要確認".into(),
            author: None,
            modified: None,
            rect,
            regions: vec![rect],
            in_reply_to: None,
        }
    }

    #[test]
    fn the_innermost_field_wins_and_margins_are_nobodys() {
        let fields = [
            place("visions[1]", [0.0, 0.0, 200.0, 200.0]),
            place("visions[1].items[2]", [10.0, 100.0, 190.0, 120.0]),
        ];
        let under = |c: &Comment| field_under(c, &fields).map(|p| p.field.as_str());
        assert_eq!(under(&note_at(50.0, 110.0)), Some("visions[1].items[2]"));
        assert_eq!(under(&note_at(50.0, 50.0)), Some("visions[1]"));
        assert_eq!(under(&note_at(210.0, 110.0)), Some("visions[1]"));
        assert_eq!(under(&note_at(400.0, 400.0)), None);
    }
}
