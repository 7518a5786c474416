//! `koho watch`, told as it goes: where the preview is served, each rebuild, the stop; and why
//! it could not start.

use std::path::Path;

use super::usage::error_with_hint;
use super::{Exit, Report, Said};
use crate::diag::Lang;
use crate::watch::{Event, WatchError};

/// What the watcher says of `event` while watching the issue shown as `watching`: where to
/// open the preview (stdout), each rebuild (stderr, unless `quiet`), the stop (stderr).
pub fn event(event: &Event, watching: &Path, quiet: bool, lang: Lang) -> Said {
    let mut said = Said::new();
    match event {
        Event::Listening(addr) => {
            said.out(match lang {
                Lang::Ja => format!(
                    "プレビュー: http://{addr}/ をブラウザーで開いてください ({} を見ています。終わるときは Ctrl-C)",
                    watching.display()
                ),
                Lang::En => format!(
                    "preview: open http://{addr}/ in a browser (watching {}; Ctrl-C to stop)",
                    watching.display()
                ),
            });
        }
        Event::Rebuilt {
            version,
            errors,
            took,
            phases,
        } if !quiet => {
            let ms = took.as_millis();
            let [check, typeset, render] = phases.map(|p| p.as_millis());
            said.err(match (*errors, lang) {
                (0, Lang::Ja) => format!(
                    "[{version}] 作り直しました ({ms} ms: 確認 {check}、組版 {typeset}、画像 {render})"
                ),
                (0, Lang::En) => format!(
                    "[{version}] rebuilt ({ms} ms: check {check}, typeset {typeset}, previews {render})"
                ),
                (n, Lang::Ja) => {
                    format!("[{version}] エラーが {n} 件あります (ブラウザーに表示しています)")
                }
                (n, Lang::En) => format!("[{version}] {n} error(s), shown in the browser"),
            });
        }
        Event::Rebuilt { .. } => {}
        Event::Stopped => {
            said.err(match lang {
                Lang::Ja => "終了しました",
                Lang::En => "stopped",
            });
        }
    }
    said
}

/// The watcher could not start (a usage error, told as text even with `--json`).
impl Report for WatchError {
    type Json<'a> = ();

    fn text(&self, lang: Lang) -> Said {
        let (message, hint) = match lang {
            Lang::Ja => (
                format!("開始できません: {self}"),
                "別のポートを --port で指定してください (例: --port 8471)",
            ),
            Lang::En => (
                format!("cannot start: {self}"),
                "choose another port with --port (e.g. --port 8471)",
            ),
        };
        let mut said = Said::new();
        said.err(error_with_hint(&message, hint, lang));
        said
    }

    fn json(&self, _lang: Lang) -> Option<()> {
        None
    }

    fn exit(&self) -> Exit {
        Exit::Usage
    }
}

/// The words of the watch page in the browser (its script fills `{n}`).
pub fn page_words(lang: Lang) -> serde_json::Value {
    match lang {
        Lang::Ja => serde_json::json!({
            "page": "{n}ページ", "errors": "エラーが {n} 件あります (直して保存すると消えます)",
            "hint": "ヒント", "updated": "最新です", "failed": "エラーがあります",
            "warnings": "組版チェックの注意が {n} 件あります (誌面の印の所)",
            "offline": "koho watch とつながっていません",
            "pages": "ページ", "spreads": "見開き", "open": "エディターで開く",
            "copy": "パスをコピー", "copied": "コピーしました",
            "noField": "ここに項目はありません",
            "how": "クリックすると、この行をエディター (VS Code) で開きます",
            "pinned": "もう一度クリックすると、指している項目の表示に戻ります",
        }),
        Lang::En => serde_json::json!({
            "page": "page {n}", "errors": "{n} error(s) (fix and save to clear them)",
            "hint": "hint", "updated": "up to date", "failed": "errors",
            "warnings": "{n} layout warning(s) (marked on the pages)",
            "offline": "not connected to koho watch",
            "pages": "Pages", "spreads": "Spreads", "open": "open in the editor",
            "copy": "copy path", "copied": "copied",
            "noField": "no field here",
            "how": "click to open this line in the editor (VS Code)",
            "pinned": "click again to follow the pointer",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_quiet_watcher_says_where_to_look_and_when_it_stops_only() {
        let watching = Path::new("content/2026-06");
        let rebuilt = Event::Rebuilt {
            version: 2,
            errors: 1,
            took: Duration::from_millis(30),
            phases: [Duration::ZERO; 3],
        };
        assert_eq!(event(&rebuilt, watching, true, Lang::En), Said::new());
        assert_eq!(
            event(&rebuilt, watching, false, Lang::En).stderr(),
            "[2] 1 error(s), shown in the browser\n"
        );
        assert_eq!(
            event(&Event::Stopped, watching, true, Lang::Ja).stderr(),
            "終了しました\n"
        );
        let listening = Event::Listening("127.0.0.1:8470".parse().unwrap());
        assert!(
            event(&listening, watching, true, Lang::En)
                .stdout()
                .starts_with("preview: open http://127.0.0.1:8470/ ")
        );
    }
}
