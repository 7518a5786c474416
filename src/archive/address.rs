//! Where the archive is, as an editor or an administrator says it: the project's own folder
//! (the default), another folder, or a shared archive — packages in S3-compatible object
//! storage with the catalogue in PostgreSQL (DESIGN §12).
//!
//! The options `--archive` and `--catalog` come first; then the environment: `KOHO_ARCHIVE`
//! (a folder, an `s3://` address, or the `s3://` address and the `postgres://` one together,
//! separated by a space — one setting for everything) and `KOHO_CATALOG`.

use std::path::PathBuf;

use super::catalog::postgres::without_password;
use super::error::{ArchiveError, SettingProblem};
use super::store::s3::S3Address;

/// The environment variable that names the archive.
pub const ARCHIVE_VAR: &str = "KOHO_ARCHIVE";
/// The environment variable that names a shared archive's catalogue.
pub const CATALOG_VAR: &str = "KOHO_CATALOG";

/// Where the archive is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// The project's `archive/` folder.
    Project,
    /// Another folder (relative to the working folder when not absolute).
    Folder(PathBuf),
    /// A shared archive: packages in a bucket, the catalogue in a PostgreSQL database.
    Shared {
        /// The bucket and prefix of the packages.
        store: S3Address,
        /// The catalogue's `postgres://` address.
        catalog: String,
    },
}

/// A setting as it was given, with the name it was given under.
struct Given {
    name: &'static str,
    value: String,
}

fn is_catalog_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

fn problem(given: &Given, kind: SettingProblem, reason: &str) -> ArchiveError {
    ArchiveError::Setting {
        setting: given.name.to_owned(),
        value: without_password(&given.value),
        reason: reason.to_owned(),
        kind,
    }
}

/// Where the archive is, from the options (`archive`, `catalog`) and then the environment
/// (`env` reads a variable).
pub fn resolve(
    archive: Option<&str>,
    catalog: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Address, ArchiveError> {
    let env = |name: &'static str| {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(|value| Given { name, value })
    };
    let (archive, mut catalog) = match archive {
        Some(value) => (
            Some(Given {
                name: "--archive",
                value: value.to_owned(),
            }),
            catalog.map(|value| Given {
                name: "--catalog",
                value: value.to_owned(),
            }),
        ),
        None => (
            env(ARCHIVE_VAR),
            catalog
                .map(|value| Given {
                    name: "--catalog",
                    value: value.to_owned(),
                })
                .or_else(|| env(CATALOG_VAR)),
        ),
    };
    let Some(archive) = archive else {
        return match catalog {
            Some(catalog) => Err(problem(
                &catalog,
                SettingProblem::MixedPair,
                "a catalogue was named without the object storage of its packages (--archive s3://…)",
            )),
            None => Ok(Address::Project),
        };
    };
    // One setting for both: "s3://bucket/prefix postgres://…".
    let mut parts = archive.value.split_whitespace();
    let first = parts.next().unwrap_or_default().to_owned();
    if let Some(second) = parts.next() {
        if !is_catalog_url(second) || parts.next().is_some() {
            return Err(problem(
                &archive,
                SettingProblem::NotAnAddress,
                "expected s3://bucket/prefix and postgres://… separated by a space",
            ));
        }
        catalog.get_or_insert(Given {
            name: archive.name,
            value: second.to_owned(),
        });
    }
    if first.starts_with("s3://") {
        let store = S3Address::parse(&first).ok_or_else(|| {
            problem(
                &archive,
                SettingProblem::NotAnAddress,
                "not an s3://bucket/prefix address (bucket names are 3–63 lowercase letters, digits, - and .)",
            )
        })?;
        let Some(catalog) = catalog else {
            return Err(problem(
                &archive,
                SettingProblem::MixedPair,
                "packages in object storage need the shared catalogue: add --catalog postgres://…",
            ));
        };
        if !is_catalog_url(&catalog.value) {
            return Err(problem(
                &catalog,
                SettingProblem::NotAnAddress,
                "the shared catalogue is a postgres:// address",
            ));
        }
        return Ok(Address::Shared {
            store,
            catalog: catalog.value,
        });
    }
    if first.contains("://") {
        return Err(problem(
            &archive,
            SettingProblem::NotAnAddress,
            "koho reads s3:// addresses and folders",
        ));
    }
    if let Some(catalog) = catalog {
        return Err(problem(
            &catalog,
            SettingProblem::MixedPair,
            "a folder archive keeps its own catalogue (catalog.sqlite): name no --catalog with it",
        ));
    }
    Ok(Address::Folder(PathBuf::from(first)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn nothing_said_is_the_projects_folder() {
        assert_eq!(resolve(None, None, no_env).unwrap(), Address::Project);
        assert_eq!(
            resolve(Some("../shared-archive"), None, no_env).unwrap(),
            Address::Folder("../shared-archive".into())
        );
    }

    #[test]
    fn a_shared_archive_is_a_bucket_and_a_database_from_options_or_one_setting() {
        let want = Address::Shared {
            store: S3Address::parse("s3://koho/archive").unwrap(),
            catalog: "postgres://koho@127.0.0.1:5432/koho".into(),
        };
        assert_eq!(
            resolve(
                Some("s3://koho/archive"),
                Some("postgres://koho@127.0.0.1:5432/koho"),
                no_env
            )
            .unwrap(),
            want
        );
        let one = |name: &str| {
            (name == ARCHIVE_VAR)
                .then(|| "s3://koho/archive postgres://koho@127.0.0.1:5432/koho".to_owned())
        };
        assert_eq!(resolve(None, None, one).unwrap(), want);
        let two = |name: &str| match name {
            ARCHIVE_VAR => Some("s3://koho/archive".to_owned()),
            CATALOG_VAR => Some("postgres://koho@127.0.0.1:5432/koho".to_owned()),
            _ => None,
        };
        assert_eq!(resolve(None, None, two).unwrap(), want);
        // An option names a folder: the environment's shared archive is not used.
        assert_eq!(
            resolve(Some("archive"), None, two).unwrap(),
            Address::Folder("archive".into())
        );
    }

    #[test]
    fn half_a_pair_or_a_strange_address_is_refused_with_the_setting_named() {
        let told = |archive, catalog| {
            let error = resolve(archive, catalog, no_env).unwrap_err();
            assert!(error.is_usage());
            error.message(crate::diag::Lang::Ja)
        };
        assert!(told(Some("s3://koho/archive"), None).starts_with("--archive = s3://koho"));
        assert!(told(None, Some("postgres://koho:pw@db/koho")).contains("koho:***@db"));
        assert!(told(Some("archive"), Some("postgres://db/koho")).contains("組で"));
        assert!(told(Some("ftp://host/x"), None).contains("読めません"));
        assert!(told(Some("s3://Bad_Name/x"), Some("postgres://db/k")).contains("読めません"));
    }
}
