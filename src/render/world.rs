//! The typst world koho compiles in: it owns all I/O of typesetting.
//!
//! It serves the generated files (`/main.typ`, `/data/*.json`, `/photos/*`) from memory and
//! the templates from the project's `layouts/`; any other path — `/content/…`, `/etc/passwd`
//! through `..` — is refused. Fonts come only from `fonts/`; `today()` is the issue date, so the
//! same input always gives the same document.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore, FsRoot};

use super::fonts::Fonts;

/// The folder of the project the templates may be read from.
pub const TEMPLATE_DIR: &str = "layouts";
/// The generated main file.
pub const MAIN_FILE: &str = "/main.typ";

/// Files made in memory for one compilation, by virtual path (`/data/issue.json`).
#[derive(Clone, Debug, Default)]
pub struct VirtualFiles {
    files: HashMap<String, Bytes>,
}

impl VirtualFiles {
    /// Adds a file at `path` (absolute in the virtual root, e.g. `/data/p4.json`).
    pub fn insert(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.to_owned(), Bytes::new(bytes.into()));
    }

    /// Adds a file at `path` as typst's `Bytes`, shared (with its hash) with whoever holds it.
    pub fn insert_bytes(&mut self, path: &str, bytes: Bytes) {
        self.files.insert(path.to_owned(), bytes);
    }

    /// The files, by path, as typst's `Bytes`.
    pub fn iter_bytes(&self) -> impl Iterator<Item = (&str, &Bytes)> {
        self.files.iter().map(|(p, b)| (p.as_str(), b))
    }

    /// The files, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }
}

/// Loads what the world may read.
struct Loader {
    virtual_files: VirtualFiles,
    project: FsRoot,
}

impl FileLoader for Loader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if id.root() != &VirtualRoot::Project {
            // No packages: a template that imports one is refused, never downloaded.
            return Err(FileError::AccessDenied);
        }
        let path = id.vpath().get_with_slash();
        if let Some(bytes) = self.virtual_files.files.get(path) {
            return Ok(bytes.clone());
        }
        let in_templates = id
            .vpath()
            .get_without_slash()
            .split('/')
            .next()
            .is_some_and(|first| first == TEMPLATE_DIR);
        if !in_templates {
            return Err(FileError::AccessDenied);
        }
        // A symbolic link under layouts/ must not lead out of it either.
        let real = self.project.resolve(id.vpath())?;
        let templates = self.project.path().join(TEMPLATE_DIR);
        if let (Ok(real), Ok(templates)) = (real.canonicalize(), templates.canonicalize())
            && !real.starts_with(templates)
        {
            return Err(FileError::AccessDenied);
        }
        self.project.load(id.vpath())
    }
}

/// One compilation's world.
pub struct KohoWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    files: FileStore<Loader>,
    main: FileId,
    today: Datetime,
}

impl KohoWorld {
    /// A world over `project_root`'s templates, the generated `files` (which must hold
    /// `/main.typ`), the project's `fonts` and a fixed date.
    pub fn new(
        project_root: PathBuf,
        files: VirtualFiles,
        fonts: Arc<Fonts>,
        today: Datetime,
    ) -> Self {
        Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            files: FileStore::new(Loader {
                virtual_files: files,
                project: FsRoot::new(project_root),
            }),
            main: file_id(MAIN_FILE),
            today,
        }
    }

    /// The id of a path in the project root.
    pub fn id(path: &str) -> FileId {
        file_id(path)
    }
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("koho's own virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for KohoWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store().book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store().font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world_with(root: &std::path::Path) -> KohoWorld {
        let mut files = VirtualFiles::default();
        files.insert(MAIN_FILE, "hello");
        files.insert("/data/page.json", "{}");
        let fonts = Arc::new(Fonts::load(&root.join("fonts")).unwrap());
        KohoWorld::new(
            root.to_path_buf(),
            files,
            fonts,
            Datetime::from_ymd(2026, 6, 1).unwrap(),
        )
    }

    #[test]
    fn serves_only_generated_files_and_templates() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let world = world_with(root);
        assert!(world.file(KohoWorld::id("/data/page.json")).is_ok());
        assert!(world.file(KohoWorld::id("/layouts/magazine.yaml")).is_ok());
        for refused in [
            "/content/2026-06/issue.yaml",
            "/Cargo.toml",
            "/fonts/OFL.txt",
        ] {
            assert_eq!(
                world.file(KohoWorld::id(refused)),
                Err(FileError::AccessDenied),
                "{refused}"
            );
        }
        assert!(
            VirtualPath::new("/layouts/../../etc/passwd").is_err() || {
                let id = KohoWorld::id("/layouts/../../etc/passwd");
                world.file(id).is_err()
            }
        );
    }
}
