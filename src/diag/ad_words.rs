//! The words of an ad's checks (DESIGN §10): what each found, and what to ask the advertiser
//! for when it is not right — shared by `koho preflight --ad` and the build's errors.

use super::Lang;
use crate::layout::Plate;
use crate::print::ad::{AdFinding, SizeFit};

/// A plate as editors and printers name it.
pub fn plate_word(plate: Plate, lang: Lang) -> &'static str {
    match (lang, plate) {
        (Lang::Ja, Plate::Cyan) => "シアン",
        (Lang::Ja, Plate::Magenta) => "マゼンタ",
        (Lang::Ja, Plate::Yellow) => "イエロー",
        (Lang::Ja, Plate::Black) => "墨",
        (Lang::En, plate) => plate.name(),
    }
}

/// Plates joined: 墨 + シアン.
pub fn plates_words(plates: &[Plate], lang: Lang) -> String {
    if plates.len() == 4 {
        return match lang {
            Lang::Ja => "4 色 (CMYK)".into(),
            Lang::En => "four colours (CMYK)".into(),
        };
    }
    // Black first, as printers say it: 墨 + シアン.
    let mut ordered = plates.to_vec();
    ordered.sort_by_key(|p| (*p != Plate::Black, p.index()));
    ordered
        .iter()
        .map(|p| plate_word(*p, lang))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn mm(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if (rounded - rounded.round()).abs() < 1e-9 {
        format!("{}", rounded.round())
    } else {
        format!("{rounded:.1}")
    }
}

fn size((w, h): (f64, f64)) -> String {
    format!("{} × {} mm", mm(w), mm(h))
}

/// What a check found, in `lang`.
pub fn finding(finding: &AdFinding, lang: Lang) -> String {
    use AdFinding as F;
    match (lang, finding) {
        (Lang::Ja, F::NotPdf) => {
            "PDF ではありません (ファイルの先頭が %PDF- ではありません)".into()
        }
        (Lang::En, F::NotPdf) => "not a PDF (the file does not start with %PDF-)".into(),
        (Lang::Ja, F::TooLarge { bytes }) => format!(
            "ファイルが大きすぎます ({} MB。広告は数 MB ほどです)",
            bytes / (1024 * 1024)
        ),
        (Lang::En, F::TooLarge { bytes }) => format!(
            "the file is too large ({} MB; an ad is a few MB)",
            bytes / (1024 * 1024)
        ),
        (Lang::Ja, F::Damaged { why }) => {
            format!("PDF として読めません (途中で切れているか壊れています: {why})")
        }
        (Lang::En, F::Damaged { why }) => {
            format!("the PDF cannot be read (truncated or damaged: {why})")
        }
        (Lang::Ja, F::Encrypted) => "PDF にパスワード (暗号化) がかかっています".into(),
        (Lang::En, F::Encrypted) => "the PDF is encrypted (password-protected)".into(),
        (Lang::Ja, F::Pages { count: 1 }) => "1 ページ".into(),
        (Lang::Ja, F::Pages { count }) => format!("{count} ページ (広告は 1 ページ)"),
        (Lang::En, F::Pages { count: 1 }) => "1 page".into(),
        (Lang::En, F::Pages { count }) => format!("{count} pages (an ad is one page)"),
        (Lang::Ja, F::Rotated { degrees }) => {
            format!("ページが {degrees}° 回転させて保存されています")
        }
        (Lang::En, F::Rotated { degrees }) => format!("the page is rotated by {degrees}°"),
        (
            lang,
            F::Size {
                found_mm,
                trim_box,
                slot_mm,
                bleed_mm,
                fit,
            },
        ) => {
            let with_bleed = (slot_mm.0 + 2.0 * bleed_mm, slot_mm.1 + 2.0 * bleed_mm);
            let measured = match (lang, trim_box) {
                (Lang::Ja, true) => "仕上がり (TrimBox)",
                (Lang::Ja, false) => "用紙 (MediaBox、TrimBox なし)",
                (Lang::En, true) => "trim (TrimBox)",
                (Lang::En, false) => "media (MediaBox, no TrimBox)",
            };
            match (lang, fit) {
                (Lang::Ja, Some(SizeFit::Trim)) => {
                    format!("{measured} {}: 枠の大きさです", size(*found_mm))
                }
                (Lang::Ja, Some(SizeFit::WithBleed)) => format!(
                    "{measured} {}: 枠に塗り足し {} mm を付けた大きさです",
                    size(*found_mm),
                    mm(*bleed_mm)
                ),
                (Lang::En, Some(SizeFit::Trim)) => {
                    format!("{measured} {}: the slot's size", size(*found_mm))
                }
                (Lang::En, Some(SizeFit::WithBleed)) => format!(
                    "{measured} {}: the slot plus {} mm bleed",
                    size(*found_mm),
                    mm(*bleed_mm)
                ),
                (Lang::Ja, None) => format!(
                    "{measured} が {} ですが、枠は {} (塗り足し込みなら {}){}",
                    size(*found_mm),
                    size(*slot_mm),
                    size(with_bleed),
                    if swapped(*found_mm, *slot_mm, *bleed_mm) {
                        "。縦と横が入れ替わっています"
                    } else {
                        ""
                    }
                ),
                (Lang::En, None) => format!(
                    "{measured} is {}, the slot is {} ({} with bleed){}",
                    size(*found_mm),
                    size(*slot_mm),
                    size(with_bleed),
                    if swapped(*found_mm, *slot_mm, *bleed_mm) {
                        "; width and height are swapped"
                    } else {
                        ""
                    }
                ),
            }
        }
        (Lang::Ja, F::Fonts { total, missing }) if missing.is_empty() => {
            format!("フォント {total} 個、すべて埋め込まれています")
        }
        (Lang::En, F::Fonts { total, missing }) if missing.is_empty() => {
            format!("{total} fonts, all embedded")
        }
        (Lang::Ja, F::Fonts { missing, .. }) => {
            format!("埋め込まれていないフォント: {}", missing.join(", "))
        }
        (Lang::En, F::Fonts { missing, .. }) => {
            format!("fonts not embedded: {}", missing.join(", "))
        }
        (
            lang,
            F::Colours {
                used,
                refused,
                registration_inside,
            },
        ) => {
            let used = if used.is_empty() {
                match lang {
                    Lang::Ja => "なし".to_owned(),
                    Lang::En => "none".to_owned(),
                }
            } else {
                used.join(", ")
            };
            let mut words = match (lang, refused.is_empty()) {
                (Lang::Ja, true) => format!("使われている色: {used}"),
                (Lang::En, true) => format!("colour spaces: {used}"),
                (Lang::Ja, false) => format!(
                    "印刷の 4 色 (CMYK) でない色: {} (RGB や特色は刷れません)",
                    refused.join(", ")
                ),
                (Lang::En, false) => format!(
                    "colours that are not process CMYK: {} (RGB and spot colours do not print)",
                    refused.join(", ")
                ),
            };
            if *registration_inside > 0 {
                words.push_str(&match lang {
                    Lang::Ja => format!(
                        "。レジストレーション色 (全版に刷られる色) がページの中に {registration_inside} か所"
                    ),
                    Lang::En => format!(
                        "; registration colour (printed on every plate) inside the page {registration_inside} times"
                    ),
                });
            }
            words
        }
        (lang, F::Plates { allowed, off }) if off.is_empty() => match lang {
            Lang::Ja => format!("{} だけで刷れます", plates_words(allowed, lang)),
            Lang::En => format!("prints on {} alone", plates_words(allowed, lang)),
        },
        (lang, F::Plates { allowed, off }) => {
            let off = off
                .iter()
                .map(|(p, pct)| format!("{} {pct} %", plate_word(*p, lang)))
                .collect::<Vec<_>>()
                .join(", ");
            match lang {
                Lang::Ja => format!(
                    "この枠は {} で刷りますが、ほかの版も使っています: {off}",
                    plates_words(allowed, lang)
                ),
                Lang::En => format!(
                    "the slot prints on {}, but the ad also inks: {off}",
                    plates_words(allowed, lang)
                ),
            }
        }
        (
            lang,
            F::Ink {
                most,
                limit,
                unmeasured,
            },
        ) => {
            let mut words = match lang {
                Lang::Ja => format!("インキの総量は最大 {most} % (上限 {limit} %)"),
                Lang::En => format!("most total ink {most} % (limit {limit} %)"),
            };
            if *unmeasured > 0 {
                words.push_str(&match lang {
                    Lang::Ja => format!("。量を測れなかった CMYK 画像 {unmeasured} 枚"),
                    Lang::En => format!("; {unmeasured} CMYK images could not be measured"),
                });
            }
            words
        }
        (Lang::Ja, F::Resolution { images: 0, .. }) => "画像なし".into(),
        (Lang::En, F::Resolution { images: 0, .. }) => "no images".into(),
        (Lang::Ja, F::Resolution { images, lowest }) => format!(
            "画像 {images} 枚、いちばん粗いもので {} ppi (原寸で {} ppi 以上。{} ppi 未満は刷れません)",
            lowest.map_or("?".into(), |p| format!("{p:.0}")),
            crate::print::ad::GOOD_PPI,
            crate::print::ad::LEAST_PPI
        ),
        (Lang::En, F::Resolution { images, lowest }) => format!(
            "{images} image{}, the coarsest at {} ppi (want ≥ {} at placed size; below {} is refused)",
            if *images == 1 { "" } else { "s" },
            lowest.map_or("?".into(), |p| format!("{p:.0}")),
            crate::print::ad::GOOD_PPI,
            crate::print::ad::LEAST_PPI
        ),
        (
            lang,
            F::Active {
                annotations,
                javascript,
                forms,
                multimedia,
            },
        ) => {
            let mut found = Vec::new();
            if *annotations > 0 {
                found.push(match lang {
                    Lang::Ja => format!("注釈・リンク {annotations} 個"),
                    Lang::En => format!("{annotations} annotations or links"),
                });
            }
            for (there, ja, en) in [
                (*javascript, "JavaScript", "JavaScript"),
                (*forms, "入力フォーム", "a form"),
                (*multimedia, "動画・音声", "multimedia"),
            ] {
                if there {
                    found.push(match lang {
                        Lang::Ja => ja.to_owned(),
                        Lang::En => en.to_owned(),
                    });
                }
            }
            match (lang, found.is_empty()) {
                (Lang::Ja, true) => "注釈・JavaScript・フォーム・動画や音声なし".into(),
                (Lang::En, true) => "no annotations, JavaScript, forms or multimedia".into(),
                (Lang::Ja, false) => format!("印刷データに入れられないもの: {}", found.join("、")),
                (Lang::En, false) => format!("not allowed in print data: {}", found.join(", ")),
            }
        }
        (Lang::Ja, F::Transparency { count: 0 }) => "透明効果なし".into(),
        (Lang::En, F::Transparency { count: 0 }) => "no transparency".into(),
        (Lang::Ja, F::Transparency { count }) => {
            format!("透明効果 (ソフトマスク・透明グループ) が {count} か所")
        }
        (Lang::En, F::Transparency { count }) => {
            format!("live transparency (soft masks, transparency groups) in {count} places")
        }
        (Lang::Ja, F::Standard { stated: Some(s) }) => format!("{s} と書かれています"),
        (Lang::En, F::Standard { stated: Some(s) }) => format!("states {s}"),
        (Lang::Ja, F::Standard { stated: None }) => {
            "PDF/X とは書かれていません (PDF/X-1a か PDF/X-4 が望ましい)".into()
        }
        (Lang::En, F::Standard { stated: None }) => {
            "states no PDF/X version (PDF/X-1a or PDF/X-4 preferred)".into()
        }
        (Lang::Ja, F::Content { errors }) => {
            format!("ページの中身を読めません: {}", errors.join("; "))
        }
        (Lang::En, F::Content { errors }) => {
            format!("the page's content cannot be read: {}", errors.join("; "))
        }
    }
}

/// Whether the size would fit with width and height swapped.
fn swapped(found: (f64, f64), slot: (f64, f64), bleed: f64) -> bool {
    let near = |a: f64, b: f64| (a - b).abs() <= crate::print::ad::SIZE_TOLERANCE_MM;
    (near(found.0, slot.1) && near(found.1, slot.0))
        || (near(found.0, slot.1 + 2.0 * bleed) && near(found.1, slot.0 + 2.0 * bleed))
}

/// What to ask the advertiser for when a check is not met, in `lang`.
pub fn ask(finding: &AdFinding, lang: Lang) -> String {
    use AdFinding as F;
    match (lang, finding) {
        (Lang::Ja, F::NotPdf) => {
            "PDF (できれば PDF/X-1a か PDF/X-4) で入稿し直してもらってください".into()
        }
        (Lang::En, F::NotPdf) => "ask for the ad as a PDF (PDF/X-1a or PDF/X-4)".into(),
        (Lang::Ja, F::TooLarge { .. }) => {
            "画像を原寸 350 ppi ほどにした PDF を送ってもらってください".into()
        }
        (Lang::En, F::TooLarge { .. }) => {
            "ask for a PDF with its images at about 350 ppi at their printed size".into()
        }
        (Lang::Ja, F::Damaged { .. } | F::Content { .. }) => {
            "書き出し直した PDF を送り直してもらってください (送る途中で切れたのかもしれません)"
                .into()
        }
        (Lang::En, F::Damaged { .. } | F::Content { .. }) => {
            "ask for the PDF to be exported and sent again (it may have been cut off)".into()
        }
        (Lang::Ja, F::Encrypted) => {
            "パスワードや印刷・編集の制限をかけずに書き出した PDF を送ってもらってください".into()
        }
        (Lang::En, F::Encrypted) => "ask for the PDF without a password or restrictions".into(),
        (Lang::Ja, F::Pages { .. }) => "1 つの枠に 1 ページの PDF を送ってもらってください".into(),
        (Lang::En, F::Pages { .. }) => "ask for one single-page PDF per slot".into(),
        (Lang::Ja, F::Rotated { .. }) => {
            "回転させずに、枠の向きのまま作った PDF を送ってもらってください".into()
        }
        (Lang::En, F::Rotated { .. }) => {
            "ask for the page upright, made in the slot's orientation".into()
        }
        (
            Lang::Ja,
            F::Size {
                slot_mm, bleed_mm, ..
            },
        ) => format!(
            "仕上がり {} (塗り足しを付けるなら {}) で作り直した PDF を送ってもらってください",
            size(*slot_mm),
            size((slot_mm.0 + 2.0 * bleed_mm, slot_mm.1 + 2.0 * bleed_mm))
        ),
        (
            Lang::En,
            F::Size {
                slot_mm, bleed_mm, ..
            },
        ) => format!(
            "ask for the ad remade at {} trim ({} with bleed)",
            size(*slot_mm),
            size((slot_mm.0 + 2.0 * bleed_mm, slot_mm.1 + 2.0 * bleed_mm))
        ),
        (Lang::Ja, F::Fonts { .. }) => {
            "すべてのフォントを埋め込んだ (またはアウトライン化した) PDF を送ってもらってください"
                .into()
        }
        (Lang::En, F::Fonts { .. }) => {
            "ask for a PDF with every font embedded (or outlined)".into()
        }
        (Lang::Ja, F::Colours { .. }) => {
            "RGB や特色を使わず、CMYK (プロセス 4 色) だけで作った PDF を送ってもらってください"
                .into()
        }
        (Lang::En, F::Colours { .. }) => {
            "ask for the ad in process CMYK only, with no RGB or spot colours".into()
        }
        (lang, F::Plates { allowed, .. }) => match lang {
            Lang::Ja => format!(
                "{} だけで作った PDF を送ってもらってください",
                plates_words(allowed, lang)
            ),
            Lang::En => format!("ask for the ad in {} only", plates_words(allowed, lang)),
        },
        (Lang::Ja, F::Ink { limit, .. }) => format!(
            "インキの総量を {limit} % 以下にした PDF を送ってもらってください (濃い色や黒い画像で超えがちです)"
        ),
        (Lang::En, F::Ink { limit, .. }) => {
            format!("ask for the ad with its total ink within {limit} %")
        }
        (Lang::Ja, F::Resolution { .. }) => {
            "画像を原寸で 300〜350 ppi にした PDF を送ってもらってください".into()
        }
        (Lang::En, F::Resolution { .. }) => {
            "ask for images of 300–350 ppi at their printed size".into()
        }
        (Lang::Ja, F::Active { .. }) => {
            "注釈・リンク・フォーム・JavaScript・動画や音声を含まない PDF を送ってもらってください"
                .into()
        }
        (Lang::En, F::Active { .. }) => {
            "ask for a PDF without annotations, links, forms, JavaScript or multimedia".into()
        }
        (Lang::Ja, F::Transparency { .. }) => {
            "透明を分割・統合した PDF (PDF/X-1a で書き出すとそうなります) を送ってもらってください"
                .into()
        }
        (Lang::En, F::Transparency { .. }) => {
            "ask for the transparency flattened (a PDF/X-1a export does it)".into()
        }
        (Lang::Ja, F::Standard { .. }) => {
            "次からは PDF/X-1a か PDF/X-4 で書き出してもらうと確実です".into()
        }
        (Lang::En, F::Standard { .. }) => "next time, ask for a PDF/X-1a or PDF/X-4 export".into(),
    }
}
