//! `koho watch` over plain HTTP: every endpoint, the paths it refuses, rebuilds on save, errors
//! over the last good preview, files deleted and photos half-copied, and Ctrl-C.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::watch::Watch;

const PAGE_FILE: &str = "content/2026-06/p04-pledge-progress.yaml";

fn edit(project: &std::path::Path, from: &str, to: &str) {
    let path = project.join(PAGE_FILE);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_endpoint_answers_and_nothing_else_is_served() {
    let project = common::scratch_project();
    let watch = Watch::start(project.path());
    let status = watch.ready();
    assert_eq!(status["errors"], serde_json::json!([]));
    assert_eq!(status["pages"], serde_json::json!([4]));

    let (code, head, body) = watch.get("/");
    assert_eq!(code, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("new EventSource('/events')") && html.contains("2026-06"),
        "{html}"
    );
    assert!(html.contains("<html lang=\"ja\">"));

    let (code, head, png) = watch.get("/preview/p4.png?v=1");
    assert_eq!(code, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/png"),
        "{head}"
    );
    let picture = image::load_from_memory(&png).unwrap();
    assert!(picture.width() > 1000, "a page at preview resolution");

    for refused in [
        "/../../etc/passwd",
        "/preview/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/preview/p5.png",
        "/preview/p4.png/../../Cargo.toml",
        "/layouts/lib/marks.typ",
        "/content/2026-06/issue.yaml",
        "/status.json/..",
        "/favicon.ico",
    ] {
        let (code, _, body) = watch.get(refused);
        assert_eq!(code, 404, "{refused}");
        assert!(
            !String::from_utf8_lossy(&body).contains("root:"),
            "{refused}"
        );
    }
    let (code, head, _) = watch.raw("POST", "/status.json");
    assert_eq!(code, 405);
    assert!(head.contains("Allow: GET"), "{head}");

    // Only its own loopback address and port: a page elsewhere that rebinds its name to
    // 127.0.0.1 (DNS rebinding) is refused, and no answer ever allows another origin.
    let port = watch.addr.rsplit(':').next().unwrap();
    for forged in [
        "Host: evil.example\r\n".to_owned(),
        format!("Host: evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1.evil.example:{port}\r\n"),
        "Host: 127.0.0.1:1\r\n".to_owned(),
        String::new(),
    ] {
        for path in ["/", "/status.json", "/preview/p4.png", "/events"] {
            let (code, head, body) = watch.raw_with("GET", path, &forged);
            assert_eq!(code, 403, "{forged:?} {path}");
            assert!(
                !head.to_ascii_lowercase().contains("access-control"),
                "{head}"
            );
            assert!(
                !String::from_utf8_lossy(&body).contains("2026-06"),
                "{forged:?}"
            );
        }
    }
    for own in [
        format!("Host: localhost:{port}\r\n"),
        format!("Host: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\n"),
    ] {
        let (code, head, _) = watch.raw_with("GET", "/status.json", &own);
        assert_eq!(code, 200, "{own:?}");
        assert!(
            !head.to_ascii_lowercase().contains("access-control"),
            "{head}"
        );
    }
}

#[test]
fn a_save_rebuilds_a_bad_save_shows_its_error_over_the_last_good_preview() {
    let project = common::scratch_project();
    let watch = Watch::start(project.path());
    let first = watch.ready();
    let version = first["version"].as_u64().unwrap();
    let (_, _, before) = watch.get("/preview/p4.png");

    // The event stream says when a rebuild is done.
    let mut events = TcpStream::connect(&watch.addr).unwrap();
    events
        .set_read_timeout(Some(common::watch::REBUILD_WAIT))
        .unwrap();
    write!(
        events,
        "GET /events HTTP/1.1\r\nHost: {}\r\n\r\n",
        watch.addr
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    events.read_line(&mut line).unwrap();
    assert_eq!(line.trim_end(), "HTTP/1.1 200 OK");
    let mut data = Vec::new();
    while data.is_empty() {
        line.clear();
        events.read_line(&mut line).unwrap();
        if let Some(v) = line.strip_prefix("data: ") {
            data.push(v.trim().to_owned());
        }
    }
    assert_eq!(data, [version.to_string()]);

    // 95 → 96: vision 01 stays at 49 (floor of 49.6).
    edit(project.path(), "percent: 95", "percent: 96");
    let good = watch.wait_past(version);
    assert_eq!(good["errors"], serde_json::json!([]));
    assert!(good["preview_version"].as_u64() > first["preview_version"].as_u64());
    let (_, _, after) = watch.get("/preview/p4.png");
    assert_ne!(before, after, "the preview shows the new figure");
    loop {
        line.clear();
        events.read_line(&mut line).unwrap();
        if line.starts_with("data: ") {
            assert_eq!(line.trim_end(), format!("data: {}", good["version"]));
            break;
        }
    }

    // A figure the items do not add up to: the error, with its place, over the last preview.
    let vision = "    percent: 49\n    items:\n      - label: 子育て支援策の拡充";
    let wrong = "    percent: 50\n    items:\n      - label: 子育て支援策の拡充";
    edit(project.path(), vision, wrong);
    let bad = watch.wait_past(good["version"].as_u64().unwrap());
    let errors = bad["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{bad}");
    assert_eq!(
        errors[0]["file"],
        "content/2026-06/p04-pledge-progress.yaml"
    );
    assert_eq!(errors[0]["line"], 16);
    assert_eq!(errors[0]["column"], 14);
    assert_eq!(errors[0]["field"], "visions[1].percent");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("ファイルには 50 と書かれています")
    );
    assert!(errors[0]["hint"].as_str().unwrap().contains("49"));
    assert_eq!(bad["preview_version"], good["preview_version"]);
    assert_eq!(
        watch.get("/preview/p4.png").2,
        after,
        "the last good preview stays"
    );

    // Fixed: the error clears.
    edit(project.path(), wrong, vision);
    let fixed = watch.wait_past(bad["version"].as_u64().unwrap());
    assert_eq!(fixed["errors"], serde_json::json!([]));
}

#[test]
fn deleted_files_and_half_copied_photos_are_errors_not_the_end() {
    let project = common::scratch_project();
    let watch = Watch::start(project.path());
    let mut seen = watch.ready()["version"].as_u64().unwrap();
    let page = project.path().join(PAGE_FILE);
    let text = fs::read(&page).unwrap();

    // The page file deleted: an error naming it.
    fs::remove_file(&page).unwrap();
    let gone = watch.wait_past(seen);
    seen = gone["version"].as_u64().unwrap();
    assert!(
        gone["errors"]
            .to_string()
            .contains("p04-pledge-progress.yaml"),
        "{gone}"
    );

    // Back again (as an editor's save-by-rename does): clean.
    fs::write(&page, &text).unwrap();
    let back = watch.wait_past(seen);
    seen = back["version"].as_u64().unwrap();
    let settled = if back["errors"] == serde_json::json!([]) {
        back
    } else {
        watch.wait_past(seen)
    };
    assert_eq!(settled["errors"], serde_json::json!([]), "{settled}");
    seen = settled["version"].as_u64().unwrap();

    // A photo arriving in two halves: an error may show in between, never a dead watcher.
    let photo = project
        .path()
        .join("content/2026-06/images/grampus-camp.jpg");
    let bytes = fs::read(
        project
            .path()
            .join("content/2026-06/images/entrance-gift.jpg"),
    )
    .unwrap();
    fs::write(&photo, &bytes[..bytes.len() / 2]).unwrap();
    let half = watch.wait_past(seen);
    seen = half["version"].as_u64().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    fs::write(&photo, &bytes).unwrap();
    let mut last = watch.wait_past(seen);
    while last["errors"] != serde_json::json!([]) {
        last = watch.wait_past(last["version"].as_u64().unwrap());
    }
    assert_eq!(watch.get("/preview/p4.png").0, 200);

    // A layout saved: rebuilt too.
    seen = last["version"].as_u64().unwrap();
    let marks = project.path().join("layouts/lib/marks.typ");
    let mut typ = fs::read_to_string(&marks).unwrap();
    typ.push_str("\n// saved again\n");
    fs::write(&marks, typ).unwrap();
    let relaid = watch.wait_past(seen);
    assert_eq!(relaid["errors"], serde_json::json!([]), "{relaid}");

    // Ctrl-C: a clean exit.
    let (code, err) = watch.interrupt();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("終了しました"), "{err}");
}

#[test]
fn a_burst_of_writes_is_one_rebuild() {
    let project = common::scratch_project();
    let watch = Watch::start(project.path());
    let seen = watch.ready()["version"].as_u64().unwrap();
    let page = project.path().join(PAGE_FILE);
    let text = fs::read_to_string(&page).unwrap();
    // An editor's save: the file written ten times within a few milliseconds of each other.
    for i in 0..10 {
        let figure = format!("percent: {}", 90 + i % 2);
        fs::write(&page, text.replacen("percent: 95", &figure, 1)).unwrap();
        std::thread::sleep(Duration::from_millis(3));
    }
    fs::write(&page, text.replacen("percent: 95", "percent: 96", 1)).unwrap();
    let after = watch.wait_past(seen);
    // Let any rebuild still coming finish, then count.
    std::thread::sleep(Duration::from_secs(3));
    let settled = watch.status();
    let rebuilds = settled["version"].as_u64().unwrap() - seen;
    // Without the debounce the first write would start a rebuild and the rest a second one.
    assert_eq!(rebuilds, 1, "{rebuilds} rebuilds for one burst");
    assert_eq!(settled["errors"], serde_json::json!([]), "{after}");
}

/// One field a proof page says it holds: its path, its area in PDF user space (x0, y0, x1, y1)
/// and its line.
struct ProofField {
    field: String,
    rect: [f64; 4],
    line: u64,
    words: Option<String>,
}

/// The fields of the proof's first page, read from its `/PieceInfo`, and its TrimBox.
fn proof_fields(pdf: &std::path::Path) -> (Vec<ProofField>, [f64; 4]) {
    use lopdf::{Document, Object};
    let doc = Document::load(pdf).unwrap();
    let page = doc.get_dictionary(doc.page_iter().next().unwrap()).unwrap();
    let resolve = |o: &Object| match o {
        Object::Reference(id) => doc.get_object(*id).unwrap().clone(),
        other => other.clone(),
    };
    let numbers = |o: &Object| -> [f64; 4] {
        let list: Vec<f64> = resolve(o)
            .as_array()
            .unwrap()
            .iter()
            .map(|n| match n {
                Object::Integer(i) => *i as f64,
                Object::Real(r) => f64::from(*r),
                other => panic!("{other:?}"),
            })
            .collect();
        [list[0], list[1], list[2], list[3]]
    };
    let trim = numbers(page.get(b"TrimBox").unwrap());
    let piece = resolve(page.get(b"PieceInfo").unwrap());
    let ours = resolve(piece.as_dict().unwrap().get(b"koho").unwrap());
    let private = resolve(ours.as_dict().unwrap().get(b"Private").unwrap());
    let stream = private.as_stream().unwrap();
    let data: serde_json::Value = serde_json::from_slice(
        &stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone()),
    )
    .unwrap();
    let fields = data["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| ProofField {
            field: f["field"].as_str().unwrap().to_owned(),
            rect: std::array::from_fn(|i| f["rect"][i].as_f64().unwrap()),
            line: f["line"].as_u64().unwrap(),
            words: f["words"]["ja"].as_str().map(str::to_owned),
        })
        .collect();
    (fields, trim)
}

#[test]
fn the_field_under_a_point_of_the_preview_is_the_one_the_proof_places_there() {
    let project = common::scratch_project();
    let made = common::koho_in(project.path(), &["proof"], "ja_JP.UTF-8");
    assert_eq!(made.status.code(), Some(0), "{}", common::stderr(&made));
    let (fields, trim) = proof_fields(&project.path().join("out/2026-06/proof/r1/2026-06-r1.pdf"));
    let watch = Watch::start(project.path());
    watch.ready();

    // The field the preview names at a point of the trimmed page (from its top-left corner).
    let asked = |x: f64, y: f64| -> serde_json::Value {
        let (code, _, body) = watch.get(&format!("/field.json?page=4&x={x}&y={y}"));
        assert_eq!(code, 200);
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
        answer["field"].clone()
    };
    // Three fields of the proof, each pointed at in the middle of its area: a vision's figure,
    // an item, and the page's title.
    for wanted in ["visions[3].percent", "visions[1].items[2]", "title"] {
        let proof = fields
            .iter()
            .find(|f| f.field == wanted)
            .unwrap_or_else(|| panic!("the proof has no {wanted}"));
        let [x0, y0, x1, y1] = proof.rect;
        let (px, py) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        // The proof's tightest field at that point (as its comments are placed).
        let size = |r: &[f64; 4]| (r[2] - r[0]) * (r[3] - r[1]);
        let expected = fields
            .iter()
            .filter(|f| {
                (f.rect[0]..=f.rect[2]).contains(&px) && (f.rect[1]..=f.rect[3]).contains(&py)
            })
            .min_by(|a, b| size(&a.rect).total_cmp(&size(&b.rect)))
            .unwrap();
        // PDF user space goes up from the sheet's bottom-left; the preview down from the trim's
        // top-left.
        let field = asked(px - trim[0], trim[3] - py);
        assert_eq!(field["field"], expected.field.as_str(), "at {wanted}");
        assert_eq!(field["place"]["line"], expected.line, "at {wanted}");
        assert_eq!(
            field["words"].as_str(),
            expected.words.as_deref(),
            "at {wanted}"
        );
        let link = field["place"]["link"].as_str().unwrap();
        let page_file = project.path().canonicalize().unwrap().join(PAGE_FILE);
        assert_eq!(
            link,
            format!(
                "vscode://file/{}:{}:{}",
                page_file.display().to_string().trim_start_matches('/'),
                expected.line,
                field["place"]["column"]
            ),
            "at {wanted}"
        );
        assert_eq!(field["place"]["file"], PAGE_FILE);
    }
    // The page's corner holds no field; a page not in the issue, or no point, is refused.
    assert_eq!(asked(2.0, 2.0), serde_json::Value::Null);
    assert_eq!(watch.get("/field.json?page=5&x=10&y=10").0, 404);
    assert_eq!(watch.get("/field.json?page=4&x=ten&y=10").0, 400);
}
