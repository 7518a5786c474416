//! `layouts/magazine.yaml`: the magazine's format — trim, bleed, margins, grid, palette, type
//! scale, fonts — checked and handed to the templates as `format`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::spec::{Millimetres, read_length};
use crate::content::model::{FieldSpans, Percent, Text};
use crate::content::yaml::{self, Node, Value};
use crate::content::{Fields, Need, Reader};
use crate::diag::{Diagnostic, Expected, FieldPath, Problem, Source};

/// The file holding the format, in `layouts/`.
pub const FORMAT_FILE: &str = "magazine.yaml";

/// The most ink a colour may carry, in percent (the printers' limit, DESIGN §4).
pub const MAX_TOTAL_INK: u32 = 320;
/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

const FORMAT_KEYS: &[&str] = &[
    "trim",
    "bleed",
    "slug",
    "margins",
    "grid",
    "palette",
    "type",
    "type_limits",
    "fonts",
    "binding",
    "stitch",
    "two_colour",
    "ads",
    "web",
];
const WEB_KEYS: &[&str] = &["area_code"];
const TWO_COLOUR_KEYS: &[&str] = &["inks", "folios", "palette"];
const TRIM_KEYS: &[&str] = &["width", "height"];
const MARGIN_KEYS: &[&str] = &["top", "bottom", "inside", "outside"];
const GRID_KEYS: &[&str] = &["columns", "gutter", "row_gap"];
const LIMIT_KEYS: &[&str] = &["body_min", "minimum"];
const FONT_KEYS: &[&str] = &["gothic", "mincho"];
/// The colour every text is set in: K100, never a rich black.
const INK: [u8; 4] = [0, 0, 0, 100];

/// A CMYK colour, each ink 0–100 %, its total within [`MAX_TOTAL_INK`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Cmyk([u8; 4]);

impl Cmyk {
    /// The colour, if its total ink is within the limit.
    pub fn new(inks: [Percent; 4]) -> Option<Self> {
        let inks = inks.map(Percent::get);
        let total: u32 = inks.iter().map(|&i| u32::from(i)).sum();
        (total <= MAX_TOTAL_INK).then_some(Cmyk(inks))
    }

    /// Cyan, magenta, yellow, black in percent.
    pub fn inks(self) -> [u8; 4] {
        self.0
    }

    /// The total ink in percent.
    pub fn total(self) -> u32 {
        self.0.iter().map(|&i| u32::from(i)).sum()
    }
}

/// A length, kept in millimetres, serialised as millimetres.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Mm(f64);

impl From<Millimetres> for Mm {
    fn from(value: Millimetres) -> Self {
        Mm(value.get())
    }
}

impl Mm {
    /// In millimetres.
    pub fn mm(self) -> f64 {
        self.0
    }

    /// In points.
    pub fn pt(self) -> f64 {
        self.0 * PT_PER_MM
    }
}

/// A type size in points.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Pt(f64);

impl Pt {
    /// In points.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// Width and height.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Size {
    /// Across.
    pub width: Mm,
    /// Down.
    pub height: Mm,
}

/// The text area's distance from the trim.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Margins {
    /// From the top edge.
    pub top: Mm,
    /// From the bottom edge.
    pub bottom: Mm,
    /// From the spine.
    pub inside: Mm,
    /// From the fore-edge.
    pub outside: Mm,
}

/// The column grid.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Grid {
    /// Columns of the visions grid (1–4).
    pub columns: u8,
    /// Between columns.
    pub gutter: Mm,
    /// Between rows and blocks.
    pub row_gap: Mm,
}

/// The smallest type sizes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TypeLimits {
    /// Read text never below this.
    pub body_min: Pt,
    /// Nothing below this.
    pub minimum: Pt,
}

/// The font families by role.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fonts {
    /// The sans-serif family (headings, figures, labels).
    pub gothic: Text,
    /// The serif family (running text).
    pub mincho: Text,
}

/// Which edge the pages are bound on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// 左開き (横組み): odd folios are right-hand pages.
    Left,
    /// 右開き (縦組み): odd folios are left-hand pages.
    Right,
}

impl Binding {
    /// Whether `folio` is a left-hand page.
    pub fn is_left_page(self, folio: u32) -> bool {
        match self {
            Binding::Left => folio.is_multiple_of(2),
            Binding::Right => !folio.is_multiple_of(2),
        }
    }
}

/// How the sheets are bound, which decides the page counts an issue may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stitch {
    /// 中綴じ: folded sheets stapled through the fold — four pages a sheet.
    Saddle,
    /// 無線綴じ: glued at the spine — two pages a leaf.
    Perfect,
}

impl Stitch {
    /// The page count must be a multiple of this.
    pub fn multiple(self) -> u32 {
        match self {
            Stitch::Saddle => 4,
            Stitch::Perfect => 2,
        }
    }

    /// The binding in words.
    pub fn words(self) -> crate::diag::words::Words {
        match self {
            Stitch::Saddle => crate::diag::words::Words::new("中綴じ", "saddle stitching"),
            Stitch::Perfect => crate::diag::words::Words::new("無線綴じ", "perfect binding"),
        }
    }
}

/// One of the four process inks, a plate on the press.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Plate {
    /// C.
    Cyan,
    /// M.
    Magenta,
    /// Y.
    Yellow,
    /// K.
    Black,
}

impl Plate {
    /// All four, in CMYK order.
    pub const ALL: [Plate; 4] = [Plate::Cyan, Plate::Magenta, Plate::Yellow, Plate::Black];

    /// The ink's index in a CMYK colour.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name written in `magazine.yaml` (`cyan`).
    pub fn name(self) -> &'static str {
        ["cyan", "magenta", "yellow", "black"][self.index()]
    }

    /// The plate `written` names (`cyan`).
    pub(super) fn parse(written: &str) -> Option<Self> {
        Plate::ALL.into_iter().find(|p| p.name() == written)
    }
}

/// How much of a dropped ink a two-colour page prints in black instead, so that a colour keeps
/// about its lightness (cyan and magenta darken paper far more than yellow does).
const DROPPED_INK_TO_BLACK: [f64; 4] = [0.35, 0.3, 0.08, 1.0];

/// Pages printed in two colours: black and one other ink.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoColour {
    /// The ink besides black.
    pub second: Plate,
    /// The folios printed so.
    pub folios: Vec<crate::content::model::FolioRange>,
    /// The palette as those pages print it: each colour the designer gave for them, the others
    /// mapped (the second ink kept, the rest printed as black of about the same weight).
    pub palette: BTreeMap<String, Cmyk>,
}

impl TwoColour {
    /// The plates a two-colour page prints on, in CMYK order.
    pub fn plates(&self) -> Vec<Plate> {
        let mut plates = vec![self.second, Plate::Black];
        plates.sort();
        plates
    }

    /// Whether `folio` prints in two colours.
    pub fn covers(&self, folio: u32) -> bool {
        self.folios.iter().any(|r| r.contains(folio))
    }
}

impl Cmyk {
    /// This colour on a page printed in black and `second` only: `second` kept, the other inks
    /// turned into black of about the same weight.
    pub fn on_two_inks(self, second: Plate) -> Cmyk {
        let mut out = [0u8; 4];
        let mut black = 0.0;
        for plate in Plate::ALL {
            let ink = f64::from(self.0[plate.index()]);
            if plate == second {
                out[plate.index()] = self.0[plate.index()];
            } else {
                black += ink * DROPPED_INK_TO_BLACK[plate.index()];
            }
        }
        out[Plate::Black.index()] = black.round().min(100.0) as u8;
        Cmyk(out)
    }
}

/// The magazine's format.
#[derive(Clone, Debug, Serialize)]
pub struct Magazine {
    /// Which edge the pages are bound on (`left` unless written).
    pub binding: Binding,
    /// How the sheets are bound (`saddle` unless written).
    pub stitch: Stitch,
    /// The pages printed in two colours, if any.
    #[serde(skip)]
    pub two_colour: Option<TwoColour>,
    /// The trimmed page.
    pub trim: Size,
    /// Bleed beyond the trim.
    pub bleed: Mm,
    /// The sheet beyond the trim (bleed + room for marks).
    pub slug: Mm,
    /// The text area.
    pub margins: Margins,
    /// The grid.
    pub grid: Grid,
    /// Named colours.
    pub palette: BTreeMap<String, Cmyk>,
    /// Named type sizes.
    #[serde(rename = "type")]
    pub type_sizes: BTreeMap<String, Pt>,
    /// The smallest sizes.
    pub type_limits: TypeLimits,
    /// The ad slots and the 「広告」 mark.
    pub ads: super::ads::Ads,
    /// Font families.
    pub fonts: Fonts,
    /// What the web edition needs to know of the publisher.
    #[serde(skip)]
    pub web: WebSettings,
    /// The file it was read from, to point at its fields.
    #[serde(skip)]
    pub source: Source,
    /// Where each of its fields was written.
    #[serde(skip)]
    pub spans: FieldSpans,
}

impl Magazine {
    /// The plates page `folio` prints on: two for a two-colour page, else all four.
    pub fn plates(&self, folio: u32) -> Vec<Plate> {
        match &self.two_colour {
            Some(two) if two.covers(folio) => two.plates(),
            _ => Plate::ALL.to_vec(),
        }
    }

    /// The format as the templates read it, for four-colour pages or (`two_colour`) for
    /// two-colour ones: there the palette is the one for their inks. `inks` names the plates.
    pub fn json(&self, two_colour: bool) -> serde_json::Value {
        let mut json = serde_json::to_value(self).expect("the format serialises");
        let plates = match self.two_colour.as_ref().filter(|_| two_colour) {
            Some(two) => {
                json["palette"] = serde_json::to_value(&two.palette).expect("a palette serialises");
                two.plates()
            }
            None => Plate::ALL.to_vec(),
        };
        json["inks"] = serde_json::json!(plates.iter().map(|p| p.name()).collect::<Vec<_>>());
        json
    }

    /// A diagnostic about one of the format's fields (`fonts.gothic`).
    pub fn diagnostic(&self, field: FieldPath, problem: Problem) -> Diagnostic {
        let span = self.spans.get(&field.to_string()).unwrap_or(0..0);
        self.source.diagnostic(span, field, problem)
    }
}

/// What the web edition needs to know of the publisher (`web:` in `magazine.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebSettings {
    /// The area code (市外局番, `0144`) put before phone numbers printed in the city's own
    /// form (`(32)6039`) when they become `tel:` links.
    pub area_code: Option<String>,
}

/// `web:` (optional): its `area_code`, digits from 0, checked as a phone number.
fn read_web(reader: &mut Reader<'_>, fields: &Fields<'_>) -> Option<WebSettings> {
    let Some(node) = fields.value("web") else {
        return Some(WebSettings::default());
    };
    let web = reader.fields(node, &fields.path("web"), WEB_KEYS)?;
    let Some(code) = web
        .value("area_code")
        .map(|_| reader.text(&web, "area_code", Need::Required))
    else {
        return Some(WebSettings::default());
    };
    let code = code?;
    let digits = code.as_str();
    let sound = digits.starts_with('0')
        && (2..=5).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit());
    if !sound {
        let span = web.value("area_code").map_or(0..0, |n| n.span.clone());
        reader.report(
            span,
            web.path("area_code"),
            Problem::BadPhone {
                found: digits.to_owned(),
            },
        );
        return None;
    }
    Some(WebSettings {
        area_code: Some(digits.to_owned()),
    })
}

/// Reads `layouts_dir/magazine.yaml`, shown to the user as `shown_dir/magazine.yaml`.
pub fn load_format(layouts_dir: &Path, shown_dir: &Path) -> Result<Magazine, Vec<Diagnostic>> {
    let shown = shown_dir.join(FORMAT_FILE);
    let source = yaml::read_source(&layouts_dir.join(FORMAT_FILE), &shown, FORMAT_FILE)
        .map_err(|problem| vec![Diagnostic::whole_file(shown.clone(), problem)])?;
    let root = yaml::parse(&source)?;
    let mut reader = Reader::new(&source);
    match read_format(&mut reader, &root) {
        Some(mut format) if reader.diagnostics.is_empty() => {
            format.spans = reader.spans;
            Ok(format)
        }
        _ => Err(reader.diagnostics),
    }
}

fn read_format(reader: &mut Reader<'_>, root: &Node) -> Option<Magazine> {
    let fields = reader.fields(root, &FieldPath::root(), FORMAT_KEYS)?;
    let trim = sub(reader, &fields, "trim", TRIM_KEYS).and_then(|f| {
        let width = read_length(reader, &f, "width");
        let height = read_length(reader, &f, "height");
        Some(Size {
            width: width?.into(),
            height: height?.into(),
        })
    });
    let bleed = read_length(reader, &fields, "bleed");
    let slug = read_length(reader, &fields, "slug");
    let margins = sub(reader, &fields, "margins", MARGIN_KEYS).and_then(|f| {
        let top = read_length(reader, &f, "top");
        let bottom = read_length(reader, &f, "bottom");
        let inside = read_length(reader, &f, "inside");
        let outside = read_length(reader, &f, "outside");
        Some(Margins {
            top: top?.into(),
            bottom: bottom?.into(),
            inside: inside?.into(),
            outside: outside?.into(),
        })
    });
    let grid = sub(reader, &fields, "grid", GRID_KEYS).and_then(|f| {
        let columns = reader.positive(&f, "columns", Need::Required);
        let columns = columns.and_then(|c| match u8::try_from(c.get()) {
            Ok(c @ 1..=4) => Some(c),
            _ => {
                let span = f.value("columns").map_or(0..0, |n| n.span.clone());
                reader.report(
                    span,
                    f.path("columns"),
                    Problem::OutOfRange {
                        value: c.get().into(),
                        min: 1,
                        max: Some(4),
                    },
                );
                None
            }
        });
        let gutter = read_length(reader, &f, "gutter");
        let row_gap = read_length(reader, &f, "row_gap");
        Some(Grid {
            columns: columns?,
            gutter: gutter?.into(),
            row_gap: row_gap?.into(),
        })
    });
    let palette = read_palette(reader, &fields, true);
    let binding = match fields.value("binding") {
        None => Some(Binding::Left),
        Some(_) => reader.word(&fields, "binding", &["left", "right"], |w| match w {
            "left" => Some(Binding::Left),
            "right" => Some(Binding::Right),
            _ => None,
        }),
    };
    let stitch = match fields.value("stitch") {
        None => Some(Stitch::Saddle),
        Some(_) => reader.word(&fields, "stitch", &["saddle", "perfect"], |w| match w {
            "saddle" => Some(Stitch::Saddle),
            "perfect" => Some(Stitch::Perfect),
            _ => None,
        }),
    };
    let two_colour = match fields.value("two_colour") {
        None => Some(None),
        Some(_) => read_two_colour(reader, &fields, palette.as_ref()).map(Some),
    };
    let limits = sub(reader, &fields, "type_limits", LIMIT_KEYS).and_then(|f| {
        let body_min = read_length(reader, &f, "body_min");
        let minimum = read_length(reader, &f, "minimum");
        Some(TypeLimits {
            body_min: Pt(Mm::from(body_min?).pt()),
            minimum: Pt(Mm::from(minimum?).pt()),
        })
    });
    let type_sizes = read_type_sizes(reader, &fields, limits);
    let fonts = sub(reader, &fields, "fonts", FONT_KEYS).and_then(|f| {
        let gothic = reader.text(&f, "gothic", Need::Required);
        let mincho = reader.text(&f, "mincho", Need::Required);
        Some(Fonts {
            gothic: gothic?,
            mincho: mincho?,
        })
    });
    let ads = super::ads::read_ads(reader, &fields);
    let web = read_web(reader, &fields);
    Some(Magazine {
        ads: ads?,
        web: web?,
        binding: binding?,
        stitch: stitch?,
        two_colour: two_colour?,
        trim: trim?,
        bleed: bleed?.into(),
        slug: slug?.into(),
        margins: margins?,
        grid: grid?,
        palette: palette?,
        type_sizes: type_sizes?,
        type_limits: limits?,
        fonts: fonts?,
        source: reader.source.clone(),
        spans: FieldSpans::default(),
    })
}

/// The mapping under `key`, which must be there.
fn sub<'n>(
    reader: &mut Reader<'_>,
    fields: &Fields<'n>,
    key: &'static str,
    allowed: &'static [&'static str],
) -> Option<Fields<'n>> {
    let Some(node) = fields.value(key) else {
        reader.missing(fields, key);
        return None;
    };
    reader.fields(node, &fields.path(key), allowed)
}

/// Entries of a mapping whose keys are names chosen by the designer.
fn named_entries<'n>(
    reader: &mut Reader<'_>,
    fields: &Fields<'n>,
    key: &'static str,
) -> Option<Vec<(String, &'n Node)>> {
    let Some(node) = fields.value(key) else {
        reader.missing(fields, key);
        return None;
    };
    let Value::Map(entries) = &node.value else {
        reader.wrong_type(node, fields.path(key), Expected::Mapping);
        return None;
    };
    Some(entries.iter().map(|e| (e.key.clone(), &e.value)).collect())
}

/// `two_colour: {inks: [black, cyan], folios: [8-11], palette: {…}}`: the second ink, the
/// folios, and the palette for them (colours not given are mapped from the main palette).
fn read_two_colour(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
    palette: Option<&BTreeMap<String, Cmyk>>,
) -> Option<TwoColour> {
    let two = sub(reader, fields, "two_colour", TWO_COLOUR_KEYS)?;
    let plate_names: Vec<&str> = Plate::ALL.iter().map(|p| p.name()).collect();
    let inks = reader.list(&two, "inks", Need::Required, 2, 2)?;
    let mut plates = Vec::new();
    for (path, node) in &inks {
        let written = written(reader, node);
        match Plate::parse(written.trim()) {
            Some(plate) if !plates.contains(&plate) => plates.push(plate),
            _ => reader.report(
                node.span.clone(),
                path.clone(),
                Problem::NotOneOf {
                    found: written,
                    allowed: plate_names.iter().map(|s| (*s).to_owned()).collect(),
                },
            ),
        }
    }
    let inks_span = two.value("inks").map_or(0..0, |n| n.span.clone());
    let second = match plates.as_slice() {
        [a, b] if *a == Plate::Black => *b,
        [a, b] if *b == Plate::Black => *a,
        [_, _] => {
            reader.report(inks_span, two.path("inks"), Problem::TwoColourWithoutBlack);
            return None;
        }
        _ => return None,
    };
    let folios = read_folios(reader, &two)?;
    let given = match two.value("palette") {
        Some(_) => read_palette(reader, &two, false)?,
        None => BTreeMap::new(),
    };
    let mut mapped = BTreeMap::new();
    for (name, colour) in palette? {
        let colour = given
            .get(name)
            .copied()
            .unwrap_or_else(|| colour.on_two_inks(second));
        mapped.insert(name.clone(), colour);
    }
    let mut sound = true;
    for (name, colour) in &given {
        let path = two.path("palette").key(name);
        let off_plate = Plate::ALL
            .iter()
            .any(|p| *p != second && *p != Plate::Black && colour.inks()[p.index()] > 0);
        let span = two
            .value("palette")
            .and_then(|p| match &p.value {
                Value::Map(entries) => entries.iter().find(|e| &e.key == name),
                _ => None,
            })
            .map_or(0..0, |e| e.value.span.clone());
        if off_plate {
            reader.report(
                span,
                path,
                Problem::ColourOffPlates {
                    inks: vec![Plate::Black.name().to_owned(), second.name().to_owned()],
                },
            );
            sound = false;
        } else if !mapped.contains_key(name) {
            reader.report(
                span,
                path,
                Problem::UnknownKey {
                    key: name.clone(),
                    allowed: palette?.keys().cloned().collect(),
                    suggestion: None,
                },
            );
            sound = false;
        }
    }
    sound.then_some(TwoColour {
        second,
        folios,
        palette: mapped,
    })
}

/// What `node` holds, as the file writes it (a scalar's text).
pub(super) fn written(reader: &Reader<'_>, node: &Node) -> String {
    match &node.value {
        Value::Str { text, .. } => text.clone(),
        _ => node.written(reader.source).to_owned(),
    }
}

/// `folios: [14, 16]` or `[8-11]`: folio ranges, each checked; `None` when any is not one.
pub(super) fn read_folios(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
) -> Option<Vec<crate::content::model::FolioRange>> {
    let items = reader.list(fields, "folios", Need::Required, 1, usize::MAX)?;
    let mut folios = Vec::new();
    for (path, node) in &items {
        let written = written(reader, node);
        match crate::content::model::FolioRange::parse(&written) {
            Some(range) => folios.push(range),
            None => reader.report(
                node.span.clone(),
                path.clone(),
                Problem::WrongType {
                    expected: Expected::FolioRange,
                    found: written,
                    trap: crate::diag::NumberTrap::Other,
                    meant: None,
                },
            ),
        }
    }
    (folios.len() == items.len()).then_some(folios)
}

fn read_palette(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
    with_ink: bool,
) -> Option<BTreeMap<String, Cmyk>> {
    let entries = named_entries(reader, fields, "palette")?;
    let mut palette = BTreeMap::new();
    let mut ok = true;
    for (name, node) in entries {
        let path = fields.path("palette").key(&name);
        let Value::List(inks) = &node.value else {
            reader.wrong_type(node, path, Expected::List);
            ok = false;
            continue;
        };
        if inks.len() != 4 {
            reader.report(
                node.span.clone(),
                path,
                Problem::TooFew {
                    found: inks.len(),
                    min: 4,
                },
            );
            ok = false;
            continue;
        }
        let read: Vec<Option<Percent>> = inks
            .iter()
            .enumerate()
            .map(|(i, ink)| reader.percent_value(ink, path.index(i)))
            .collect();
        let Some(read) = read.into_iter().collect::<Option<Vec<_>>>() else {
            ok = false;
            continue;
        };
        let inks = [read[0], read[1], read[2], read[3]];
        let total: i128 = inks.iter().map(|p| i128::from(p.get())).sum();
        let Some(colour) = Cmyk::new(inks) else {
            reader.report(
                node.span.clone(),
                path,
                Problem::OutOfRange {
                    value: total,
                    min: 0,
                    max: Some(MAX_TOTAL_INK.into()),
                },
            );
            ok = false;
            continue;
        };
        if name == "ink" && colour.inks() != INK {
            reader.report(node.span.clone(), path, Problem::NotK100);
            ok = false;
            continue;
        }
        palette.insert(name, colour);
    }
    if ok && with_ink && !palette.contains_key("ink") {
        let at = fields.value("palette").map_or(0, |n| n.span.start);
        reader.report(
            at..at,
            fields.path("palette").key("ink"),
            Problem::MissingField {
                key: "ink".to_owned(),
            },
        );
        ok = false;
    }
    ok.then_some(palette)
}

fn read_type_sizes(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
    limits: Option<TypeLimits>,
) -> Option<BTreeMap<String, Pt>> {
    let entries = named_entries(reader, fields, "type")?;
    let mut sizes = BTreeMap::new();
    let mut ok = true;
    for (name, node) in entries {
        let path = fields.path("type").key(&name);
        let written = match &node.value {
            Value::Str { text, .. } => text.clone(),
            _ => node.written(reader.source).to_owned(),
        };
        let Some(size) = Millimetres::parse(&written).map(|mm| Pt(Mm::from(mm).pt())) else {
            reader.report(
                node.span.clone(),
                path,
                Problem::WrongType {
                    expected: Expected::Length,
                    found: written,
                    trap: crate::diag::NumberTrap::Other,
                    meant: None,
                },
            );
            ok = false;
            continue;
        };
        if let Some(limits) = limits
            && size.get() + 1e-9 < limits.minimum.get()
        {
            reader.report(
                node.span.clone(),
                path,
                Problem::TypeTooSmall {
                    size: size.get(),
                    minimum: limits.minimum.get(),
                },
            );
            ok = false;
            continue;
        }
        sizes.insert(name, size);
    }
    ok.then_some(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_format_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts");
        let format = load_format(&dir, Path::new("layouts")).expect("magazine.yaml is valid");
        assert!((format.trim.width.mm() - 210.0).abs() < 1e-9);
        assert!((format.trim.height.mm() - 297.0).abs() < 1e-9);
        assert_eq!(format.palette["ink"].inks(), INK);
        assert!(format.palette.values().all(|c| c.total() <= MAX_TOTAL_INK));
        assert!(
            format
                .type_sizes
                .values()
                .all(|s| s.get() >= format.type_limits.minimum.get())
        );
    }

    #[test]
    fn colours_keep_within_the_ink_limit() {
        let p = |v: i128| Percent::new(v).unwrap();
        assert!(Cmyk::new([p(100), p(100), p(100), p(100)]).is_none());
        assert_eq!(
            Cmyk::new([p(60), p(60), p(100), p(100)]).unwrap().total(),
            320
        );
    }
}
