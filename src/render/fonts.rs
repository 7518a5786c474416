//! The fonts koho typesets with: every font file in the project's `fonts/`, nothing else.

use std::fs;
use std::path::Path;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::FontStore;

/// The font files koho reads, by extension.
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

/// The project's fonts, loaded once and shared by every compilation.
pub struct Fonts {
    store: FontStore,
    infos: Vec<FontInfo>,
    /// Every character some face has a glyph for, one bit per Unicode scalar value: asking a
    /// face's run-length coverage is a walk through thousands of runs for a CJK font, and the
    /// check asks it for every printed character on every save.
    covered: CharSet,
}

/// A set of characters as one bit per Unicode code point (136 KiB).
struct CharSet(Box<[u64]>);

impl CharSet {
    /// The characters any of `infos` covers.
    fn covered_by(infos: &[FontInfo]) -> Self {
        let mut bits = vec![0u64; (char::MAX as usize + 1).div_ceil(64)].into_boxed_slice();
        for code in infos.iter().flat_map(|info| info.coverage.iter()) {
            if let Some(word) = bits.get_mut(code as usize / 64) {
                *word |= 1 << (code % 64);
            }
        }
        Self(bits)
    }

    fn contains(&self, c: char) -> bool {
        let code = c as usize;
        self.0[code / 64] & (1 << (code % 64)) != 0
    }
}

impl Fonts {
    /// Loads every font in `dir`, in file-name order (so font indices are stable).
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut paths: Vec<_> = fs::read_dir(dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| FONT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        paths.sort();
        let mut store = FontStore::new();
        let mut infos = Vec::new();
        for path in paths {
            let bytes = Bytes::new(fs::read(&path)?);
            for font in Font::iter(bytes) {
                let info = font.info().clone();
                infos.push(info.clone());
                store.push((font, info));
            }
        }
        let covered = CharSet::covered_by(&infos);
        Ok(Self {
            store,
            infos,
            covered,
        })
    }

    /// The store behind the typst world.
    pub fn store(&self) -> &FontStore {
        &self.store
    }

    /// How many font faces were loaded.
    pub fn len(&self) -> usize {
        self.infos.len()
    }

    /// True when `fonts/` held no font.
    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    /// Whether some bundled font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.covered.contains(c)
    }

    /// Whether a font family of this name is bundled (case-insensitive, as typst matches).
    pub fn has_family(&self, family: &str) -> bool {
        self.infos
            .iter()
            .any(|info| info.family.eq_ignore_ascii_case(family))
    }
}
