//! SHA-256, as koho records it everywhere (photo identities, archive manifests): lowercase hex.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// How much of a file is read at a time while hashing it.
const CHUNK: usize = 1 << 20;

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of the file at `path`, read in chunks (a large file is never held whole), and
/// its size in bytes.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    sha256_reader(std::fs::File::open(path)?)
}

/// The SHA-256 of all `reader` gives, read in chunks, and how many bytes that was.
pub fn sha256_reader(mut reader: impl Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; CHUNK];
    let mut size = 0u64;
    loop {
        let read = reader.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        size += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((hex(&hasher.finalize()), size))
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(digest.len() * 2);
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_of_bytes_and_files_alike() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_hex(b"abc"), abc);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(sha256_file(&path).unwrap(), (abc.to_owned(), 3));
        // Across chunk boundaries too.
        let big = vec![7u8; CHUNK * 2 + 5];
        std::fs::write(&path, &big).unwrap();
        assert_eq!(sha256_file(&path).unwrap().0, sha256_hex(&big));
    }
}
