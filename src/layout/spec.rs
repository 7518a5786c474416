//! `layouts/<name>/layout.yaml`: what a layout declares about itself to the checks.

use std::fmt;
use std::path::Path;

use crate::content::yaml::{self, Node, Value};
use crate::content::{Fields, Reader};
use crate::diag::{Diagnostic, Expected, FieldPath, NumberTrap, Problem};

/// The file in each layout folder that declares its frames.
pub const SPEC_FILE: &str = "layout.yaml";

const SPEC_KEYS: &[&str] = &["photo_frame"];
const FRAME_KEYS: &[&str] = &["width", "height"];

/// A positive, finite length in millimetres.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Millimetres(f64);

impl Millimetres {
    /// The length, if positive and finite.
    pub fn new(mm: f64) -> Option<Self> {
        (mm.is_finite() && mm > 0.0).then_some(Self(mm))
    }

    /// Reads `58mm`, `5.8cm`, `164pt` or `2.5in`.
    pub fn parse(text: &str) -> Option<Self> {
        const UNITS: [(&str, f64); 4] =
            [("mm", 1.0), ("cm", 10.0), ("pt", 25.4 / 72.0), ("in", 25.4)];
        let text = text.trim();
        UNITS.iter().find_map(|(unit, factor)| {
            let number = text.strip_suffix(unit)?.trim_end();
            let value: f64 = number.parse().ok()?;
            Self::new(value * factor)
        })
    }

    /// The length in millimetres.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Millimetres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}mm", self.0)
    }
}

/// A frame's size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameSize {
    /// Across.
    pub width: Millimetres,
    /// Down.
    pub height: Millimetres,
}

/// What a layout declares.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutSpec {
    /// The frame every photo of the layout fills, when it places photos.
    pub photo_frame: Option<FrameSize>,
}

/// Reads `layouts_dir/<name>/layout.yaml`, shown to the user under `shown_dir`.
pub fn load_spec(
    layouts_dir: &Path,
    shown_dir: &Path,
    name: &str,
) -> Result<LayoutSpec, Vec<Diagnostic>> {
    let relative = Path::new(name).join(SPEC_FILE);
    let shown = shown_dir.join(&relative);
    let source = yaml::read_source(
        &layouts_dir.join(&relative),
        &shown,
        &relative.to_string_lossy(),
    )
    .map_err(|problem| vec![Diagnostic::whole_file(shown.clone(), problem)])?;
    let root = yaml::parse(&source)?;
    let mut reader = Reader::new(&source);
    let spec = read_spec(&mut reader, &root);
    match spec {
        Some(spec) if reader.diagnostics.is_empty() => Ok(spec),
        _ => Err(reader.diagnostics),
    }
}

fn read_spec(reader: &mut Reader<'_>, root: &Node) -> Option<LayoutSpec> {
    let fields = reader.fields(root, &FieldPath::root(), SPEC_KEYS)?;
    // The layouts koho has place photos, so each declares its frame.
    let photo_frame = match fields.value("photo_frame") {
        None => {
            reader.missing(&fields, "photo_frame");
            return None;
        }
        Some(node) => {
            let frame = reader.fields(node, &fields.path("photo_frame"), FRAME_KEYS)?;
            let width = read_length(reader, &frame, "width");
            let height = read_length(reader, &frame, "height");
            Some(FrameSize {
                width: width?,
                height: height?,
            })
        }
    };
    Some(LayoutSpec { photo_frame })
}

/// A required length field (`58mm`, `5.8cm`, `164pt`, `2.5in`).
pub(crate) fn read_length(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
    key: &'static str,
) -> Option<Millimetres> {
    let Some(node) = fields.value(key) else {
        reader.missing(fields, key);
        return None;
    };
    let written = match &node.value {
        Value::Str { text, .. } => text.clone(),
        _ => node.written(reader.source).to_owned(),
    };
    let parsed = Millimetres::parse(&written);
    if parsed.is_none() {
        reader.report(
            node.span.clone(),
            fields.path(key),
            Problem::WrongType {
                expected: Expected::Length,
                found: written,
                trap: NumberTrap::Other,
                meant: None,
            },
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_need_a_unit() {
        assert_eq!(Millimetres::parse("58mm").map(Millimetres::get), Some(58.0));
        assert_eq!(
            Millimetres::parse("5.8 cm").map(Millimetres::get),
            Some(58.0)
        );
        assert_eq!(Millimetres::parse("1in").map(Millimetres::get), Some(25.4));
        assert_eq!(Millimetres::parse("58"), None);
        assert_eq!(Millimetres::parse("-3mm"), None);
    }
}
