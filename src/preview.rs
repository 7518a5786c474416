//! The pictures a build leaves beside the print file: each page (`p<folio>.png`), the spreads
//! as a reader sees them when the magazine lies open (`spread-2-3.png`; the cover and the back
//! cover alone) and a contact sheet of every page. Pages are rendered on every core; a page
//! an earlier build drew exactly so is taken from what that build kept ([`KeptPictures`]).

use std::sync::{Mutex, OnceLock};

use image::{Rgb, RgbImage, imageops};
use typst_layout::Page;

use crate::cache::DiskCache;
use crate::layout::Binding;
use crate::render::export::{self, PREVIEW_PPI};
use crate::render::softproof::{PhotoPixels, SoftProof};

/// The grey a spread's missing half and the contact sheet's ground are shown in.
const BACKDROP: Rgb<u8> = Rgb([128, 128, 128]);

/// One rendered page: its folio, its PNG bytes and, for the spreads and the contact sheet,
/// the picture at half its size (the full one is not kept: sixteen of them are 100 MB).
pub struct PagePicture {
    /// The printed page number.
    pub folio: u32,
    /// The trimmed page on paper at half the preview's resolution.
    pub half: RgbImage,
    /// The page on paper at the preview's resolution, as a PNG.
    pub png: Vec<u8>,
    /// What it is kept under between builds ([`KeptPictures::key`]), if it is.
    pub key: Option<String>,
}

/// What a kept picture starts with, saying how the rest is laid out (the half-size picture's
/// width and height follow, then its pixels, then the PNG).
const KEPT_MAGIC: &[u8; 8] = b"KOHOPIC1";

/// The pictures of pages drawn by earlier builds of one issue, by a hash of the laid-out page
/// and the identity of the koho that drew it (its own executable: the renderer, the soft
/// proof and typst's hashing all belong to it). The same page gives the same pixels, so a
/// page that did not change is not drawn again; a page that changed in any way — a glyph, a
/// colour, a photo's bytes, a template — has another hash.
pub struct KeptPictures {
    disk: DiskCache,
    /// The keys this run took or kept; the others are removed by [`Self::forget_others`].
    used: Mutex<Vec<String>>,
}

/// What identifies the running koho: its executable's size and time of change.
fn koho_identity() -> Option<&'static str> {
    static IDENTITY: OnceLock<Option<String>> = OnceLock::new();
    IDENTITY
        .get_or_init(|| {
            let meta = std::env::current_exe().ok()?.metadata().ok()?;
            let changed = meta
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            let id = typst::utils::hash128(&(meta.len(), changed.as_nanos()));
            Some(format!("{id:032x}"))
        })
        .as_deref()
}

/// What decides how a frame looks when drawn — every item's place, glyphs, colours, shapes,
/// images and clips — and not where in the sources it came from (spans, tags, links), which
/// typst numbers by the order files were first met and which changes nothing drawn.
struct Looks<'a>(&'a typst::layout::Frame);

impl std::hash::Hash for Looks<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        use typst::layout::FrameItem;
        (self.0.size(), self.0.kind()).hash(state);
        for (pos, item) in self.0.items() {
            match item {
                FrameItem::Group(group) => {
                    (0u8, pos, group.transform, &group.clip).hash(state);
                    Looks(&group.frame).hash(state);
                }
                FrameItem::Text(text) => {
                    (1u8, pos, &text.font, text.size, &text.fill, &text.stroke).hash(state);
                    for glyph in &text.glyphs {
                        let placed = (glyph.x_advance, glyph.x_offset);
                        (glyph.id, placed, glyph.y_advance, glyph.y_offset).hash(state);
                    }
                }
                FrameItem::Shape(shape, _) => (2u8, pos, shape).hash(state),
                FrameItem::Image(image, size, _) => (3u8, pos, image, size).hash(state),
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
    }
}

impl KeptPictures {
    /// The pictures kept in `disk` (one issue's folder).
    pub fn new(disk: DiskCache) -> Self {
        Self {
            disk,
            used: Mutex::new(Vec::new()),
        }
    }

    /// The key of `page`'s picture, if this koho can say who it is.
    pub fn key(page: &Page) -> Option<String> {
        let identity = koho_identity()?;
        let page = typst::utils::hash128(&(Looks(&page.frame), &page.fill, &page.bleed));
        Some(format!("{page:032x}-{identity}-{PREVIEW_PPI}"))
    }

    fn note(&self, key: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.push(key.to_owned());
        }
    }

    /// The picture kept under `key`, as page `folio`.
    pub fn take(&self, key: &str, folio: u32) -> Option<PagePicture> {
        let bytes = self.disk.get(key)?;
        let rest = bytes.strip_prefix(KEPT_MAGIC)?;
        let (width, rest) = rest.split_first_chunk::<4>()?;
        let (height, rest) = rest.split_first_chunk::<4>()?;
        let (width, height) = (u32::from_le_bytes(*width), u32::from_le_bytes(*height));
        let pixels = (width as usize) * (height as usize) * 3;
        let (half, png) = rest.split_at_checked(pixels)?;
        let half = RgbImage::from_raw(width, height, half.to_vec())?;
        self.note(key);
        Some(PagePicture {
            folio,
            half,
            png: png.to_vec(),
            key: Some(key.to_owned()),
        })
    }

    /// The PNG kept under the key made of `parts` (the kind of picture and the keys of the
    /// pages it shows), or else the one `make` makes, kept. No part may be missing.
    pub fn png_of(
        &self,
        parts: &[Option<&str>],
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Vec<u8>, String> {
        let key = parts
            .iter()
            .copied()
            .collect::<Option<Vec<&str>>>()
            .zip(koho_identity())
            .map(|(parts, identity)| format!("{:032x}-{identity}", typst::utils::hash128(&parts)));
        if let Some(key) = &key
            && let Some(png) = self.disk.get(key)
        {
            self.note(key);
            return Ok(png);
        }
        let png = make()?;
        if let Some(key) = &key {
            self.disk.put(key, &png);
            self.note(key);
        }
        Ok(png)
    }

    /// Keeps `picture` under `key`.
    pub fn keep(&self, key: &str, picture: &PagePicture) {
        let mut bytes = KEPT_MAGIC.to_vec();
        bytes.extend_from_slice(&picture.half.width().to_le_bytes());
        bytes.extend_from_slice(&picture.half.height().to_le_bytes());
        bytes.extend_from_slice(picture.half.as_raw());
        bytes.extend_from_slice(&picture.png);
        self.disk.put(key, &bytes);
        self.note(key);
    }

    /// Removes the pictures this run neither took nor kept (pages of the issue as it was
    /// before), so that the folder holds one issue's pages, not every edit's.
    pub fn forget_others(&self) {
        let Ok(used) = self.used.lock() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(&self.disk.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let key = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let kept_file = path.extension().is_some_and(|e| e == self.disk.extension);
            if kept_file && !used.iter().any(|u| u == key) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The pictures of an issue's pages about to be made: those an earlier build drew, taken
/// from [`KeptPictures`]; the others soft-proofed and ready to draw (made before the PDF
/// export takes the laid-out document, so that it can be let go).
pub struct Planned {
    /// The pictures taken, with their place among the pages.
    taken: Vec<(usize, PagePicture)>,
    /// The pages to draw: their place, folio, soft-proofed page and key to keep them under.
    to_draw: Vec<(usize, u32, Page, Option<String>)>,
}

impl Planned {
    /// Plans the pictures of `pages` (with their folios): taken from `kept` where it has them.
    pub fn new(
        pages: &[(u32, &Page)],
        proof: &SoftProof,
        kept: Option<&KeptPictures>,
    ) -> Result<Self, String> {
        let keys: Vec<Option<String>> = pages
            .iter()
            .map(|(_, page)| kept.and_then(|_| KeptPictures::key(page)))
            .collect();
        let places: Vec<usize> = (0..pages.len()).collect();
        let found = crate::parallel::map(&places, |&i| {
            let (kept, key) = (kept?, keys[i].as_deref()?);
            kept.take(key, pages[i].0)
        });
        let mut taken = Vec::new();
        let mut missing = Vec::new();
        for ((i, found), key) in found.into_iter().enumerate().zip(keys) {
            match found {
                Some(picture) => taken.push((i, picture)),
                None => missing.push((i, key)),
            }
        }
        let missing_pages: Vec<(u32, &Page)> = missing.iter().map(|(i, _)| pages[*i]).collect();
        let to_draw = proofed(&missing_pages, proof)?
            .into_iter()
            .zip(missing)
            .map(|((folio, page), (i, key))| (i, folio, page, key))
            .collect();
        Ok(Self { taken, to_draw })
    }

    /// How many pages are still to draw.
    pub fn to_draw(&self) -> usize {
        self.to_draw.len()
    }

    /// Draws the pages not taken (on every core), keeps them in `kept`, and gives every
    /// picture in the pages' order; `on_drawn(done, total)` hears of each page drawn.
    pub fn draw(
        self,
        kept: Option<&KeptPictures>,
        on_drawn: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<PagePicture>, String> {
        let total = self.to_draw.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        if total > 0 {
            on_drawn(0, total);
        }
        let drawn = crate::parallel::map(&self.to_draw, |(_, folio, page, key)| {
            let picture = draw(*folio, page);
            on_drawn(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                total,
            );
            let mut picture = picture?;
            if let (Some(kept), Some(key)) = (kept, key) {
                kept.keep(key, &picture);
                picture.key = Some(key.clone());
            }
            Ok::<_, String>(picture)
        });
        let mut all = self.taken;
        for ((i, ..), picture) in self.to_draw.iter().zip(drawn) {
            all.push((*i, picture?));
        }
        all.sort_by_key(|(i, _)| *i);
        Ok(all.into_iter().map(|(_, picture)| picture).collect())
    }
}

/// Every page of `pages` (with its folio), soft-proofed and rendered, in order, on as many
/// threads as there are cores.
pub fn pages(pages: &[(u32, &Page)], proof: &SoftProof) -> Result<Vec<PagePicture>, String> {
    render(&proofed(pages, proof)?)
}

/// `pages` as the previews show them: their colours and photos soft-proofed, the photos
/// made (on every core) at the size they are drawn.
pub fn proofed(pages: &[(u32, &Page)], proof: &SoftProof) -> Result<Vec<(u32, Page)>, String> {
    let laid_out: Vec<&Page> = pages.iter().map(|(_, page)| *page).collect();
    proof.prepare(&laid_out, PhotoPixels::Rendered(PREVIEW_PPI))?;
    Ok(pages
        .iter()
        .map(|(folio, page)| (*folio, proof.page(page, PhotoPixels::Rendered(PREVIEW_PPI))))
        .collect())
}

/// Every page of `pages` (with its folio), soft-proofed and rendered as a PNG only, in order,
/// on every core: what `koho watch` shows, without the half-size picture spreads are made of.
pub fn pngs(pages: &[(u32, &Page)], proof: &SoftProof) -> Result<Vec<(u32, Vec<u8>)>, String> {
    let proofed = proofed(pages, proof)?;
    crate::parallel::map(&proofed, |(folio, page)| {
        let image = export::proofed_picture(page, PREVIEW_PPI, false)?;
        crate::proof::picture::png_for_screen(&image).map(|png| (*folio, png))
    })
    .into_iter()
    .collect()
}

/// Soft-proofed pages (from [`proofed`]) rendered, in order, on every core.
pub fn render(proofed: &[(u32, Page)]) -> Result<Vec<PagePicture>, String> {
    crate::parallel::map(proofed, |(folio, page)| draw(*folio, page))
        .into_iter()
        .collect()
}

/// The picture of one soft-proofed page.
fn draw(folio: u32, proofed: &Page) -> Result<PagePicture, String> {
    let image = export::proofed_picture(proofed, PREVIEW_PPI, false)?;
    let png = crate::proof::picture::png(&image)?;
    Ok(PagePicture {
        folio,
        half: halved(&image),
        png,
        key: None,
    })
}

/// The spreads of `pictures` as PNGs, named by their folios (`2-3`, `1`): each composed and
/// encoded on its own, so that only a few are in memory at once.
pub fn spread_pngs(
    pictures: &[PagePicture],
    binding: Binding,
    kept: Option<&KeptPictures>,
) -> Vec<(String, Result<Vec<u8>, String>)> {
    let pairs = spread_pages(pictures, binding);
    let encoded = crate::parallel::map(&pairs, |(_, left, right)| {
        let make = || crate::proof::picture::png(&side_by_side(*left, *right));
        let Some(kept) = kept else {
            return make();
        };
        // A missing half is shown grey: it is part of the picture too.
        let left_key = left.map_or(Some("grey"), |p| p.key.as_deref());
        let right_key = right.map_or(Some("grey"), |p| p.key.as_deref());
        kept.png_of(&[Some("spread"), left_key, right_key], make)
    });
    pairs
        .into_iter()
        .map(|(name, _, _)| name)
        .zip(encoded)
        .collect()
}

/// The contact sheet of `pictures` as a PNG, taken from `kept` when it holds the same pages.
pub fn contact_sheet_png(
    pictures: &[PagePicture],
    kept: Option<&KeptPictures>,
) -> Result<Vec<u8>, String> {
    let make = || crate::proof::picture::png(&contact_sheet(pictures));
    let Some(kept) = kept else {
        return make();
    };
    let mut parts = vec![Some("contact-sheet")];
    parts.extend(pictures.iter().map(|p| p.key.as_deref()));
    kept.png_of(&parts, make)
}

/// The spreads of `pictures` as a reader sees them: each even folio beside the odd one after
/// it, the left-hand page on the left (by `binding`); a page without its partner (the cover,
/// the back cover) on its own side, the other half grey. Named by their folios (`2-3`, `1`).
pub fn spreads(pictures: &[PagePicture], binding: Binding) -> Vec<(String, RgbImage)> {
    spread_pages(pictures, binding)
        .into_iter()
        .map(|(name, left, right)| (name, side_by_side(left, right)))
        .collect()
}

/// A spread's name and its left and right pages.
type SpreadPages<'a> = (String, Option<&'a PagePicture>, Option<&'a PagePicture>);

fn spread_pages(pictures: &[PagePicture], binding: Binding) -> Vec<SpreadPages<'_>> {
    let folios: Vec<u32> = pictures.iter().map(|p| p.folio).collect();
    let picture = |folio: Option<u32>| folio.and_then(|f| pictures.iter().find(|p| p.folio == f));
    spread_folios(&folios, binding)
        .into_iter()
        .map(|spread| (spread.name, picture(spread.left), picture(spread.right)))
        .collect()
}

/// Two facing pages as a reader opens them, by folio.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Spread {
    /// Its folios (`2-3`, or `1` for a page on its own).
    pub name: String,
    /// The left-hand page, if any.
    pub left: Option<u32>,
    /// The right-hand page, if any.
    pub right: Option<u32>,
}

/// The spreads of the pages `folios` (in print order): each even folio beside the odd one
/// after it, the left-hand page on the left (by `binding`); a page without its partner (the
/// cover, the back cover) on its own side.
pub fn spread_folios(folios: &[u32], binding: Binding) -> Vec<Spread> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < folios.len() {
        let first = folios[i];
        let partner = folios
            .get(i + 1)
            .copied()
            .filter(|next| first.is_multiple_of(2) && *next == first + 1);
        out.push(match partner {
            Some(second) => {
                let (left, right) = if binding.is_left_page(first) {
                    (first, second)
                } else {
                    (second, first)
                };
                Spread {
                    name: format!("{first}-{second}"),
                    left: Some(left),
                    right: Some(right),
                }
            }
            None if binding.is_left_page(first) => Spread {
                name: first.to_string(),
                left: Some(first),
                right: None,
            },
            None => Spread {
                name: first.to_string(),
                left: None,
                right: Some(first),
            },
        });
        i += if partner.is_some() { 2 } else { 1 };
    }
    out
}

/// Two pages meeting at the spine, each at half the preview's resolution (a spread is for
/// seeing the pages together; the page previews are for reading); a missing one is grey.
fn side_by_side(left: Option<&PagePicture>, right: Option<&PagePicture>) -> RgbImage {
    let size = left.or(right).map_or((1, 1), |p| p.half.dimensions());
    let mut spread = RgbImage::from_pixel(size.0 * 2, size.1, BACKDROP);
    if let Some(left) = left {
        imageops::replace(&mut spread, &left.half, 0, 0);
    }
    if let Some(right) = right {
        imageops::replace(&mut spread, &right.half, i64::from(size.0), 0);
    }
    spread
}

/// A picture at half its size: each 2 × 2 block of pixels averaged (quick, and sharp enough
/// for a picture shown at half its size).
pub fn halved(image: &RgbImage) -> RgbImage {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let (w, h) = ((width / 2).max(1), (height / 2).max(1));
    let row_bytes = width * 3;
    let raw = image.as_raw();
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        // The two rows this one averages (the last row twice, for a picture one pixel high).
        let top = &raw[(2 * y).min(height - 1) * row_bytes..][..row_bytes];
        let bottom = &raw[(2 * y + 1).min(height - 1) * row_bytes..][..row_bytes];
        for x in 0..w {
            let (left, right) = ((2 * x).min(width - 1) * 3, (2 * x + 1).min(width - 1) * 3);
            for c in 0..3 {
                let sum = u32::from(top[left + c])
                    + u32::from(top[right + c])
                    + u32::from(bottom[left + c])
                    + u32::from(bottom[right + c]);
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    RgbImage::from_raw(w as u32, h as u32, out).expect("the size it was made at")
}

/// Every page small, in print order: the whole issue at a glance.
pub fn contact_sheet(pictures: &[PagePicture]) -> RgbImage {
    crate::proof::picture::contact_sheet(pictures.iter().map(|p| &p.half))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(folio: u32, shade: u8) -> PagePicture {
        PagePicture {
            folio,
            half: RgbImage::from_pixel(4, 6, Rgb([shade, shade, shade])),
            png: Vec::new(),
            key: None,
        }
    }

    #[test]
    fn spreads_pair_even_and_odd_pages_as_the_open_magazine_shows_them() {
        let pages: Vec<PagePicture> = (1..=4).map(|f| picture(f, f as u8 * 10)).collect();
        let spreads = spreads(&pages, Binding::Left);
        let names: Vec<&str> = spreads.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["1", "2-3", "4"]);
        // Bound on the left, page 2 is on the left and 3 on the right; the cover sits on the
        // right with nothing to its left; the back cover on the left.
        let (_, two_three) = &spreads[1];
        assert_eq!(two_three.get_pixel(0, 0).0[0], 20);
        assert_eq!(two_three.get_pixel(4, 0).0[0], 30);
        assert_eq!(spreads[0].1.get_pixel(0, 0), &BACKDROP);
        assert_eq!(spreads[0].1.get_pixel(4, 0).0[0], 10);
        assert_eq!(spreads[2].1.get_pixel(0, 0).0[0], 40);
        // Bound on the right, the odd page is the left-hand one.
        let right = super::spreads(&pages, Binding::Right);
        assert_eq!(right[1].1.get_pixel(0, 0).0[0], 30);
    }

    #[test]
    fn halving_averages_each_block_of_four() {
        // 3 × 3: the odd column and row are dropped; the top-left block averages 0, 40, 80, 120.
        let mut image = RgbImage::from_pixel(3, 3, Rgb([255, 255, 255]));
        for (x, y, v) in [(0, 0, 0u8), (1, 0, 40), (0, 1, 80), (1, 1, 120)] {
            image.put_pixel(x, y, Rgb([v, v / 2, 255 - v]));
        }
        let half = halved(&image);
        assert_eq!(half.dimensions(), (1, 1));
        assert_eq!(half.get_pixel(0, 0).0, [60, 30, 195]);
        // One pixel high: the row is its own partner.
        let line = RgbImage::from_fn(4, 1, |x, _| Rgb([x as u8 * 10, 0, 0]));
        assert_eq!(halved(&line).as_raw(), &vec![5, 0, 0, 25, 0, 0]);
    }
}
