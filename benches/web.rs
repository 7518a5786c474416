//! The web edition of the sample, timed: `cargo bench --bench web`.
//!
//! `koho web` on the 16-page sample issue (content/2026-06) in a copy of the project of its
//! own: the first run (press photos converted for typesetting, every picture for screens
//! made) and the runs after it (the converted photos kept in `out/.cache`), each with its wall
//! time and the peak memory of the process; then the split, in process, between the check
//! and typesetting the web edition shares with print, and the web edition itself (pages,
//! pictures, reading texts, the PDF/UA-1). Target (issue 16): the web edition in ≤ 1 s on
//! two cores. Nothing here asserts: it measures and prints.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Ran, copy_tree, median, ms, run, summary};

const RUNS: usize = 5;
const SAMPLE: &str = "content/2026-06";
const TARGET_MS: f64 = 1000.0;

/// A copy of the project: its layouts and content, its fonts linked.
fn project(root: &Path) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    copy_tree(&root.join("layouts"), &work.path().join("layouts"));
    copy_tree(&root.join("content"), &work.path().join("content"));
    std::os::unix::fs::symlink(root.join("fonts"), work.path().join("fonts")).unwrap();
    work
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let koho = env!("CARGO_BIN_EXE_koho");
    let args = ["web", SAMPLE, "--quiet"];
    println!("\n== the 16-page sample issue ({SAMPLE}): koho web");

    let work = project(&root);
    let first = run(koho, &args, work.path()).expect("the web edition is made");
    println!(
        "  first run (photos converted)           {:>7.0} ms   peak {:>4.0} MB",
        ms(first.wall),
        first.peak_mb
    );
    let again: Vec<Ran> = (0..RUNS)
        .filter_map(|_| run(koho, &args, work.path()))
        .collect();
    let (wall, peak) = summary(&again);
    println!(
        "  again (median of {RUNS})                  {:>7.0} ms   peak {peak:>4.0} MB   (≤ {TARGET_MS:.0} ms: {})",
        ms(wall),
        if ms(wall) <= TARGET_MS {
            "met"
        } else {
            "NOT met"
        }
    );

    // In process: what the web edition shares with print, and what is its own.
    let located = koho::project::Project::find(work.path()).unwrap();
    let issue = work.path().join(SAMPLE);
    // The first run in this process typesets from nothing; later ones find typst's memos.
    let mut timings: Vec<koho::web::WebTimings> = Vec::new();
    for _ in 0..RUNS {
        let report = koho::web::web(&located, &issue, work.path(), &|_| {});
        assert!(report.diagnostics.is_empty(), "the sample's web edition");
        timings.push(report.timings);
    }
    println!("  in process (the first run; later ones find typst's memos):");
    let first = timings[0];
    for (label, took) in [
        ("check and typesetting (as for print)", first.check),
        ("pages, pictures, reading texts", first.pages),
        ("the PDF/UA-1, beside them", first.pdf),
        ("putting the folder in place", first.write),
    ] {
        println!("    {label:<38} {:>7.0} ms", ms(took));
    }
    let later = |part: fn(&koho::web::WebTimings) -> Duration| {
        ms(median(timings[1..].iter().map(part).collect()))
    };
    println!(
        "  later runs, median: check {:.0} ms, pages {:.0} ms, PDF {:.0} ms, write {:.0} ms",
        later(|t| t.check),
        later(|t| t.pages),
        later(|t| t.pdf),
        later(|t| t.write)
    );
}
