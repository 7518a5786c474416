//! Photos: decoded once, under memory limits, to prove they are whole and to learn their size.

use std::fs;
use std::io::Cursor;
use std::path::Path;

use image::{ColorType, DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::diag::Problem;

pub use crate::image_file::MAX_PHOTO_SIDE;
use crate::image_file::{
    is_frame_header, jpeg_component_count, jpeg_is_complete, walk_jpeg_headers,
};
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// The largest photo file koho reads.
pub const MAX_PHOTO_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// The file formats koho places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PhotoFormat {
    /// JPEG (`.jpg`).
    Jpeg,
    /// PNG (`.png`).
    Png,
}

/// How the pixels are coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ColourModel {
    /// One channel.
    Gray,
    /// Red, green, blue.
    Rgb,
    /// Cyan, magenta, yellow, black (a JPEG made for print).
    Cmyk,
    /// Gray or RGB with transparency, to be flattened onto the page colour.
    WithAlpha,
}

/// What koho knows of a photo after decoding it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PhotoPixels {
    /// The file format.
    pub format: PhotoFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The colour model.
    pub colour: ColourModel,
    /// Whether the file carries its own ICC profile.
    pub has_icc_profile: bool,
}

/// What a layout asks of its photos: the frame each fills and the least resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhotoRequirement {
    /// The frame's width and height in millimetres (both positive).
    pub frame_mm: (f64, f64),
    /// The least effective resolution, in pixels per inch.
    pub min_ppi: u32,
}

/// Millimetres in an inch.
const MM_PER_INCH: f64 = 25.4;

impl PhotoRequirement {
    /// A photo's effective resolution in the frame it fills (cropped to fit, never
    /// letterboxed): the lower of its two axes.
    pub fn effective_ppi(&self, width_px: u32, height_px: u32) -> f64 {
        let across = f64::from(width_px) / (self.frame_mm.0 / MM_PER_INCH);
        let down = f64::from(height_px) / (self.frame_mm.1 / MM_PER_INCH);
        across.min(down)
    }

    /// The pixels the frame needs at the least resolution.
    pub fn pixels_needed(&self) -> (u32, u32) {
        let need = |mm: f64| (mm / MM_PER_INCH * f64::from(self.min_ppi)).ceil() as u32;
        (need(self.frame_mm.0), need(self.frame_mm.1))
    }

    /// The problem with `pixels` in this frame, if it would print too coarse.
    pub fn check(&self, pixels: &PhotoPixels, written: &str) -> Option<Problem> {
        let ppi = self.effective_ppi(pixels.width, pixels.height);
        if ppi >= f64::from(self.min_ppi) {
            return None;
        }
        let (need_width, need_height) = self.pixels_needed();
        Some(Problem::PhotoLowResolution {
            path: written.to_owned(),
            ppi: ppi.floor() as u32,
            min_ppi: self.min_ppi,
            width: pixels.width,
            height: pixels.height,
            need_width,
            need_height,
            frame_mm: self.frame_mm,
        })
    }
}

/// Decodes the photo at `path` (written as `written`), checking that it is a whole JPEG or
/// PNG of a sane size. Nothing is kept but its description.
pub fn inspect(path: &Path, written: &str) -> Result<PhotoPixels, Problem> {
    let metadata = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::FileMissing {
            path: written.to_owned(),
        },
        _ => Problem::FileUnreadable {
            path: written.to_owned(),
            reason: e.to_string(),
        },
    })?;
    if !metadata.is_file() {
        return Err(Problem::FileUnreadable {
            path: written.to_owned(),
            reason: "not a file".to_owned(),
        });
    }
    if metadata.len() > MAX_PHOTO_FILE_BYTES {
        return Err(Problem::FileTooLarge {
            bytes: metadata.len(),
            limit: MAX_PHOTO_FILE_BYTES,
        });
    }
    let bytes = fs::read(path).map_err(|e| Problem::FileUnreadable {
        path: written.to_owned(),
        reason: e.to_string(),
    })?;
    // The same bytes were found whole before (a long-running koho reads an unchanged photo on
    // every save): their description, without decoding them again.
    let hash = crate::hash::sha256_hex(&bytes);
    if let Some(pixels) = INSPECTED.lock().ok().and_then(|seen| {
        seen.iter()
            .find(|(h, _)| *h == hash)
            .map(|(_, p)| p.clone())
    }) {
        return Ok(pixels);
    }
    // Found whole by an earlier run, with the same checking code.
    let kept_key = format!("{hash}-{}", env!("KOHO_PHOTO_INSPECT"));
    let kept = KEPT_ON_DISK.lock().ok().and_then(|disk| disk.clone());
    let pixels = match kept
        .as_ref()
        .and_then(|disk| disk.get(&kept_key))
        .and_then(|json| serde_json::from_slice::<PhotoPixels>(&json).ok())
    {
        Some(pixels) => pixels,
        None => {
            let pixels = decode_checked(&bytes, written)?;
            if let (Some(disk), Ok(json)) = (&kept, serde_json::to_vec(&pixels)) {
                disk.put(&kept_key, &json);
            }
            pixels
        }
    };
    if let Ok(mut seen) = INSPECTED.lock() {
        if seen.len() >= INSPECTED_KEPT {
            seen.remove(0);
        }
        seen.push((hash, pixels.clone()));
    }
    Ok(pixels)
}

/// Where this process keeps what it learns of photos for the next one (`out/.cache/inspected/`
/// of the project being checked), if anywhere: decoding every photo of an issue to prove it
/// whole is a good part of a cold start.
static KEPT_ON_DISK: std::sync::Mutex<Option<crate::cache::DiskCache>> =
    std::sync::Mutex::new(None);

/// Keeps what [`inspect`] learns in `disk` from now on (and takes it from there).
pub fn keep_inspections_in(disk: crate::cache::DiskCache) {
    if let Ok(mut kept) = KEPT_ON_DISK.lock() {
        *kept = Some(disk);
    }
}

/// Photos found whole in this process, by their bytes' SHA-256.
static INSPECTED: std::sync::Mutex<Vec<(String, PhotoPixels)>> = std::sync::Mutex::new(Vec::new());
/// How many are remembered (more than an issue places).
const INSPECTED_KEPT: usize = 256;

/// `bytes` (written as `written`) decoded under limits: a whole JPEG or PNG of a sane size.
fn decode_checked(bytes: &[u8], written: &str) -> Result<PhotoPixels, Problem> {
    let broken = |reason: String| Problem::PhotoBroken {
        path: written.to_owned(),
        reason,
    };
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => PhotoFormat::Jpeg,
        Ok(ImageFormat::Png) => PhotoFormat::Png,
        Ok(other) => {
            return Err(Problem::PhotoFormat {
                path: written.to_owned(),
                format: format!("{other:?}").to_uppercase(),
            });
        }
        Err(_) => return Err(broken("not a JPEG or PNG file".to_owned())),
    };
    let image_format = match format {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
    };
    // The declared size is read from the header first, so a decompression bomb is refused
    // with its real dimensions before any decoder allocates for it.
    let declared = declared_size(format, bytes);
    if let Some((width, height)) = declared
        && (width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE)
    {
        return Err(Problem::PhotoTooLarge {
            path: written.to_owned(),
            width,
            height,
            max: MAX_PHOTO_SIDE,
        });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(limits.clone());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| decode_problem(e, written, declared))?;
    let (width, height) = decoder.dimensions();
    if width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE {
        return Err(Problem::PhotoTooLarge {
            path: written.to_owned(),
            width,
            height,
            max: MAX_PHOTO_SIDE,
        });
    }
    decoder
        .set_limits(limits)
        .map_err(|e| decode_problem(e, written, declared))?;
    let has_icc_profile = decoder.icc_profile().ok().flatten().is_some();
    let colour_type = decoder.color_type();
    let colour = match format {
        PhotoFormat::Jpeg if jpeg_component_count(bytes) == Some(4) => ColourModel::Cmyk,
        _ => match colour_type {
            ColorType::L8 | ColorType::L16 => ColourModel::Gray,
            ColorType::La8
            | ColorType::La16
            | ColorType::Rgba8
            | ColorType::Rgba16
            | ColorType::Rgba32F => ColourModel::WithAlpha,
            _ => ColourModel::Rgb,
        },
    };
    DynamicImage::from_decoder(decoder).map_err(|e| decode_problem(e, written, declared))?;
    if format == PhotoFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(broken(
            "the JPEG data ends before its end marker".to_owned(),
        ));
    }
    Ok(PhotoPixels {
        format,
        width,
        height,
        colour,
        has_icc_profile,
    })
}

fn decode_problem(error: ImageError, written: &str, declared: Option<(u32, u32)>) -> Problem {
    match error {
        // Within the side limit yet over the memory limit (e.g. 16-bit RGBA at full size).
        ImageError::Limits(_) => {
            let (width, height) = declared.unwrap_or((0, 0));
            Problem::PhotoTooLarge {
                path: written.to_owned(),
                width,
                height,
                max: MAX_PHOTO_SIDE,
            }
        }
        other => Problem::PhotoBroken {
            path: written.to_owned(),
            reason: other.to_string(),
        },
    }
}

/// The width and height a file's header declares, read without decoding.
fn declared_size(format: PhotoFormat, bytes: &[u8]) -> Option<(u32, u32)> {
    match format {
        // The signature (8 bytes), IHDR's length and type (8), then width and height.
        PhotoFormat::Png => {
            let be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
            Some((be(16)?, be(20)?))
        }
        PhotoFormat::Jpeg => {
            let mut size = None;
            walk_jpeg_headers(bytes, |code, payload| {
                if is_frame_header(code) && size.is_none() && payload.len() >= 5 {
                    let height = u16::from_be_bytes([payload[1], payload[2]]);
                    let width = u16::from_be_bytes([payload[3], payload[4]]);
                    size = Some((u32::from(width), u32::from(height)));
                }
            });
            size
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    #[test]
    fn what_a_run_learns_of_a_photo_is_kept_on_disk_for_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let disk = crate::cache::DiskCache::new(dir.path().join("inspected"), true, "json");
        keep_inspections_in(disk.clone());
        let file = dir.path().join("kept.jpg");
        let bytes = jpeg(211, 97);
        fs::write(&file, &bytes).unwrap();
        let pixels = inspect(&file, "kept.jpg").unwrap();
        assert_eq!((pixels.width, pixels.height), (211, 97));
        let key = format!(
            "{}-{}",
            crate::hash::sha256_hex(&bytes),
            env!("KOHO_PHOTO_INSPECT")
        );
        let kept: PhotoPixels = serde_json::from_slice(&disk.get(&key).unwrap()).unwrap();
        assert_eq!(kept, pixels);
        // A photo that does not decode is never kept: it is an error on every run.
        let broken = dir.path().join("broken.jpg");
        fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
        assert!(inspect(&broken, "broken.jpg").is_err());
        let half = format!(
            "{}-{}",
            crate::hash::sha256_hex(&bytes[..bytes.len() / 2]),
            env!("KOHO_PHOTO_INSPECT")
        );
        assert!(disk.get(&half).is_none());
    }

    #[test]
    fn resolution_is_the_weaker_axis() {
        let inch = PhotoRequirement {
            frame_mm: (25.4, 25.4),
            min_ppi: 300,
        };
        assert!((inch.effective_ppi(300, 300) - 300.0).abs() < 1e-9);
        let wide = PhotoRequirement {
            frame_mm: (50.8, 25.4),
            min_ppi: 300,
        };
        assert!((wide.effective_ppi(300, 600) - 150.0).abs() < 1e-9);
        let sample = PhotoRequirement {
            frame_mm: (58.0, 40.0),
            min_ppi: 300,
        };
        assert_eq!(sample.pixels_needed(), (686, 473));
    }

    #[test]
    fn reads_jpeg_headers() {
        let bytes = jpeg(16, 8);
        assert_eq!(jpeg_component_count(&bytes), Some(3));
        assert!(jpeg_is_complete(&bytes));
        assert!(!jpeg_is_complete(&bytes[..bytes.len() - 10]));
        assert_eq!(jpeg_component_count(b"not a jpeg"), None);
    }
}
