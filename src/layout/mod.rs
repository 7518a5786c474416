//! The layout stage: what `layouts/` declares — the magazine's format (`magazine.yaml`) and
//! the page kinds, each a folder with its schema and template — handed to the content checks
//! and later to typesetting.

pub mod ads;
pub mod data;
mod format;
pub mod qr;
mod spec;

pub use ads::{AdMark, AdSlot, Ads, MarkPlace, SlotInks};
pub use format::{
    Binding, Cmyk, FORMAT_FILE, Fonts, Grid, MAX_TOTAL_INK, Magazine, Margins, Mm, Plate, Pt, Size,
    Stitch, TwoColour, TypeLimits, load_format,
};
pub use spec::{FrameSize, Millimetres, read_length};

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, Problem};
use crate::schema::{self, SCHEMA_FILE};

/// The lowest resolution a photo may print at: the print condition's minimum (DESIGN §4).
pub const MIN_PHOTO_PPI: u32 = 300;

/// The template every kind's folder holds.
pub const TEMPLATE_FILE: &str = "page.typ";

/// The folder of templates every kind shares; not a kind.
pub const SHARED_DIR: &str = "lib";

/// Every page kind of the project: each folder of `layouts/` that holds a `schema.yaml`,
/// with its schema, and the problems of the schemas (a kind with problems is listed as
/// `None`, so its pages are refused with a pointer to them).
pub fn available_kinds(
    layouts_dir: &Path,
    shown_dir: &Path,
) -> (crate::content::AvailableLayouts, Vec<Diagnostic>) {
    let mut kinds = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for name in kind_names(layouts_dir) {
        match schema::load_kind(layouts_dir, shown_dir, &name) {
            Ok(kind) => {
                let template = layouts_dir.join(&name).join(TEMPLATE_FILE);
                if template.is_file() {
                    kinds.insert(name, Some(Arc::new(kind)));
                } else {
                    let shown = shown_dir.join(&name).join(TEMPLATE_FILE);
                    diagnostics.push(Diagnostic::whole_file(
                        shown.clone(),
                        Problem::FileMissing {
                            path: shown.display().to_string(),
                        },
                    ));
                    kinds.insert(name, None);
                }
            }
            Err(mut ds) => {
                diagnostics.append(&mut ds);
                kinds.insert(name, None);
            }
        }
    }
    (kinds, diagnostics)
}

/// The names of the folders of `layouts_dir` that hold a schema, sorted.
pub fn kind_names(layouts_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(layouts_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().join(SCHEMA_FILE).is_file())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| name != SHARED_DIR && !name.starts_with('.'))
        .collect();
    names.sort();
    names
}
