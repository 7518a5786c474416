//! `koho web` on the sample issue: what a resident's browser and screen reader get — one page
//! per page file with one h1 and headings in order, tables with captions and header cells,
//! photos with their alt text, particulars in words, phone numbers to tap, nothing fetched
//! from elsewhere, no ads — and each printed page's reading text; a broken template is an
//! error in its file that writes nothing.

mod common;

use std::fs;
use std::path::Path;

use regex::Regex;

fn read(web: &Path, name: &str) -> String {
    fs::read_to_string(web.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The heading levels of a page, in order.
fn heading_levels(html: &str) -> Vec<u8> {
    let heading = Regex::new(r"<h([1-6])[ >]").unwrap();
    heading
        .captures_iter(html)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

#[test]
fn the_sample_issue_becomes_an_accessible_web_edition() {
    let project = common::scratch_issue();
    let output = common::koho_in(project.path(), &["web", "content/2026-06"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let web = project.path().join("out/2026-06/web");
    assert!(common::stdout(&output).contains("index.html"));

    // The front page links every page file, in print order, and shows the cover.
    let index = read(&web, "index.html");
    assert!(index.contains("<html lang=\"ja\">"));
    let contents = &index[index.find("id=\"contents-heading\"").expect("a contents")..];
    let pages = [
        "p01", "p02", "p03", "p04", "p05", "p08", "p10", "p12", "p13", "p14", "p15", "p16",
    ];
    let mut last = 0;
    for page in pages {
        let at = contents
            .find(&format!("href=\"{page}.html\""))
            .unwrap_or_else(|| panic!("the index links {page}"));
        assert!(at > last, "{page} in print order");
        last = at;
    }
    assert!(
        index.contains("<img src=\"images/cover-tarumae.jpg\""),
        "{index}"
    );

    let img = Regex::new(r#"<img [^>]*>"#).unwrap();
    let alt = Regex::new(r#"alt="([^"]+)""#).unwrap();
    let src_of = Regex::new(r#"src="([^"]+)""#).unwrap();
    let external =
        Regex::new(r#"(?:src|href)="(?:https?:)?//[^"]*\.(?:css|js|woff2?|ttf|otf)""#).unwrap();
    for page in pages {
        let html = read(&web, &format!("{page}.html"));
        assert!(html.contains("<html lang=\"ja\">"), "{page}");
        assert!(html.contains("<a class=\"skip\" href=\"#main\">"), "{page}");
        let levels = heading_levels(&html);
        assert_eq!(
            levels.iter().filter(|l| **l == 1).count(),
            1,
            "{page}: one h1, {levels:?}"
        );
        assert_eq!(levels.first(), Some(&1), "{page}: the h1 first");
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{page}: headings skip a level: {levels:?}"
            );
        }
        for tag in img.find_iter(&html) {
            let tag = tag.as_str();
            assert!(
                alt.is_match(tag),
                "{page}: an image without alt text: {tag}"
            );
            let src = src_of.captures(tag).unwrap()[1].to_owned();
            assert!(web.join(&src).is_file(), "{page}: {src} is written");
        }
        assert!(
            !external.is_match(&html),
            "{page} fetches something from elsewhere"
        );
        // Ads are left out of the web edition (magazine.yaml: ads.web: false).
        assert!(!html.contains(".pdf"), "{page} carries an ad");
        assert!(!html.contains("広告主"), "{page}");
    }

    // The pledge page: each vision's progress is text; the bar is hidden from screen readers.
    let pledge = read(&web, "p04.html");
    assert!(pledge.contains("ビジョン01"), "{pledge}");
    let figure =
        Regex::new(r#"<span class="figure">進捗 \d+%</span><span class="bar" aria-hidden="true">"#)
            .unwrap();
    assert!(figure.find_iter(&pledge).count() >= 4, "{pledge}");
    assert!(
        pledge.contains("href=\"tel:0144"),
        "the contact's number can be tapped"
    );

    // Notices: the itemised lines in words, as a description list.
    let notices = read(&web, "p10.html");
    for words in ["<dt>日時</dt>", "<dt>場所</dt>", "<dt>問合せ</dt>"] {
        assert!(notices.contains(words), "p10 has {words}");
    }
    let weekday = Regex::new(
        r#"<time datetime="2026-\d\d-\d\d">\d+月\d+日\((月|火|水|木|金|土|日)(・祝)?\)</time>"#,
    )
    .unwrap();
    assert!(weekday.is_match(&notices), "dates with their weekday");

    // The back cover: the event is the page's heading, its particulars one description list.
    let back = read(&web, "p16.html");
    assert!(back.contains("<h1>とまこまい港まつり"), "{back}");
    assert!(
        back.contains("<dt>会場</dt>") && back.contains("<dt>対象</dt>"),
        "{back}"
    );

    // Tables with a caption and header cells with their scope.
    for page in ["p12", "p13", "p14"] {
        let html = read(&web, &format!("{page}.html"));
        assert!(html.contains("<caption>"), "{page}: a caption");
        assert!(
            html.contains("<th scope=\"col\">"),
            "{page}: column headers"
        );
        assert!(
            html.contains("<th scope=\"row") || html.contains("<th scope=\"rowgroup"),
            "{page}: row headers"
        );
    }
    let calendar = read(&web, "p13.html");
    assert!(
        calendar.contains("(土)") && calendar.contains("(日)"),
        "weekends said in words"
    );
    let doctors = read(&web, "p14.html");
    assert!(
        doctors.contains("href=\"tel:"),
        "doctors' numbers can be tapped"
    );

    // Reading texts: every printed page, in print order, figures in words.
    for folio in 1..=16 {
        assert!(
            web.join(format!("p{folio:02}.txt")).is_file(),
            "p{folio:02}.txt"
        );
    }
    let reading = read(&web, "p04.txt");
    let vision = reading.find("ビジョン").expect("the visions are read");
    let title = reading.find("市長公約").expect("the title is read");
    assert!(title < vision, "{reading}");
    assert!(
        Regex::new(r"進捗 \d+%").unwrap().is_match(&reading),
        "{reading}"
    );
    // The feature's text goes on the pages it was printed on, not all on its first.
    for folio in 5..=7 {
        let text = read(&web, &format!("p{folio:02}.txt"));
        assert!(text.chars().count() > 100, "p{folio:02}.txt: {text}");
    }

    // The PDF for download: PDF/UA-1, tagged, titled, every page, no ad (nor its mark).
    let pdf = web.join("2026-06.pdf");
    assert!(
        index.contains("href=\"2026-06.pdf\""),
        "the index offers the PDF"
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Pages:           16"), "{info}");
    assert!(
        info.contains("Title:           広報とまこまい 2026年6月1日号"),
        "{info}"
    );
    let document = lopdf::Document::load(&pdf).unwrap();
    let metadata = document
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .and_then(|m| document.get_object(m.as_reference()?))
        .and_then(|m| m.as_stream()?.decompressed_content())
        .expect("XMP metadata");
    let xmp = String::from_utf8_lossy(&metadata);
    assert!(
        xmp.contains("<pdfuaid:part>1</pdfuaid:part>") || xmp.contains("pdfuaid:part=\"1\""),
        "{xmp}"
    );
    let text = common::pdf_text(&pdf);
    // The advertisers' words, and the 広告 mark (no page of the sample says 広告 otherwise).
    for ad_words in [
        "ほっかい未来信用金庫",
        "まちなか歯科クリニック",
        "サンプル広告",
        "広告",
    ] {
        assert!(
            !text.contains(ad_words),
            "the PDF carries an ad: {ad_words}"
        );
    }
    assert!(
        common::squeeze(&text).contains("市長公約の取組状況"),
        "its text is extractable"
    );

    // Pictures for screens, in sRGB, no wider than the larger size.
    let cover = image::open(web.join("images/cover-tarumae.jpg")).unwrap();
    assert_eq!(cover.width(), 960);
    assert!(matches!(cover.color(), image::ColorType::Rgb8));
    let large = image::open(web.join("images/cover-tarumae-large.jpg")).unwrap();
    assert_eq!(large.width(), 1920);
}

#[test]
fn an_editors_markup_is_text_ads_come_when_asked_and_a_broken_template_writes_nothing() {
    let project = common::scratch_issue();
    let page = project.path().join("content/2026-06/p15-column.yaml");
    let text = fs::read_to_string(&page).unwrap();
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_owned();
    fs::write(
        &page,
        text.replace(&title_line, "title: \"<script>x</script> & <b>港</b>\""),
    )
    .unwrap();
    // This magazine carries its ads on the web too: each under its mark, the advertiser's
    // file as delivered.
    let magazine = project.path().join("layouts/magazine.yaml");
    let format = fs::read_to_string(&magazine).unwrap();
    assert_eq!(format.matches("\n  web: false").count(), 1);
    fs::write(&magazine, format.replace("\n  web: false", "\n  web: true")).unwrap();
    let output = common::koho_in(project.path(), &["web", "content/2026-06"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let web = project.path().join("out/2026-06/web");
    let doctors = read(&web, "p14.html");
    let link = Regex::new(r#"<aside class="ad" aria-label="広告">\s*<p><span class="ad-mark">広告</span> [^<]+ — <a href="(ads/[^"]+\.pdf)">"#).unwrap();
    let ad = link.captures(&doctors).expect("the ad on p14")[1].to_owned();
    assert_eq!(
        fs::read(web.join(ad)).unwrap(),
        fs::read(
            project
                .path()
                .join("content/2026-06/ads/sample-foot-4c.pdf")
        )
        .unwrap()
    );
    let html = read(&web, "p15.html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; &lt;b&gt;港&lt;/b&gt;"));
    let before = common::files_under(&web);

    // A template with a mistake: the error names its file and line; the web edition stays.
    let template = project.path().join("layouts/pledge-progress/web.html");
    let broken = fs::read_to_string(&template).unwrap().replace(
        "{% for v in page.visions %}",
        "{% for v in page.visions %}{{ v.no_such( }}",
    );
    fs::write(&template, broken).unwrap();
    let output = common::koho_in(project.path(), &["web", "content/2026-06"], "C");
    assert_eq!(output.status.code(), Some(1));
    let said = common::stderr(&output);
    let line = fs::read_to_string(&template)
        .unwrap()
        .lines()
        .position(|l| l.contains("no_such("))
        .unwrap()
        + 1;
    assert!(
        said.contains(&format!("layouts/pledge-progress/web.html:{line}")),
        "{said}"
    );
    assert!(said.contains("the web edition was not written"), "{said}");
    assert_eq!(
        common::files_under(&web),
        before,
        "the last web edition is kept"
    );
}
