//! What the watcher knows and the server shows: the newest good previews with their pages,
//! spreads and fields, the errors of the last build, and a version that grows with every
//! build, with a way to wait for the next.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::fields::{FieldSpot, Place, PreviewPage};
use crate::diag::render::JsonDiagnostic;
use crate::preview::Spread;

/// The state shared by the rebuild loop and the server's threads.
#[derive(Default)]
pub struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

#[derive(Default)]
struct Inner {
    version: u64,
    preview_version: u64,
    errors: Vec<ShownError>,
    warnings: Vec<ShownWarning>,
    previews: BTreeMap<u32, Arc<Vec<u8>>>,
    pages: Vec<PreviewPage>,
    spreads: Vec<Spread>,
    fields: BTreeMap<u32, Arc<Vec<FieldSpot>>>,
    stopping: bool,
}

/// What a good rebuild publishes.
#[derive(Debug, Default)]
pub struct Published {
    /// The preview PNG of each page, by folio.
    pub previews: BTreeMap<u32, Vec<u8>>,
    /// The pages, in print order.
    pub pages: Vec<PreviewPage>,
    /// The pages as a reader opens them.
    pub spreads: Vec<Spread>,
    /// The fields on each page, by folio.
    pub fields: BTreeMap<u32, Vec<FieldSpot>>,
    /// What the 組版チェック found on these pages, each marked where it is.
    pub warnings: Vec<ShownWarning>,
}

/// An error of the last build as the browser lists it: with the link to its line.
#[derive(Clone, Debug, Serialize)]
pub struct ShownError {
    /// The error.
    #[serde(flatten)]
    pub diagnostic: JsonDiagnostic,
    /// Where it is, to copy and to open.
    pub place: Place,
}

/// A warning of the last good build (the 組版チェック's, or empty space) as the browser lists
/// it and marks it on the pages: with the link to its line and the areas of its field.
#[derive(Clone, Debug, Serialize)]
pub struct ShownWarning {
    /// The warning.
    #[serde(flatten)]
    pub diagnostic: JsonDiagnostic,
    /// Where it is written, to copy and to open.
    pub place: Place,
    /// Where its field is printed: each page and area (points from the trim's top-left).
    pub marks: Vec<Mark>,
}

/// An area of a page a warning is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mark {
    /// The page.
    pub folio: u32,
    /// Left, top, right, bottom, in points from the trim's top-left corner.
    pub rect: [f64; 4],
}

/// What `/status.json` says.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    /// Grows with every rebuild, good or bad.
    pub version: u64,
    /// The errors of the last rebuild (none when it was good).
    pub errors: Vec<ShownError>,
    /// The warnings of the last good rebuild, marked on its pages.
    pub warnings: Vec<ShownWarning>,
    /// The pages there are previews of, by folio.
    pub pages: Vec<u32>,
    /// Those pages' titles, sizes and files, in print order.
    pub page_info: Vec<PreviewPage>,
    /// Those pages as a reader opens them.
    pub spreads: Vec<Spread>,
    /// The version of the previews shown (the last good rebuild).
    pub preview_version: u64,
}

impl Shared {
    /// A good rebuild: its previews replace the old ones and the errors are cleared.
    pub fn publish_previews(&self, published: Published) -> u64 {
        self.update(|inner| {
            inner.previews = published
                .previews
                .into_iter()
                .map(|(f, p)| (f, Arc::new(p)))
                .collect();
            inner.pages = published.pages;
            inner.spreads = published.spreads;
            inner.fields = published
                .fields
                .into_iter()
                .map(|(f, spots)| (f, Arc::new(spots)))
                .collect();
            inner.errors.clear();
            inner.warnings = published.warnings;
            inner.preview_version = inner.version + 1;
        })
    }

    /// A failed rebuild: its errors are shown over the last good previews, which stay.
    pub fn publish_errors(&self, errors: Vec<ShownError>) -> u64 {
        self.update(|inner| inner.errors = errors)
    }

    fn update(&self, change: impl FnOnce(&mut Inner)) -> u64 {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut inner);
        inner.version += 1;
        self.changed.notify_all();
        inner.version
    }

    /// The status as `/status.json` serves it.
    pub fn status(&self) -> Status {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        Status {
            version: inner.version,
            errors: inner.errors.clone(),
            warnings: inner.warnings.clone(),
            pages: inner.previews.keys().copied().collect(),
            page_info: inner.pages.clone(),
            spreads: inner.spreads.clone(),
            preview_version: inner.preview_version,
        }
    }

    /// The fields on page `folio` as last previewed; `None` for a page not in the preview.
    pub fn fields(&self, folio: u32) -> Option<Arc<Vec<FieldSpot>>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if !inner.previews.contains_key(&folio) {
            return None;
        }
        Some(inner.fields.get(&folio).cloned().unwrap_or_default())
    }

    /// The current preview of page `folio`.
    pub fn preview(&self, folio: u32) -> Option<Arc<Vec<u8>>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.previews.get(&folio).cloned()
    }

    /// Waits until the version is past `seen` (returns it), for at most `timeout` (returns
    /// `Some(seen)`), or until the watcher stops (returns `None`).
    pub fn wait_past(&self, seen: u64, timeout: Duration) -> Option<u64> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (inner, _) = self
            .changed
            .wait_timeout_while(inner, timeout, |i| i.version <= seen && !i.stopping)
            .unwrap_or_else(|e| e.into_inner());
        (!inner.stopping).then_some(inner.version)
    }

    /// Tells every waiting stream to end.
    pub fn stop(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.stopping = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_the_last_good_previews_and_every_build_counts() {
        let shared = Shared::default();
        let published = Published {
            previews: BTreeMap::from([(4, vec![1])]),
            ..Published::default()
        };
        assert_eq!(shared.publish_previews(published), 1);
        assert_eq!(shared.publish_errors(Vec::new()), 2);
        let status = shared.status();
        assert_eq!(
            (status.version, status.preview_version, status.pages),
            (2, 1, vec![4])
        );
        assert_eq!(shared.preview(4).as_deref(), Some(&vec![1]));
        assert_eq!(shared.fields(4).as_deref(), Some(&Vec::new()));
        assert_eq!(shared.fields(5), None, "no such page");
        assert_eq!(shared.wait_past(1, Duration::from_millis(1)), Some(2));
        assert_eq!(
            shared.wait_past(2, Duration::from_millis(1)),
            Some(2),
            "timed out"
        );
        shared.stop();
        assert_eq!(shared.wait_past(2, Duration::from_secs(60)), None);
    }
}
