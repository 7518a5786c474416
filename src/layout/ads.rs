//! `ads:` in `layouts/magazine.yaml` (DESIGN §10): the ad slots the magazine sells — each
//! with its name in the editors' words, its size, the inks its ad may use and the pages that
//! may carry it — and the 「広告」 mark every slot carries.

use std::collections::BTreeMap;

use serde::Serialize;

use super::format::{Mm, Plate, read_folios, written};
use super::spec::read_length;
use crate::content::model::{FolioRange, Text};
use crate::content::yaml::Value;
use crate::content::{Fields, Need, Reader};
use crate::diag::{Expected, Problem};

const ADS_KEYS: &[&str] = &["mark", "slots", "web"];
const MARK_KEYS: &[&str] = &["text", "place"];
const SLOT_KEYS: &[&str] = &["name", "width", "height", "inks", "folios", "kinds"];
/// The words `inks:` takes besides a list of plates.
const PAGE_INKS: &str = "page";
/// The words `place:` takes.
const PLACES: &[&str] = &["above-left", "above-right"];

/// The ad slots and how ads are marked.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Ads {
    /// The 「広告」 mark (none when the magazine sells no ads).
    pub mark: Option<AdMark>,
    /// The slots, by the name page files use (`foot`).
    pub slots: BTreeMap<String, AdSlot>,
    /// Whether the web edition shows ads (it leaves them out unless this says so).
    pub web: bool,
}

/// The mark cities require beside an ad: 「広告」, so no one takes it for the city's word.
#[derive(Clone, Debug, Serialize)]
pub struct AdMark {
    /// What it says (広告).
    pub text: Text,
    /// Where it stands: just above the slot, at its left or right end.
    pub place: MarkPlace,
}

/// Where the 「広告」 mark stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkPlace {
    /// Above the slot's top edge, at its left end.
    AboveLeft,
    /// Above the slot's top edge, at its right end.
    AboveRight,
}

/// One slot an advertiser buys.
#[derive(Clone, Debug, Serialize)]
pub struct AdSlot {
    /// The name page files use (`foot`).
    pub key: String,
    /// Its name in the editors' words (下段広告).
    pub name: Text,
    /// The ad's trimmed width.
    pub width: Mm,
    /// The ad's trimmed height.
    pub height: Mm,
    /// The inks an ad in it may print with.
    pub inks: SlotInks,
    /// The folios that may carry it (empty: any).
    #[serde(skip)]
    pub folios: Vec<FolioRange>,
    /// The kinds of page that may carry it (empty: any).
    #[serde(skip)]
    pub kinds: Vec<String>,
}

/// The inks a slot's ad may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotInks {
    /// Those of the page it is on: four on a four-colour page, two on a two-colour one.
    Page,
    /// These plates only (`[black]`: a one-colour ad), and never more than the page's.
    Plates(Vec<Plate>),
}

impl AdSlot {
    /// The plates an ad in this slot may use on a page printed on `page_plates`.
    pub fn plates_on(&self, page_plates: &[Plate]) -> Vec<Plate> {
        match &self.inks {
            SlotInks::Page => page_plates.to_vec(),
            SlotInks::Plates(plates) => plates
                .iter()
                .copied()
                .filter(|p| page_plates.contains(p))
                .collect(),
        }
    }

    /// Whether the slot may be placed on `folio`, a page of `kind`.
    pub fn allows(&self, folio: u32, kind: &str) -> bool {
        (self.folios.is_empty() || self.folios.iter().any(|r| r.contains(folio)))
            && (self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind))
    }
}

/// Reads `ads:` (absent: no slots).
pub(super) fn read_ads(reader: &mut Reader<'_>, fields: &Fields<'_>) -> Option<Ads> {
    let Some(node) = fields.value("ads") else {
        return Some(Ads::default());
    };
    let ads = reader.fields(node, &fields.path("ads"), ADS_KEYS)?;
    let mark = match ads.value("mark") {
        Some(node) => reader
            .fields(node, &ads.path("mark"), MARK_KEYS)
            .and_then(|m| {
                let text = reader.text(&m, "text", Need::Required);
                let place = match m.value("place") {
                    None => Some(MarkPlace::AboveLeft),
                    Some(_) => reader.word(&m, "place", PLACES, |w| match w {
                        "above-left" => Some(MarkPlace::AboveLeft),
                        "above-right" => Some(MarkPlace::AboveRight),
                        _ => None,
                    }),
                };
                Some(Some(AdMark {
                    text: text?,
                    place: place?,
                }))
            }),
        None => {
            if ads.value("slots").is_some() {
                // Slots without the mark: cities require it, so it must be written.
                reader.missing(&ads, "mark");
                None
            } else {
                Some(None)
            }
        }
    };
    let web = match ads.value("web") {
        None => Some(false),
        Some(_) => reader.word(&ads, "web", &["true", "false"], |w| match w {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }),
    };
    let mut slots = BTreeMap::new();
    let mut sound = true;
    if let Some(node) = ads.value("slots") {
        match &node.value {
            Value::Map(entries) => {
                for entry in entries {
                    let path = ads.path("slots").key(&entry.key);
                    match reader
                        .fields(&entry.value, &path, SLOT_KEYS)
                        .and_then(|f| read_slot(reader, &f, &entry.key))
                    {
                        Some(slot) => {
                            slots.insert(entry.key.clone(), slot);
                        }
                        None => sound = false,
                    }
                }
            }
            _ => {
                reader.wrong_type(node, ads.path("slots"), Expected::Mapping);
                sound = false;
            }
        }
    }
    let ads = Ads {
        mark: mark?,
        slots,
        web: web?,
    };
    sound.then_some(ads)
}

fn read_slot(reader: &mut Reader<'_>, fields: &Fields<'_>, key: &str) -> Option<AdSlot> {
    let name = reader.text(fields, "name", Need::Required);
    let width = read_length(reader, fields, "width");
    let height = read_length(reader, fields, "height");
    let inks = match fields.value("inks") {
        None => Some(SlotInks::Page),
        Some(node) => match &node.value {
            Value::List(_) => read_plates(reader, fields).map(SlotInks::Plates),
            _ => reader.word(fields, "inks", &[PAGE_INKS], |w| {
                (w == PAGE_INKS).then_some(SlotInks::Page)
            }),
        },
    };
    let folios = match fields.value("folios") {
        None => Some(Vec::new()),
        Some(_) => read_folios(reader, fields),
    };
    let kinds = match fields.value("kinds") {
        None => Some(Vec::new()),
        Some(_) => reader
            .list(fields, "kinds", Need::Required, 1, usize::MAX)
            .map(|items| items.iter().map(|(_, n)| written(reader, n)).collect()),
    };
    Some(AdSlot {
        kinds: kinds?,
        key: key.to_owned(),
        name: name?,
        width: width?.into(),
        height: height?.into(),
        inks: inks?,
        folios: folios?,
    })
}

/// `inks: [black, cyan]`: plates, each once, black among them.
fn read_plates(reader: &mut Reader<'_>, fields: &Fields<'_>) -> Option<Vec<Plate>> {
    let names: Vec<String> = Plate::ALL.iter().map(|p| p.name().to_owned()).collect();
    let items = reader.list(fields, "inks", Need::Required, 1, 4)?;
    let mut plates = Vec::new();
    let mut sound = true;
    for (path, node) in &items {
        let written = written(reader, node);
        match Plate::parse(written.trim()) {
            Some(plate) if !plates.contains(&plate) => plates.push(plate),
            _ => {
                reader.report(
                    node.span.clone(),
                    path.clone(),
                    Problem::NotOneOf {
                        found: written,
                        allowed: names.clone(),
                    },
                );
                sound = false;
            }
        }
    }
    plates.sort();
    sound.then_some(plates)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diag::{Lang, render};
    use crate::layout::load_format;

    /// The project's `magazine.yaml` with `ads:` replaced by `ads`, loaded from a scratch
    /// folder: the format, or its errors in English.
    fn with_ads(ads: &str) -> Result<crate::layout::Magazine, String> {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/magazine.yaml");
        let text = std::fs::read_to_string(project).unwrap();
        let head = &text[..text.find("\nads:").expect("the sample sells ads")];
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("magazine.yaml"), format!("{head}\n{ads}")).unwrap();
        load_format(dir.path(), Path::new("layouts")).map_err(|ds| {
            ds.iter()
                .map(|d| render::human(d, Lang::En))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    #[test]
    fn the_sample_sells_three_slots() {
        let format = with_ads("").unwrap();
        assert!(format.ads.slots.is_empty() && format.ads.mark.is_none());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts");
        let format = load_format(&dir, Path::new("layouts")).unwrap();
        let foot = &format.ads.slots["foot"];
        assert_eq!((foot.width.mm(), foot.height.mm()), (180.0, 45.0));
        assert_eq!(foot.inks, SlotInks::Page);
        // On a two-colour page a `page` slot takes that page's two inks.
        assert_eq!(
            foot.plates_on(&format.plates(10)),
            vec![Plate::Cyan, Plate::Black]
        );
        let back = &format.ads.slots["back"];
        assert!(back.allows(16, "back-cover") && !back.allows(16, "notices"));
        assert_eq!(
            format.ads.mark.as_ref().map(|m| m.place),
            Some(MarkPlace::AboveLeft)
        );
    }

    #[test]
    fn a_slot_is_read_as_strictly_as_content() {
        let slot = |body: &str| {
            with_ads(&format!(
                "ads:\n  mark:\n    text: 広告\n  slots:\n    foot:\n{body}"
            ))
        };
        let ok = slot(
            "      name: 下段広告\n      width: 180mm\n      height: 45mm\n      inks: [black]\n",
        );
        assert_eq!(
            ok.unwrap().ads.slots["foot"].inks,
            SlotInks::Plates(vec![Plate::Black])
        );
        let wrong_ink = slot("      name: 下段\n      width: 180mm\n      height: 45mm\n      inks: [black, green]\n")
            .unwrap_err();
        assert!(wrong_ink.contains("green"), "{wrong_ink}");
        let no_height = slot("      name: 下段\n      width: 180mm\n").unwrap_err();
        assert!(no_height.contains("height"), "{no_height}");
        let bad_length =
            slot("      name: 下段\n      width: 180\n      height: 45mm\n").unwrap_err();
        assert!(bad_length.contains("width"), "{bad_length}");
        let unknown =
            slot("      name: 下段\n      width: 180mm\n      height: 45mm\n      colour: red\n")
                .unwrap_err();
        assert!(unknown.contains("colour"), "{unknown}");
        // Slots without the mark cities require.
        let unmarked = with_ads(
            "ads:\n  slots:\n    foot:\n      name: 下段\n      width: 180mm\n      height: 45mm\n",
        )
        .unwrap_err();
        assert!(unmarked.contains("mark"), "{unmarked}");
    }
}
