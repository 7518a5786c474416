//! The laid-out document as PDF bytes (typst-pdf) and PNG previews (typst-render).

use typst::foundations::{Datetime, Smart};
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};
use typst_render::RenderOptions;

/// Preview resolution, in pixels per inch.
pub const PREVIEW_PPI: f64 = 150.0;
/// Points in an inch.
const PT_PER_INCH: f64 = 72.0;

/// What makes an export repeatable: the document's identifier and its fixed date.
#[derive(Clone, Debug)]
pub struct ExportIdentity {
    /// A stable identifier (the name), hashed into the PDF's document ID.
    pub ident: String,
    /// The timestamp written into the PDF (the issue date, midnight UTC).
    pub date: Datetime,
}

/// The document as a PDF 1.6 file (the base of PDF/X-4), tagged, with a fixed identifier and
/// timestamp: the same input gives the same bytes.
pub fn pdf(document: &PagedDocument, identity: &ExportIdentity) -> Result<Vec<u8>, String> {
    export(
        document,
        identity.ident.clone(),
        identity.date,
        PdfStandard::V_1_6,
    )
}

/// The document as a tagged PDF of `standard`, with the identifier `ident` and the fixed
/// timestamp `date`.
fn export(
    document: &PagedDocument,
    ident: String,
    date: Datetime,
    standard: PdfStandard,
) -> Result<Vec<u8>, String> {
    let standards = PdfStandards::new(&[standard]).map_err(|e| e.message().to_string())?;
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some(format!("koho {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(date)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The document as an archival PDF/A-2a: the trimmed pages (no bleed, no marks) in the sRGB
/// the press prints — every CMYK colour and photo soft-proofed through the press profile —
/// tagged, so its text reads aloud in order and can be extracted in decades to come. typst
/// itself checks the file against PDF/A-2a and refuses what would break it.
pub fn archival_pdf(
    document: &PagedDocument,
    soft: &super::softproof::SoftProof,
    identity: &ExportIdentity,
) -> Result<Vec<u8>, String> {
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut trimmed = soft.page(page);
            trimmed.bleed = typst::layout::Sides::splat(typst::layout::Abs::zero());
            trimmed
        })
        .collect();
    let info = typst::model::Document::info(document).clone();
    let archival = PagedDocument::new(pages, info);
    let ident = format!("{}/archival", identity.ident);
    export(&archival, ident, identity.date, PdfStandard::A_2a)
}

/// One page as a PNG at [`PREVIEW_PPI`], trimmed (the bleed is not shown), its colours
/// soft-proofed through the press profile.
pub fn preview_png(page: &Page, proof: &super::softproof::SoftProof) -> Result<Vec<u8>, String> {
    render_png(&proof.page(page), PREVIEW_PPI)
}

/// One page as a PNG at [`PREVIEW_PPI`] with the whole sheet around it — bleed, crop marks
/// and, on a proof, the stamp in the slug — soft-proofed through the press profile.
pub fn sheet_png(page: &Page, proof: &super::softproof::SoftProof) -> Result<Vec<u8>, String> {
    render(&proof.page(page), PREVIEW_PPI, true)
}

/// One page (already soft-proofed) as a picture at [`PREVIEW_PPI`], trimmed.
pub fn preview_image(page: &Page) -> Result<image::RgbaImage, String> {
    let options = RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(PREVIEW_PPI / PT_PER_INCH),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &options);
    let mut straight = pixmap.data().to_vec();
    unpremultiply(&mut straight);
    image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), straight)
        .ok_or_else(|| "the rendered page's size does not match its pixels".to_owned())
}

/// Premultiplied RGBA pixels made straight.
fn unpremultiply(pixels: &mut [u8]) {
    for pixel in pixels.chunks_exact_mut(4) {
        let alpha = u16::from(pixel[3]);
        if alpha != 0 && alpha != 255 {
            for channel in &mut pixel[..3] {
                *channel = ((u16::from(*channel) * 255 + alpha / 2) / alpha).min(255) as u8;
            }
        }
    }
}

/// One page as a PNG at `ppi` pixels per inch, trimmed.
pub fn render_png(page: &Page, ppi: f64) -> Result<Vec<u8>, String> {
    render(page, ppi, false)
}

fn render(page: &Page, ppi: f64, whole_sheet: bool) -> Result<Vec<u8>, String> {
    let options = RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppi / PT_PER_INCH),
        render_bleed: whole_sheet,
    };
    let pixmap = typst_render::render(page, &options);
    encode_png(pixmap.width(), pixmap.height(), pixmap.data())
}

/// Premultiplied RGBA pixels as a PNG, compressed for speed: a preview is made on every save
/// in `koho watch`, and the fast setting costs a third of the default's time for a slightly
/// larger file.
fn encode_png(width: u32, height: u32, premultiplied: &[u8]) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut straight = premultiplied.to_vec();
    unpremultiply(&mut straight);
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&straight, width, height, image::ExtendedColorType::Rgba8)
        .map_err(|e| e.to_string())?;
    Ok(png)
}
