//! Lengths as layouts write them (`42mm`), and the frames photos fill.

use std::fmt;

use crate::content::yaml::Value;
use crate::content::{Fields, Reader};
use crate::diag::{Expected, NumberTrap, Problem};

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

/// A required length field (`58mm`, `5.8cm`, `164pt`, `2.5in`).
pub fn read_length(reader: &mut Reader<'_>, fields: &Fields<'_>, key: &str) -> Option<Millimetres> {
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
