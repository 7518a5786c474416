//! Rectangles on a page and which of them a point falls on: the one rule by which a proof's
//! comment and the preview's pointer find the field they are about.
//!
//! A rectangle is `[left, low, right, high]` with `left <= right` and `low <= high`, in any one
//! frame of points (the trim's top-left corner with y going down, or PDF user space with y
//! going up): the rule needs no more.

/// The item whose rectangle holds `point` most tightly (the smallest: an item's figure lies
/// inside the item, the item inside its vision), or else the nearest within `near` points.
pub fn under<T>(
    point: (f64, f64),
    items: &[T],
    rect: impl Fn(&T) -> [f64; 4],
    near: f64,
) -> Option<&T> {
    let size = |r: &[f64; 4]| (r[2] - r[0]) * (r[3] - r[1]);
    let holding = items
        .iter()
        .filter(|item| contains(&rect(item), point))
        .min_by(|a, b| size(&rect(a)).total_cmp(&size(&rect(b))));
    holding.or_else(|| {
        items
            .iter()
            .map(|item| (item, distance(point, &rect(item))))
            .filter(|(_, d)| *d <= near)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(item, _)| item)
    })
}

/// Whether `r` holds `point` (its edges included).
pub fn contains(r: &[f64; 4], point: (f64, f64)) -> bool {
    (r[0]..=r[2]).contains(&point.0) && (r[1]..=r[3]).contains(&point.1)
}

/// How far `point` is from `r` (0 inside it).
pub fn distance(point: (f64, f64), r: &[f64; 4]) -> f64 {
    let dx = (r[0] - point.0).max(point.0 - r[2]).max(0.0);
    let dy = (r[1] - point.1).max(point.1 - r[3]).max(0.0);
    dx.hypot(dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: [f64; 4] = [10.0, 10.0, 30.0, 20.0];
    const VISION: [f64; 4] = [0.0, 0.0, 100.0, 50.0];

    #[test]
    fn the_tightest_rectangle_holding_the_point_wins_whatever_the_order() {
        for items in [[VISION, ITEM], [ITEM, VISION]] {
            assert_eq!(under((15.0, 15.0), &items, |r| *r, 0.0), Some(&ITEM));
            assert_eq!(under((50.0, 40.0), &items, |r| *r, 0.0), Some(&VISION));
        }
    }

    #[test]
    fn outside_every_rectangle_only_a_near_one_counts() {
        let items = [ITEM];
        assert_eq!(under((33.0, 24.0), &items, |r| *r, 5.0), Some(&ITEM));
        assert_eq!(under((33.0, 24.0), &items, |r| *r, 4.9), None);
        assert_eq!(under((200.0, 200.0), &items, |r| *r, 24.0), None);
    }
}
