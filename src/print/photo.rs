//! Photos for the press: every RGB or gray photo becomes a CMYK JPEG for Japan Color 2001
//! Coated, through Little CMS, before typesetting (typst passes JPEGs through untouched).
//!
//! The photo's own ICC profile (sRGB when it has none) → the press profile, relative
//! colorimetric with black-point compensation → an ink-limiting device link at 320 %
//! (without it a black pixel comes out at 345 %). Alpha is flattened onto white paper first;
//! photos far sharper than print needs are downsampled to about 400 ppi in their frame.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use lcms2::{ColorSpaceSignature, Flags, Intent, PixelFormat, Profile, Transform};

use super::condition::{MAX_TOTAL_INK, PROFILE};
use crate::image_file::{MAX_PHOTO_SIDE, jpeg_component_count};

/// Photos are separated to this much ink at most: the press's limit less a margin for what
/// JPEG compression and a RIP's resampling add at dark edges (a photo limited to exactly
/// 320 % measures 320.4 % after both).
const SEPARATION_INK_LIMIT: u32 = MAX_TOTAL_INK - 5;

/// Photos sharper than this in their frame are downsampled …
const DOWNSAMPLE_ABOVE_PPI: f64 = 450.0;
/// … to this resolution.
pub const DOWNSAMPLE_TO_PPI: f64 = 400.0;
/// JPEG quality of the converted photos (high: print shows artefacts screens hide).
const JPEG_QUALITY: u8 = 92;
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Millimetres in an inch.
const MM_PER_INCH: f64 = 25.4;

/// A photo ready for the press.
#[derive(Clone, Debug)]
pub struct PressPhoto {
    /// The photo as a CMYK JPEG (or the original CMYK JPEG, kept as it is).
    pub jpeg: Vec<u8>,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// The most ink any pixel carries, in percent (for converted photos).
    pub max_ink: Option<u32>,
}

/// Why a photo could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// It does not decode (it did when checked: the file changed since).
    #[error("the photo cannot be decoded: {0}")]
    Decode(String),
    /// Little CMS refused a profile or the transform.
    #[error("colour conversion failed: {0}")]
    Colour(String),
    /// The JPEG encoder failed.
    #[error("the CMYK JPEG could not be written: {0}")]
    Encode(String),
}

/// Prepares a photo placed to fill a frame of `frame_mm` (width, height), when known.
pub fn to_press(bytes: &[u8], frame_mm: Option<(f64, f64)>) -> Result<PressPhoto, PhotoError> {
    if jpeg_component_count(bytes) == Some(4) {
        return cmyk_to_press(bytes);
    }
    let (rgb, source) = decoded_rgb(bytes, frame_mm)?;
    let cmyk = to_cmyk(&rgb, &source)?;
    let max_ink = cmyk
        .chunks_exact(4)
        .map(|p| p.iter().map(|&v| u32::from(v)).sum::<u32>() * 100 / 255)
        .max()
        .unwrap_or(0);
    let jpeg = encode_cmyk(&cmyk, rgb.width(), rgb.height())?;
    Ok(PressPhoto {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
        max_ink: Some(max_ink),
    })
}

/// Prepares a photo for a two-colour page: black ink alone, each pixel printing as light as
/// the photo is there (its L*, matched against what the press prints for each tint of black).
pub fn to_press_black(
    bytes: &[u8],
    frame_mm: Option<(f64, f64)>,
) -> Result<PressPhoto, PhotoError> {
    let colour = |e: lcms2::Error| PhotoError::Colour(e.to_string());
    let lab = lab_profile().map_err(colour)?;
    let press = Profile::new_icc(PROFILE).map_err(colour)?;
    let (lightness, width, height) = if jpeg_component_count(bytes) == Some(4) {
        let (inks, width, height) = cmyk_jpeg_inks(bytes).map_err(PhotoError::Decode)?;
        let transform: Transform<[u8; 4], [f64; 3]> = Transform::new(
            &press,
            PixelFormat::CMYK_8,
            &lab,
            PixelFormat::Lab_DBL,
            Intent::RelativeColorimetric,
        )
        .map_err(colour)?;
        let pixels: Vec<[u8; 4]> = inks
            .chunks_exact(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect();
        let mut out = vec![[0.0; 3]; pixels.len()];
        transform.transform_pixels(&pixels, &mut out);
        (
            out.iter().map(|l| l[0]).collect::<Vec<f64>>(),
            width,
            height,
        )
    } else {
        let (rgb, source) = decoded_rgb(bytes, frame_mm)?;
        let transform: Transform<[u8; 3], [f64; 3]> = Transform::new(
            &source,
            PixelFormat::RGB_8,
            &lab,
            PixelFormat::Lab_DBL,
            Intent::RelativeColorimetric,
        )
        .map_err(colour)?;
        let pixels: Vec<[u8; 3]> = rgb.pixels().map(|p| p.0).collect();
        let mut out = vec![[0.0; 3]; pixels.len()];
        transform.transform_pixels(&pixels, &mut out);
        (
            out.iter().map(|l| l[0]).collect(),
            rgb.width(),
            rgb.height(),
        )
    };
    let ramp = black_ramp(&press, &lab).map_err(colour)?;
    let cmyk: Vec<u8> = lightness
        .iter()
        .flat_map(|l| [0, 0, 0, black_for(&ramp, *l)])
        .collect();
    let max_ink = cmyk
        .chunks_exact(4)
        .map(|p| u32::from(p[3]) * 100 / 255)
        .max();
    Ok(PressPhoto {
        jpeg: encode_cmyk(&cmyk, width, height)?,
        width,
        height,
        max_ink,
    })
}

/// An RGB or gray photo decoded, flattened onto paper and (when far sharper than its frame
/// needs) downsampled, with the profile its colours are in.
fn decoded_rgb(
    bytes: &[u8],
    frame_mm: Option<(f64, f64)>,
) -> Result<(RgbImage, Profile), PhotoError> {
    let (image, icc) = decode(bytes)?;
    let rgb = flatten(image);
    let rgb = match frame_mm {
        Some(frame) => downsample(rgb, frame),
        None => rgb,
    };
    Ok((rgb, source_profile(icc.as_deref())))
}

/// The device link that keeps separated ink within [`SEPARATION_INK_LIMIT`].
fn ink_limit() -> Result<Profile, lcms2::Error> {
    Profile::ink_limiting(
        ColorSpaceSignature::CmykData,
        f64::from(SEPARATION_INK_LIMIT),
    )
}

/// The CIE D50 white of the profile connection space.
const D50: lcms2::CIExyY = lcms2::CIExyY {
    x: 0.3457,
    y: 0.3585,
    Y: 1.0,
};

fn lab_profile() -> Result<Profile, lcms2::Error> {
    Profile::new_lab4_context(lcms2::GlobalContext::new(), &D50)
}

/// L* of black ink alone at each of 256 tints (0 = paper, 255 = K100) on the press.
fn black_ramp(press: &Profile, lab: &Profile) -> Result<Vec<f64>, lcms2::Error> {
    let transform: Transform<[u8; 4], [f64; 3]> = Transform::new(
        press,
        PixelFormat::CMYK_8,
        lab,
        PixelFormat::Lab_DBL,
        Intent::RelativeColorimetric,
    )?;
    let tints: Vec<[u8; 4]> = (0..=255u8).map(|k| [0, 0, 0, k]).collect();
    let mut out = vec![[0.0; 3]; tints.len()];
    transform.transform_pixels(&tints, &mut out);
    Ok(out.iter().map(|l| l[0]).collect())
}

/// The tint of black whose L* on the press is nearest `lightness` (the ramp darkens as the
/// tint grows; anything darker than K100 is K100).
fn black_for(ramp: &[f64], lightness: f64) -> u8 {
    let at = ramp.partition_point(|l| *l > lightness);
    let at = at.min(ramp.len() - 1);
    let nearer_below = at > 0 && (ramp[at - 1] - lightness).abs() < (ramp[at] - lightness).abs();
    (if nearer_below { at - 1 } else { at }) as u8
}

/// A CMYK JPEG is already separated for print: kept as made, unless some of it carries more
/// ink than the press takes — then it goes through the ink-limiting link.
fn cmyk_to_press(bytes: &[u8]) -> Result<PressPhoto, PhotoError> {
    let (inks, width, height) = cmyk_jpeg_inks(bytes).map_err(PhotoError::Decode)?;
    let ink = ink_coverage(&inks);
    if ink.percentile <= MAX_TOTAL_INK {
        return Ok(PressPhoto {
            jpeg: bytes.to_vec(),
            width,
            height,
            max_ink: Some(ink.percentile),
        });
    }
    let colour = |e: lcms2::Error| PhotoError::Colour(e.to_string());
    let limit = ink_limit().map_err(colour)?;
    let transform: Transform<[u8; 4], [u8; 4]> = Transform::new_multiprofile(
        &[&limit],
        PixelFormat::CMYK_8,
        PixelFormat::CMYK_8,
        Intent::RelativeColorimetric,
        Flags::default(),
    )
    .map_err(colour)?;
    let pixels: Vec<[u8; 4]> = inks
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2], p[3]])
        .collect();
    let mut limited = vec![[0u8; 4]; pixels.len()];
    transform.transform_pixels(&pixels, &mut limited);
    let limited: Vec<u8> = limited.into_iter().flatten().collect();
    let max_ink = ink_coverage(&limited).percentile;
    Ok(PressPhoto {
        jpeg: encode_cmyk(&limited, width, height)?,
        width,
        height,
        max_ink: Some(max_ink),
    })
}

/// The ink of each pixel of a CMYK JPEG (C, M, Y, K, each 0–255), its width and height.
/// CMYK JPEGs store ink inverted (Adobe's convention, which typst's PDF export assumes too).
pub fn cmyk_jpeg_inks(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), String> {
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::CMYK)
        .set_max_width(MAX_PHOTO_SIDE as usize)
        .set_max_height(MAX_PHOTO_SIDE as usize);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    let stored = decoder.decode().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions().ok_or("no dimensions")?;
    if stored.len() != width * height * 4 {
        return Err("not a four-channel JPEG".into());
    }
    Ok((
        stored.into_iter().map(|v| 255 - v).collect(),
        width as u32,
        height as u32,
    ))
}

/// How much ink pixels carry, in percent (the 99.95th percentile leaves out [`OUTLIERS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InkCoverage {
    /// The most of any pixel.
    pub max: u32,
    /// The most, leaving out the heaviest 0.05 % of pixels (JPEG ringing at hard edges).
    pub percentile: u32,
}

/// The total ink of CMYK pixels (4 bytes each).
pub fn ink_coverage(cmyk: &[u8]) -> InkCoverage {
    // A histogram of the totals (0–400 %): the percentile without sorting millions of pixels.
    let mut counts = [0usize; 401];
    for p in cmyk.chunks_exact(4) {
        let total = p.iter().map(|&v| u32::from(v)).sum::<u32>() * 100 / 255;
        counts[total as usize] += 1;
    }
    InkCoverage {
        max: counts.iter().rposition(|&n| n > 0).unwrap_or(0) as u32,
        percentile: percentile(&counts, 1.0 - OUTLIERS) as u32,
    }
}

/// The share of pixels left out of a percentile figure (JPEG ringing at hard edges).
pub const OUTLIERS: f64 = 0.0005;

/// The value below which `share` of the counted values lie, from a histogram (`counts[v]`
/// values equal to `v`): 0 for no values.
pub fn percentile(counts: &[usize], share: f64) -> usize {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return 0;
    }
    let wanted = ((total as f64) * share).ceil().max(1.0) as usize;
    let mut seen = 0;
    for (value, n) in counts.iter().enumerate() {
        seen += n;
        if seen >= wanted {
            return value;
        }
    }
    counts.len() - 1
}

/// A photo decoded under koho's limits, with its embedded ICC profile if it has one.
pub(crate) fn decode(bytes: &[u8]) -> Result<(DynamicImage, Option<Vec<u8>>), PhotoError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Decode(e.to_string()))?;
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| PhotoError::Decode(e.to_string()))?;
    let icc = decoder.icc_profile().ok().flatten();
    let image =
        DynamicImage::from_decoder(decoder).map_err(|e| PhotoError::Decode(e.to_string()))?;
    Ok((image, icc))
}

/// Any transparency composited onto white paper.
pub(crate) fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white =
            |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// Downsampled to [`DOWNSAMPLE_TO_PPI`] when it would print far sharper than needed.
fn downsample(image: RgbImage, frame_mm: (f64, f64)) -> RgbImage {
    let ppi = |px: u32, mm: f64| f64::from(px) / (mm / MM_PER_INCH);
    // Filling the frame, the weaker axis decides the resolution.
    let effective = ppi(image.width(), frame_mm.0).min(ppi(image.height(), frame_mm.1));
    if effective <= DOWNSAMPLE_ABOVE_PPI {
        return image;
    }
    let scale = DOWNSAMPLE_TO_PPI / effective;
    let width = ((f64::from(image.width()) * scale).round() as u32).max(1);
    let height = ((f64::from(image.height()) * scale).round() as u32).max(1);
    image::imageops::resize(&image, width, height, FilterType::Lanczos3)
}

/// The photo's own RGB profile, or sRGB when it has none (or one koho cannot use).
pub(crate) fn source_profile(icc: Option<&[u8]>) -> Profile {
    icc.and_then(|bytes| Profile::new_icc(bytes).ok())
        .filter(|p| p.color_space() == ColorSpaceSignature::RgbData)
        .unwrap_or_else(Profile::new_srgb)
}

/// RGB pixels to press CMYK, ink-limited.
fn to_cmyk(image: &RgbImage, source: &Profile) -> Result<Vec<u8>, PhotoError> {
    let colour = |e: lcms2::Error| PhotoError::Colour(e.to_string());
    let press = Profile::new_icc(PROFILE).map_err(colour)?;
    let limit = ink_limit().map_err(colour)?;
    let transform: Transform<[u8; 3], [u8; 4]> = Transform::new_multiprofile(
        &[source, &press, &limit],
        PixelFormat::RGB_8,
        PixelFormat::CMYK_8,
        Intent::RelativeColorimetric,
        Flags::BLACKPOINT_COMPENSATION,
    )
    .map_err(colour)?;
    let pixels: Vec<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    let mut out = vec![[0u8; 4]; pixels.len()];
    transform.transform_pixels(&pixels, &mut out);
    Ok(out.into_iter().flatten().collect())
}

fn encode_cmyk(cmyk: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PhotoError> {
    let encode = |e: jpeg_encoder::EncodingError| PhotoError::Encode(e.to_string());
    let (w, h) = (
        u16::try_from(width).map_err(|_| PhotoError::Encode("too wide".into()))?,
        u16::try_from(height).map_err(|_| PhotoError::Encode("too tall".into()))?,
    );
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    encoder
        .encode(cmyk, w, h, jpeg_encoder::ColorType::Cmyk)
        .map_err(encode)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_rgb(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
        let img = RgbImage::from_pixel(width, height, image::Rgb(colour));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn photos_for_two_colour_pages_are_black_alone_and_keep_their_tones() {
        let gray = |v: u8| {
            let press = to_press_black(&jpeg_rgb(8, 8, [v, v, v]), None).unwrap();
            let (inks, _, _) = cmyk_jpeg_inks(&press.jpeg).unwrap();
            assert!(
                inks.chunks_exact(4)
                    .all(|p| p[0] < 3 && p[1] < 3 && p[2] < 3)
            );
            u32::from(inks[3])
        };
        let (white, mid, black) = (gray(255), gray(128), gray(0));
        assert!(white < 5, "white takes no ink: K {white}");
        assert!(black > 240, "black is K100: K {black}");
        assert!(
            white < mid && mid < black,
            "tones keep their order: {white} {mid} {black}"
        );
    }

    #[test]
    fn black_stays_within_the_ink_limit() {
        let photo = to_press(&jpeg_rgb(64, 48, [0, 0, 0]), Some((42.0, 30.0))).unwrap();
        let ink = photo.max_ink.unwrap();
        assert!(ink <= MAX_TOTAL_INK, "black converts to {ink} %");
        // And it is still a deep black, not a grey.
        assert!(ink >= 280, "black converts to only {ink} %");
        assert_eq!(jpeg_component_count(&photo.jpeg), Some(4));
    }

    #[test]
    fn white_takes_no_ink_and_alpha_is_flattened_onto_paper() {
        let rgba = image::RgbaImage::from_pixel(32, 32, image::Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(rgba)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let photo = to_press(&png, Some((42.0, 30.0))).unwrap();
        assert!(
            photo.max_ink.unwrap() <= 2,
            "transparent became {:?} % ink",
            photo.max_ink
        );
    }

    #[test]
    fn cmyk_jpegs_over_the_ink_limit_are_limited_and_others_kept() {
        let encode = |inks: [u8; 4]| {
            let pixels: Vec<u8> = std::iter::repeat_n(inks, 32 * 32).flatten().collect();
            encode_cmyk(&pixels, 32, 32).unwrap()
        };
        // 400 % (all four inks full) is far over the limit.
        let heavy = encode([255, 255, 255, 255]);
        let (inks, _, _) = cmyk_jpeg_inks(&heavy).unwrap();
        assert!(ink_coverage(&inks).max >= 390, "{:?}", ink_coverage(&inks));
        let limited = to_press(&heavy, None).unwrap();
        assert!(
            limited.max_ink.unwrap() <= MAX_TOTAL_INK,
            "{:?}",
            limited.max_ink
        );
        let (inks, _, _) = cmyk_jpeg_inks(&limited.jpeg).unwrap();
        assert!(
            ink_coverage(&inks).percentile <= MAX_TOTAL_INK + 2,
            "{:?}",
            ink_coverage(&inks)
        );
        // A light CMYK photo is passed through byte for byte.
        let light = encode([40, 20, 10, 0]);
        assert_eq!(to_press(&light, None).unwrap().jpeg, light);
    }

    #[test]
    fn sharp_photos_are_downsampled_to_about_400_ppi() {
        // 42 mm at 400 ppi is 661 px; 2000 px would be 1210 ppi.
        let photo = to_press(&jpeg_rgb(2000, 1430, [200, 120, 40]), Some((42.0, 30.0))).unwrap();
        let ppi = f64::from(photo.width) / (42.0 / MM_PER_INCH);
        assert!((ppi - DOWNSAMPLE_TO_PPI).abs() < 5.0, "{ppi} ppi");
    }
}
