//! Compresses the press profile once, at compile time, so each build embeds it in the PDF's
//! output intent without paying for the compression (about 34 ms for its 557 KB).

use std::path::PathBuf;

fn main() {
    let profile = "src/print/icc/JapanColor2001Coated.icc";
    println!("cargo:rerun-if-changed={profile}");
    let bytes = std::fs::read(profile).expect("the press profile is in the repository");
    // zlib (FlateDecode) at the best ratio; deterministic for the same input.
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 10);
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("JapanColor2001Coated.icc.zlib");
    std::fs::write(out, compressed).expect("OUT_DIR is writable");

    // The photo pipeline's fingerprint: converted photos kept on disk are used only by a koho
    // built from the same conversion code (and profile); the same for soft proofs.
    for (pipeline, variable, with_profile) in [
        ("src/print/photo.rs", "KOHO_PHOTO_PIPELINE", true),
        ("src/render/softproof.rs", "KOHO_SOFTPROOF_PIPELINE", true),
        ("src/render/resample.rs", "KOHO_RESAMPLE", false),
        ("src/print/preflight.rs", "KOHO_PREFLIGHT", false),
        ("src/web/images.rs", "KOHO_WEB_PICTURES", true),
        ("src/content/photo.rs", "KOHO_PHOTO_INSPECT", false),
    ] {
        println!("cargo:rerun-if-changed={pipeline}");
        let code = std::fs::read(pipeline).expect("the pipeline is in the repository");
        let profile: &[u8] = if with_profile { &bytes } else { &[] };
        println!(
            "cargo:rustc-env={variable}={:016x}",
            fnv1a(code.iter().chain(profile))
        );
    }
}

/// The 64-bit FNV-1a hash of `bytes`.
fn fnv1a<'a>(bytes: impl Iterator<Item = &'a u8>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
