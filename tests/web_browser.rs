//! The web edition in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
//! installs) opens every page `koho web` writes for the sample issue and runs axe-core
//! (vendored in `tests/vendor/axe-core/`) with the WCAG 2.0 A and AA rules — JIS X 8341-3:2016
//! level AA — and finds nothing; then every page, 320 CSS pixels wide (a phone, or a desktop
//! window zoomed to 400 %), scrolls only downwards. Screenshots for people to look at are left
//! in `target/web-browser/`.
//!
//! Set `KOHO_SKIP_BROWSER=1` to skip this test on a machine without Chromium.

mod common;

use std::path::Path;

use common::browser::{self, Browser};
use serde_json::{Value, json};

/// axe-core, as published on the npm registry.
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// Runs axe with the WCAG 2.0 A and AA rules and gives back each violation: rule, impact,
/// help and the first nodes' selectors and HTML.
const RUN_AXE: &str = r#"axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160))})))"#;

/// Whether the page is wider than the window (something would scroll sideways), and what.
const TOO_WIDE: &str = r#"(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
})()"#;

fn open(browser: &mut Browser, page: &Path) {
    browser.call(
        "Page.navigate",
        json!({"url": format!("file://{}", page.display())}),
    );
    browser.wait_for(
        "document.readyState === 'complete' && location.href.startsWith('file:')",
        "the page loaded",
    );
}

#[test]
fn every_page_of_the_web_edition_passes_axe_and_reflows_at_320_px() {
    if !browser::available() {
        return;
    }
    let project = common::scratch_issue();
    let output = common::koho_in(project.path(), &["web", "content/2026-06"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let web = project.path().join("out/2026-06/web");
    let mut pages: Vec<_> = std::fs::read_dir(&web)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 12, "{pages:?}");

    let mut browser = Browser::launch(1280, 1600);
    let mut found = Vec::new();
    for page in &pages {
        open(&mut browser, page);
        browser.eval(AXE);
        let violations = browser.eval(RUN_AXE);
        let list = violations.as_array().cloned().unwrap_or_default();
        assert!(
            violations.is_array(),
            "axe did not run on {}: {violations}",
            page.display()
        );
        for v in list {
            found.push(format!("{}: {}", page.file_name().unwrap().display(), v));
        }
        let name = page.file_stem().unwrap().to_string_lossy().into_owned();
        if ["index", "p04", "p13"].contains(&name.as_str()) {
            browser.screenshot("web-browser", &format!("{name}-1280px"));
        }
    }
    assert!(
        found.is_empty(),
        "axe-core (WCAG 2.0 A + AA) found:\n{}",
        found.join("\n")
    );

    // 320 CSS pixels wide: nothing may need a sideways scroll (a wide table scrolls inside
    // its own box, which is allowed).
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": true}),
    );
    let mut wide = Vec::new();
    for page in &pages {
        open(&mut browser, page);
        let too_wide = browser.eval(TOO_WIDE);
        if too_wide != Value::Null {
            wide.push(format!(
                "{}: {too_wide}",
                page.file_name().unwrap().display()
            ));
        }
        let name = page.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "p04" || name == "index" || name == "p13" {
            browser.screenshot("web-browser", &format!("{name}-320px"));
        }
    }
    assert!(
        wide.is_empty(),
        "pages wider than 320 px:\n{}",
        wide.join("\n")
    );
}
