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
    /// 校正刷を作ります (初校・再校…、前の回との違いも) / make a proof round and its changes
    #[command(args_conflicts_with_subcommands = true)]
    Proof {
        #[command(subcommand)]
        action: Option<ProofAction>,
        /// 号のフォルダー (省略時は発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
        /// 作る回 (省略時は次の回。作成済みの回は作れません) / the round to make (default: the next)
        #[arg(long, value_name = "N")]
        round: Option<u32>,
    },
    /// 原稿を確認します (何も書き出しません) / check an issue, writing nothing
    Check {
        /// 号のフォルダー (省略時は content/ の中で発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ProofAction {
    /// 校正刷に書き込まれたコメントを、該当する原稿の欄と行とともに一覧にします / list a
    /// marked-up proof's comments with the field, file and line under each
    Comments {
        /// コメントを書き込んだ校正刷の PDF / the marked-up proof
        file: PathBuf,
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
        Command::Proof {
            action: Some(ProofAction::Comments { file }),
            ..
        } => run_comments(&cli, lang, file),
        Command::Proof {
            action: None,
            issue_dir,
            round,
        } => run_proof(&cli, lang, issue_dir.as_deref(), *round),
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

fn run_proof(
    cli: &Cli,
    lang: Lang,
    named: Option<&Path>,
    round: Option<u32>,
) -> Result<ExitCode, KohoError> {
    use koho::proof::changes::{kind_words, words};
    let (cwd, project, issue_dir) = locate(cli, lang, named)?;
    let quiet = cli.quiet || cli.json;
    let progress = |phase: Phase| {
        if !quiet {
            eprintln!("{}", phase_words(phase, lang));
        }
    };
    let options = koho::proof::ProofOptions { round, lang };
    let report = koho::proof::proof(&project, &issue_dir, &cwd, options, &progress)?;
    let ok = report.diagnostics.is_empty();
    let listed = |change: &koho::proof::Change| {
        format!(
            "p{} {} [{}] {} → {}",
            change.folio,
            words(&change.path, lang),
            kind_words(change.kind, lang),
            change.old.as_deref().unwrap_or("—"),
            change.new.as_deref().unwrap_or("—"),
        )
    };
    if cli.json {
        let value = serde_json::json!({
            "command": "proof",
            "issue": report.issue_dir.display().to_string(),
            "ok": ok,
            "round": report.round.get(),
            "round_name": report.round.name(lang),
            "dir": report.dir.display().to_string(),
            "written": report.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "changes": report.changes.as_ref().map(|cs| cs.iter().map(listed).collect::<Vec<_>>()),
            "notes": report.notes,
            "errors": json_errors(&report.diagnostics, lang),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else if ok {
        let name = report.round.name(lang);
        let round = report.round.get();
        let dir = report.dir.display();
        match lang {
            Lang::Ja => println!("校正 r{round} ({name}) を作りました: {dir}"),
            Lang::En => println!("made proof round r{round} ({name}): {dir}"),
        }
        for path in &report.written {
            println!("  {}", path.display());
        }
        if let Some(changes) = &report.changes {
            match lang {
                Lang::Ja => println!("前の回からの変更: {} か所 (changes.md)", changes.len()),
                Lang::En => println!(
                    "changes since the last round: {} (changes.md)",
                    changes.len()
                ),
            }
            for change in changes {
                println!("  {}", listed(change));
            }
        }
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    } else {
        eprint!("{}", render::human_report(&report.diagnostics, lang));
        let kept = match lang {
            Lang::Ja => "校正刷は作っていません (作成済みの回はそのまま残っています)",
            Lang::En => "no proof was made (earlier rounds are unchanged)",
        };
        eprintln!("{kept}");
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_comments(cli: &Cli, lang: Lang, file: &Path) -> Result<ExitCode, KohoError> {
    let unreadable = |reason: String| KohoError::ProofUnreadable {
        path: file.to_path_buf(),
        reason,
    };
    let bytes = std::fs::read(file).map_err(|e| unreadable(e.to_string()))?;
    let comments = koho::proof::marked::read(&bytes).map_err(|e| match (lang, e) {
        (Lang::Ja, koho::proof::marked::MarkedError::NotAProof) => {
            unreadable("koho proof で作った校正刷ではありません".to_owned())
        }
        (_, e) => unreadable(e.to_string()),
    })?;
    let field_words = |field: &Option<String>| {
        field
            .as_deref()
            .map(|f| koho::proof::changes::words(&koho::render::parse_field(f), lang))
    };
    if cli.json {
        let listed: Vec<serde_json::Value> = comments
            .iter()
            .map(|c| {
                serde_json::json!({
                    "page": c.folio.unwrap_or(c.page as u32),
                    "pdf_page": c.page,
                    "kind": c.kind,
                    "text": c.text,
                    "author": c.author,
                    "field": c.field,
                    "words": field_words(&c.field),
                    "file": c.file,
                    "line": c.line,
                    "reply_to": c.reply_to,
                })
            })
            .collect();
        let value = serde_json::json!({"file": file.display().to_string(), "comments": listed});
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if comments.is_empty() {
        match lang {
            Lang::Ja => println!("{}: コメントはありません", file.display()),
            Lang::En => println!("{}: no comments", file.display()),
        }
        return Ok(ExitCode::SUCCESS);
    }
    for (i, c) in comments.iter().enumerate() {
        let page = c.folio.unwrap_or(c.page as u32);
        let place = match (field_words(&c.field), lang) {
            (Some(words), _) => words,
            (None, Lang::Ja) => "(欄の外)".to_owned(),
            (None, Lang::En) => "(outside any field)".to_owned(),
        };
        let at = match (&c.file, c.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            _ => String::new(),
        };
        let page_word = match lang {
            Lang::Ja => format!("{page}ページ"),
            Lang::En => format!("page {page}"),
        };
        println!("{}. {page_word}  {place}  {at}", i + 1);
        let who = c
            .author
            .as_deref()
            .map(|a| format!(" — {a}"))
            .unwrap_or_default();
        let reply = match (c.reply_to, lang) {
            (Some(n), Lang::Ja) => format!(" ({n}. への返信)"),
            (Some(n), Lang::En) => format!(" (reply to {n}.)"),
            (None, _) => String::new(),
        };
        let text = if c.text.is_empty() {
            format!("[{}]", c.kind)
        } else {
            c.text.replace('\n', "\n   ")
        };
        println!("   {text}{who}{reply}");
    }
    Ok(ExitCode::SUCCESS)
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
