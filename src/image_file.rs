//! What koho reads of image files from their bytes alone, shared by the content checks (which
//! decode photos to prove them whole) and the press conversion (which decodes them again to
//! convert them): the largest side koho decodes, and the marker segments of a JPEG.

/// The longest side koho decodes. A full A4 page at 1000 ppi is 8268 pixels long; anything
/// beyond this is a mistake or a decompression bomb.
pub const MAX_PHOTO_SIDE: u32 = 12_000;

/// SOF0–SOF15: a frame header, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
pub fn is_frame_header(code: u8) -> bool {
    (0xC0..=0xCF).contains(&code) && ![0xC4, 0xC8, 0xCC].contains(&code)
}

/// The JPEG markers koho reads.
mod marker {
    /// Start of a marker.
    pub const PREFIX: u8 = 0xFF;
    /// Start of image.
    pub const SOI: u8 = 0xD8;
    /// End of image.
    pub const EOI: u8 = 0xD9;
    /// Start of scan: entropy-coded data follows.
    pub const SOS: u8 = 0xDA;
}

/// Walks the JPEG's marker segments up to the first scan, calling `visit(marker, payload)`.
/// Returns the byte where the first scan's data starts.
pub fn walk_jpeg_headers(bytes: &[u8], mut visit: impl FnMut(u8, &[u8])) -> Option<usize> {
    if bytes.get(..2)? != [marker::PREFIX, marker::SOI] {
        return None;
    }
    let mut at = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while *bytes.get(at)? == marker::PREFIX && *bytes.get(at + 1)? == marker::PREFIX {
            at += 1;
        }
        if *bytes.get(at)? != marker::PREFIX {
            return None;
        }
        let code = *bytes.get(at + 1)?;
        let length = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]) as usize;
        let payload = bytes.get(at + 4..at + 2 + length)?;
        visit(code, payload);
        at += 2 + length;
        if code == marker::SOS {
            return Some(at);
        }
    }
}

/// The number of colour components in a JPEG's frame header (4 for CMYK).
pub fn jpeg_component_count(bytes: &[u8]) -> Option<u8> {
    let mut count = None;
    walk_jpeg_headers(bytes, |code, payload| {
        if is_frame_header(code) && count.is_none() {
            count = payload.get(5).copied();
        }
    });
    count
}

/// True when an end-of-image marker follows the first scan (a truncated copy has none).
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(scan_start) = walk_jpeg_headers(bytes, |_, _| {}) else {
        return false;
    };
    bytes[scan_start..]
        .windows(2)
        .any(|w| w == [marker::PREFIX, marker::EOI])
}
