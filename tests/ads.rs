//! Advertisers' files judged against their slots (DESIGN §10): the good ones pass, each kind
//! of bad one is refused with its reason and what to ask the advertiser for, and any file —
//! damaged, foreign, hostile — ends with a verdict.

mod common;

use std::path::Path;

use common::ads;
use common::{PROJECT, koho_in, stdout};
use koho::layout::Plate;
use koho::print::ad::{AdFinding, AdReport, SlotSpec, check_ad};
use koho::print::preflight::Status;

/// The sample issue's ads, as the tests make them.
const SAMPLE_ADS: &str = "content/2026-06/ads";

fn foot() -> SlotSpec {
    SlotSpec {
        name: "下段広告".into(),
        size_mm: (180.0, 45.0),
        bleed_mm: 3.0,
        plates: Plate::ALL.to_vec(),
    }
}

fn half_on_two_colours() -> SlotSpec {
    SlotSpec {
        name: "下段広告 (半枠)".into(),
        size_mm: (88.0, 45.0),
        bleed_mm: 3.0,
        plates: vec![Plate::Cyan, Plate::Black],
    }
}

/// The status of the check named `name`, failing the test when there is none.
fn status_of(report: &AdReport, name: &str) -> Status {
    report
        .checks
        .iter()
        .find(|c| c.finding.name() == name)
        .unwrap_or_else(|| panic!("no check {name} in {report:#?}"))
        .status
}

/// The names of the failed checks.
fn failed(report: &AdReport) -> Vec<&'static str> {
    report.failures().map(|c| c.finding.name()).collect()
}

#[test]
fn the_sample_ads_are_the_ones_the_tests_make() {
    let dir = Path::new(PROJECT).join(SAMPLE_ADS);
    let made = [
        ("sample-foot-4c.pdf", ads::four_colour_ad()),
        ("sample-half-2c.pdf", ads::two_colour_ad()),
    ];
    let bless = std::env::var_os("KOHO_BLESS").is_some();
    for (name, bytes) in made {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let kept = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{} ({e}): run KOHO_BLESS=1 cargo test --test ads",
                path.display()
            )
        });
        assert!(
            kept == bytes,
            "{} is not what the tests make now: run KOHO_BLESS=1 cargo test --test ads",
            path.display()
        );
    }
}

#[test]
fn the_good_ads_pass_every_check() {
    let four = check_ad(&ads::four_colour_ad(), &foot());
    assert_eq!(four.status(), Status::Pass, "{four:#?}");
    assert!(matches!(
        four.checks
            .iter()
            .find(|c| c.finding.name() == "ad-size")
            .map(|c| &c.finding),
        Some(AdFinding::Size {
            fit: Some(koho::print::ad::SizeFit::Trim),
            trim_box: true,
            ..
        })
    ));
    // Its placed area is the TrimBox: the ground's bleed lies outside it.
    let trim = four.geometry.expect("a fitting ad has its area").trim;
    let mm = |pt: f64| pt * 25.4 / 72.0;
    assert!((mm(trim[0]) - 3.0).abs() < 0.01 && (mm(trim[2] - trim[0]) - 180.0).abs() < 0.01);

    let two = check_ad(&ads::two_colour_ad(), &half_on_two_colours());
    assert_eq!(two.status(), Status::Pass, "{two:#?}");
    assert_eq!(status_of(&two, "ad-plates"), Status::Pass);
}

#[test]
fn each_kind_of_bad_ad_is_refused_with_its_reason() {
    let good = ads::four_colour_ad();
    let cases: Vec<(&str, Vec<u8>, SlotSpec, &str)> = vec![
        ("RGB", ads::rgb_ad(), foot(), "ad-colours"),
        (
            "an unembedded font",
            ads::unembedded_font_ad((180.0, 45.0)),
            foot(),
            "ad-fonts",
        ),
        (
            "the wrong size",
            ads::four_colour_ad_with(350.0, (170.0, 45.0), "cmyk(0%, 6%, 22%, 0%)"),
            foot(),
            "ad-size",
        ),
        (
            "a 150 ppi photo",
            ads::four_colour_ad_with(150.0, (180.0, 45.0), "cmyk(0%, 6%, 22%, 0%)"),
            foot(),
            "ad-resolution",
        ),
        ("encrypted", ads::encrypted(&good), foot(), "ad-file"),
        ("two pages", ads::two_page_ad(), foot(), "ad-pages"),
        (
            "a truncated file",
            good[..good.len() / 2].to_vec(),
            foot(),
            "ad-file",
        ),
        (
            "not a PDF",
            ads::sample_photo_png(40, 30),
            foot(),
            "ad-file",
        ),
        (
            "four colours in a two-colour slot",
            ads::four_colour_ad_with(350.0, (88.0, 45.0), "cmyk(0%, 6%, 22%, 0%)"),
            half_on_two_colours(),
            "ad-plates",
        ),
        (
            "over the ink limit",
            ads::four_colour_ad_with(350.0, (180.0, 45.0), "cmyk(90%, 90%, 90%, 100%)"),
            foot(),
            "ad-ink",
        ),
    ];
    for (what, bytes, slot, reason) in cases {
        let report = check_ad(&bytes, &slot);
        assert_eq!(report.status(), Status::Fail, "{what}: {report:#?}");
        assert!(
            failed(&report).contains(&reason),
            "{what}: refused for {:?}, not {reason}",
            failed(&report)
        );
    }
}

#[test]
fn a_soft_photo_is_a_warning_and_no_pdfx_is_a_warning() {
    let soft = check_ad(
        &ads::four_colour_ad_with(250.0, (180.0, 45.0), "cmyk(0%, 6%, 22%, 0%)"),
        &foot(),
    );
    assert_eq!(status_of(&soft, "ad-resolution"), Status::Warn, "{soft:#?}");
    assert!(soft.passed());
    let plain = ads::typst_ad(&ads::AdDesign {
        trim_mm: (88.0, 45.0),
        bleed_mm: 3.0,
        body: "#rect(width: 100%, height: 100%, fill: cmyk(0%, 0%, 0%, 30%))",
        files: vec![],
        pdfx: None,
    });
    let report = check_ad(&plain, &half_on_two_colours());
    assert_eq!(status_of(&report, "ad-standard"), Status::Warn);
    // Slot plus bleed on every side, no PDF/X: placed, with a word to the advertiser.
    assert_eq!(report.status(), Status::Warn, "{report:#?}");
}

/// PDFs a print shop meets that no exporter should write: each still gets a verdict.
fn foreign_pdfs() -> Vec<(&'static str, Vec<u8>)> {
    let mut cases = refused_pdfs();
    // Flipped bytes through the file: some land where no reader can tell (inside a photo),
    // so only a verdict is asked of these.
    let good = ads::two_colour_ad();
    for i in 1..20 {
        let mut damaged = good.clone();
        let at = damaged.len() * i / 20;
        for b in &mut damaged[at..(at + 64).min(good.len())] {
            *b = !*b;
        }
        cases.push(("a good ad with damaged bytes", damaged));
    }
    cases
}

/// Files that cannot be placed: each is refused.
fn refused_pdfs() -> Vec<(&'static str, Vec<u8>)> {
    let good = ads::two_colour_ad();
    let text = |s: &str| s.as_bytes().to_vec();
    let mut cases = vec![
        ("empty", Vec::new()),
        ("the header alone", text("%PDF-1.4\n")),
        (
            "junk after the header",
            [b"%PDF-1.7\n".as_slice(), &[0xAB; 4096]].concat(),
        ),
        (
            "a page tree that contains itself",
            text(
                "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
                 2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\n\
                 trailer<</Root 1 0 R>>\n%%EOF\n",
            ),
        ),
        (
            "a form that draws itself",
            text(
                "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
                 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
                 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 510 127]/Contents 4 0 R\
                 /Resources<</XObject<</X 5 0 R>>>>>>endobj\n\
                 4 0 obj<</Length 6>>stream\n/X Do\nendstream endobj\n\
                 5 0 obj<</Type/XObject/Subtype/Form/BBox[0 0 10 10]/Length 6\
                 /Resources<</XObject<</X 5 0 R>>>>>>stream\n/X Do\nendstream endobj\n\
                 trailer<</Root 1 0 R>>\n%%EOF\n",
            ),
        ),
        (
            "an image that claims to be enormous",
            text(
                "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
                 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
                 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 510 127]/Contents 4 0 R\
                 /Resources<</XObject<</I 5 0 R>>>>>>endobj\n\
                 4 0 obj<</Length 24>>stream\n510 0 0 127 0 0 cm /I Do\nendstream endobj\n\
                 5 0 obj<</Type/XObject/Subtype/Image/Width 2000000000/Height 2000000000\
                 /ColorSpace/DeviceCMYK/BitsPerComponent 8/Length 4>>stream\n\
                 \u{0}\u{0}\u{0}\u{0}\nendstream endobj\n\
                 trailer<</Root 1 0 R>>\n%%EOF\n",
            ),
        ),
        (
            "a content stream of nonsense",
            text(
                "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
                 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
                 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 510 127]/Contents 4 0 R>>endobj\n\
                 4 0 obj<</Length 20>>stream\n((( [[[ <<< >> ] ) \nendstream endobj\n\
                 trailer<</Root 1 0 R>>\n%%EOF\n",
            ),
        ),
    ];
    // Cut off at every 1/40th of its length, as a mail attachment or upload can be.
    for i in 1..40 {
        cases.push(("a good ad cut off", good[..good.len() * i / 40].to_vec()));
    }
    cases
}

#[test]
fn any_file_however_broken_ends_with_a_verdict() {
    for (what, bytes) in foreign_pdfs() {
        let report = check_ad(&bytes, &half_on_two_colours());
        assert!(!report.checks.is_empty(), "{what}: no verdict");
    }
    for (what, bytes) in refused_pdfs() {
        let report = check_ad(&bytes, &half_on_two_colours());
        assert_eq!(report.status(), Status::Fail, "{what}: {report:#?}");
    }
}

#[test]
fn preflight_ad_tells_the_editor_what_to_ask_for() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("rgb.pdf");
    std::fs::write(&bad, ads::rgb_ad()).unwrap();
    let out = koho_in(
        Path::new(PROJECT),
        &["preflight", bad.to_str().unwrap(), "--ad", "foot"],
        "ja_JP.UTF-8",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stdout(&out);
    assert!(
        said.contains("広告枠 下段広告 (foot): 180 × 45 mm"),
        "{said}"
    );
    assert!(said.contains("FAIL  ad-colours"), "{said}");
    assert!(
        said.contains(
            "→ RGB や特色を使わず、CMYK (プロセス 4 色) だけで作った PDF を送ってもらってください"
        ),
        "{said}"
    );
    assert!(said.contains("判定: このままでは掲載できません"), "{said}");

    let good = dir.path().join("good.pdf");
    std::fs::write(&good, ads::two_colour_ad()).unwrap();
    // On page 10, a two-colour page of the sample, the half slot takes black and cyan.
    let out = koho_in(
        Path::new(PROJECT),
        &[
            "preflight",
            good.to_str().unwrap(),
            "--ad",
            "half",
            "--page",
            "10",
            "--json",
        ],
        "en_US.UTF-8",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "PASS");
    let plates = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "ad-plates")
        .expect("a two-colour page's slot checks the plates");
    assert_eq!(plates["message"], "prints on black + cyan alone");

    // A damaged file is a verdict (exit 1), an unknown slot a usage error (exit 2).
    let cut = dir.path().join("cut.pdf");
    std::fs::write(&cut, &ads::two_colour_ad()[..500]).unwrap();
    let out = koho_in(
        Path::new(PROJECT),
        &["preflight", cut.to_str().unwrap(), "--ad", "half"],
        "en_US.UTF-8",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("FAIL  ad-file: the PDF cannot be read"));
    let out = koho_in(
        Path::new(PROJECT),
        &["preflight", cut.to_str().unwrap(), "--ad", "middle"],
        "en_US.UTF-8",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("no ad slot `middle`"),
        "{}",
        common::stderr(&out)
    );
}
