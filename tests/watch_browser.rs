//! `koho watch` in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
//! installs) is driven over the DevTools protocol. It loads the page, an editor saves a new
//! figure and the preview changes in place (no reload); pointing at the page names the field
//! under the pointer with its line, and a click pins it and opens the editor's link; the page
//! shows as a spread; a bad save shows its error, linked to its line, over the page while the
//! last good preview stays; the fix clears it.
//!
//! Set `KOHO_SKIP_BROWSER=1` to skip this test on a machine without Chromium; without it, a
//! missing Chromium is a failure that says how to install it.

mod common;

use std::fs;
use std::path::Path;

use common::browser::{self, Browser};
use common::watch::Watch;
use serde_json::json;

const PAGE_FILE: &str = "content/2026-06/p04-pledge-progress.yaml";

/// The shown preview's address and a fingerprint of its pixels as the browser decoded them,
/// once it has loaded (else null).
const SHOWN_PREVIEW: &str = r#"(() => {
  const img = document.getElementById('p4');
  if (!img || !img.complete || !img.naturalWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 0;
  for (let i = 0; i < pixels.length; i += 4) hash = (hash * 31 + pixels[i] + 3 * pixels[i + 1] + 7 * pixels[i + 2]) >>> 0;
  return img.getAttribute('src') + '#' + hash;
})()"#;

fn edit(project: &Path, from: &str, to: &str) {
    let path = project.join(PAGE_FILE);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_editor_sees_the_new_figure_and_their_mistake_in_the_browser() {
    if !browser::available() {
        return;
    }
    let project = common::scratch_project();
    let watch = Watch::start(project.path());
    watch.ready();
    let mut browser = Browser::launch(1200, 1600);
    browser.call(
        "Page.navigate",
        json!({"url": format!("http://{}/", watch.addr)}),
    );
    let first = browser.wait_for(SHOWN_PREVIEW, "the first preview");
    assert_eq!(
        browser.eval("document.getElementById('errors').hidden"),
        true
    );
    assert_eq!(browser.eval("document.documentElement.lang"), "ja");
    browser.screenshot("watch-browser", "1-loaded");
    // Marks this page load: a reload would lose it.
    browser.eval("window.kohoTestMark = 'same page'");

    // The editor saves a new figure: the preview changes in place.
    edit(project.path(), "percent: 95", "percent: 96");
    let expression = format!(
        "(() => {{ const now = {SHOWN_PREVIEW}; return now && now !== {first} ? now : null; }})()",
        first = first
    );
    let second = browser.wait_for(&expression, "the new preview");
    assert_ne!(second, first);
    assert_eq!(
        browser.eval("window.kohoTestMark"),
        "same page",
        "updated without a reload"
    );
    browser.screenshot("watch-browser", "2-new-figure");

    // Pointing at a figure: the panel names the field koho watch finds at that point of the
    // page, with its line and the link that opens it, and a box outlines it.
    let (x, y) = (150.0, 302.0);
    let (code, _, body) = watch.get(&format!("/field.json?page=4&x={x}&y={y}"));
    assert_eq!(code, 200);
    let there: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let field = &there["field"];
    assert!(
        field["words"].as_str().unwrap().starts_with("ビジョン"),
        "{there}"
    );
    let target = browser.eval(&format!(
        "(() => {{ const img = document.getElementById('p4'); img.scrollIntoView();
           const b = img.getBoundingClientRect(); const [w, h] = [{w}, {h}];
           return [b.left + b.width * {x} / w, b.top + b.height * {y} / h]; }})()",
        w = 595.2755905511812,
        h = 841.8897637795276,
    ));
    let (px, py) = (target[0].as_f64().unwrap(), target[1].as_f64().unwrap());
    browser.call(
        "Input.dispatchMouseEvent",
        json!({"type": "mouseMoved", "x": px, "y": py}),
    );
    let panel = browser.wait_for(
        "(() => { const p = document.getElementById('field'); return p.hidden ? null :
            [p.querySelector('.words').textContent, p.querySelector('.path').textContent,
             p.querySelector('a.open').href, p.querySelector('a.open').textContent,
             !document.querySelector('#page-4 .spot').hidden]; })()",
        "the field under the pointer",
    );
    let place = &field["place"];
    assert_eq!(
        panel,
        json!([
            field["words"],
            field["field"],
            place["link"],
            format!("{PAGE_FILE}:{}:{}", place["line"], place["column"]),
            true
        ])
    );
    browser.screenshot("watch-browser", "3-pointing");
    // A click pins the panel on that field and follows its editor link; the page stays.
    for kind in ["mousePressed", "mouseReleased"] {
        browser.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": px, "y": py, "button": "left", "clickCount": 1}),
        );
    }
    browser.wait_for("pinned === true", "the pinned panel");
    assert_eq!(
        browser.eval("document.getElementById('field').dataset.field"),
        field["field"]
    );
    assert_eq!(browser.eval("window.kohoTestMark"), "same page");

    // As a spread: the page on its side of the spine, the same preview.
    browser.eval("document.querySelector('#views button[data-view=spreads]').click()");
    browser.wait_for(
        "(() => { const img = document.querySelector('#spread-4 #p4');
           return img && img.complete && img.naturalWidth > 0; })()",
        "the spread",
    );
    browser.screenshot("watch-browser", "4-spread");
    browser.eval("document.querySelector('#views button[data-view=pages]').click()");

    // A mistake: the error, with its file and line, over the page; the last preview stays.
    let vision = "    percent: 49\n    items:\n      - label: 子育て支援策の拡充";
    let wrong = "    percent: 50\n    items:\n      - label: 子育て支援策の拡充";
    edit(project.path(), vision, wrong);
    let shown = browser.wait_for(
        "(() => { const e = document.getElementById('errors'); return e.hidden ? null : e.innerText; })()",
        "the error",
    );
    let shown = shown.as_str().unwrap();
    for expected in [
        "content/2026-06/p04-pledge-progress.yaml:16:14",
        "visions[1].percent",
        "ファイルには 50 と書かれています",
        "ヒント: percent を 49 に直すか",
    ] {
        assert!(shown.contains(expected), "{expected:?} not in {shown:?}");
    }
    assert_eq!(
        browser.eval(SHOWN_PREVIEW),
        second,
        "the last good preview stays"
    );
    assert_eq!(
        browser
            .eval("document.querySelector('#errors a.open').href.split(':').slice(-2).join(':')"),
        "16:14",
        "the error links to its line"
    );
    assert!(
        browser
            .eval("document.querySelector('#errors a.open').href")
            .as_str()
            .unwrap()
            .starts_with("vscode://file/")
    );
    browser.screenshot("watch-browser", "5-error");

    // Fixed: the error clears.
    edit(project.path(), wrong, vision);
    browser.wait_for(
        "document.getElementById('errors').hidden",
        "the error cleared",
    );
    assert_eq!(browser.eval("window.kohoTestMark"), "same page");
    browser.screenshot("watch-browser", "6-fixed");
}
