//! Advertisers' files, made by the tests: good ones as a print shop would deliver them
//! (typeset with typst in the bundled fonts, CMYK only, text in K100, the photo a CMYK JPEG,
//! PDF/X-4 stated, trim and bleed boxes), and the bad ones printers meet (RGB, an unembedded
//! font, the wrong size, a 150 ppi photo, encrypted, two pages, cut off, not a PDF). The
//! sample issue's two ads are the good ones, written into `content/2026-06/ads/` by
//! `KOHO_BLESS=1 cargo test --test ads` and held to these bytes by that test.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use koho::render::export::ExportIdentity;
use koho::render::fonts::Fonts;
use koho::render::world::{KohoWorld, MAIN_FILE, VirtualFiles};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use super::PROJECT;

/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// The bundled fonts, parsed once per test process.
fn fonts() -> Arc<Fonts> {
    static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| Arc::new(Fonts::load(&Path::new(PROJECT).join("fonts")).unwrap()))
        .clone()
}

/// A sample photo, `width` × `height` pixels: a sky-to-field gradient with a sun, generated
/// (not a photograph), as an RGB PNG.
pub fn sample_photo_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let (sx, sy) = (fx - 0.7, fy - 0.3);
        if sx * sx + sy * sy * 0.25 < 0.01 {
            image::Rgb([250, 200, 60])
        } else if fy < 0.6 {
            image::Rgb([(90.0 + 80.0 * fy) as u8, (150.0 + 60.0 * fy) as u8, 230])
        } else {
            image::Rgb([(60.0 + 40.0 * fx) as u8, (140.0 - 30.0 * fy) as u8, 60])
        }
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// What an ad is made of.
pub struct AdDesign<'a> {
    /// The trimmed size in millimetres.
    pub trim_mm: (f64, f64),
    /// The bleed the file carries beyond the trim on every side (0: none).
    pub bleed_mm: f64,
    /// The typst body, set on a page of trim + bleed, the trim's top-left at (bleed, bleed).
    pub body: &'a str,
    /// Files the body reads, by virtual path (`/photo.jpg`).
    pub files: Vec<(&'a str, Vec<u8>)>,
    /// The PDF/X version stated, if any.
    pub pdfx: Option<&'a str>,
}

/// The ad typeset by typst in the bundled fonts and finished as print data: TrimBox and
/// BleedBox, the Japan Color output intent, PDF/X stated in the Info dictionary.
pub fn typst_ad(design: &AdDesign<'_>) -> Vec<u8> {
    let (w, h) = design.trim_mm;
    let b = design.bleed_mm;
    let main = format!(
        "#set page(width: {}mm, height: {}mm, margin: 0pt)\n\
         #set text(font: \"BIZ UDPGothic\", lang: \"ja\", fill: cmyk(0%, 0%, 0%, 100%))\n\
         #set document(title: \"sample ad\")\n{}",
        w + 2.0 * b,
        h + 2.0 * b,
        design.body
    );
    let mut files = VirtualFiles::default();
    files.insert(MAIN_FILE, main);
    for (path, bytes) in &design.files {
        files.insert(path, bytes.clone());
    }
    let world = KohoWorld::new(
        Path::new(PROJECT).to_path_buf(),
        files,
        fonts(),
        koho::render::datetime(2026, 5, 1),
    );
    let document = koho::render::compile::compile(&world, Path::new(PROJECT), Path::new(PROJECT))
        .unwrap_or_else(|e| panic!("the ad's typst compiles: {e:?}"));
    let identity = ExportIdentity {
        ident: "koho sample ad".into(),
        date: koho::render::datetime(2026, 5, 1),
    };
    let pdf = koho::render::export::pdf(&document, &identity).unwrap();
    finish_ad(&pdf, design.trim_mm, b, design.pdfx)
}

fn rect(values: [f64; 4]) -> Object {
    Object::Array(values.iter().map(|&v| Object::Real(v as f32)).collect())
}

/// Boxes, output intent and PDF/X keys on every page of `pdf`.
fn finish_ad(pdf: &[u8], trim_mm: (f64, f64), bleed_mm: f64, pdfx: Option<&str>) -> Vec<u8> {
    let mut doc = Document::load_mem(pdf).unwrap();
    let b = bleed_mm * PT_PER_MM;
    let (w, h) = (trim_mm.0 * PT_PER_MM, trim_mm.1 * PT_PER_MM);
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    for id in doc.get_pages().into_values() {
        let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
        page.set(
            "MediaBox",
            rect([0.0, 0.0, round(w + 2.0 * b), round(h + 2.0 * b)]),
        );
        page.set(
            "TrimBox",
            rect([round(b), round(b), round(b + w), round(b + h)]),
        );
        page.set(
            "BleedBox",
            rect([0.0, 0.0, round(w + 2.0 * b), round(h + 2.0 * b)]),
        );
    }
    let mut profile = Dictionary::new();
    profile.set("N", 4);
    profile.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let profile = doc.add_object(
        Stream::new(profile, koho::print::condition::PROFILE_ZLIB.to_vec()).with_compression(false),
    );
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFX".to_vec()));
    intent.set(
        "OutputConditionIdentifier",
        Object::String(b"JC200103".to_vec(), StringFormat::Literal),
    );
    intent.set("DestOutputProfile", Object::Reference(profile));
    let intent = doc.add_object(intent);
    doc.catalog_mut().unwrap().set(
        "OutputIntents",
        Object::Array(vec![Object::Reference(intent)]),
    );
    if let Some(version) = pdfx {
        let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = doc.get_object_mut(info).unwrap().as_dict_mut().unwrap();
        info.set(
            "GTS_PDFXVersion",
            Object::String(version.as_bytes().to_vec(), StringFormat::Literal),
        );
        info.set("Trapped", Object::Name(b"False".to_vec()));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A photo as the press takes it: a CMYK JPEG (black alone with `black`), `ppi` sharp when
/// placed `width_mm` wide and `height_mm` high.
pub fn press_photo(width_mm: f64, height_mm: f64, ppi: f64, black: bool) -> Vec<u8> {
    let px = |mm: f64| (mm / 25.4 * ppi).round() as u32;
    let png = sample_photo_png(px(width_mm), px(height_mm));
    let photo = if black {
        koho::print::photo::to_press_black(&png, None)
    } else {
        koho::print::photo::to_press(&png, None)
    };
    photo.unwrap().jpeg
}

/// The sample's four-colour foot-strip ad (180 × 45 mm, with 3 mm bleed): a fictitious
/// advertiser's, marked as a sample on its face.
pub fn four_colour_ad() -> Vec<u8> {
    four_colour_ad_with(350.0, (180.0, 45.0), "cmyk(0%, 6%, 22%, 0%)")
}

/// [`four_colour_ad`] with its photo at `ppi`, at `trim_mm`, its ground filled with `ground`
/// (a typst colour).
pub fn four_colour_ad_with(ppi: f64, trim_mm: (f64, f64), ground: &str) -> Vec<u8> {
    let body = format!(
        r#"// The ground runs into the bleed; the text keeps 4 mm inside the trim.
#place(rect(width: 100%, height: 100%, fill: {ground}))
#place(dx: 3mm, dy: 3mm, box(width: {w}mm, height: {h}mm, inset: 4mm)[
  #grid(columns: (44mm, 1fr), column-gutter: 5mm,
    image("/photo.jpg", width: 44mm, height: 37mm),
    [
      #text(size: 7pt, fill: cmyk(0%, 70%, 100%, 0%))[サンプル広告 — koho のテストが作った架空の広告です]
      #v(1mm)
      #text(size: 16pt, weight: "bold")[ほっかい未来信用金庫]
      #v(1mm)
      #text(size: 10pt)[住まいの夢、まちの未来を応援します。\ 住宅ローンのご相談は土日も受け付けています。]
      #v(2mm)
      #box(fill: cmyk(100%, 30%, 0%, 0%), inset: 2mm)[#text(fill: cmyk(0%, 0%, 0%, 0%), size: 11pt, weight: "bold")[☎ 0144-00-0000]]
      #h(3mm) #text(size: 8pt)[平日 9:00〜17:00 (架空の番号です)]
    ],
  )
])
"#,
        w = trim_mm.0,
        h = trim_mm.1
    );
    typst_ad(&AdDesign {
        trim_mm,
        bleed_mm: 3.0,
        body: &body,
        files: vec![("/photo.jpg", press_photo(44.0, 37.0, ppi, false))],
        pdfx: Some("PDF/X-4"),
    })
}

/// The sample's two-colour half-strip ad (88 × 45 mm, no bleed): black and cyan only, its
/// photo in black alone.
pub fn two_colour_ad() -> Vec<u8> {
    let body = r#"#place(rect(width: 100%, height: 100%, stroke: 0.5pt + cmyk(100%, 0%, 0%, 0%), fill: cmyk(12%, 0%, 0%, 0%)))
#place(box(width: 88mm, height: 45mm, inset: 3.5mm)[
  #grid(columns: (26mm, 1fr), column-gutter: 3mm,
    image("/photo.jpg", width: 26mm, height: 30mm),
    [
      #text(size: 6.5pt)[サンプル広告 (架空)]
      #v(0.5mm)
      #text(size: 12pt, weight: "bold", fill: cmyk(100%, 0%, 0%, 0%))[まちなか歯科クリニック]
      #v(0.5mm)
      #text(size: 8.5pt)[小児歯科・予防歯科\ 土曜も診療しています]
      #v(1mm)
      #text(size: 10pt, weight: "bold")[☎ 0144-00-0001]
    ],
  )
])
"#;
    typst_ad(&AdDesign {
        trim_mm: (88.0, 45.0),
        bleed_mm: 0.0,
        body,
        files: vec![("/photo.jpg", press_photo(26.0, 30.0, 350.0, true))],
        pdfx: Some("PDF/X-4"),
    })
}

/// A one-page ad whose text is set in Helvetica without embedding it, written by hand as old
/// office software does.
pub fn unembedded_font_ad(trim_mm: (f64, f64)) -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    let font_id = doc.add_object(font);
    let content = b"0 0 0 1 k BT /F1 18 Tf 20 40 Td (Sample ad) Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let (w, h) = (trim_mm.0 * PT_PER_MM, trim_mm.1 * PT_PER_MM);
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set("MediaBox", rect([0.0, 0.0, w, h]));
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(content_id));
    let page_id = doc.add_object(page);
    let mut pages = Dictionary::new();
    pages.set("Type", Object::Name(b"Pages".to_vec()));
    pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    pages.set("Count", 1);
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A four-colour ad with a second page.
pub fn two_page_ad() -> Vec<u8> {
    let body = r#"#rect(width: 100%, height: 100%, fill: cmyk(0%, 0%, 0%, 20%))
#pagebreak()
#rect(width: 100%, height: 100%, fill: cmyk(0%, 0%, 0%, 40%))
"#;
    typst_ad(&AdDesign {
        trim_mm: (180.0, 45.0),
        bleed_mm: 0.0,
        body,
        files: vec![],
        pdfx: Some("PDF/X-4"),
    })
}

/// An ad in RGB (a screen colour, as a web designer delivers it).
pub fn rgb_ad() -> Vec<u8> {
    four_colour_ad_with(350.0, (180.0, 45.0), "rgb(255, 220, 160)")
}

/// `pdf` encrypted by qpdf (a real encryption: an owner password and print restrictions).
pub fn encrypted(pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (plain, locked) = (dir.path().join("plain.pdf"), dir.path().join("locked.pdf"));
    std::fs::write(&plain, pdf).unwrap();
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "", "owner", "256", "--print=none", "--"])
        .arg(&plain)
        .arg(&locked)
        .status()
        .expect("qpdf runs (installed by .ci/run)");
    assert!(status.success());
    std::fs::read(locked).unwrap()
}
