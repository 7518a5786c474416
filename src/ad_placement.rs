//! The ads an issue's pages place (DESIGN §10), checked against their slots before anything
//! is typeset: the slot must be one `magazine.yaml` has and may stand on the page, and the
//! advertiser's PDF must pass the same checks as `koho preflight FILE --ad SLOT --page N`.
//! A failing ad is an error at its page file's `file:` line, so a build with a bad ad writes
//! nothing. What passes is kept as a [`Placement`]: where the slot's area lies on the ad's
//! page, for the template to place it and for finishing to put the page in as delivered.

use std::collections::BTreeMap;

use crate::content::model::{Ad, Issue, Page};
use crate::diag::words::Words;
use crate::diag::{AdFault, Diagnostic, FieldPath, Lang, Problem};
use crate::layout::{AdSlot, Magazine, Plate};
use crate::print::ad::{AdGeometry, SlotSpec, check_ad};

/// One ad that passed its checks, ready to place.
#[derive(Clone, Debug)]
pub struct Placement {
    /// Its slot.
    pub slot: AdSlot,
    /// Where the slot's area lies on the ad's page.
    pub geometry: AdGeometry,
}

/// The issue's placed ads, by page file and field path (`p14-duty-doctors.yaml`, `ad`).
#[derive(Clone, Debug, Default)]
pub struct Placements {
    placed: BTreeMap<(String, String), Placement>,
    /// True when the slots are kept empty: the pages keep their ads' room, but nothing of
    /// the ads is drawn (the web edition's accessible PDF leaves ads out).
    hidden: bool,
}

impl Placements {
    /// The same placements with their slots kept empty (see [`Placements::is_hidden`]).
    pub fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// True when the ads' room is kept but nothing of them is drawn.
    pub fn is_hidden(&self) -> bool {
        self.hidden
    }

    /// The placement of the ad at `path` of page file `file`, when it passed.
    pub fn get(&self, file: &str, path: &FieldPath) -> Option<&Placement> {
        self.placed.get(&(file.to_owned(), path.to_string()))
    }

    /// How many ads are placed.
    pub fn len(&self) -> usize {
        self.placed.len()
    }

    /// True when the issue places no ad.
    pub fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }
}

/// What an ad in `slot` must meet on a page printed on `page_plates`.
pub fn slot_spec(format: &Magazine, slot: &AdSlot, page_plates: &[Plate]) -> SlotSpec {
    SlotSpec {
        name: slot.name.to_string(),
        size_mm: (slot.width.mm(), slot.height.mm()),
        bleed_mm: format.bleed.mm(),
        plates: slot.plates_on(page_plates),
    }
}

/// Checks every ad of `issue` against its slot in `format`: the placements of those that
/// pass, and a diagnostic for each that does not.
pub fn check(issue: &Issue, format: &Magazine) -> (Placements, Vec<Diagnostic>) {
    let mut placements = Placements::default();
    let mut found = Vec::new();
    for page in issue.pages.iter() {
        for (path, ad) in page.content.fields.ads(&FieldPath::root()) {
            match place(page, &path, ad, format) {
                Ok(placement) => {
                    placements
                        .placed
                        .insert((page.file.clone(), path.to_string()), placement);
                }
                Err(diagnostic) => found.push(*diagnostic),
            }
        }
    }
    (placements, found)
}

/// One ad checked on its page.
fn place(
    page: &Page,
    path: &FieldPath,
    ad: &Ad,
    format: &Magazine,
) -> Result<Placement, Box<Diagnostic>> {
    let at = |key: &str, problem: Problem| {
        let field = path.key(key);
        let span = page.spans.get(&field.to_string()).unwrap_or(0..0);
        Box::new(page.diagnostic(span, field, problem))
    };
    let Some(slot) = format.ads.slots.get(&ad.slot) else {
        return Err(at(
            "slot",
            Problem::AdSlotUnknown {
                slot: ad.slot.clone(),
                known: format.ads.slots.keys().cloned().collect(),
            },
        ));
    };
    let slot_words = Words::new(slot.name.as_str(), slot.key.as_str());
    let folio = page.folio().get();
    if !slot.allows(folio, page.content.layout_name()) {
        return Err(at(
            "slot",
            Problem::AdSlotNotHere {
                slot: slot_words,
                folio,
                kind: page.content.layout_name().to_owned(),
            },
        ));
    }
    let bytes = std::fs::read(&ad.path).map_err(|e| {
        at(
            "file",
            Problem::FileUnreadable {
                path: ad.file.clone(),
                reason: e.to_string(),
            },
        )
    })?;
    let spec = slot_spec(format, slot, &format.plates(folio));
    let report = check_ad(&bytes, &spec);
    let faults: Vec<AdFault> = report
        .failures()
        .map(|c| AdFault {
            what: Words::new(
                crate::diag::ad_words::finding(&c.finding, Lang::Ja),
                crate::diag::ad_words::finding(&c.finding, Lang::En),
            ),
            ask: Words::new(
                crate::diag::ad_words::ask(&c.finding, Lang::Ja),
                crate::diag::ad_words::ask(&c.finding, Lang::En),
            ),
        })
        .collect();
    match report.geometry {
        Some(geometry) if faults.is_empty() => Ok(Placement {
            slot: slot.clone(),
            geometry,
        }),
        _ => Err(at(
            "file",
            Problem::AdRefused {
                file: ad.file.clone(),
                slot: slot_words,
                faults,
            },
        )),
    }
}
