//! The pictures of a round: a page's differences from the last round (before | changes |
//! after, in the manner of resvg's test diffs) and the contact sheet of all its pages.

use image::{Rgb, RgbImage, RgbaImage, imageops};

/// A rectangle in pixels: left, top, right, bottom (exclusive).
pub type PixelRect = [u32; 4];

/// Two pixels differ when their channels differ by more than this in all (anti-aliasing noise
/// stays under it).
const PIXEL_TOLERANCE: u32 = 48;
/// Differences are gathered in square cells of this many pixels; cells that touch are one
/// region.
const CELL: u32 = 8;
/// The red of the boxes and of the changed pixels.
const RED: Rgb<u8> = Rgb([220, 0, 30]);
/// Line weight of a box, in pixels.
const BOX_WEIGHT: u32 = 3;
/// The gap between the panels of a diff picture and around the thumbnails of a contact sheet.
const GAP: u32 = 24;
/// The grey behind the panels and thumbnails (paper stays white on it).
const BACKDROP: Rgb<u8> = Rgb([128, 128, 128]);
/// Width of a page on a contact sheet, in pixels, and pages per row.
const THUMB_WIDTH: u32 = 360;
const THUMBS_PER_ROW: u32 = 4;

/// A rendered page (transparent where no ink is) on white paper.
pub fn on_paper(page: &RgbaImage) -> RgbImage {
    RgbImage::from_fn(page.width(), page.height(), |x, y| {
        let [r, g, b, a] = page.get_pixel(x, y).0;
        let over = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8;
        Rgb([over(r), over(g), over(b)])
    })
}

/// The part of `sheet` inside `rect` (clamped to the sheet).
pub fn crop(sheet: &RgbImage, rect: PixelRect) -> RgbImage {
    let x = rect[0].min(sheet.width());
    let y = rect[1].min(sheet.height());
    let w = rect[2].min(sheet.width()).saturating_sub(x);
    let h = rect[3].min(sheet.height()).saturating_sub(y);
    imageops::crop_imm(sheet, x, y, w, h).to_image()
}

fn differs(a: Rgb<u8>, b: Rgb<u8>) -> bool {
    let d: u32 =
        a.0.iter()
            .zip(b.0)
            .map(|(p, q)| u32::from(p.abs_diff(q)))
            .sum();
    d > PIXEL_TOLERANCE
}

/// The pixel at (x, y), white beyond the picture's edge (pages of two rounds may differ in
/// size when the format changed).
fn at(image: &RgbImage, x: u32, y: u32) -> Rgb<u8> {
    if x < image.width() && y < image.height() {
        *image.get_pixel(x, y)
    } else {
        Rgb([255, 255, 255])
    }
}

/// The regions where `before` and `after` differ: touching cells of changed pixels, each
/// region as its bounding box.
pub fn changed_regions(before: &RgbImage, after: &RgbImage) -> Vec<PixelRect> {
    let width = before.width().max(after.width());
    let height = before.height().max(after.height());
    let (cols, rows) = (width.div_ceil(CELL), height.div_ceil(CELL));
    let mut changed = vec![false; (cols * rows) as usize];
    for y in 0..height {
        for x in 0..width {
            if differs(at(before, x, y), at(after, x, y)) {
                changed[((y / CELL) * cols + x / CELL) as usize] = true;
            }
        }
    }
    // Flood-fill the changed cells, diagonal neighbours included.
    let mut seen = vec![false; changed.len()];
    let mut regions = Vec::new();
    for start in 0..changed.len() {
        if !changed[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut bounds = [u32::MAX, u32::MAX, 0, 0];
        while let Some(cell) = stack.pop() {
            let (cx, cy) = (cell as u32 % cols, cell as u32 / cols);
            bounds = [
                bounds[0].min(cx),
                bounds[1].min(cy),
                bounds[2].max(cx + 1),
                bounds[3].max(cy + 1),
            ];
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (i64::from(cx) + dx, i64::from(cy) + dy);
                    if nx < 0 || ny < 0 || nx >= i64::from(cols) || ny >= i64::from(rows) {
                        continue;
                    }
                    let next = (ny as u32 * cols + nx as u32) as usize;
                    if changed[next] && !seen[next] {
                        seen[next] = true;
                        stack.push(next);
                    }
                }
            }
        }
        regions.push([
            bounds[0] * CELL,
            bounds[1] * CELL,
            (bounds[2] * CELL).min(width),
            (bounds[3] * CELL).min(height),
        ]);
    }
    regions
}

/// Draws a red box around `rect`, a few pixels outside it.
pub fn draw_box(image: &mut RgbImage, rect: PixelRect) {
    let pad = BOX_WEIGHT + 1;
    let x0 = rect[0].saturating_sub(pad);
    let y0 = rect[1].saturating_sub(pad);
    let x1 = (rect[2] + pad).min(image.width());
    let y1 = (rect[3] + pad).min(image.height());
    for y in y0..y1 {
        for x in x0..x1 {
            let edge = x < x0 + BOX_WEIGHT
                || x + BOX_WEIGHT >= x1
                || y < y0 + BOX_WEIGHT
                || y + BOX_WEIGHT >= y1;
            if edge {
                image.put_pixel(x, y, RED);
            }
        }
    }
}

/// What a diff picture shows.
pub struct DiffPicture<'a> {
    /// The page in the last round.
    pub before: &'a RgbImage,
    /// The page now.
    pub after: &'a RgbImage,
    /// The changed fields' places in the last round (removed and changed ones).
    pub before_boxes: &'a [PixelRect],
    /// The changed fields' places now (added and changed ones).
    pub after_boxes: &'a [PixelRect],
}

/// before | changes | after: the middle panel is the page now, faded, with every changed
/// pixel in red and each changed region boxed; the outer panels box the changed fields.
/// Returns the picture and the regions that differ.
pub fn diff_picture(parts: &DiffPicture<'_>) -> (RgbImage, Vec<PixelRect>) {
    let regions = changed_regions(parts.before, parts.after);
    let width = parts.before.width().max(parts.after.width());
    let height = parts.before.height().max(parts.after.height());
    let mut changes = RgbImage::from_fn(width, height, |x, y| {
        let (a, b) = (at(parts.before, x, y), at(parts.after, x, y));
        if differs(a, b) {
            RED
        } else {
            // Faded to a quarter, so the red stands out and the page stays recognisable.
            Rgb(b.0.map(|c| 255 - (255 - c) / 4))
        }
    });
    for rect in &regions {
        draw_box(&mut changes, *rect);
    }
    let mut before = parts.before.clone();
    for rect in parts.before_boxes {
        draw_box(&mut before, *rect);
    }
    let mut after = parts.after.clone();
    for rect in parts.after_boxes {
        draw_box(&mut after, *rect);
    }
    let picture = side_by_side(&[&before, &changes, &after]);
    (picture, regions)
}

/// Pictures in a row on the backdrop, with a gap around each.
fn side_by_side(panels: &[&RgbImage]) -> RgbImage {
    let height = panels.iter().map(|p| p.height()).max().unwrap_or(0) + 2 * GAP;
    let width = panels.iter().map(|p| p.width() + GAP).sum::<u32>() + GAP;
    let mut out = RgbImage::from_pixel(width, height, BACKDROP);
    let mut x = GAP;
    for panel in panels {
        imageops::replace(&mut out, *panel, i64::from(x), i64::from(GAP));
        x += panel.width() + GAP;
    }
    out
}

/// Every page as a thumbnail, in print order, `THUMBS_PER_ROW` to a row.
pub fn contact_sheet<'a>(pages: impl IntoIterator<Item = &'a RgbImage>) -> RgbImage {
    let pages: Vec<&RgbImage> = pages.into_iter().collect();
    // Each page made small on its own core, each thumbnail pixel the mean of the area it
    // covers.
    let thumbs: Vec<RgbImage> = crate::parallel::map(&pages, |page| {
        let height = (u64::from(page.height()) * u64::from(THUMB_WIDTH)
            / u64::from(page.width().max(1))) as u32;
        let height = height.max(1);
        let pixels = crate::render::resample::area::<3>(
            page.as_raw(),
            page.width(),
            page.height(),
            THUMB_WIDTH,
            height,
        );
        RgbImage::from_raw(THUMB_WIDTH, height, pixels).expect("the size it was made at")
    });
    let per_row = THUMBS_PER_ROW.min(thumbs.len().max(1) as u32);
    let rows = (thumbs.len() as u32).div_ceil(per_row).max(1);
    let cell_height = thumbs.iter().map(|t| t.height()).max().unwrap_or(0);
    let width = per_row * (THUMB_WIDTH + GAP) + GAP;
    let height = rows * (cell_height + GAP) + GAP;
    let mut sheet = RgbImage::from_pixel(width, height, BACKDROP);
    for (i, thumb) in thumbs.iter().enumerate() {
        let (col, row) = (i as u32 % per_row, i as u32 / per_row);
        let x = GAP + col * (THUMB_WIDTH + GAP);
        let y = GAP + row * (cell_height + GAP);
        imageops::replace(&mut sheet, thumb, i64::from(x), i64::from(y));
    }
    sheet
}

/// A picture as PNG bytes.
/// Compressed for speed (a third of the default's time for a slightly larger file): a build
/// makes a picture of every page and spread.
pub fn png(image: &RgbImage) -> Result<Vec<u8>, String> {
    encode_png(image, image::codecs::png::FilterType::Adaptive)
}

/// A picture as PNG bytes for a screen that shows it once (`koho watch`): one row filter
/// instead of trying five: half the encoding time for a file a quarter to a third larger,
/// which never leaves the machine.
pub fn png_for_screen(image: &RgbImage) -> Result<Vec<u8>, String> {
    encode_png(image, image::codecs::png::FilterType::Sub)
}

fn encode_png(image: &RgbImage, filter: image::codecs::png::FilterType) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, PngEncoder};
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(&mut bytes, CompressionType::Fast, filter)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> RgbImage {
        RgbImage::from_pixel(200, 300, Rgb([255, 255, 255]))
    }

    fn ink(image: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) {
        for y in y0..y1 {
            for x in x0..x1 {
                image.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
    }

    #[test]
    fn separate_changes_are_separate_regions() {
        let before = page();
        let mut after = page();
        ink(&mut after, 10, 10, 30, 20);
        ink(&mut after, 150, 250, 160, 260);
        let regions = changed_regions(&before, &after);
        assert_eq!(regions.len(), 2, "{regions:?}");
        assert!(regions.contains(&[8, 8, 32, 24]), "{regions:?}");
        assert!(regions.contains(&[144, 248, 160, 264]), "{regions:?}");
        assert!(changed_regions(&before, &before).is_empty());
    }

    #[test]
    fn the_diff_picture_has_three_panels_and_red_where_it_changed() {
        let before = page();
        let mut after = page();
        ink(&mut after, 50, 50, 70, 60);
        let (picture, regions) = diff_picture(&DiffPicture {
            before: &before,
            after: &after,
            before_boxes: &[],
            after_boxes: &[[50, 50, 70, 60]],
        });
        assert_eq!(regions.len(), 1);
        assert_eq!(picture.width(), 3 * 200 + 4 * GAP);
        let middle = GAP * 2 + 200;
        assert_eq!(*picture.get_pixel(middle + 55, GAP + 55), RED);
        // The unchanged paper in the middle panel stays light; the before panel is untouched.
        assert_eq!(
            *picture.get_pixel(middle + 150, GAP + 150),
            Rgb([255, 255, 255])
        );
        assert_eq!(*picture.get_pixel(GAP + 55, GAP + 55), Rgb([255, 255, 255]));
        // The after panel boxes the changed field.
        let after_x = GAP * 3 + 400;
        assert_eq!(*picture.get_pixel(after_x + 50 - 4, GAP + 55), RED);
    }

    #[test]
    fn a_contact_sheet_holds_every_page() {
        let pages = vec![page(); 5];
        let sheet = contact_sheet(&pages);
        assert_eq!(sheet.width(), 4 * (THUMB_WIDTH + GAP) + GAP);
        assert_eq!(sheet.height(), 2 * (540 + GAP) + GAP);
        // The fifth page starts the second row; the cell beside it is backdrop.
        assert_eq!(
            *sheet.get_pixel(GAP + 5, 2 * GAP + 540 + 5),
            Rgb([255, 255, 255])
        );
        assert_eq!(
            *sheet.get_pixel(2 * GAP + THUMB_WIDTH + 5, 2 * GAP + 540 + 5),
            BACKDROP
        );
    }
}
