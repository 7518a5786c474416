//! The print condition koho prints for: Japan Color 2001 Coated (JC200103), DESIGN §4.

/// The press profile, as Adobe distributes it.
pub const PROFILE: &[u8] = include_bytes!("icc/JapanColor2001Coated.icc");
/// The same profile, zlib-compressed at compile time, for the PDF's output intent.
pub const PROFILE_ZLIB: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/JapanColor2001Coated.icc.zlib"));

/// The characterization the output intent names.
pub const CONDITION_IDENTIFIER: &str = "JC200103";
/// The human-readable name of the condition (the profile's description).
pub const CONDITION: &str = "Japan Color 2001 Coated";
/// Where the characterization is registered.
pub const REGISTRY: &str = "http://www.color.org";
/// The PDF/X version koho writes.
pub const PDFX_VERSION: &str = "PDF/X-4";
/// The most ink anywhere on the page, in percent: Japanese magazine printers ask for 320 %
/// (the condition itself allows 350).
pub const MAX_TOTAL_INK: u32 = 320;
