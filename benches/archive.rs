//! The archive at scale: `cargo bench --bench archive`.
//!
//! Generates an archive of 20 years × 12 issues × 24 pages (5 760 pages) in a temporary
//! folder — packages written by koho's own BagIt writer, catalogued by its own catalogue, with
//! synthetic page texts in the shape of the sample page and synthetic PDFs of
//! `KOHO_BENCH_MB_PER_ISSUE` MB (default 2) per issue — then prints:
//! - the time of searches (long, short and missing words; median and worst of several runs;
//!   target ≤ 50 ms);
//! - the time of `verify` over every package, next to the time of plainly reading and
//!   hashing the same bytes (target: close to it);
//! - the catalogue's size.
//!
//! Nothing here asserts: it measures and prints. The files are freshly written, so both
//! verify and the plain hashing read them from the page cache: the comparison is fair, and
//! what it measures is hashing, not the disk.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{Noise, ms};
use koho::archive::catalog::PackageRecord;
use koho::archive::fields::{FieldValue, PageFields};
use koho::archive::store::PackageId;
use koho::archive::{Archive, Filter, bag};

const YEARS: u32 = 20;
const ISSUES_PER_YEAR: u32 = 12;
const PAGES_PER_ISSUE: u32 = 24;
const SEARCH_RUNS: usize = 9;
const TARGET_SEARCH_MS: f64 = 50.0;

/// Labels in the manner of the sample page, varied by issue so the catalogue is not one text
/// repeated.
const LABELS: [&str; 12] = [
    "子育て支援策の拡充",
    "子育て機能の拠点形成",
    "子ども若者のメンタルヘルスケアの推進",
    "企業誘致のトップセールス実施、企業アプローチの体制強化",
    "世界から選ばれる苫小牧港を目指して更なる機能強化",
    "にぎわいあふれる駅前再開発、まちなか総合アリーナ建設への着手",
    "ゼロカーボンシティの推進、GXの推進、水素・アンモニアの拠点都市へ",
    "創造的な学びができる学校の実現",
    "防災インフラの充実と市民意識の向上",
    "スポーツ観光都市 苫小牧の推進",
    "宿泊税と観光振興策",
    "みながワクワクして働く市役所づくり",
];

/// The fields of one synthetic page.
fn page(noise: &mut Noise, year: u32, month: u32, folio: u32) -> PageFields {
    let mut fields = vec![FieldValue::text(
        "title",
        format!("市政トピックス {year}年{month}月 第{folio}面"),
        None,
    )];
    for v in 1..=7u32 {
        fields.push(FieldValue::text(
            format!("visions[{v}].title"),
            format!("ビジョン{v} のまち 苫小牧 {year}"),
            Some(format!("{}%", noise.next() % 101)),
        ));
        for i in 1..=5u32 {
            let label = LABELS[(noise.next() % LABELS.len() as u64) as usize];
            let percent = (noise.next() % 101) as u8;
            fields.push(FieldValue::text(
                format!("visions[{v}].items[{i}].label"),
                format!("{label}({year}年度 {i})"),
                Some(format!("{percent}%")),
            ));
            fields.push(FieldValue::value(
                format!("visions[{v}].items[{i}].percent"),
                "percent",
                format!("{percent}%"),
            ));
        }
    }
    fields.push(FieldValue::text(
        "highlights.items[1].body",
        format!(
            "{year}年{month}月、名古屋グランパスのキャンプと小学校入学祝い給付について、市民の皆さんにお知らせします。"
        ),
        None,
    ));
    PageFields {
        folio,
        file: format!("p{folio:02}.yaml"),
        layout: "pledge-progress".into(),
        title: format!("市政トピックス 第{folio}面"),
        fields,
    }
}

fn every_file(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mb_per_issue: usize = std::env::var("KOHO_BENCH_MB_PER_ISSUE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("archive");
    let archive = Archive::at(&root, work.path());
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);

    let started = Instant::now();
    let mut catalog = archive.catalog(true).unwrap();
    let mut fields = 0;
    for year in 2026..2026 + YEARS {
        for month in 1..=ISSUES_PER_YEAR {
            let issue = format!("{year}-{month:02}");
            let pages: Vec<PageFields> = (1..=PAGES_PER_ISSUE)
                .map(|folio| page(&mut noise, year, month, folio))
                .collect();
            let half = mb_per_issue * 1024 * 1024 / 2;
            let payload = vec![
                (format!("print/{issue}.pdf"), noise.bytes(half)),
                (format!("archival/{issue}.pdf"), noise.bytes(half)),
                (
                    "fields.json".to_owned(),
                    serde_json::to_vec(&pages).unwrap(),
                ),
            ];
            let new_bag = bag::NewBag {
                info: vec![("Issue".into(), issue.clone())],
                payload,
            };
            let id = PackageId::new("", &issue, 1);
            archive.store().put(&id, &new_bag.files()).unwrap();
            fields += pages.iter().map(|p| p.fields.len()).sum::<usize>();
            let record = PackageRecord {
                shelf: String::new(),
                municipality: None,
                issue: issue.clone(),
                version: 1,
                magazine: "広報とまこまい".into(),
                issue_date: format!("{issue}-01"),
                number: None,
                added: "2046-12-31T00:00:00+09:00".into(),
                manifest_sha256: koho::hash::sha256_hex(new_bag.manifest().as_bytes()),
            };
            catalog.record(&record, &pages).unwrap();
        }
    }
    let issues = YEARS * ISSUES_PER_YEAR;
    println!(
        "generated {issues} issues × {PAGES_PER_ISSUE} pages ({} pages, {} fields, {mb_per_issue} MB of PDF an issue) in {:.1} s",
        issues * PAGES_PER_ISSUE,
        fields,
        started.elapsed().as_secs_f64()
    );
    drop(catalog);

    println!("\nsearch (median / worst of {SEARCH_RUNS}; target ≤ {TARGET_SEARCH_MS} ms):");
    // "市の": two characters every issue holds, but never side by side — the worst case of a
    // short query, which scans every text.
    for query in [
        "苫小牧港",
        "グランパス",
        "ゼロカーボンシティ",
        "公約",
        "港",
        "市の",
        "存在しない言葉",
    ] {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..SEARCH_RUNS {
            // A fresh process would open the catalogue each time: so does this.
            let started = Instant::now();
            found = koho::archive::search(&archive, query, &Filter::default(), 50)
                .unwrap()
                .len();
            times.push(started.elapsed());
        }
        times.sort();
        let (median, worst) = (ms(times[times.len() / 2]), ms(times[times.len() - 1]));
        let verdict = if median <= TARGET_SEARCH_MS {
            "ok"
        } else {
            "OVER TARGET"
        };
        println!("  {query:<12} {median:7.1} ms / {worst:7.1} ms  ({found} shown)  {verdict}");
    }

    let started = Instant::now();
    let report = koho::archive::verify(&archive, None, &|_, _| {}).unwrap();
    let verify_time = started.elapsed();
    assert!(report.is_intact(), "the generated archive verifies");
    let mut files = Vec::new();
    every_file(&root, &mut files);
    files.retain(|f| !f.ends_with(koho::archive::CATALOG_FILE));
    let started = Instant::now();
    let mut bytes = 0u64;
    for file in &files {
        bytes += koho::hash::sha256_file(file).unwrap().1;
    }
    let plain_time = started.elapsed();
    let mb = bytes as f64 / 1_048_576.0;
    println!(
        "\nverify, every package ({mb:.0} MB in {} files):",
        files.len()
    );
    println!(
        "  koho archive verify        {:8.0} ms  ({:.0} MB/s)",
        ms(verify_time),
        mb / verify_time.as_secs_f64()
    );
    println!(
        "  read + SHA-256, one thread {:8.0} ms  ({:.0} MB/s)",
        ms(plain_time),
        mb / plain_time.as_secs_f64()
    );
    println!(
        "  ratio verify / plain hashing: {:.2}",
        verify_time.as_secs_f64() / plain_time.as_secs_f64()
    );

    let size = std::fs::metadata(root.join(koho::archive::CATALOG_FILE))
        .unwrap()
        .len();
    println!(
        "\ncatalogue {}: {:.1} MB ({:.0} bytes a page)",
        koho::archive::CATALOG_FILE,
        size as f64 / 1_048_576.0,
        size as f64 / f64::from(issues * PAGES_PER_ISSUE)
    );
}
