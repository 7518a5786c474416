//! Fuzzes the whole loader: any bytes as a page file, as `issue.yaml` or as a kind's
//! `schema.yaml` must give either a value or diagnostics — never a panic, a hang or a huge
//! allocation — and every diagnostic must render as text and JSON.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use koho::content::{self, AvailableLayouts};
use koho::diag::{Diagnostic, Lang, render};

const ISSUE: &str = "magazine: 広報\nissue_date: 2026-06-01\npages:\n  - file: p.yaml\n    folio: 1\n";
const PAGE: &str = "layout: pledge-progress\nsection: s\ntitle: t\nvisions:\n  - title: v\n    items:\n      - label: l\n        percent: 1\n";
/// A page of the fuzzed kind `f`: whatever its schema says, it is read without a panic.
const FUZZED_PAGE: &str = "layout: f\ntitle: t\nitems:\n  - label: l\n    percent: 1\n    date: 2026-02-30\n  - 3\nphoto: {file: images/x.jpg, alt: a}\n";

/// One scratch folder for the whole run, its files overwritten by each input.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("koho-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("issue/images")).unwrap();
        std::fs::create_dir_all(dir.join("layouts/f")).unwrap();
        std::fs::write(dir.join("layouts/f/page.typ"), "").unwrap();
        dir
    })
}

/// The project's own kinds (pledge-progress), read once.
fn project_kinds() -> &'static AvailableLayouts {
    static KINDS: OnceLock<AvailableLayouts> = OnceLock::new();
    KINDS.get_or_init(|| {
        let layouts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../layouts");
        let (kinds, problems) = koho::layout::available_kinds(&layouts, Path::new("layouts"));
        assert!(problems.is_empty(), "the project's schemas load: {problems:?}");
        kinds
    })
}

fn rendered(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let _ = render::human(d, Lang::Ja);
        let _ = render::json(d, Lang::En);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let dir = scratch();
    let issue_dir = dir.join("issue");
    // The selector picks what the bytes are: a page file, issue.yaml, or a schema.
    let (issue, page, kinds): (&[u8], &[u8], AvailableLayouts) = match selector % 3 {
        0 => (ISSUE.as_bytes(), rest, project_kinds().clone()),
        1 => (rest, PAGE.as_bytes(), project_kinds().clone()),
        _ => {
            std::fs::write(dir.join("layouts/f/schema.yaml"), rest).unwrap();
            let (kinds, problems) =
                koho::layout::available_kinds(&dir.join("layouts"), Path::new("layouts"));
            rendered(&problems);
            assert!(
                problems.is_empty() == kinds.get("f").is_some_and(Option::is_some),
                "a schema with problems is not used, one without is"
            );
            (ISSUE.as_bytes(), FUZZED_PAGE.as_bytes(), kinds)
        }
    };
    std::fs::write(issue_dir.join("issue.yaml"), issue).unwrap();
    std::fs::write(issue_dir.join("p.yaml"), page).unwrap();
    let outcome = content::load(&issue_dir, Path::new("issue"), &kinds);
    assert!(
        outcome.issue.is_some() != !outcome.diagnostics.is_empty(),
        "an issue with problems, or no issue and no problem: {:?}",
        outcome.diagnostics
    );
    rendered(&outcome.diagnostics);
});
