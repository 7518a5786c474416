//! An advertiser's PDF checked against the slot it was bought for (DESIGN §10): one page of
//! the slot's size (or the slot plus bleed), every font embedded, CMYK only (the slot's inks
//! only), ink within the limit, images sharp enough at the size they print, nothing active
//! (annotations, JavaScript, forms, multimedia), no live transparency, not encrypted, PDF/X
//! stated. Any file — not a PDF, truncated, hostile — gets a verdict: reading it never
//! panics the caller and never runs unbounded.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Document, Object};
use serde::Serialize;

use super::condition::MAX_TOTAL_INK;
use super::preflight::{Space, Status, Walk, info_dict, rect, resolve, xmp_text};
use crate::layout::Plate;

/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// How far an ad's size may differ from its slot's, in millimetres.
pub const SIZE_TOLERANCE_MM: f64 = 0.5;
/// Images print sharp from this resolution at their placed size.
pub const GOOD_PPI: f64 = 300.0;
/// Below this an image prints visibly soft: refused; between the two, a warning.
pub const LEAST_PPI: f64 = 200.0;
/// The largest ad file read (a real ad is a few megabytes).
pub const MAX_AD_BYTES: usize = 256 * 1024 * 1024;
/// An ink counts as printed on a plate from this much (0–1).
const PLATE_THRESHOLD: f64 = 0.02;
/// Annotation types that play sound, video or 3-D: multimedia.
const MULTIMEDIA: &[&[u8]] = &[b"Movie", b"Sound", b"Screen", b"RichMedia", b"3D"];

/// The slot an ad is checked against.
#[derive(Clone, Debug)]
pub struct SlotSpec {
    /// The slot's name in the editors' words (下段広告).
    pub name: String,
    /// Its trimmed size in millimetres (width, height).
    pub size_mm: (f64, f64),
    /// The bleed an ad may carry beyond it.
    pub bleed_mm: f64,
    /// The plates the ad may print on (all four, or the page's two, or black alone).
    pub plates: Vec<Plate>,
}

/// How an ad's size matched its slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeFit {
    /// The box is the slot.
    Trim,
    /// The box is the slot plus bleed on every side.
    WithBleed,
}

/// What one check found, with the facts its words need.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "finding", rename_all = "kebab-case")]
pub enum AdFinding {
    /// The file does not start as a PDF does.
    NotPdf,
    /// The file is larger than any ad.
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// A PDF that cannot be read (truncated, damaged).
    Damaged {
        /// What the reader said.
        why: String,
    },
    /// The file is encrypted (password-protected).
    Encrypted,
    /// How many pages it has (an ad is one).
    Pages {
        /// The count.
        count: usize,
    },
    /// The page is turned by `/Rotate`.
    Rotated {
        /// Degrees.
        degrees: i64,
    },
    /// The page's size against the slot's.
    Size {
        /// The box measured, in millimetres.
        found_mm: (f64, f64),
        /// Whether it was the TrimBox (else the MediaBox, there being no TrimBox).
        trim_box: bool,
        /// The slot's size.
        slot_mm: (f64, f64),
        /// The bleed allowed.
        bleed_mm: f64,
        /// How it matched, if it did.
        fit: Option<SizeFit>,
    },
    /// The fonts, and those not embedded.
    Fonts {
        /// Fonts used.
        total: usize,
        /// Those not embedded, by name.
        missing: Vec<String>,
    },
    /// The colour spaces used, and those a press cannot print as they are.
    Colours {
        /// Every space used.
        used: Vec<String>,
        /// The ones refused (RGB, ICC gray, spot colours, Lab…).
        refused: Vec<String>,
        /// Registration-colour painting inside the page (not crop marks outside it).
        registration_inside: usize,
    },
    /// The plates the ad inks, against those the slot allows.
    Plates {
        /// The plates allowed.
        allowed: Vec<Plate>,
        /// Each plate used outside them, with its most ink in percent.
        off: Vec<(Plate, u32)>,
    },
    /// The most ink anywhere.
    Ink {
        /// The most, in percent (vectors and measured images).
        most: u32,
        /// The limit.
        limit: u32,
        /// CMYK images that could not be measured.
        unmeasured: usize,
    },
    /// The lowest effective resolution of its images.
    Resolution {
        /// Images placed.
        images: usize,
        /// Their lowest resolution at placed size, in ppi.
        lowest: Option<f64>,
    },
    /// What does not belong in print data.
    Active {
        /// Annotations on the page (links, comments, form fields).
        annotations: usize,
        /// JavaScript anywhere in the file.
        javascript: bool,
        /// An interactive form.
        forms: bool,
        /// Sound, video or 3-D.
        multimedia: bool,
    },
    /// Live transparency (soft masks, alpha, transparency groups).
    Transparency {
        /// Places found.
        count: usize,
    },
    /// The PDF/X version the file says it meets.
    Standard {
        /// `PDF/X-1a:2001`, `PDF/X-4`… or none.
        stated: Option<String>,
    },
    /// Content that could not be read.
    Content {
        /// What went wrong.
        errors: Vec<String>,
    },
}

impl AdFinding {
    /// A stable name for the check (`ad-size`).
    pub fn name(&self) -> &'static str {
        match self {
            AdFinding::NotPdf
            | AdFinding::TooLarge { .. }
            | AdFinding::Damaged { .. }
            | AdFinding::Encrypted => "ad-file",
            AdFinding::Pages { .. } => "ad-pages",
            AdFinding::Rotated { .. } => "ad-rotation",
            AdFinding::Size { .. } => "ad-size",
            AdFinding::Fonts { .. } => "ad-fonts",
            AdFinding::Colours { .. } => "ad-colours",
            AdFinding::Plates { .. } => "ad-plates",
            AdFinding::Ink { .. } => "ad-ink",
            AdFinding::Resolution { .. } => "ad-resolution",
            AdFinding::Active { .. } => "ad-active",
            AdFinding::Transparency { .. } => "ad-transparency",
            AdFinding::Standard { .. } => "ad-standard",
            AdFinding::Content { .. } => "ad-content",
        }
    }
}

/// One check's verdict on an ad.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AdCheck {
    /// PASS, WARN or FAIL.
    pub status: Status,
    /// What it found.
    #[serde(flatten)]
    pub finding: AdFinding,
}

/// Where the ad's trimmed area lies on its page, for placing it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AdGeometry {
    /// The area that fills the slot, in the page's points: left, bottom, right, top.
    pub trim: [f64; 4],
    /// The area a placed page shows (its CropBox, else its MediaBox), in the same points: what
    /// typst draws when the page is placed as an image.
    pub shown: [f64; 4],
}

/// The verdict on one ad.
#[derive(Clone, Debug, Serialize)]
pub struct AdReport {
    /// Every check, in order.
    pub checks: Vec<AdCheck>,
    /// Where its slot's area lies on its page (when its size fits).
    #[serde(skip)]
    pub geometry: Option<AdGeometry>,
}

impl AdReport {
    /// The worst verdict.
    pub fn status(&self) -> Status {
        if self.checks.iter().any(|c| c.status == Status::Fail) {
            Status::Fail
        } else if self.checks.iter().any(|c| c.status == Status::Warn) {
            Status::Warn
        } else {
            Status::Pass
        }
    }

    /// True when no check failed.
    pub fn passed(&self) -> bool {
        self.status() != Status::Fail
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &AdCheck> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    fn one(status: Status, finding: AdFinding) -> Self {
        AdReport {
            checks: vec![AdCheck { status, finding }],
            geometry: None,
        }
    }

    fn add(&mut self, status: Status, finding: AdFinding) {
        self.checks.push(AdCheck { status, finding });
    }
}

/// Checks `bytes`, an advertiser's file, against `slot`. Never fails and never panics: a file
/// that cannot be read is a verdict too.
pub fn check_ad(bytes: &[u8], slot: &SlotSpec) -> AdReport {
    if bytes.len() > MAX_AD_BYTES {
        return AdReport::one(Status::Fail, AdFinding::TooLarge { bytes: bytes.len() });
    }
    // PDF allows junk before the header within the first KiB; an ad file rarely has any.
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return AdReport::one(Status::Fail, AdFinding::NotPdf);
    }
    // A file cut off in transfer loses its end; a PDF ends with %%EOF (and a line end).
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return AdReport::one(
            Status::Fail,
            AdFinding::Damaged {
                why: "it is cut off: it does not end with %%EOF".into(),
            },
        );
    }
    match catch_unwind(AssertUnwindSafe(|| check_pdf(bytes, slot))) {
        Ok(report) => report,
        Err(_) => AdReport::one(
            Status::Fail,
            AdFinding::Damaged {
                why: "the PDF reader stopped on malformed data".into(),
            },
        ),
    }
}

/// PASS when `ok`, else FAIL.
fn pass_if(ok: bool) -> Status {
    if ok { Status::Pass } else { Status::Fail }
}

fn check_pdf(bytes: &[u8], slot: &SlotSpec) -> AdReport {
    let names_encryption = || bytes.windows(b"/Encrypt".len()).any(|w| w == b"/Encrypt");
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if names_encryption() => return AdReport::one(Status::Fail, AdFinding::Encrypted),
        Err(e) => {
            return AdReport::one(Status::Fail, AdFinding::Damaged { why: e.to_string() });
        }
    };
    // lopdf opens a file with an empty user password, decrypting it: the file still is.
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() || names_encryption() {
        return AdReport::one(Status::Fail, AdFinding::Encrypted);
    }
    let pages = doc.get_pages();
    let Some((_, &page_id)) = pages.iter().next() else {
        return AdReport::one(
            Status::Fail,
            AdFinding::Damaged {
                why: "it has no pages".into(),
            },
        );
    };
    let mut report = AdReport {
        checks: Vec::new(),
        geometry: None,
    };
    let count = pages.len();
    report.add(pass_if(count == 1), AdFinding::Pages { count });
    let Ok(page) = doc.get_dictionary(page_id) else {
        report.add(
            Status::Fail,
            AdFinding::Damaged {
                why: "its first page cannot be read".into(),
            },
        );
        return report;
    };
    let degrees = page
        .get(b"Rotate")
        .ok()
        .and_then(|r| resolve(&doc, r).as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    if degrees != 0 {
        report.add(Status::Fail, AdFinding::Rotated { degrees });
    }
    check_size(page, slot, &mut report);

    let mut walk = Walk::default();
    walk.page(&doc, page_id);
    walk.measure_images(None);
    check_fonts(&walk, &mut report);
    check_colours(&walk, &mut report);
    check_plates(&walk, slot, &mut report);
    check_ink(&walk, &mut report);
    check_resolution(&walk, &mut report);
    check_active(&doc, page, &mut report);
    check_transparency(&doc, &walk, &mut report);
    check_standard(&doc, &mut report);
    if !walk.errors.is_empty() {
        report.add(
            Status::Fail,
            AdFinding::Content {
                errors: walk.errors.clone(),
            },
        );
    }
    report
}

fn check_size(page: &lopdf::Dictionary, slot: &SlotSpec, report: &mut AdReport) {
    let trim = rect(page, b"TrimBox");
    let Some(area) = trim.or_else(|| rect(page, b"MediaBox")) else {
        report.add(
            Status::Fail,
            AdFinding::Damaged {
                why: "its page has no MediaBox".into(),
            },
        );
        return;
    };
    let found_mm = (
        (area[2] - area[0]) / PT_PER_MM,
        (area[3] - area[1]) / PT_PER_MM,
    );
    let near = |a: f64, b: f64| (a - b).abs() <= SIZE_TOLERANCE_MM;
    let (w, h) = slot.size_mm;
    let b = slot.bleed_mm;
    let fit = if near(found_mm.0, w) && near(found_mm.1, h) {
        Some(SizeFit::Trim)
    } else if near(found_mm.0, w + 2.0 * b) && near(found_mm.1, h + 2.0 * b) {
        Some(SizeFit::WithBleed)
    } else {
        None
    };
    if fit.is_some() {
        // The slot's area: the box itself, or the box less the bleed, centred on it (an ad a
        // little off size is centred, never scaled: its artwork stays as delivered).
        let cx = (area[0] + area[2]) / 2.0;
        let cy = (area[1] + area[3]) / 2.0;
        let (hw, hh) = (w * PT_PER_MM / 2.0, h * PT_PER_MM / 2.0);
        let media = rect(page, b"MediaBox").unwrap_or(area);
        report.geometry = Some(AdGeometry {
            trim: [cx - hw, cy - hh, cx + hw, cy + hh],
            shown: rect(page, b"CropBox").unwrap_or(media),
        });
    }
    report.add(
        pass_if(fit.is_some()),
        AdFinding::Size {
            found_mm,
            trim_box: trim.is_some(),
            slot_mm: slot.size_mm,
            bleed_mm: b,
            fit,
        },
    );
}

fn check_fonts(walk: &Walk, report: &mut AdReport) {
    let missing: Vec<String> = walk
        .fonts
        .iter()
        .filter(|(_, embedded)| !embedded)
        .map(|(name, _)| name.clone())
        .collect();
    report.add(
        pass_if(missing.is_empty()),
        AdFinding::Fonts {
            total: walk.fonts.len(),
            missing,
        },
    );
}

fn check_colours(walk: &Walk, report: &mut AdReport) {
    let mut used: BTreeSet<Space> = BTreeSet::new();
    used.extend(walk.text_spaces.iter().cloned());
    used.extend(walk.fill_spaces.iter().cloned());
    used.extend(walk.stroke_spaces.iter().cloned());
    used.extend(walk.images.iter().map(|i| i.space.clone()));
    // Crop marks in the slug are cut off when the ad is placed; registration colour inside
    // the page would print on every plate.
    let registration_inside = walk.marks_total - walk.marks_outside;
    used.remove(&Space::Registration);
    // Gray prints on the black plate: accepted. A mask takes the colour it is painted in.
    let refused: Vec<String> = used
        .iter()
        .filter(|s| {
            !(s.is_cmyk() || **s == Space::Gray || matches!(s, Space::Other(n) if n == "mask"))
        })
        .map(Space::label)
        .collect();
    let status = pass_if(refused.is_empty() && registration_inside == 0);
    report.add(
        status,
        AdFinding::Colours {
            used: used.iter().map(Space::label).collect(),
            refused,
            registration_inside,
        },
    );
}

fn check_plates(walk: &Walk, slot: &SlotSpec, report: &mut AdReport) {
    if slot.plates.len() == 4 {
        return;
    }
    let used = walk.plates.first().map_or([0.0; 4], |p| p.used);
    let off: Vec<(Plate, u32)> = Plate::ALL
        .into_iter()
        .filter(|p| !slot.plates.contains(p) && used[p.index()] >= PLATE_THRESHOLD)
        .map(|p| (p, (used[p.index()] * 100.0).round() as u32))
        .collect();
    report.add(
        pass_if(off.is_empty()),
        AdFinding::Plates {
            allowed: slot.plates.clone(),
            off,
        },
    );
}

fn check_ink(walk: &Walk, report: &mut AdReport) {
    let images = walk.images.iter().filter_map(|i| i.ink).max().unwrap_or(0);
    let most = (walk.max_vector_ink.round() as u32).max(images);
    let unmeasured = walk
        .images
        .iter()
        .filter(|i| i.space.is_cmyk() && i.ink.is_none())
        .count();
    let status = if most > MAX_TOTAL_INK {
        Status::Fail
    } else if unmeasured > 0 {
        Status::Warn
    } else {
        Status::Pass
    };
    report.add(
        status,
        AdFinding::Ink {
            most,
            limit: MAX_TOTAL_INK,
            unmeasured,
        },
    );
}

fn check_resolution(walk: &Walk, report: &mut AdReport) {
    let lowest = walk
        .images
        .iter()
        .filter(|i| i.width_pt > 0.0 && i.height_pt > 0.0 && i.width_px > 0 && i.height_px > 0)
        .map(|i| {
            (i.width_px as f64 / (i.width_pt / 72.0)).min(i.height_px as f64 / (i.height_pt / 72.0))
        })
        .reduce(f64::min);
    let status = match lowest {
        Some(ppi) if ppi + 0.5 < LEAST_PPI => Status::Fail,
        Some(ppi) if ppi + 0.5 < GOOD_PPI => Status::Warn,
        _ => Status::Pass,
    };
    report.add(
        status,
        AdFinding::Resolution {
            images: walk.images.len(),
            lowest,
        },
    );
}

/// Annotations, JavaScript, forms and multimedia: found by looking at every object, so none
/// hides behind an unusual place.
fn check_active(doc: &Document, page: &lopdf::Dictionary, report: &mut AdReport) {
    let annotations = page
        .get(b"Annots")
        .ok()
        .and_then(|a| resolve(doc, a).as_array().ok())
        .map_or(0, Vec::len);
    let catalog = doc.catalog().ok();
    let forms = catalog.is_some_and(|c| c.get(b"AcroForm").is_ok());
    let mut javascript = catalog.is_some_and(|c| {
        c.get(b"Names")
            .ok()
            .and_then(|n| resolve(doc, n).as_dict().ok())
            .is_some_and(|n| n.get(b"JavaScript").is_ok())
    });
    let mut multimedia = false;
    for object in doc.objects.values() {
        let dict = match object {
            Object::Dictionary(dict) => dict,
            Object::Stream(stream) => &stream.dict,
            _ => continue,
        };
        let name = |key: &[u8]| dict.get(key).ok().and_then(|v| v.as_name().ok());
        if name(b"S") == Some(b"JavaScript") || dict.get(b"JS").is_ok() {
            javascript = true;
        }
        if name(b"Type") == Some(b"Annot")
            && name(b"Subtype").is_some_and(|s| MULTIMEDIA.contains(&s))
            || name(b"S").is_some_and(|s| s == b"Rendition" || s == b"Movie" || s == b"Sound")
        {
            multimedia = true;
        }
    }
    let any = annotations > 0 || javascript || forms || multimedia;
    report.add(
        pass_if(!any),
        AdFinding::Active {
            annotations,
            javascript,
            forms,
            multimedia,
        },
    );
}

/// Soft masks and alpha (as preflight counts them) and forms that are transparency groups
/// (a page's own `/Group` only names the space it blends in, and is not counted).
fn check_transparency(doc: &Document, walk: &Walk, report: &mut AdReport) {
    let groups = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form".as_slice())
        })
        .filter_map(|s| s.dict.get(b"Group").ok())
        .filter(|g| {
            resolve(doc, g)
                .as_dict()
                .ok()
                .and_then(|g| g.get(b"S").ok())
                .and_then(|s| s.as_name().ok())
                == Some(b"Transparency")
        })
        .count();
    let masked = walk.images.iter().filter(|i| i.has_soft_mask).count();
    let count = groups + masked + walk.soft_masks_in_states;
    report.add(pass_if(count == 0), AdFinding::Transparency { count });
}

/// PDF/X-1a or X-4, as the Info dictionary or the XMP states it.
fn check_standard(doc: &Document, report: &mut AdReport) {
    let info = info_dict(doc)
        .and_then(|i| i.get(b"GTS_PDFXVersion").ok())
        .and_then(|v| v.as_str().ok())
        .map(|v| String::from_utf8_lossy(v).trim().to_owned());
    let stated = info.or_else(|| {
        let xmp = xmp_text(doc);
        let start = xmp.find("GTS_PDFXVersion>")? + "GTS_PDFXVersion>".len();
        let end = xmp[start..].find('<')? + start;
        Some(xmp[start..end].trim().to_owned())
    });
    let accepted = stated
        .as_deref()
        .is_some_and(|s| s.starts_with("PDF/X-1") || s.starts_with("PDF/X-4"));
    report.add(
        if accepted { Status::Pass } else { Status::Warn },
        AdFinding::Standard { stated },
    );
}
