//! Field paths: where in a content file a value lives (`visions[3].items[2].percent`).

use std::fmt;

/// One step of a [`FieldPath`]: a mapping key or a position in a list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A key of a mapping, e.g. `visions`.
    Key(String),
    /// A position in a list, counted from 1 as printed (ビジョン03 is `visions[3]`).
    Number(usize),
}

/// The path from a file's top level to one value.
///
/// Displayed as `visions[3].items[2].percent`; list positions count from 1, the way the page
/// numbers them (ビジョン03, 項目2), so an editor can find the value without counting from 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// The path of a file's top level.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self(segments)
    }

    /// This path extended by a list position counted from 0 (stored and shown from 1).
    pub fn index(&self, zero_based: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Number(zero_based + 1));
        Self(segments)
    }

    /// A displayed path (`visions[3].items[2]`) read back; positions are shown from 1.
    pub fn parse(text: &str) -> Self {
        let mut path = Self::root();
        for part in text.split('.') {
            let (key, rest) = part.split_once('[').unwrap_or((part, ""));
            if !key.is_empty() {
                path = path.key(key);
            }
            for number in rest.split('[').map(|n| n.trim_end_matches(']')) {
                if let Ok(n) = number.parse::<usize>() {
                    path = path.index(n.saturating_sub(1));
                }
            }
        }
        path
    }

    /// The segments of the path, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// True for the path of a file's top level.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Number(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_keys_and_positions_from_one() {
        let path = FieldPath::root()
            .key("visions")
            .index(2)
            .key("items")
            .index(0)
            .key("percent");
        assert_eq!(path.to_string(), "visions[3].items[1].percent");
        assert_eq!(FieldPath::root().to_string(), "(top)");
    }

    #[test]
    fn displayed_paths_read_back() {
        for shown in ["visions[3].items[2]", "highlights.items[1]", "note"] {
            assert_eq!(FieldPath::parse(shown).to_string(), shown);
        }
    }
}
