//! The words of every message and hint, in Japanese and English.
//!
//! A message says what is wrong; a hint says how to fix it, in terms an editor who has never
//! seen YAML's specification can act on.

use super::problem::{PreviousGap, grouped, signed};
use super::{Expected, FieldPath, Lang, NumberTrap, Problem, SchemaFault, Segment, SyntaxTrap};

/// What is wrong, in one sentence.
pub fn message(problem: &Problem, lang: Lang) -> String {
    match lang {
        Lang::En => problem.to_string(),
        Lang::Ja => message_ja(problem),
    }
}

fn expected_ja(expected: Expected) -> &'static str {
    match expected {
        Expected::Percent => "0〜100 の整数",
        Expected::PositiveInteger => "1 以上の整数",
        Expected::Text => "文字",
        Expected::Date => "日付 (YYYY-MM-DD)",
        Expected::Mapping => "「名前: 値」の組",
        Expected::List => "「- 」で始まるリスト",
        Expected::Length => "単位つきの長さ (例: 58mm)",
        Expected::Integer => "整数",
        Expected::PageCount => "ページ数 (1、または 2-4 のような範囲)",
        Expected::FolioRange => "ページ番号の範囲 (例: 5-7)",
        Expected::YesNo => "true か false",
    }
}

fn schema_fault_ja(fault: SchemaFault) -> &'static str {
    match fault {
        SchemaFault::NoSuchField => "このスキーマにない項目を指しています",
        SchemaFault::NotTitleText => {
            "ページの題は、いちばん上の階層の text の項目でなければなりません"
        }
        SchemaFault::NotList => "項目を持つリスト (list) を指していなければなりません",
        SchemaFault::NotFigure => "percent の項目を指していなければなりません",
        SchemaFault::MustBeRequired => "規則が読む項目は省略可 (optional) にできません",
        SchemaFault::MonthlyInList => {
            "リストの中の項目には monthly を付けられません (リストそのものに付けてください)"
        }
        SchemaFault::NotInteger => "integer の項目を指していなければなりません",
        SchemaFault::NotDate => "date の項目を指していなければなりません",
        SchemaFault::NotOptionalText => {
            "省略可 (optional: true) の text の項目を指していなければなりません"
        }
        SchemaFault::NotSameObject => {
            "足す項目と合計の項目は、同じ組の中の項目でなければなりません"
        }
        SchemaFault::MustBeOptional => {
            "規則が計算する項目は省略可 (optional: true) でなければなりません"
        }
        SchemaFault::NotRollupChoice => {
            "floor・round・none から選ぶ、いちばん上の階層の choice の項目を指していなければなりません"
        }
        SchemaFault::NotOutsideLists => {
            "ページか、その中の組 (object) の項目を指していなければなりません (リストの要素は前の号の要素と対応しません)"
        }
        SchemaFault::FieldsOrItem => {
            "list には fields: (項目を持つ要素) か item: (単純な要素) のどちらか一方が必要です"
        }
        SchemaFault::MinOverMax => "min が max より大きくなっています",
        SchemaFault::ReservedName => {
            "項目名は半角英小文字・数字・_ で書きます (layout・field・number・folio は koho が使います)"
        }
    }
}

fn gap_ja(gap: &PreviousGap) -> String {
    match gap {
        PreviousGap::NoEarlierIssue { kind } => format!(
            "この号の隣のフォルダーにもアーカイブにも、「{}」のページがある前の号が見つかりません",
            kind.ja
        ),
        PreviousGap::NotAMonthBefore {
            issue,
            found,
            wanted,
        } => format!(
            "いちばん新しい前の号 ({issue}) の数字は {} 現在のもので、1か月前の {} 現在のものではありません",
            date_ja(found),
            date_ja(wanted)
        ),
    }
}

fn message_ja(problem: &Problem) -> String {
    match problem {
        Problem::FileMissing { path } => format!("ファイル {path} が見つかりません"),
        Problem::FileUnreadable { path, reason } => {
            format!("ファイル {path} を読めません ({reason})")
        }
        Problem::PathAbsolute { path } => {
            format!("{path} は絶対パスです。号のフォルダーの中のファイルしか使えません")
        }
        Problem::PathEscapes { path } => {
            format!("{path} は号のフォルダーの外を指しています。読み込みませんでした")
        }
        Problem::FileTooLarge { bytes, limit } => {
            format!("ファイルが大きすぎます ({bytes} バイト。上限は {limit} バイト)")
        }
        Problem::EmptyFile => "ファイルが空です".to_owned(),
        Problem::Utf16 => {
            "ファイルが UTF-16 で保存されています。koho は UTF-8 しか読めません".to_owned()
        }
        Problem::NotText { offset } => {
            format!("テキストファイル (UTF-8) ではありません ({offset} バイト目に文字でないデータ)")
        }
        Problem::TabIndent => "字下げにタブ文字が使われています".to_owned(),
        Problem::Syntax { trap, detail } => match trap {
            SyntaxTrap::UnclosedQuote => "引用符 (\" または ') が閉じていません".to_owned(),
            SyntaxTrap::NoSpaceAfterColon => "「:」の後に空白がありません".to_owned(),
            SyntaxTrap::ColonInValue => "値の中に「: 」があり、YAML が読めません".to_owned(),
            SyntaxTrap::Indentation => "字下げ (行頭の空白) がそろっていません".to_owned(),
            SyntaxTrap::Other => format!("YAML の書き方に誤りがあります ({detail})"),
        },
        Problem::Limits { detail } => {
            format!("入れ子が深すぎるか、別名 (&, *) の展開が多すぎます ({detail})")
        }
        Problem::UnknownKey {
            key, suggestion, ..
        } => match suggestion {
            Some(s) => format!("「{key}」という項目はありません (「{s}」の書き間違いでは?)"),
            None => format!("「{key}」という項目はありません"),
        },
        Problem::DuplicateKey { key, first_line } => {
            format!("「{key}」が二度書かれています (最初は {first_line} 行目)")
        }
        Problem::MissingField { key } => format!("必要な項目「{key}」がありません"),
        Problem::StillToFill => "今月の内容がまだ書かれていません (要記入)".to_owned(),
        Problem::EmptyText => "文字が入っていません".to_owned(),
        Problem::CommentedOut => {
            "値が「#」で始まっているため、YAML ではコメント扱いになり、値が空になっています"
                .to_owned()
        }
        Problem::WrongType {
            expected, found, ..
        } => format!(
            "{}が必要ですが「{found}」と書かれています",
            expected_ja(*expected)
        ),
        Problem::OutOfRange { value, min, max } => match max {
            Some(max) => format!("{value} は範囲外です ({min}〜{max} で書いてください)"),
            None => format!("{value} は範囲外です ({min} 以上で書いてください)"),
        },
        Problem::NotOneOf { found, allowed } => {
            format!(
                "「{found}」は使えません (使えるのは {})",
                allowed.join("、")
            )
        }
        Problem::TooFew { found, min } => {
            format!("{found} 件しかありません。少なくとも {min} 件必要です")
        }
        Problem::TooMany { found, max } => {
            format!("{found} 件あります。このレイアウトに入るのは {max} 件までです")
        }
        Problem::BadDate { found } => format!("「{found}」は正しい日付ではありません"),
        Problem::MunicipalityCode {
            found,
            expected_check,
        } => match expected_check {
            Some(check) => format!(
                "「{found}」は全国地方公共団体コードではありません (最後の桁は検査数字で、前の 5 桁からは {check} になります)"
            ),
            None => format!(
                "「{found}」は全国地方公共団体コードではありません (半角数字 6 桁です)"
            ),
        },
        Problem::FolioTwice { folio, first_line } => {
            format!("ページ番号 {folio} が二度使われています (最初は {first_line} 行目)")
        }
        Problem::FolioOrder { folio, previous } => format!(
            "ページ番号 {folio} が {previous} の後にあります。ページは印刷順に並べてください"
        ),
        Problem::PageTwice { path } => format!("{path} が二度並んでいます"),
        Problem::FolioAndFolios => "folio と folios の両方が書かれています".to_owned(),
        Problem::TwoColourWithoutBlack => {
            "2 色刷りのインキには black (墨) が必要です (文字は K100 で刷ります)".to_owned()
        }
        Problem::ColourOffPlates { inks } => format!(
            "この色は 2 色刷りのページで使えないインキを含みます ({} だけが使えます)",
            inks.join(" と ")
        ),
        Problem::FolioGap { after, next } if next - after == 2 => {
            format!("{after} ページの次が {next} ページです。{} ページがありません", after + 1)
        }
        Problem::FolioGap { after, next } => format!(
            "{after} ページの次が {next} ページです。{}〜{} ページがありません",
            after + 1,
            next - 1
        ),
        Problem::FoliosStart { first } => format!(
            "最初のページが {first} ページになっています。号は 1 ページ (表紙) から始まります"
        ),
        Problem::PageCountBinding {
            pages,
            binding,
            multiple,
            add,
            remove,
        } => format!(
            "この号は {pages} ページです。{}のページ数は {multiple} の倍数なので、{add} ページ足すか {remove} ページ減らしてください",
            binding.ja
        ),
        Problem::KindPages {
            kind,
            folios,
            count,
            min,
            max,
        } => {
            let span = if min == max { format!("{min} ページ") } else { format!("{min}〜{max} ページ") };
            format!("「{}」のページは {span} です。{folios} ページは {count} ページあります", kind.ja)
        }
        Problem::MixedColours { folios, two_colour } => format!(
            "{folios} ページのうち {two_colour} ページが 2 色刷り、ほかは 4 色刷りです。ひとつのファイルのページは同じ色数で刷ります"
        ),
        Problem::FlowShort {
            folios,
            empty_pages,
            empty_mm,
            empty_columns,
            columns,
        } => {
            let space = match (empty_columns, columns) {
                (_, 1) => format!("約 {empty_mm} mm"),
                (0, c) => format!("{c} 段のうち 1 段に約 {empty_mm} mm"),
                (e, c) => format!("{c} 段のうち {e} 段がまるごと、段の長さにして約 {empty_mm} mm"),
            };
            let empty = match (empty_pages, empty_mm) {
                (0, _) => space,
                (p, 0) => format!("{p} ページ"),
                (p, _) => format!("{p} ページと、{space}"),
            };
            format!("{folios} ページの内容が早く終わり、最後に {empty} の空きがあります")
        }
        Problem::BrokenToken { folio, token } => {
            format!("{folio} ページ: 「{token}」が 2 行に分かれています")
        }
        Problem::DisplayRunt { folio, lines, last } => format!(
            "{folio} ページ: {lines} 行になり、最後の行が「{last}」だけです"
        ),
        Problem::SetTooSmall {
            folio,
            size_pt,
            minimum_pt,
        } => format!(
            "{folio} ページ: 文字が {size_pt} ポイントで組まれ、最小の大きさ ({minimum_pt} ポイント) を下回っています"
        ),
        Problem::OffPage {
            folio,
            text,
            over_mm,
        } => format!("{folio} ページ: 「{text}」がページの外に {over_mm} mm はみ出しています"),
        Problem::Overprint { folio, text, other } => {
            format!("{folio} ページ: 「{text}」が「{other}」に重なっています")
        }
        Problem::PhotoAway {
            folio,
            column,
            text_folio,
            text_column,
        } => format!(
            "写真が {folio} ページの {column} 段目にあり、その文章 ({text_folio} ページの {text_column} 段目から) と離れています"
        ),
        Problem::PageNotInIssue { file, .. } => {
            format!("{file} はこの号のページにありません")
        }
        Problem::UnknownLayout { name, known } if known.is_empty() => format!(
            "レイアウト「{name}」はありません (layouts/ に使えるレイアウトがひとつもありません)"
        ),
        Problem::UnknownLayout { name, known } => format!(
            "レイアウト「{name}」はありません (あるのは {})",
            known.join("、")
        ),
        Problem::SumMismatch {
            terms,
            computed,
            stated,
        } => {
            let added: Vec<String> = terms
                .iter()
                .map(|(w, n)| format!("{} {}", w.ja, super::problem::grouped(*n)))
                .collect();
            format!(
                "{} = {} ですが、ファイルには {} と書かれています",
                added.join(" + "),
                super::problem::grouped(*computed),
                super::problem::grouped(*stated)
            )
        }
        Problem::WrongWeekday {
            written,
            date,
            right,
            ..
        } => format!(
            "「{written}」とありますが、{}は{right}曜日です",
            date_ja(date)
        ),
        Problem::NotAHoliday { written, date, .. } => format!(
            "「{written}」とありますが、{}は祝日ではありません",
            date_ja(date)
        ),
        Problem::NoSuchDay { written } => format!("「{written}」という日はありません"),
        Problem::WorkingDay { date, weekday, .. } => format!(
            "{}は{weekday}曜日で、日曜日・祝日・年末年始 (12月29日〜1月3日) のどれでもありません",
            date_ja(date)
        ),
        Problem::PreviousMismatch {
            figure,
            issue,
            previous,
            now,
            computed,
            stated,
        } => format!(
            "前の号 ({issue}) の{}は {}、この号は {} なので、前月比は {} − {} = {} ですが、ファイルには {} と書かれています",
            figure.ja,
            grouped(*previous),
            grouped(*now),
            grouped(*now),
            grouped(*previous),
            signed(*computed),
            signed(*stated)
        ),
        Problem::PreviousMissing { figure, gap } => {
            format!("{}の前月比を計算できません。{}", figure.ja, gap_ja(gap))
        }
        Problem::PreviousUnchecked { figure, gap } => format!(
            "{}の前月比は書かれたとおりに印刷しますが、確かめていません。{}",
            figure.ja,
            gap_ja(gap)
        ),
        Problem::KindBroken { name } => format!(
            "レイアウト「{name}」の定義 (schema.yaml) に誤りがあるため、このページを読めません"
        ),
        Problem::RollupMismatch {
            computation,
            stated,
            ..
        } => format!("{computation} ですが、ファイルには {stated} と書かれています"),
        Problem::TooLong { chars, max } => {
            format!("{chars} 文字あります。この欄に入るのは {max} 文字までです")
        }
        Problem::BadTime { found } => format!("「{found}」は時刻 (時:分) ではありません"),
        Problem::BadPhone { found } => format!("「{found}」は電話番号ではありません"),
        Problem::BadSchedule { found, fault } => {
            let why = match fault {
                crate::content::value::ScheduleFault::NotADate => {
                    "日付は 年-月-日 (例: 2026-08-02) で書きます"
                }
                crate::content::value::ScheduleFault::NotATime => "時刻は 時:分 (例: 9:30) で書きます",
                crate::content::value::ScheduleFault::EndsBeforeStart => {
                    "終わりが始まりより前になっています"
                }
            };
            format!("「{found}」は日時として読めません ({why})")
        }
        Problem::BadUrl { found } => format!("「{found}」はウェブのアドレスではありません"),
        Problem::BadEmail { found } => format!("「{found}」はメールアドレスではありません"),
        Problem::KindName { written, folder } => format!(
            "スキーマの kind は「{written}」ですが、フォルダーの名前は「{folder}」です"
        ),
        Problem::UnknownType {
            found, suggestion, ..
        } => match suggestion {
            Some(s) => format!("型「{found}」はありません (「{s}」の書き間違いでは?)"),
            None => format!("型「{found}」はありません"),
        },
        Problem::BadNumbering { pattern, reason } => {
            format!("番号の付け方「{pattern}」を読めません ({reason})")
        }
        Problem::SchemaReference { written, fault } => {
            format!("「{written}」: {}", schema_fault_ja(*fault))
        }
        Problem::NotK100 => {
            "文字の色 ink は [0, 0, 0, 100] (K100) でなければなりません (リッチブラックは使えません)".to_owned()
        }
        Problem::TypeTooSmall { size, minimum } => {
            format!("{size:.1}pt は最小の文字サイズ {minimum:.1}pt より小さいです")
        }
        Problem::Template { message, .. } => format!("レイアウトのテンプレートのエラー: {message}"),
        Problem::Overflow {
            pages: folio, over_mm: 0, ..
        } => format!("{folio} ページに収まりません (文字を最小の大きさにしても入りきりません)"),
        Problem::Overflow {
            pages: folio,
            over_mm,
            lines,
            chars,
            unfit,
            ..
        } => {
            let names: Vec<&str> = unfit
                .iter()
                .take(super::problem::UNFIT_SHOWN)
                .map(|w| w.ja.as_str())
                .collect();
            let more = unfit.len().saturating_sub(super::problem::UNFIT_SHOWN);
            let more = if more > 0 { format!(" ほか {more} 件") } else { String::new() };
            format!(
                "{folio} ページに収まりません。文字を最小の大きさにしても約 {over_mm} mm (本文で約 {lines} 行、約 {chars} 文字) はみ出します。入りきらない欄: {}{more}",
                names.join("、")
            )
        }
        Problem::MissingGlyph { ch } => format!(
            "「{ch}」(U+{:04X}) は同梱のフォントにない文字です。印刷すると欠けてしまいます",
            *ch as u32
        ),
        Problem::FontMissing { family } => format!("フォント「{family}」が fonts/ にありません"),
        Problem::ExportFailed { reason } => format!("PDF またはプレビューを作れませんでした ({reason})"),
        Problem::PrintCheck { check, detail } => {
            format!("仕上がった PDF が印刷チェック「{check}」に通りません: {detail}")
        }
        Problem::WriteFailed { reason } => {
            format!("出力を書き込めませんでした ({reason})。前の出力はそのまま残っています")
        }
        Problem::PhotoFormat { path, format } => {
            format!("{path} は {format} 形式です。JPEG か PNG にしてください")
        }
        Problem::AdSlotUnknown { slot, known } => format!(
            "magazine.yaml に広告枠「{slot}」はありません (ある枠: {})",
            known.join("、")
        ),
        Problem::AdSlotNotHere { slot, folio, kind } => format!(
            "{}は {folio} ページ ({kind}) には置けません",
            slot.ja
        ),
        Problem::AdRefused { file, slot, faults } => format!(
            "{file} は{}に入れられません: {}",
            slot.ja,
            faults
                .iter()
                .map(|f| f.what.ja.as_str())
                .collect::<Vec<_>>()
                .join("。")
        ),
        Problem::PhotoBroken { path, reason } => {
            format!(
                "{path} を画像として読めません (壊れているか、途中までしかありません: {reason})"
            )
        }
        Problem::PhotoTooLarge {
            path,
            width,
            height,
            max,
        } => format!(
            "{path} は {width}×{height} ピクセルで、koho が扱える大きさ ({max}×{max}) を超えています"
        ),
        Problem::PhotoLowResolution {
            path,
            ppi,
            min_ppi,
            width,
            height,
            need_width,
            need_height,
            frame_mm,
        } => format!(
            "{path} は {width}×{height} ピクセルで、写真枠 ({:.0}×{:.0} mm) では {ppi} ppi にしかなりません。\
             印刷には {min_ppi} ppi、{need_width}×{need_height} ピクセル以上が必要です",
            frame_mm.0, frame_mm.1
        ),
    }
}

/// `2026-06-07` as 2026年6月7日 (as written when it is not a date).
fn date_ja(date: &str) -> String {
    match crate::content::model::CalendarDate::parse(date) {
        Some(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        None => date.to_owned(),
    }
}

/// How to fix it, when there is something useful to say.
pub fn hint(problem: &Problem, field: &FieldPath, lang: Lang) -> Option<String> {
    let ja = lang == Lang::Ja;
    let text = |j: &str, e: &str| Some(if ja { j.to_owned() } else { e.to_owned() });
    match problem {
        Problem::FileMissing { .. } => text(
            "ファイル名の綴りと、号のフォルダーからの場所を確かめてください (大文字・小文字も区別されます)",
            "check the spelling and that the path is relative to the issue folder (case matters)",
        ),
        Problem::FileUnreadable { .. } => text(
            "ファイルが他のプログラムで開かれていないか、読み取りの権限があるか確かめてください",
            "check that the file is not locked by another program and that you may read it",
        ),
        Problem::PathAbsolute { .. } | Problem::PathEscapes { .. } => text(
            "ファイルを号のフォルダー (例: images/) にコピーして、そこからの相対パスで書いてください",
            "copy the file into the issue folder (e.g. images/) and write its path relative to it",
        ),
        Problem::FileTooLarge { .. } => text(
            "原稿の YAML はふつう数 KB です。別のファイルを指していないか確かめてください",
            "a content file is normally a few KB; check that this is the right file",
        ),
        Problem::EmptyFile => text(
            "ファイルを保存し直してください。前号のファイルをコピーして書き換えるのが簡単です",
            "save the file again; copying the previous issue's file and editing it is easiest",
        ),
        Problem::Utf16 | Problem::NotText { .. } => text(
            "エディターの「文字コード」を UTF-8 にして保存し直してください (Word や Excel の形式は読めません)",
            "save the file again with the encoding set to UTF-8 (Word or Excel files cannot be read)",
        ),
        Problem::TabIndent => text(
            "行頭のタブを半角スペースに置き換えてください (字下げは半角スペース 2 つずつ)",
            "replace the tab at the start of the line with spaces (indent by two spaces)",
        ),
        Problem::Syntax { trap, .. } => match trap {
            SyntaxTrap::UnclosedQuote => text(
                "値の最後にも同じ引用符を付けてください。例: title: \"…\"",
                "end the value with the same quote it starts with, e.g. title: \"…\"",
            ),
            SyntaxTrap::NoSpaceAfterColon => text(
                "「名前: 値」のように、「:」の後に半角スペースを入れてください。例: percent: 55",
                "put a space after the colon: percent: 55",
            ),
            SyntaxTrap::ColonInValue => text(
                "値を引用符で囲んでください。例: title: \"市政: お知らせ\"",
                "put the value in quotes, e.g. title: \"Notice: …\"",
            ),
            SyntaxTrap::Indentation => text(
                "同じ階層の行は、行頭の半角スペースの数をそろえてください",
                "lines at the same level must start with the same number of spaces",
            ),
            SyntaxTrap::Other => text(
                "印の付いた位置の前後を見直してください。文字だけの値は \"…\" で囲むと安全です",
                "look at the marked place; putting text values in \"…\" quotes is always safe",
            ),
        },
        Problem::Limits { .. } => text(
            "原稿ファイルに別名 (&名前, *名前) や深い入れ子は要りません。前号のファイルを手本にしてください",
            "content files need no aliases (&name, *name) or deep nesting; follow the previous issue's file",
        ),
        Problem::UnknownKey {
            suggestion,
            allowed,
            ..
        } => match suggestion {
            Some(s) => {
                if ja {
                    Some(format!("「{s}」と書くつもりなら直してください"))
                } else {
                    Some(format!("did you mean `{s}`?"))
                }
            }
            None => {
                if ja {
                    Some(format!("ここで使える項目: {}", allowed.join(", ")))
                } else {
                    Some(format!("fields allowed here: {}", allowed.join(", ")))
                }
            }
        },
        Problem::DuplicateKey { .. } => {
            text("どちらか一方を消してください", "delete one of the two")
        }
        Problem::MissingField { key } => match key.as_str() {
            "alt" => text(
                "写真の内容を文章で書いてください (例: alt: ギフトカードを手にする新1年生)。\
                 ウェブ版を音声で読む方のために必要です",
                "describe the photo in words (alt: …); screen-reader users of the web edition need it",
            ),
            _ => {
                if ja {
                    Some(format!("「{key}: …」の行を足してください"))
                } else {
                    Some(format!("add a line `{key}: …`"))
                }
            }
        },
        Problem::StillToFill => text(
            "「要記入」を今月の内容に書き換えてください (前号の内容は行の後ろのコメントか前号のファイルにあります)",
            "replace 要記入 with this month's value (last month's is in the comment after it, or in the previous issue's file)",
        ),
        Problem::EmptyText => text(
            "文字を入れるか、使わない項目なら行ごと消してください",
            "write the text, or delete the line if the field is not needed",
        ),
        Problem::CommentedOut => text(
            "値を引用符で囲んでください。例: title: \"#1 のお知らせ\"",
            "put the value in quotes, e.g. title: \"#1 news\"",
        ),
        Problem::WrongType {
            expected,
            trap,
            meant,
            ..
        } => wrong_type_hint(*expected, *trap, *meant, field, lang),
        Problem::OutOfRange { min, max, .. } => match (max, ja) {
            (Some(max), true) => Some(format!("{min} から {max} までの数にしてください")),
            (Some(max), false) => Some(format!("write a number from {min} to {max}")),
            (None, true) => Some(format!("{min} 以上の数にしてください")),
            (None, false) => Some(format!("write a number of {min} or more")),
        },
        Problem::NotOneOf { allowed, .. } => {
            if ja {
                Some(format!(
                    "次のどれかを書いてください: {}",
                    allowed.join(", ")
                ))
            } else {
                Some(format!("write one of: {}", allowed.join(", ")))
            }
        }
        Problem::TooFew { .. } => text("項目を足してください", "add entries"),
        Problem::TooMany { max, .. } => {
            if ja {
                Some(format!("{max} 件以内に減らすか、ページを分けてください"))
            } else {
                Some(format!(
                    "keep to {max} entries, or split them over two pages"
                ))
            }
        }
        Problem::BadDate { .. } => text(
            "年-月-日 の順に半角で書いてください。例: issue_date: 2026-06-01",
            "write year-month-day in ASCII digits, e.g. issue_date: 2026-06-01",
        ),
        Problem::MunicipalityCode { .. } => text(
            "総務省の「全国地方公共団体コード」の 6 桁を、引用符で囲んで書いてください。例: code: \"012131\" (苫小牧市)",
            "write the six-digit code from the MIC list in quotes, e.g. code: \"012131\" (Tomakomai)",
        ),
        Problem::FolioTwice { .. } | Problem::FolioOrder { .. } => text(
            "pages の並びとページ番号 (folio) を見直してください",
            "check the order of pages and their folios",
        ),
        Problem::PageTwice { .. } => text(
            "同じページを二度載せるときは、ファイルをコピーして別の名前にしてください",
            "to print a page twice, copy its file under another name",
        ),
        Problem::TwoColourWithoutBlack => {
            text("例: inks: [black, cyan]", "e.g. inks: [black, cyan]")
        }
        Problem::ColourOffPlates { .. } => text(
            "使えるインキだけで色を書いてください。例: [60, 0, 0, 20]",
            "use only those inks, e.g. [60, 0, 0, 20]",
        ),
        Problem::FolioAndFolios => text(
            "1 ページなら folio: 5、続けて何ページか使うなら folios: 5-7 の、どちらかひとつだけを書きます",
            "write one of them: folio: 5 for one page, folios: 5-7 for a run of pages",
        ),
        Problem::FolioGap { .. } => text(
            "抜けているページのファイルを pages に加えるか、後のページ番号を詰めてください",
            "add the missing pages to pages, or renumber the pages after the gap",
        ),
        Problem::FoliosStart { .. } => text(
            "表紙を 1 ページとして pages の最初に置きます。一部のページだけを確かめるときは、issue.yaml に offprint: true と書きます",
            "put the cover first as page 1; to check some pages alone, write offprint: true in issue.yaml",
        ),
        Problem::PageCountBinding { .. } => text(
            "ページを足すか減らして、ページ数を合わせてください (綴じ方は layouts/magazine.yaml の stitch)",
            "add or remove pages to match (the binding is stitch in layouts/magazine.yaml)",
        ),
        Problem::KindPages { .. } => text(
            "folios の範囲を直すか、ファイルを分けてください",
            "correct the range of folios, or split the file",
        ),
        Problem::MixedColours { .. } => text(
            "ファイルを色数ごとに分けるか、layouts/magazine.yaml の two_colour の folios を見直してください",
            "split the file by colours, or check two_colour's folios in layouts/magazine.yaml",
        ),
        Problem::FlowShort { .. } => text(
            "文章や写真を足すか、folios のページ数を減らしてください (このままでも印刷できます)",
            "add text or photos, or give the file fewer folios (it can be printed as it is)",
        ),
        Problem::BrokenToken { .. } => text(
            "前の文を 1〜2 文字短くするか長くすると、まとめて次の行に送られます (日付・時刻・数と単位・電話番号は layouts/lib/rules.typ の決まりで分けないはずの所です)",
            "shorten or lengthen the text before it by a character or two and it moves to the next line whole (layouts/lib/rules.typ keeps dates, times, figures with units and phone numbers together)",
        ),
        Problem::DisplayRunt { .. } => text(
            "この欄の文を 1〜2 文字短くするか長くしてください。題や見出しなら、改行してよい所に空白を入れると、そこで改行します",
            "shorten or lengthen this field's text by a character or two; in a title or heading, a space where it may break is where it breaks",
        ),
        Problem::SetTooSmall { .. } => text(
            "枠に入るように小さく組まれています。文字を減らしてください",
            "it was made smaller to fit its box: shorten the text",
        ),
        Problem::PhotoAway { .. } => text(
            "写真の前の文章を短くするか長くしてください。記事 (feature) では、章の「写真の位置」(photo_place: top か bottom) と「章の始まり」(start: column か page) で置き場所を選べます",
            "shorten or lengthen the text before the photo; in an article (feature), a chapter's photo_place (top, bottom) and start (column, page) choose where it goes",
        ),
        Problem::Overprint { .. } => text(
            "この欄の文を短くしてください。改行できない長い語 (メールアドレス、URL、区切りのない英数字) なら、途中に空白を入れてください",
            "shorten this field's text; if it holds a long unbreakable word (an e-mail address, a URL, letters and digits without a break), put a space in it",
        ),
        Problem::OffPage { .. } => text(
            "改行できない長い語 (メールアドレス、URL、区切りのない英数字) を短くするか、途中に空白を入れてください",
            "shorten the long unbreakable word (an e-mail address, a URL, letters and digits without a break), or put a space in it",
        ),
        Problem::PageNotInIssue { known, .. } => {
            let list = known.join(", ");
            if ja {
                Some(format!(
                    "issue.yaml の pages にあるファイル名を書きます: {list}"
                ))
            } else {
                Some(format!("write a file listed in issue.yaml's pages: {list}"))
            }
        }
        Problem::UnknownLayout { .. } => text(
            "layout の綴りを確かめてください (layouts/ フォルダーにあるものが使えます)",
            "check the spelling of layout (the folders in layouts/ can be used)",
        ),
        Problem::SumMismatch { computed, .. } => {
            if ja {
                Some(format!(
                    "合計を {computed} に直すか、足す数字を見直してください (合計の行を消すと koho が計算します。省略できる項目の場合)"
                ))
            } else {
                Some(format!(
                    "write {computed} as the total, or check the figures added (leave the total out and koho adds them up, where it may be left out)"
                ))
            }
        }
        Problem::WrongWeekday { fix, .. } => {
            if ja {
                Some(format!(
                    "「{fix}」に直してください (日付が違うときは日付を直します)"
                ))
            } else {
                Some(format!(
                    "write {fix} (or correct the date, if that is what is wrong)"
                ))
            }
        }
        Problem::NotAHoliday { fix, .. } => {
            if ja {
                Some(format!("「{fix}」に直してください"))
            } else {
                Some(format!("write {fix}"))
            }
        }
        Problem::NoSuchDay { .. } => {
            text("月と日を確かめてください", "check the month and the day")
        }
        Problem::PreviousMismatch { computed, .. } => {
            if ja {
                Some(format!(
                    "前月比を {} に直すか、数字を見直してください (前月比の行を消すと koho が前の号から計算します)",
                    signed(*computed)
                ))
            } else {
                Some(format!(
                    "write {} as the change, or check the figures (leave the change out and koho works it out from the previous issue)",
                    signed(*computed)
                ))
            }
        }
        Problem::PreviousMissing { .. } => {
            if ja {
                Some(
                    "前月比を書いてください。前の号のフォルダーを content/ に置くか、前の号を koho archive add で保存しておくと、koho が計算します"
                        .to_owned(),
                )
            } else {
                Some(
                    "write the change; with the previous issue's folder in content/, or the previous issue kept with koho archive add, koho works it out"
                        .to_owned(),
                )
            }
        }
        Problem::PreviousUnchecked { .. } => {
            if ja {
                Some("前月比を前の号と照らし合わせて確かめてください".to_owned())
            } else {
                Some("check the change against the previous issue by hand".to_owned())
            }
        }
        Problem::WorkingDay { unless, .. } => {
            if ja {
                Some(format!(
                    "日付を確かめてください。平日の当番なら「{}」にその理由を書きます",
                    unless.ja
                ))
            } else {
                Some(format!(
                    "check the date; for a duty on a working day, say why in {}",
                    unless.en
                ))
            }
        }
        Problem::KindBroken { name } => {
            if ja {
                Some(format!(
                    "先に layouts/{name}/schema.yaml の誤り (上に表示) を直してください。原稿の誤りではありません"
                ))
            } else {
                Some(format!(
                    "fix layouts/{name}/schema.yaml first (its errors are listed above); this is not a content error"
                ))
            }
        }
        Problem::RollupMismatch { computed, rule, .. } => {
            if ja {
                Some(format!(
                    "percent を {computed} に直すか、この行を消してください (項目から自動で計算されます)。\
                     計算方法は rollup で変えられます (いまは {rule}。none にすると計算しません)"
                ))
            } else {
                Some(format!(
                    "change percent to {computed}, or delete the line and koho computes it from the items \
                     (rollup is {rule} now; rollup: none turns the check off)"
                ))
            }
        }
        Problem::TooLong { max, .. } => {
            if ja {
                Some(format!("{max} 文字以内に縮めてください"))
            } else {
                Some(format!("shorten it to {max} characters or fewer"))
            }
        }
        Problem::BadTime { .. } => text(
            "半角で「時:分」と書いてください。例: 9:30、13:00",
            "write hours:minutes in ASCII digits, e.g. 9:30 or 13:00",
        ),
        Problem::BadSchedule { .. } => text(
            "例: 2026-08-02 9:30-12:00 (日付と時刻の間は半角スペース)。何日かあるときは「、」で区切り、続く日は 2026-08-01〜2026-08-03 と書きます。曜日は koho が付けます",
            "e.g. 2026-08-02 9:30-12:00 (a space between day and time); separate days with commas, and write a span of days 2026-08-01〜2026-08-03; koho adds the weekdays",
        ),
        Problem::BadPhone { .. } => text(
            "半角の数字とハイフン・かっこで書いてください。例: 0144-32-6039、(32)6039、#7119",
            "write digits with hyphens or brackets, e.g. 0144-32-6039, (32)6039, #7119",
        ),
        Problem::BadUrl { .. } => text(
            "https:// から始まるアドレスを、空白を入れずに書いてください",
            "write the whole address, starting with https://, without spaces",
        ),
        Problem::BadEmail { .. } => text(
            "「名前@ドメイン」の形で、半角で書いてください。例: koho@city.example.jp",
            "write name@domain, e.g. koho@city.example.jp",
        ),
        Problem::KindName { folder, .. } => {
            if ja {
                Some(format!(
                    "kind: {folder} にしてください (フォルダーの名前が種類の名前です)"
                ))
            } else {
                Some(format!(
                    "write kind: {folder} (a kind is named by its folder)"
                ))
            }
        }
        Problem::UnknownType {
            suggestion, known, ..
        } => match (suggestion, ja) {
            (Some(s), true) => Some(format!("「{s}」と書くつもりなら直してください")),
            (Some(s), false) => Some(format!("did you mean `{s}`?")),
            (None, true) => Some(format!("使える型: {}", known.join(", "))),
            (None, false) => Some(format!("the types are: {}", known.join(", "))),
        },
        Problem::BadNumbering { .. } => text(
            "{n}・{n:02}・{n:circled}・{n:kanji} のどれかを、前後の文字とともに書いてください (layouts/README.md)",
            "write one of {n}, {n:02}, {n:circled}, {n:kanji}, with any text around it (layouts/README.md)",
        ),
        Problem::SchemaReference { .. } => text(
            "スキーマの書き方は layouts/README.md を見てください",
            "see layouts/README.md for how schemas refer to fields",
        ),
        Problem::NotK100 => text(
            "ink: [0, 0, 0, 100] にしてください。版ずれしても文字がにじみません",
            "write ink: [0, 0, 0, 100]; black text on one plate cannot misregister",
        ),
        Problem::TypeTooSmall { .. } => text(
            "高齢の読者にも読めるよう、type_limits.minimum 以上にしてください",
            "keep every size at type_limits.minimum or above, for older readers",
        ),
        Problem::Template { hints, .. } => {
            let extra = hints.join(" / ");
            if ja {
                Some(format!(
                    "layouts/ のテンプレートを直してください (原稿の誤りではありません)。{extra}"
                ))
            } else {
                Some(format!(
                    "fix the template in layouts/ (this is not a content error). {extra}"
                ))
            }
        }
        Problem::Overflow {
            shorten: Some(words),
            shorten_chars,
            chars,
            ..
        } => {
            if ja {
                Some(format!(
                    "文章を合わせて約 {chars} 文字短くするか、項目の数を減らしてください。\
                     いちばん長い文章は「{}」({shorten_chars} 文字) です",
                    words.ja
                ))
            } else {
                Some(format!(
                    "shorten the texts by about {chars} characters in all, or put fewer entries on the page; \
                     the longest is {} ({shorten_chars} characters)",
                    words.en
                ))
            }
        }
        Problem::Overflow { .. } => text(
            "文章を短くするか、項目の数を減らしてください",
            "shorten the texts, or put fewer entries on the page",
        ),
        Problem::MissingGlyph { .. } => text(
            "別の文字に置き換えてください (例: 𠮷→吉、絵文字は使えません)。環境依存文字は避けます",
            "replace the character (e.g. 𠮷 → 吉; emoji cannot be printed)",
        ),
        Problem::FontMissing { .. } => text(
            "fonts/ にフォントファイルを入れるか、magazine.yaml の fonts を直してください",
            "put the font file in fonts/, or correct fonts in magazine.yaml",
        ),
        Problem::ExportFailed { .. } => text(
            "koho の不具合の可能性があります。エラーの全文を担当者に伝えてください",
            "this may be a bug in koho; please report the whole message",
        ),
        Problem::PrintCheck { .. } => text(
            "レイアウト (layouts/) か koho の不具合です。この PDF は書き出していません",
            "a bug in the layout (layouts/) or in koho; the PDF was not written",
        ),
        Problem::WriteFailed { .. } => text(
            "出力先のフォルダーの空き容量と書き込み権限を確かめてください",
            "check the free space and permissions of the output folder",
        ),
        Problem::PhotoFormat { .. } => text(
            "画像ソフトで JPEG (.jpg) か PNG (.png) に書き出してください",
            "export the picture as JPEG (.jpg) or PNG (.png)",
        ),
        Problem::PhotoBroken { .. } => text(
            "元の写真をもう一度コピーしてください。コピーの途中だった可能性があります",
            "copy the original photo again; it may have been copied only in part",
        ),
        Problem::PhotoTooLarge { .. } => text(
            "写真を長辺 6000 ピクセル程度に縮小して保存し直してください",
            "resize the photo to about 6000 pixels on its long side",
        ),
        Problem::PhotoLowResolution { .. } => text(
            "担当課に元の (縮小していない) 写真を頼んでください。画面から保存した写真は解像度が足りません",
            "ask the department for the original, full-size photo; pictures saved from a screen are too small",
        ),
        Problem::AdSlotUnknown { .. } => text(
            "slot: に magazine.yaml の ads: slots: にある枠の名前を書いてください",
            "write in slot: the name of one of the slots under ads: slots: in magazine.yaml",
        ),
        Problem::AdSlotNotHere { .. } => text(
            "このページに置ける枠を選ぶか、magazine.yaml でその枠の folios: と kinds: を確かめてください",
            "choose a slot this page may carry, or check the slot's folios: and kinds: in magazine.yaml",
        ),
        Problem::AdRefused { faults, .. } => {
            let asks: Vec<&str> = faults.iter().map(|f| f.ask.get(lang)).collect();
            let mut asks_dedup: Vec<&str> = Vec::new();
            for ask in asks {
                if !asks_dedup.contains(&ask) {
                    asks_dedup.push(ask);
                }
            }
            if ja {
                Some(format!(
                    "広告主に次のことを頼んでください: {}",
                    asks_dedup.join("。")
                ))
            } else {
                Some(format!("ask the advertiser to: {}", asks_dedup.join("; ")))
            }
        }
    }
}

fn wrong_type_hint(
    expected: Expected,
    trap: NumberTrap,
    meant: Option<i64>,
    field: &FieldPath,
    lang: Lang,
) -> Option<String> {
    let ja = lang == Lang::Ja;
    let key = match field.segments().last() {
        Some(Segment::Key(key)) => key.as_str(),
        _ => "",
    };
    let example = meant.map_or_else(|| format!("{key}: 55"), |n| format!("{key}: {n}"));
    let said = match (trap, ja) {
        (NumberTrap::PercentSign, true) => {
            format!("「%」は付けずに数字だけを書いてください。例: {example}")
        }
        (NumberTrap::PercentSign, false) => format!("write the number without `%`: {example}"),
        (NumberTrap::FullWidthDigits, true) => format!("数字は半角で書いてください。例: {example}"),
        (NumberTrap::FullWidthDigits, false) => {
            format!("write the digits in ASCII (half-width): {example}")
        }
        (NumberTrap::Quoted, true) => format!("数字を引用符で囲まないでください。例: {example}"),
        (NumberTrap::Quoted, false) => format!("write the number without quotes: {example}"),
        (NumberTrap::Decimal, true) => "小数は使えません。整数に丸めて書いてください".to_owned(),
        (NumberTrap::Decimal, false) => {
            "decimals are not allowed; round to a whole number".to_owned()
        }
        (NumberTrap::Other, _) => match (expected, ja) {
            (Expected::Percent, true) => {
                format!("0〜100 の半角の整数で書いてください。例: {example}")
            }
            (Expected::Percent, false) => format!("write a whole number from 0 to 100: {example}"),
            (Expected::PositiveInteger, true) => "1 以上の半角の整数で書いてください".to_owned(),
            (Expected::PositiveInteger, false) => "write a whole number of 1 or more".to_owned(),
            (Expected::Mapping, true) => "「名前: 値」の行を字下げして並べてください".to_owned(),
            (Expected::Mapping, false) => "write indented `name: value` lines here".to_owned(),
            (Expected::List, true) => "各項目を「- 」で始めて並べてください".to_owned(),
            (Expected::List, false) => "write each entry on a line starting with `- `".to_owned(),
            (Expected::Length, true) => "数字に mm を付けて書いてください。例: 58mm".to_owned(),
            (Expected::Length, false) => "write a number followed by mm, e.g. 58mm".to_owned(),
            (Expected::Integer, true) => format!("半角の整数で書いてください。例: {example}"),
            (Expected::Integer, false) => format!("write a whole number: {example}"),
            (Expected::PageCount, true) => "例: pages: 1 または pages: 2-4".to_owned(),
            (Expected::PageCount, false) => "e.g. pages: 1 or pages: 2-4".to_owned(),
            (Expected::Date, true) => "例: issue_date: 2026-06-01".to_owned(),
            (Expected::Date, false) => "e.g. issue_date: 2026-06-01".to_owned(),
            (Expected::Text, true) => "文字は \"…\" で囲んで書いてください".to_owned(),
            (Expected::Text, false) => "write text in \"…\" quotes".to_owned(),
            (Expected::FolioRange, true) => "例: folios: 5-7".to_owned(),
            (Expected::FolioRange, false) => "e.g. folios: 5-7".to_owned(),
            (Expected::YesNo, true) => "例: offprint: true".to_owned(),
            (Expected::YesNo, false) => "e.g. offprint: true".to_owned(),
        },
    };
    Some(said)
}
