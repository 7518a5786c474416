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
    Color, ExchangeFormat, FixedStroke, Image, ImageKind, Paint, ProcessColor, RasterImage, Shape,
};
use typst_layout::Page;

use super::world::VirtualFiles;
use crate::print::condition::PROFILE;
use crate::print::photo::cmyk_jpeg_inks;

/// Converts press CMYK to the sRGB the press result looks like.
pub struct SoftProof {
    transform: Transform<[u8; 4], [u8; 3]>,
    cache: Mutex<HashMap<[u8; 4], [u8; 3]>>,
    /// Soft proofs of the press photos, by the press JPEG's bytes.
    photos: HashMap<Vec<u8>, RasterImage>,
}

impl SoftProof {
    /// The soft proof for Japan Color 2001 Coated.
    pub fn new() -> Result<Self, String> {
        let press = Profile::new_icc(PROFILE).map_err(|e| e.to_string())?;
        let screen = Profile::new_srgb();
        // Relative colorimetric without black-point compensation: the press's black (a K100
        // that is not #000) shows as it prints.
        let transform = Transform::new(
            &press,
            PixelFormat::CMYK_8,
            &screen,
            PixelFormat::RGB_8,
            Intent::RelativeColorimetric,
        )
        .map_err(|e| e.to_string())?;
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
        for (path, bytes) in files.iter() {
            if !path.starts_with("/photos/") || self.photos.contains_key::<[u8]>(bytes) {
                continue;
            }
            let (inks, width, height) = cmyk_jpeg_inks(bytes)?;
            let pixels: Vec<[u8; 4]> = inks
                .chunks_exact(4)
                .map(|p| [p[0], p[1], p[2], p[3]])
                .collect();
            let mut rgb = vec![[0u8; 3]; pixels.len()];
            self.transform.transform_pixels(&pixels, &mut rgb);
            let image =
                image::RgbImage::from_raw(width, height, rgb.into_iter().flatten().collect())
                    .ok_or("the photo's size does not match its pixels")?;
            let mut png = Vec::new();
            image
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .map_err(|e| e.to_string())?;
            let raster = RasterImage::plain(Bytes::new(png), ExchangeFormat::Png)
                .map_err(|e| e.to_string())?;
            self.photos.insert(bytes.to_vec(), raster);
        }
        Ok(())
    }

    /// The sRGB of press inks (each 0–255).
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
                        ImageKind::Raster(raster) => self.photos.get(raster.data().as_slice()),
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
