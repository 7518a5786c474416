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
}
