//! The layout stage: what `layouts/` declares about each page format, handed to the content
//! checks as rules (the frame each photo fills), and later to typesetting.

pub mod data;
mod format;
mod spec;

pub use format::{
    Cmyk, FORMAT_FILE, Fonts, Grid, MAX_TOTAL_INK, Magazine, Margins, Mm, Pt, Size, TypeLimits,
    load_format,
};
pub use spec::{FrameSize, LayoutSpec, Millimetres, SPEC_FILE, load_spec};

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::photo::PhotoRequirement;
use crate::content::{self, LayoutRules};
use crate::diag::Diagnostic;

/// The lowest resolution a photo may print at: the print condition's minimum (DESIGN §4).
pub const MIN_PHOTO_PPI: u32 = 300;

impl LayoutSpec {
    /// What the content checks need to know of this layout.
    pub fn rules(&self) -> LayoutRules {
        LayoutRules {
            photo: self.photo_frame.map(|frame| PhotoRequirement {
                frame_mm: (frame.width.get(), frame.height.get()),
                min_ppi: MIN_PHOTO_PPI,
            }),
        }
    }
}

/// The rules of every layout koho can read that this project has a folder for, and the
/// problems of their `layout.yaml` files.
pub fn available_rules(
    layouts_dir: &Path,
    shown_dir: &Path,
) -> (BTreeMap<String, LayoutRules>, Vec<Diagnostic>) {
    let mut rules = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for name in content::LAYOUTS {
        if !layouts_dir.join(name).is_dir() {
            continue;
        }
        match load_spec(layouts_dir, shown_dir, name) {
            Ok(spec) => {
                rules.insert((*name).to_owned(), spec.rules());
            }
            Err(mut ds) => {
                // The layout exists; its declarations are wrong and reported, so its pages
                // are read without the checks those declarations would give.
                diagnostics.append(&mut ds);
                rules.insert((*name).to_owned(), LayoutRules::default());
            }
        }
    }
    (rules, diagnostics)
}
