//! Photos for the web edition, made from each photo's original (never from the press file):
//! in sRGB — an RGB photo through its own profile, a CMYK one through the press's — and
//! resized for screens, once at the width a page shows and once larger for the reader who taps.

use image::RgbImage;
use lcms2::{Flags, Intent, PixelFormat, Profile, Transform};

use crate::image_file::jpeg_component_count;
use crate::print::condition::PROFILE;
use crate::print::photo::{self, PhotoError};
use crate::render::resample;

/// The width a photo is shown at in a page's column (CSS pixels, twice for sharp screens).
pub const SCREEN_WIDTH: u32 = 960;
/// The width of the larger picture a tap opens.
pub const LARGE_WIDTH: u32 = 1920;
/// JPEG quality for screens.
const JPEG_QUALITY: u8 = 82;

/// One picture for the web: a baseline sRGB JPEG and its size in pixels.
#[derive(Clone, Debug)]
pub struct Picture {
    /// The JPEG.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A photo at both sizes.
#[derive(Clone, Debug)]
pub struct WebPhoto {
    /// As the page shows it.
    pub screen: Picture,
    /// As a tap opens it (no larger than the original).
    pub large: Picture,
}

/// What a kept [`WebPhoto`] starts with.
const KEPT_MAGIC: &[u8; 4] = b"KWP1";

impl WebPhoto {
    /// Both pictures in one run of bytes, to keep between runs: for each, its width, height
    /// and length (little-endian `u32`s), then its JPEG.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = KEPT_MAGIC.to_vec();
        for picture in [&self.screen, &self.large] {
            let length = u32::try_from(picture.jpeg.len()).unwrap_or(u32::MAX);
            for n in [picture.width, picture.height, length] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            out.extend_from_slice(&picture.jpeg);
        }
        out
    }

    /// Reads [`WebPhoto::to_bytes`] back; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut rest = bytes.strip_prefix(KEPT_MAGIC)?;
        let mut next = || -> Option<Picture> {
            let number = |at: usize, from: &[u8]| -> Option<u32> {
                Some(u32::from_le_bytes(from.get(at..at + 4)?.try_into().ok()?))
            };
            let (width, height, length) = (number(0, rest)?, number(4, rest)?, number(8, rest)?);
            let end = 12 + usize::try_from(length).ok()?;
            let jpeg = rest.get(12..end)?.to_vec();
            rest = &rest[end..];
            Some(Picture {
                jpeg,
                width,
                height,
            })
        };
        let screen = next()?;
        let large = next()?;
        Some(WebPhoto { screen, large })
    }
}

/// `bytes` (the photo's original file) made into its web pictures.
pub fn web_photo(bytes: &[u8]) -> Result<WebPhoto, PhotoError> {
    let rgb = to_srgb(bytes)?;
    Ok(WebPhoto {
        screen: picture(&rgb, SCREEN_WIDTH)?,
        large: picture(&rgb, LARGE_WIDTH)?,
    })
}

/// The photo's pixels in sRGB, any transparency on white.
fn to_srgb(bytes: &[u8]) -> Result<RgbImage, PhotoError> {
    let colour = |e: lcms2::Error| PhotoError::Colour(e.to_string());
    if jpeg_component_count(bytes) == Some(4) {
        let (inks, width, height) = photo::cmyk_jpeg_inks(bytes).map_err(PhotoError::Decode)?;
        let press = Profile::new_icc(PROFILE).map_err(colour)?;
        let transform: Transform<[u8; 4], [u8; 3]> = Transform::new(
            &press,
            PixelFormat::CMYK_8,
            &Profile::new_srgb(),
            PixelFormat::RGB_8,
            Intent::Perceptual,
        )
        .map_err(colour)?;
        let pixels: Vec<[u8; 4]> = inks
            .chunks_exact(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect();
        let mut out = vec![[0u8; 3]; pixels.len()];
        transform.transform_pixels(&pixels, &mut out);
        return RgbImage::from_raw(width, height, out.into_iter().flatten().collect())
            .ok_or_else(|| PhotoError::Decode("pixel count".into()));
    }
    let (image, icc) = photo::decode(bytes)?;
    let mut rgb = photo::flatten(image);
    if icc.is_some() {
        let source = photo::source_profile(icc.as_deref());
        let transform: Transform<[u8; 3], [u8; 3]> = Transform::new_flags(
            &source,
            PixelFormat::RGB_8,
            &Profile::new_srgb(),
            PixelFormat::RGB_8,
            Intent::Perceptual,
            Flags::BLACKPOINT_COMPENSATION,
        )
        .map_err(colour)?;
        transform.transform_in_place(bytemuck_rgb(&mut rgb));
    }
    Ok(rgb)
}

/// The image's pixels as RGB triples, to convert in place.
fn bytemuck_rgb(image: &mut RgbImage) -> &mut [[u8; 3]] {
    let raw: &mut [u8] = image;
    let (triples, rest) = raw.as_chunks_mut::<3>();
    debug_assert!(rest.is_empty());
    triples
}

/// `rgb` no wider than `width` (never enlarged), as a JPEG.
fn picture(rgb: &RgbImage, width: u32) -> Result<Picture, PhotoError> {
    let (w, h) = rgb.dimensions();
    let (new_w, new_h) = if w > width {
        let scaled = (f64::from(h) * f64::from(width) / f64::from(w)).round() as u32;
        (width, scaled.max(1))
    } else {
        (w, h)
    };
    let pixels = if (new_w, new_h) == (w, h) {
        rgb.as_raw().clone()
    } else {
        resample::area::<3>(rgb.as_raw(), w, h, new_w, new_h)
    };
    let encode = |e: jpeg_encoder::EncodingError| PhotoError::Encode(e.to_string());
    let (ew, eh) = (
        u16::try_from(new_w).map_err(|_| PhotoError::Encode("too wide".into()))?,
        u16::try_from(new_h).map_err(|_| PhotoError::Encode("too tall".into()))?,
    );
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, JPEG_QUALITY)
        .encode(&pixels, ew, eh, jpeg_encoder::ColorType::Rgb)
        .map_err(encode)?;
    Ok(Picture {
        jpeg,
        width: new_w,
        height: new_h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
        let image = RgbImage::from_pixel(width, height, image::Rgb(colour));
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    #[test]
    fn photos_are_made_smaller_for_screens_and_never_larger() {
        let big = web_photo(&jpeg(2600, 1430, [200, 120, 40])).unwrap();
        assert_eq!((big.screen.width, big.screen.height), (960, 528));
        assert_eq!((big.large.width, big.large.height), (1920, 1056));
        let small = web_photo(&jpeg(700, 500, [200, 120, 40])).unwrap();
        assert_eq!((small.screen.width, small.large.width), (700, 700));
    }

    #[test]
    fn kept_pictures_read_back_the_same() {
        let photo = web_photo(&jpeg(1200, 800, [10, 200, 90])).unwrap();
        let kept = WebPhoto::from_bytes(&photo.to_bytes()).unwrap();
        assert_eq!(kept.screen.jpeg, photo.screen.jpeg);
        assert_eq!((kept.large.width, kept.large.height), (1200, 800));
        let bytes = photo.to_bytes();
        assert!(WebPhoto::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        assert!(WebPhoto::from_bytes(b"JPEG").is_none());
    }

    #[test]
    fn a_cmyk_photo_is_shown_as_the_press_prints_it() {
        // Full cyan ink alone (the encoder stores it inverted, as CMYK JPEGs are) is a blue.
        let cyan = [255, 0, 0, 0];
        let pixels: Vec<u8> = std::iter::repeat_n(cyan, 64 * 64).flatten().collect();
        let mut cmyk = Vec::new();
        jpeg_encoder::Encoder::new(&mut cmyk, 95)
            .encode(&pixels, 64, 64, jpeg_encoder::ColorType::Cmyk)
            .unwrap();
        let photo = web_photo(&cmyk).unwrap();
        let decoded = image::load_from_memory(&photo.screen.jpeg)
            .unwrap()
            .to_rgb8();
        let [r, g, b] = decoded.get_pixel(32, 32).0;
        assert!(r < 60 && g > 120 && b > 200, "cyan shows as {r} {g} {b}");
    }
}
