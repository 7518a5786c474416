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

// --- ads placed in the issue -----------------------------------------------------------------

/// The sample issue, built once: its p14 carries the 4c foot ad, its p10 (a 2c page) the half.
fn built_sample() -> &'static Path {
    static BUILT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let project = common::scratch_issue();
            let output = koho_in(project.path(), &["build", "content/2026-06"], "C");
            assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
            project
        })
        .path()
}

/// The sample's ads: the page each is on, and the file.
const PLACED: [(u32, &str); 2] = [(14, "sample-foot-4c.pdf"), (10, "sample-half-2c.pdf")];

type Matrix = [f64; 6];

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn numbers(operands: &[lopdf::Object]) -> Vec<f64> {
    operands
        .iter()
        .filter_map(|o| o.as_float().ok().map(f64::from))
        .collect()
}

/// The ad form on `page` of `doc`: its id, and the matrix it is drawn with (the page's CTM at
/// its `Do` times the form's own Matrix).
fn ad_form(doc: &lopdf::Document, page: lopdf::ObjectId) -> (lopdf::ObjectId, Matrix) {
    let resources = doc.get_page_resources(page).unwrap();
    let resources = resources
        .0
        .cloned()
        .or_else(|| {
            resources
                .1
                .first()
                .map(|id| doc.get_dictionary(*id).unwrap().clone())
        })
        .unwrap();
    let xobjects = resources.get(b"XObject").unwrap();
    let xobjects = match xobjects {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        other => other.as_dict().unwrap(),
    };
    let forms: Vec<(Vec<u8>, lopdf::ObjectId)> = xobjects
        .iter()
        .filter_map(|(name, o)| {
            let id = o.as_reference().ok()?;
            let stream = doc.get_object(id).ok()?.as_stream().ok()?;
            koho::print::ad_pages::is_ad_form(&stream.dict).then(|| (name.clone(), id))
        })
        .collect();
    assert_eq!(forms.len(), 1, "one ad form on the page");
    let (name, id) = forms[0].clone();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let mut stack = vec![[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]];
    let mut drawn = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => stack.push(*stack.last().unwrap()),
            "Q" => {
                stack.pop();
            }
            "cm" => {
                let v = numbers(&op.operands);
                let top = stack.last_mut().unwrap();
                *top = multiply(&[v[0], v[1], v[2], v[3], v[4], v[5]], top);
            }
            "Do" if op.operands[0].as_name().unwrap() == name.as_slice() => {
                drawn = Some(*stack.last().unwrap());
            }
            _ => {}
        }
    }
    let form = doc.get_object(id).unwrap().as_stream().unwrap();
    let own = numbers(form.dict.get(b"Matrix").unwrap().as_array().unwrap());
    let own = [own[0], own[1], own[2], own[3], own[4], own[5]];
    (id, multiply(&own, &drawn.expect("the ad form is drawn")))
}

/// The colour operators of a content stream in order, and the fill colour of every text run.
fn colours(content: &[u8]) -> (Vec<String>, std::collections::BTreeSet<String>) {
    let content = lopdf::content::Content::decode(content).unwrap();
    let mut all = Vec::new();
    let mut fill = String::from("0 g");
    let mut text = std::collections::BTreeSet::new();
    for op in &content.operations {
        let written = || {
            let values: Vec<String> = numbers(&op.operands)
                .iter()
                .map(|v| format!("{v}"))
                .collect();
            format!("{} {}", values.join(" "), op.operator)
        };
        match op.operator.as_str() {
            "k" | "g" | "rg" | "sc" | "scn" => {
                fill = written();
                all.push(fill.clone());
            }
            "K" | "G" | "RG" | "SC" | "SCN" => all.push(written()),
            "Tj" | "TJ" | "'" | "\"" => {
                text.insert(fill.clone());
            }
            _ => {}
        }
    }
    (all, text)
}

#[test]
fn placed_ads_are_the_advertisers_own_pages_byte_for_byte() {
    let pdf = lopdf::Document::load(built_sample().join("out/2026-06/2026-06.pdf")).unwrap();
    let pages = pdf.get_pages();
    for (folio, file) in PLACED {
        let ad = lopdf::Document::load(Path::new(PROJECT).join(SAMPLE_ADS).join(file)).unwrap();
        let ad_page = *ad.get_pages().values().next().unwrap();
        let ad_stream = ad
            .get_object(ad.get_page_contents(ad_page)[0])
            .unwrap()
            .as_stream()
            .unwrap();
        let (form_id, _) = ad_form(&pdf, pages[&folio]);
        let form = pdf.get_object(form_id).unwrap().as_stream().unwrap();
        // The content stream as delivered: the same bytes under the same filter.
        assert_eq!(form.content, ad_stream.content, "p{folio}: content bytes");
        assert_eq!(
            form.dict.get(b"Filter").ok(),
            ad_stream.dict.get(b"Filter").ok(),
            "p{folio}: filter"
        );
        // Not wrapped in typst's transparency group.
        assert!(form.dict.get(b"Group").is_err(), "p{folio}: no /Group");
        // Its colours: the same operators with the same numbers, and its black text K only.
        let (placed, placed_text) = colours(&form.decompressed_content().unwrap());
        let (delivered, delivered_text) = colours(&ad_stream.decompressed_content().unwrap());
        assert_eq!(placed, delivered, "p{folio}: colour values");
        assert_eq!(placed_text, delivered_text, "p{folio}: text colours");
        assert!(
            placed_text.contains("0 0 0 1 k"),
            "p{folio}: the ad's K100 text is K only: {placed_text:?}"
        );
        // Its photos: the image streams as delivered, byte for byte.
        let images = |doc: &lopdf::Document| -> Vec<Vec<u8>> {
            let mut found: Vec<Vec<u8>> = doc
                .objects
                .values()
                .filter_map(|o| o.as_stream().ok())
                .filter(|s| s.dict.get(b"Subtype").and_then(|n| n.as_name()).ok() == Some(b"Image"))
                .map(|s| s.content.clone())
                .collect();
            found.sort();
            found
        };
        let delivered_images = images(&ad);
        assert!(!delivered_images.is_empty(), "{file} has a photo");
        let issue_images = images(&pdf);
        for image in &delivered_images {
            assert!(
                issue_images.contains(image),
                "p{folio}: the ad's photo is as delivered"
            );
        }
    }
}

/// The resolution the slot is compared at: 5 pixels a millimetre, so that the slots' edges (whole
/// millimetres) fall on pixel edges and typst's rounding in the fifth decimal of a point cannot
/// tint an edge pixel.
const COMPARE_PPI: &str = "127";

/// `pdf` rendered by pdftoppm at [`COMPARE_PPI`] inside its page `folio`'s CropBox set to `crop`.
fn rendered(doc: &lopdf::Document, folio: u32, crop: [f64; 4], dir: &Path, name: &str) -> Vec<u8> {
    let mut doc = doc.clone();
    let page = doc.get_pages()[&folio];
    let reals = crop
        .iter()
        .map(|&v| lopdf::Object::Real(v as f32))
        .collect();
    doc.get_object_mut(page)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("CropBox", lopdf::Object::Array(reals));
    let path = dir.join(format!("{name}.pdf"));
    doc.save(&path).unwrap();
    let out = dir.join(name);
    let status = std::process::Command::new("pdftoppm")
        .args([
            "-r",
            COMPARE_PPI,
            "-cropbox",
            "-f",
            &folio.to_string(),
            "-l",
            &folio.to_string(),
        ])
        .arg(&path)
        .arg(&out)
        .status()
        .expect("pdftoppm (poppler-utils) runs");
    assert!(status.success());
    let rendered = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(&format!("{name}-")) && n.ends_with(".ppm")
        })
        .expect("pdftoppm wrote the page");
    std::fs::read(rendered).unwrap()
}

/// The top-left `w` × `h` pixels (RGB) of a binary PPM.
fn pixels_inside(ppm: &[u8], w: usize, h: usize) -> Vec<u8> {
    // P6, width, height, maxval, each followed by one whitespace byte.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
        at += 1;
    }
    assert_eq!(fields[0], "P6", "pdftoppm writes binary PPM");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    assert!(
        width >= w && height >= h && w > 100 && h > 100,
        "{width}×{height} holds {w}×{h}"
    );
    let data = &ppm[at..];
    (0..h)
        .flat_map(|y| data[y * width * 3..(y * width + w) * 3].iter().copied())
        .collect()
}

#[test]
fn a_placed_ad_renders_pixel_identical_to_the_ad_alone() {
    let pdf = lopdf::Document::load(built_sample().join("out/2026-06/2026-06.pdf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (folio, file) in PLACED {
        let ad = lopdf::Document::load(Path::new(PROJECT).join(SAMPLE_ADS).join(file)).unwrap();
        let ad_page = *ad.get_pages().values().next().unwrap();
        let trim = numbers(
            ad.get_dictionary(ad_page)
                .unwrap()
                .get(b"TrimBox")
                .unwrap()
                .as_array()
                .unwrap(),
        );
        let (_, m) = ad_form(&pdf, pdf.get_pages()[&folio]);
        // The slot on the issue's page: the ad's trim, where the page draws it.
        let corner = |x: f64, y: f64| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]);
        let (x0, y0) = corner(trim[0], trim[1]);
        let (x1, y1) = corner(trim[2], trim[3]);
        let in_issue = rendered(
            &pdf,
            folio,
            [x0, y0, x1, y1],
            dir.path(),
            &format!("issue{folio}"),
        );
        let alone = rendered(
            &ad,
            1,
            [trim[0], trim[1], trim[2], trim[3]],
            dir.path(),
            &format!("alone{folio}"),
        );
        // The whole pixels of the slot (pdftoppm adds a column for the slot's last
        // ten-thousandth of a pixel, which shows what lies beyond it).
        let px = |pt: f64| (pt / 72.0 * COMPARE_PPI.parse::<f64>().unwrap()).round() as usize;
        let (w, h) = (px(trim[2] - trim[0]), px(trim[3] - trim[1]));
        let in_issue = pixels_inside(&in_issue, w, h);
        let alone = pixels_inside(&alone, w, h);
        assert!(
            in_issue == alone,
            "p{folio}: the slot differs from {file} rendered alone"
        );
    }
}

#[test]
fn a_bad_ad_stops_the_build_with_what_to_ask_for_and_writes_nothing() {
    let project = common::scratch_issue();
    let issue = project.path().join("content/2026-06");
    // The advertiser sent RGB instead of CMYK.
    std::fs::write(issue.join("ads/sample-foot-4c.pdf"), ads::rgb_ad()).unwrap();
    let output = koho_in(project.path(), &["build", "content/2026-06"], "ja_JP.UTF-8");
    assert_eq!(output.status.code(), Some(1));
    let said = common::stderr(&output);
    assert!(said.contains("p14-duty-doctors.yaml:"), "{said}");
    assert!(
        said.contains("広告 › 広告の PDF"),
        "names the field: {said}"
    );
    assert!(
        said.contains("下段広告に入れられません"),
        "names the slot: {said}"
    );
    assert!(
        said.contains("広告主に次のことを頼んでください"),
        "says what to ask: {said}"
    );
    assert!(
        !project.path().join("out/2026-06").exists(),
        "nothing is written"
    );
    // And the slot must be one the kind allows.
    let page = issue.join("p14-duty-doctors.yaml");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("slot: foot", "slot: back")).unwrap();
    let output = koho_in(project.path(), &["check", "content/2026-06"], "C");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        common::stderr(&output).contains("ad › ad slot"),
        "{}",
        common::stderr(&output)
    );
}

#[test]
fn the_back_cover_carries_its_own_slot() {
    let project = common::scratch_issue();
    let issue = project.path().join("content/2026-06");
    // A 180 × 60 mm ad for the back-cover slot, made here (a sample, like the others).
    let back = ads::four_colour_ad_with(350.0, (180.0, 60.0), "cmyk(8%, 0%, 20%, 0%)");
    std::fs::write(issue.join("ads/back.pdf"), &back).unwrap();
    // The lead, the particulars and the boxed notices give the slot their room: a back cover
    // with an ad carries the event's title, date and contact.
    let page = issue.join("p16-back-cover.yaml");
    let text = std::fs::read_to_string(&page).unwrap();
    let (head, rest) = text.split_once("lead: |\n").unwrap();
    let (_, rest) = rest.split_once("photo:\n").unwrap();
    let (photo_when, rest) = rest.split_once("details:\n").unwrap();
    let (_, rest) = rest.split_once("contact:\n").unwrap();
    let (contact, rest) = rest.split_once("notices:\n").unwrap();
    let (_, credit) = rest.split_once("credit:\n").unwrap();
    let placed = format!(
        "{head}photo:\n{photo_when}contact:\n{contact}\
         ad:\n  slot: back\n  file: ads/back.pdf\n  advertiser: 見本広告 (テスト)\n\
         credit:\n{credit}"
    );
    std::fs::write(&page, &placed).unwrap();
    let output = koho_in(project.path(), &["build", "content/2026-06"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let pdf = lopdf::Document::load(project.path().join("out/2026-06/2026-06.pdf")).unwrap();
    let (form_id, drawn) = ad_form(&pdf, pdf.get_pages()[&16]);
    let ad = lopdf::Document::load_mem(&back).unwrap();
    let ad_page = *ad.get_pages().values().next().unwrap();
    let delivered = ad.get_object(ad.get_page_contents(ad_page)[0]).unwrap();
    let form = pdf.get_object(form_id).unwrap().as_stream().unwrap();
    assert_eq!(form.content, delivered.as_stream().unwrap().content);
    // At its own size, never scaled.
    assert!(
        (drawn[0] - 1.0).abs() < 1e-6 && (drawn[3] - 1.0).abs() < 1e-6,
        "{drawn:?}"
    );
    // Above the credit band, in the page's lower half (PDF y runs up from the media's foot).
    let trim = numbers(
        pdf.get_dictionary(pdf.get_pages()[&16])
            .unwrap()
            .get(b"TrimBox")
            .unwrap()
            .as_array()
            .unwrap(),
    );
    let mid = (trim[1] + trim[3]) / 2.0;
    assert!(
        drawn[5] > trim[1] && drawn[5] < mid,
        "{drawn:?} in {trim:?}"
    );
}
