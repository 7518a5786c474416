//! `koho web`: the issue as an accessible web edition (DESIGN §11), from the same page data
//! the print templates read. One HTML page per page file, from its kind's `web.html` or the
//! generic rendering; the issue's `index.html`; the photos for screens; one stylesheet; each
//! printed page's reading text — written into `out/<issue>/web/` whole or not at all.
//!
//! The content is checked and typeset first, exactly as for print: the web edition is never
//! published from content the print edition would refuse, and the typeset pages say on which
//! folio each text was printed (for the reading texts).

pub mod images;
pub mod outline;
pub mod reading;
pub mod templates;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

use crate::build::Phase;
use crate::content::model::{Issue, Page};
use crate::diag::{Diagnostic, Lang, Problem};
use crate::layout::data::{self, PageData};
use crate::project::{Project, shown};
use crate::render::compile;
use templates::Templates;

/// The folder of the web edition inside the issue's output folder.
pub const WEB_DIR: &str = "web";
/// The stylesheet every page links to, from `layouts/lib/web/`.
pub const STYLESHEET: &str = "style.css";
/// The folder of the pictures inside the web edition.
const IMAGES_DIR: &str = "images";
/// The folder of the ads, when the web edition carries them.
const ADS_DIR: &str = "ads";

/// What `koho web` did.
#[derive(Debug)]
pub struct WebReport {
    /// The issue folder, as shown.
    pub issue_dir: PathBuf,
    /// What kept the web edition from being written (nothing was written when there is one).
    pub diagnostics: Vec<Diagnostic>,
    /// What the check found likely not meant.
    pub warnings: Vec<Diagnostic>,
    /// The web edition's front page, as shown, once written.
    pub index: Option<PathBuf>,
    /// Every file written, relative to the web folder.
    pub files: Vec<PathBuf>,
    /// The page files made into web pages.
    pub pages: usize,
    /// How long each part took.
    pub timings: WebTimings,
}

/// How long each part of `koho web` took.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebTimings {
    /// Checking and typesetting, as for print.
    pub check: Duration,
    /// The pages, pictures and reading texts (beside the PDF).
    pub pages: Duration,
    /// The PDF/UA-1 (beside the pages).
    pub pdf: Duration,
    /// Putting the folder in place.
    pub write: Duration,
}

/// Makes the web edition of the issue in `issue_dir`; paths are shown relative to `cwd`.
pub fn web(project: &Project, issue_dir: &Path, cwd: &Path, progress: &dyn Fn(Phase)) -> WebReport {
    progress(Phase::Check);
    let started = Instant::now();
    // Typeset with the ads' slots kept empty: the pages break as they print, and the
    // accessible PDF carries no advertiser's page.
    let options = crate::check::CheckOptions {
        photo_cache: Some(crate::cache::photos(project, true)),
        hide_ads: true,
        ..Default::default()
    };
    let checked = crate::check::check_with(project, issue_dir, cwd, progress, options);
    let check_time = started.elapsed();
    let mut report = WebReport {
        issue_dir: checked.issue_dir.clone(),
        diagnostics: checked.diagnostics.clone(),
        warnings: checked.warnings.clone(),
        index: None,
        files: Vec::new(),
        pages: 0,
        timings: WebTimings {
            check: check_time,
            ..WebTimings::default()
        },
    };
    let (Some(issue), Some(format), Some(typeset)) =
        (&checked.issue, &checked.format, &checked.typeset)
    else {
        return report;
    };
    progress(Phase::Web);
    let placed = placed_fields(issue, &typeset.document);
    let templates = Templates::new(&project.layouts_dir(), format.web.area_code.clone());
    // The PDF on a thread of its own, the pages and their pictures on the others.
    let (pdf, pages) = std::thread::scope(|scope| {
        let pdf = scope.spawn(|| {
            let started = Instant::now();
            (accessible_pdf(project, issue, typeset), started.elapsed())
        });
        let started = Instant::now();
        let pages = edition(project, issue, format, &templates, &placed, cwd);
        let pages = (pages, started.elapsed());
        (pdf.join().expect("the PDF's thread does not panic"), pages)
    });
    (report.timings.pdf, report.timings.pages) = (pdf.1, pages.1);
    let made = pdf
        .0
        .map_err(|reason| {
            vec![Diagnostic::whole_file(
                &checked.issue_dir,
                Problem::ExportFailed { reason },
            )]
        })
        .and_then(|pdf| {
            let mut edition = pages.0?;
            let index = index_page(&templates, issue, edition.index.take(), pdf.len(), cwd)?;
            edition.files.push((PathBuf::from("index.html"), index));
            edition.files.push((PathBuf::from(pdf_name(issue)), pdf));
            Ok(edition)
        });
    let edition = match made {
        Ok(edition) => edition,
        Err(diagnostics) => {
            report.diagnostics = diagnostics;
            return report;
        }
    };
    progress(Phase::Write);
    let started = Instant::now();
    let target = project.out_dir().join(&issue.name).join(WEB_DIR);
    if let Err(e) = crate::output::replace_dir(&target, &edition.files) {
        report.diagnostics.push(Diagnostic::whole_file(
            shown(&target, cwd),
            Problem::WriteFailed {
                reason: e.to_string(),
            },
        ));
        return report;
    }
    report.index = Some(shown(&target.join("index.html"), cwd));
    report.files = edition.files.into_iter().map(|(p, _)| p).collect();
    report.pages = edition.pages;
    report.timings.write = started.elapsed();
    report
}

/// One file of the web edition: its path inside the web folder and its bytes.
type WebFile = (PathBuf, Vec<u8>);

/// The web edition's files, ready to write.
struct Edition {
    files: Vec<WebFile>,
    pages: usize,
    /// What the front page is made from, once the PDF's size is known.
    index: Option<Json>,
}

/// Every file of the web edition but its front page and its PDF, made in memory.
fn edition(
    project: &Project,
    issue: &Issue,
    format: &crate::layout::Magazine,
    templates: &Templates,
    placed: &[reading::Placed],
    cwd: &Path,
) -> Result<Edition, Vec<Diagnostic>> {
    let layouts_dir = project.layouts_dir();
    // Ads are left out unless the magazine says the web edition carries them
    // (`ads.web: true`): without placements, an ad field's data is empty. Carried, an ad is
    // the advertiser's file as delivered, linked under its 広告 mark.
    let placements = if format.ads.web {
        crate::ad_placement::check(issue, format).0
    } else {
        crate::ad_placement::Placements::default()
    };
    let mut pages = data::pages(issue, format, &placements);
    let pictures = pictures(&pages, &crate::cache::web_pictures(project, true), cwd)?;
    let mut files: Vec<WebFile> = Vec::new();
    let ads = ad_files(&pages, cwd)?;
    for page in &mut pages {
        let mut shown_as: BTreeMap<&str, Json> = BTreeMap::new();
        for photo in &page.photos {
            if let Some(picture) = pictures.by_file.get(&photo.file) {
                let fields = json!({
                    "src": web_path(&picture.screen_path),
                    "large": web_path(&picture.large_path),
                    "width": picture.photo.screen.width,
                    "height": picture.photo.screen.height,
                });
                shown_as.insert(photo.virtual_path.as_str(), fields);
            }
        }
        for ad in &page.ads {
            if let Some((path, _)) = ads.get(&ad.file) {
                shown_as.insert(ad.virtual_path.as_str(), json!({"src": web_path(path)}));
            }
        }
        point_at_files(&mut page.json, &shown_as);
        mark_printed_folios(&mut page.json, issue, placed);
    }
    for picture in pictures.by_file.values() {
        files.push((
            picture.screen_path.clone(),
            picture.photo.screen.jpeg.clone(),
        ));
        files.push((picture.large_path.clone(), picture.photo.large.jpeg.clone()));
    }
    files.extend(ads.into_values());

    let contents: Vec<Json> = issue.pages.iter().map(contents_entry).collect();
    let mut issue_json = data::issue_json(issue, None);
    issue_json["date"] = data::date_json(issue.issue_date);
    let mut diagnostics = Vec::new();
    for (i, (page, data)) in issue.pages.iter().zip(&pages).enumerate() {
        let kind = &page.content.kind;
        let skip: Vec<&str> = [kind.title_field.as_deref(), kind.section_field.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let outline = outline::outline(&data.json, &kind.fields, Lang::Ja, &skip);
        let neighbour = |j: Option<usize>| j.and_then(|j| contents.get(j)).cloned();
        let context = json!({
            "issue": issue_json,
            "page": data.json,
            "kind": {"name": kind.name, "words": kind.words.ja},
            "title": page.content.title(),
            "section": contents[i]["section"],
            "outline": outline,
            "contents": contents,
            "nav": {
                "index": "index.html",
                "previous": neighbour(i.checked_sub(1)),
                "next": neighbour(Some(i + 1)),
            },
            "reading": (page.folio().get()..=page.folios.last().get())
                .map(|f| json!({"folio": f, "href": reading_name(f)}))
                .collect::<Vec<_>>(),
            "stylesheet": STYLESHEET,
        });
        let own = templates::kind_template(&kind.name);
        let name = if templates.exists(&own) {
            own
        } else {
            templates::GENERIC.to_owned()
        };
        let value = minijinja::Value::from_serialize(&context);
        match templates.render(&name, &value, cwd) {
            Ok(html) => files.push((PathBuf::from(page_name(page)), html.into_bytes())),
            Err(d) => diagnostics.push(*d),
        }
        let mut head: Vec<String> = Vec::new();
        if let Some(section) = contents[i]["section"].as_str() {
            head.push(section.to_owned());
        }
        head.push(page.content.title().to_owned());
        let texts = reading::page_texts(
            &head,
            &outline,
            &placed[i],
            page.folio().get(),
            page.folios.last().get(),
        );
        for (folio, text) in texts {
            files.push((PathBuf::from(reading_name(folio)), text.into_bytes()));
        }
    }
    let index = json!({
        "issue": issue_json,
        "contents": contents,
        "pages": pages.iter().map(|p| &p.json).collect::<Vec<_>>(),
        "stylesheet": STYLESHEET,
    });
    let css_path = layouts_dir.join(templates::LIB_DIR).join(STYLESHEET);
    match std::fs::read(&css_path) {
        Ok(css) => files.push((PathBuf::from(STYLESHEET), css)),
        Err(e) => diagnostics.push(unreadable(&css_path, e.to_string(), cwd)),
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Edition {
        files,
        pages: issue.pages.len(),
        index: Some(index),
    })
}

/// The issue's front page (`lib/web/index.html`) from `context`, offering the PDF of
/// `pdf_bytes`.
fn index_page(
    templates: &Templates,
    issue: &Issue,
    context: Option<Json>,
    pdf_bytes: usize,
    cwd: &Path,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut context = context.unwrap_or_default();
    context["pdf"] = json!({
        "href": pdf_name(issue),
        "megabytes": format!("{:.1}", pdf_bytes as f64 / 1e6),
    });
    templates
        .render(
            templates::INDEX,
            &minijinja::Value::from_serialize(&context),
            cwd,
        )
        .map(String::into_bytes)
        .map_err(|d| vec![*d])
}

/// The issue as a PDF/UA-1 file for download ([`crate::render::export::accessible_pdf`]).
/// Its soft-proofed photos are kept in `out/.cache/softproof/` for the next run.
fn accessible_pdf(
    project: &Project,
    issue: &Issue,
    typeset: &crate::render::Typeset,
) -> Result<Vec<u8>, String> {
    let soft = crate::render::softproof::SoftProof::new()?
        .with_disk_cache(crate::cache::soft_proofs(project, true))
        .with_photos(&typeset.files)?;
    let identity = crate::build::issue_identity(issue);
    crate::render::export::accessible_pdf(&typeset.document, &soft, &identity)
}

/// A file the web edition needs that could not be read, shown relative to `cwd`.
fn unreadable(path: &Path, reason: String, cwd: &Path) -> Diagnostic {
    let shown = shown(path, cwd);
    let path = shown.display().to_string();
    Diagnostic::whole_file(shown, Problem::FileUnreadable { path, reason })
}

/// The accessible PDF's name in the web edition: `2026-06.pdf`.
pub fn pdf_name(issue: &Issue) -> String {
    format!("{}.pdf", issue.name)
}

/// The web page of a page file: `p04.html`, by its first folio.
pub fn page_name(page: &Page) -> String {
    format!("p{:02}.html", page.folio().get())
}

/// The reading text of a printed page: `p04.txt`.
pub fn reading_name(folio: u32) -> String {
    format!("p{folio:02}.txt")
}

/// A page file as the contents and the links between pages name it.
fn contents_entry(page: &Page) -> Json {
    let mut entry = data::page_reference(page);
    entry["href"] = json!(page_name(page));
    entry["kind_words"] = json!(page.content.kind.words.ja);
    entry
}

/// One photo's pictures and where they go in the web edition.
struct Picture {
    photo: images::WebPhoto,
    screen_path: PathBuf,
    large_path: PathBuf,
}

/// Every photo the issue places, once each, made into pictures on every core.
struct Pictures {
    by_file: BTreeMap<PathBuf, Picture>,
}

/// Each photo's pictures are taken from `kept` when an earlier run made them from the same
/// bytes with the same code, and kept there when made.
fn pictures(
    pages: &[PageData],
    kept: &crate::cache::DiskCache,
    cwd: &Path,
) -> Result<Pictures, Vec<Diagnostic>> {
    let mut files: Vec<PathBuf> = pages
        .iter()
        .flat_map(|p| p.photos.iter().map(|photo| photo.file.clone()))
        .collect();
    files.sort();
    files.dedup();
    let made = crate::parallel::map(&files, |file| {
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let key = format!(
            "{}-{}-{}",
            crate::hash::sha256_hex(&bytes),
            env!("KOHO_WEB_PICTURES"),
            env!("KOHO_RESAMPLE")
        );
        if let Some(photo) = kept
            .get(&key)
            .and_then(|b| images::WebPhoto::from_bytes(&b))
        {
            return Ok(photo);
        }
        let photo = images::web_photo(&bytes).map_err(|e| e.to_string())?;
        kept.put(&key, &photo.to_bytes());
        Ok(photo)
    });
    let mut by_file = BTreeMap::new();
    let mut taken: BTreeMap<String, u32> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for (file, made) in files.into_iter().zip(made) {
        let photo = match made {
            Ok(photo) => photo,
            Err(reason) => {
                diagnostics.push(unreadable(&file, reason, cwd));
                continue;
            }
        };
        let stem = web_stem(&file);
        let seen = taken.entry(stem.clone()).or_insert(0);
        *seen += 1;
        let name = match *seen {
            1 => stem,
            n => format!("{stem}-{n}"),
        };
        by_file.insert(
            file,
            Picture {
                photo,
                screen_path: Path::new(IMAGES_DIR).join(format!("{name}.jpg")),
                large_path: Path::new(IMAGES_DIR).join(format!("{name}-large.jpg")),
            },
        );
    }
    if diagnostics.is_empty() {
        Ok(Pictures { by_file })
    } else {
        Err(diagnostics)
    }
}

/// A photo's file name as a web address may carry it: ASCII letters, digits and `-`.
fn web_stem(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if safe.trim_matches('-').is_empty() {
        "photo".to_owned()
    } else {
        safe
    }
}

/// The ads the pages carry, once each: by their file, where they go in the web edition
/// (`ads/<name>-<n>.pdf`) and their bytes as delivered.
fn ad_files(pages: &[PageData], cwd: &Path) -> Result<BTreeMap<PathBuf, WebFile>, Vec<Diagnostic>> {
    let mut ads = BTreeMap::new();
    for ad in pages.iter().flat_map(|p| &p.ads) {
        if ads.contains_key(&ad.file) {
            continue;
        }
        let bytes =
            std::fs::read(&ad.file).map_err(|e| vec![unreadable(&ad.file, e.to_string(), cwd)])?;
        let name = format!("{}-{}.pdf", web_stem(&ad.file), ads.len() + 1);
        ads.insert(ad.file.clone(), (Path::new(ADS_DIR).join(name), bytes));
    }
    Ok(ads)
}

/// Every photo and ad in a page's data pointed at its file in the web edition: each object
/// whose `src` is a virtual path of `shown_as` takes its fields (a photo's `src` as the page
/// shows it, `large` for a tap, `width` and `height` so the page does not jump as it loads;
/// an ad's `src`).
fn point_at_files(json: &mut Json, shown_as: &BTreeMap<&str, Json>) {
    match json {
        Json::Object(map) => {
            let found = map
                .get("src")
                .and_then(Json::as_str)
                .and_then(|src| shown_as.get(src))
                .and_then(Json::as_object)
                .cloned();
            if let Some(fields) = found {
                map.extend(fields);
            }
            for value in map.values_mut() {
                point_at_files(value, shown_as);
            }
        }
        Json::Array(items) => {
            for item in items {
                point_at_files(item, shown_as);
            }
        }
        _ => {}
    }
}

/// Each page reference aimed at an entry of its file (`item`) gets `printed`: the folio that
/// entry was printed on, as typesetting placed it (a calendar event's notice on page 11 of
/// notices at 10–11), so that the web page and the reading text name the page the paper does.
fn mark_printed_folios(json: &mut Json, issue: &Issue, placed: &[reading::Placed]) {
    match json {
        Json::Object(map) => {
            let aimed = map
                .get("item")
                .and_then(Json::as_str)
                .zip(map.get("file").and_then(Json::as_str));
            if let Some((item, file)) = aimed {
                let printed = issue
                    .pages
                    .iter()
                    .position(|p| p.file == file)
                    .and_then(|i| placed.get(i))
                    .and_then(|p| p.folio_of(&crate::diag::FieldPath::parse(item)));
                if let Some(folio) = printed {
                    map.insert("printed".to_owned(), json!(folio));
                }
            }
            for value in map.values_mut() {
                mark_printed_folios(value, issue, placed);
            }
        }
        Json::Array(items) => {
            for value in items {
                mark_printed_folios(value, issue, placed);
            }
        }
        _ => {}
    }
}

/// A relative path as a web address (`images/a.jpg`).
fn web_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where typesetting put each page file's fields: for every page file, the folio each marked
/// field starts on (a region's top corner or the marker at a block's end).
fn placed_fields(issue: &Issue, document: &typst_layout::PagedDocument) -> Vec<reading::Placed> {
    // The document page each file starts on.
    let mut starts = BTreeMap::new();
    let mut sheet = 1;
    for page in &issue.pages {
        starts.insert(page.folio().get(), sheet);
        sheet += page.folios.count() as usize;
    }
    let mut placed: BTreeMap<u32, reading::Placed> = BTreeMap::new();
    let folio_on = |file_folio: u32, sheet_page: usize| {
        let start = starts.get(&file_folio).copied().unwrap_or(sheet_page);
        file_folio + u32::try_from(sheet_page.saturating_sub(start)).unwrap_or(0)
    };
    for region in compile::regions(document) {
        let folio = folio_on(region.folio, region.page);
        let [left, top, right, bottom] = region.rect;
        let area = (right - left) * (bottom - top);
        placed
            .entry(region.folio)
            .or_default()
            .add_area(&region.field, folio, area);
    }
    for marker in compile::markers(document) {
        let folio = folio_on(marker.folio, marker.page);
        placed
            .entry(marker.folio)
            .or_default()
            .add(&marker.field, folio);
    }
    issue
        .pages
        .iter()
        .map(|page| placed.remove(&page.folio().get()).unwrap_or_default())
        .collect()
}
