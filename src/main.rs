//! The `koho` command: parses arguments, calls the library, prints the report, sets the exit
//! code (0 success, 1 problems in the input, 2 usage errors).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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
    /// 保存するたびに誌面を作り直してブラウザーに表示します / live preview in the browser while editing
    Watch {
        /// 号のフォルダー (省略時は発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
        /// 待ち受けるポート (127.0.0.1 のみ。0 なら空いている番号) / port on 127.0.0.1 (0: any free one)
        #[arg(long, default_value_t = 8470)]
        port: u16,
    },
    /// 過去の号を保存・検索・検証・復元します / keep, search, verify and restore past issues
    Archive {
        /// 保存庫のフォルダー (省略時はプロジェクトの archive/) / the archive folder
        #[arg(long, value_name = "DIR", global = true)]
        archive: Option<PathBuf>,
        #[command(subcommand)]
        action: ArchiveAction,
    },
    /// 原稿ファイルの JSON Schema を書き出します (エディターの入力補完用) / write JSON Schemas of
    /// issue.yaml and each page kind, for the editor's completion and squiggles
    Schema {
        /// ページの種類 (省略時はすべて) / the page kind (default: every kind)
        kind: Option<String>,
        /// 書き出し先のフォルダー (省略時は out/schema) / where to write them
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
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

#[derive(Subcommand, Debug)]
enum ArchiveAction {
    /// 号を保存庫に入れます (変わっていれば新しい版として) / add an issue (a changed one as a new version)
    Add {
        /// 号のフォルダー (省略時は発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
    },
    /// 保存した号の一覧 / list the archived issues
    List,
    /// 保存した号の文章を探します / search the archived issues' texts
    Search {
        /// 探す言葉 (1 文字から) / the words to find
        query: String,
        /// 表示する件数の上限 / at most this many results
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// すべてのファイルが保存したときのままかを確かめます / recompute every checksum
    Verify {
        /// 確かめる号 (省略時はすべて) / the issue to verify (default: all)
        issue: Option<String>,
    },
    /// 号の原稿を保存庫から取り出します / write an issue's source back
    Restore {
        /// 号の名前 (例: 2026-06) / the issue
        issue: String,
        /// 書き出す先のフォルダー (省略時は content/) / where to write it (default: content/)
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        /// 版 (省略時は最新) / the package version, its edition (default: the newest)
        #[arg(long, value_name = "N")]
        edition: Option<u32>,
    },
    /// 目録を保存した号から作り直します / rebuild the catalogue from the packages
    Reindex,
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
        Command::Schema { kind, output } => {
            run_schema(&cli, lang, kind.as_deref(), output.as_deref())
        }
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
        Command::Watch { issue_dir, port } => run_watch(&cli, lang, issue_dir.as_deref(), *port),
        Command::Archive { archive, action } => {
            return run_archive(&cli, lang, archive.as_deref(), action);
        }
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

/// `koho schema`: the JSON Schemas, written whole or not at all.
fn run_schema(
    cli: &Cli,
    lang: Lang,
    kind: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode, KohoError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let project = Project::find(&cwd)?;
    let dir = match output {
        Some(dir) if dir.is_absolute() => dir.to_path_buf(),
        Some(dir) => cwd.join(dir),
        None => project
            .out_dir()
            .join(koho::schema::json_schema::SCHEMA_DIR),
    };
    let report = koho::schema::json_schema::export(&project, kind, &dir, &cwd)?;
    let ok = report.diagnostics.is_empty();
    let written: Vec<String> = report
        .written
        .iter()
        .map(|p| koho::project::shown(p, &cwd).display().to_string())
        .collect();
    if cli.json {
        print_pretty(&serde_json::json!({
            "command": "schema",
            "ok": ok,
            "written": written,
            "errors": json_errors(&report.diagnostics, lang),
        }));
    } else if ok {
        for path in &written {
            println!("{path}");
        }
    } else {
        eprint!("{}", render::human_report(&report.diagnostics, lang));
    }
    Ok(exit_code(ok))
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
    Ok(exit_code(report.is_clean()))
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
    Ok(exit_code(report.diagnostics.is_empty()))
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
            exit_code(report.passed())
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
    use koho::proof::changes::kind_words;
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
        let place = match (change.folio, lang) {
            (koho::proof::changes::ISSUE_WIDE, Lang::Ja) => "号全体".to_owned(),
            (koho::proof::changes::ISSUE_WIDE, Lang::En) => "issue".to_owned(),
            (folio, _) => format!("p{folio}"),
        };
        format!(
            "{place} {} [{}] {} → {}",
            change.words.get(lang),
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
    Ok(exit_code(ok))
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
    let field_words = |c: &koho::proof::marked::MarkedComment| {
        c.field.as_deref().map(|f| {
            c.words
                .as_ref()
                .map_or_else(|| f.to_owned(), |w| w.get(lang).to_owned())
        })
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
                    "words": field_words(c),
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
        let place = match (field_words(c), lang) {
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

/// `content/2026-06: エラーはありません (1 ページ、ビジョン 7、項目 34、取り組み 2、写真 2)`.
fn clean_summary(report: &CheckReport, lang: Lang) -> String {
    let counts = report
        .issue
        .as_ref()
        .map(|i| i.counts())
        .unwrap_or_default();
    let pages = report.issue.as_ref().map_or(0, |i| i.pages.len());
    let photos = report.issue.as_ref().map_or(0, |i| i.photo_count());
    let dir = report.issue_dir.display();
    match lang {
        Lang::Ja => {
            let mut parts = vec![format!("{pages} ページ")];
            parts.extend(counts.iter().map(|(w, n)| format!("{} {n}", w.ja)));
            parts.push(format!("写真 {photos}"));
            format!("{dir}: エラーはありません ({})", parts.join("、"))
        }
        Lang::En => {
            let mut parts = vec![counted(pages, "page")];
            parts.extend(counts.iter().map(|(w, n)| counted(*n, &w.en)));
            parts.push(counted(photos, "photo"));
            format!("{dir}: no errors ({})", parts.join(", "))
        }
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

/// `koho archive …`: runs the action and reports it; archive errors exit 2 (how koho was
/// asked) or 1 (what was found).
fn run_archive(cli: &Cli, lang: Lang, dir: Option<&Path>, action: &ArchiveAction) -> ExitCode {
    let result = archive_action(cli, lang, dir, action);
    match result {
        Ok(code) => code,
        Err(error) => {
            let hint_word = match lang {
                Lang::Ja => "ヒント",
                Lang::En => "hint",
            };
            if cli.json {
                let value = serde_json::json!({
                    "ok": false,
                    "error": error.message(lang),
                    "hint": error.hint(lang),
                });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            } else {
                eprintln!(
                    "error: {}\n  = {hint_word}: {}",
                    error.message(lang),
                    error.hint(lang)
                );
            }
            ExitCode::from(if error.is_usage() { 2 } else { 1 })
        }
    }
}

fn archive_action(
    cli: &Cli,
    lang: Lang,
    dir: Option<&Path>,
    action: &ArchiveAction,
) -> Result<ExitCode, koho::archive::ArchiveError> {
    use koho::archive::{self, Archive};
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let project = || Project::find(&cwd);
    let archive = match dir {
        Some(dir) => Archive::at(cwd.join(dir)),
        None => Archive::of(&project()?),
    };
    let print_value = |value: serde_json::Value| {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    };
    match action {
        ArchiveAction::Add { issue_dir } => {
            let (cwd, project, issue_dir) = locate(cli, lang, issue_dir.as_deref())?;
            let quiet = cli.quiet || cli.json;
            let progress = |phase: Phase| {
                if !quiet {
                    eprintln!("{}", phase_words(phase, lang));
                }
            };
            let report = archive::add(&project, &issue_dir, &cwd, &archive, &progress)?;
            Ok(print_added(cli, lang, &report))
        }
        ArchiveAction::List => {
            let listed = archive::list(&archive)?;
            if cli.json {
                print_value(serde_json::json!({ "issues": listed }));
            } else if listed.is_empty() {
                println!(
                    "{}",
                    match lang {
                        Lang::Ja => "保存した号はありません",
                        Lang::En => "no issues archived",
                    }
                );
            } else {
                let head = match lang {
                    Lang::Ja => ["号", "版", "発行日", "通巻", "ページ", "保存日時", "誌名"],
                    Lang::En => ["issue", "ver", "date", "no.", "pages", "added", "magazine"],
                };
                let rows: Vec<[String; 7]> = listed
                    .iter()
                    .map(|l| {
                        let r = &l.record;
                        [
                            r.issue.clone(),
                            format!("v{}", r.version),
                            r.issue_date.clone(),
                            r.number.map_or_else(|| "—".to_owned(), |n| n.to_string()),
                            l.pages.to_string(),
                            r.added.clone(),
                            r.magazine.clone(),
                        ]
                    })
                    .collect();
                print_table(&head, &rows);
            }
            Ok(ExitCode::SUCCESS)
        }
        ArchiveAction::Search { query, limit } => {
            let hits = archive::search(&archive, query, *limit)?;
            if cli.json {
                let listed: Vec<serde_json::Value> = hits
                    .iter()
                    .map(|h| {
                        let mut value = serde_json::to_value(h).unwrap_or_default();
                        value["words"] = hit_words(h, lang).into();
                        value
                    })
                    .collect();
                print_value(serde_json::json!({ "query": query, "hits": listed }));
            } else if hits.is_empty() {
                match lang {
                    Lang::Ja => println!("「{query}」は見つかりませんでした"),
                    Lang::En => println!("no text holds \"{query}\""),
                }
            } else {
                for hit in &hits {
                    let page = match lang {
                        Lang::Ja => format!("{}ページ", hit.folio),
                        Lang::En => format!("p{}", hit.folio),
                    };
                    let figure = hit
                        .figure
                        .as_ref()
                        .map(|f| format!(" ({f})"))
                        .unwrap_or_default();
                    println!(
                        "{} v{}  {}  {page}  {}\n    {}{figure}",
                        hit.issue,
                        hit.version,
                        hit.issue_date,
                        hit_words(hit, lang),
                        hit.snippet
                    );
                }
                match lang {
                    Lang::Ja => println!("{} 件", hits.len()),
                    Lang::En => println!("{} found", hits.len()),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ArchiveAction::Verify { issue } => {
            let report = archive::verify(&archive, issue.as_deref())?;
            Ok(print_verified(cli, lang, &report))
        }
        ArchiveAction::Restore { issue, to, edition } => {
            let project = project()?;
            let to = to
                .as_ref()
                .map(|t| cwd.join(t))
                .unwrap_or_else(|| project.content_dir());
            let report = archive::restore(&project, &archive, issue, *edition, &to)?;
            let dir = koho::project::shown(&report.dir, &cwd);
            let differences: Vec<(String, &str)> = report
                .differences
                .iter()
                .map(|(path, d)| (path.clone(), difference_words(*d, lang)))
                .collect();
            if cli.json {
                print_value(serde_json::json!({
                    "issue": issue,
                    "version": report.package.version,
                    "dir": dir.display().to_string(),
                    "files": report.files,
                    "print_pdf": koho::project::shown(&report.package.print_pdf(), &cwd).display().to_string(),
                    "same_layouts_and_fonts": differences.is_empty(),
                    "differences": differences.iter().map(|(p, d)| serde_json::json!({"file": p, "what": d})).collect::<Vec<_>>(),
                }));
            } else {
                match lang {
                    Lang::Ja => println!(
                        "{issue} (第 {} 版) の原稿 {} ファイルを {} に戻しました",
                        report.package.version,
                        report.files,
                        dir.display()
                    ),
                    Lang::En => println!(
                        "restored {} files of {issue} v{} to {}",
                        report.files,
                        report.package.version,
                        dir.display()
                    ),
                }
                let archived = koho::project::shown(&report.package.print_pdf(), &cwd);
                if differences.is_empty() {
                    match lang {
                        Lang::Ja => println!(
                            "レイアウトとフォントは保存したときと同じです。koho build で作り直すと、保存した印刷用 PDF ({}) とバイト単位で同じものができます",
                            archived.display()
                        ),
                        Lang::En => println!(
                            "layouts and fonts are as they were: koho build makes {} again, byte for byte",
                            archived.display()
                        ),
                    }
                } else {
                    match lang {
                        Lang::Ja => println!(
                            "次のレイアウト・フォントが保存したときと違います。作り直した PDF は保存したもの ({}) と違うことがあります:",
                            archived.display()
                        ),
                        Lang::En => println!(
                            "these layouts and fonts differ from those it was made with; a rebuilt PDF may differ from {}:",
                            archived.display()
                        ),
                    }
                    for (path, what) in &differences {
                        println!("  {what}: {path}");
                    }
                    let copies = koho::project::shown(
                        &report.package.dir.join("data/made-with/layouts"),
                        &cwd,
                    );
                    match lang {
                        Lang::Ja => {
                            println!("保存したときのレイアウトは {} にあります", copies.display())
                        }
                        Lang::En => {
                            println!("the layouts it was made with are in {}", copies.display())
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ArchiveAction::Reindex => {
            let report = archive::reindex(&archive)?;
            if cli.json {
                print_value(serde_json::json!({
                    "packages": report.packages,
                    "fields": report.fields,
                    "skipped": report.skipped.iter().map(|(p, r)| serde_json::json!({"package": p.display().to_string(), "reason": r})).collect::<Vec<_>>(),
                }));
            } else {
                match lang {
                    Lang::Ja => println!(
                        "目録を作り直しました: {} 号分、{} 項目",
                        report.packages, report.fields
                    ),
                    Lang::En => println!(
                        "rebuilt the catalogue: {} packages, {} fields",
                        report.packages, report.fields
                    ),
                }
                for (package, reason) in &report.skipped {
                    eprintln!("warning: {}: {reason}", package.display());
                }
            }
            Ok(exit_code(report.skipped.is_empty()))
        }
    }
}

/// A search hit's field in the editors' words, as its schema named it; the path when the
/// package is older than the words.
fn hit_words(hit: &koho::archive::Hit, lang: Lang) -> String {
    hit.words
        .as_ref()
        .map_or_else(|| hit.field.clone(), |w| w.get(lang).to_owned())
}

fn difference_words(difference: koho::archive::Difference, lang: Lang) -> &'static str {
    use koho::archive::Difference;
    match (difference, lang) {
        (Difference::Changed, Lang::Ja) => "変更",
        (Difference::Changed, Lang::En) => "changed",
        (Difference::Gone, Lang::Ja) => "削除",
        (Difference::Gone, Lang::En) => "gone",
        (Difference::New, Lang::Ja) => "追加",
        (Difference::New, Lang::En) => "new",
    }
}

/// A table with a header, columns as wide as their widest cell (Japanese counted double).
fn print_table<const N: usize>(head: &[&str; N], rows: &[[String; N]]) {
    use unicode_width::UnicodeWidthStr;
    let mut widths = head.map(UnicodeWidthStr::width);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.width())))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(head.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn print_added(cli: &Cli, lang: Lang, report: &koho::archive::AddReport) -> ExitCode {
    use koho::archive::Added;
    if !report.diagnostics.is_empty() {
        if cli.json {
            let value = serde_json::json!({
                "command": "archive add",
                "ok": false,
                "errors": json_errors(&report.diagnostics, lang),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        } else {
            eprint!("{}", render::human_report(&report.diagnostics, lang));
            match lang {
                Lang::Ja => eprintln!("保存庫には何も入れていません"),
                Lang::En => eprintln!("nothing was added to the archive"),
            }
        }
        return ExitCode::from(1);
    }
    for note in &report.notes {
        use koho::archive::AddNote;
        match (note, lang) {
            (AddNote::RemovedLeftover(path), Lang::Ja) => {
                eprintln!("note: 中断された保存の残りを消しました: {}", path.display())
            }
            (AddNote::RemovedLeftover(path), Lang::En) => {
                eprintln!(
                    "note: removed what an interrupted add left: {}",
                    path.display()
                )
            }
            (AddNote::RecordedLate(issue, version), Lang::Ja) => {
                eprintln!("note: 中断された保存の {issue} v{version} を目録に記録しました")
            }
            (AddNote::RecordedLate(issue, version), Lang::En) => eprintln!(
                "note: recorded {issue} v{version} in the catalogue (its add was cut off)"
            ),
        }
    }
    match (&report.added, cli.json) {
        (
            Some(Added::New {
                version,
                dir,
                files,
                bytes,
            }),
            true,
        ) => {
            let value = serde_json::json!({"command": "archive add", "ok": true, "added": true,
                "version": version, "dir": dir.display().to_string(), "files": files, "bytes": bytes});
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        (Some(Added::Unchanged { version, dir }), true) => {
            let value = serde_json::json!({"command": "archive add", "ok": true, "added": false,
                "version": version, "dir": dir.display().to_string()});
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        (
            Some(Added::New {
                version,
                dir,
                files,
                bytes,
            }),
            false,
        ) => match lang {
            Lang::Ja => println!(
                "第 {version} 版として保存しました: {} ({files} ファイル、{} KB)",
                dir.display(),
                bytes / 1024
            ),
            Lang::En => println!(
                "added as version {version}: {} ({files} files, {} KB)",
                dir.display(),
                bytes / 1024
            ),
        },
        (Some(Added::Unchanged { version, dir }), false) => match lang {
            Lang::Ja => println!(
                "変わっていません: 第 {version} 版 ({}) と同じなので、何も保存しませんでした",
                dir.display()
            ),
            Lang::En => println!(
                "unchanged: the same as version {version} ({}); nothing was added",
                dir.display()
            ),
        },
        (None, _) => {}
    }
    ExitCode::SUCCESS
}

fn print_verified(cli: &Cli, lang: Lang, report: &koho::archive::VerifyReport) -> ExitCode {
    use koho::archive::CatalogFinding;
    use koho::archive::bag::Finding;
    let finding_words = |f: &Finding| -> (&'static str, String) {
        match (f, lang) {
            (Finding::Changed(p), Lang::Ja) => ("変更", p.clone()),
            (Finding::Changed(p), Lang::En) => ("changed", p.clone()),
            (Finding::Missing(p), Lang::Ja) => ("欠落", p.clone()),
            (Finding::Missing(p), Lang::En) => ("missing", p.clone()),
            (Finding::Unexpected(p), Lang::Ja) => ("不明なファイル", p.clone()),
            (Finding::Unexpected(p), Lang::En) => ("unexpected", p.clone()),
            (Finding::Malformed(p, why), Lang::Ja) => ("読めない", format!("{p} ({why})")),
            (Finding::Malformed(p, why), Lang::En) => ("malformed", format!("{p} ({why})")),
        }
    };
    let catalog_words = |f: &CatalogFinding| -> String {
        match (f, lang) {
            (CatalogFinding::NoPackage(i, v), Lang::Ja) => {
                format!("目録にある {i} v{v} のフォルダーがありません")
            }
            (CatalogFinding::NoPackage(i, v), Lang::En) => {
                format!("the catalogue's {i} v{v} has no package")
            }
            (CatalogFinding::ManifestDiffers(i, v), Lang::Ja) => {
                format!("{i} v{v} の manifest が目録の記録と違います")
            }
            (CatalogFinding::ManifestDiffers(i, v), Lang::En) => {
                format!("{i} v{v}'s manifest is not the one the catalogue recorded")
            }
        }
    };
    let ok = report.is_intact();
    if cli.json {
        let packages: Vec<serde_json::Value> = report
            .packages
            .iter()
            .map(|(p, findings)| {
                serde_json::json!({
                    "issue": p.issue, "version": p.version, "ok": findings.is_empty(),
                    "problems": findings.iter().map(|f| {
                        let (what, path) = finding_words(f);
                        serde_json::json!({"what": what, "file": p.dir.join(f.path()).display().to_string(), "path": path})
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
        let value = serde_json::json!({
            "ok": ok,
            "packages": packages,
            "catalog": report.catalog.iter().map(catalog_words).collect::<Vec<_>>(),
            "strays": report.strays.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "leftovers": report.leftovers.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "unrecorded": report.unrecorded.iter().map(|p| serde_json::json!({"issue": p.issue, "version": p.version})).collect::<Vec<_>>(),
            "bytes": report.bytes,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        return exit_code(ok);
    }
    for (package, findings) in &report.packages {
        let status = match (findings.is_empty(), lang) {
            (true, Lang::Ja) => "正常",
            (true, Lang::En) => "ok",
            (false, Lang::Ja) => "異常",
            (false, Lang::En) => "DAMAGED",
        };
        println!("{} v{}  {status}", package.issue, package.version);
        for finding in findings {
            let (what, path) = finding_words(finding);
            println!("  {what}: {}", package.dir.join(path).display());
        }
    }
    for finding in &report.catalog {
        println!(
            "{}: {}",
            match lang {
                Lang::Ja => "目録",
                Lang::En => "catalogue",
            },
            catalog_words(finding)
        );
    }
    for stray in &report.strays {
        match lang {
            Lang::Ja => println!("不明なファイル: {}", stray.display()),
            Lang::En => println!("unexpected: {}", stray.display()),
        }
    }
    for leftover in &report.leftovers {
        match lang {
            Lang::Ja => eprintln!(
                "note: 中断された保存の残り (次の保存で消えます): {}",
                leftover.display()
            ),
            Lang::En => eprintln!(
                "note: left by an interrupted add (the next add removes it): {}",
                leftover.display()
            ),
        }
    }
    for package in &report.unrecorded {
        match lang {
            Lang::Ja => eprintln!(
                "note: {} v{} は目録にまだありません (保存が途中で止まりました)。次の koho archive add か reindex で記録されます",
                package.issue, package.version
            ),
            Lang::En => eprintln!(
                "note: {} v{} is not in the catalogue yet (its add was cut off); the next koho archive add or reindex records it",
                package.issue, package.version
            ),
        }
    }
    let mb = report.bytes as f64 / 1_048_576.0;
    match (ok, lang) {
        (true, Lang::Ja) => println!(
            "すべて正常です ({} 号、{mb:.1} MB を確かめました)",
            report.packages.len()
        ),
        (true, Lang::En) => println!(
            "all intact ({} packages, {mb:.1} MB checked)",
            report.packages.len()
        ),
        (false, Lang::Ja) => println!("異常があります。壊れたファイルを控えから戻してください"),
        (false, Lang::En) => {
            println!("the archive is damaged: bring the files named back from a copy")
        }
    }
    exit_code(ok)
}

/// `koho watch`: serves the live preview until Ctrl-C.
fn run_watch(
    cli: &Cli,
    lang: Lang,
    named: Option<&Path>,
    port: u16,
) -> Result<ExitCode, KohoError> {
    use koho::watch::Event;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (cwd, project, issue_dir) = locate(cli, lang, named)?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // Without a handler (another one is set), Ctrl-C still ends koho: nothing is written.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let shown = koho::project::shown(&issue_dir, &cwd);
    let quiet = cli.quiet;
    let on_event = |event: Event| match (event, lang) {
        (Event::Listening(addr), Lang::Ja) => {
            println!(
                "プレビュー: http://{addr}/ をブラウザーで開いてください ({} を見ています。終わるときは Ctrl-C)",
                shown.display()
            );
            let _ = std::io::stdout().flush();
        }
        (Event::Listening(addr), Lang::En) => {
            println!(
                "preview: open http://{addr}/ in a browser (watching {}; Ctrl-C to stop)",
                shown.display()
            );
            let _ = std::io::stdout().flush();
        }
        (
            Event::Rebuilt {
                version,
                errors,
                took,
                phases,
            },
            _,
        ) if !quiet => {
            let ms = took.as_millis();
            let [check, typeset, render] = phases.map(|p| p.as_millis());
            match (errors, lang) {
                (0, Lang::Ja) => eprintln!(
                    "[{version}] 作り直しました ({ms} ms: 確認 {check}、組版 {typeset}、画像 {render})"
                ),
                (0, Lang::En) => eprintln!(
                    "[{version}] rebuilt ({ms} ms: check {check}, typeset {typeset}, previews {render})"
                ),
                (n, Lang::Ja) => {
                    eprintln!("[{version}] エラーが {n} 件あります (ブラウザーに表示しています)")
                }
                (n, Lang::En) => eprintln!("[{version}] {n} error(s), shown in the browser"),
            }
        }
        (Event::Stopped, Lang::Ja) => eprintln!("終了しました"),
        (Event::Stopped, Lang::En) => eprintln!("stopped"),
        _ => {}
    };
    match koho::watch::run(&project, &issue_dir, &cwd, port, lang, &stop, &on_event) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            match lang {
                Lang::Ja => eprintln!(
                    "error: 開始できません: {error}\n  = ヒント: 別のポートを --port で指定してください (例: --port 8471)"
                ),
                Lang::En => eprintln!(
                    "error: cannot start: {error}\n  = hint: choose another port with --port (e.g. --port 8471)"
                ),
            }
            Ok(ExitCode::from(2))
        }
    }
}

/// Exit code 0 when all went well, 1 when problems were found and reported.
/// A report for machines, pretty-printed on stdout.
fn print_pretty(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
