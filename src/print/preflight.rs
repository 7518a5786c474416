//! Preflight: the print-readiness of any PDF, ours or another's, one line per check.
//!
//! It reads the file with lopdf and walks every page's content — nested forms included —
//! keeping the graphics state (transformation, colour spaces) so it can say which colours
//! text, vectors and images use, how sharp each placed image is, how much ink vector colours
//! carry, and whether crop marks stand outside the bleed. Every build runs it on its own PDF
//! before putting the file in place.

use std::collections::BTreeSet;
use std::fmt;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;

use super::condition::MAX_TOTAL_INK;
use crate::cache::DiskCache;

/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// Box sizes may differ from the expected ones by this much, in millimetres.
const BOX_TOLERANCE_MM: f64 = 0.2;
/// Nested forms deeper than this are not followed (a loop, or an attack).
const MAX_FORM_DEPTH: usize = 16;
/// Text this dark in black and also carrying colour ink is a rich black.
const RICH_BLACK_K: f64 = 0.9;

/// PASS, WARN or FAIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Meets the requirement.
    #[serde(rename = "PASS")]
    Pass,
    /// Worth a look, not a reason to refuse the file.
    #[serde(rename = "WARN")]
    Warn,
    /// The printer would refuse it.
    #[serde(rename = "FAIL")]
    Fail,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        })
    }
}

/// One check's result.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// A stable name (`output-intent`).
    pub name: &'static str,
    /// The verdict.
    pub status: Status,
    /// The figure behind it.
    pub detail: String,
}

/// What a print-ready page must be.
#[derive(Clone, Copy, Debug)]
pub struct Expectations {
    /// The trimmed page, in millimetres.
    pub trim_mm: (f64, f64),
    /// The bleed beyond the trim.
    pub bleed_mm: f64,
    /// The least sheet beyond the trim (room for the marks).
    pub min_slug_mm: f64,
    /// The least image resolution.
    pub min_ppi: f64,
    /// The most ink of any colour, in percent.
    pub max_ink: u32,
}

impl Default for Expectations {
    /// A4 with 3 mm bleed and 10 mm of sheet for the marks, 300 ppi, 320 % ink.
    fn default() -> Self {
        Self {
            trim_mm: (210.0, 297.0),
            bleed_mm: 3.0,
            min_slug_mm: 10.0,
            min_ppi: 300.0,
            max_ink: MAX_TOTAL_INK,
        }
    }
}

/// A PDF that could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    /// It is not a readable PDF (truncated, damaged, not a PDF).
    #[error("not a readable PDF: {0}")]
    Unreadable(String),
    /// It is encrypted.
    #[error("the PDF is encrypted; a print file must not be")]
    Encrypted,
}

/// The report on one PDF.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Pages in the file.
    pub pages: usize,
    /// One line per check.
    pub checks: Vec<Check>,
}

impl Report {
    /// True when no check failed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    fn add(&mut self, name: &'static str, status: Status, detail: impl Into<String>) {
        self.checks.push(Check {
            name,
            status,
            detail: detail.into(),
        });
    }
}

/// Checks `bytes` against `expect`.
pub fn preflight(bytes: &[u8], expect: &Expectations) -> Result<Report, PreflightError> {
    preflight_with(bytes, expect, None)
}

/// Checks `bytes` against `expect`, taking the ink of images measured by earlier runs from
/// `measured` (by a hash of each image's bytes) and keeping what it measures there.
pub fn preflight_with(
    bytes: &[u8],
    expect: &Expectations,
    measured: Option<&DiskCache>,
) -> Result<Report, PreflightError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(PreflightError::Unreadable(
            "it does not start with %PDF-".into(),
        ));
    }
    // An encrypted file may not even load (no password): its trailer still says so.
    let names_encryption = || bytes.windows(b"/Encrypt".len()).any(|w| w == b"/Encrypt");
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if names_encryption() => return Err(PreflightError::Encrypted),
        Err(e) => return Err(PreflightError::Unreadable(e.to_string())),
    };
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(PreflightError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PreflightError::Unreadable("it has no pages".into()));
    }
    let mut report = Report {
        pages: pages.len(),
        checks: Vec::new(),
    };
    check_version(&doc, &mut report);
    let mut walk = Walk::default();
    for (&number, &page_id) in &pages {
        check_boxes(&doc, number, page_id, expect, &mut report);
        walk.page(&doc, page_id);
    }
    walk.measure_images(measured);
    check_fonts(&walk, &mut report);
    check_colours(&walk, expect, &mut report);
    check_plates(&walk, &mut report);
    check_bleed(&walk, &mut report);
    check_images(&walk, expect, &mut report);
    check_marks(&walk, &mut report);
    check_intent(&doc, &mut report);
    check_transparency_and_annotations(&doc, &walk, &mut report);
    check_rendition(&doc, &mut report);
    Ok(report)
}

/// What a proof says of itself: the round koho wrote in the Info dictionary, or an XMP
/// RenditionClass of `proof`.
fn proof_marking(doc: &Document) -> Option<String> {
    if let Some(round) = info_dict(doc)
        .and_then(|i| i.get(b"KohoProof").ok())
        .and_then(|r| r.as_i64().ok())
    {
        return Some(format!("koho proof, round {round}"));
    }
    xmp_text(doc)
        .contains("<xmpMM:RenditionClass>proof")
        .then(|| "XMP RenditionClass proof".to_owned())
}

/// The document's Info dictionary, if it has one.
pub(super) fn info_dict(doc: &Document) -> Option<&lopdf::Dictionary> {
    let info = doc.trailer.get(b"Info").ok()?;
    resolve(doc, info).as_dict().ok()
}

/// The document's XMP metadata as text (empty when it has none).
pub(super) fn xmp_text(doc: &Document) -> String {
    doc.catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .map(|m| resolve(doc, m))
        .and_then(|m| m.as_stream().ok())
        .map(|s| {
            String::from_utf8_lossy(
                &s.decompressed_content()
                    .unwrap_or_else(|_| s.content.clone()),
            )
            .into_owned()
        })
        .unwrap_or_default()
}

/// A proof is never the file to print: a warning, so it is not sent by mistake.
fn check_rendition(doc: &Document, report: &mut Report) {
    match proof_marking(doc) {
        Some(marking) => report.add(
            "proof",
            Status::Warn,
            format!("this is a proof (校正刷: {marking}), not the file for the press"),
        ),
        None => report.add("proof", Status::Pass, "not marked as a proof"),
    }
}

fn check_version(doc: &Document, report: &mut Report) {
    let status = if doc.version == "1.6" {
        Status::Pass
    } else {
        Status::Warn
    };
    report.add(
        "pdf-version",
        status,
        format!("PDF {} (PDF/X-4 is based on 1.6)", doc.version),
    );
}

pub(super) fn rect(dict: &Dictionary, key: &[u8]) -> Option<[f64; 4]> {
    let array = dict.get(key).ok()?.as_array().ok()?;
    let v: Vec<f64> = array
        .iter()
        .filter_map(|o| o.as_float().ok().map(f64::from))
        .collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

fn check_boxes(
    doc: &Document,
    number: u32,
    page_id: ObjectId,
    expect: &Expectations,
    report: &mut Report,
) {
    let Ok(page) = doc.get_dictionary(page_id) else {
        report.add(
            "page-boxes",
            Status::Fail,
            format!("p{number}: the page cannot be read"),
        );
        return;
    };
    let media = rect(page, b"MediaBox");
    let trim = rect(page, b"TrimBox");
    let bleed = rect(page, b"BleedBox");
    let mm = |v: f64| v / PT_PER_MM;
    let Some(media) = media else {
        report.add(
            "page-boxes",
            Status::Fail,
            format!("p{number}: no MediaBox"),
        );
        return;
    };
    let Some(trim) = trim else {
        report.add("trim-box", Status::Fail, format!("p{number}: no TrimBox"));
        return;
    };
    let (w, h) = (mm(trim[2] - trim[0]), mm(trim[3] - trim[1]));
    let trim_ok = (w - expect.trim_mm.0).abs() < BOX_TOLERANCE_MM
        && (h - expect.trim_mm.1).abs() < BOX_TOLERANCE_MM;
    report.add(
        "trim-box",
        if trim_ok { Status::Pass } else { Status::Fail },
        format!(
            "p{number}: {w:.1} × {h:.1} mm (want {} × {})",
            expect.trim_mm.0, expect.trim_mm.1
        ),
    );
    match bleed {
        None => report.add("bleed-box", Status::Fail, format!("p{number}: no BleedBox")),
        Some(bleed) => {
            let sides = [
                mm(trim[0] - bleed[0]),
                mm(trim[1] - bleed[1]),
                mm(bleed[2] - trim[2]),
                mm(bleed[3] - trim[3]),
            ];
            let ok = sides
                .iter()
                .all(|s| (s - expect.bleed_mm).abs() < BOX_TOLERANCE_MM);
            report.add(
                "bleed-box",
                if ok { Status::Pass } else { Status::Fail },
                format!(
                    "p{number}: bleed {:.1}/{:.1}/{:.1}/{:.1} mm (want {})",
                    sides[0], sides[1], sides[2], sides[3], expect.bleed_mm
                ),
            );
        }
    }
    let slug = [
        mm(trim[0] - media[0]),
        mm(trim[1] - media[1]),
        mm(media[2] - trim[2]),
        mm(media[3] - trim[3]),
    ];
    let least = slug.iter().cloned().fold(f64::INFINITY, f64::min);
    report.add(
        "media-box",
        if least >= expect.min_slug_mm - BOX_TOLERANCE_MM {
            Status::Pass
        } else {
            Status::Fail
        },
        format!(
            "p{number}: sheet beyond the trim at least {least:.1} mm (want ≥ {})",
            expect.min_slug_mm
        ),
    );
}

/// The kind of a colour space, as a printer sees it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Space {
    Cmyk,
    Gray,
    Rgb,
    IccGray,
    IccRgb,
    IccCmyk,
    Registration,
    Spot(String),
    Other(String),
}

impl Space {
    pub(super) fn label(&self) -> String {
        match self {
            Space::Cmyk => "DeviceCMYK".into(),
            Space::Gray => "DeviceGray".into(),
            Space::Rgb => "DeviceRGB".into(),
            Space::IccGray => "ICC gray".into(),
            Space::IccRgb => "ICC RGB".into(),
            Space::IccCmyk => "ICC CMYK".into(),
            Space::Registration => "Separation /All".into(),
            Space::Spot(name) => format!("Separation /{name}"),
            Space::Other(name) => name.clone(),
        }
    }

    pub(super) fn is_rgb(&self) -> bool {
        matches!(self, Space::Rgb | Space::IccRgb)
    }

    pub(super) fn is_cmyk(&self) -> bool {
        matches!(self, Space::Cmyk | Space::IccCmyk)
    }
}

pub(super) fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).unwrap_or(object)
}

fn space_of(doc: &Document, object: &Object, resources: Option<&Dictionary>) -> Space {
    match resolve(doc, object) {
        Object::Name(name) => match name.as_slice() {
            b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
            b"DeviceRGB" | b"RGB" => Space::Rgb,
            b"DeviceGray" | b"G" => Space::Gray,
            b"Pattern" => Space::Other("Pattern".into()),
            other => {
                let named = resources
                    .and_then(|r| r.get(b"ColorSpace").ok())
                    .map(|cs| resolve(doc, cs))
                    .and_then(|cs| cs.as_dict().ok())
                    .and_then(|cs| cs.get(other).ok());
                match named {
                    Some(object) => space_of(doc, object, None),
                    None => Space::Other(String::from_utf8_lossy(other).into_owned()),
                }
            }
        },
        Object::Array(items) => {
            let family = items.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
            match family {
                b"ICCBased" => {
                    let n = items
                        .get(1)
                        .map(|o| resolve(doc, o))
                        .and_then(|o| o.as_stream().ok())
                        .and_then(|s| s.dict.get(b"N").ok())
                        .and_then(|n| n.as_i64().ok());
                    match n {
                        Some(1) => Space::IccGray,
                        Some(3) => Space::IccRgb,
                        Some(4) => Space::IccCmyk,
                        _ => Space::Other("ICCBased".into()),
                    }
                }
                b"Separation" => {
                    let name = items.get(1).and_then(|o| o.as_name().ok()).unwrap_or(b"?");
                    if name == b"All" {
                        Space::Registration
                    } else {
                        Space::Spot(String::from_utf8_lossy(name).into_owned())
                    }
                }
                b"Indexed" => items
                    .get(1)
                    .map(|base| space_of(doc, base, resources))
                    .unwrap_or(Space::Other("Indexed".into())),
                other => Space::Other(String::from_utf8_lossy(other).into_owned()),
            }
        }
        _ => Space::Other("?".into()),
    }
}

/// A 2-D affine transform [a b c d e f].
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// Four ink values, when there are four.
fn cmyk_of(values: &[f64]) -> Option<[f64; 4]> {
    (values.len() == 4).then(|| [values[0], values[1], values[2], values[3]])
}

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    fill: Space,
    stroke: Space,
    /// The fill colour's inks when it is CMYK.
    fill_cmyk: Option<[f64; 4]>,
    /// The clipping area's bounds, when something clipped (what is painted shows only there).
    clip: Option<[f64; 4]>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            ctm: IDENTITY,
            fill: Space::Gray,
            stroke: Space::Gray,
            fill_cmyk: None,
            clip: None,
        }
    }
}

/// The bounds of points: left, bottom, right, top.
fn bounds(points: &[(f64, f64)]) -> Option<[f64; 4]> {
    let first = points.first()?;
    Some(points.iter().fold(
        [first.0, first.1, first.0, first.1],
        |[l, b, r, t], &(x, y)| [l.min(x), b.min(y), r.max(x), t.max(y)],
    ))
}

/// Where two bounds overlap (`None`: nowhere).
fn intersect(a: [f64; 4], b: [f64; 4]) -> Option<[f64; 4]> {
    let out = [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ];
    (out[0] < out[2] && out[1] < out[3]).then_some(out)
}

/// Something painted that runs to the trim reaches at least this close to the bleed's edge
/// (mm): less, and trimming may leave a white sliver.
const BLEED_SHORT_MM: f64 = 0.5;
/// Something whose edge lies this close inside the trim (mm) is meant to run to it.
const NEAR_TRIM_MM: f64 = 0.5;

/// A placed image.
pub(super) struct Placement {
    pub(super) width_px: i64,
    pub(super) height_px: i64,
    pub(super) width_pt: f64,
    pub(super) height_pt: f64,
    pub(super) space: Space,
    pub(super) has_soft_mask: bool,
    /// The image's total ink (99.95th percentile), for CMYK images koho can decode.
    pub(super) ink: Option<u32>,
    /// Inside an advertiser's page: its resolution was judged against its slot on arrival.
    pub(super) in_ad: bool,
}

/// What walking the pages found.
#[derive(Default)]
pub(super) struct Walk {
    pub(super) text_spaces: BTreeSet<Space>,
    pub(super) fill_spaces: BTreeSet<Space>,
    pub(super) stroke_spaces: BTreeSet<Space>,
    pub(super) max_vector_ink: f64,
    pub(super) rich_black_text: usize,
    pub(super) images: Vec<Placement>,
    /// Registration-colour segments drawn outside the page's BleedBox, and in all.
    pub(super) marks_outside: usize,
    pub(super) marks_total: usize,
    pub(super) fonts: Vec<(String, bool)>,
    pub(super) seen_fonts: BTreeSet<ObjectId>,
    pub(super) notdef: usize,
    pub(super) checked_glyphs: usize,
    pub(super) soft_masks_in_states: usize,
    pub(super) errors: Vec<String>,
    /// The current page's trim and bleed, and what on the pages runs to the trim without
    /// reaching the bleed (page, what, side).
    pub(super) trim_bleed: Option<([f64; 4], [f64; 4])>,
    pub(super) short_of_bleed: Vec<(usize, &'static str, &'static str)>,
    /// CMYK images still to measure: the placement, the page (from 1), the image.
    pub(super) unmeasured: Vec<(usize, usize, lopdf::Stream)>,
    /// Per page, in order: the most of each ink (C, M, Y, K, 0–1) any colour or image on it
    /// carries, and the plates koho says the page prints on (its `/PieceInfo`), if it says.
    pub(super) plates: Vec<PagePlates>,
    /// How many advertisers' pages (forms marked by finishing) the walk is inside: their
    /// artwork was checked against its slot when it arrived, and is the advertiser's to design
    /// (a rich black headline, a 250 ppi photo with a warning).
    pub(super) ad_depth: usize,
}

/// The inks one page uses and the plates it may use.
#[derive(Default)]
pub(super) struct PagePlates {
    pub(super) used: [f64; 4],
    pub(super) allowed: Option<Vec<usize>>,
}

impl Walk {
    pub(super) fn page(&mut self, doc: &Document, page_id: ObjectId) {
        self.trim_bleed = doc
            .get_dictionary(page_id)
            .ok()
            .and_then(|p| Some((rect(p, b"TrimBox")?, rect(p, b"BleedBox")?)));
        self.plates.push(PagePlates {
            used: [0.0; 4],
            allowed: page_plates(doc, page_id),
        });
        let bleed = doc
            .get_dictionary(page_id)
            .ok()
            .and_then(|p| rect(p, b"BleedBox").or_else(|| rect(p, b"TrimBox")));
        let content = match doc.get_page_content_with_limit(page_id, 256 * 1024 * 1024) {
            Ok(content) => content,
            Err(e) => {
                self.errors.push(e.to_string());
                return;
            }
        };
        let resources = page_resources(doc, page_id);
        self.stream(doc, &content, resources.as_ref(), IDENTITY, bleed, 0);
    }

    fn stream(
        &mut self,
        doc: &Document,
        content: &[u8],
        resources: Option<&Dictionary>,
        base: Matrix,
        bleed: Option<[f64; 4]>,
        depth: usize,
    ) {
        if depth > MAX_FORM_DEPTH {
            self.errors.push("forms nested too deeply".into());
            return;
        }
        let Ok(content) = Content::decode(content) else {
            self.errors.push("a content stream cannot be parsed".into());
            return;
        };
        self.collect_fonts(doc, resources);
        let mut state = State {
            ctm: base,
            ..State::default()
        };
        let mut stack: Vec<State> = Vec::new();
        let mut current_font_identity = false;
        let mut path: Vec<(f64, f64)> = Vec::new();
        let number = |o: &Object| o.as_float().map(f64::from).ok();
        for op in &content.operations {
            let nums: Vec<f64> = op.operands.iter().filter_map(number).collect();
            match op.operator.as_str() {
                "q" => stack.push(state.clone()),
                "Q" => state = stack.pop().unwrap_or_default(),
                "cm" if nums.len() == 6 => {
                    let m = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                    state.ctm = multiply(&m, &state.ctm);
                }
                "k" => {
                    state.fill = Space::Cmyk;
                    state.fill_cmyk = cmyk_of(&nums);
                    self.note_ink(&nums);
                }
                "K" => {
                    state.stroke = Space::Cmyk;
                    self.note_ink(&nums);
                }
                "rg" => {
                    state.fill = Space::Rgb;
                    state.fill_cmyk = None;
                }
                "RG" => state.stroke = Space::Rgb,
                "g" => {
                    state.fill = Space::Gray;
                    state.fill_cmyk = None;
                }
                "G" => state.stroke = Space::Gray,
                "cs" => {
                    if let Some(o) = op.operands.first() {
                        state.fill = space_of(doc, o, resources);
                    }
                }
                "CS" => {
                    if let Some(o) = op.operands.first() {
                        state.stroke = space_of(doc, o, resources);
                    }
                }
                "sc" | "scn" => {
                    if state.fill.is_cmyk() {
                        state.fill_cmyk = cmyk_of(&nums);
                        self.note_ink(&nums);
                    } else {
                        state.fill_cmyk = None;
                    }
                }
                "SC" | "SCN" if state.stroke.is_cmyk() && nums.len() == 4 => self.note_ink(&nums),
                "Tf" => {
                    current_font_identity = op
                        .operands
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|name| font_dict(doc, resources, name))
                        .is_some_and(|f| is_identity_cid_font(doc, f));
                }
                "Tj" | "TJ" | "'" | "\"" => {
                    self.text_spaces.insert(state.fill.clone());
                    if let Some([c, m, y, k]) = state.fill_cmyk
                        && k >= RICH_BLACK_K
                        && c + m + y > 0.0
                        && self.ad_depth == 0
                    {
                        self.rich_black_text += 1;
                    }
                    if current_font_identity {
                        self.count_glyphs(&op.operands);
                    }
                }
                "m" | "l" if nums.len() == 2 => path.push(apply(&state.ctm, nums[0], nums[1])),
                "re" if nums.len() == 4 => {
                    path.push(apply(&state.ctm, nums[0], nums[1]));
                    path.push(apply(&state.ctm, nums[0] + nums[2], nums[1] + nums[3]));
                }
                "c" | "v" | "y" if nums.len() >= 2 => {
                    let n = nums.len();
                    path.push(apply(&state.ctm, nums[n - 2], nums[n - 1]));
                }
                "S" | "s" => {
                    self.stroke_spaces.insert(state.stroke.clone());
                    if state.stroke == Space::Registration {
                        self.marks_total += 1;
                        if let Some(b) = bleed
                            && path.iter().all(|&(x, y)| {
                                x <= b[0] + 0.01
                                    || x >= b[2] - 0.01
                                    || y <= b[1] + 0.01
                                    || y >= b[3] - 0.01
                            })
                        {
                            self.marks_outside += 1;
                        }
                    }
                    path.clear();
                }
                "f" | "F" | "f*" => {
                    self.fill_spaces.insert(state.fill.clone());
                    if let Some(area) = bounds(&path) {
                        self.check_reach(area, &state, "a filled area");
                    }
                    path.clear();
                }
                "W" | "W*" => {
                    // The path becomes the clip (by its bounds) once it is ended.
                    if let Some(area) = bounds(&path) {
                        state.clip = match state.clip {
                            Some(clip) => intersect(clip, area).or(Some([0.0; 4])),
                            None => Some(area),
                        };
                    }
                }
                "B" | "B*" | "b" | "b*" => {
                    self.fill_spaces.insert(state.fill.clone());
                    self.stroke_spaces.insert(state.stroke.clone());
                    path.clear();
                }
                "n" => path.clear(),
                "gs" => {
                    if let Some(state_dict) = op
                        .operands
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|name| named_resource(doc, resources, b"ExtGState", name))
                        && let Ok(dict) = state_dict.as_dict()
                    {
                        let translucent = [b"CA".as_slice(), b"ca"].iter().any(|k| {
                            dict.get(k)
                                .ok()
                                .and_then(|v| v.as_float().ok())
                                .is_some_and(|a| a < 1.0)
                        });
                        let masked = dict
                            .get(b"SMask")
                            .ok()
                            .is_some_and(|m| m.as_name().ok() != Some(b"None"));
                        if translucent || masked {
                            self.soft_masks_in_states += 1;
                        }
                    }
                }
                "Do" => {
                    let Some(name) = op.operands.first().and_then(|n| n.as_name().ok()) else {
                        continue;
                    };
                    let Some(xobject) = named_resource(doc, resources, b"XObject", name) else {
                        continue;
                    };
                    let Ok(stream) = xobject.as_stream() else {
                        continue;
                    };
                    match stream.dict.get(b"Subtype").and_then(Object::as_name) {
                        Ok(b"Image") => {
                            let m = &state.ctm;
                            let corners: Vec<(f64, f64)> =
                                [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
                                    .iter()
                                    .map(|&(x, y)| apply(m, x, y))
                                    .collect();
                            if let Some(area) = bounds(&corners) {
                                self.check_reach(area, &state, "a photo");
                            }
                            self.image(doc, stream, &state.ctm, resources)
                        }
                        Ok(b"Form") => {
                            let matrix = stream
                                .dict
                                .get(b"Matrix")
                                .ok()
                                .and_then(|m| m.as_array().ok())
                                .map(|a| a.iter().filter_map(number).collect::<Vec<_>>())
                                .filter(|v| v.len() == 6)
                                .map(|v| [v[0], v[1], v[2], v[3], v[4], v[5]])
                                .unwrap_or(IDENTITY);
                            let form_resources = stream
                                .dict
                                .get(b"Resources")
                                .ok()
                                .map(|r| resolve(doc, r))
                                .and_then(|r| r.as_dict().ok())
                                .cloned();
                            let content = stream
                                .decompressed_content()
                                .unwrap_or_else(|_| stream.content.clone());
                            let ctm = multiply(&matrix, &state.ctm);
                            let inner = form_resources.as_ref().or(resources);
                            let ad = super::ad_pages::is_ad_form(&stream.dict);
                            self.ad_depth += usize::from(ad);
                            self.stream(doc, &content, inner, ctm, bleed, depth + 1);
                            self.ad_depth -= usize::from(ad);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// Something painted over `area` (within the state's clip): if a side of it runs to the
    /// trim but stops short of the bleed, it is noted.
    fn check_reach(&mut self, area: [f64; 4], state: &State, what: &'static str) {
        let Some((trim, bleed)) = self.trim_bleed else {
            return;
        };
        let Some(shown) = (match state.clip {
            Some(clip) => intersect(area, clip),
            None => Some(area),
        }) else {
            return;
        };
        let near = NEAR_TRIM_MM * PT_PER_MM;
        let short = BLEED_SHORT_MM * PT_PER_MM;
        // left, bottom, right, top: how far beyond the trim the area reaches (positive: out).
        let sides = [
            ("left", trim[0] - shown[0], trim[0] - bleed[0]),
            ("bottom", trim[1] - shown[1], trim[1] - bleed[1]),
            ("right", shown[2] - trim[2], bleed[2] - trim[2]),
            ("top", shown[3] - trim[3], bleed[3] - trim[3]),
        ];
        let page = self.plates.len();
        for (side, beyond, bleed_width) in sides {
            // Inside the page by no more than `near`, or beyond the trim but short of the
            // bleed: it meets the trim without its bleed.
            if beyond > -near && beyond < bleed_width - short {
                self.short_of_bleed.push((page, what, side));
            }
        }
    }

    /// Decodes the CMYK images met on the walk (each on a core of its own) for their total
    /// ink and the most of each plate.
    pub(super) fn measure_images(&mut self, kept: Option<&DiskCache>) {
        let pending = std::mem::take(&mut self.unmeasured);
        let measured = crate::parallel::map(&pending, |(_, _, stream)| match kept {
            Some(kept) => kept_image_ink(stream, kept),
            None => image_ink(stream),
        });
        for ((placement, page, _), measured) in pending.iter().zip(measured) {
            let Some((total, plates)) = measured else {
                continue;
            };
            self.images[*placement].ink = Some(total);
            if let Some(page) = self.plates.get_mut(page - 1) {
                for (used, ink) in page.used.iter_mut().zip(plates) {
                    *used = used.max(ink);
                }
            }
        }
    }

    fn note_ink(&mut self, inks: &[f64]) {
        if inks.len() == 4 {
            self.max_vector_ink = self.max_vector_ink.max(inks.iter().sum::<f64>() * 100.0);
            self.note_plates([inks[0], inks[1], inks[2], inks[3]]);
        }
    }

    /// The inks (0–1 each) something on the current page carries.
    fn note_plates(&mut self, inks: [f64; 4]) {
        if let Some(page) = self.plates.last_mut() {
            for (used, ink) in page.used.iter_mut().zip(inks) {
                *used = used.max(ink);
            }
        }
    }

    fn image(
        &mut self,
        doc: &Document,
        stream: &lopdf::Stream,
        ctm: &Matrix,
        resources: Option<&Dictionary>,
    ) {
        let dict = &stream.dict;
        let int = |k: &[u8]| {
            dict.get(k)
                .ok()
                .and_then(|v| resolve(doc, v).as_i64().ok())
                .unwrap_or(0)
        };
        let space = dict
            .get(b"ColorSpace")
            .map(|cs| space_of(doc, cs, resources))
            .unwrap_or(if dict.get(b"ImageMask").is_ok() {
                Space::Other("mask".into())
            } else {
                Space::Gray
            });
        // A CMYK image's inks are measured once every page is walked, on every core.
        if space.is_cmyk() {
            self.unmeasured
                .push((self.images.len(), self.plates.len(), stream.clone()));
        } else if space == Space::Gray {
            // A gray image prints on the black plate alone.
            self.note_plates([0.0, 0.0, 0.0, 1.0]);
        }
        self.images.push(Placement {
            ink: None,
            width_px: int(b"Width"),
            height_px: int(b"Height"),
            width_pt: (ctm[0] * ctm[0] + ctm[1] * ctm[1]).sqrt(),
            height_pt: (ctm[2] * ctm[2] + ctm[3] * ctm[3]).sqrt(),
            space,
            has_soft_mask: dict.get(b"SMask").is_ok(),
            in_ad: self.ad_depth > 0,
        });
    }

    fn collect_fonts(&mut self, doc: &Document, resources: Option<&Dictionary>) {
        let Some(fonts) = resources
            .and_then(|r| r.get(b"Font").ok())
            .map(|f| resolve(doc, f))
            .and_then(|f| f.as_dict().ok())
        else {
            return;
        };
        for (_, font) in fonts.iter() {
            let Ok(id) = font.as_reference() else {
                continue;
            };
            if !self.seen_fonts.insert(id) {
                continue;
            }
            let Ok(dict) = doc.get_dictionary(id) else {
                continue;
            };
            let name = dict
                .get(b"BaseFont")
                .ok()
                .and_then(|n| n.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_else(|| "(Type3)".into());
            let embedded = dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|s| s == b"Type3")
                || font_descriptor(doc, dict).is_some_and(|d| {
                    [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                        .iter()
                        .any(|k| d.get(k).is_ok())
                });
            self.fonts.push((name, embedded));
        }
    }

    /// Two-byte codes of an Identity-H font are glyph ids (with an identity CIDToGIDMap):
    /// code 0 is .notdef.
    fn count_glyphs(&mut self, operands: &[Object]) {
        for operand in operands {
            match operand {
                Object::String(bytes, _) => {
                    for pair in bytes.chunks(2) {
                        self.checked_glyphs += 1;
                        if pair == [0, 0] {
                            self.notdef += 1;
                        }
                    }
                }
                Object::Array(items) => self.count_glyphs(items),
                _ => {}
            }
        }
    }
}

/// The plates koho says a page prints on: `/PieceInfo /koho-plates /Private [/Cyan /Black]`.
fn page_plates(doc: &Document, page_id: ObjectId) -> Option<Vec<usize>> {
    let page = doc.get_dictionary(page_id).ok()?;
    let piece = resolve(doc, page.get(b"PieceInfo").ok()?).as_dict().ok()?;
    let ours = resolve(doc, piece.get(super::finish::PLATES_KEY).ok()?)
        .as_dict()
        .ok()?;
    let names = resolve(doc, ours.get(b"Private").ok()?).as_array().ok()?;
    names
        .iter()
        .map(|n| {
            let name = n.as_name().ok()?;
            PLATE_NAMES.iter().position(|p| p.as_bytes() == name)
        })
        .collect()
}

/// The four plates as `/PieceInfo` names them, in CMYK order.
pub const PLATE_NAMES: [&str; 4] = ["Cyan", "Magenta", "Yellow", "Black"];

/// The largest image whose ink is measured, in pixels (a 600 ppi A3 spread is ~70 million).
const MAX_MEASURED_PIXELS: i64 = 200_000_000;

/// An ink counts as printed on a plate from this much (0–1): less is noise of the JPEG.
const PLATE_THRESHOLD: f64 = 0.02;

/// [`image_ink`] of `stream`, from `kept` when an earlier run measured the same bytes (the
/// key is a hash of everything the measure reads: the stream's bytes and dictionary, and the
/// measuring code's fingerprint).
fn kept_image_ink(stream: &lopdf::Stream, kept: &DiskCache) -> Option<(u32, [f64; 4])> {
    let dict = format!("{:?}", stream.dict);
    let key = format!(
        "{:032x}-{:032x}-{}{}",
        typst::utils::hash128(stream.content.as_slice()),
        typst::utils::hash128(dict.as_str()),
        env!("KOHO_PREFLIGHT"),
        env!("KOHO_PHOTO_PIPELINE")
    );
    if let Some(bytes) = kept.get(&key)
        && let Some(ink) = decode_ink(&bytes)
    {
        return Some(ink);
    }
    let ink = image_ink(stream)?;
    kept.put(&key, &encode_ink(ink));
    Some(ink)
}

/// An image's measured ink as bytes: the total, then each plate's most.
fn encode_ink((total, plates): (u32, [f64; 4])) -> Vec<u8> {
    let mut bytes = total.to_le_bytes().to_vec();
    for plate in plates {
        bytes.extend_from_slice(&plate.to_le_bytes());
    }
    bytes
}

/// The measured ink [`encode_ink`] wrote.
fn decode_ink(bytes: &[u8]) -> Option<(u32, [f64; 4])> {
    let (total, rest) = bytes.split_first_chunk::<4>()?;
    let (plates, []) = rest.as_chunks::<8>() else {
        return None;
    };
    let plates: [f64; 4] = plates
        .iter()
        .map(|p| f64::from_le_bytes(*p))
        .collect::<Vec<_>>()
        .try_into()
        .ok()?;
    Some((u32::from_le_bytes(*total), plates))
}

/// The ink of a CMYK image (JPEG or Flate-compressed 8-bit), honouring its /Decode: its total
/// (99.95th percentile) and the most of each ink, leaving out the same share of outliers.
fn image_ink(stream: &lopdf::Stream) -> Option<(u32, [f64; 4])> {
    // A file may claim any size: what could not be a real photo is not decoded.
    let side = |key: &[u8]| stream.dict.get(key).ok().and_then(|v| v.as_i64().ok());
    match (side(b"Width"), side(b"Height")) {
        (Some(w), Some(h)) if w > 0 && h > 0 && w.saturating_mul(h) <= MAX_MEASURED_PIXELS => {}
        _ => return None,
    }
    let filter = stream.dict.get(b"Filter").ok().and_then(|f| match f {
        Object::Name(n) => Some(n.clone()),
        Object::Array(a) => a.first().and_then(|n| n.as_name().ok()).map(<[u8]>::to_vec),
        _ => None,
    });
    let inverted = stream
        .dict
        .get(b"Decode")
        .ok()
        .and_then(|d| d.as_array().ok())
        .and_then(|d| d.first())
        .and_then(|v| v.as_float().ok())
        .is_some_and(|first| first > 0.5);
    let inks = match filter.as_deref() {
        Some(b"DCTDecode") => {
            // Decoded as ink under Adobe's inverted convention; with /Decode [1 0 …] that is
            // what prints, without it the stored values are the ink.
            let (inks, _, _) = super::photo::cmyk_jpeg_inks(&stream.content).ok()?;
            if inverted {
                inks
            } else {
                inks.into_iter().map(|v| 255 - v).collect()
            }
        }
        _ => {
            let bits = stream
                .dict
                .get(b"BitsPerComponent")
                .ok()
                .and_then(|b| b.as_i64().ok());
            if bits != Some(8) {
                return None;
            }
            let raw = stream.decompressed_content().ok()?;
            if inverted {
                raw.into_iter().map(|v| 255 - v).collect()
            } else {
                raw
            }
        }
    };
    // Each plate's ink as a histogram, its most leaving out the same outliers as the total.
    let mut counts = [[0usize; 256]; 4];
    for pixel in inks.chunks_exact(4) {
        for (channel, &v) in pixel.iter().enumerate() {
            counts[channel][usize::from(v)] += 1;
        }
    }
    let plates =
        counts.map(|c| super::photo::percentile(&c, 1.0 - super::photo::OUTLIERS) as f64 / 255.0);
    Some((super::photo::ink_coverage(&inks).percentile, plates))
}

pub(super) fn page_resources(doc: &Document, page_id: ObjectId) -> Option<Dictionary> {
    let (direct, ids) = doc.get_page_resources(page_id).ok()?;
    direct.cloned().or_else(|| {
        ids.first()
            .and_then(|id| doc.get_dictionary(*id).ok().cloned())
    })
}

fn named_resource<'a>(
    doc: &'a Document,
    resources: Option<&'a Dictionary>,
    kind: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    let group = resolve(doc, resources?.get(kind).ok()?).as_dict().ok()?;
    Some(resolve(doc, group.get(name).ok()?))
}

fn font_dict<'a>(
    doc: &'a Document,
    resources: Option<&'a Dictionary>,
    name: &[u8],
) -> Option<&'a Dictionary> {
    named_resource(doc, resources, b"Font", name)?
        .as_dict()
        .ok()
}

fn descendant<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    let array = resolve(doc, font.get(b"DescendantFonts").ok()?)
        .as_array()
        .ok()?;
    resolve(doc, array.first()?).as_dict().ok()
}

fn font_descriptor<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    let own = font
        .get(b"FontDescriptor")
        .ok()
        .map(|d| resolve(doc, d))
        .and_then(|d| d.as_dict().ok());
    own.or_else(|| {
        let d = descendant(doc, font)?;
        resolve(doc, d.get(b"FontDescriptor").ok()?).as_dict().ok()
    })
}

fn is_identity_cid_font(doc: &Document, font: &Dictionary) -> bool {
    let identity_h = font
        .get(b"Encoding")
        .and_then(Object::as_name)
        .is_ok_and(|e| e == b"Identity-H");
    let identity_map = descendant(doc, font)
        .and_then(|d| d.get(b"CIDToGIDMap").ok())
        .is_none_or(|m| m.as_name().is_ok_and(|n| n == b"Identity"));
    identity_h && identity_map
}

/// A font check: PASS when no font is `offending`, else `otherwise` naming them.
fn font_verdict(
    report: &mut Report,
    name: &'static str,
    offending: &[&str],
    total: usize,
    otherwise: Status,
    words: (&str, &str),
) {
    if offending.is_empty() {
        report.add(name, Status::Pass, format!("{total} fonts, {}", words.0));
    } else {
        report.add(
            name,
            otherwise,
            format!("{}: {}", words.1, offending.join(", ")),
        );
    }
}

fn check_fonts(walk: &Walk, report: &mut Report) {
    let missing: Vec<&str> = walk
        .fonts
        .iter()
        .filter(|(_, e)| !e)
        .map(|(n, _)| n.as_str())
        .collect();
    font_verdict(
        report,
        "fonts-embedded",
        &missing,
        walk.fonts.len(),
        Status::Fail,
        ("all embedded", "not embedded"),
    );
    let is_subset = |n: &str| {
        n.len() > 7 && n.as_bytes()[6] == b'+' && n[..6].bytes().all(|b| b.is_ascii_uppercase())
    };
    let whole: Vec<&str> = walk
        .fonts
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !is_subset(n))
        .collect();
    font_verdict(
        report,
        "fonts-subset",
        &whole,
        walk.fonts.len(),
        Status::Warn,
        ("all subset", "not subset"),
    );
    report.add(
        "notdef-glyphs",
        if walk.notdef == 0 {
            Status::Pass
        } else {
            Status::Fail
        },
        format!(
            "{} of {} glyphs are .notdef",
            walk.notdef, walk.checked_glyphs
        ),
    );
}

fn labels(spaces: &BTreeSet<Space>) -> String {
    if spaces.is_empty() {
        return "none".into();
    }
    spaces
        .iter()
        .map(Space::label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A page koho made for fewer plates than four (a two-colour page) must leave the others
/// empty: checked per separation, each page and plate named.
fn check_plates(walk: &Walk, report: &mut Report) {
    let mut limited = 0;
    let mut off: Vec<String> = Vec::new();
    for (index, page) in walk.plates.iter().enumerate() {
        let Some(allowed) = &page.allowed else {
            continue;
        };
        if allowed.len() == 4 {
            continue;
        }
        limited += 1;
        for (plate, used) in page.used.iter().enumerate() {
            if !allowed.contains(&plate) && *used >= PLATE_THRESHOLD {
                off.push(format!(
                    "page {}: {} plate up to {:.0} %",
                    index + 1,
                    PLATE_NAMES[plate].to_lowercase(),
                    used * 100.0
                ));
            }
        }
    }
    if limited == 0 {
        return;
    }
    let (status, detail) = if off.is_empty() {
        (
            Status::Pass,
            format!("{limited} pages in fewer colours keep to their plates"),
        )
    } else {
        (Status::Fail, off.join("; "))
    };
    report.add("separations", status, detail);
}

/// What runs to the trim must run on to the bleed's edge: else trimming, never exact, leaves a
/// white sliver of paper.
fn check_bleed(walk: &Walk, report: &mut Report) {
    let mut found: Vec<String> = Vec::new();
    for (page, what, side) in &walk.short_of_bleed {
        let line = format!("page {page}: {what} meets the {side} trim without bleed");
        if !found.contains(&line) {
            found.push(line);
        }
    }
    if found.is_empty() {
        report.add(
            "bleed",
            Status::Pass,
            format!("everything that meets the trim runs on into the bleed (within {BLEED_SHORT_MM} mm of its edge)"),
        );
    } else {
        report.add("bleed", Status::Fail, found.join("; "));
    }
}

fn check_colours(walk: &Walk, expect: &Expectations, report: &mut Report) {
    let bad = |spaces: &BTreeSet<Space>| spaces.iter().any(|s| s.is_rgb() || *s == Space::IccGray);
    let text_status = if bad(&walk.text_spaces) || walk.rich_black_text > 0 {
        Status::Fail
    } else if walk.text_spaces.contains(&Space::Gray) {
        Status::Warn
    } else {
        Status::Pass
    };
    let mut detail = labels(&walk.text_spaces);
    if walk.rich_black_text > 0 {
        detail.push_str(&format!(
            "; {} runs of text in rich black",
            walk.rich_black_text
        ));
    }
    report.add("colour-text", text_status, detail);
    let vectors: BTreeSet<Space> = walk
        .fill_spaces
        .union(&walk.stroke_spaces)
        .cloned()
        .collect();
    report.add(
        "colour-vectors",
        if bad(&vectors) {
            Status::Fail
        } else if vectors.contains(&Space::Gray) {
            Status::Warn
        } else {
            Status::Pass
        },
        labels(&vectors),
    );
    let ink = walk.max_vector_ink.round() as u32;
    report.add(
        "ink-vectors",
        if ink <= expect.max_ink {
            Status::Pass
        } else {
            Status::Fail
        },
        format!(
            "most ink in a vector colour {ink} % (want ≤ {} %)",
            expect.max_ink
        ),
    );
    if !walk.errors.is_empty() {
        report.add("content-streams", Status::Fail, walk.errors.join("; "));
    }
}

fn check_images(walk: &Walk, expect: &Expectations, report: &mut Report) {
    let spaces: BTreeSet<Space> = walk.images.iter().map(|i| i.space.clone()).collect();
    report.add(
        "colour-images",
        if spaces.iter().any(Space::is_rgb) {
            Status::Fail
        } else {
            Status::Pass
        },
        if walk.images.is_empty() {
            "no images".into()
        } else {
            format!("{} images: {}", walk.images.len(), labels(&spaces))
        },
    );
    let measured: Vec<u32> = walk.images.iter().filter_map(|i| i.ink).collect();
    let unmeasured = walk
        .images
        .iter()
        .filter(|i| i.space.is_cmyk() && i.ink.is_none())
        .count();
    if let Some(&most) = measured.iter().max() {
        let status = if most > expect.max_ink {
            Status::Fail
        } else if unmeasured > 0 {
            Status::Warn
        } else {
            Status::Pass
        };
        let mut detail = format!(
            "most ink in an image {most} % at the 99.95th percentile (want ≤ {} %)",
            expect.max_ink
        );
        if unmeasured > 0 {
            detail.push_str(&format!("; {unmeasured} CMYK images not measured"));
        }
        report.add("ink-images", status, detail);
    } else if unmeasured > 0 {
        report.add(
            "ink-images",
            Status::Warn,
            format!("{unmeasured} CMYK images not measured"),
        );
    } else {
        report.add("ink-images", Status::Pass, "no CMYK images");
    }
    let ppi = walk
        .images
        .iter()
        .filter(|i| i.width_pt > 0.0 && i.height_pt > 0.0 && !i.in_ad)
        .map(|i| {
            (i.width_px as f64 / (i.width_pt / 72.0)).min(i.height_px as f64 / (i.height_pt / 72.0))
        })
        .fold(f64::INFINITY, f64::min);
    if walk.images.is_empty() {
        report.add("image-resolution", Status::Pass, "no images");
    } else {
        report.add(
            "image-resolution",
            if ppi + 0.5 >= expect.min_ppi {
                Status::Pass
            } else {
                Status::Fail
            },
            format!(
                "lowest effective resolution {ppi:.0} ppi (want ≥ {})",
                expect.min_ppi
            ),
        );
    }
}

fn check_marks(walk: &Walk, report: &mut Report) {
    let ok = walk.marks_outside > 0 && walk.marks_outside == walk.marks_total;
    report.add(
        "crop-marks",
        if ok { Status::Pass } else { Status::Fail },
        format!(
            "{} registration-colour lines, {} of them outside the bleed",
            walk.marks_total, walk.marks_outside
        ),
    );
}

fn check_intent(doc: &Document, report: &mut Report) {
    let catalog = doc.catalog().ok();
    let intent = catalog
        .and_then(|c| c.get(b"OutputIntents").ok())
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| {
            a.iter()
                .filter_map(|i| resolve(doc, i).as_dict().ok())
                .find(|d| {
                    d.get(b"S")
                        .and_then(Object::as_name)
                        .is_ok_and(|s| s == b"GTS_PDFX")
                })
        });
    match intent {
        None => report.add("output-intent", Status::Fail, "no GTS_PDFX output intent"),
        Some(intent) => {
            let id = intent
                .get(b"OutputConditionIdentifier")
                .ok()
                .and_then(|s| s.as_str().ok())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default();
            let n = intent
                .get(b"DestOutputProfile")
                .ok()
                .map(|p| resolve(doc, p))
                .and_then(|p| p.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").ok())
                .and_then(|n| n.as_i64().ok());
            report.add(
                "output-intent",
                if n == Some(4) {
                    Status::Pass
                } else {
                    Status::Fail
                },
                format!(
                    "GTS_PDFX {id}, embedded CMYK profile: {}",
                    if n == Some(4) { "yes" } else { "no" }
                ),
            );
        }
    }
    let info = info_dict(doc);
    let info_version = info
        .and_then(|i| i.get(b"GTS_PDFXVersion").ok())
        .and_then(|v| v.as_str().ok())
        .map(|v| String::from_utf8_lossy(v).into_owned());
    let xmp = xmp_text(doc);
    let xmp_version = xmp.contains("GTS_PDFXVersion>PDF/X-4");
    report.add(
        "pdfx-identification",
        match (info_version.as_deref(), xmp_version) {
            (Some("PDF/X-4"), true) => Status::Pass,
            (None, false) => Status::Fail,
            _ => Status::Warn,
        },
        format!(
            "Info: {}; XMP: {}",
            info_version.as_deref().unwrap_or("-"),
            if xmp_version { "PDF/X-4" } else { "-" }
        ),
    );
    let trapped = info
        .and_then(|i| i.get(b"Trapped").ok())
        .and_then(|t| t.as_name().ok())
        .map(|t| String::from_utf8_lossy(t).into_owned());
    report.add(
        "trapped",
        if matches!(trapped.as_deref(), Some("True" | "False")) {
            Status::Pass
        } else {
            Status::Fail
        },
        trapped.map_or("missing".into(), |t| format!("/{t}")),
    );
    let title = info.and_then(|i| i.get(b"Title").ok()).is_some();
    report.add(
        "title",
        if title { Status::Pass } else { Status::Fail },
        if title { "present" } else { "missing" },
    );
    let id = doc.trailer.get(b"ID").is_ok();
    report.add(
        "document-id",
        if id { Status::Pass } else { Status::Fail },
        if id { "present" } else { "missing" },
    );
}

fn check_transparency_and_annotations(doc: &Document, walk: &Walk, report: &mut Report) {
    let masked_images = walk.images.iter().filter(|i| i.has_soft_mask).count();
    let count = masked_images + walk.soft_masks_in_states;
    report.add(
        "transparency",
        if count == 0 {
            Status::Pass
        } else {
            Status::Fail
        },
        format!(
            "{masked_images} images with soft masks, {} translucent graphics states",
            walk.soft_masks_in_states
        ),
    );
    let annotations: usize = doc
        .get_pages()
        .values()
        .filter_map(|id| doc.get_dictionary(*id).ok())
        .filter_map(|p| p.get(b"Annots").ok())
        .filter_map(|a| resolve(doc, a).as_array().ok())
        .map(Vec::len)
        .sum();
    report.add(
        "annotations",
        if annotations == 0 {
            Status::Pass
        } else {
            Status::Fail
        },
        format!("{annotations} on the pages"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An 8-bit CMYK image of 10 × 10 `pixels`, Flate-compressed.
    fn cmyk_image(pixels: Vec<u8>) -> lopdf::Stream {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("ColorSpace", Object::Name(b"DeviceCMYK".to_vec()));
        dict.set("BitsPerComponent", 8);
        dict.set("Width", 10);
        dict.set("Height", 10);
        let mut stream = lopdf::Stream::new(dict, pixels);
        stream.compress().unwrap();
        stream
    }

    #[test]
    fn measured_ink_is_kept_and_a_damaged_one_measured_again() {
        // Half its pixels cyan 100 %, half K100.
        let stream = cmyk_image([[255u8, 0, 0, 0], [0, 0, 0, 255]].repeat(50).concat());
        let fresh = image_ink(&stream).expect("a CMYK image is measured");
        assert_eq!(fresh, (100, [1.0, 0.0, 0.0, 1.0]));
        let dir = tempfile::tempdir().unwrap();
        let kept = DiskCache::new(dir.path().to_path_buf(), true, "ink");
        assert_eq!(kept_image_ink(&stream, &kept), Some(fresh));
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(files.len(), 1, "one measure kept");
        let path = files[0].path();
        let key = path.file_stem().unwrap().to_str().unwrap().to_owned();
        // What is kept is what is used: another (whole) measure under the same key is read.
        let planted = (42, [0.5, 0.25, 0.0, 0.75]);
        kept.put(&key, &encode_ink(planted));
        assert_eq!(kept_image_ink(&stream, &kept), Some(planted));
        // A damaged file is measured again.
        let mut bytes = std::fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(kept_image_ink(&stream, &kept), Some(fresh));
        // Other bytes, another key.
        let other = cmyk_image([[0u8, 255, 0, 0]; 100].concat());
        assert_eq!(
            kept_image_ink(&other, &kept).unwrap().1,
            [0.0, 1.0, 0.0, 0.0]
        );
    }

    #[test]
    fn measured_ink_round_trips() {
        let ink = (316, [0.9, 0.1, 0.0, 1.0]);
        assert_eq!(decode_ink(&encode_ink(ink)), Some(ink));
        assert_eq!(decode_ink(&encode_ink(ink)[..20]), None);
    }
}
