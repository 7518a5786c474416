//! Fuzzes the whole loader: any bytes as a page file (or as `issue.yaml`) must give either an
//! issue or diagnostics — never a panic, a hang or a huge allocation — and every diagnostic
//! must render as text and JSON.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use koho::content::{self, AvailableLayouts, LayoutRules};
use koho::content::photo::PhotoRequirement;
use koho::diag::{Lang, render};

const ISSUE: &str = "magazine: 広報\nissue_date: 2026-06-01\npages:\n  - file: p.yaml\n    folio: 1\n";
const PAGE: &str = "layout: pledge-progress\nsection: s\ntitle: t\nvisions:\n  - title: v\n    items:\n      - label: l\n        percent: 1\n";

/// One issue folder for the whole run, its files overwritten by each input.
fn issue_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("koho-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("images")).unwrap();
        dir
    })
}

fn layouts() -> AvailableLayouts {
    let rules = LayoutRules {
        photo: Some(PhotoRequirement { frame_mm: (60.0, 40.0), min_ppi: 300 }),
    };
    [("pledge-progress".to_owned(), rules)].into_iter().collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let dir = issue_dir();
    // Even selectors fuzz the page file, odd ones issue.yaml.
    let (issue, page): (&[u8], &[u8]) = if selector % 2 == 0 {
        (ISSUE.as_bytes(), rest)
    } else {
        (rest, PAGE.as_bytes())
    };
    std::fs::write(dir.join("issue.yaml"), issue).unwrap();
    std::fs::write(dir.join("p.yaml"), page).unwrap();
    let outcome = content::load(dir, Path::new("issue"), &layouts());
    assert!(
        outcome.issue.is_some() != !outcome.diagnostics.is_empty(),
        "an issue with problems, or no issue and no problem: {:?}",
        outcome.diagnostics
    );
    for d in &outcome.diagnostics {
        let _ = render::human(d, Lang::Ja);
        let _ = render::json(d, Lang::En);
    }
});
