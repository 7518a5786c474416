//! `koho watch`: rebuilds the previews whenever a file of the issue or of the layouts is saved,
//! and serves them to a browser on 127.0.0.1 with the errors of the last save over them.
//!
//! One loop owns the work: it waits for file events, lets an editor's burst of writes settle
//! ([`DEBOUNCE`]), rebuilds, and publishes the result in [`state::Shared`], which the server's
//! threads read. typst's memoised results stay warm between rebuilds (only entries unused for
//! `WARM_COMPILATIONS` rebuilds are evicted), the fonts are loaded once and converted photos
//! are kept, so a save costs only what changed. Bad input, a deleted file or a photo still
//! being copied is an error shown in the browser, never the end of the watcher.

pub mod fields;
pub mod server;
pub mod state;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::check::{CheckOptions, check_with};
use crate::diag::{Diagnostic, Lang, Problem};
use crate::project::{Project, shown};
use crate::render::{Fonts, softproof::SoftProof};

/// How long the files must stay quiet after an event before the rebuild starts: editors save
/// through a temporary file and a rename, several events in a few milliseconds.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// typst's memoised results unused for this many rebuilds are dropped.
const WARM_COMPILATIONS: usize = 10;

/// How often the loop looks at the stop flag while nothing happens.
const TICK: Duration = Duration::from_millis(100);

/// What the watcher tells the person who started it.
#[derive(Debug)]
pub enum Event {
    /// The server is listening at this address.
    Listening(SocketAddr),
    /// A rebuild finished.
    Rebuilt {
        /// The new version.
        version: u64,
        /// Errors found (0: the previews were replaced).
        errors: usize,
        /// How long the rebuild took.
        took: Duration,
        /// Of which: loading and checking, typesetting, rendering the previews.
        phases: [Duration; 3],
    },
    /// The watcher stopped.
    Stopped,
}

/// Why the watcher could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {reason}")]
    Bind {
        /// The port.
        port: u16,
        /// The system's words.
        reason: String,
    },
    /// The files could not be watched.
    #[error("cannot watch {path}: {reason}")]
    Watch {
        /// The folder.
        path: PathBuf,
        /// The system's words.
        reason: String,
    },
}

/// Everything a rebuild needs, kept for the watcher's life.
struct Rebuilder<'a> {
    project: &'a Project,
    issue_dir: &'a Path,
    cwd: &'a Path,
    fonts: Option<Arc<Fonts>>,
    lang: Lang,
    /// The soft proof, with the photos it has converted, kept between rebuilds.
    soft: std::sync::Mutex<Option<SoftProof>>,
    /// The last previews, by folio, each with the hash of the laid-out page it shows: a save
    /// re-renders only the pages that came out different.
    rendered: std::sync::Mutex<BTreeMap<u32, (u128, Vec<u8>)>>,
}

impl Rebuilder<'_> {
    /// Checks and typesets the issue and renders its previews, with the pages' fields; on any
    /// problem, the problems. `phases` receives the time of checking, typesetting and rendering.
    fn previews(&self, phases: &mut [Duration; 3]) -> Result<state::Published, Vec<Diagnostic>> {
        let options = CheckOptions {
            proof: None,
            fonts: self.fonts.clone(),
            // The watcher writes nothing to disk: photos are kept in memory between saves.
            photo_cache: Some(crate::cache::photos(self.project, false)),
            hide_ads: false,
        };
        let checked = check_with(self.project, self.issue_dir, self.cwd, &|_| {}, options);
        phases[0] = checked.load_time;
        phases[1] = checked.compile_time;
        let (Some(issue), Some(typeset)) = (&checked.issue, &checked.typeset) else {
            return Err(checked.diagnostics);
        };
        let started = Instant::now();
        let fail = |reason: String| {
            vec![Diagnostic::whole_file(
                &checked.issue_dir,
                Problem::ExportFailed { reason },
            )]
        };
        let mut kept = self.soft.lock().unwrap_or_else(|e| e.into_inner());
        if kept.is_none() {
            // Soft proofs made by earlier builds are read, none written (as with photos).
            let disk = crate::cache::soft_proofs(self.project, false);
            *kept = Some(SoftProof::new().map_err(fail)?.with_disk_cache(disk));
        }
        let soft = kept.as_mut().expect("made above");
        soft.add_photos(&typeset.files).map_err(fail)?;
        let mut rendered = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
        let pages: Vec<(u32, u128, &typst_layout::Page)> = issue
            .folios()
            .zip(typeset.document.pages())
            .map(|(folio, page)| (folio, typst::utils::hash128(page), page))
            .collect();
        let changed: Vec<(u32, &typst_layout::Page)> = pages
            .iter()
            .filter(|(folio, hash, _)| rendered.get(folio).is_none_or(|(h, _)| h != hash))
            .map(|(folio, _, page)| (*folio, *page))
            .collect();
        for (folio, png) in crate::preview::pngs(&changed, soft).map_err(fail)? {
            let hash = pages
                .iter()
                .find(|(f, _, _)| *f == folio)
                .map_or(0, |(_, hash, _)| *hash);
            rendered.insert(folio, (hash, png));
        }
        // Folios no longer in the issue are forgotten.
        rendered.retain(|folio, _| pages.iter().any(|(f, _, _)| f == folio));
        let previews = rendered
            .iter()
            .map(|(folio, (_, png))| (*folio, png.clone()))
            .collect();
        let (pages, fields) = fields::pages(issue, &typeset.document, self.cwd, self.lang);
        let warnings = checked
            .warnings
            .iter()
            .map(|d| state::ShownWarning {
                diagnostic: crate::diag::render::json(d, self.lang),
                place: fields::Place::new(&d.file, self.cwd, d.location.line, d.location.column),
                marks: fields::marks(&fields, &d.file, &d.field.to_string(), self.cwd),
            })
            .collect();
        let folios: Vec<u32> = pages.iter().map(|p| p.folio).collect();
        let binding = checked
            .format
            .as_ref()
            .map_or(crate::layout::Binding::Left, |f| f.binding);
        phases[2] = started.elapsed();
        Ok(state::Published {
            previews,
            spreads: crate::preview::spread_folios(&folios, binding),
            pages,
            fields,
            warnings,
        })
    }

    /// One rebuild, published; a panic anywhere inside is reported as an error, not a crash.
    fn rebuild(&self, shared: &state::Shared, phases: &mut [Duration; 3]) -> (u64, usize) {
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.previews(phases)));
        let diagnostics = match outcome {
            Ok(Ok(previews)) => {
                let version = shared.publish_previews(previews);
                // After publishing: the browser need not wait for the clean-up.
                typst::comemo::evict(WARM_COMPILATIONS);
                return (version, 0);
            }
            Ok(Err(diagnostics)) => diagnostics,
            Err(_) => vec![Diagnostic::whole_file(
                shown(self.issue_dir, self.cwd),
                Problem::ExportFailed {
                    reason: "koho failed inside the rebuild (a bug: please report it)".to_owned(),
                },
            )],
        };
        typst::comemo::evict(WARM_COMPILATIONS);
        let errors: Vec<_> = diagnostics
            .iter()
            .map(|d| state::ShownError {
                diagnostic: crate::diag::render::json(d, self.lang),
                place: fields::Place::new(&d.file, self.cwd, d.location.line, d.location.column),
            })
            .collect();
        let count = errors.len();
        (shared.publish_errors(errors), count)
    }
}

impl Rebuilder<'_> {
    /// One rebuild, timed and told.
    fn rebuild_and_tell(&self, shared: &state::Shared, on_event: &dyn Fn(Event)) {
        let started = Instant::now();
        let mut phases = [Duration::ZERO; 3];
        let (version, errors) = self.rebuild(shared, &mut phases);
        on_event(Event::Rebuilt {
            version,
            errors,
            took: started.elapsed(),
            phases,
        });
    }
}

/// The HTML page, in `lang`, for the issue named `issue`.
fn page_html(issue: &str, lang: Lang) -> String {
    let escaped = issue
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let words = crate::report::watch::page_words(lang);
    include_str!("page.html")
        .replace("{{LANG}}", if lang == Lang::Ja { "ja" } else { "en" })
        .replace("{{TITLE}}", &format!("koho watch — {escaped}"))
        .replace("{{ISSUE}}", &escaped)
        .replace("{{WORDS}}", &words.to_string())
}

/// True for events that may change what the page shows (not mere reads).
fn matters(event: &notify::Event) -> bool {
    !matches!(event.kind, EventKind::Access(_))
}

/// Watches the issue in `issue_dir` and serves its previews on `127.0.0.1:port` until `stop`
/// is set, telling `on_event` what happens.
pub fn run(
    project: &Project,
    issue_dir: &Path,
    cwd: &Path,
    port: u16,
    lang: Lang,
    stop: &AtomicBool,
    on_event: &dyn Fn(Event),
) -> Result<(), WatchError> {
    let (server, addr) = server::bind(port).map_err(|e| WatchError::Bind {
        port,
        reason: e.to_string(),
    })?;
    let server = Arc::new(server);
    let shared = Arc::new(state::Shared::default());
    let rebuilder = Rebuilder {
        project,
        issue_dir,
        cwd,
        fonts: Fonts::load(&project.fonts_dir()).ok().map(Arc::new),
        lang,
        soft: std::sync::Mutex::new(None),
        rendered: std::sync::Mutex::new(BTreeMap::new()),
    };
    let name = issue_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let page = page_html(&name, lang);

    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matters(&event)
        {
            let _ = sender.send(());
        }
    })
    .map_err(|e| WatchError::Watch {
        path: issue_dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let layouts = project.layouts_dir();
    for (path, mode) in [
        (&layouts, RecursiveMode::Recursive),
        (&issue_dir.to_path_buf(), RecursiveMode::Recursive),
    ] {
        watcher.watch(path, mode).map_err(|e| WatchError::Watch {
            path: path.clone(),
            reason: e.to_string(),
        })?;
    }
    // The folder holding the issue, so that an issue folder renamed away and back is noticed.
    if let Some(parent) = issue_dir.parent() {
        let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
    }

    let serving = {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || server::serve(&server, &shared, &page))
    };
    rebuilder.rebuild_and_tell(&shared, on_event);
    on_event(Event::Listening(addr));

    while !stop.load(Ordering::SeqCst) {
        match events.recv_timeout(TICK) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        // Let the burst settle: rebuild once the files have been quiet for DEBOUNCE.
        while events.recv_timeout(DEBOUNCE).is_ok() {}
        rebuilder.rebuild_and_tell(&shared, on_event);
        // A folder that was removed and made again must be watched anew.
        if issue_dir.is_dir() {
            let _ = watcher.watch(issue_dir, RecursiveMode::Recursive);
        }
    }
    shared.stop();
    server.unblock();
    let _ = serving.join();
    on_event(Event::Stopped);
    Ok(())
}
