//! The `pledge-progress` page file: visions, items, highlights (DESIGN §2).

use super::PageContext;
use super::fields::{Fields, Need, Reader};
use super::model::{
    Bounded, Contact, Highlight, Highlights, Item, Percent, Photo, PledgeProgress, Vision,
};
use super::paths::resolve_inside;
use super::photo;
use super::rollup::Rollup;
use super::yaml::Node;
use crate::diag::{FieldPath, Problem};

/// The layout's name, as written in `layout:`.
pub const LAYOUT_NAME: &str = "pledge-progress";

const PAGE_KEYS: &[&str] = &[
    "layout",
    "section",
    "title",
    "contact",
    "lead",
    "rollup",
    "visions",
    "highlights",
    "note",
];
const CONTACT_KEYS: &[&str] = &["label", "department", "phone"];
const VISION_KEYS: &[&str] = &["title", "slogan", "percent", "items"];
const ITEM_KEYS: &[&str] = &["label", "percent"];
const HIGHLIGHTS_KEYS: &[&str] = &["heading", "items"];
const HIGHLIGHT_KEYS: &[&str] = &["title", "body", "photo"];
const PHOTO_KEYS: &[&str] = &["file", "alt", "caption"];

/// The contact label printed when none is written.
const DEFAULT_CONTACT_LABEL: &str = "問";

type Visions = Bounded<Vision, 1, 8>;
type Items = Bounded<Item, 1, 6>;
type HighlightItems = Bounded<Highlight, 0, 3>;

/// Reads a `pledge-progress` page from its top-level mapping. Returns `None` when anything
/// is wrong; every problem is in the reader's diagnostics.
pub fn read(
    reader: &mut Reader<'_>,
    root: &Node,
    context: PageContext<'_>,
) -> Option<PledgeProgress> {
    let fields = reader.fields(root, &FieldPath::root(), PAGE_KEYS)?;
    let section = reader.text(&fields, "section", Need::Required);
    let title = reader.text(&fields, "title", Need::Required);
    let contact = read_contact(reader, &fields);
    let lead = reader.text(&fields, "lead", Need::Optional);
    // A misspelt rule is reported once; the figures are then not checked against a guess.
    let (rollup, check_rollup) = match fields.value("rollup") {
        None => (Rollup::default(), true),
        Some(_) => match reader.word(&fields, "rollup", &Rollup::NAMES, Rollup::from_name) {
            Some(rule) => (rule, true),
            None => (Rollup::default(), false),
        },
    };
    let visions = read_visions(reader, &fields, rollup, check_rollup);
    let highlights = read_highlights(reader, &fields, context);
    let note = reader.text(&fields, "note", Need::Optional);
    Some(PledgeProgress {
        section: section?,
        title: title?,
        contact: contact?,
        lead,
        rollup,
        visions: visions?,
        highlights: highlights?,
        note,
    })
}

/// `Some(None)` when there is no contact, `None` when it is wrong.
fn read_contact(reader: &mut Reader<'_>, page: &Fields<'_>) -> Option<Option<Contact>> {
    let Some(node) = page.value("contact") else {
        return Some(None);
    };
    let fields = reader.fields(node, &page.path("contact"), CONTACT_KEYS)?;
    let label = match fields.value("label") {
        Some(_) => reader.text(&fields, "label", Need::Required),
        None => super::model::Text::new(DEFAULT_CONTACT_LABEL),
    };
    let department = reader.text(&fields, "department", Need::Required);
    let phone = reader.text(&fields, "phone", Need::Optional);
    Some(Some(Contact {
        label: label?,
        department: department?,
        phone,
    }))
}

fn read_visions(
    reader: &mut Reader<'_>,
    page: &Fields<'_>,
    rollup: Rollup,
    check_rollup: bool,
) -> Option<Visions> {
    let entries = reader.list(page, "visions", Need::Required, Visions::MIN, Visions::MAX)?;
    let visions: Vec<Option<Vision>> = entries
        .into_iter()
        .map(|(path, node)| read_vision(reader, node, &path, rollup, check_rollup))
        .collect();
    Bounded::new(visions.into_iter().collect::<Option<Vec<_>>>()?).ok()
}

fn read_vision(
    reader: &mut Reader<'_>,
    node: &Node,
    path: &FieldPath,
    rollup: Rollup,
    check_rollup: bool,
) -> Option<Vision> {
    let fields = reader.fields(node, path, VISION_KEYS)?;
    let title = reader.text(&fields, "title", Need::Required);
    let slogan = reader.text(&fields, "slogan", Need::Optional);
    let stated = reader.percent(&fields, "percent", Need::Optional);
    let items = read_items(reader, &fields);
    let items = items?;
    let figures: Vec<Percent> = items.iter().map(|item| item.percent).collect();
    let derived = rollup.derive(&figures);
    let percent = match (stated, derived) {
        (Some(stated), Some(derived)) if check_rollup && stated != derived => {
            let span = fields.value("percent").map_or(0..0, |n| n.span.clone());
            reader.report(
                span,
                fields.path("percent"),
                Problem::RollupMismatch {
                    computation: rollup.explain(&figures),
                    computed: derived.get(),
                    stated: stated.get(),
                    rule: rollup.name(),
                },
            );
            return None;
        }
        (Some(stated), _) => stated,
        (None, Some(derived)) => derived,
        (None, None) => {
            // rollup: none and no figure written: nothing to print.
            if fields.entry("percent").is_none() {
                reader.missing(&fields, "percent");
            }
            return None;
        }
    };
    Some(Vision {
        title: title?,
        slogan,
        percent,
        items,
    })
}

fn read_items(reader: &mut Reader<'_>, vision: &Fields<'_>) -> Option<Items> {
    let entries = reader.list(vision, "items", Need::Required, Items::MIN, Items::MAX)?;
    let items: Vec<Option<Item>> = entries
        .into_iter()
        .map(|(path, node)| {
            let fields = reader.fields(node, &path, ITEM_KEYS)?;
            let label = reader.text(&fields, "label", Need::Required);
            let percent = reader.percent(&fields, "percent", Need::Required);
            Some(Item {
                label: label?,
                percent: percent?,
            })
        })
        .collect();
    Bounded::new(items.into_iter().collect::<Option<Vec<_>>>()?).ok()
}

/// `Some(None)` when there are no highlights, `None` when they are wrong.
fn read_highlights(
    reader: &mut Reader<'_>,
    page: &Fields<'_>,
    context: PageContext<'_>,
) -> Option<Option<Highlights>> {
    let Some(node) = page.value("highlights") else {
        return Some(None);
    };
    let fields = reader.fields(node, &page.path("highlights"), HIGHLIGHTS_KEYS)?;
    let heading = reader.text(&fields, "heading", Need::Optional);
    let entries = reader
        .list(
            &fields,
            "items",
            Need::Optional,
            HighlightItems::MIN,
            HighlightItems::MAX,
        )
        .unwrap_or_default();
    let items: Vec<Option<Highlight>> = entries
        .into_iter()
        .map(|(path, node)| read_highlight(reader, node, &path, context))
        .collect();
    let items = Bounded::new(items.into_iter().collect::<Option<Vec<_>>>()?).ok()?;
    Some(Some(Highlights { heading, items }))
}

fn read_highlight(
    reader: &mut Reader<'_>,
    node: &Node,
    path: &FieldPath,
    context: PageContext<'_>,
) -> Option<Highlight> {
    let fields = reader.fields(node, path, HIGHLIGHT_KEYS)?;
    let title = reader.text(&fields, "title", Need::Required);
    let body = reader.text(&fields, "body", Need::Optional);
    let photo = match fields.value("photo") {
        None => Some(None),
        Some(photo) => read_photo(reader, photo, &fields.path("photo"), context).map(Some),
    };
    Some(Highlight {
        title: title?,
        body,
        photo: photo?,
    })
}

fn read_photo(
    reader: &mut Reader<'_>,
    node: &Node,
    path: &FieldPath,
    context: PageContext<'_>,
) -> Option<Photo> {
    let fields = reader.fields(node, path, PHOTO_KEYS)?;
    let file = reader.text(&fields, "file", Need::Required);
    let alt = reader.text(&fields, "alt", Need::Required);
    let caption = reader.text(&fields, "caption", Need::Optional);
    let file = file?;
    let file_span = fields.value("file").map_or(0..0, |n| n.span.clone());
    let located = resolve_inside(context.issue_dir, file.as_str()).and_then(|on_disk| {
        let pixels = photo::inspect(&on_disk, file.as_str())?;
        match context
            .rules
            .photo
            .and_then(|need| need.check(&pixels, file.as_str()))
        {
            Some(too_coarse) => Err(too_coarse),
            None => Ok((on_disk, pixels)),
        }
    });
    let (on_disk, pixels) = match located {
        Ok(found) => found,
        Err(problem) => {
            reader.report(file_span, fields.path("file"), problem);
            return None;
        }
    };
    Some(Photo {
        file: file.as_str().to_owned(),
        path: on_disk,
        alt: alt?,
        caption,
        pixels,
    })
}
