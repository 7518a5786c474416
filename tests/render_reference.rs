//! The sample page against its reference picture (tests/ref/), in the manner of resvg's render
//! tests: a small tolerance for anti-aliasing, and on a mismatch a before | diff | after
//! picture in target/ref-failures/ to look at.
//!
//! After an intended change of the page, look at the failure picture, then accept the new
//! page with `KOHO_UPDATE_REF=1 cargo test --test render_reference`.

use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};
use koho::render::softproof::PhotoPixels;

/// Reference resolution: enough to see every block, small enough to keep in git.
const REF_PPI: f64 = 40.0;
/// A pixel differs when a channel differs by more than this (anti-aliasing noise is less).
const CHANNEL_TOLERANCE: u8 = 40;
/// The share of pixels that may differ.
const MAX_DIFFERING: f64 = 0.002;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample's pages as the previews show them (soft-proofed through the press profile), at
/// [`REF_PPI`]: typeset once for all the tests here.
fn sample_pages() -> &'static [RgbaImage] {
    static PAGES: std::sync::OnceLock<Vec<RgbaImage>> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| {
        let project = koho::Project::find(root()).unwrap();
        let report = koho::check(&project, &root().join("content/2026-06"), root());
        assert!(report.is_clean(), "{:?}", report.diagnostics);
        let typeset = report.typeset.expect("typeset");
        let proof = koho::render::softproof::SoftProof::new()
            .and_then(|p| p.with_photos(&typeset.files))
            .unwrap();
        typeset
            .document
            .pages()
            .iter()
            .map(|page| {
                let shown = proof.page(page, PhotoPixels::Rendered(REF_PPI));
                let png = koho::render::export::render_png(&shown, REF_PPI).unwrap();
                image::load_from_memory(&png).unwrap().to_rgba8()
            })
            .collect()
    })
}

/// Page `folio` of the sample.
fn render_page(folio: usize) -> RgbaImage {
    sample_pages()[folio - 1].clone()
}

/// The spread of pages `left` and `right` as the open magazine shows them.
fn render_spread(left: usize, right: usize) -> RgbaImage {
    let (l, r) = (render_page(left), render_page(right));
    let mut spread = RgbaImage::from_pixel(l.width() + r.width(), l.height(), Rgba([255; 4]));
    image::imageops::replace(&mut spread, &l, 0, 0);
    image::imageops::replace(&mut spread, &r, i64::from(l.width()), 0);
    spread
}

fn render_sample() -> RgbaImage {
    render_page(4)
}

/// before | diff (differing pixels in red over a faded page) | after.
fn triptych(before: &RgbaImage, after: &RgbaImage) -> RgbaImage {
    let (w, h) = (
        before.width().max(after.width()),
        before.height().max(after.height()),
    );
    let mut out = RgbaImage::from_pixel(w * 3, h, Rgba([255, 255, 255, 255]));
    for y in 0..h {
        for x in 0..w {
            let b = before.get_pixel_checked(x, y).copied();
            let a = after.get_pixel_checked(x, y).copied();
            if let Some(p) = b {
                out.put_pixel(x, y, p);
            }
            if let Some(p) = a {
                out.put_pixel(2 * w + x, y, p);
            }
            let diff = match (b, a) {
                (Some(b), Some(a)) if !differs(&b, &a) => {
                    let faded = |c: u8| 255 - (255 - c) / 4;
                    Rgba([faded(a[0]), faded(a[1]), faded(a[2]), 255])
                }
                _ => Rgba([230, 0, 0, 255]),
            };
            out.put_pixel(w + x, y, diff);
        }
    }
    out
}

fn differs(a: &Rgba<u8>, b: &Rgba<u8>) -> bool {
    a.0.iter()
        .zip(b.0.iter())
        .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
}

/// `picture` against `tests/ref/<name>`: a before | diff | after picture in
/// target/ref-failures/ when they differ (`KOHO_UPDATE_REF=1` accepts the new picture).
fn assert_matches_reference(name: &str, picture: &RgbaImage) {
    let reference_path = root().join("tests/ref").join(name);
    if std::env::var_os("KOHO_UPDATE_REF").is_some() {
        picture.save(&reference_path).unwrap();
        return;
    }
    let reference = image::open(&reference_path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with KOHO_UPDATE_REF=1 to make it",
                reference_path.display()
            )
        })
        .to_rgba8();
    let same_size = reference.dimensions() == picture.dimensions();
    let differing = if same_size {
        reference
            .pixels()
            .zip(picture.pixels())
            .filter(|(a, b)| differs(a, b))
            .count()
    } else {
        usize::MAX
    };
    let total = (picture.width() * picture.height()) as usize;
    if !same_size || differing as f64 > MAX_DIFFERING * total as f64 {
        let failures: PathBuf = root().join("target/ref-failures");
        std::fs::create_dir_all(&failures).unwrap();
        let failure = failures.join(name);
        triptych(&reference, picture).save(&failure).unwrap();
        panic!(
            "{name} differs from tests/ref/{name} ({} of {total} pixels, size {:?} vs {:?}); \
             before | diff | after: {}",
            if same_size {
                differing.to_string()
            } else {
                "all".into()
            },
            reference.dimensions(),
            picture.dimensions(),
            failure.display()
        );
    }
}

#[test]
fn the_sample_page_matches_its_reference() {
    assert_matches_reference("sample-p4.png", &render_sample());
}

#[test]
fn the_cover_matches_its_reference() {
    assert_matches_reference("sample-p1.png", &render_page(1));
}

#[test]
fn a_spread_of_the_feature_matches_its_reference() {
    assert_matches_reference("sample-spread-6-7.png", &render_spread(6, 7));
}

#[test]
fn the_comparison_catches_a_changed_page() {
    // The check itself must be able to fail: a page with one figure changed is caught.
    let page = render_sample();
    let mut changed = page.clone();
    for y in 100..140 {
        for x in 100..160 {
            changed.put_pixel(x, y, Rgba([0, 0, 0, 255]));
        }
    }
    let differing = page
        .pixels()
        .zip(changed.pixels())
        .filter(|(a, b)| differs(a, b))
        .count();
    assert!(differing as f64 > MAX_DIFFERING * (page.width() * page.height()) as f64);
    let picture = triptych(&page, &changed);
    assert_eq!(picture.width(), page.width() * 3);
    assert_eq!(
        picture.get_pixel(page.width() + 120, 120),
        &Rgba([230, 0, 0, 255])
    );
}

/// The formats of every raster image in a frame, nested groups included.
fn image_formats(frame: &typst::layout::Frame, out: &mut Vec<String>) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(group) => image_formats(&group.frame, out),
            typst::layout::FrameItem::Image(image, _, _) => {
                if let typst::visualize::ImageKind::Raster(raster) = image.kind() {
                    out.push(format!("{:?}", raster.format()));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn previews_show_the_photos_through_the_press_profile() {
    let project = koho::Project::find(root()).unwrap();
    let report = koho::check(&project, &root().join("content/2026-06"), root());
    let typeset = report.typeset.expect("typeset");
    // The pledge page, page 4.
    let page = &typeset.document.pages()[3];
    let mut press = Vec::new();
    image_formats(&page.frame, &mut press);
    assert_eq!(press.len(), 2, "{press:?}");
    assert!(
        press.iter().all(|f| f.contains("Jpg")),
        "the page places the press JPEGs: {press:?}"
    );
    let proof = koho::render::softproof::SoftProof::new()
        .and_then(|p| p.with_photos(&typeset.files))
        .unwrap();
    let mut shown = Vec::new();
    image_formats(
        &proof.page(page, PhotoPixels::Rendered(REF_PPI)).frame,
        &mut shown,
    );
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown.iter().all(|f| f.contains("Pixel")),
        "the preview shows soft proofs (raw sRGB pixels): {shown:?}"
    );
}
