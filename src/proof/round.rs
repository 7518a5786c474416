//! Proof rounds: their names (初校, 再校, 三校, 念校), their folders (`r1`, `r2`…) and which
//! round comes next.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

/// A proof round, counted from 1 (初校).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Round(NonZeroU32);

impl Round {
    /// The first round, 初校.
    pub const FIRST: Round = Round(NonZeroU32::MIN);

    /// Round `n`, if `n` is at least 1.
    pub fn new(n: u32) -> Option<Self> {
        NonZeroU32::new(n).map(Round)
    }

    /// The round's number.
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// The round before this one, if any.
    pub fn previous(self) -> Option<Round> {
        Round::new(self.get() - 1)
    }

    /// The round after this one.
    pub fn next(self) -> Round {
        Round(self.0.saturating_add(1))
    }

    /// The folder name, `r1`.
    pub fn dir_name(self) -> String {
        format!("r{}", self.get())
    }
}

/// The rounds already made under `proof_dir` (folders `r<N>` holding a finished round), in
/// order. A folder being written (a temporary name) is not a round.
pub fn existing(proof_dir: &Path) -> Vec<Round> {
    let Ok(entries) = std::fs::read_dir(proof_dir) else {
        return Vec::new();
    };
    let mut rounds: Vec<Round> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let digits = name.strip_prefix('r')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Round::new(digits.parse().ok()?)
        })
        .collect();
    rounds.sort();
    rounds
}

/// The round after the last one made (初校 when there is none).
pub fn next_free(proof_dir: &Path) -> Round {
    existing(proof_dir)
        .last()
        .map_or(Round::FIRST, |last| last.next())
}

/// The folder of `round` under `proof_dir`.
pub fn dir(proof_dir: &Path, round: Round) -> PathBuf {
    proof_dir.join(round.dir_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_count_from_one() {
        assert_eq!(Round::new(0), None);
        assert_eq!(Round::new(3).map(Round::get), Some(3));
    }

    #[test]
    fn the_next_round_follows_the_last_made() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(next_free(dir.path()), Round::FIRST);
        for name in ["r1", "r2", "r10", "rx", "r", ".r3.tmp"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join("r11"), b"a file, not a round").unwrap();
        let made: Vec<u32> = existing(dir.path()).iter().map(|r| r.get()).collect();
        assert_eq!(made, [1, 2, 10]);
        assert_eq!(next_free(dir.path()).get(), 11);
    }
}
