//! Previews that tell the truth about colour: before a page is rendered to PNG, every CMYK
//! colour of its text and vectors is replaced by what Japan Color 2001 Coated prints, as sRGB
//! (Little CMS, relative colorimetric) — not typst's own generic CMYK conversion. The press
//! photos (CMYK JPEGs) are swapped for their soft proofs the same way. The registration colour
//! is not in the trimmed preview.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use lcms2::{DisallowCache, Flags, GlobalContext, Intent, PixelFormat, Profile, Transform};
use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem, GroupItem, Size};
use typst::visualize::{
    Color, FixedStroke, Image, ImageKind, Paint, ProcessColor, RasterFormat, RasterImage, Shape,
};
use typst_layout::Page;

use super::world::VirtualFiles;
use crate::cache::DiskCache;
use crate::print::condition::PROFILE;
use crate::print::photo::cmyk_jpeg_inks;

/// The press transform, shared by every thread (made without Little CMS's one-pixel cache,
/// which is what lets threads share it; making one costs more than proofing a photo).
type PressToScreen = Transform<[u8; 4], [u8; 3], GlobalContext, DisallowCache>;

/// How big the soft-proofed photos are made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PhotoPixels {
    /// Exactly as many pixels as typst-render draws the photo with at this many pixels per
    /// inch, so that it draws them as they are instead of resampling a press photo again.
    Rendered(f64),
    /// Half the press photo's pixels from [`HALVE_FROM_PX`] on (the archival PDF: sharp at
    /// any zoom a screen reader's user or an archivist takes, a quarter of the press size).
    Archival,
}

/// A soft-proofed photo: which press photo (typst's hash of its bytes) at which size (`None`:
/// the archival size).
type ProofKey = (u128, Option<(u32, u32)>);

/// Converts press CMYK to the sRGB the press result looks like.
pub struct SoftProof {
    colours: Mutex<HashMap<[u8; 4], [u8; 3]>>,
    /// The press photos, by typst's hash of their bytes (which the bytes keep: no photo is
    /// hashed twice), with a hash of their content that stays the same between runs.
    presses: HashMap<u128, (Bytes, u128)>,
    /// The soft proofs made so far.
    proofed: Mutex<HashMap<ProofKey, RasterImage>>,
    /// Soft proofs kept between runs (`out/.cache/softproof/`), if any.
    disk: Option<DiskCache>,
}

/// Press photos this many pixels across or more are halved for the archival PDF.
const HALVE_FROM_PX: u32 = 1200;
/// Soft proofs kept in memory at most (a long-running koho forgets them all past this).
const PROOFS_KEPT: usize = 256;

/// The press transform: Japan Color 2001 Coated to sRGB, relative colorimetric without
/// black-point compensation (the press's black, a K100 that is not #000, shows as it prints).
fn press_to_screen() -> Result<&'static PressToScreen, String> {
    static TRANSFORM: OnceLock<Result<PressToScreen, String>> = OnceLock::new();
    TRANSFORM
        .get_or_init(|| {
            let press = Profile::new_icc(PROFILE).map_err(|e| e.to_string())?;
            let screen = Profile::new_srgb();
            Transform::new_flags_context(
                GlobalContext::new(),
                &press,
                PixelFormat::CMYK_8,
                &screen,
                PixelFormat::RGB_8,
                Intent::RelativeColorimetric,
                Flags::NO_CACHE,
            )
            .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A press photo (a CMYK JPEG) as the press prints it, in sRGB pixels typst can draw:
/// `size` pixels (`None`: the archival size).
fn photo_proof(bytes: &[u8], size: Option<(u32, u32)>) -> Result<RasterImage, String> {
    let (inks, width, height) = cmyk_jpeg_inks(bytes)?;
    let (width_out, height_out) = size.unwrap_or(if width.max(height) >= HALVE_FROM_PX {
        ((width / 2).max(1), (height / 2).max(1))
    } else {
        (width, height)
    });
    let inks = if (width_out, height_out) == (width, height) {
        inks
    } else {
        super::resample::area::<4>(&inks, width, height, width_out, height_out)
    };
    let pixels: &[[u8; 4]] = bytemuck_cmyk(&inks);
    let mut rgb = vec![[0u8; 3]; pixels.len()];
    press_to_screen()?.transform_pixels(pixels, &mut rgb);
    match size {
        Some(_) => raster(rgb.into_flattened(), width_out, height_out),
        None => archival_jpeg(&rgb.into_flattened(), width_out, height_out).and_then(jpeg_raster),
    }
}

/// JPEG quality of the archival soft proofs: a rendition to read, the print file being the
/// record of the press photo.
const ARCHIVAL_JPEG_QUALITY: u8 = 90;

/// sRGB pixels as the JPEG an archival or accessible PDF embeds as it is (typst passes JPEGs
/// through: no re-compression at export, a tenth of the size of the pixels deflated).
fn archival_jpeg(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let side = |n: u32| u16::try_from(n).map_err(|_| "a photo too large for JPEG".to_owned());
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, ARCHIVAL_JPEG_QUALITY)
        .encode(
            rgb,
            side(width)?,
            side(height)?,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|e| e.to_string())?;
    Ok(jpeg)
}

/// A JPEG as a raster typst draws (and embeds unchanged).
fn jpeg_raster(jpeg: Vec<u8>) -> Result<RasterImage, String> {
    RasterImage::plain(
        Bytes::new(jpeg),
        RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg),
    )
    .map_err(|e| e.to_string())
}

/// Four-byte pixels seen as arrays (the slice's length is a multiple of four).
fn bytemuck_cmyk(bytes: &[u8]) -> &[[u8; 4]] {
    let (pixels, rest) = bytes.as_chunks::<4>();
    debug_assert!(rest.is_empty());
    pixels
}

/// sRGB pixels as a raster typst draws.
fn raster(rgb: Vec<u8>, width: u32, height: u32) -> Result<RasterImage, String> {
    let format = typst::visualize::PixelFormat {
        encoding: typst::visualize::PixelEncoding::Rgb8,
        width,
        height,
    };
    RasterImage::plain(Bytes::new(rgb), RasterFormat::Pixel(format)).map_err(|e| e.to_string())
}

/// Points in an inch.
const PT_PER_INCH: f64 = 72.0;

/// The renderer's transform of a page drawn at `ppi`.
fn base_transform(ppi: f64) -> Linear {
    let scale = (ppi / PT_PER_INCH) as f32;
    [scale, 0.0, 0.0, scale]
}

/// The raw pixels of a raster made by [`raster`].
fn raster_pixels(raster: &RasterImage) -> &[u8] {
    raster.data().as_slice()
}

/// The linear part of a transform (as tiny-skia keeps it: sx, ky, kx, sy), in the renderer's
/// single precision.
type Linear = [f32; 4];

/// `outer` then `inner`, as typst-render concatenates a group's transform.
fn concat(outer: Linear, inner: Linear) -> Linear {
    let [a_sx, a_ky, a_kx, a_sy] = outer;
    let [b_sx, b_ky, b_kx, b_sy] = inner;
    [
        a_sx * b_sx + a_kx * b_ky,
        a_ky * b_sx + a_sy * b_ky,
        a_sx * b_kx + a_kx * b_sy,
        a_ky * b_kx + a_sy * b_sy,
    ]
}

/// The linear part of a group's transform.
fn linear(transform: &typst::layout::Transform) -> Linear {
    [
        transform.sx.get() as f32,
        transform.ky.get() as f32,
        transform.kx.get() as f32,
        transform.sy.get() as f32,
    ]
}

/// The texture typst-render makes for an image `width` × `height` drawn at `size` under
/// `transform` (its own arithmetic: typst-render's `render_image`).
fn texture_size(transform: Linear, size: Size, width: u32, height: u32) -> (u32, u32) {
    let [sx, _, kx, _] = transform;
    let theta = (-kx).atan2(sx);
    let prefer_sin = theta.sin().abs() > std::f32::consts::FRAC_1_SQRT_2;
    let scale_x = if prefer_sin {
        kx / theta.sin()
    } else {
        sx / theta.cos()
    }
    .abs();
    let (view_width, view_height) = (size.x.to_pt() as f32, size.y.to_pt() as f32);
    let aspect = width as f32 / height as f32;
    let w = (scale_x * view_width.max(aspect * view_height)).ceil() as u32;
    let h = ((w as f32) / aspect).ceil() as u32;
    (w.max(1), h.max(1))
}

/// How far from typst-render's first request a size that it asks for back is sought.
const SETTLE_REACH: u32 = 3;

/// The size to make a photo `width` × `height` so that typst-render, drawing it at `size`,
/// asks for exactly that size (the texture's own aspect decides what it asks, so the size it
/// first asks is not always one it asks back): the size nearest its first request that it
/// asks back, or that first request if none near is.
fn settled_size(transform: Linear, size: Size, width: u32, height: u32) -> (u32, u32) {
    let first = texture_size(transform, size, width, height);
    let near = |v: u32| v.saturating_sub(SETTLE_REACH).max(1)..=v + SETTLE_REACH;
    let mut best: Option<((u32, u32), u32)> = None;
    for w in near(first.0) {
        for h in near(first.1) {
            let distance = w.abs_diff(first.0) + h.abs_diff(first.1);
            let settles = texture_size(transform, size, w, h) == (w, h);
            if settles && best.is_none_or(|(_, d)| distance < d) {
                best = Some(((w, h), distance));
            }
        }
    }
    best.map_or(first, |(made, _)| made)
}

/// The resolution at which an advertiser's page becomes pixels for the archival file: the
/// resolution its photos were checked against for print.
const AD_RASTER_PPI: f64 = 300.0;

/// `image`, an advertiser's page, drawn by typst's renderer at [`AD_RASTER_PPI`] over white
/// paper, at `size`: for a PDF/A, which may not embed another PDF. The renderer turns the
/// ad's CMYK into screen colour by its own rule, not through the press profile; the print
/// file keeps the ad's own page.
fn ad_raster(image: &Image, size: Size) -> Option<RasterImage> {
    let mut frame = Frame::hard(size);
    frame.push(
        typst::layout::Point::zero(),
        FrameItem::Image(image.clone(), size, typst::syntax::Span::detached()),
    );
    let page = Page {
        frame,
        bleed: typst::layout::Sides::splat(typst::layout::Abs::zero()),
        fill: typst::foundations::Smart::Auto,
        numbering: None,
        supplement: typst::foundations::Content::empty(),
        number: 1,
    };
    let picture = super::export::proofed_picture(&page, AD_RASTER_PPI, false).ok()?;
    let (width, height) = picture.dimensions();
    raster(picture.into_raw(), width, height).ok()
}

impl SoftProof {
    /// The soft proof for Japan Color 2001 Coated.
    /// (Little CMS's transform is made when a colour or photo is first proofed: a build whose
    /// pages were all drawn before needs none.)
    pub fn new() -> Result<Self, String> {
        Ok(Self {
            colours: Mutex::new(HashMap::new()),
            presses: HashMap::new(),
            proofed: Mutex::new(HashMap::new()),
            disk: None,
        })
    }

    /// Keeps the soft-proofed photos it makes in `disk` and takes them from there.
    pub fn with_disk_cache(mut self, disk: DiskCache) -> Self {
        self.disk = Some(disk);
        self
    }

    /// Also soft-proofs the press photos among `files` (the CMYK JPEGs under `/photos/`).
    pub fn with_photos(mut self, files: &VirtualFiles) -> Result<Self, String> {
        self.add_photos(files)?;
        Ok(self)
    }

    /// Takes the press photos among `files` not seen before (a long-running koho keeps one
    /// `SoftProof`); each is proofed when a page first shows it at a size.
    pub fn add_photos(&mut self, files: &VirtualFiles) -> Result<(), String> {
        for (path, bytes) in files.iter_bytes() {
            let key = typst::utils::hash128(bytes);
            if path.starts_with("/photos/") && !self.presses.contains_key(&key) {
                let lasting = typst::utils::hash128(bytes.as_slice());
                self.presses.insert(key, (bytes.clone(), lasting));
            }
        }
        Ok(())
    }

    /// Soft-proofs, on every core, the photos of `pages` as they are drawn at `ppi` (so that
    /// [`page`](Self::page) finds them made); `PhotoPixels::Archival` for the archival ones.
    pub fn prepare(&self, pages: &[&Page], pixels: PhotoPixels) -> Result<(), String> {
        let ppi = match pixels {
            PhotoPixels::Rendered(ppi) => ppi,
            PhotoPixels::Archival => PT_PER_INCH,
        };
        let mut wanted: Vec<ProofKey> = Vec::new();
        for page in pages {
            self.visit_photos(&page.frame, base_transform(ppi), pixels, &mut |key| {
                if !wanted.contains(&key) {
                    wanted.push(key);
                }
            });
        }
        let known = self.proofed.lock().map_err(|e| e.to_string())?;
        wanted.retain(|key| !known.contains_key(key));
        drop(known);
        let made = crate::parallel::map(&wanted, |key| self.make(*key));
        let mut known = self.proofed.lock().map_err(|e| e.to_string())?;
        for (key, raster) in wanted.into_iter().zip(made) {
            known.insert(key, raster?);
        }
        Ok(())
    }

    /// Calls `found` with the proof key of every press photo in `frame` drawn at `transform`.
    fn visit_photos(
        &self,
        frame: &Frame,
        transform: Linear,
        pixels: PhotoPixels,
        found: &mut dyn FnMut(ProofKey),
    ) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => {
                    let inner = concat(transform, linear(&group.transform));
                    self.visit_photos(&group.frame, inner, pixels, found);
                }
                FrameItem::Image(image, size, _) => {
                    if let Some(key) = self.key(image, *size, pixels, transform) {
                        found(key);
                    }
                }
                _ => {}
            }
        }
    }

    /// The proof key of `image` drawn at `size` under `transform`, if it is a press photo.
    fn key(
        &self,
        image: &Image,
        size: Size,
        pixels: PhotoPixels,
        transform: Linear,
    ) -> Option<ProofKey> {
        let ImageKind::Raster(raster) = image.kind() else {
            return None;
        };
        let hash = typst::utils::hash128(raster.data());
        self.presses.contains_key(&hash).then(|| match pixels {
            PhotoPixels::Rendered(_) => (
                hash,
                Some(settled_size(
                    transform,
                    size,
                    raster.width(),
                    raster.height(),
                )),
            ),
            PhotoPixels::Archival => (hash, None),
        })
    }

    /// The soft proof under `key`, from the disk when it was kept there: pixels at a
    /// preview's size, or the archival JPEG.
    fn make(&self, key: ProofKey) -> Result<RasterImage, String> {
        let (hash, size) = key;
        let (bytes, lasting) = self.presses.get(&hash).ok_or("not a press photo")?;
        let shown = size.map_or("archival-jpeg".to_owned(), |(w, h)| format!("{w}x{h}"));
        let disk_key = format!(
            "{lasting:032x}-{shown}-{}{}",
            env!("KOHO_SOFTPROOF_PIPELINE"),
            env!("KOHO_RESAMPLE")
        );
        if let Some(kept) = self.disk.as_ref().and_then(|disk| disk.get(&disk_key)) {
            match size {
                Some((w, h)) if kept.len() == (w as usize) * (h as usize) * 3 => {
                    return raster(kept, w, h);
                }
                None => {
                    if let Ok(proofed) = jpeg_raster(kept) {
                        return Ok(proofed);
                    }
                }
                Some(_) => {}
            }
        }
        let proofed = photo_proof(bytes, size)?;
        if let Some(disk) = &self.disk {
            disk.put(&disk_key, raster_pixels(&proofed));
        }
        Ok(proofed)
    }

    /// The soft proof under `key`, made now if [`prepare`](Self::prepare) did not.
    fn proof(&self, key: ProofKey) -> Option<RasterImage> {
        if let Some(raster) = self.proofed.lock().ok()?.get(&key) {
            return Some(raster.clone());
        }
        let raster = self.make(key).ok()?;
        let mut known = self.proofed.lock().ok()?;
        if known.len() >= PROOFS_KEPT {
            known.clear();
        }
        known.insert(key, raster.clone());
        Some(raster)
    }

    /// The sRGB of press inks (each 0–255).
    pub fn rgb(&self, cmyk: [u8; 4]) -> [u8; 3] {
        if let Some(rgb) = self.colours.lock().ok().and_then(|c| c.get(&cmyk).copied()) {
            return rgb;
        }
        let mut out = [[0u8; 3]];
        match press_to_screen() {
            Ok(transform) => transform.transform_pixels(&[cmyk], &mut out),
            Err(_) => return [0, 0, 0],
        }
        if let Ok(mut colours) = self.colours.lock() {
            colours.insert(cmyk, out[0]);
        }
        out[0]
    }

    /// `page` with every CMYK colour replaced by its soft proof and every press photo by
    /// its soft proof made at `pixels`.
    pub fn page(&self, page: &Page, pixels: PhotoPixels) -> Page {
        let mut proofed = page.clone();
        let transform = match pixels {
            PhotoPixels::Rendered(ppi) => base_transform(ppi),
            PhotoPixels::Archival => base_transform(PT_PER_INCH),
        };
        proofed.frame = self.frame(&page.frame, pixels, transform);
        proofed
    }

    fn frame(&self, frame: &Frame, pixels: PhotoPixels, transform: Linear) -> Frame {
        let mut out = Frame::new(frame.size(), frame.kind());
        for (pos, item) in frame.items() {
            let item = match item {
                FrameItem::Group(group) => {
                    let mut proofed: GroupItem = group.clone();
                    let inner = concat(transform, linear(&group.transform));
                    proofed.frame = self.frame(&group.frame, pixels, inner);
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
                // An advertiser's page, where the file may not hold another PDF (PDF/A), as
                // pixels at the press's resolution.
                FrameItem::Image(image, size, span)
                    if pixels == PhotoPixels::Archival
                        && matches!(image.kind(), ImageKind::Pdf(_)) =>
                {
                    match ad_raster(image, *size) {
                        Some(raster) => FrameItem::Image(
                            Image::new(raster, image.alt().map(Into::into), image.scaling()),
                            *size,
                            *span,
                        ),
                        None => FrameItem::Image(image.clone(), *size, *span),
                    }
                }
                FrameItem::Image(image, size, span) => {
                    let proofed = self
                        .key(image, *size, pixels, transform)
                        .and_then(|key| self.proof(key));
                    match proofed {
                        Some(raster) => FrameItem::Image(
                            Image::new(raster, image.alt().map(Into::into), image.scaling()),
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

    #[test]
    fn photos_are_made_at_the_size_the_renderer_asks() {
        use typst::layout::Abs;
        let at_150 = base_transform(150.0);
        // Press photos of several shapes placed in frames of several shapes (cover fills
        // crop: the texture is the photo's whole, at the scale the frame asks).
        for (width, height) in [(3000, 4200), (2480, 1654), (1201, 1199), (640, 480)] {
            for (w_mm, h_mm) in [(216.0, 303.0), (80.0, 53.5), (37.3, 61.1)] {
                let size = Size::new(Abs::mm(w_mm), Abs::mm(h_mm));
                let made = settled_size(at_150, size, width, height);
                assert_eq!(
                    texture_size(at_150, size, made.0, made.1),
                    made,
                    "{width}×{height} in {w_mm}×{h_mm} mm"
                );
                // About 150 ppi across the frame or more (a cropped photo is wider).
                let frame_px = (w_mm / 25.4 * 150.0) as u32;
                assert!(made.0 >= frame_px && made.0 <= frame_px * 4, "{made:?}");
            }
        }
    }

    #[test]
    fn group_transforms_compose_as_the_renderer_does() {
        let scale_2 = [2.0, 0.0, 0.0, 2.0];
        let half_x = [0.5, 0.0, 0.0, 1.0];
        assert_eq!(concat(scale_2, half_x), [1.0, 0.0, 0.0, 2.0]);
        let shear = [1.0, 0.0, 0.5, 1.0];
        assert_eq!(concat(scale_2, shear), [2.0, 0.0, 1.0, 2.0]);
    }
}
