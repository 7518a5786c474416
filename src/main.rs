//! The `koho` command: parses arguments, calls the library, prints the report it gets back
//! and sets the exit code (0 success, 1 problems in the input, 2 usage errors). The words of
//! every report are in `koho::report`; this file only prints what it is given.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand, ValueEnum};

use koho::archive::{self, Archive, ArchiveError};
use koho::diag::Lang;
use koho::project::{Located, shown};
use koho::report::ad::AdPreflighted;
use koho::report::archive::{Found, Listing, Restored};
use koho::report::meter::{Counting, Meter, Shown};
use koho::report::preflight::Preflighted;
use koho::report::progress::Progress;
use koho::report::proof::Comments;
use koho::report::schema::Schemas;
use koho::report::{self, Report, Said, Stream};
use koho::schema::json_schema::SCHEMA_DIR;
use koho::{KohoError, Project};

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
    /// ウェブ版 (読み上げに対応した HTML) を作ります / make the accessible web edition
    Web {
        /// 号のフォルダー (省略時は発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
    },
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
        /// 広告主の PDF として、この広告枠 (magazine.yaml の ads: slots:) に合うかを調べます /
        /// judge an advertiser's PDF against this ad slot
        #[arg(long, value_name = "SLOT")]
        ad: Option<String>,
        /// --ad と一緒に: のせるページ (2 色のページならその 2 色だけか) / with --ad: the page it
        /// goes on (on a two-colour page, only its inks)
        #[arg(long, value_name = "N", requires = "ad")]
        page: Option<u32>,
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
        /// 保存庫のフォルダーか、共有の保存庫の s3://バケット/場所 (省略時は KOHO_ARCHIVE、なければ
        /// プロジェクトの archive/) / the archive folder, or a shared archive's s3://bucket/prefix
        /// (default: KOHO_ARCHIVE, else the project's archive/)
        #[arg(long, value_name = "DIR|s3://…", global = true)]
        archive: Option<String>,
        /// 共有の保存庫の目録 postgres://… (省略時は KOHO_CATALOG) / a shared archive's catalogue
        /// (default: KOHO_CATALOG)
        #[arg(long, value_name = "postgres://…", global = true)]
        catalog: Option<String>,
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
    /// 表計算のファイルやオープンデータの CSV からページの下書きを作ります / draft a page file
    /// from a spreadsheet or an open-data CSV
    Import {
        /// ページの種類 (notices、calendar など) / the page kind
        kind: String,
        /// 取り込む .csv か .xlsx (--template のときは書かない) / the .csv or .xlsx to import
        #[arg(required_unless_present = "template")]
        file: Option<PathBuf>,
        /// 書き出し先 (省略時は画面に表示。要記入の欄があるページのファイルなら、そこに書き込み)
        /// / where the draft goes (default: stdout; a page file's 要記入 fields are filled)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// 取り込み用のひな形 (.xlsx) を作ります (省略時は out/import/<種類>.xlsx) / write the
        /// kind's .xlsx template instead
        #[arg(long, conflicts_with = "file")]
        template: bool,
    },
    /// 前の号から次の号のフォルダーを作ります (毎月変わる欄は「要記入」に) / start next month's
    /// issue folder from the last one, the month's fields marked 要記入
    New {
        /// 作るフォルダー (省略時は content/<新しい発行日の年-月>) / the folder to make
        issue_dir: Option<PathBuf>,
        /// 元にする号 (省略時は発行日がいちばん新しい号) / the issue to start from (default: the newest)
        #[arg(long, value_name = "ISSUE")]
        from: Option<PathBuf>,
        /// 新しい号の発行日 (省略時は元の号の 1 か月後) / the new issue date (default: a month on)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<koho::content::model::CalendarDate>,
    },
    /// 原稿を確認します (何も書き出しません) / check an issue, writing nothing
    Check {
        /// 号のフォルダー (省略時は content/ の中で発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
        /// 組版チェックの注意もエラーとして扱います / count the layout proofread's warnings
        /// as errors
        #[arg(long)]
        strict: bool,
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

/// Which magazines `koho archive list` and `search` look at (a shared archive holds many).
#[derive(clap::Args, Debug)]
struct Only {
    /// この誌名の号だけ (例: 広報とまこまい) / only this magazine's issues
    #[arg(long, value_name = "NAME")]
    magazine: Option<String>,
    /// この自治体の号だけ (名前か団体コード。例: 苫小牧市、012131) / only this municipality's
    /// issues (its name or its code)
    #[arg(long, value_name = "NAME|CODE")]
    municipality: Option<String>,
}

impl Only {
    fn filter(&self) -> archive::Filter {
        archive::Filter {
            magazine: self.magazine.clone(),
            municipality: self.municipality.clone(),
        }
    }
}

#[derive(Subcommand, Debug)]
enum ArchiveAction {
    /// 号を保存庫に入れます (変わっていれば新しい版として) / add an issue (a changed one as a new version)
    Add {
        /// 号のフォルダー (省略時は発行日がいちばん新しい号) / issue folder
        issue_dir: Option<PathBuf>,
    },
    /// 保存した号の一覧 / list the archived issues
    List {
        #[command(flatten)]
        only: Only,
    },
    /// 保存した号の文章を探します / search the archived issues' texts
    Search {
        /// 探す言葉 (1 文字から) / the words to find
        query: String,
        /// 表示する件数の上限 / at most this many results
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        only: Only,
    },
    /// すべてのファイルが保存したときのままかを確かめます / recompute every checksum
    Verify {
        /// 確かめる号 (省略時はすべて) / the issue to verify (default: all)
        issue: Option<String>,
    },
    /// 号の原稿を保存庫から取り出します / write an issue's source back
    Restore {
        /// 号の名前 (例: 2026-06。共有の保存庫で誌名が複数あるときは 012131-広報とまこまい/2026-06)
        /// / the issue (in a shared archive of many magazines, <shelf>/<issue>)
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

/// `--date 2026-07-01`, read as the content files write dates.
fn parse_date(text: &str) -> Result<koho::content::model::CalendarDate, String> {
    koho::content::model::CalendarDate::parse(text.trim())
        .ok_or_else(|| format!("「{text}」は日付ではありません: 2026-07-01 のように書いてください / not a date: write it as 2026-07-01"))
}

impl From<LangArg> for Lang {
    fn from(arg: LangArg) -> Self {
        match arg {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

/// Allocations this large or larger are mapped on their own and given back to the system as
/// soon as they are freed: koho's big buffers (decoded photos, rendered pages, the PDF) come
/// and go, and glibc's moving threshold would otherwise keep them in the heap, where a freed
/// photo still counts against the machine (a 16-page build peaked ~540 MB with it). Not
/// lower: at 256 KiB typst's many middle-sized buffers were mapped and unmapped one by one,
/// which cost a rebuild of the sample ~0.3 s of page faults (2.05 s against 1.75 s unset).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_MAPPING_FROM_BYTES: libc::c_int = 4 * 1024 * 1024;

fn main() -> ExitCode {
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_MAPPING_FROM_BYTES);
    }
    let cli = Cli::parse();
    let lang = cli.lang.map_or_else(Lang::from_env, Lang::from);
    let run = Run {
        lang,
        json: cli.json,
        quiet: cli.quiet,
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        progress: Progress::new(lang, cli.quiet, cli.json),
    };
    run.command(&cli.command)
        .unwrap_or_else(|error| run.tell(&error))
}

/// What every command runs with: the language, the form of its report, where koho runs.
struct Run {
    lang: Lang,
    json: bool,
    quiet: bool,
    cwd: PathBuf,
    progress: Progress,
}

impl Run {
    fn command(&self, command: &Command) -> Result<ExitCode, KohoError> {
        match command {
            Command::Check { issue_dir, strict } => {
                let here = self.locate(issue_dir.as_deref())?;
                print(&self.progress.checking(&shown(&here.issue_dir, &self.cwd)));
                let report = koho::check(&here.project, &here.issue_dir, &self.cwd);
                Ok(self.tell(&if *strict { report.strict() } else { report }))
            }
            Command::Build {
                issue_dir,
                output,
                emit_typst,
            } => {
                let here = self.locate(issue_dir.as_deref())?;
                let options = koho::BuildOptions {
                    output: output.clone(),
                    emit_typst: emit_typst.clone(),
                };
                let meter = self.meter();
                let phases = |phase| meter.phase(phase);
                let report =
                    koho::build(&here.project, &here.issue_dir, &self.cwd, &options, &phases);
                meter.finish();
                Ok(self.tell(&report))
            }
            Command::Web { issue_dir } => {
                let here = self.locate(issue_dir.as_deref())?;
                let meter = self.meter();
                let phases = |phase| meter.phase(phase);
                let report = koho::web::web(&here.project, &here.issue_dir, &self.cwd, &phases);
                meter.finish();
                Ok(self.tell(&report))
            }
            Command::Preflight { file, ad: None, .. } => Ok(self.tell(&Preflighted::of(file))),
            Command::Preflight {
                file,
                ad: Some(slot),
                page,
            } => {
                let project = Project::find(&self.cwd)?;
                let judged = AdPreflighted::run(&project, &self.cwd, file, slot, *page)?;
                Ok(self.tell(&judged))
            }
            Command::Proof {
                action: Some(ProofAction::Comments { file }),
                ..
            } => Ok(self.tell(&Comments::read(file, self.lang)?)),
            Command::Proof {
                action: None,
                issue_dir,
                round,
            } => {
                let here = self.locate(issue_dir.as_deref())?;
                let options = koho::proof::ProofOptions {
                    round: *round,
                    lang: self.lang,
                };
                let meter = self.meter();
                let phases = |phase| meter.phase(phase);
                let made =
                    koho::proof::proof(&here.project, &here.issue_dir, &self.cwd, options, &phases);
                meter.finish();
                Ok(self.tell(&made?))
            }
            Command::New {
                issue_dir,
                from,
                date,
            } => {
                let here = self.locate(from.as_deref())?;
                let request = koho::new_issue::NewIssueRequest {
                    target: issue_dir.clone(),
                    date: *date,
                };
                Ok(
                    match koho::new_issue::make(&here.project, &here.issue_dir, &request, &self.cwd)
                    {
                        Ok(made) => self.tell(&made),
                        Err(error) => self.tell(&error),
                    },
                )
            }
            Command::Import {
                kind,
                file,
                output,
                template,
            } => {
                let project = Project::find(&self.cwd)?;
                Ok(match (template, file) {
                    (true, _) | (false, None) => {
                        match koho::import::write_template(
                            &project,
                            kind,
                            output.as_deref(),
                            &self.cwd,
                        ) {
                            Ok(made) => self.tell(&made),
                            Err(error) => self.tell(&error),
                        }
                    }
                    (false, Some(file)) => {
                        let request = koho::import::ImportRequest {
                            kind: kind.clone(),
                            file: file.clone(),
                            output: output.clone(),
                        };
                        match koho::import::import(&project, &request, &self.cwd) {
                            Ok(made) => self.tell(&made),
                            Err(error) => self.tell(&error),
                        }
                    }
                })
            }
            Command::Watch { issue_dir, port } => self.watch(issue_dir.as_deref(), *port),
            Command::Archive {
                archive,
                catalog,
                action,
            } => Ok(self
                .archive(archive.as_deref(), catalog.as_deref(), action)
                .unwrap_or_else(|error| self.tell(&error))),
            Command::Schema { kind, output } => {
                let project = Project::find(&self.cwd)?;
                let dir = output.as_ref().map_or_else(
                    || project.out_dir().join(SCHEMA_DIR),
                    |dir| self.cwd.join(dir),
                );
                let report =
                    koho::schema::json_schema::export(&project, kind.as_deref(), &dir, &self.cwd)?;
                Ok(self.tell(&Schemas::new(report, &self.cwd)))
            }
        }
    }

    /// `koho archive …`: archive errors are told as such (exit 2 for how koho was asked, 1 for
    /// what was found).
    fn archive(
        &self,
        archive: Option<&str>,
        catalog: Option<&str>,
        action: &ArchiveAction,
    ) -> Result<ExitCode, ArchiveError> {
        let address = archive::address::resolve(archive, catalog, |name| std::env::var(name).ok())?;
        let archive = Archive::open(address, &self.cwd)?;
        Ok(match action {
            ArchiveAction::Add { issue_dir } => {
                let here = self.locate(issue_dir.as_deref())?;
                let meter = self.meter();
                let phases = |phase| meter.phase(phase);
                let added =
                    archive::add(&here.project, &here.issue_dir, &self.cwd, &archive, &phases);
                meter.finish();
                self.tell(&added?)
            }
            ArchiveAction::List { only } => {
                self.tell(&Listing(archive::list(&archive, &only.filter())?))
            }
            ArchiveAction::Search { query, limit, only } => self.tell(&Found {
                query: query.clone(),
                hits: archive::search(&archive, query, &only.filter(), *limit)?,
            }),
            ArchiveAction::Verify { issue } => {
                let meter = self.meter();
                let counted = |done, total| meter.counted(Counting::Verified, done, total);
                let verified = archive::verify(&archive, issue.as_deref(), &counted);
                meter.finish();
                self.tell(&verified?)
            }
            ArchiveAction::Restore { issue, to, edition } => {
                let project = Project::find(&self.cwd)?;
                let to = to
                    .as_ref()
                    .map_or_else(|| project.content_dir(), |to| self.cwd.join(to));
                let report = archive::restore(&project, &archive, issue, *edition, &to)?;
                self.tell(&Restored {
                    issue: issue.clone(),
                    report,
                    cwd: self.cwd.clone(),
                })
            }
            ArchiveAction::Reindex => {
                let meter = self.meter();
                let counted = |done, total| meter.counted(Counting::Indexed, done, total);
                let reindexed = archive::reindex(&archive, &counted);
                meter.finish();
                self.tell(&reindexed?)
            }
        })
    }

    /// `koho watch`: serves the live preview until Ctrl-C.
    fn watch(&self, named: Option<&Path>, port: u16) -> Result<ExitCode, KohoError> {
        let here = self.locate(named)?;
        let stop = Arc::new(AtomicBool::new(false));
        {
            let stop = Arc::clone(&stop);
            // Without a handler (another one is set), Ctrl-C still ends koho: nothing is written.
            let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
        }
        let watching = shown(&here.issue_dir, &self.cwd);
        let on_event = |event: koho::watch::Event| {
            print(&report::watch::event(
                &event, &watching, self.quiet, self.lang,
            ));
        };
        let watched = koho::watch::run(
            &here.project,
            &here.issue_dir,
            &self.cwd,
            port,
            self.lang,
            &stop,
            &on_event,
        );
        Ok(match watched {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => self.tell(&error),
        })
    }

    /// The project and the issue named (or the newest), telling the folders passed over.
    fn locate(&self, named: Option<&Path>) -> Result<Located, KohoError> {
        let located = koho::project::locate(&self.cwd, named)?;
        print(&self.progress.skipped(&located.skipped));
        Ok(located)
    }

    /// The progress of a long command: a bar on a terminal, lines on a pipe, nothing when
    /// quiet or with JSON.
    fn meter(&self) -> Meter {
        let terminal = std::io::stderr().is_terminal();
        Meter::new(self.lang, Shown::choose(self.quiet, self.json, terminal))
    }

    /// Prints `report` and gives its exit code.
    fn tell(&self, report: &impl Report) -> ExitCode {
        print(&report.said(self.lang, self.json));
        ExitCode::from(report.exit().code())
    }
}

/// Prints what was said, each piece on its stream, in order. A closed pipe is not worth a
/// panic.
fn print(said: &Said) {
    for (stream, text) in said.pieces() {
        let _ = match stream {
            Stream::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            }
            Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
        };
    }
}
