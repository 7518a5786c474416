//! `koho watch` in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
//! installs) is driven over the DevTools protocol. It loads the page, an editor saves a new
//! figure and the preview changes in place (no reload); a bad save shows its error over the page
//! while the last good preview stays; the fix clears it.
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
    browser.screenshot("watch-browser", "3-error");

    // Fixed: the error clears.
    edit(project.path(), wrong, vision);
    browser.wait_for(
        "document.getElementById('errors').hidden",
        "the error cleared",
    );
    assert_eq!(browser.eval("window.kohoTestMark"), "same page");
    browser.screenshot("watch-browser", "4-fixed");
}
