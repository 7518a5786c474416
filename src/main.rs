//! The `koho` command: parses arguments, calls the library, prints the report, sets the exit
//! code (0 success, 1 problems in the input, 2 usage errors).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use koho::content::model::PageContent;
use koho::diag::{Lang, render};
use koho::{CheckReport, KohoError, Phase, Project};

/// koho — 広報誌の誌面を原稿 (YAML) から作ります / print layouts for municipal PR magazines.
#[derive(Parser, Debug)]
#[command(name = "koho", version, about, propagate_version = true)]
struct Cli {
    /// メッセージの言語 (ja / en)。省略時は環境変数 LANG に従います / message language
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,

    /// 結果を JSON で出力します / print the report as JSON
    #[arg(long, global = true)]
    json: bool,

    /// 進み具合を表示しません / do not show progress
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 印刷用 PDF とプレビューを作ります / build the print PDF and previews
    Build {
        /// 号のフォルダー (省略時は発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
        /// PDF の書き出し先 (省略時は out/<号>/<号>.pdf) / where to write the PDF
        #[arg(short, long, value_name = "FILE.pdf")]
        output: Option<PathBuf>,
        /// ページを typst のソースとデータとしても書き出します / also write the page as typst source
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
    },
    /// PDF が印刷に使えるかを調べます / print-readiness report of any PDF
    Preflight {
        /// 調べる PDF / the PDF to check
        file: PathBuf,
    },
    /// 原稿を確認します (何も書き出しません) / check an issue, writing nothing
    Check {
        /// 号のフォルダー (省略時は content/ の中で発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match cli.lang {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    let result = match &cli.command {
        Command::Check { issue_dir } => run_check(&cli, lang, issue_dir.as_deref()),
        Command::Preflight { file } => Ok(run_preflight(&cli, lang, file)),
        Command::Build {
            issue_dir,
            output,
            emit_typst,
        } => {
            let options = koho::BuildOptions {
                output: output.clone(),
                emit_typst: emit_typst.clone(),
            };
            run_build(&cli, lang, issue_dir.as_deref(), &options)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            report_usage_error(&error, lang, cli.json);
            ExitCode::from(2)
        }
    }
}

/// The issue folder to work on: the one named, or the newest under `content/`.
fn choose_issue(
    project: &Project,
    named: Option<&Path>,
    lang: Lang,
    quiet: bool,
) -> Result<PathBuf, KohoError> {
    if let Some(dir) = named {
        if !dir.is_dir() {
            return Err(KohoError::NotAnIssueFolder {
                path: dir.to_path_buf(),
            });
        }
        return Ok(dir.to_path_buf());
    }
    let newest = project.newest_issue()?;
    if !quiet {
        for dir in &newest.unreadable {
            let note = match lang {
                Lang::Ja => format!(
                    "注意: {} の issue.yaml から発行日を読めないため、候補から外しました",
                    dir.display()
                ),
                Lang::En => format!(
                    "note: skipped {}: its issue.yaml has no readable issue_date",
                    dir.display()
                ),
            };
            eprintln!("{note}");
        }
    }
    Ok(newest.dir)
}

/// Where koho runs, its project, and the issue folder to work on (absolute).
fn locate(
    cli: &Cli,
    lang: Lang,
    named: Option<&Path>,
) -> Result<(PathBuf, Project, PathBuf), KohoError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let project = Project::find(&cwd)?;
    let issue_dir = choose_issue(&project, named, lang, cli.quiet)?;
    let issue_dir = if issue_dir.is_absolute() {
        issue_dir
    } else {
        cwd.join(issue_dir)
    };
    Ok((cwd, project, issue_dir))
}

fn run_check(cli: &Cli, lang: Lang, named: Option<&Path>) -> Result<ExitCode, KohoError> {
    let (cwd, project, issue_dir) = locate(cli, lang, named)?;
    if !cli.quiet && !cli.json {
        let shown = koho::project::shown(&issue_dir, &cwd);
        match lang {
            Lang::Ja => eprintln!("確認中: {}", shown.display()),
            Lang::En => eprintln!("checking {}", shown.display()),
        }
    }
    let report = koho::check(&project, &issue_dir, &cwd);
    if cli.json {
        print_json(&report, lang);
    } else if report.is_clean() {
        println!("{}", clean_summary(&report, lang));
    } else {
        eprint!("{}", render::human_report(&report.diagnostics, lang));
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_build(
    cli: &Cli,
    lang: Lang,
    named: Option<&Path>,
    options: &koho::BuildOptions,
) -> Result<ExitCode, KohoError> {
    let (cwd, project, issue_dir) = locate(cli, lang, named)?;
    let quiet = cli.quiet || cli.json;
    let progress = |phase: Phase| {
        if !quiet {
            eprintln!("{}", phase_words(phase, lang));
        }
    };
    let report = koho::build(&project, &issue_dir, &cwd, options, &progress);
    if cli.json {
        let errors = json_errors(&report.diagnostics, lang);
        let value = serde_json::json!({
            "command": "build",
            "issue": report.issue_dir.display().to_string(),
            "ok": report.diagnostics.is_empty(),
            "written": report.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "errors": errors,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else if report.diagnostics.is_empty() {
        for path in &report.written {
            println!("{}", path.display());
        }
    } else {
        eprint!("{}", render::human_report(&report.diagnostics, lang));
        let kept = match lang {
            Lang::Ja => "何も書き出していません (前の出力はそのまま残っています)",
            Lang::En => "nothing was written (earlier outputs are unchanged)",
        };
        eprintln!("{kept}");
    }
    Ok(if report.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_preflight(cli: &Cli, lang: Lang, file: &Path) -> ExitCode {
    use koho::print::preflight::{Expectations, preflight};
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = match lang {
                Lang::Ja => format!("{} を読めません ({e})", file.display()),
                Lang::En => format!("cannot read {} ({e})", file.display()),
            };
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match preflight(&bytes, &Expectations::default()) {
        Ok(report) => {
            if cli.json {
                let value = serde_json::json!({
                    "file": file.display().to_string(),
                    "ok": report.passed(),
                    "pages": report.pages,
                    "checks": report.checks,
                });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            } else {
                for check in &report.checks {
                    println!("{:<4}  {}: {}", check.status, check.name, check.detail);
                }
                let failed = report.failures().count();
                let passed = report
                    .checks
                    .iter()
                    .filter(|c| c.status == koho::print::preflight::Status::Pass)
                    .count();
                println!("{passed} passed, {failed} failed");
            }
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            let message = match (lang, &e) {
                (Lang::Ja, koho::print::preflight::PreflightError::Encrypted) => {
                    "PDF が暗号化されています。印刷用の PDF は暗号化できません".to_owned()
                }
                (Lang::Ja, koho::print::preflight::PreflightError::Unreadable(why)) => {
                    format!("PDF として読めません (途中で切れているか壊れています: {why})")
                }
                (Lang::En, e) => e.to_string(),
            };
            if cli.json {
                let value = serde_json::json!({"file": file.display().to_string(), "ok": false, "error": message});
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            } else {
                eprintln!("error: {}: {message}", file.display());
            }
            ExitCode::from(1)
        }
    }
}

fn phase_words(phase: Phase, lang: Lang) -> &'static str {
    match (phase, lang) {
        (Phase::Check, Lang::Ja) => "原稿を確認しています…",
        (Phase::Check, Lang::En) => "checking the content…",
        (Phase::Compile, Lang::Ja) => "組版しています…",
        (Phase::Compile, Lang::En) => "typesetting…",
        (Phase::Pdf, Lang::Ja) => "PDF を作っています…",
        (Phase::Pdf, Lang::En) => "writing the PDF…",
        (Phase::Finish, Lang::Ja) => "印刷用に仕上げています…",
        (Phase::Finish, Lang::En) => "finishing for print…",
        (Phase::Previews, Lang::Ja) => "プレビューを作っています…",
        (Phase::Previews, Lang::En) => "rendering previews…",
        (Phase::Write, Lang::Ja) => "書き出しています…",
        (Phase::Write, Lang::En) => "writing files…",
    }
}

/// `content/2026-06: エラーはありません (1 ページ、ビジョン 7、項目 34、写真 2)`.
fn clean_summary(report: &CheckReport, lang: Lang) -> String {
    let (mut pages, mut visions, mut items, mut photos) = (0, 0, 0, 0);
    if let Some(issue) = &report.issue {
        for page in issue.pages.iter() {
            pages += 1;
            let PageContent::PledgeProgress(content) = &page.content;
            visions += content.visions.len();
            items += content.visions.iter().map(|v| v.items.len()).sum::<usize>();
            photos += content
                .highlights
                .iter()
                .flat_map(|h| h.items.iter())
                .filter(|h| h.photo.is_some())
                .count();
        }
    }
    let dir = report.issue_dir.display();
    match lang {
        Lang::Ja => format!(
            "{dir}: エラーはありません ({pages} ページ、ビジョン {visions}、項目 {items}、写真 {photos})"
        ),
        Lang::En => format!(
            "{dir}: no errors ({}, {}, {}, {})",
            counted(pages, "page"),
            counted(visions, "vision"),
            counted(items, "item"),
            counted(photos, "photo")
        ),
    }
}

/// `1 page`, `2 pages`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Diagnostics as `--json` prints them.
fn json_errors(diagnostics: &[koho::diag::Diagnostic], lang: Lang) -> Vec<render::JsonDiagnostic> {
    diagnostics.iter().map(|d| render::json(d, lang)).collect()
}

fn print_json(report: &CheckReport, lang: Lang) {
    let errors = json_errors(&report.diagnostics, lang);
    let value = serde_json::json!({
        "command": "check",
        "issue": report.issue_dir.display().to_string(),
        "ok": report.is_clean(),
        "errors": errors,
    });
    let mut out = std::io::stdout().lock();
    // A closed pipe is not worth a panic.
    let _ = writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
}

fn report_usage_error(error: &KohoError, lang: Lang, json: bool) {
    if json {
        let value = serde_json::json!({
            "ok": false,
            "usage_error": error.message(lang),
            "hint": error.hint(lang),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        return;
    }
    let hint_word = match lang {
        Lang::Ja => "ヒント",
        Lang::En => "hint",
    };
    eprintln!(
        "error: {}\n  = {hint_word}: {}",
        error.message(lang),
        error.hint(lang)
    );
}
