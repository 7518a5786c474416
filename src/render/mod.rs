//! The render stage: pages — the layout stage's JSON and photos — typeset by embedded typst
//! in a [`KohoWorld`], and exported as PDF bytes and PNG previews. It knows pages and JSON,
//! not the content model: what the laid-out pages mean for the content is `crate::fit`'s.

pub mod compile;
pub mod export;
pub mod fonts;
pub mod resample;
pub mod softproof;
pub mod world;

use std::path::Path;
use std::sync::Arc;

use typst::foundations::Datetime;
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, FieldPath, Problem};
use crate::layout::Magazine;
use crate::layout::data::{PageData, PlacedPhoto};
use crate::print;
pub use fonts::Fonts;
pub use world::{KohoWorld, MAIN_FILE, VirtualFiles};

/// A typeset issue: the laid-out document and the files it was made from.
pub struct Typeset {
    /// The laid-out pages, in print order.
    pub document: PagedDocument,
    /// The generated files (`/main.typ`, `/data/…`, `/photos/…`).
    pub files: VirtualFiles,
    /// How long converting the photos for the press took (part of typesetting).
    pub photo_time: std::time::Duration,
}

/// What typesetting needs besides the issue.
pub struct RenderContext<'a> {
    /// The project folder (templates are read from its `layouts/`).
    pub project_root: &'a Path,
    /// Where koho runs, for showing paths.
    pub cwd: &'a Path,
    /// The magazine's format.
    pub format: &'a Magazine,
    /// The bundled fonts.
    pub fonts: Arc<Fonts>,
    /// Photos converted for the press by earlier runs, if koho may use them.
    pub photo_cache: Option<&'a crate::cache::DiskCache>,
}

/// A date (an issue's) as typst's `today()` and the PDF's timestamp.
pub fn datetime(year: u16, month: u8, day: u8) -> Datetime {
    Datetime::from_ymd_hms(i32::from(year), month, day, 0, 0, 0).expect("a checked calendar date")
}

/// Typesets `pages` (the layout stage's data) of the issue described by `issue` (its JSON
/// for the templates), dated `today`: template errors are diagnostics in the template files.
/// What the laid-out pages mean for the content (what did not fit) is for the caller to read
/// from the document (`crate::fit`).
pub fn typeset(
    pages: &[PageData],
    issue: &serde_json::Value,
    today: Datetime,
    context: &RenderContext<'_>,
) -> Result<Typeset, Vec<Diagnostic>> {
    let started = std::time::Instant::now();
    let files = generated_files(issue, context.format, pages, context.photo_cache)?;
    let photo_time = started.elapsed();
    let world = KohoWorld::new(
        context.project_root.to_path_buf(),
        files.clone(),
        context.fonts.clone(),
        today,
    );
    let document = compile::compile(&world, context.project_root, context.cwd)?;
    Ok(Typeset {
        document,
        files,
        photo_time,
    })
}

/// The format's font families must be among the bundled fonts.
pub fn check_fonts(format: &Magazine, fonts: &Fonts) -> Vec<Diagnostic> {
    [
        ("gothic", &format.fonts.gothic),
        ("mincho", &format.fonts.mincho),
    ]
    .into_iter()
    .filter(|(_, family)| !fonts.has_family(family.as_str()))
    .map(|(role, family)| {
        format.diagnostic(
            FieldPath::root().key("fonts").key(role),
            Problem::FontMissing {
                family: family.as_str().to_owned(),
            },
        )
    })
    .collect()
}

/// The files the world serves besides the templates: `main.typ`, the data, the photos.
fn generated_files(
    issue: &serde_json::Value,
    format: &Magazine,
    pages: &[PageData],
    cache: Option<&crate::cache::DiskCache>,
) -> Result<VirtualFiles, Vec<Diagnostic>> {
    let mut files = VirtualFiles::default();
    files.insert("/data/format.json", to_json(&format.json(false)));
    if pages.iter().any(|p| p.two_colour) {
        files.insert("/data/format-2c.json", to_json(&format.json(true)));
    }
    files.insert("/data/issue.json", to_json(issue));
    for page in pages {
        files.insert(&data_path(page), to_json(&page.json));
    }
    // Converted for the press before typesetting (typst places JPEGs as they are), in parallel:
    // the conversion is most of what print adds to typst's own work. As many at once as there
    // are cores, since each decode may take up to 256 MB.
    let photos: Vec<&PlacedPhoto> = pages.iter().flat_map(|p| p.photos.iter()).collect();
    let converted = crate::parallel::map(&photos, |photo| {
        let bytes = std::fs::read(&photo.file).map_err(|e| e.to_string())?;
        press_photo(&bytes, photo.frame_mm, photo.black_only, cache)
    });
    for (photo, result) in photos.iter().zip(converted) {
        match result {
            Ok(jpeg) => files.insert_bytes(&photo.virtual_path, jpeg),
            Err(reason) => {
                return Err(vec![Diagnostic::whole_file(
                    photo.file.clone(),
                    Problem::FileUnreadable {
                        path: photo.file.display().to_string(),
                        reason,
                    },
                )]);
            }
        }
    }
    for ad in pages.iter().flat_map(|p| p.ads.iter()) {
        match std::fs::read(&ad.file) {
            Ok(bytes) => files.insert(&ad.virtual_path, embeddable_pdf(bytes)),
            Err(e) => {
                return Err(vec![Diagnostic::whole_file(
                    ad.file.clone(),
                    Problem::FileUnreadable {
                        path: ad.file.display().to_string(),
                        reason: e.to_string(),
                    },
                )]);
            }
        }
    }
    files.insert(MAIN_FILE, main_source(pages));
    Ok(files)
}

/// The PDF version typst writes for print (PDF/X-4 is PDF 1.6).
const PRINT_PDF_VERSION: &[u8] = b"1.6";

/// An advertiser's PDF as typst may place it: typst refuses a page from a PDF whose header
/// states a version newer than the file it writes, though an ad that passed its checks uses
/// nothing of it (PDF/X-4 is PDF 1.6). Only the header's digits change, in place, so every
/// byte offset in the file stays right; finishing puts the ad's own page back in any case.
pub fn embeddable_pdf(mut bytes: Vec<u8>) -> Vec<u8> {
    let head = bytes.len().min(1024);
    if let Some(at) = bytes[..head].windows(5).position(|w| w == b"%PDF-") {
        let version = at + 5..at + 5 + PRINT_PDF_VERSION.len();
        if let Some(written) = bytes.get(version.clone())
            && written.len() == 3
            && written[1] == b'.'
            && written > PRINT_PDF_VERSION
        {
            bytes[version].copy_from_slice(PRINT_PDF_VERSION);
        }
    }
    bytes
}

/// Press photos already converted in this process, by the source's hash and the frame: a
/// long-running koho (`koho watch`) converts a photo once, not on every save.
static PRESS_PHOTOS: std::sync::Mutex<Vec<PressPhotoEntry>> = std::sync::Mutex::new(Vec::new());

/// A converted photo: the source's SHA-256, the frame (as bits) and whether it prints in
/// black alone, the press JPEG.
/// The JPEG is kept as typst's `Bytes`: the same value, handed to every compilation, keeps
/// its hash, so a long-running koho neither hashes nor decodes an unchanged photo again.
type PressPhotoEntry = (
    String,
    (Option<(u64, u64)>, bool),
    typst::foundations::Bytes,
);
/// How many converted photos are kept.
const PRESS_PHOTOS_KEPT: usize = 32;

/// `bytes` converted for the press into `frame_mm` (in black alone when `black_only`), from
/// the cache when it was done before.
fn press_photo(
    bytes: &[u8],
    frame_mm: Option<(f64, f64)>,
    black_only: bool,
    disk: Option<&crate::cache::DiskCache>,
) -> Result<typst::foundations::Bytes, String> {
    let key = (
        crate::hash::sha256_hex(bytes),
        (
            frame_mm.map(|(w, h)| (w.to_bits(), h.to_bits())),
            black_only,
        ),
    );
    let cached: Option<typst::foundations::Bytes> = PRESS_PHOTOS.lock().ok().and_then(|cache| {
        cache
            .iter()
            .find(|(hash, frame, _)| *hash == key.0 && *frame == key.1)
            .map(|(_, _, jpeg)| jpeg.clone())
    });
    if let Some(jpeg) = cached {
        return Ok(jpeg);
    }
    let disk_key = format!(
        "{}-{}-{}-{}",
        key.0,
        (key.1)
            .0
            .map_or("none".to_owned(), |(w, h)| format!("{w:x}x{h:x}")),
        if black_only { "k" } else { "cmyk" },
        env!("KOHO_PHOTO_PIPELINE")
    );
    let kept = disk.and_then(|d| d.get(&disk_key));
    let fresh = kept.is_none();
    let convert = if black_only {
        print::photo::to_press_black
    } else {
        print::photo::to_press
    };
    let jpeg = match kept {
        Some(jpeg) => jpeg,
        None => convert(bytes, frame_mm)
            .map(|press| press.jpeg)
            .map_err(|e| e.to_string())?,
    };
    if fresh && let Some(disk) = disk {
        disk.put(&disk_key, &jpeg);
    }
    let jpeg = typst::foundations::Bytes::new(jpeg);
    if let Ok(mut cache) = PRESS_PHOTOS.lock() {
        if cache.len() >= PRESS_PHOTOS_KEPT {
            cache.remove(0);
        }
        cache.push((key.0, key.1, jpeg.clone()));
    }
    Ok(jpeg)
}

fn data_path(page: &PageData) -> String {
    format!("/data/p{}.json", page.folio)
}

fn to_json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("koho's data serialises")
}

/// The main file: imports each layout used and calls it once per page, in print order. It
/// holds no content text, only koho's own names and paths.
fn main_source(pages: &[PageData]) -> String {
    let mut layouts: Vec<&str> = pages.iter().map(|p| p.layout.as_str()).collect();
    layouts.sort_unstable();
    layouts.dedup();
    let mut source = String::from(
        "// Generated by koho: the issue's pages in print order.\n\
         // Every text comes from data/*.json; the templates are in layouts/.\n",
    );
    for (i, layout) in layouts.iter().enumerate() {
        source.push_str(&format!(
            "#import \"/layouts/{layout}/page.typ\" as layout-{i}\n"
        ));
    }
    source.push_str("#let format = json(\"/data/format.json\")\n");
    if pages.iter().any(|p| p.two_colour) {
        // Two-colour pages: the palette for their two inks.
        source.push_str("#let format-2c = json(\"/data/format-2c.json\")\n");
    }
    source.push_str("#let issue = json(\"/data/issue.json\")\n");
    source.push_str("#set document(title: issue.title)\n");
    for page in pages {
        let index = layouts.iter().position(|l| *l == page.layout).unwrap_or(0);
        let format = if page.two_colour {
            "format-2c"
        } else {
            "format"
        };
        source.push_str(&format!(
            "#layout-{index}.page({format}, issue, json(\"{}\"))\n",
            data_path(page)
        ));
    }
    source
}
