//! `koho import`, told: where the draft went, how many rows became entries, each row left out
//! with its number and why, the columns not read, and the fields still to write; or why
//! nothing was drafted. When the draft goes to stdout, everything else goes to stderr.

use serde::Serialize;

use super::usage::error_with_hint;
use super::{Exit, Report, Said, json_errors, problems};
use crate::diag::Lang;
use crate::diag::render::JsonDiagnostic;
use crate::import::{
    ImportError, ImportReport, RowFault, RowProblem, SourceKind, TemplateReport, Written,
};

/// `koho import` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct ImportJson {
    /// `import`.
    pub command: &'static str,
    /// True when a draft was written.
    pub ok: bool,
    /// The file read.
    pub file: Option<String>,
    /// `event-list` or `sheet`.
    pub read_as: Option<&'static str>,
    /// Where the draft went (`-` for stdout).
    pub output: Option<String>,
    /// The draft itself, when it went to stdout.
    pub draft: Option<String>,
    /// How many rows became entries.
    pub rows_taken: usize,
    /// The rows left out.
    pub skipped: Vec<SkippedJson>,
    /// Columns not read because no page prints them.
    pub unused_columns: Vec<String>,
    /// Columns that name nothing koho knows.
    pub unknown_columns: Vec<String>,
    /// Fields left 要記入.
    pub to_fill: Vec<String>,
    /// Why nothing was drafted.
    pub error: Option<String>,
    /// Problems in the layouts or the page file to fill.
    pub errors: Vec<JsonDiagnostic>,
}

/// One row left out, in [`ImportJson`].
#[derive(Debug, Serialize)]
pub struct SkippedJson {
    /// The row number.
    pub row: usize,
    /// Why, in the chosen language.
    pub reason: String,
}

/// Why a row is left out, in words.
fn fault_words(fault: &RowFault, lang: Lang) -> String {
    match (fault, lang) {
        (RowFault::Missing { column }, Lang::Ja) => format!("「{column}」が空です"),
        (RowFault::Missing { column }, Lang::En) => format!("\"{column}\" is blank"),
        (RowFault::NotADate { column, written }, Lang::Ja) => format!(
            "「{column}」の「{written}」は日付として読めません (2026-07-04 や 2026/7/4 のように書きます)"
        ),
        (RowFault::NotADate { column, written }, Lang::En) => {
            format!("\"{column}\" holds \"{written}\", not a date (write 2026-07-04 or 2026/7/4)")
        }
        (RowFault::NotATime { column, written }, Lang::Ja) => {
            format!("「{column}」の「{written}」は時刻として読めません (9:30 のように書きます)")
        }
        (RowFault::NotATime { column, written }, Lang::En) => {
            format!("\"{column}\" holds \"{written}\", not a time of day (write 9:30)")
        }
        (RowFault::NotANumber { column, written }, Lang::Ja) => {
            format!("「{column}」の「{written}」は数として読めません")
        }
        (RowFault::NotANumber { column, written }, Lang::En) => {
            format!("\"{column}\" holds \"{written}\", not a whole number")
        }
        (RowFault::EndsBeforeStart { column }, Lang::Ja) => {
            format!("「{column}」が始まりより前になっています")
        }
        (RowFault::EndsBeforeStart { column }, Lang::En) => {
            format!("\"{column}\" comes before the start")
        }
        (RowFault::NoGroup { column }, Lang::Ja) => {
            format!("「{column}」が空で、上にまとめる行もありません")
        }
        (RowFault::NoGroup { column }, Lang::En) => {
            format!("\"{column}\" is blank and no row above gives it")
        }
    }
}

/// One skipped row as a line (`events.csv の 5 行目: …`).
fn row_line(file: &str, problem: &RowProblem, lang: Lang) -> String {
    let why = fault_words(&problem.fault, lang);
    match lang {
        Lang::Ja => format!("  {file} の {} 行目: {why}", problem.row),
        Lang::En => format!("  {file} row {}: {why}", problem.row),
    }
}

fn skipped_json(problems: &[RowProblem], lang: Lang) -> Vec<SkippedJson> {
    problems
        .iter()
        .map(|p| SkippedJson {
            row: p.row,
            reason: fault_words(&p.fault, lang),
        })
        .collect()
}

/// The columns a sentence lists: 「緯度」「経度」 / "緯度", "経度".
fn listed(columns: &[String], lang: Lang) -> String {
    match lang {
        Lang::Ja => columns.iter().map(|c| format!("「{c}」")).collect(),
        Lang::En => columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

impl Report for ImportReport {
    type Json<'a> = ImportJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        let file = self.file.display().to_string();
        let name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.clone());
        let read_as = match (self.source, lang) {
            (SourceKind::EventList, Lang::Ja) => "イベント一覧 (自治体標準オープンデータセット)",
            (SourceKind::EventList, Lang::En) => "an イベント一覧 (standard open data)",
            (SourceKind::Sheet, Lang::Ja) => "見出しの行が欄の名前の表",
            (SourceKind::Sheet, Lang::En) => "a sheet whose header row names fields",
        };
        let whither = match (&self.written, lang) {
            (Written::Stdout(text), _) => {
                said.out(text.trim_end());
                None
            }
            (Written::NewFile(path), Lang::Ja) => Some(format!("{} を作りました", path.display())),
            (Written::NewFile(path), Lang::En) => Some(format!("wrote {}", path.display())),
            (Written::Into { file, fields }, Lang::Ja) => Some(format!(
                "{} の {} に書き込みました",
                file.display(),
                fields.join("・")
            )),
            (Written::Into { file, fields }, Lang::En) => Some(format!(
                "filled {} in {}",
                fields.join(", "),
                file.display()
            )),
        };
        said.err(match lang {
            Lang::Ja => format!(
                "{file} ({}、{}) から「{}」({}) の下書き: {} 行を取り込みました",
                self.read_as, read_as, self.kind_words.ja, self.kind, self.rows_taken
            ),
            Lang::En => format!(
                "{file} ({}, {read_as}): drafted {} ({}) from {} rows",
                self.read_as, self.kind_words.en, self.kind, self.rows_taken
            ),
        });
        if let Some(line) = whither {
            said.err(line);
        }
        if !self.skipped.is_empty() {
            said.err(match lang {
                Lang::Ja => format!(
                    "error: 取り込めなかった行が {} 行あります (下書きに入れていません。直して取り込み直してください):",
                    self.skipped.len()
                ),
                Lang::En => format!(
                    "error: {} rows could not be imported (left out of the draft; fix them and import again):",
                    self.skipped.len()
                ),
            });
            for problem in &self.skipped {
                said.err(row_line(&name, problem, lang));
            }
        }
        if !self.unknown_columns.is_empty() {
            said.err(match lang {
                Lang::Ja => format!(
                    "warning: 見出しが分からない列は取り込んでいません: {}",
                    listed(&self.unknown_columns, lang)
                ),
                Lang::En => format!(
                    "warning: columns koho does not know were not read: {}",
                    listed(&self.unknown_columns, lang)
                ),
            });
        }
        if !self.unused_columns.is_empty() {
            said.err(match lang {
                Lang::Ja => format!(
                    "note: 誌面にのせない列は取り込んでいません: {}",
                    listed(&self.unused_columns, lang)
                ),
                Lang::En => format!(
                    "note: columns no printed page shows were not read: {}",
                    listed(&self.unused_columns, lang)
                ),
            });
        }
        if !self.to_fill.is_empty() && !matches!(self.written, Written::Into { .. }) {
            said.err(match lang {
                Lang::Ja => format!(
                    "要記入のまま残した欄: {} (koho check で一覧が出ます)",
                    self.to_fill.join("・")
                ),
                Lang::En => format!(
                    "left 要記入 for you to write: {} (koho check lists them)",
                    self.to_fill.join(", ")
                ),
            });
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<ImportJson> {
        let (output, draft) = match &self.written {
            Written::Stdout(text) => ("-".to_owned(), Some(text.clone())),
            Written::NewFile(path) | Written::Into { file: path, .. } => {
                (path.display().to_string(), None)
            }
        };
        Some(ImportJson {
            command: "import",
            ok: true,
            file: Some(self.file.display().to_string()),
            read_as: Some(match self.source {
                SourceKind::EventList => "event-list",
                SourceKind::Sheet => "sheet",
            }),
            output: Some(output),
            draft,
            rows_taken: self.rows_taken,
            skipped: skipped_json(&self.skipped, lang),
            unused_columns: self.unused_columns.clone(),
            unknown_columns: self.unknown_columns.clone(),
            to_fill: self.to_fill.clone(),
            error: None,
            errors: Vec::new(),
        })
    }

    /// Rows left out are problems in the input (exit 1), though the rest was drafted.
    fn exit(&self) -> Exit {
        Exit::of(self.skipped.is_empty())
    }
}

impl ImportError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ImportError::NoSuchKind { kind, known }, Lang::Ja) => format!(
                "ページの種類「{kind}」はありません (あるのは {})",
                known.join("、")
            ),
            (ImportError::NoSuchKind { kind, known }, Lang::En) => {
                format!(
                    "there is no page kind {kind} (there are {})",
                    known.join(", ")
                )
            }
            (ImportError::Layouts(_), Lang::Ja) => "layouts/ の設定に問題があります".to_owned(),
            (ImportError::NoList { kind }, Lang::Ja) => {
                format!("{kind} には、表の行を 1 件ずつ入れる一覧の欄がありません")
            }
            (ImportError::EventListNotForKind { kind }, Lang::Ja) => format!(
                "イベント一覧を取り込めるのは notices (お知らせ) と calendar (カレンダー) です。{kind} には取り込めません"
            ),
            (ImportError::Unreadable { file, reason }, Lang::Ja) => format!(
                "{} を表として読めません: {}",
                file.display(),
                table_words(reason)
            ),
            (ImportError::MissingColumns { file, columns }, Lang::Ja) => format!(
                "{} の見出しの行に、必ず書く欄の列がありません: {}",
                file.display(),
                listed(columns, lang)
            ),
            (ImportError::NothingImported { file, .. }, Lang::Ja) => {
                format!("{} から取り込めた行が 1 行もありません", file.display())
            }
            (ImportError::OutputOtherKind { file, found, kind }, Lang::Ja) => format!(
                "{} は {found} のページです。{kind} の下書きは入れられません",
                file.display()
            ),
            (ImportError::OutputHasContent { file, field }, Lang::Ja) => format!(
                "{} の {field} にはもう内容があります。koho import は要記入の欄にだけ書き込みます",
                file.display()
            ),
            (ImportError::OutputUnreadable(_), Lang::Ja) => {
                "書き込む先のページのファイルに問題があります".to_owned()
            }
            (ImportError::Exists { file }, Lang::Ja) => format!(
                "{} はもうあります。ひな形は新しいファイルか out/ の中にだけ書き出します",
                file.display()
            ),
            (ImportError::Write { file, reason }, Lang::Ja) => {
                format!("{} に書き出せません: {reason}", file.display())
            }
            (error, Lang::En) => error.to_string(),
        }
    }

    fn hint(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ImportError::NoSuchKind { .. } => if ja {
                "koho import notices 行事.csv のように、layouts/ にある種類の名前を書いてください"
            } else {
                "name a kind that layouts/ has, as in koho import notices events.csv"
            }
            .to_owned(),
            ImportError::Layouts(_) => if ja {
                "上のエラーを直してください"
            } else {
                "fix the errors above"
            }
            .to_owned(),
            ImportError::NoList { .. } => if ja {
                "このページは YAML に直接書いてください"
            } else {
                "write this page's YAML by hand"
            }
            .to_owned(),
            ImportError::EventListNotForKind { .. } => if ja {
                "koho import notices ファイル.csv か koho import calendar ファイル.csv としてください"
            } else {
                "use koho import notices FILE.csv or koho import calendar FILE.csv"
            }
            .to_owned(),
            ImportError::Unreadable { .. } => if ja {
                "CSV (UTF-8 か Shift_JIS) か .xlsx で保存し直してください"
            } else {
                "save it again as CSV (UTF-8 or Shift_JIS) or as .xlsx"
            }
            .to_owned(),
            ImportError::MissingColumns { .. } | ImportError::NothingImported { .. } => if ja {
                "koho import --template 種類 で作るひな形の見出しを使ってください"
            } else {
                "use the header row of the template koho import --template KIND makes"
            }
            .to_owned(),
            ImportError::OutputOtherKind { .. } => if ja {
                "-o で同じ種類のページか、新しいファイル名を指定してください"
            } else {
                "give -o a page of the same kind, or a new file name"
            }
            .to_owned(),
            ImportError::OutputHasContent { field, .. } => if ja {
                format!("別のファイル名を -o で指定するか、{field} の中身を消して「{field}: 要記入」と書いてから取り込み直してください")
            } else {
                format!("give -o another file name, or replace {field}'s content with \"{field}: 要記入\" and import again")
            },
            ImportError::OutputUnreadable(_) => if ja {
                "上のエラーを直してから取り込み直してください"
            } else {
                "fix the errors above and import again"
            }
            .to_owned(),
            ImportError::Exists { .. } => if ja {
                "-o で別のファイル名を指定してください"
            } else {
                "give -o another file name"
            }
            .to_owned(),
            ImportError::Write { .. } => if ja {
                "書き込めるフォルダーか、ディスクに空きがあるかを確かめてください (元のファイルはそのままです)"
            } else {
                "check the folder is writable and the disk has room (the old file is as it was)"
            }
            .to_owned(),
        }
    }
}

/// Why a file is not a table, in Japanese.
fn table_words(error: &crate::import::table::TableError) -> String {
    use crate::import::table::TableError;
    match error {
        TableError::Unreadable(reason) => format!("読み込めません ({reason})"),
        TableError::Encoding => "文字コードが UTF-8 でも Shift_JIS でもありません".to_owned(),
        TableError::Csv { row, reason } => format!("{row} 行目が CSV として読めません ({reason})"),
        TableError::Workbook(reason) => {
            format!("Excel のファイル (.xlsx) として開けません ({reason})")
        }
        TableError::Format => "取り込めるのは .csv と .xlsx のファイルです".to_owned(),
        TableError::NoHeader => "見出しの行がありません (何も書かれていません)".to_owned(),
    }
}

impl Report for ImportError {
    type Json<'a> = ImportJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = match self {
            ImportError::Layouts(d) | ImportError::OutputUnreadable(d) => problems(d, lang, None),
            _ => Said::new(),
        };
        if let ImportError::NothingImported { file, skipped, .. } = self {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for problem in skipped {
                said.err(row_line(&name, problem, lang));
            }
        }
        said.err(error_with_hint(&self.message(lang), &self.hint(lang), lang));
        said
    }

    fn json(&self, lang: Lang) -> Option<ImportJson> {
        let errors = match self {
            ImportError::Layouts(d) | ImportError::OutputUnreadable(d) => json_errors(d, lang),
            _ => Vec::new(),
        };
        let skipped = match self {
            ImportError::NothingImported { skipped, .. } => skipped_json(skipped, lang),
            _ => Vec::new(),
        };
        Some(ImportJson {
            command: "import",
            ok: false,
            file: None,
            read_as: None,
            output: None,
            draft: None,
            rows_taken: 0,
            skipped,
            unused_columns: Vec::new(),
            unknown_columns: Vec::new(),
            to_fill: Vec::new(),
            error: Some(self.message(lang)),
            errors,
        })
    }

    fn exit(&self) -> Exit {
        match self {
            ImportError::NoSuchKind { .. }
            | ImportError::NoList { .. }
            | ImportError::EventListNotForKind { .. }
            | ImportError::Unreadable { .. }
            | ImportError::OutputOtherKind { .. }
            | ImportError::OutputHasContent { .. }
            | ImportError::Exists { .. }
            | ImportError::Write { .. } => Exit::Usage,
            ImportError::Layouts(_)
            | ImportError::MissingColumns { .. }
            | ImportError::NothingImported { .. }
            | ImportError::OutputUnreadable(_) => Exit::Problems,
        }
    }
}

/// `koho import --template` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct TemplateJson {
    /// `import`.
    pub command: &'static str,
    /// True.
    pub ok: bool,
    /// The kind.
    pub kind: String,
    /// The workbook written.
    pub template: String,
    /// Its header row.
    pub headers: Vec<String>,
}

impl Report for TemplateReport {
    type Json<'a> = TemplateJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        said.out(self.file.display());
        said.err(match lang {
            Lang::Ja => format!(
                "「{}」({}) のひな形を作りました。見出しの行: {}。書き方は 2 枚目のシート「書き方」にあります。",
                self.kind_words.ja,
                self.kind,
                self.headers.join("、")
            ),
            Lang::En => format!(
                "wrote the template for {} ({}); header row: {}. The second sheet says how to write each column.",
                self.kind_words.en,
                self.kind,
                self.headers.join(", ")
            ),
        });
        said
    }

    fn json(&self, _lang: Lang) -> Option<TemplateJson> {
        Some(TemplateJson {
            command: "import",
            ok: true,
            kind: self.kind.clone(),
            template: self.file.display().to_string(),
            headers: self.headers.clone(),
        })
    }

    fn exit(&self) -> Exit {
        Exit::Success
    }
}
