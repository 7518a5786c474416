//! QR codes for the `qr` field type: the URL encoded (error correction M, the level printed
//! matter uses: it survives a smudge or a fold) into modules a template draws as vectors in
//! K100 — never a picture, so it stays sharp at any size and prints on the black plate alone.
//!
//! The template gets `(url, modules, runs)`: `modules` is the code's width in modules (the
//! quiet zone of four modules around it is the template's to leave), `runs` every horizontal
//! run of dark modules as `(x, y, length)`, so a row is a few rectangles, not one per module.

use qrcode::{Color, EcLevel, QrCode};
use serde_json::{Value as Json, json};

/// A URL's QR code: its width in modules and its dark runs, row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrModules {
    /// Modules per side.
    pub width: usize,
    /// Runs of dark modules: (x, y, length).
    pub runs: Vec<(usize, usize, usize)>,
}

/// The QR code of `url`, or `None` when it is too long to encode.
pub fn encode(url: &str) -> Option<QrModules> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let mut runs = Vec::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if code[(x, y)] == Color::Dark {
                let start = x;
                while x < width && code[(x, y)] == Color::Dark {
                    x += 1;
                }
                runs.push((start, y, x - start));
            } else {
                x += 1;
            }
        }
    }
    Some(QrModules { width, runs })
}

/// What a template gets for a `qr` field: the URL to print and the code to draw.
pub fn json(url: &str) -> Json {
    let code = encode(url);
    json!({
        "url": url,
        "modules": code.as_ref().map_or(0, |c| c.width),
        "runs": code.map_or_else(Vec::new, |c| c.runs),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let url = "https://www.city.tomakomai.hokkaido.jp/";
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let modules = encode(url).unwrap();
        assert_eq!(modules.width, code.width());
        let mut dark = vec![false; modules.width * modules.width];
        for &(x, y, len) in &modules.runs {
            for i in x..x + len {
                assert!(!dark[y * modules.width + i], "runs overlap");
                dark[y * modules.width + i] = true;
            }
        }
        for y in 0..code.width() {
            for x in 0..code.width() {
                assert_eq!(dark[y * modules.width + x], code[(x, y)] == Color::Dark);
            }
        }
    }

    #[test]
    fn too_long_to_encode() {
        assert_eq!(encode(&"a".repeat(5000)), None);
    }
}
