//! The laid-out document as PDF bytes (typst-pdf) and PNG previews (typst-render).

use typst::foundations::{Datetime, Smart};
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};
use typst_render::RenderOptions;

use super::softproof::{PhotoPixels, SoftProof};

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
    soft: &SoftProof,
    identity: &ExportIdentity,
) -> Result<Vec<u8>, String> {
    let archival = screen_document(document, soft);
    let ident = format!("{}/archival", identity.ident);
    export(&archival, ident, identity.date, PdfStandard::A_2a)
}

/// The trimmed pages (no bleed, no marks) with every colour and photo soft-proofed into the
/// sRGB the press prints, the photos at half the press resolution (made on every core first).
fn screen_document(document: &PagedDocument, soft: &SoftProof) -> PagedDocument {
    let all: Vec<&Page> = document.pages().iter().collect();
    // A photo not made here is made as its page is proofed: only slower.
    let _ = soft.prepare(&all, PhotoPixels::Archival);
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut trimmed = soft.page(page, PhotoPixels::Archival);
            trimmed.bleed = typst::layout::Sides::splat(typst::layout::Abs::zero());
            trimmed
        })
        .collect();
    let info = typst::model::Document::info(document).clone();
    PagedDocument::new(pages, info)
}

/// The document as the web edition's PDF for download: PDF/UA-1, the trimmed pages in the
/// sRGB the press prints (every colour and photo soft-proofed, as for the archive), tagged in
/// reading order with the document's title and every image's alt text. typst checks the file
/// against PDF/UA-1 and refuses what would break it. The document must be typeset with its ads
/// hidden: a PDF/UA file may not carry the advertisers' embedded pages.
pub fn accessible_pdf(
    document: &PagedDocument,
    soft: &SoftProof,
    identity: &ExportIdentity,
) -> Result<Vec<u8>, String> {
    let accessible = screen_document(document, soft);
    let ident = format!("{}/accessible", identity.ident);
    export(&accessible, ident, identity.date, PdfStandard::Ua_1)
}

/// One page as the previews show it, at `ppi`: every colour and photo soft-proofed through
/// the press profile (the photos made at the size drawn), on white paper; trimmed, or with
/// `whole_sheet` the bleed, the marks and (on a proof) the stamp in the slug around it.
pub fn picture(
    page: &Page,
    proof: &SoftProof,
    ppi: f64,
    whole_sheet: bool,
) -> Result<image::RgbImage, String> {
    proofed_picture(
        &proof.page(page, PhotoPixels::Rendered(ppi)),
        ppi,
        whole_sheet,
    )
}

/// [`picture`] of a page already soft-proofed for `ppi`.
pub fn proofed_picture(
    proofed: &Page,
    ppi: f64,
    whole_sheet: bool,
) -> Result<image::RgbImage, String> {
    let mut proofed = proofed.clone();
    // Paper is white: drawn on it, the page needs no compositing afterwards.
    proofed.fill = Smart::Auto;
    let options = RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppi / PT_PER_INCH),
        render_bleed: whole_sheet,
    };
    let pixmap = typst_render::render(&proofed, &options);
    let (width, height) = (pixmap.width(), pixmap.height());
    image::RgbImage::from_raw(width, height, over_white(pixmap.data()))
        .ok_or_else(|| "the rendered page's size does not match its pixels".to_owned())
}

/// Premultiplied RGBA pixels as RGB over white (a premultiplied colour over white is the
/// colour plus the white its alpha leaves showing).
fn over_white(premultiplied: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(premultiplied.len() / 4 * 3);
    for pixel in premultiplied.chunks_exact(4) {
        let white = 255 - pixel[3];
        rgb.extend(pixel[..3].iter().map(|c| c.saturating_add(white)));
    }
    rgb
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

/// One page (already soft-proofed) as a PNG at `ppi` pixels per inch, trimmed, transparent
/// where no ink is.
pub fn render_png(page: &Page, ppi: f64) -> Result<Vec<u8>, String> {
    let options = RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppi / PT_PER_INCH),
        render_bleed: false,
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
