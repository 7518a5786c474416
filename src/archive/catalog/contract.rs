//! What every catalogue must do, checked the same way on each ([`run`]): the embedded one in
//! every test run, the shared one against a real PostgreSQL when the test run has one.

use super::{Catalog, Claim, Filter, Municipality, PackageRecord, Recorded};
use crate::archive::fields::{FieldValue, PageFields};
use crate::archive::store::PackageId;

/// A fresh, empty catalogue, and whatever must live as long as it (a folder, a database).
pub type Fresh = (Box<dyn Catalog>, Box<dyn std::any::Any>);

/// One check of the contract, by its name.
type Check = (&'static str, fn(&mut dyn Catalog));

/// Runs every check of the contract, each on a fresh catalogue from `fresh`.
pub fn run(fresh: &mut dyn FnMut() -> Fresh) {
    let checks: [Check; 6] = [
        (
            "long and short queries",
            long_and_short_queries_find_words_inside_japanese_text,
        ),
        (
            "newest only",
            only_the_newest_version_of_an_issue_is_searched,
        ),
        ("magazines", many_magazines_are_told_apart_and_filtered),
        ("newest first", hits_come_newest_first_however_far_back),
        (
            "claims",
            a_recorded_version_cannot_be_claimed_or_recorded_twice,
        ),
        ("rebuild", a_rebuild_replaces_everything_at_once),
    ];
    for (name, check) in checks {
        let (mut catalog, _keep) = fresh();
        eprintln!("catalogue contract: {name} ({})", catalog.location());
        check(catalog.as_mut());
    }
}

fn tomakomai() -> Municipality {
    Municipality {
        code: "012131".into(),
        name: "苫小牧市".into(),
    }
}

fn record(magazine: &str, issue: &str, version: u32, date: &str) -> PackageRecord {
    PackageRecord {
        shelf: String::new(),
        issue: issue.into(),
        version,
        magazine: magazine.into(),
        municipality: (magazine == "広報とまこまい").then(tomakomai),
        issue_date: date.into(),
        number: None,
        added: "2026-11-26T10:00:00+09:00".into(),
        manifest_sha256: format!("{version:064}"),
    }
}

fn page(texts: &[(&str, &str, Option<u8>)]) -> Vec<PageFields> {
    vec![PageFields {
        folio: 4,
        file: "p04.yaml".into(),
        layout: "pledge-progress".into(),
        title: "市長公約の取組状況(概要)".into(),
        fields: texts
            .iter()
            .map(|(field, text, percent)| {
                FieldValue::text(*field, *text, percent.map(|p| format!("{p}%")))
            })
            .collect(),
    }]
}

/// Records the packages the checks search: two issues of 広報とまこまい a year apart, and
/// one issue in two versions.
pub fn record_sample(catalog: &mut dyn Catalog) {
    let first = page(&[
        ("title", "市長公約の取組状況(概要)", None),
        (
            "visions[2].items[5].label",
            "世界から選ばれる苫小牧港を目指して更なる機能強化",
            Some(25),
        ),
    ]);
    let later = page(&[("visions[2].items[5].label", "苫小牧港の機能強化", Some(50))]);
    let superseded = page(&[("title", "名古屋グランパスのキャンプ", None)]);
    let corrected = page(&[("title", "名古屋グランパスの合宿", None)]);
    let magazine = "広報とまこまい";
    for (record, fields) in [
        (record(magazine, "2026-06", 1, "2026-06-01"), first),
        (record(magazine, "2027-06", 1, "2027-06-01"), later),
        (record(magazine, "2026-07", 1, "2026-07-01"), superseded),
        (record(magazine, "2026-07", 2, "2026-07-01"), corrected),
    ] {
        assert_eq!(catalog.record(&record, &fields).unwrap(), Recorded::Now);
    }
}

fn found(catalog: &mut dyn Catalog, query: &str) -> Vec<(String, String, Option<u8>)> {
    catalog
        .search(query, &Filter::default(), 50)
        .unwrap()
        .into_iter()
        .map(|h| {
            let figure = h.figure.map(|f| f.trim_end_matches('%').parse().unwrap());
            (h.issue, h.snippet, figure)
        })
        .collect()
}

fn long_and_short_queries_find_words_inside_japanese_text(catalog: &mut dyn Catalog) {
    record_sample(catalog);
    // Three characters or more, newest issue first.
    assert_eq!(
        found(catalog, "苫小牧港"),
        [
            ("2027-06".into(), "【苫小牧港】の機能強化".into(), Some(50)),
            (
                "2026-06".into(),
                "世界から選ばれる【苫小牧港】を目指して更なる機能強化".into(),
                Some(25)
            ),
        ]
    );
    // One and two characters.
    assert_eq!(found(catalog, "港").len(), 2);
    assert_eq!(
        found(catalog, "公約"),
        [(
            "2026-06".into(),
            "市長【公約】の取組状況(概要)".into(),
            None
        )]
    );
    assert!(found(catalog, "存在しない言葉").is_empty());
    assert!(found(catalog, "").is_empty());
    // Wildcards and quotes in a query are text.
    assert!(found(catalog, "%").is_empty());
    assert!(found(catalog, "_").is_empty());
    assert!(found(catalog, "\"港\" OR x").is_empty());
}

fn only_the_newest_version_of_an_issue_is_searched(catalog: &mut dyn Catalog) {
    record_sample(catalog);
    assert!(found(catalog, "キャンプ").is_empty());
    assert_eq!(
        found(catalog, "グランパス")[0].1,
        "名古屋【グランパス】の合宿"
    );
    let listed: Vec<(String, u32, u32)> = catalog
        .list(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|l| (l.record.issue, l.record.version, l.pages))
        .collect();
    assert_eq!(
        listed,
        [
            ("2026-06".into(), 1, 1),
            ("2026-07".into(), 1, 1),
            ("2026-07".into(), 2, 1),
            ("2027-06".into(), 1, 1)
        ]
    );
}

fn many_magazines_are_told_apart_and_filtered(catalog: &mut dyn Catalog) {
    record_sample(catalog);
    // Another town's magazine, with an issue of the same name on its own shelf.
    let mut other = record("広報しらおい", "2026-06", 1, "2026-06-01");
    other.shelf = "015784-広報しらおい".into();
    let fields = page(&[("title", "白老港の朝市", None)]);
    assert_eq!(catalog.record(&other, &fields).unwrap(), Recorded::Now);

    assert_eq!(found(catalog, "港").len(), 3);
    let only = |magazine: Option<&str>, municipality: Option<&str>| Filter {
        magazine: magazine.map(str::to_owned),
        municipality: municipality.map(str::to_owned),
    };
    let hits = catalog
        .search("港", &only(Some("広報しらおい"), None), 50)
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].magazine, "広報しらおい");
    assert_eq!(hits[0].municipality, None, "its issue named none");
    assert_eq!(hits[0].snippet, "白老【港】の朝市");
    for by in ["苫小牧市", "012131"] {
        let hits = catalog.search("港", &only(None, Some(by)), 50).unwrap();
        assert!(hits.iter().all(|h| h.magazine == "広報とまこまい"), "{by}");
        assert!(
            hits.iter().all(|h| h.municipality == Some(tomakomai())),
            "{by}: a hit says whose it is"
        );
        assert_eq!(hits.len(), 2, "{by}");
        let listed = catalog.list(&only(None, Some(by))).unwrap();
        assert_eq!(listed.len(), 4, "{by}");
        assert_eq!(listed[0].record.municipality, Some(tomakomai()));
    }
    let listed = catalog.list(&only(Some("広報しらおい"), None)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].record, other);
    // The same issue name on two shelves is two issues: each one's newest is searched.
    assert_eq!(found(catalog, "朝市").len(), 1);
    assert_eq!(found(catalog, "公約").len(), 1);
}

/// Issue dates from the newest month back sixteen years: the first and last month of every
/// span a catalogue may search at a time (a month, three, a year, ten years, the rest).
const YEARS_OF_ISSUES: [&str; 10] = [
    "2027-06-01",
    "2027-05-01",
    "2027-04-01",
    "2027-03-01",
    "2026-07-01",
    "2026-06-01",
    "2017-07-01",
    "2017-06-01",
    "2012-01-01",
    "2011-12-01",
];

/// The issue with many pages of the word: more than a catalogue reads at a time.
const MANY_PAGES: u32 = 120;

/// One page with `fields` (path, text).
fn page_at(folio: u32, fields: &[(&str, &str)]) -> PageFields {
    PageFields {
        folio,
        file: format!("p{folio:02}.yaml"),
        layout: "notice".into(),
        title: "お知らせ".into(),
        fields: fields
            .iter()
            .map(|(field, text)| FieldValue::text(*field, *text, None))
            .collect(),
    }
}

fn hits_come_newest_first_however_far_back(catalog: &mut dyn Catalog) {
    // Recorded oldest first, so that neither the order of recording nor of rows is the answer.
    let mut expected = Vec::new();
    for date in YEARS_OF_ISSUES.iter().rev() {
        let issue = &date[..7];
        let pages = if *date == "2026-06-01" {
            (1..=MANY_PAGES)
                .map(|folio| page_at(folio, &[("lead", "苫小牧港の話"), ("body", "白老")]))
                .collect()
        } else {
            vec![
                // Every pair of the word, but never the word: found by the index, not a hit.
                page_at(1, &[("a", "苫小"), ("b", "小牧"), ("c", "牧港")]),
                page_at(
                    2,
                    &[
                        ("title", "苫小牧港だより"),
                        ("body", "港の話"),
                        ("note", "苫小牧港の朝市"),
                    ],
                ),
            ]
        };
        let record = record("広報とまこまい", issue, 1, date);
        assert_eq!(catalog.record(&record, &pages).unwrap(), Recorded::Now);
        let mut hits: Vec<(String, u32, String)> = pages
            .iter()
            .flat_map(|page| {
                page.fields
                    .iter()
                    .filter(|f| f.text.as_deref().is_some_and(|t| t.contains("苫小牧港")))
                    .map(|f| (issue.to_owned(), page.folio, f.field.clone()))
            })
            .collect();
        hits.append(&mut expected);
        expected = hits;
    }
    let total = expected.len();
    for limit in [1, 2, 3, 9, 50, 60, total - 1, total, total + 50] {
        let hits: Vec<(String, u32, String)> = catalog
            .search("苫小牧港", &Filter::default(), limit)
            .unwrap()
            .into_iter()
            .map(|h| (h.issue, h.folio, h.field))
            .collect();
        assert_eq!(hits, expected[..limit.min(total)], "limit {limit}");
    }
}

fn a_recorded_version_cannot_be_claimed_or_recorded_twice(catalog: &mut dyn Catalog) {
    let id = PackageId::new("", "2026-06", 1);
    let Claim::Granted(ticket) = catalog.claim(&id, &"1".repeat(64)).unwrap() else {
        panic!("a version nobody has is granted");
    };
    assert_eq!(ticket.id, id);
    let fields = page(&[("title", "市長公約の取組状況(概要)", None)]);
    let recorded = record("広報とまこまい", "2026-06", 1, "2026-06-01");
    assert_eq!(catalog.record(&recorded, &fields).unwrap(), Recorded::Now);
    assert!(!catalog.is_being_written(&id).unwrap());
    assert!(matches!(
        catalog.claim(&id, &"1".repeat(64)).unwrap(),
        Claim::Taken
    ));
    assert_eq!(
        catalog.record(&recorded, &fields).unwrap(),
        Recorded::Already
    );
    assert_eq!(catalog.list(&Filter::default()).unwrap().len(), 1);
    assert_eq!(found(catalog, "公約").len(), 1, "recorded once");
    // A version given up can be claimed again.
    let next = PackageId::new("", "2026-06", 2);
    let Claim::Granted(ticket) = catalog.claim(&next, &"2".repeat(64)).unwrap() else {
        panic!("the next version is granted");
    };
    catalog.release(ticket).unwrap();
    assert!(!catalog.is_being_written(&next).unwrap());
    assert!(matches!(
        catalog.claim(&next, &"2".repeat(64)).unwrap(),
        Claim::Granted(_)
    ));
}

fn a_rebuild_replaces_everything_at_once(catalog: &mut dyn Catalog) {
    record_sample(catalog);
    let fields = page(&[
        ("title", "白老港の朝市", Some(10)),
        ("lead", "港の話", None),
    ]);
    let only = record("広報しらおい", "2026-06", 1, "2026-06-01");
    let mut packages = vec![(only.clone(), fields)].into_iter();
    assert_eq!(catalog.rebuild(&mut packages).unwrap(), 2);
    let listed = catalog.list(&Filter::default()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].record, only);
    assert!(found(catalog, "苫小牧港").is_empty());
    assert_eq!(found(catalog, "港").len(), 2);
}

/// The shared catalogue to test against (`KOHO_TEST_CATALOG`), or `None` with a note when this
/// test run has none. With `KOHO_REQUIRE_SHARED=1` (as `.ci/run` sets) a missing one fails.
pub fn shared_catalog_url() -> Option<String> {
    match std::env::var("KOHO_TEST_CATALOG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("KOHO_REQUIRE_SHARED").as_deref() != Ok("1"),
                "KOHO_REQUIRE_SHARED=1 but KOHO_TEST_CATALOG is not set: start the servers \
                 with tools/archive-servers start"
            );
            eprintln!(
                "note: no shared catalogue to test (KOHO_TEST_CATALOG unset); \
                 eval \"$(tools/archive-servers start)\" runs these tests too"
            );
            None
        }
    }
}
