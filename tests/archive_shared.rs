//! The archive's promises, kept alike by both its implementations: the project's folder with
//! its SQLite catalogue, and a shared archive — packages in S3-compatible object storage
//! (Garage), the catalogue in PostgreSQL (DESIGN §12). Every scenario runs on both.
//!
//! The shared half needs the servers: `eval "$(tools/archive-servers start)"` (which `.ci/run`
//! does) sets `AWS_ENDPOINT_URL`, the key and `KOHO_TEST_CATALOG`; each run makes its own
//! bucket and database. Without them the shared half is skipped with a note, unless
//! `KOHO_REQUIRE_SHARED=1` (CI) makes that a failure.
//!
//! Damage is done to the shared store from outside koho, by curl's own S3 signing: the test
//! does not trust koho's client to report what koho's client wrote.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use common::{copy_tree, files_under, stderr, stdout};
use koho::archive::catalog::postgres::{PgCatalog, drop_scratch};
use koho::archive::store::s3::{Endpoint, S3Address, S3Store};
use serde_json::Value;

const ISSUE: &str = "2026-06";
const PAGE_FILE: &str = "content/2026-06/p04-pledge-progress.yaml";
/// The shelf the sample goes on in a shared archive: its municipality's code, then its name.
const SHELF: &str = "012131-広報とまこまい";
/// The time the packages say they were added (2026-07-01 09:00 JST).
const ADDED_AT: &str = "1782864000";
/// The prefix inside each test's bucket.
const PREFIX: &str = "archive";

/// The pledge page alone, as its municipality publishes it.
const ISSUE_YAML: &str = "magazine: 広報とまこまい\nmunicipality:\n  name: 苫小牧市\n  code: \"012131\"\n\
issue_date: 2026-06-01\nnumber: 850\noffprint: true\npages:\n  - file: p04-pledge-progress.yaml\n    folio: 4\n";

/// What a key's path segment is written with: all but RFC 3986's unreserved characters
/// percent-encoded, as S3's signing expects.
const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The shared servers, as the environment names them.
struct Servers {
    endpoint: String,
    region: String,
    key: String,
    secret: String,
    admin_catalog: String,
}

impl Servers {
    fn from_env() -> Option<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let found = (|| {
            Some(Servers {
                endpoint: var("AWS_ENDPOINT_URL")?,
                region: var("AWS_REGION").unwrap_or_else(|| "us-east-1".into()),
                key: var("AWS_ACCESS_KEY_ID")?,
                secret: var("AWS_SECRET_ACCESS_KEY")?,
                admin_catalog: var("KOHO_TEST_CATALOG")?,
            })
        })();
        if found.is_none() {
            assert!(
                std::env::var("KOHO_REQUIRE_SHARED").as_deref() != Ok("1"),
                "KOHO_REQUIRE_SHARED=1 but the servers are not set: eval \"$(tools/archive-servers start)\""
            );
            eprintln!(
                "note: the shared archive is not tested (no servers); \
                 eval \"$(tools/archive-servers start)\" runs it too"
            );
        }
        found
    }
}

/// Where a scenario's archive is.
enum Place {
    /// The project's `archive/` folder.
    Folder,
    /// A bucket and a database of the scenario's own.
    Shared {
        servers: Servers,
        bucket: String,
        catalog: String,
    },
}

/// A scratch project and the archive a scenario works on.
struct Backend {
    project: tempfile::TempDir,
    place: Place,
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Place::Shared {
            servers, catalog, ..
        } = &self.place
        {
            let _ = drop_scratch(&servers.admin_catalog, catalog);
        }
    }
}

/// The two backends every scenario runs on (one when the servers are not there).
fn backends(label: &str) -> Vec<Backend> {
    let mut all = vec![Backend::new(Place::Folder)];
    if let Some(servers) = Servers::from_env() {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let bucket = format!(
            "koho-test-{}-{}-{label}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::SeqCst)
        );
        let endpoint = Endpoint {
            url: Some(servers.endpoint.clone()),
            region: Some(servers.region.clone()),
            credentials: Some((servers.key.clone(), servers.secret.clone())),
        };
        S3Store::new(
            S3Address::parse(&format!("s3://{bucket}")).unwrap(),
            &endpoint,
        )
        .unwrap()
        .create_bucket()
        .expect("the test key may make buckets");
        let catalog = PgCatalog::scratch(&servers.admin_catalog, label).unwrap();
        all.push(Backend::new(Place::Shared {
            servers,
            bucket,
            catalog,
        }));
    }
    all
}

impl Backend {
    fn new(place: Place) -> Self {
        let project = common::scratch_project();
        fs::write(
            project.path().join("content/2026-06/issue.yaml"),
            ISSUE_YAML,
        )
        .unwrap();
        Backend { project, place }
    }

    fn name(&self) -> &'static str {
        match self.place {
            Place::Folder => "folder + SQLite",
            Place::Shared { .. } => "S3 + PostgreSQL",
        }
    }

    fn dir(&self) -> &Path {
        self.project.path()
    }

    /// koho in the project, pointed at this archive.
    fn command(&self, args: &[&str]) -> Command {
        self.command_at(PREFIX, args)
    }

    /// koho in the project, pointed at this archive — in a shared one, with its store at
    /// `prefix` in the bucket and the same catalogue.
    fn command_at(&self, prefix: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_koho"));
        command
            .args(args)
            .current_dir(self.dir())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("KOHO_ARCHIVE")
            .env_remove("KOHO_CATALOG")
            .env("LANG", "ja_JP.UTF-8")
            .env("SOURCE_DATE_EPOCH", ADDED_AT);
        if args.first() == Some(&"archive")
            && let Place::Shared {
                servers,
                bucket,
                catalog,
            } = &self.place
        {
            // The one setting an administrator gives: both addresses together.
            command
                .env("KOHO_ARCHIVE", format!("s3://{bucket}/{prefix} {catalog}"))
                .env("AWS_ENDPOINT_URL", &servers.endpoint)
                .env("AWS_REGION", &servers.region)
                .env("AWS_ACCESS_KEY_ID", &servers.key)
                .env("AWS_SECRET_ACCESS_KEY", &servers.secret);
        }
        command
    }

    fn koho(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("koho runs")
    }

    fn json(&self, args: &[&str]) -> (Option<i32>, Value) {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.koho(&all);
        let value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}\n{}", self.name(), stdout(&out), stderr(&out)));
        (out.status.code(), value)
    }

    /// The URL of a file of version `version` in the shared store.
    fn object_url(&self, version: u32, path: &str) -> String {
        let Place::Shared {
            servers, bucket, ..
        } = &self.place
        else {
            unreachable!("only the shared store has objects");
        };
        let key = format!("{PREFIX}/{SHELF}/{ISSUE}/v{version}/{path}");
        let encoded: Vec<String> = key
            .split('/')
            .map(|part| percent_encoding::utf8_percent_encode(part, UNRESERVED_KEPT).to_string())
            .collect();
        format!(
            "{}/{bucket}/{}",
            servers.endpoint.trim_end_matches('/'),
            encoded.join("/")
        )
    }

    /// curl, signing its request to the shared store itself.
    fn curl(&self, method: &str, version: u32, path: &str, body: Option<&Path>) -> Output {
        let Place::Shared { servers, .. } = &self.place else {
            unreachable!("only the shared store is reached by curl");
        };
        let mut curl = Command::new("curl");
        curl.args(["-sS", "-f", "-X", method])
            .args(["--aws-sigv4", &format!("aws:amz:{}:s3", servers.region)])
            .args(["--user", &format!("{}:{}", servers.key, servers.secret)])
            .args(["-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"]);
        if let Some(body) = body {
            curl.arg("--data-binary")
                .arg(format!("@{}", body.display()));
        }
        let out = curl
            .arg(self.object_url(version, path))
            .output()
            .expect("curl runs (apt-get install curl)");
        assert!(
            out.status.success(),
            "curl {method} {path}: {}",
            stderr(&out)
        );
        out
    }

    /// The bytes of a file of version `version` of the issue's package, read past koho.
    fn read(&self, version: u32, path: &str) -> Vec<u8> {
        match &self.place {
            Place::Folder => fs::read(self.package_dir(version).join(path)).unwrap(),
            Place::Shared { .. } => self.curl("GET", version, path, None).stdout,
        }
    }

    /// Writes a file into version `version` of the package, past koho.
    fn write(&self, version: u32, path: &str, bytes: &[u8]) {
        match &self.place {
            Place::Folder => {
                let file = self.package_dir(version).join(path);
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(file, bytes).unwrap();
            }
            Place::Shared { .. } => {
                let body = self.dir().join("upload.bin");
                fs::write(&body, bytes).unwrap();
                self.curl("PUT", version, path, Some(&body));
            }
        }
    }

    /// Deletes a file of the package, past koho.
    fn delete(&self, version: u32, path: &str) {
        match &self.place {
            Place::Folder => fs::remove_file(self.package_dir(version).join(path)).unwrap(),
            Place::Shared { .. } => {
                self.curl("DELETE", version, path, None);
            }
        }
    }

    /// What an add cut off while writing version `version` leaves: in a folder, its staging
    /// folder (of a process that has stopped); in object storage, some of its objects and no
    /// tag manifest.
    fn leave_half_a_package(&self, version: u32) {
        let files: [(&str, &[u8]); 2] = [
            (
                "bagit.txt",
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
            ),
            ("data/print/2026-06.pdf", b"%PDF-1.7 half"),
        ];
        for (path, bytes) in files {
            match &self.place {
                Place::Folder => {
                    // A pid past the kernel's limit: no running add wrote it.
                    let staging = self
                        .dir()
                        .join(format!("archive/{ISSUE}/.v{version}.koho-4294967.tmp"));
                    let file = staging.join(path);
                    fs::create_dir_all(file.parent().unwrap()).unwrap();
                    fs::write(file, bytes).unwrap();
                }
                Place::Shared { .. } => self.write(version, path, bytes),
            }
        }
    }

    fn package_dir(&self, version: u32) -> PathBuf {
        self.dir().join(format!("archive/{ISSUE}/v{version}"))
    }

    /// The catalogue lost (a deleted file, a database given back empty).
    fn lose_catalogue(&self) {
        match &self.place {
            Place::Folder => fs::remove_file(self.dir().join("archive/catalog.sqlite")).unwrap(),
            Place::Shared { catalog, .. } => {
                let mut client = postgres::Client::connect(catalog, postgres::NoTls).unwrap();
                client
                    .batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                    .unwrap();
            }
        }
    }

    /// Changes the page so that the next add has a new version to write.
    fn change_page(&self, from: &str, to: &str) {
        let page = self.dir().join(PAGE_FILE);
        let text = fs::read_to_string(&page).unwrap();
        assert!(text.contains(from));
        fs::write(&page, text.replacen(from, to, 1)).unwrap();
    }

    /// The versions the catalogue lists.
    fn listed(&self) -> Vec<u64> {
        let (code, listed) = self.json(&["archive", "list"]);
        assert_eq!(code, Some(0), "{}: {listed}", self.name());
        listed["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["version"].as_u64().unwrap())
            .collect()
    }

    /// What verify names: (what, path) for every problem, and its exit code.
    fn verify(&self) -> (Option<i32>, Vec<(String, String)>, Value) {
        let (code, report) = self.json(&["archive", "verify"]);
        let named = common::verify_problems(&report);
        (code, named, report)
    }

    /// Two adds started at once, from two processes: their outputs.
    fn add_twice_at_once(&self) -> [Output; 2] {
        let spawn = || {
            self.command(&["archive", "add", "--quiet"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(), spawn());
        [
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        ]
    }
}

/// Of two adds at once, one writes the version and the other finds it there.
fn one_wrote(backend: &Backend, outs: &[Output; 2], version: u32) {
    for out in outs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            backend.name(),
            stderr(out)
        );
    }
    let wrote = outs
        .iter()
        .filter(|o| stdout(o).contains(&format!("第 {version} 版として保存しました")))
        .count();
    let unchanged = outs
        .iter()
        .filter(|o| stdout(o).contains("変わっていません"))
        .count();
    assert_eq!(
        (wrote, unchanged),
        (1, 1),
        "{}: {}\n---\n{}",
        backend.name(),
        stdout(&outs[0]),
        stdout(&outs[1])
    );
}

#[test]
fn adds_from_two_shells_search_verify_restore_and_rebuild_alike() {
    for backend in backends("flow") {
        let name = backend.name();
        // Two editors add the issue at once: one package, written once.
        let outs = backend.add_twice_at_once();
        one_wrote(&backend, &outs, 1);
        assert_eq!(backend.listed(), [1], "{name}");
        let found = stdout(&backend.koho(&["archive", "search", "公約"]));
        assert!(
            found.starts_with("広報とまこまい (苫小牧市)  2026-06 v1  2026-06-01  4ページ"),
            "{name}: {found}"
        );
        let list = stdout(&backend.koho(&["archive", "list"]));
        assert!(
            list.lines().next().unwrap().ends_with("自治体"),
            "{name}: {list}"
        );
        assert!(list.contains("苫小牧市 (012131)"), "{name}: {list}");

        // Found by a long word and by short ones, with the municipality's filter.
        let search = |query: &str, only: &[&str]| {
            let mut args = vec!["archive", "search", query];
            args.extend_from_slice(only);
            let (code, found) = backend.json(&args);
            assert_eq!(code, Some(0), "{name}: {found}");
            found["hits"].as_array().unwrap().clone()
        };
        let grampus = search("グランパス", &[]);
        assert!(
            grampus
                .iter()
                .any(|h| h["field"] == "highlights.items[2].title" && h["folio"] == 4),
            "{name}: {grampus:?}"
        );
        assert!(
            search("公約", &["--municipality", "012131"])
                .iter()
                .any(|h| h["field"] == "title"),
            "{name}"
        );
        assert_eq!(
            search("港", &["--municipality", "苫小牧市"]).len(),
            1,
            "{name}"
        );
        assert!(
            search("港", &["--municipality", "011002"]).is_empty(),
            "{name}"
        );
        assert!(
            search("港", &["--magazine", "広報さっぽろ"]).is_empty(),
            "{name}"
        );

        // A flipped bit in the print file, read back from the store, is caught; a damaged
        // package is not restored from.
        let print = format!("data/print/{ISSUE}.pdf");
        let original = backend.read(1, &print);
        let mut flipped = original.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x01;
        backend.write(1, &print, &flipped);
        let (code, named, _) = backend.verify();
        assert_eq!(code, Some(1), "{name}");
        assert_eq!(named, [("変更".to_owned(), print.clone())], "{name}");
        let refused = backend.koho(&["archive", "restore", ISSUE, "--to", "restored"]);
        assert_eq!(refused.status.code(), Some(1), "{name}");
        let told = stderr(&refused);
        assert!(
            told.contains("壊れています (1 ファイル、最初は data/print/2026-06.pdf)"),
            "{name}: {told}"
        );
        // A deleted photo and an object slipped in are named too.
        backend.delete(1, "data/source/images/grampus-camp.jpg");
        backend.write(1, "data/source/notes.txt", "メモ".as_bytes());
        let (_, named, _) = backend.verify();
        let whats: Vec<&str> = named.iter().map(|(what, _)| what.as_str()).collect();
        assert_eq!(
            whats,
            ["変更", "欠落", "不明なファイル"],
            "{name}: {named:?}"
        );

        // Mended from a copy, it verifies again.
        backend.write(1, &print, &original);
        backend.write(
            1,
            "data/source/images/grampus-camp.jpg",
            &fs::read(
                backend
                    .dir()
                    .join("content/2026-06/images/grampus-camp.jpg"),
            )
            .unwrap(),
        );
        backend.delete(1, "data/source/notes.txt");
        assert_eq!(backend.verify().0, Some(0), "{name}");

        // The catalogue lost: reindex makes it again from the packages alone.
        let before = backend.json(&["archive", "search", "グランパス"]).1;
        backend.lose_catalogue();
        let (code, reindexed) = backend.json(&["archive", "reindex"]);
        assert_eq!(code, Some(0), "{name}: {reindexed}");
        assert_eq!(reindexed["packages"], 1, "{name}");
        assert_eq!(
            backend.json(&["archive", "search", "グランパス"]).1,
            before,
            "{name}"
        );

        // Restored into a project without the issue, it builds the archived print file byte
        // for byte.
        let elsewhere = tempfile::tempdir().unwrap();
        copy_tree(
            &backend.dir().join("layouts"),
            &elsewhere.path().join("layouts"),
        );
        common::link_fonts(elsewhere.path());
        let restored = backend.koho(&[
            "archive",
            "restore",
            ISSUE,
            "--to",
            elsewhere.path().join("content").to_str().unwrap(),
        ]);
        assert_eq!(
            restored.status.code(),
            Some(0),
            "{name}: {}",
            stderr(&restored)
        );
        assert!(stdout(&restored).contains("バイト単位で同じ"), "{name}");
        assert_eq!(
            files_under(&elsewhere.path().join("content/2026-06")),
            files_under(&backend.dir().join("content/2026-06")),
            "{name}"
        );
        let built = Command::new(env!("CARGO_BIN_EXE_koho"))
            .args(["build", "--quiet"])
            .current_dir(elsewhere.path())
            .env("SOURCE_DATE_EPOCH", ADDED_AT)
            .output()
            .unwrap();
        assert_eq!(built.status.code(), Some(0), "{name}: {}", stderr(&built));
        assert!(
            fs::read(elsewhere.path().join("out/2026-06/2026-06.pdf")).unwrap() == original,
            "{name}: the rebuilt print file differs from the archived one"
        );

        // Changed, and added from two shells again: version 2, once.
        backend.change_page("lead: 金澤市長が", "lead: 金澤市長が、");
        let outs = backend.add_twice_at_once();
        one_wrote(&backend, &outs, 2);
        assert_eq!(backend.listed(), [1, 2], "{name}");

        // An issue the archive does not have is named, with the ones it has.
        let missing = backend.koho(&["archive", "restore", "2031-01", "--to", "restored"]);
        assert_eq!(missing.status.code(), Some(2), "{name}");
        let told = stderr(&missing);
        assert!(
            told.contains("2031-01 の号はありません") && told.contains("あるのは: 2026-06"),
            "{name}: {told}"
        );
        if let Place::Shared { .. } = backend.place {
            another_town_has_an_issue_of_the_same_name(&backend);
            a_catalogue_is_never_paired_with_another_store(&backend);
        }
    }
}

/// The catalogue given with another store's address (a mistyped prefix) is refused before
/// anything is read or written.
fn a_catalogue_is_never_paired_with_another_store(backend: &Backend) {
    let before = backend.listed();
    let elsewhere = "elsewhere";
    let out = backend
        .command_at(elsewhere, &["archive", "add", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let told = stderr(&out);
    assert!(
        told.contains(&format!("/{PREFIX} の号の目録です")) && told.contains(elsewhere),
        "{told}"
    );
    assert!(told.contains("koho archive reindex"), "{told}");
    // Nothing was written there: to the other commands it is no archive at all.
    let listed = backend
        .command_at(elsewhere, &["archive", "list"])
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(2));
    assert!(stderr(&listed).contains("保存庫 (アーカイブ) がありません"));
    assert_eq!(backend.listed(), before);
    // Nor is a place without packages made the catalogue's store by reindex.
    let reindexed = backend
        .command_at(elsewhere, &["archive", "reindex", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(reindexed.status.code(), Some(2), "{}", stderr(&reindexed));
    assert_eq!(backend.listed(), before);
}

/// In a shared archive, 白老町's 広報しらおい has a 2026-06 too: a restore by the issue's
/// name alone asks which magazine's, and restores the one named with its shelf.
fn another_town_has_an_issue_of_the_same_name(backend: &Backend) {
    let other = backend.dir().join("shiraoi/2026-06");
    copy_tree(&backend.dir().join("content/2026-06"), &other);
    let shiraoi = ISSUE_YAML
        .replace("広報とまこまい", "広報しらおい")
        .replace("苫小牧市", "白老町")
        .replace("012131", "015784");
    fs::write(other.join("issue.yaml"), shiraoi).unwrap();
    let added = backend.koho(&["archive", "add", "--quiet", "shiraoi/2026-06"]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));

    let asked = backend.koho(&["archive", "restore", ISSUE, "--to", "restored"]);
    assert_eq!(asked.status.code(), Some(2));
    let told = stderr(&asked);
    for choice in [
        "015784-広報しらおい/2026-06",
        "012131-広報とまこまい/2026-06",
    ] {
        assert!(told.contains(choice), "{choice}: {told}");
    }
    assert!(!backend.dir().join("restored").exists(), "nothing written");

    let picked = backend.koho(&[
        "archive",
        "restore",
        "015784-広報しらおい/2026-06",
        "--to",
        "restored",
    ]);
    assert_eq!(picked.status.code(), Some(0), "{}", stderr(&picked));
    let restored = fs::read_to_string(backend.dir().join("restored/2026-06/issue.yaml")).unwrap();
    assert!(restored.contains("広報しらおい"), "{restored}");
    // Several magazines now: a missing issue is named with each one's shelf.
    let missing = backend.koho(&["archive", "restore", "2031-01", "--to", "restored"]);
    assert!(
        stderr(&missing).contains("015784-広報しらおい/2026-06"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn an_add_cut_off_leaves_no_half_package_and_the_next_add_finishes() {
    for backend in backends("cut") {
        let name = backend.name();
        let added = backend.koho(&["archive", "add", "--quiet"]);
        assert_eq!(added.status.code(), Some(0), "{name}: {}", stderr(&added));
        backend.change_page("lead: 金澤市長が", "lead: 金澤市長が、");

        // An add cut off halfway through writing version 2, as each store is written: it is
        // no package — not listed, not searched — only a leftover.
        backend.leave_half_a_package(2);
        let (code, _, report) = backend.verify();
        assert_eq!(code, Some(0), "{name}: {report}");
        assert_eq!(
            report["leftovers"].as_array().map(Vec::len),
            Some(1),
            "{name}: {report}"
        );
        assert_eq!(backend.listed(), [1], "{name}");

        // Cut off at moments through its work: the archive stays valid each time.
        for delay_ms in [200, 1500, 3500] {
            let mut child = backend
                .command(&["archive", "add", "--quiet"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = child.kill();
            let _ = child.wait();
            let (code, named, report) = backend.verify();
            assert_eq!(code, Some(0), "{name}, cut at {delay_ms} ms: {report}");
            assert!(named.is_empty(), "{name}: {named:?}");
        }

        // The next add clears what was left and writes version 2 whole, once.
        let out = backend.koho(&["archive", "add", "--quiet"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(backend.listed(), [1, 2], "{name}");
        let (code, named, report) = backend.verify();
        assert_eq!((code, named), (Some(0), vec![]), "{name}: {report}");
        assert_eq!(report["leftovers"], serde_json::json!([]), "{name}");
        // Sealed: its tag manifest, written last, is there.
        assert!(
            !backend.read(2, "tagmanifest-sha256.txt").is_empty(),
            "{name}"
        );
    }
}

#[test]
fn a_shared_archive_that_does_not_answer_is_a_clear_error_at_once() {
    let project = common::scratch_project();
    let run = |archive: &str| {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_koho"))
            .args(["archive", "list"])
            .current_dir(project.path())
            .env("LANG", "ja_JP.UTF-8")
            .env("KOHO_ARCHIVE", archive)
            .env_remove("KOHO_CATALOG")
            // The discard port: nothing listens there, on loopback the refusal is at once.
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env("AWS_REGION", "garage")
            .env("AWS_ACCESS_KEY_ID", "GK0000")
            .env("AWS_SECRET_ACCESS_KEY", "0000000000000000")
            .output()
            .unwrap();
        (out, started.elapsed())
    };
    let (out, took) = run("s3://koho/archive postgres://koho@127.0.0.1:9/koho");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let told = stderr(&out);
    assert!(told.contains("s3://koho/archive"), "{told}");
    assert!(
        told.contains("AWS_ENDPOINT_URL"),
        "the hint says what to check: {told}"
    );
    // Not a hang: far inside the connection timeout's bound (printed, not a speed test).
    eprintln!("a store that is down was told in {took:?}");

    // Half a pair is refused before anything is reached.
    let (out, _) = run("s3://koho/archive");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("postgres://"), "{}", stderr(&out));
}
