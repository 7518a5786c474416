//! The sample builds, timed: `cargo bench --bench build`.
//!
//! For the 16-page sample issue (content/2026-06) and for its pledge page alone (an offprint
//! of folio 4), each in a copy of the project of its own (so that nothing kept in `out/.cache`
//! by another run counts):
//! - the `koho build` command as an editor meets it — the first build (photos converted, soft
//!   proofs made, every page drawn), a rebuild after one page changed (that page drawn again),
//!   a rebuild of nothing changed — each with its wall time and the peak memory of the process;
//! - the same pages compiled by typst alone from `--emit-typst` (the `typst` CLI at the version
//!   in Cargo.lock: `cargo install typst-cli --locked --version 0.15.1`), and each ratio;
//! - the split of a build by phase, in process.
//!
//! Targets (issue 13): the whole build ≤ 2 s and ≤ 1.5 × typst, the one page ≤ 1.5 × typst,
//! peak RSS ≤ 400 MB. The commands run first, from a small process: a child's peak memory
//! counts its parent's pages until it starts its own program. Nothing here asserts: it
//! measures and prints.

mod common;

use common::{Ran, copy_tree, median, ms, run, summary};
use std::path::{Path, PathBuf};
use std::time::Duration;

const RUNS: usize = 5;
const FIRST_BUILDS: usize = 3;
const TARGET_RATIO: f64 = 1.5;
const TARGET_RSS_MB: f64 = 400.0;
const TARGET_WHOLE_MS: f64 = 2000.0;
const SAMPLE: &str = "content/2026-06";
/// The page edited between rebuilds, and the figure toggled in it (the vision's mean stays
/// the same either way, so every edit is a good one).
const EDITED_PAGE: &str = "p04-pledge-progress.yaml";
const EDITED_FIGURE: (&str, &str) = ("percent: 95", "percent: 96");

/// Reads one phase's time out of a build's timings.
type PhaseOf = fn(&koho::build::Timings) -> Duration;

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

/// One thing to build: a label, and how to lay out its project copy.
#[derive(Clone, Copy)]
struct Case {
    label: &'static str,
    /// The issue folder inside the copy.
    issue: &'static str,
    /// Whether this is the whole issue (the 2 s target is for it).
    whole: bool,
}

const CASES: [Case; 2] = [
    Case {
        label: "the 16-page sample issue",
        issue: SAMPLE,
        whole: true,
    },
    Case {
        label: "the pledge page alone",
        issue: "content/one-page",
        whole: false,
    },
];

impl Case {
    /// A fresh copy of the project holding this case's issue (layouts copied, fonts linked,
    /// `out/` empty).
    fn project(&self, root: &Path) -> tempfile::TempDir {
        let work = tempfile::tempdir().unwrap();
        copy_tree(&root.join("layouts"), &work.path().join("layouts"));
        std::os::unix::fs::symlink(root.join("fonts"), work.path().join("fonts")).unwrap();
        let sample = root.join(SAMPLE);
        if self.whole {
            // The whole content folder: the sample's 前月比 come from the issue before it.
            copy_tree(&root.join("content"), &work.path().join("content"));
        } else {
            let one = work.path().join(self.issue);
            std::fs::create_dir_all(one.join("images")).unwrap();
            std::fs::copy(sample.join(EDITED_PAGE), one.join(EDITED_PAGE)).unwrap();
            for photo in ["entrance-gift.jpg", "grampus-camp.jpg"] {
                let (from, to) = (sample.join("images"), one.join("images"));
                std::fs::copy(from.join(photo), to.join(photo)).unwrap();
            }
            std::fs::write(
                one.join("issue.yaml"),
                "magazine: 広報とまこまい\nissue_date: 2026-06-01\nnumber: 850\noffprint: true\npages:\n  - file: p04-pledge-progress.yaml\n    folio: 4\n",
            )
            .unwrap();
        }
        work
    }

    /// Changes one figure of the edited page (back and forth by `turn`).
    fn edit(&self, project: &Path, turn: usize) {
        let path = project.join(self.issue).join(EDITED_PAGE);
        let text = std::fs::read_to_string(&path).unwrap();
        let (a, b) = EDITED_FIGURE;
        let (from, to) = if turn.is_multiple_of(2) {
            (a, b)
        } else {
            (b, a)
        };
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for case in CASES {
        commands(&root, case);
    }
    for case in CASES {
        phases(&root, case);
    }
}

/// The `koho build` command and typst's CLI on `case`, as an editor and a typesetter run them.
fn commands(root: &Path, case: Case) {
    let koho = env!("CARGO_BIN_EXE_koho");
    let args = ["build", case.issue, "--quiet"];
    println!("\n== {} ({}): the commands", case.label, case.issue);

    let first: Vec<Ran> = (0..FIRST_BUILDS)
        .filter_map(|_| run(koho, &args, case.project(root).path()))
        .collect();
    let project = case.project(root);
    let dir = project.path();
    run(koho, &args, dir).expect("the sample builds");
    let changed: Vec<Ran> = (0..RUNS)
        .filter_map(|turn| {
            case.edit(dir, turn);
            run(koho, &args, dir)
        })
        .collect();
    let unchanged: Vec<Ran> = (0..RUNS).filter_map(|_| run(koho, &args, dir)).collect();

    let src = dir.join("typst-src");
    let emitted = run(
        koho,
        &["build", case.issue, "--quiet", "--emit-typst", "typst-src"],
        dir,
    );
    assert!(emitted.is_some(), "--emit-typst works");
    let fonts = root.join("fonts");
    let (main, out) = (src.join("main.typ"), dir.join("typst.pdf"));
    let typst_args = [
        "compile",
        main.to_str().unwrap(),
        out.to_str().unwrap(),
        "--font-path",
        fonts.to_str().unwrap(),
        "--ignore-system-fonts",
    ];
    let typst: Vec<Ran> = (0..RUNS)
        .filter_map(|_| run("typst", &typst_args, dir))
        .collect();
    let typst = (!typst.is_empty()).then(|| summary(&typst));
    match typst {
        Some((wall, peak)) => println!(
            "  typst compile (CLI) of the same pages   {:>7.0} ms   peak {peak:>4.0} MB",
            ms(wall)
        ),
        None => println!(
            "  typst is not installed (cargo install typst-cli --locked --version 0.15.1): no ratio"
        ),
    }
    for (name, runs) in [
        ("first build (nothing kept)", &first),
        ("after one page changed", &changed),
        ("nothing changed", &unchanged),
    ] {
        if runs.is_empty() {
            println!("  {name}: failed");
            continue;
        }
        let (wall, peak) = summary(runs);
        let ratio = typst.map(|(t, _)| ms(wall) / ms(t));
        let mut line = format!(
            "  koho build, {name:<27} {:>7.0} ms   peak {peak:>4.0} MB (≤ {TARGET_RSS_MB:.0}: {})",
            ms(wall),
            met(peak <= TARGET_RSS_MB)
        );
        if let Some(ratio) = ratio {
            line += &format!(
                "   {ratio:.2} × typst (≤ {TARGET_RATIO}: {})",
                met(ratio <= TARGET_RATIO)
            );
        }
        if case.whole {
            line += &format!(
                " (≤ {TARGET_WHOLE_MS:.0} ms: {})",
                met(ms(wall) <= TARGET_WHOLE_MS)
            );
        }
        println!("{line}");
    }
}

/// A build of `case` split by phase, in process: a first build and rebuilds after one page
/// changed.
fn phases(root: &Path, case: Case) {
    println!(
        "\n== {} ({}): a build by phase, in process",
        case.label, case.issue
    );
    let build = |dir: &Path| {
        let project = koho::Project::find(dir).unwrap();
        let report = koho::build(
            &project,
            &dir.join(case.issue),
            dir,
            &koho::BuildOptions::default(),
            &|_| {},
        );
        assert!(report.diagnostics.is_empty(), "the sample must build");
        report.timings
    };
    let first: Vec<koho::build::Timings> = (0..FIRST_BUILDS)
        .map(|_| {
            typst::comemo::evict(0);
            build(case.project(root).path())
        })
        .collect();
    let project = case.project(root);
    build(project.path());
    let changed: Vec<koho::build::Timings> = (0..RUNS)
        .map(|turn| {
            typst::comemo::evict(0);
            case.edit(project.path(), turn);
            build(project.path())
        })
        .collect();
    let rows: [(&str, PhaseOf); 8] = [
        ("load + check", |t| t.check),
        ("compile (typst layout)", |t| {
            t.compile - t.photos - t.proofread
        }),
        ("組版チェック (proofread)", |t| t.proofread),
        ("photos → press CMYK", |t| t.photos),
        ("PDF export", |t| t.pdf),
        ("finishing + preflight", |t| t.finish),
        ("previews (beside the PDF)", |t| t.previews),
        ("write files", |t| t.write),
    ];
    println!("  median of runs                  first build   one page changed");
    let (mut first_sum, mut changed_sum) = (Duration::ZERO, Duration::ZERO);
    for (name, get) in rows {
        let a = median(first.iter().map(get).collect());
        let b = median(changed.iter().map(get).collect());
        first_sum += a;
        changed_sum += b;
        println!("  {name:<28} {:>10.1} ms {:>14.1} ms", ms(a), ms(b));
    }
    println!(
        "  {:<28} {:>10.1} ms {:>14.1} ms",
        "sum",
        ms(first_sum),
        ms(changed_sum)
    );
    let drawn = |runs: &[koho::build::Timings]| runs.iter().map(|t| t.pages_drawn).max();
    println!(
        "  pages drawn for the previews  {:>10} {:>17}",
        drawn(&first).unwrap_or(0),
        drawn(&changed).unwrap_or(0)
    );
    println!(
        "  (in process, the photos converted by the first run stay in memory for the next: the\n   command's first build above converts them)"
    );
}
