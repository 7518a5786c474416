//! Previews that tell the truth about colour: before a page is rendered to PNG, every CMYK
//! colour of its text and vectors is replaced by what Japan Color 2001 Coated prints, as sRGB
//! (Little CMS, relative colorimetric) — not typst's own generic CMYK conversion. The press
//! photos (CMYK JPEGs) are swapped for their soft proofs the same way. The registration colour
//! is not in the trimmed preview.

use std::collections::HashMap;
use std::sync::Mutex;

use lcms2::{Intent, PixelFormat, Profile, Transform};
use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem, GroupItem};
use typst::visualize::{
    Color, FixedStroke, Image, ImageKind, Paint, ProcessColor, RasterFormat, RasterImage, Shape,
};
use typst_layout::Page;

use super::world::VirtualFiles;
use crate::print::condition::PROFILE;
use crate::print::photo::cmyk_jpeg_inks;

/// Converts press CMYK to the sRGB the press result looks like.
pub struct SoftProof {
    transform: Transform<[u8; 4], [u8; 3]>,
    cache: Mutex<HashMap<[u8; 4], [u8; 3]>>,
    /// Soft proofs of the press photos, by the hash of the press JPEG's bytes (typst's own,
    /// which the bytes keep: no photo is hashed twice).
    photos: HashMap<u128, RasterImage>,
}

/// Press photos print at 300 ppi or more, previews show 150 ppi: photos this many pixels
/// across or more are halved before they are proofed (a quarter of the pixels to convert).
const HALVE_FROM_PX: u32 = 1200;

/// The press transform: Japan Color 2001 Coated to sRGB, relative colorimetric without
/// black-point compensation (the press's black, a K100 that is not #000, shows as it prints).
fn press_to_screen() -> Result<Transform<[u8; 4], [u8; 3]>, String> {
    let press = Profile::new_icc(PROFILE).map_err(|e| e.to_string())?;
    let screen = Profile::new_srgb();
    Transform::new(
        &press,
        PixelFormat::CMYK_8,
        &screen,
        PixelFormat::RGB_8,
        Intent::RelativeColorimetric,
    )
    .map_err(|e| e.to_string())
}

/// A press photo (a CMYK JPEG) as the press prints it, in sRGB pixels typst can draw.
fn photo_proof(bytes: &[u8]) -> Result<RasterImage, String> {
    let (inks, mut width, mut height) = cmyk_jpeg_inks(bytes)?;
    let mut pixels: Vec<[u8; 4]> = inks
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2], p[3]])
        .collect();
    if width.max(height) >= HALVE_FROM_PX {
        (pixels, width, height) = halved(&pixels, width, height);
    }
    let mut rgb = vec![[0u8; 3]; pixels.len()];
    press_to_screen()?.transform_pixels(&pixels, &mut rgb);
    let format = typst::visualize::PixelFormat {
        encoding: typst::visualize::PixelEncoding::Rgb8,
        width,
        height,
    };
    RasterImage::plain(
        Bytes::new(rgb.into_iter().flatten().collect::<Vec<u8>>()),
        RasterFormat::Pixel(format),
    )
    .map_err(|e| e.to_string())
}

/// Every 2 × 2 block of ink averaged into one pixel.
fn halved(pixels: &[[u8; 4]], width: u32, height: u32) -> (Vec<[u8; 4]>, u32, u32) {
    let (w, h) = ((width / 2).max(1), (height / 2).max(1));
    let at = |x: u32, y: u32| pixels[(y.min(height - 1) * width + x.min(width - 1)) as usize];
    let mut out = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        for x in 0..w {
            let block = [
                at(2 * x, 2 * y),
                at(2 * x + 1, 2 * y),
                at(2 * x, 2 * y + 1),
                at(2 * x + 1, 2 * y + 1),
            ];
            let mut mean = [0u8; 4];
            for (c, m) in mean.iter_mut().enumerate() {
                let sum: u32 = block.iter().map(|p| u32::from(p[c])).sum();
                *m = ((sum + 2) / 4) as u8;
            }
            out.push(mean);
        }
    }
    (out, w, h)
}

impl SoftProof {
    /// The soft proof for Japan Color 2001 Coated.
    pub fn new() -> Result<Self, String> {
        let transform = press_to_screen()?;
        Ok(Self {
            transform,
            cache: Mutex::new(HashMap::new()),
            photos: HashMap::new(),
        })
    }

    /// Also soft-proofs the press photos among `files` (the CMYK JPEGs under `/photos/`).
    pub fn with_photos(mut self, files: &VirtualFiles) -> Result<Self, String> {
        self.add_photos(files)?;
        Ok(self)
    }

    /// Soft-proofs the press photos among `files` not seen before (a long-running koho keeps
    /// one `SoftProof` and converts each photo once).
    pub fn add_photos(&mut self, files: &VirtualFiles) -> Result<(), String> {
        let new: Vec<(u128, &[u8])> = files
            .iter_bytes()
            .filter(|(path, _)| path.starts_with("/photos/"))
            .map(|(_, bytes)| (typst::utils::hash128(bytes), bytes.as_slice()))
            .filter(|(key, _)| !self.photos.contains_key(key))
            .collect();
        // Each photo on its own core, each worker with its own transform (Little CMS's
        // transforms are not shared between threads).
        let proofed = crate::parallel::map(&new, |(_, bytes)| photo_proof(bytes));
        for ((key, _), raster) in new.into_iter().zip(proofed) {
            self.photos.insert(key, raster?);
        }
        Ok(())
    }

    /// The sRGB of press inks (each 0–255).
    ///
    /// (Photos are proofed by `photo_proof`, each on a transform of its own.)
    pub fn rgb(&self, cmyk: [u8; 4]) -> [u8; 3] {
        if let Some(rgb) = self.cache.lock().ok().and_then(|c| c.get(&cmyk).copied()) {
            return rgb;
        }
        let mut out = [[0u8; 3]];
        self.transform.transform_pixels(&[cmyk], &mut out);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(cmyk, out[0]);
        }
        out[0]
    }

    /// `page` with every CMYK colour replaced by its soft proof.
    pub fn page(&self, page: &Page) -> Page {
        let mut proofed = page.clone();
        proofed.frame = self.frame(&page.frame);
        proofed
    }

    fn frame(&self, frame: &Frame) -> Frame {
        let mut out = Frame::new(frame.size(), frame.kind());
        for (pos, item) in frame.items() {
            let item = match item {
                FrameItem::Group(group) => {
                    let mut proofed: GroupItem = group.clone();
                    proofed.frame = self.frame(&group.frame);
                    FrameItem::Group(proofed)
                }
                FrameItem::Text(text) => {
                    let mut proofed = text.clone();
                    proofed.fill = self.paint(&text.fill);
                    proofed.stroke = text.stroke.as_ref().map(|s| self.stroke(s));
                    FrameItem::Text(proofed)
                }
                FrameItem::Shape(shape, span) => {
                    let proofed = Shape {
                        fill: shape.fill.as_ref().map(|p| self.paint(p)),
                        stroke: shape.stroke.as_ref().map(|s| self.stroke(s)),
                        ..shape.clone()
                    };
                    FrameItem::Shape(proofed, *span)
                }
                FrameItem::Image(image, size, span) => {
                    let proofed = match image.kind() {
                        ImageKind::Raster(raster) => {
                            self.photos.get(&typst::utils::hash128(raster.data()))
                        }
                        _ => None,
                    };
                    match proofed {
                        Some(raster) => FrameItem::Image(
                            Image::new(
                                raster.clone(),
                                image.alt().map(Into::into),
                                image.scaling(),
                            ),
                            *size,
                            *span,
                        ),
                        None => FrameItem::Image(image.clone(), *size, *span),
                    }
                }
                other => other.clone(),
            };
            out.push(*pos, item);
        }
        out
    }

    fn stroke(&self, stroke: &FixedStroke) -> FixedStroke {
        FixedStroke {
            paint: self.paint(&stroke.paint),
            ..stroke.clone()
        }
    }

    fn paint(&self, paint: &Paint) -> Paint {
        // A spot colour (the registration colour of the marks) shows as its CMYK fallback.
        let cmyk = match paint {
            Paint::Solid(Color::Process(ProcessColor::Cmyk(cmyk))) => *cmyk,
            Paint::Solid(Color::Spot(spot)) => match spot.fallback() {
                ProcessColor::Cmyk(cmyk) => cmyk,
                _ => return paint.clone(),
            },
            _ => return paint.clone(),
        };
        let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        let [r, g, b] = self.rgb([byte(cmyk.c), byte(cmyk.m), byte(cmyk.y), byte(cmyk.k)]);
        Paint::Solid(Color::from_u8(r, g, b, 255))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn press_black_and_paper() {
        let proof = SoftProof::new().unwrap();
        // K100 on coated stock is a deep grey-black, not pure #000.
        let [r, g, b] = proof.rgb([0, 0, 0, 255]);
        assert!(r < 70 && g < 70 && b < 70 && r > 5, "K100 → {r},{g},{b}");
        // No ink is paper white.
        assert_eq!(proof.rgb([0, 0, 0, 0]), [255, 255, 255]);
        // The palette's primary (C85 M35) is a clear blue.
        let [r, g, b] = proof.rgb([217, 89, 0, 0]);
        assert!(b > g && g > r, "primary → {r},{g},{b}");
    }
}
