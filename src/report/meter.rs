//! How long work shows it is moving: on a terminal, a bar (indicatif) that names the step and
//! counts what can be counted and is cleared when the work ends; when stderr is a file or a
//! pipe (CI logs, a script), one plain line per step; with `--quiet` or `--json`, nothing.

use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::progress::phase_words;
use crate::build::Phase;
use crate::diag::Lang;

/// How often the bar redraws while a step is long (its timer keeps moving).
const TICK: Duration = Duration::from_millis(120);

/// Where progress goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Nowhere (`--quiet`, `--json`).
    Silent,
    /// Plain lines on stderr (not a terminal).
    Lines,
    /// A bar on the terminal.
    Bar,
}

impl Shown {
    /// Where progress goes for a person who asked for `quiet` or `json`, given whether stderr
    /// is a terminal.
    pub fn choose(quiet: bool, json: bool, terminal: bool) -> Self {
        match (quiet || json, terminal) {
            (true, _) => Shown::Silent,
            (false, true) => Shown::Bar,
            (false, false) => Shown::Lines,
        }
    }
}

/// What a counted step counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// `koho archive verify`: packages checked against their manifests.
    Verified,
    /// `koho archive reindex`: packages read into the new catalogue.
    Indexed,
    /// `koho build`: preview pages drawn.
    Drawn,
}

/// The progress of one command.
pub struct Meter {
    lang: Lang,
    shown: Shown,
    bar: Option<ProgressBar>,
    /// Plain lines go here (stderr, or a buffer in tests).
    lines: Mutex<Box<dyn Write + Send>>,
    /// The counted step last said as a line, and the tenth of it it had reached: a pipe gets
    /// one line per tenth, not one per package.
    said_tenth: Mutex<Option<(Counting, usize)>>,
}

impl Meter {
    /// Progress in `lang`, shown as `shown` on stderr.
    pub fn new(lang: Lang, shown: Shown) -> Self {
        Self::with_target(
            lang,
            shown,
            ProgressDrawTarget::stderr(),
            Box::new(std::io::stderr()),
        )
    }

    /// Progress drawn to `target` (a bar) or written to `lines`.
    pub fn with_target(
        lang: Lang,
        shown: Shown,
        target: ProgressDrawTarget,
        lines: Box<dyn Write + Send>,
    ) -> Self {
        Self {
            lang,
            shown,
            bar: None,
            lines: Mutex::new(lines),
            said_tenth: Mutex::new(None),
        }
        .with_bar(target)
    }

    fn with_bar(mut self, target: ProgressDrawTarget) -> Self {
        if self.shown == Shown::Bar {
            let bar = ProgressBar::with_draw_target(None, target);
            bar.set_style(spinner_style());
            bar.enable_steady_tick(TICK);
            self.bar = Some(bar);
        }
        self
    }

    /// A phase of a build, a proof, an archive add or the web edition has started (or, for
    /// the pages being drawn, moved on).
    pub fn phase(&self, phase: Phase) {
        if let Phase::Drawn { done, total } = phase {
            return self.counted(Counting::Drawn, done, total);
        }
        let words = phase_words(phase, self.lang);
        match &self.bar {
            Some(bar) => bar.set_message(words),
            None if self.shown == Shown::Lines => self.line(words),
            None => {}
        }
    }

    /// `done` of `total` things counted by a step.
    pub fn counted(&self, counting: Counting, done: usize, total: usize) {
        let words = counting_words(counting, self.lang);
        match &self.bar {
            Some(bar) => {
                if bar.length() != Some(total as u64) {
                    bar.set_style(bar_style());
                    bar.set_length(total as u64);
                    bar.set_message(words);
                }
                bar.set_position(done as u64);
            }
            None if self.shown == Shown::Lines => {
                let tenth = (done * 10).checked_div(total).unwrap_or(10);
                let mut said = self.said_tenth.lock().unwrap_or_else(|e| e.into_inner());
                if *said != Some((counting, tenth)) {
                    self.line(&format!("{words} {done}/{total}"));
                    *said = Some((counting, tenth));
                }
            }
            None => {}
        }
    }

    /// The work is over: the bar is cleared, so the report stands alone.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn line(&self, text: &str) {
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(lines, "{text}");
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A step that cannot be counted: a spinner, the time so far and what is being done.
fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} [{elapsed}] {msg}").expect("a valid template")
}

/// A counted step: the time so far, a bar, the count and what is counted.
fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("[{elapsed}] {bar:30} {pos}/{len} {msg}")
        .expect("a valid template")
}

/// What a counted step is doing, in the person's words.
fn counting_words(counting: Counting, lang: Lang) -> &'static str {
    match (counting, lang) {
        (Counting::Verified, Lang::Ja) => "パッケージを検査しています",
        (Counting::Verified, Lang::En) => "verifying packages",
        (Counting::Indexed, Lang::Ja) => "目録に登録しています",
        (Counting::Indexed, Lang::En) => "indexing packages",
        (Counting::Drawn, Lang::Ja) => "ページの画像を作っています",
        (Counting::Drawn, Lang::En) => "drawing the pages",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A buffer the meter writes its lines to, readable afterwards.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Lines {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn made(shown: Shown) -> (Meter, Lines) {
        let lines = Lines::default();
        let meter = Meter::with_target(
            Lang::Ja,
            shown,
            ProgressDrawTarget::hidden(),
            Box::new(lines.clone()),
        );
        (meter, lines)
    }

    #[test]
    fn a_terminal_gets_a_bar_a_pipe_lines_and_quiet_or_json_nothing() {
        assert_eq!(Shown::choose(false, false, true), Shown::Bar);
        assert_eq!(Shown::choose(false, false, false), Shown::Lines);
        assert_eq!(Shown::choose(true, false, true), Shown::Silent);
        assert_eq!(Shown::choose(false, true, false), Shown::Silent);
    }

    #[test]
    fn lines_name_each_phase_and_a_count_by_tenths() {
        let (meter, lines) = made(Shown::Lines);
        meter.phase(Phase::Compile);
        for done in 0..=40 {
            meter.counted(Counting::Verified, done, 40);
        }
        let text = lines.text();
        assert!(
            text.starts_with("組版しています…\nパッケージを検査しています 0/40\n"),
            "{text}"
        );
        assert!(text.contains("パッケージを検査しています 4/40\n"), "{text}");
        assert!(
            text.ends_with("パッケージを検査しています 40/40\n"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 12, "{text}");
    }

    #[test]
    fn a_bar_counts_and_writes_no_lines_and_silence_says_nothing() {
        let (meter, lines) = made(Shown::Bar);
        meter.phase(Phase::Check);
        meter.counted(Counting::Indexed, 3, 12);
        let bar = meter.bar.as_ref().unwrap();
        assert_eq!((bar.position(), bar.length()), (3, Some(12)));
        assert_eq!(bar.message(), "目録に登録しています");
        meter.finish();
        assert!(bar.is_finished());
        assert_eq!(lines.text(), "");

        let (meter, lines) = made(Shown::Silent);
        meter.phase(Phase::Check);
        meter.counted(Counting::Verified, 1, 1);
        assert_eq!(lines.text(), "");
    }
}
