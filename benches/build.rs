//! The sample builds, timed: `cargo bench --bench build`.
//!
//! For the 16-page sample issue (content/2026-06) and for its pledge page alone (an offprint
//! of folio 4): the wall time of each phase of `koho build` (in process), the wall time and
//! peak memory of the `koho build` command, and — where a typst compiler is installed (the
//! `typst` CLI at the version in Cargo.lock, or else the `typst` Python module) — the same
//! pages compiled from `--emit-typst` by typst alone, with the ratio. Targets (issue 13): the
//! whole build ≤ 2 s and ≤ 1.5 × typst, the one page ≤ 1.5 × typst, peak RSS ≤ 400 MB.
//! Nothing here asserts: it measures and prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const TARGET_RATIO: f64 = 1.5;
const TARGET_RSS_MB: f64 = 400.0;
const TARGET_WHOLE_MS: f64 = 2000.0;

/// Reads one phase's time out of a build's timings.
type PhaseOf = fn(&koho::build::Timings) -> Duration;

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory of the children waited for so far, in MB (Linux: ru_maxrss in KB).
fn children_peak_rss_mb() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn time_command(program: &str, args: &[&str], dir: &Path) -> Option<Duration> {
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    status.status.success().then(|| started.elapsed())
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let project = koho::Project::find(&root).unwrap();
    let work = tempfile::tempdir().unwrap();
    measure(
        &root,
        &project,
        "content/2026-06",
        "the 16-page sample issue",
        true,
    );
    // The pledge page alone, as an offprint (an issue folder outside content/, built with the
    // project's layouts and fonts).
    let one = work.path().join("one-page");
    std::fs::create_dir_all(&one).unwrap();
    let sample = root.join("content/2026-06");
    std::fs::copy(
        sample.join("p04-pledge-progress.yaml"),
        one.join("p04-pledge-progress.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(one.join("images")).unwrap();
    for photo in ["entrance-gift.jpg", "grampus-camp.jpg"] {
        std::fs::copy(
            sample.join("images").join(photo),
            one.join("images").join(photo),
        )
        .unwrap();
    }
    std::fs::write(
        one.join("issue.yaml"),
        "magazine: 広報とまこまい\nissue_date: 2026-06-01\nnumber: 850\noffprint: true\npages:\n  - file: p04-pledge-progress.yaml\n    folio: 4\n",
    )
    .unwrap();
    measure(
        &root,
        &project,
        one.to_str().unwrap(),
        "the pledge page alone",
        false,
    );
}

/// Measures the build of `issue` (relative to `root`) and prints the figures.
fn measure(root: &Path, project: &koho::Project, issue_rel: &str, label: &str, whole: bool) {
    let root = root.to_path_buf();
    let issue = root.join(issue_rel);
    let work = tempfile::tempdir().unwrap();
    println!("\n== {label} ({issue_rel})");

    // In process: the split by phase.
    let mut phases: Vec<koho::build::Timings> = Vec::new();
    for _ in 0..RUNS {
        // Each run starts cold, as a fresh `koho build` does: typst's memoised results from
        // the run before are dropped.
        typst::comemo::evict(0);
        let options = koho::BuildOptions {
            output: Some(work.path().join("bench.pdf")),
            emit_typst: None,
        };
        let report = koho::build(project, &issue, &root, &options, &|_| {});
        assert!(report.diagnostics.is_empty(), "the sample must build");
        phases.push(report.timings);
    }
    println!("koho build {issue_rel} — {RUNS} runs in process, median per phase");
    let rows: [(&str, PhaseOf); 7] = [
        ("load + check", |t| t.check),
        ("compile (typst layout)", |t| t.compile - t.photos),
        ("photos → press CMYK", |t| t.photos),
        ("PDF export", |t| t.pdf),
        ("finishing + preflight", |t| t.finish),
        ("previews (beside the PDF)", |t| t.previews),
        ("write files", |t| t.write),
    ];
    let mut total = Duration::ZERO;
    for (name, get) in rows {
        let m = median(phases.iter().map(get).collect());
        total += m;
        println!("  {name:<26} {:>8.1} ms", ms(m));
    }
    println!("  {:<26} {:>8.1} ms", "sum of medians", ms(total));
    let typst_own = median(
        phases
            .iter()
            .map(|t| t.compile - t.photos + t.pdf)
            .collect(),
    );
    let print_adds = median(phases.iter().map(|t| t.finish + t.photos).collect());
    let share = 100.0 * ms(print_adds) / ms(typst_own);
    println!(
        "  print finishing + photo conversion add {:.1} ms = {share:.0} % of typst's own compile + export ({:.1} ms; target ≤ 50 %: {})",
        ms(print_adds),
        ms(typst_own),
        if share <= 50.0 { "met" } else { "NOT met" }
    );

    // As a user runs it: a fresh process each time.
    let koho_bin = env!("CARGO_BIN_EXE_koho");
    let pdf = work.path().join("cli.pdf");
    let args = ["build", issue_rel, "--quiet", "-o", pdf.to_str().unwrap()];
    let runs: Vec<Duration> = (0..RUNS)
        .filter_map(|_| time_command(koho_bin, &args, &root))
        .collect();
    let koho_wall = median(runs);
    let rss = children_peak_rss_mb();
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "koho build (command, {RUNS} runs): median {:.1} ms{}, peak RSS so far {rss:.0} MB (target ≤ {TARGET_RSS_MB:.0} MB: {})",
        ms(koho_wall),
        if whole {
            format!(
                " (target ≤ {TARGET_WHOLE_MS:.0} ms: {})",
                met(ms(koho_wall) <= TARGET_WHOLE_MS)
            )
        } else {
            String::new()
        },
        met(rss <= TARGET_RSS_MB)
    );

    // typst alone on the same page.
    let src = work.path().join("typst-src");
    let emit = Command::new(koho_bin)
        .args(["build", issue_rel, "--quiet", "-o"])
        .arg(work.path().join("emit.pdf"))
        .arg("--emit-typst")
        .arg(&src)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(emit.status.success());
    let fonts = root.join("fonts");
    let main = src.join("main.typ");
    let out = work.path().join("typst.pdf");
    let cli_args = [
        "compile",
        main.to_str().unwrap(),
        out.to_str().unwrap(),
        "--font-path",
        fonts.to_str().unwrap(),
        "--ignore-system-fonts",
    ];
    let python = format!(
        "import typst; typst.compile({:?}, output={:?}, font_paths=[{:?}], ignore_system_fonts=True)",
        main.to_str().unwrap(),
        out.to_str().unwrap(),
        fonts.to_str().unwrap()
    );
    let (label, runs): (&str, Vec<Duration>) = if time_command("typst", &["--version"], &root)
        .is_some()
    {
        (
            "typst compile (CLI)",
            (0..RUNS)
                .filter_map(|_| time_command("typst", &cli_args, &root))
                .collect(),
        )
    } else if time_command("python3", &["-c", "import typst"], &root).is_some() {
        (
            "typst.compile (Python module, includes interpreter start)",
            (0..RUNS)
                .filter_map(|_| time_command("python3", &["-c", &python], &root))
                .collect(),
        )
    } else {
        println!(
            "typst is not installed (cargo install typst-cli --locked --version 0.15.1): no comparison"
        );
        return;
    };
    if runs.is_empty() {
        println!("{label} failed on the emitted sources");
        return;
    }
    let typst_wall = median(runs);
    let ratio = ms(koho_wall) / ms(typst_wall);
    println!("{label}: median {:.1} ms", ms(typst_wall));
    println!(
        "ratio koho build / typst: {ratio:.2} (target ≤ {TARGET_RATIO}: {})",
        if ratio <= TARGET_RATIO {
            "met"
        } else {
            "NOT met"
        }
    );
}
