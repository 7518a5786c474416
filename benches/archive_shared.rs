//! The shared archive at scale: `cargo bench --bench archive_shared`, against the servers
//! `eval "$(tools/archive-servers start)"` starts (without them it says so and stops).
//!
//! Generates a catalogue of `KOHO_BENCH_PAGES` pages (default 1,000,000) from
//! `KOHO_BENCH_MAGAZINES` magazines (default 1,700, one a municipality), twelve pages an
//! issue, with synthetic page texts in the manner of a 広報誌 — loaded the way `koho archive
//! reindex` loads a shared catalogue (COPY, a batch of packages at a time) — then prints:
//! - search times, p50 and p95 of many runs, for long and short words, alone and narrowed to
//!   a municipality (target: p95 ≤ 100 ms);
//! - the add rate: whole adds of new issues as `koho archive add` ends them — the version
//!   claimed in the catalogue, the package's objects put to the object store, the record
//!   written — for packages of `KOHO_BENCH_ADD_KB` KB (default 512; target ≥ 20 issues/s);
//! - the catalogue's size on disk, by table and index.
//!
//! Nothing here asserts a time: it measures and prints. Each run makes its own database and
//! bucket on the servers and drops the database at the end — or keeps it with
//! `KOHO_BENCH_KEEP=1`, and then `KOHO_BENCH_REUSE=<its URL>` searches it again without
//! loading it anew (searches and sizes only).

mod common;

use std::time::Instant;

use common::{Noise, ms};
use koho::archive::address::Address;
use koho::archive::catalog::postgres::{PgCatalog, drop_scratch};
use koho::archive::catalog::{Catalog, Claim, Filter, Municipality, PackageRecord};
use koho::archive::fields::{FieldValue, PageFields};
use koho::archive::store::PackageId;
use koho::archive::store::s3::{Endpoint, S3Address, S3Store};
use koho::archive::{Archive, bag};

const PAGES_PER_ISSUE: u32 = 12;
const SEARCH_RUNS: usize = 40;
const TARGET_P95_MS: f64 = 100.0;
const TARGET_ADDS_PER_S: f64 = 20.0;
/// Issues added to measure the add rate.
const ADDS: u32 = 100;

/// Parts of municipalities' names: 1,700 distinct names from their combinations.
const NAME_HEADS: [&str; 20] = [
    "北", "南", "東", "西", "上", "下", "新", "大", "小", "中", "高", "白", "赤", "青", "黒", "石",
    "松", "竹", "梅", "桜",
];
const NAME_TAILS: [&str; 30] = [
    "川", "山", "野", "原", "田", "沢", "浜", "崎", "島", "森", "岡", "谷", "井", "瀬", "浦", "津",
    "江", "丘", "里", "平", "畑", "宮", "橋", "港", "根", "尾", "木", "池", "湊", "坂",
];
const NAME_KINDS: [&str; 3] = ["市", "町", "村"];

/// Topics a page is about, each with the sentences its texts are made of.
const TOPICS: [(&str, &[&str]); 10] = [
    (
        "市長公約の取組状況",
        &[
            "市長が市民の皆さんと約束した公約の進捗状況をお知らせします。",
            "子育て支援策の拡充として、小学校入学祝い給付を始めました。",
            "企業誘致のトップセールスを実施し、新たな雇用が生まれています。",
        ],
    ),
    (
        "くらしの情報",
        &[
            "国民健康保険の納税通知書を六月中旬に送ります。",
            "粗大ごみの戸別収集は電話かインターネットで申し込んでください。",
            "マイナンバーカードの申請窓口を土曜日も開設します。",
        ],
    ),
    (
        "子育て",
        &[
            "子育て支援センターで親子ふれあい遊びの会を開きます。",
            "乳幼児健診の日程が変わります。対象の方には通知を送ります。",
            "放課後児童クラブの利用申し込みを受け付けています。",
        ],
    ),
    (
        "健康",
        &[
            "特定健診と各種がん検診を市内の医療機関で受けられます。",
            "熱中症を防ぐため、こまめな水分補給を心がけましょう。",
            "休日当番医は受診の前に電話で確かめてください。",
        ],
    ),
    (
        "まちの話題",
        &[
            "港まつりに多くの市民が訪れ、花火が夜空を彩りました。",
            "駅前の再開発が進み、にぎわいのある通りになりました。",
            "地元の高校生が考えた特産品の新しいお菓子が発売されました。",
        ],
    ),
    (
        "催し",
        &[
            "市民文化祭の出演団体と展示作品を募集します。",
            "図書館でおはなし会と工作教室を開きます。",
            "スポーツ教室の参加者を募集します。初心者も歓迎です。",
        ],
    ),
    (
        "防災",
        &[
            "防災マップを全戸に配布しました。避難所を確かめておきましょう。",
            "災害時の備蓄品として、三日分の水と食料を用意しましょう。",
            "総合防災訓練を実施します。地域の皆さんの参加をお願いします。",
        ],
    ),
    (
        "環境",
        &[
            "ゼロカーボンシティの実現に向けて、省エネの取り組みを進めます。",
            "資源ごみの分け方が変わります。リサイクルにご協力ください。",
            "水素やアンモニアを使う新しいエネルギーの拠点を目指します。",
        ],
    ),
    (
        "観光",
        &[
            "スポーツ観光都市として、合宿やキャンプの誘致を進めます。",
            "宿泊税を観光振興に役立てます。",
            "世界から選ばれる港を目指して、機能の強化を進めています。",
        ],
    ),
    (
        "人口と世帯",
        &[
            "住民基本台帳による人口と世帯数をお知らせします。",
            "前月と比べて人口は減り、世帯数は増えました。",
            "転入と転出、出生と死亡の数は次のとおりです。",
        ],
    ),
];

/// The n-th synthetic municipality: a name and a valid 全国地方公共団体コード.
fn municipality(n: usize) -> Municipality {
    let head = NAME_HEADS[n % NAME_HEADS.len()];
    let tail = NAME_TAILS[(n / NAME_HEADS.len()) % NAME_TAILS.len()];
    let kind = NAME_KINDS[(n / (NAME_HEADS.len() * NAME_TAILS.len())) % NAME_KINDS.len()];
    let prefecture = 1 + n % 47;
    let local = 100 + n / 47;
    let five = format!("{prefecture:02}{local:03}");
    let sum: u32 = five
        .chars()
        .zip([6, 5, 4, 3, 2])
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = (11 - sum % 11) % 10;
    Municipality {
        code: format!("{five}{check}"),
        name: format!("{head}{tail}{kind}"),
    }
}

/// The fields of one synthetic page: a title, a lead and body texts of the page's topic,
/// with figures; the sample's own words (グランパス, 公約) where a real page would have them.
fn page(noise: &mut Noise, town: &str, year: u32, month: u32, folio: u32) -> PageFields {
    let (topic, sentences) = TOPICS[noise.below(TOPICS.len())];
    let mut fields = vec![
        FieldValue::text("title", format!("{topic} {year}年{month}月"), None),
        FieldValue::text(
            "lead",
            format!("{town}から{}", sentences[noise.below(sentences.len())]),
            None,
        ),
    ];
    for i in 1..=6u32 {
        let mut body = String::new();
        for _ in 0..3 {
            body.push_str(sentences[noise.below(sentences.len())]);
        }
        // One page in a thousand tells of the team's camp, as the sample does.
        if noise.below(1000) == 0 {
            body.push_str("名古屋グランパスのキャンプ地に決まりました。");
        }
        let figure = format!("{}%", noise.below(101));
        fields.push(FieldValue::text(
            format!("items[{i}].body"),
            format!("{body}({year}年度 第{i}項 {figure})"),
            Some(figure.clone()),
        ));
        fields.push(FieldValue::value(
            format!("items[{i}].percent"),
            "percent",
            figure,
        ));
    }
    PageFields {
        folio,
        file: format!("p{folio:02}.yaml"),
        layout: "notices".into(),
        title: topic.into(),
        fields,
    }
}

/// One synthetic issue of magazine `m`: its record and pages.
fn issue(
    noise: &mut Noise,
    m: usize,
    year: u32,
    month: u32,
    version: u32,
) -> (PackageRecord, Vec<PageFields>) {
    let town = municipality(m);
    let magazine = format!("広報{}", town.name.trim_end_matches(['市', '町', '村']));
    let pages = (1..=PAGES_PER_ISSUE)
        .map(|folio| page(noise, &town.name, year, month, folio))
        .collect();
    let name = format!("{year}-{month:02}");
    let record = PackageRecord {
        shelf: koho::archive::store::shelf_of(&magazine, Some(&town.code)),
        issue: name.clone(),
        version,
        magazine,
        municipality: Some(town),
        issue_date: format!("{name}-01"),
        number: Some(year * 12 + month),
        added: "2026-12-07T09:00:00+09:00".into(),
        manifest_sha256: format!("{:064x}", noise.next()),
    };
    (record, pages)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The scale a run generates.
struct Scale {
    magazines: usize,
    issues_each: usize,
}

impl Scale {
    fn pages(&self) -> usize {
        self.magazines * self.issues_each * PAGES_PER_ISSUE as usize
    }
}

fn main() {
    let Ok(admin) = std::env::var("KOHO_TEST_CATALOG") else {
        println!(
            "archive_shared: no servers (KOHO_TEST_CATALOG is unset); \
             eval \"$(tools/archive-servers start)\" first"
        );
        return;
    };
    let pages = env_number("KOHO_BENCH_PAGES", 1_000_000);
    let magazines = env_number("KOHO_BENCH_MAGAZINES", 1_700);
    let scale = Scale {
        magazines,
        issues_each: pages.div_ceil(magazines * PAGES_PER_ISSUE as usize),
    };
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    // A catalogue a run kept (KOHO_BENCH_KEEP=1) is searched again as it is: no load, no adds.
    let reused = std::env::var("KOHO_BENCH_REUSE")
        .ok()
        .filter(|u| !u.is_empty());
    let url = match &reused {
        Some(url) => url.clone(),
        None => PgCatalog::scratch(&admin, "bench").unwrap(),
    };
    let mut catalog = PgCatalog::connect(&url).unwrap();
    if reused.is_none() {
        load(&mut catalog, &scale, &mut noise);
    } else {
        println!("catalogue: the kept {url}, as it is");
    }
    searches(&mut catalog, &url, &scale);
    if reused.is_none() {
        adds(&mut catalog, &url, &scale, &mut noise);
    }
    sizes(&url);
    drop(catalog);
    if reused.is_some() || std::env::var("KOHO_BENCH_KEEP").as_deref() == Ok("1") {
        println!("  kept for a look: KOHO_BENCH_REUSE={url}");
    } else {
        drop_scratch(&admin, &url).unwrap();
    }
}

/// Generates the catalogue of every magazine's issues, month by month back from 2026-12, and
/// loads it as reindex does.
fn load(catalog: &mut PgCatalog, scale: &Scale, noise: &mut Noise) {
    let started = Instant::now();
    let mut made = 0usize;
    let issues_each = scale.issues_each;
    let mut all = (0..scale.magazines).flat_map(|m| (0..issues_each).map(move |i| (m, i)));
    let mut packages = std::iter::from_fn(|| {
        let (m, i) = all.next()?;
        let months_back = u32::try_from(i).unwrap();
        let (year, month) = (2026 - months_back / 12, 12 - months_back % 12);
        made += 1;
        if made.is_multiple_of(10_000) {
            eprintln!("  … {made} issues");
        }
        Some(issue(noise, m, year, month, 1))
    });
    let fields = catalog.rebuild(&mut packages).unwrap();
    let load = started.elapsed();
    println!(
        "catalogue: {} magazines × {issues_each} issues × {PAGES_PER_ISSUE} pages = \
         {} pages, {fields} fields, loaded (as reindex does) in {:.0} s ({:.0} pages/s)",
        scale.magazines,
        scale.pages(),
        load.as_secs_f64(),
        scale.pages() as f64 / load.as_secs_f64()
    );
}

/// Search times for long and short words, everywhere and in one municipality.
fn searches(catalog: &mut PgCatalog, url: &str, scale: &Scale) {
    println!(
        "\nsearch, newest 50 hits (p50 / p95 of {SEARCH_RUNS}; target p95 ≤ {TARGET_P95_MS} ms):"
    );
    let one_town = municipality(scale.magazines / 2);
    let narrowed = Filter {
        magazine: None,
        municipality: Some(one_town.code.clone()),
    };
    let everywhere = Filter::default();
    for (query, filter, said) in [
        ("グランパス", &everywhere, ""),
        ("ゼロカーボンシティ", &everywhere, ""),
        ("小学校入学祝い給付", &everywhere, ""),
        ("公約", &everywhere, ""),
        ("港", &everywhere, ""),
        ("市の", &everywhere, ""),
        ("存在しない言葉", &everywhere, ""),
        ("公約", &narrowed, " (one municipality)"),
        ("港", &narrowed, " (one municipality)"),
        ("グランパス", &narrowed, " (one municipality)"),
    ] {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..SEARCH_RUNS {
            let started = Instant::now();
            found = catalog.search(query, filter, 50).unwrap().len();
            times.push(started.elapsed());
        }
        times.sort();
        let p50 = ms(times[times.len() / 2]);
        let p95 = ms(times[(times.len() * 95).div_ceil(100) - 1]);
        let verdict = if p95 <= TARGET_P95_MS {
            "ok"
        } else {
            "OVER TARGET"
        };
        println!(
            "  {:<22} {p50:7.1} / {p95:7.1} ms  ({found} shown)  {verdict}",
            format!("{query}{said}")
        );
    }
    // What one `koho archive search` adds around the query: a new connection, and a look at
    // the store's marker.
    let connect = Instant::now();
    drop(PgCatalog::connect(url).unwrap());
    println!(
        "  (a koho process opens its own connection first: {:.1} ms)",
        ms(connect.elapsed())
    );
}

/// Whole adds of new issues against the object store and the catalogue.
fn adds(catalog: &mut PgCatalog, url: &str, scale: &Scale, noise: &mut Noise) {
    let add_kb = env_number("KOHO_BENCH_ADD_KB", 512);
    // Whole adds against the object store and the catalogue.
    let endpoint = Endpoint::from_env();
    let bucket = format!("koho-bench-{}", std::process::id());
    let address = S3Address::parse(&format!("s3://{bucket}/archive")).unwrap();
    match S3Store::new(address.clone(), &endpoint).and_then(|s| s.create_bucket()) {
        Err(e) => println!("\nadds: skipped, no object store ({e})"),
        Ok(()) => {
            let archive = Archive::open(
                Address::Shared {
                    store: address,
                    catalog: url.to_owned(),
                },
                std::path::Path::new("."),
            )
            .unwrap();
            let store = archive.store();
            store.prepare().unwrap();
            let started = Instant::now();
            let mut bytes = 0usize;
            for n in 0..ADDS {
                // Each magazine's next issue, past those generated: every add is new.
                let round = n / u32::try_from(scale.magazines).unwrap_or(u32::MAX);
                let (mut record, pages) = issue(
                    noise,
                    n as usize % scale.magazines,
                    2027 + round / 12,
                    1 + round % 12,
                    1,
                );
                let payload = vec![
                    (
                        format!("print/{}.pdf", record.issue),
                        noise.bytes(add_kb * 512),
                    ),
                    (
                        format!("archival/{}.pdf", record.issue),
                        noise.bytes(add_kb * 512),
                    ),
                    (
                        "fields.json".to_owned(),
                        serde_json::to_vec(&pages).unwrap(),
                    ),
                ];
                let new_bag = bag::NewBag {
                    info: vec![("Issue".into(), record.issue.clone())],
                    payload,
                };
                record.manifest_sha256 = koho::hash::sha256_hex(new_bag.manifest().as_bytes());
                let id = PackageId::new(&record.shelf, &record.issue, record.version);
                let Claim::Granted(_) = catalog.claim(&id, &record.manifest_sha256).unwrap() else {
                    panic!("{id:?} is new");
                };
                let files = new_bag.files();
                bytes += files.iter().map(|(_, b)| b.len()).sum::<usize>();
                store.put(&id, &files).unwrap();
                catalog.record(&record, &pages).unwrap();
            }
            let took = started.elapsed().as_secs_f64();
            let rate = f64::from(ADDS) / took;
            println!(
                "\nadds: {ADDS} issues of {add_kb} KB (claim + put + record) in {took:.1} s: \
                 {rate:.1} issues/s, {:.1} MB/s  {}",
                bytes as f64 / 1_048_576.0 / took,
                if rate >= TARGET_ADDS_PER_S {
                    "ok"
                } else {
                    "UNDER TARGET"
                }
            );
        }
    }
}

/// The catalogue's size on disk, by table and index.
fn sizes(url: &str) {
    println!("\ncatalogue size:");
    let mut admin_client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    for row in admin_client
        .query(
            "SELECT relname, pg_total_relation_size(oid), pg_relation_size(oid)
             FROM pg_class WHERE relname IN ('package', 'page', 'field', 'page_grams')
             ORDER BY 2 DESC",
            &[],
        )
        .unwrap()
    {
        let (name, total, own): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));
        println!(
            "  {name:<12} {:8.0} MB (its own {:.0} MB)",
            total as f64 / 1_048_576.0,
            own as f64 / 1_048_576.0
        );
    }
    let size: i64 = admin_client
        .query_one("SELECT pg_database_size(current_database())", &[])
        .unwrap()
        .get(0);
    let pages: i64 = admin_client
        .query_one("SELECT count(*) FROM page", &[])
        .unwrap()
        .get(0);
    println!(
        "  the database  {:8.0} MB ({:.0} bytes a page)",
        size as f64 / 1_048_576.0,
        size as f64 / pages.max(1) as f64
    );
}
