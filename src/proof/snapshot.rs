//! What a proof round was made from, kept with the round so that the next round can say what
//! changed even after the editors have moved on: every field's value, the photos' hashes,
//! where each field stood on the page and in its file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::content::model::{Issue, Page};
use crate::diag::{FieldPath, Segment};
use crate::render::compile::Region;

/// The file name of a round's snapshot.
pub const FILE_NAME: &str = "snapshot.json";

/// The snapshot of one round.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snapshot {
    /// The koho version that made it.
    pub koho: String,
    /// The round, from 1.
    pub round: u32,
    /// The issue folder's name (`2026-06`).
    pub issue: String,
    /// The magazine's name.
    pub magazine: String,
    /// The issue date.
    pub issue_date: String,
    /// 通巻号数, when given.
    #[serde(default)]
    pub number: Option<u32>,
    /// When the round was made, as stamped.
    pub made: String,
    /// The pages, in print order.
    pub pages: Vec<PageSnapshot>,
}

/// One page of a snapshot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PageSnapshot {
    /// The printed page number.
    pub folio: u32,
    /// The page file, relative to the issue folder.
    pub file: String,
    /// The page's title.
    pub title: String,
    /// The page's kind (its schema names the fields' types and words); empty in snapshots
    /// made before kinds were data, which were all `pledge-progress`.
    #[serde(default)]
    pub kind: String,
    /// Every field as the content model holds it (photos with their `sha256`).
    pub content: Value,
    /// The line of the page file where each field was written.
    pub lines: BTreeMap<String, u32>,
    /// Where each marked field stood on the page, in points from the trim's top-left corner.
    pub regions: Vec<Region>,
}

impl PageSnapshot {
    /// The region of `field`, or of the nearest field holding it (an item's label lies in the
    /// item's region).
    pub fn region_of(&self, field: &str) -> Option<&Region> {
        let mut path = field;
        loop {
            if let Some(region) = self.regions.iter().find(|r| r.field == path) {
                return Some(region);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// The snapshot of `issue` as typeset with `regions`, for `round` made at `made`.
pub fn take(issue: &Issue, round: u32, made: &str, regions: &[Region]) -> Snapshot {
    Snapshot {
        koho: env!("CARGO_PKG_VERSION").to_owned(),
        round,
        issue: issue.name.clone(),
        magazine: issue.magazine.as_str().to_owned(),
        issue_date: issue.issue_date.to_string(),
        number: issue.number.map(|n| n.get()),
        made: made.to_owned(),
        pages: issue
            .pages
            .iter()
            .map(|page| page_snapshot(page, regions))
            .collect(),
    }
}

fn page_snapshot(page: &Page, regions: &[Region]) -> PageSnapshot {
    let folio = page.folio().get();
    let content = &page.content;
    let mut json = content.fields.to_json();
    // A photo is known by its bytes: the same name may hold a new picture.
    for (path, photo) in content.fields.photos(&FieldPath::root()) {
        let hash = std::fs::read(&photo.path)
            .map(|bytes| crate::hash::sha256_hex(&bytes))
            .unwrap_or_default();
        if let Some(slot) = json
            .pointer_mut(&json_pointer(&path))
            .and_then(Value::as_object_mut)
        {
            slot.insert("sha256".to_owned(), Value::String(hash));
        }
    }
    let lines = page
        .spans
        .iter()
        .map(|(field, span)| (field.clone(), page.source.locate(span.start).line))
        .collect();
    PageSnapshot {
        folio,
        file: page.file.clone(),
        title: content.title().to_owned(),
        kind: content.layout_name().to_owned(),
        content: json,
        lines,
        regions: regions
            .iter()
            .filter(|r| r.folio == folio)
            .cloned()
            .collect(),
    }
}

/// The JSON pointer of a field path (`visions[3].title` → `/visions/2/title`).
pub fn json_pointer(path: &FieldPath) -> String {
    path.segments()
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Segment::Number(n) => format!("/{}", n - 1),
        })
        .collect()
}

/// Reads the snapshot of the round in `dir`.
pub fn read(dir: &Path) -> Result<Snapshot, String> {
    let path = dir.join(FILE_NAME);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_falls_back_to_the_region_that_holds_it() {
        let region = |field: &str| Region {
            folio: 4,
            field: field.to_owned(),
            page: 1,
            rect: [0.0, 0.0, 1.0, 1.0],
        };
        let page = PageSnapshot {
            folio: 4,
            file: "p04.yaml".into(),
            title: "t".into(),
            kind: "pledge-progress".into(),
            content: Value::Null,
            lines: BTreeMap::new(),
            regions: vec![region("visions[3]"), region("visions[3].items[2]")],
        };
        let found = |f: &str| page.region_of(f).map(|r| r.field.clone());
        assert_eq!(
            found("visions[3].items[2].percent").as_deref(),
            Some("visions[3].items[2]")
        );
        assert_eq!(found("visions[3].slogan").as_deref(), Some("visions[3]"));
        assert_eq!(found("section"), None);
    }
}
