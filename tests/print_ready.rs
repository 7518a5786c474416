//! Print-readiness: koho's own PDFs pass `koho preflight` on every check, and agree with
//! poppler's pdffonts, pdfimages and pdfinfo; a foreign PDF with RGB text and an unembedded
//! font fails with its reasons; a truncated file is reported, not a panic.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{PROJECT, copy_tree, koho_in, scratch_project, stderr, write_issue};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};

fn preflight_json(dir: &Path, pdf: &Path) -> (Option<i32>, serde_json::Value) {
    let output = koho_in(
        dir,
        &["preflight", pdf.to_str().unwrap(), "--json", "--lang", "en"],
        "C",
    );
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), json)
}

fn check<'a>(json: &'a serde_json::Value, name: &str) -> Vec<&'a serde_json::Value> {
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == name)
        .collect()
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|_| panic!("{program} runs (apt-get install poppler-utils)"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_sample_passes_every_check_and_poppler_agrees() {
    let project = scratch_project();
    let output = koho_in(project.path(), &["build", "--quiet"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdf = project.path().join("out/2026-06/2026-06.pdf");
    let (code, json) = preflight_json(project.path(), &pdf);
    assert_eq!(code, Some(0), "{json:#}");
    for c in json["checks"].as_array().unwrap() {
        assert_eq!(c["status"], "PASS", "{c}");
    }

    // pdffonts: the same fonts, all embedded and subset.
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.iter().all(|r| r.contains(" yes yes ")), "{fonts}");
    let ours = &check(&json, "fonts-embedded")[0]["detail"];
    assert_eq!(
        ours.as_str().unwrap(),
        format!("{} fonts, all embedded", rows.len())
    );

    // pdfimages: the same images, CMYK, and the same lowest resolution.
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let rows: Vec<Vec<&str>> = images
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{images}");
    assert!(rows.iter().all(|r| r[5] == "cmyk"), "{images}");
    let lowest: u32 = rows
        .iter()
        .map(|r| r[12].parse::<u32>().unwrap().min(r[13].parse().unwrap()))
        .min()
        .unwrap();
    let ours = check(&json, "image-resolution")[0]["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        ours.contains(&format!("{lowest} ppi")),
        "{ours} vs pdfimages {lowest}"
    );

    // pdfinfo -box: the same trim and bleed.
    let boxes = tool("pdfinfo", &["-box", pdf.to_str().unwrap()]);
    let box_of = |name: &str| -> Vec<f64> {
        boxes
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .split_whitespace()
            .skip(1)
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let (trim, bleed) = (box_of("TrimBox:"), box_of("BleedBox:"));
    let mm = |pt: f64| pt * 25.4 / 72.0;
    assert!(
        (mm(trim[2] - trim[0]) - 210.0).abs() < 0.1 && (mm(trim[3] - trim[1]) - 297.0).abs() < 0.1
    );
    assert!((mm(trim[0] - bleed[0]) - 3.0).abs() < 0.1);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let version = info
        .lines()
        .find(|l| l.starts_with("PDF version:"))
        .unwrap_or_default();
    assert!(version.ends_with("1.6"), "{info}");
}

#[test]
fn rgba_png_and_cmyk_jpeg_photos_come_out_cmyk() {
    let project = scratch_project();
    let case = Path::new(PROJECT).join("tests/accept/cmyk-jpeg-and-rgba-png");
    copy_tree(&case, &project.path().join("content/photos"));
    let output = koho_in(project.path(), &["build", "content/photos", "--quiet"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdf = project.path().join("out/photos/photos.pdf");
    let (code, json) = preflight_json(project.path(), &pdf);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        check(&json, "colour-images")[0]["detail"],
        "2 images: DeviceCMYK"
    );
    assert_eq!(check(&json, "transparency")[0]["status"], "PASS");
}

/// A PDF made elsewhere: RGB text in Helvetica, not embedded, no boxes, no output intent.
fn foreign_pdf(path: &Path) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = b"BT /F1 24 Tf 1 0 0 rg 100 700 Td (Hello) Tj ET".to_vec();
    let content = doc.add_object(Stream::new(Dictionary::new(), content));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

#[test]
fn a_foreign_pdf_fails_with_its_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("foreign.pdf");
    foreign_pdf(&pdf);
    let (code, json) = preflight_json(dir.path(), &pdf);
    assert_eq!(code, Some(1), "{json:#}");
    let status = |name: &str| check(&json, name)[0]["status"].as_str().unwrap().to_owned();
    assert_eq!(status("fonts-embedded"), "FAIL");
    assert!(
        check(&json, "fonts-embedded")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("Helvetica")
    );
    assert_eq!(status("colour-text"), "FAIL");
    assert!(
        check(&json, "colour-text")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("DeviceRGB")
    );
    assert_eq!(status("trim-box"), "FAIL");
    assert_eq!(status("output-intent"), "FAIL");
    assert_eq!(status("pdfx-identification"), "FAIL");
    assert_eq!(status("crop-marks"), "FAIL");
    // The text report says the same, one line per check.
    let text = koho_in(
        dir.path(),
        &["preflight", "foreign.pdf", "--lang", "en"],
        "C",
    );
    let out = common::stdout(&text);
    assert!(
        out.lines()
            .any(|l| l.starts_with("FAIL  fonts-embedded: not embedded: Helvetica")),
        "{out}"
    );
}

#[test]
fn an_encrypted_pdf_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pdf");
    foreign_pdf(&plain);
    let mut doc = Document::load(&plain).unwrap();
    // The standard security handler, RC4 40-bit, as an old office program would write it.
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -44,
        "O" => Object::String(vec![0x11; 32], lopdf::StringFormat::Hexadecimal),
        "U" => Object::String(vec![0x22; 32], lopdf::StringFormat::Hexadecimal),
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![Object::String(vec![1; 16], lopdf::StringFormat::Hexadecimal); 2],
    );
    let locked = dir.path().join("locked.pdf");
    doc.save(&locked).unwrap();
    let output = koho_in(
        dir.path(),
        &["preflight", "locked.pdf", "--lang", "en"],
        "C",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the PDF is encrypted"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn qpdf_finds_no_error_in_our_pdf() {
    let project = scratch_project();
    let output = koho_in(project.path(), &["build", "--quiet"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(project.path().join("out/2026-06/2026-06.pdf"))
        .output()
        .expect("qpdf runs (apt-get install qpdf)");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}");
    assert!(
        said.contains("No syntax or stream encoding errors found"),
        "{said}"
    );
}

#[test]
fn a_truncated_or_foreign_file_is_reported_not_a_panic() {
    let project = scratch_project();
    let output = koho_in(project.path(), &["build", "--quiet"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let whole = fs::read(project.path().join("out/2026-06/2026-06.pdf")).unwrap();
    let cut = project.path().join("cut.pdf");
    fs::write(&cut, &whole[..whole.len() / 3]).unwrap();
    let text = koho_in(
        project.path(),
        &["preflight", "cut.pdf", "--lang", "en"],
        "C",
    );
    assert_eq!(text.status.code(), Some(1));
    assert!(
        stderr(&text).contains("cut.pdf: not a readable PDF"),
        "{}",
        stderr(&text)
    );
    let ja = koho_in(
        project.path(),
        &["preflight", "cut.pdf", "--lang", "ja"],
        "C",
    );
    assert!(
        stderr(&ja).contains("PDF として読めません"),
        "{}",
        stderr(&ja)
    );
    fs::write(project.path().join("photo.pdf"), b"\xFF\xD8\xFF not a pdf").unwrap();
    let other = koho_in(project.path(), &["preflight", "photo.pdf", "--json"], "C");
    assert_eq!(other.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&other.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let missing = koho_in(project.path(), &["preflight", "nothing.pdf"], "C");
    assert_eq!(missing.status.code(), Some(2));
    let _ = write_issue;
}
