//! koho: print layouts for Japanese municipal PR magazines, from structured content.
//!
//! The pipeline (see ARCHITECTURE.md): [`content`] reads an issue folder into the content
//! model and reports every problem with its file, line and field; [`layout`] holds what
//! `layouts/` declares; [`diag`] turns problems into the report an editor reads.
//! [`check()`] runs everything that can be checked before typesetting.

pub mod ad_placement;
pub mod archive;
pub mod area;
pub mod book;
pub mod build;
pub mod cache;
pub mod calendar;
pub mod check;
pub mod clock;
pub mod content;
pub mod diag;
pub mod error;
pub mod fit;
pub mod hash;
pub mod image_file;
pub mod import;
pub mod layout;
pub mod layout_proofread;
pub mod new_issue;
pub mod output;
pub mod parallel;
pub mod preview;
pub mod previous;
pub mod print;
pub mod project;
pub mod proof;
pub mod proofread;
pub mod render;
pub mod report;
pub mod schema;
pub mod watch;
pub mod web;

pub use build::{BuildOptions, BuildReport, Phase, build};
pub use check::{CheckReport, check};
pub use error::KohoError;
pub use project::Project;
