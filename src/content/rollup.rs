//! Derived figures: a vision's percent from its items' percents.

use serde::Serialize;

use super::model::Percent;

/// How a vision's figure follows from its items (`rollup:` in the page file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rollup {
    /// The mean of the items, truncated (the city's rule, and the default).
    #[default]
    Floor,
    /// The mean of the items, rounded half up.
    Round,
    /// The figure as stated, unchecked.
    None,
}

impl Rollup {
    /// The words that may be written for `rollup:`.
    pub const NAMES: [&'static str; 3] = ["floor", "round", "none"];

    /// The rule named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "floor" => Some(Rollup::Floor),
            "round" => Some(Rollup::Round),
            "none" => Some(Rollup::None),
            _ => None,
        }
    }

    /// The rule's name as written.
    pub fn name(self) -> &'static str {
        match self {
            Rollup::Floor => "floor",
            Rollup::Round => "round",
            Rollup::None => "none",
        }
    }

    /// The figure that follows from `items` by this rule; `None` for [`Rollup::None`] or no
    /// items.
    pub fn derive(self, items: &[Percent]) -> Option<Percent> {
        let n = items.len() as u32;
        if n == 0 {
            return None;
        }
        let sum: u32 = items.iter().map(|p| u32::from(p.get())).sum();
        let value = match self {
            Rollup::Floor => sum / n,
            // sum/n rounded half up, in integers: floor((2·sum + n) / 2n).
            Rollup::Round => (2 * sum + n) / (2 * n),
            Rollup::None => return None,
        };
        // The mean of figures 0–100 is within 0–100.
        Percent::new(value.into())
    }

    /// The arithmetic shown to the editor: `(14+29+30+20+30)/5 = 24.6 → 24`.
    pub fn explain(self, items: &[Percent]) -> String {
        let terms: Vec<String> = items.iter().map(|p| p.to_string()).collect();
        let sum: u32 = items.iter().map(|p| u32::from(p.get())).sum();
        let n = items.len().max(1) as u32;
        let result = self
            .derive(items)
            .map_or_else(String::new, |p| format!(" → {p}"));
        format!("({})/{n} = {}{result}", terms.join("+"), decimal(sum, n))
    }
}

/// `sum / n` in decimal: exact when it ends within two places, else two places and `…`.
fn decimal(sum: u32, n: u32) -> String {
    let hundredths = sum * 100 / n;
    let exact = (sum * 100).is_multiple_of(n);
    let whole = hundredths / 100;
    let fraction = hundredths % 100;
    let mut text = if fraction == 0 {
        whole.to_string()
    } else if fraction.is_multiple_of(10) {
        format!("{whole}.{}", fraction / 10)
    } else {
        format!("{whole}.{fraction:02}")
    };
    if !exact {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn percents(values: &[u8]) -> Vec<Percent> {
        values
            .iter()
            .map(|&v| Percent::new(v.into()).unwrap())
            .collect()
    }

    #[test]
    fn vision_03_of_the_sample() {
        let items = percents(&[14, 29, 30, 20, 30]);
        assert_eq!(Rollup::Floor.derive(&items).unwrap().get(), 24);
        assert_eq!(Rollup::Round.derive(&items).unwrap().get(), 25);
        assert_eq!(
            Rollup::Floor.explain(&items),
            "(14+29+30+20+30)/5 = 24.6 → 24"
        );
    }

    #[test]
    fn explains_repeating_fractions() {
        let items = percents(&[10, 10, 11]);
        assert_eq!(Rollup::Floor.explain(&items), "(10+10+11)/3 = 10.33… → 10");
        assert_eq!(
            Rollup::Floor.explain(&percents(&[50, 51])),
            "(50+51)/2 = 50.5 → 50"
        );
    }

    #[test]
    fn half_boundaries() {
        // 50.5: floor keeps 50, round goes up.
        assert_eq!(
            Rollup::Floor.derive(&percents(&[50, 51])).unwrap().get(),
            50
        );
        assert_eq!(
            Rollup::Round.derive(&percents(&[50, 51])).unwrap().get(),
            51
        );
        // 0.5 and 99.5.
        assert_eq!(Rollup::Round.derive(&percents(&[0, 1])).unwrap().get(), 1);
        assert_eq!(
            Rollup::Round.derive(&percents(&[99, 100])).unwrap().get(),
            100
        );
        assert_eq!(Rollup::None.derive(&percents(&[1])), None);
    }

    proptest! {
        #[test]
        fn floor_is_the_truncated_mean(values in prop::collection::vec(0u8..=100, 1..=6)) {
            let items = percents(&values);
            let sum: u32 = values.iter().map(|&v| u32::from(v)).sum();
            let n = values.len() as u32;
            let got = u32::from(Rollup::Floor.derive(&items).unwrap().get());
            // got ≤ mean < got + 1, in integers.
            prop_assert!(got * n <= sum && sum < (got + 1) * n);
        }

        #[test]
        fn round_is_the_mean_rounded_half_up(values in prop::collection::vec(0u8..=100, 1..=6)) {
            let items = percents(&values);
            let sum: u32 = values.iter().map(|&v| u32::from(v)).sum();
            let n = values.len() as u32;
            let got = u32::from(Rollup::Round.derive(&items).unwrap().get());
            // got - 0.5 ≤ mean < got + 0.5, in integers (×2n).
            prop_assert!(2 * sum + n >= 2 * got * n && 2 * sum < (2 * got + 1) * n);
            // Round never falls below floor and exceeds it by at most one.
            let floor = u32::from(Rollup::Floor.derive(&items).unwrap().get());
            prop_assert!(got == floor || got == floor + 1);
        }

        #[test]
        fn exact_halves_round_up(base in 0u32..100, n in prop::sample::select(vec![2u32, 4, 6])) {
            // Items whose mean is exactly base + 0.5.
            let half = (n / 2) as usize;
            let mut values = vec![base as u8; half];
            values.extend(vec![(base + 1) as u8; half]);
            let items = percents(&values);
            prop_assert_eq!(u32::from(Rollup::Round.derive(&items).unwrap().get()), base + 1);
            prop_assert_eq!(u32::from(Rollup::Floor.derive(&items).unwrap().get()), base);
        }
    }
}
