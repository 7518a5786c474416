//! The shared store: S3-compatible object storage (Garage, MinIO, AWS S3, Sakura's or
//! IIJ's object storage), many machines writing one archive (DESIGN §12).
//!
//! A package is the objects under `<prefix>/<shelf>/<issue>/v<N>/`, in the same BagIt layout
//! as a folder package. Its tag manifest is written last: a version prefix without one is an
//! add cut off (a [`Leftover`]), never a package. Object storage cannot refuse a second writer
//! on its own (Garage has no conditional put), so which add may write a version is settled by
//! the catalogue's claim first ([`crate::archive::catalog::Catalog::claim`]); the store then
//! refuses a place where anything is already.
//!
//! Requests are signed by `rusty-s3` (sans I/O) and sent by `ureq` with timeouts: a server
//! that is down is a clear error within seconds, never a hang.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

use super::{Leftover, PackageId, Put, Store, StoredFile, shelf_of};
use crate::archive::bag;
use crate::archive::error::{ArchiveError, SettingProblem};

/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_secs(15 * 60);
/// How long to wait for the server to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one request may take, a print PDF's upload included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// The object that says an archive is here, at the prefix's root.
pub const MARKER: &str = "koho-archive.txt";
/// What the marker says, for whoever lists the bucket.
const MARKER_TEXT: &str = "koho archive: BagIt packages, <shelf>/<issue>/v<N>/, each written once; \
the catalogue is derived (koho archive reindex rebuilds it).\n";

/// Where the store reaches its server and with which key, read from the environment AWS tools
/// use.
#[derive(Clone, Debug, Default)]
pub struct Endpoint {
    /// The server (`AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`); AWS's own when unset.
    pub url: Option<String>,
    /// The region (`AWS_REGION` or `AWS_DEFAULT_REGION`), `us-east-1` when unset.
    pub region: Option<String>,
    /// The access key id and secret (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
    pub credentials: Option<(String, String)>,
}

impl Endpoint {
    /// The endpoint the environment names.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Endpoint {
            url: var("AWS_ENDPOINT_URL_S3").or_else(|| var("AWS_ENDPOINT_URL")),
            region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
            credentials: var("AWS_ACCESS_KEY_ID").zip(var("AWS_SECRET_ACCESS_KEY")),
        }
    }
}

/// An `s3://bucket/prefix` address, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Address {
    /// The bucket.
    pub bucket: String,
    /// The prefix inside it, without slashes at either end (empty for the bucket's root).
    pub prefix: String,
}

impl S3Address {
    /// Reads `s3://bucket/prefix`; `None` when `text` is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        valid_bucket.then(|| S3Address {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
        })
    }
}

/// A store in a bucket of S3-compatible object storage.
pub struct S3Store {
    bucket: Bucket,
    credentials: Credentials,
    address: S3Address,
    agent: ureq::Agent,
}

/// What a listing under the prefix found, sorted into packages, leftovers and strays.
#[derive(Default)]
struct Sorted {
    /// Sealed packages (their tag manifest is there).
    packages: Vec<PackageId>,
    /// Version prefixes without a tag manifest, by key.
    unsealed: Vec<(String, PackageId)>,
    /// Objects that belong to no package.
    strays: Vec<String>,
}

impl S3Store {
    /// The store at `address`, reached through `endpoint`.
    pub fn new(address: S3Address, endpoint: &Endpoint) -> Result<Self, ArchiveError> {
        let shown = format!("s3://{}/{}", address.bucket, address.prefix);
        let setting = |kind: SettingProblem, reason: String| ArchiveError::Setting {
            setting: "--archive".to_owned(),
            value: shown.clone(),
            reason,
            kind,
        };
        let region = endpoint
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".to_owned());
        let (url, style) = match &endpoint.url {
            Some(url) => (url.clone(), UrlStyle::Path),
            None => (
                format!("https://s3.{region}.amazonaws.com"),
                UrlStyle::VirtualHost,
            ),
        };
        let url = url::Url::parse(&url).map_err(|e| {
            setting(
                SettingProblem::NotAnAddress,
                format!("AWS_ENDPOINT_URL {url}: {e}"),
            )
        })?;
        let bucket = Bucket::new(url, style, address.bucket.clone(), region)
            .map_err(|e| setting(SettingProblem::NotAnAddress, e.to_string()))?;
        let Some((key, secret)) = endpoint.credentials.clone() else {
            return Err(setting(
                SettingProblem::NoCredentials,
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set".to_owned(),
            ));
        };
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(S3Store {
            bucket,
            credentials: Credentials::new(key, secret),
            address,
            agent,
        })
    }

    /// The bucket and prefix.
    pub fn address(&self) -> &S3Address {
        &self.address
    }

    /// The object key of `tail` below the prefix.
    fn key(&self, tail: &str) -> String {
        if self.address.prefix.is_empty() {
            tail.to_owned()
        } else {
            format!("{}/{tail}", self.address.prefix)
        }
    }

    /// The key of a file of a package.
    fn file_key(&self, id: &PackageId, path: &str) -> String {
        self.key(&format!("{}/{path}", id.key()))
    }

    fn shown_key(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.address.bucket)
    }

    fn error(&self, key: &str) -> impl Fn(String) -> ArchiveError + '_ {
        let at = self.shown_key(key);
        move |reason| ArchiveError::ObjectStore {
            at: at.clone(),
            reason,
        }
    }

    /// What the server answered a request about `key`: the response when it succeeded,
    /// `None` when its status is one of `fine` (an object not there, a bucket there already),
    /// an error naming the place otherwise.
    fn answer(
        &self,
        key: &str,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        fine: &[u16],
    ) -> Result<Option<ureq::http::Response<ureq::Body>>, ArchiveError> {
        let fail = self.error(key);
        let response = sent.map_err(|e| fail(e.to_string()))?;
        match response.status().as_u16() {
            200..=299 => Ok(Some(response)),
            status if fine.contains(&status) => Ok(None),
            status => Err(fail(refusal(status, response))),
        }
    }

    /// Makes the bucket (when the key may); a bucket that is there already is fine.
    pub fn create_bucket(&self) -> Result<(), ArchiveError> {
        let action = self.bucket.create_bucket(&self.credentials);
        let url = action.sign(SIGNED_FOR);
        let sent = self.agent.put(url.as_str()).send(action.body());
        self.answer("", sent, &[409]).map(drop)
    }

    /// The object at `key` as it streams in, `None` when there is none.
    fn fetch(&self, key: &str) -> Result<Option<ureq::BodyReader<'static>>, ArchiveError> {
        let url = self
            .bucket
            .get_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let sent = self.agent.get(url.as_str()).call();
        Ok(self
            .answer(key, sent, &[404])?
            .map(|response| response.into_body().into_reader()))
    }

    /// The bytes of the object at `key`, `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, ArchiveError> {
        let Some(mut reader) = self.fetch(key)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| self.error(key)(e.to_string()))?;
        Ok(Some(bytes))
    }

    /// Writes `bytes` at `key`.
    fn put_object(&self, key: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        let url = self
            .bucket
            .put_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let sent = self.agent.put(url.as_str()).send(bytes);
        self.answer(key, sent, &[]).map(drop)
    }

    /// Removes the object at `key` (one that is not there is removed already).
    fn delete(&self, key: &str) -> Result<(), ArchiveError> {
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let sent = self.agent.delete(url.as_str()).call();
        self.answer(key, sent, &[404]).map(drop)
    }

    /// Every object below `prefix` (a key ending in `/`, or empty), with its size, in key
    /// order; at most `limit` when given.
    fn list(&self, prefix: &str, limit: Option<usize>) -> Result<Vec<(String, u64)>, ArchiveError> {
        let fail = self.error(prefix);
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
            if !prefix.is_empty() {
                action.with_prefix(prefix);
            }
            if let Some(limit) = limit {
                action.with_max_keys(limit);
            }
            if let Some(token) = &token {
                action.with_continuation_token(token.as_str());
            }
            let url = action.sign(SIGNED_FOR);
            let sent = self.agent.get(url.as_str()).call();
            let Some(response) = self.answer(prefix, sent, &[])? else {
                unreachable!("no status but success is answered");
            };
            let text = response
                .into_body()
                .read_to_string()
                .map_err(|e| fail(e.to_string()))?;
            let page = rusty_s3::actions::ListObjectsV2::parse_response(&text)
                .map_err(|e| fail(format!("unreadable listing: {e}")))?;
            found.extend(
                page.contents
                    .into_iter()
                    .map(|c| (c.key, c.size.unwrap_or(0))),
            );
            if limit.is_some_and(|l| found.len() >= l) {
                break;
            }
            match page.next_continuation_token {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        Ok(found)
    }

    /// The listing prefix of everything below the store's prefix (`shelf`/`issue` narrow it).
    fn below(&self, parts: &[&str]) -> String {
        let mut tail = parts.join("/");
        if !tail.is_empty() {
            tail.push('/');
        }
        if self.address.prefix.is_empty() {
            tail
        } else {
            format!("{}/{tail}", self.address.prefix)
        }
    }

    /// Lists below `parts` and sorts what is there.
    fn sorted(&self, parts: &[&str]) -> Result<Sorted, ArchiveError> {
        let root = self.below(&[]);
        let mut versions: BTreeMap<PackageId, bool> = BTreeMap::new();
        let mut sorted = Sorted::default();
        for (key, _) in self.list(&self.below(parts), None)? {
            let tail = key.strip_prefix(&root).unwrap_or(&key);
            if tail == MARKER {
                continue;
            }
            match package_of(tail) {
                Some((id, path)) => {
                    let sealed = versions.entry(id).or_insert(false);
                    *sealed |= path == bag::TAG_MANIFEST;
                }
                None => sorted.strays.push(self.shown_key(&key)),
            }
        }
        for (id, sealed) in versions {
            if sealed {
                sorted.packages.push(id);
            } else {
                sorted
                    .unsealed
                    .push((self.key(&format!("{}/", id.key())), id));
            }
        }
        Ok(sorted)
    }

    /// The shelf and issue narrowing a leftover or stray search: an issue named alone is
    /// looked for on every shelf.
    fn sorted_for(&self, issue: Option<&str>) -> Result<Sorted, ArchiveError> {
        let mut sorted = self.sorted(&[])?;
        if let Some(issue) = issue {
            sorted.packages.retain(|p| p.issue == issue);
            sorted.unsealed.retain(|(_, p)| p.issue == issue);
            sorted.strays.retain(|s| s.contains(&format!("/{issue}/")));
        }
        Ok(sorted)
    }
}

/// Reads `<shelf>/<issue>/v<N>/<path>` into the package and the path inside it.
fn package_of(tail: &str) -> Option<(PackageId, &str)> {
    let mut parts = tail.splitn(4, '/');
    let shelf = parts.next()?;
    let issue = parts.next()?;
    let version = super::folder::version_of(parts.next()?)?;
    let path = parts.next()?;
    if shelf.is_empty() || issue.is_empty() || path.is_empty() {
        return None;
    }
    Some((PackageId::new(shelf, issue, version), path))
}

/// What a server said when it refused: its status and the code in its XML error.
fn refusal(status: u16, response: ureq::http::Response<ureq::Body>) -> String {
    let text = response
        .into_body()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .unwrap_or_default();
    let code = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.to_owned());
    match code {
        Some(code) => format!("HTTP {status} {code}"),
        None => format!("HTTP {status}"),
    }
}

impl Store for S3Store {
    fn location(&self) -> String {
        format!("s3://{}/{}", self.address.bucket, self.address.prefix)
    }

    fn exists(&self) -> Result<bool, ArchiveError> {
        Ok(self.get(&self.key(MARKER))?.is_some())
    }

    fn prepare(&self) -> Result<(), ArchiveError> {
        if !self.exists()? {
            self.put_object(&self.key(MARKER), MARKER_TEXT.as_bytes())?;
        }
        Ok(())
    }

    fn shelf(&self, magazine: &str, municipality_code: Option<&str>) -> String {
        shelf_of(magazine, municipality_code)
    }

    fn packages(&self) -> Result<Vec<PackageId>, ArchiveError> {
        Ok(self.sorted(&[])?.packages)
    }

    fn versions(&self, shelf: &str, issue: &str) -> Result<Vec<PackageId>, ArchiveError> {
        let mut found = self.sorted(&[shelf, issue])?.packages;
        found.sort_by_key(|p| p.version);
        Ok(found)
    }

    fn files(&self, id: &PackageId) -> Result<Vec<StoredFile>, ArchiveError> {
        let prefix = self.key(&format!("{}/", id.key()));
        Ok(self
            .list(&prefix, None)?
            .into_iter()
            .filter_map(|(key, bytes)| {
                let path = key.strip_prefix(&prefix)?.to_owned();
                Some(StoredFile { path, bytes })
            })
            .collect())
    }

    fn read(&self, id: &PackageId, path: &str) -> Result<Option<Vec<u8>>, ArchiveError> {
        if path.split('/').any(|part| part.is_empty() || part == "..") {
            return Ok(None);
        }
        self.get(&self.file_key(id, path))
    }

    fn sha256(&self, id: &PackageId, path: &str) -> Result<Option<String>, ArchiveError> {
        if path.split('/').any(|part| part.is_empty() || part == "..") {
            return Ok(None);
        }
        // Hashed as it streams in: a print PDF is not held in memory whole.
        let key = self.file_key(id, path);
        let Some(reader) = self.fetch(&key)? else {
            return Ok(None);
        };
        crate::hash::sha256_reader(reader)
            .map(|(hex, _)| Some(hex))
            .map_err(|e| self.error(&key)(e.to_string()))
    }

    fn put(&self, id: &PackageId, files: &[(String, Vec<u8>)]) -> Result<Put, ArchiveError> {
        // The catalogue's claim lets one add at a time write this version; anything already
        // here is an earlier package (or an add cut off, which the caller clears first).
        let prefix = self.key(&format!("{}/", id.key()));
        if !self.list(&prefix, Some(1))?.is_empty() {
            return Ok(Put::Taken);
        }
        // The tag manifest last: until it is there, the prefix is not a package.
        let (sealing, rest): (Vec<_>, Vec<_>) = files
            .iter()
            .partition(|(path, _)| path == bag::TAG_MANIFEST);
        for (path, bytes) in rest.into_iter().chain(sealing) {
            self.put_object(&self.file_key(id, path), bytes)?;
        }
        Ok(Put::Written)
    }

    fn leftovers(&self, of: Option<(&str, &str)>) -> Result<Vec<Leftover>, ArchiveError> {
        let sorted = match of {
            Some((shelf, issue)) => self.sorted(&[shelf, issue])?,
            None => self.sorted(&[])?,
        };
        Ok(sorted
            .unsealed
            .into_iter()
            .map(|(key, id)| Leftover {
                issue: id.issue.clone(),
                shown: self.shown_key(&key),
                key,
                package: Some(id),
            })
            .collect())
    }

    fn remove_leftover(&self, leftover: &Leftover) -> Result<(), ArchiveError> {
        for (key, _) in self.list(&leftover.key, None)? {
            self.delete(&key)?;
        }
        Ok(())
    }

    fn strays(&self, issue: Option<&str>) -> Result<Vec<String>, ArchiveError> {
        Ok(self.sorted_for(issue)?.strays)
    }

    fn shown(&self, id: &PackageId) -> String {
        // No slash at the end: reports add `/<path>` for a file in it.
        self.shown_key(&self.key(&id.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_a_bucket_and_a_prefix() {
        assert_eq!(
            S3Address::parse("s3://koho/archive/"),
            Some(S3Address {
                bucket: "koho".into(),
                prefix: "archive".into()
            })
        );
        assert_eq!(S3Address::parse("s3://koho").unwrap().prefix, "");
        assert_eq!(
            S3Address::parse("s3://Koho_Bucket/x"),
            None,
            "not a bucket name"
        );
        assert_eq!(S3Address::parse("archive/"), None);
    }

    #[test]
    fn a_key_is_read_into_its_package() {
        let (id, path) = package_of("012131-広報とまこまい/2026-06/v2/data/print/x.pdf").unwrap();
        assert_eq!(id, PackageId::new("012131-広報とまこまい", "2026-06", 2));
        assert_eq!(path, "data/print/x.pdf");
        assert_eq!(package_of("stray.txt"), None);
        assert_eq!(package_of("shelf/2026-06/notes.txt"), None);
        assert_eq!(package_of("shelf/2026-06/v0/bagit.txt"), None);
    }

    #[test]
    fn a_store_without_a_key_is_told_so() {
        let address = S3Address::parse("s3://koho/archive").unwrap();
        let endpoint = Endpoint {
            url: Some("http://127.0.0.1:9".into()),
            ..Endpoint::default()
        };
        let Err(error) = S3Store::new(address, &endpoint) else {
            panic!("no credentials");
        };
        assert!(
            error
                .message(crate::diag::Lang::Ja)
                .contains("AWS_ACCESS_KEY_ID"),
            "{error}"
        );
    }

    #[test]
    fn a_server_that_is_down_is_a_clear_error_not_a_hang() {
        let address = S3Address::parse("s3://koho/archive").unwrap();
        let endpoint = Endpoint {
            url: Some("http://127.0.0.1:9".into()),
            region: Some("garage".into()),
            credentials: Some(("GK0".into(), "secret".into())),
        };
        let store = S3Store::new(address, &endpoint).unwrap();
        let Err(error) = store.exists() else {
            panic!("nothing listens on the discard port");
        };
        let told = error.message(crate::diag::Lang::Ja);
        assert!(told.contains("s3://koho/archive"), "{told}");
    }
}
