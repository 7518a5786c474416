//! Print finishing: what typst does not write by itself for PDF/X-4 (DESIGN §4) — exact
//! TrimBox and BleedBox, the GTS_PDFX output intent with the press profile, the PDF/X
//! identification in the Info dictionary and the XMP, /Trapped /False. typst's content
//! streams, fonts and tagged structure are left untouched.

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use super::condition::{CONDITION, CONDITION_IDENTIFIER, PDFX_VERSION, PROFILE_ZLIB, REGISTRY};
use super::preflight::PLATE_NAMES;
use crate::layout::{Magazine, Plate};

/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// How far typst's MediaBox may differ from trim + 2 × slug (f32 noise), in points.
const MEDIA_TOLERANCE_PT: f64 = 0.05;

/// Why finishing failed.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    /// The PDF typst wrote could not be read back.
    #[error("the PDF could not be read: {0}")]
    Read(String),
    /// A page's MediaBox is not the sheet the format describes.
    #[error("page {page}: the sheet is {found_mm:?} mm, the format says {expected_mm:?} mm")]
    Sheet {
        /// The page, from 1.
        page: usize,
        /// Its MediaBox size.
        found_mm: (f64, f64),
        /// Trim + 2 × slug.
        expected_mm: (f64, f64),
    },
    /// An ad could not be put back as delivered.
    #[error("{0}")]
    Ad(#[from] super::ad_pages::AdPageError),
    /// The finished PDF could not be written.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// The boxes of a page, in points from the sheet's bottom-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageBoxes {
    /// The sheet.
    pub media: [f64; 4],
    /// The trimmed page.
    pub trim: [f64; 4],
    /// The trim plus the bleed.
    pub bleed: [f64; 4],
}

impl PageBoxes {
    /// The boxes the format describes.
    pub fn of(format: &Magazine) -> Self {
        let slug = format.slug.pt();
        let bleed = format.bleed.pt();
        let (w, h) = (format.trim.width.pt(), format.trim.height.pt());
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        PageBoxes {
            media: [0.0, 0.0, round(w + 2.0 * slug), round(h + 2.0 * slug)],
            trim: [round(slug), round(slug), round(slug + w), round(slug + h)],
            bleed: [
                round(slug - bleed),
                round(slug - bleed),
                round(slug + w + bleed),
                round(slug + h + bleed),
            ],
        }
    }
}

fn rect(values: [f64; 4]) -> Object {
    Object::Array(values.iter().map(|&v| Object::Real(v as f32)).collect())
}

fn text(value: &str) -> Object {
    // PDF text strings in UTF-16BE with a BOM when they are not ASCII.
    if value.is_ascii() {
        Object::String(value.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(value.encode_utf16().flat_map(|u| u.to_be_bytes()));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// What a finished file is: the print file itself, or a proof of it.
#[derive(Clone, Debug)]
pub enum Rendition {
    /// The file for the press (XMP RenditionClass `default`).
    Print,
    /// A proof (校正刷): XMP RenditionClass `proof`, and in the Info dictionary a subject that
    /// says so and `/KohoProof` with the round; each page keeps koho's private data (where
    /// each field lies, for reading comments back) in its `/PieceInfo`.
    Proof(ProofMarks),
}

/// What a proof carries besides its pages.
#[derive(Clone, Debug)]
pub struct ProofMarks {
    /// The round, from 1.
    pub round: u32,
    /// The Info subject (校正刷 初校 — not for print).
    pub subject: String,
    /// Per page, in order: koho's data about the page (JSON).
    pub page_data: Vec<Vec<u8>>,
}

/// The `/PieceInfo` key under which koho keeps its data on a proof's pages.
pub const PIECE_INFO_KEY: &[u8] = b"koho";

/// The `/PieceInfo` key under which each page names the plates it prints on, so that
/// preflight can check a two-colour page separation by separation.
pub const PLATES_KEY: &[u8] = b"koho-plates";

/// Finishes typst's PDF for print, every page on all four plates.
pub fn finish(pdf: &[u8], format: &Magazine) -> Result<Vec<u8>, FinishError> {
    finish_as(pdf, format, &Rendition::Print, &[], &[])
}

/// Finishes typst's PDF as the print file or as a proof of it; `plates` names, page by page,
/// the plates each prints on (a page not named prints on all four); `ads` are the advertisers'
/// files the pages place, each put back as delivered in place of typst's copy.
pub fn finish_as(
    pdf: &[u8],
    format: &Magazine,
    rendition: &Rendition,
    plates: &[Vec<Plate>],
    ads: &[&[u8]],
) -> Result<Vec<u8>, FinishError> {
    let mut doc = Document::load_mem(pdf).map_err(|e| FinishError::Read(e.to_string()))?;
    doc.version = "1.6".to_owned();
    super::ad_pages::restore(&mut doc, ads)?;
    let boxes = PageBoxes::of(format);
    set_boxes(&mut doc, boxes)?;
    add_output_intent(&mut doc).map_err(|e| FinishError::Read(e.to_string()))?;
    set_info(&mut doc).map_err(|e| FinishError::Read(e.to_string()))?;
    let proof = matches!(rendition, Rendition::Proof(_));
    set_xmp(&mut doc, proof).map_err(|e| FinishError::Read(e.to_string()))?;
    if let Rendition::Proof(marks) = rendition {
        mark_proof(&mut doc, marks).map_err(|e| FinishError::Read(e.to_string()))?;
    }
    mark_plates(&mut doc, plates).map_err(|e| FinishError::Read(e.to_string()))?;
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| FinishError::Write(e.to_string()))?;
    Ok(out)
}

fn set_boxes(doc: &mut Document, boxes: PageBoxes) -> Result<(), FinishError> {
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for (index, id) in pages.into_iter().enumerate() {
        let page = doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| FinishError::Read(e.to_string()))?;
        let media = media_box(page)
            .ok_or_else(|| FinishError::Read(format!("page {} has no MediaBox", index + 1)))?;
        let size = (media[2] - media[0], media[3] - media[1]);
        let expected = (boxes.media[2], boxes.media[3]);
        if (size.0 - expected.0).abs() > MEDIA_TOLERANCE_PT
            || (size.1 - expected.1).abs() > MEDIA_TOLERANCE_PT
        {
            return Err(FinishError::Sheet {
                page: index + 1,
                found_mm: (size.0 / PT_PER_MM, size.1 / PT_PER_MM),
                expected_mm: (expected.0 / PT_PER_MM, expected.1 / PT_PER_MM),
            });
        }
        page.set("MediaBox", rect(boxes.media));
        page.set("TrimBox", rect(boxes.trim));
        page.set("BleedBox", rect(boxes.bleed));
        page.remove(b"CropBox");
        page.remove(b"ArtBox");
    }
    Ok(())
}

fn media_box(page: &Dictionary) -> Option<[f64; 4]> {
    let array = page.get(b"MediaBox").ok()?.as_array().ok()?;
    let values: Vec<f64> = array
        .iter()
        .filter_map(|o| o.as_float().ok().map(f64::from))
        .collect();
    (values.len() == 4).then(|| [values[0], values[1], values[2], values[3]])
}

fn add_output_intent(doc: &mut Document) -> lopdf::Result<()> {
    let mut profile = Dictionary::new();
    profile.set("N", Object::Integer(4));
    profile.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let profile =
        doc.add_object(Stream::new(profile, PROFILE_ZLIB.to_vec()).with_compression(false));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFX".to_vec()));
    intent.set("OutputConditionIdentifier", text(CONDITION_IDENTIFIER));
    intent.set("OutputCondition", text(CONDITION));
    intent.set("RegistryName", text(REGISTRY));
    intent.set("Info", text(CONDITION));
    intent.set("DestOutputProfile", Object::Reference(profile));
    let intent = doc.add_object(intent);
    doc.catalog_mut()?.set(
        "OutputIntents",
        Object::Array(vec![Object::Reference(intent)]),
    );
    Ok(())
}

fn set_info(doc: &mut Document) -> lopdf::Result<()> {
    let info_id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let info = doc.get_object_mut(info_id)?.as_dict_mut()?;
    info.set("GTS_PDFXVersion", text(PDFX_VERSION));
    info.set("Trapped", Object::Name(b"False".to_vec()));
    Ok(())
}

/// A proof's Info entries and its pages' private data.
fn mark_proof(doc: &mut Document, marks: &ProofMarks) -> lopdf::Result<()> {
    let info_id = doc.trailer.get(b"Info")?.as_reference()?;
    let info = doc.get_object_mut(info_id)?.as_dict_mut()?;
    info.set("Subject", text(&marks.subject));
    info.set("KohoProof", Object::Integer(i64::from(marks.round)));
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for (id, data) in pages.into_iter().zip(&marks.page_data) {
        let stream = doc.add_object(Stream::new(Dictionary::new(), data.clone()));
        let mut private = Dictionary::new();
        private.set("LastModified", text("D:20000101000000Z"));
        private.set("Private", Object::Reference(stream));
        let mut piece = Dictionary::new();
        piece.set(PIECE_INFO_KEY, Object::Dictionary(private));
        let page = doc.get_object_mut(id)?.as_dict_mut()?;
        page.set("PieceInfo", Object::Dictionary(piece));
        page.set("LastModified", text("D:20000101000000Z"));
    }
    Ok(())
}

/// Each page's plates in its `/PieceInfo` (beside a proof's data).
fn mark_plates(doc: &mut Document, plates: &[Vec<Plate>]) -> lopdf::Result<()> {
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for (id, plates) in pages.into_iter().zip(plates) {
        let names = plates
            .iter()
            .map(|p| Object::Name(PLATE_NAMES[p.index()].as_bytes().to_vec()))
            .collect();
        let mut data = Dictionary::new();
        data.set("LastModified", text("D:20000101000000Z"));
        data.set("Private", Object::Array(names));
        let page = doc.get_object_mut(id)?.as_dict_mut()?;
        let mut piece = match page.get(b"PieceInfo") {
            Ok(Object::Dictionary(piece)) => piece.clone(),
            _ => Dictionary::new(),
        };
        piece.set(PLATES_KEY, Object::Dictionary(data));
        page.set("PieceInfo", Object::Dictionary(piece));
        page.set("LastModified", text("D:20000101000000Z"));
    }
    Ok(())
}

/// The XMP of typst, with the PDF/X identification and /Trapped added, and marked as the
/// document itself (`default`) or, for a proof, as a `proof` rendition.
fn set_xmp(doc: &mut Document, proof: bool) -> lopdf::Result<()> {
    let metadata_id = doc.catalog()?.get(b"Metadata")?.as_reference()?;
    let stream = doc.get_object_mut(metadata_id)?.as_stream_mut()?;
    let xmp = String::from_utf8_lossy(
        &stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone()),
    )
    .into_owned();
    let addition = format!(
        "<rdf:Description rdf:about=\"\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\" \
         xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\">\
         <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>\
         <pdfx:GTS_PDFXVersion>{PDFX_VERSION}</pdfx:GTS_PDFXVersion></rdf:Description>"
    );
    let class = if proof { "proof" } else { "default" };
    let xmp = xmp
        .replace(
            "<xmpMM:RenditionClass>proof</xmpMM:RenditionClass>",
            &format!("<xmpMM:RenditionClass>{class}</xmpMM:RenditionClass>"),
        )
        .replace(
            "<pdf:PDFVersion>",
            "<pdf:Trapped>False</pdf:Trapped><pdf:PDFVersion>",
        )
        .replacen("</rdf:RDF>", &format!("{addition}</rdf:RDF>"), 1);
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.set_content(xmp.into_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_are_utf16_when_not_ascii() {
        assert_eq!(
            text("JC200103"),
            Object::String(b"JC200103".to_vec(), StringFormat::Literal)
        );
        let Object::String(bytes, _) = text("広報") else {
            panic!()
        };
        assert_eq!(bytes, [0xFE, 0xFF, 0x5E, 0x83, 0x58, 0x31]);
    }
}
