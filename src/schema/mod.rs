//! Page kinds as data (DESIGN §8): what a `layouts/<kind>/schema.yaml` declares — the fields
//! of a page file of that kind, their types and bounds, how lists are numbered, the rules that
//! tie figures together, and the words editors read.
//!
//! Everything koho knows of a page's shape comes from here: the loader reads page files
//! against a [`Kind`], the page data, the glyph check, proofs, the archive and the editor words
//! all walk the same [`Field`]s. The value types ([`FieldType`]) and rules ([`Rule`]) are a
//! closed set: a schema combines them, it cannot invent new ones.

pub mod json_schema;
pub(crate) mod load;
pub mod numbering;
mod words;

pub use load::{SCHEMA_FILE, load_kind};
pub use numbering::Numbering;
pub use words::Words;

use crate::diag::{FieldPath, Lang, Segment};
use crate::layout::FrameSize;

/// One kind of page: a folder `layouts/<name>/` with its schema and template.
#[derive(Clone, Debug, PartialEq)]
pub struct Kind {
    /// The kind's name, its folder's name (`pledge-progress`), written `layout:` in a page file.
    pub name: String,
    /// The kind in words (市長公約の取組状況 / pledge progress).
    pub words: Words,
    /// How many pages one page file of this kind fills.
    pub pages: PageSpan,
    /// The field holding the page's title (for proofs, the archive and the contents), if any.
    pub title_field: Option<String>,
    /// The field holding the page's section (特集, 市政トピックス) for the contents, if any.
    pub section_field: Option<String>,
    /// The page file's fields, in the order the schema lists them.
    pub fields: Fields,
    /// The rules between fields.
    pub rules: Vec<Rule>,
}

/// How many pages one page file fills: exactly one, or a range (a flowing file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSpan {
    /// The fewest pages.
    pub min: u32,
    /// The most pages.
    pub max: u32,
}

/// The named fields of an object (or of a page file), in schema order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields(pub Vec<(String, Field)>);

impl Fields {
    /// The field named `key`.
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, f)| f)
    }

    /// The fields' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(|(k, _)| k.clone()).collect()
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Field)> {
        self.0.iter().map(|(k, f)| (k, f))
    }

    /// The name of the first field marked `monthly`, here or in an object field inside.
    pub fn first_monthly(&self) -> Option<String> {
        self.iter().find_map(|(name, field)| {
            if field.monthly {
                return Some(name.clone());
            }
            match &field.ty {
                FieldType::Object(inner) => inner.first_monthly(),
                _ => None,
            }
        })
    }
}

/// One field: its type, whether it may be left out, its default, its words.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// What it holds.
    pub ty: FieldType,
    /// May the editor leave it out?
    pub optional: bool,
    /// The value used when it is left out.
    pub default: Option<Default>,
    /// The field in the editors' words.
    pub words: Words,
    /// Does it change every month (`monthly: true`)? `koho new` marks it for the editor
    /// to fill instead of copying last month's value.
    pub monthly: bool,
}

/// A default value, for the scalar types that take one.
#[derive(Clone, Debug, PartialEq)]
pub enum Default {
    /// For text and choice fields.
    Text(String),
    /// For integer and percent fields.
    Integer(i64),
}

/// The closed set of value types (DESIGN §8), each with its own checks.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// One line of plain text, at most `max_chars` characters when given.
    Text {
        /// The most characters.
        max_chars: Option<usize>,
    },
    /// Plain text in paragraphs (a blank line starts a new one).
    Paragraphs {
        /// The most characters in all.
        max_chars: Option<usize>,
    },
    /// A whole number within bounds, printed with its unit.
    Integer {
        /// The least.
        min: Option<i64>,
        /// The most.
        max: Option<i64>,
        /// Printed after the number (人, 世帯, 円).
        unit: Option<String>,
    },
    /// A whole number from 0 to 100, printed with `%`.
    Percent,
    /// A real calendar date, `YYYY-MM-DD`; printed with its weekday and 令和 year.
    Date,
    /// A time of day, `HH:MM`.
    Time,
    /// When an event happens: one or more days, each with an optional time or time span
    /// (`2026-08-02 9:30-12:00`, `2026-08-01〜2026-08-03`), printed with their weekdays.
    Schedule,
    /// A phone number as printed: digits, hyphens, brackets, and `#` for short numbers.
    Phone,
    /// A web address (`https://…`).
    Url,
    /// A web address printed both as text and as a QR code (K100 modules the template draws).
    Qr,
    /// An e-mail address.
    Email,
    /// Another page of the same issue, named by its file (`p05-feature.yaml`): the template
    /// gets its folios, section and title (a cover's headline, say).
    Page,
    /// One of a fixed set of words.
    Choice {
        /// The words.
        of: Vec<String>,
    },
    /// A photo inside the issue folder: its file, alt text and caption; it fills `frame`.
    Photo {
        /// The frame it fills on the page (the 300 ppi check measures against it).
        frame: FrameSize,
    },
    /// An advertiser's PDF, placed as delivered in one of the magazine's ad slots
    /// (`ads: slots:` in `layouts/magazine.yaml`): its slot, its file and the advertiser.
    Ad {
        /// The slots it may fill, by their names in `magazine.yaml`.
        slots: Vec<String>,
    },
    /// A list of entries.
    List(Box<ListType>),
    /// A group of named fields.
    Object(Fields),
}

/// What a list holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ListType {
    /// The fewest entries.
    pub min: usize,
    /// The most entries.
    pub max: usize,
    /// How the page numbers its entries (`{n:02}` → 01, 02…).
    pub numbering: Numbering,
    /// How editors name one entry (ビジョン03), when not the list's words and the number.
    pub entry_words: Option<EntryWords>,
    /// The type of every entry.
    pub entry: FieldType,
}

/// How editors name one entry of a list: a pattern per language, `{n}` and the like as in
/// [`Numbering`].
#[derive(Clone, Debug, PartialEq)]
pub struct EntryWords {
    /// In Japanese (ビジョン{n:02}).
    pub ja: Numbering,
    /// In English (Vision {n:02}).
    pub en: Numbering,
}

/// The closed set of rules between fields.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// In each entry of a list, a figure is the mean of the figures of a list inside it
    /// (a vision's progress from its items'), rounded as a choice field says.
    Mean {
        /// The list whose entries carry the derived figure (`visions`).
        list: Vec<String>,
        /// The inner list, inside each entry (`items`).
        inner: Vec<String>,
        /// The figure averaged, in each inner entry (`percent`).
        of: String,
        /// The figure derived, in each entry (`percent`).
        into: String,
        /// The top-level choice field naming the rounding (`rollup`: floor, round, none).
        mode: String,
    },
    /// In an object (or each entry of a list), integers add up to another (男 + 女 = 人口):
    /// computed when the total is left out, checked when it is written.
    Sum {
        /// The path of the object, by keys (`population`; empty for the page itself).
        scope: Vec<String>,
        /// The integers added, in that object.
        of: Vec<String>,
        /// Their total, in that object.
        into: String,
    },
    /// In each entry of a list, a date falls on a Sunday, a holiday or 年末年始 (12/29–1/3),
    /// unless a text field of the entry says why not (休日当番医).
    Holiday {
        /// The list (`days`).
        list: Vec<String>,
        /// The date field of each entry (`date`).
        date: String,
        /// The optional text field that explains a working day (`reason`).
        unless: String,
    },
    /// A figure's change since the previous issue (前月比): `into` is `of` minus the same
    /// figure on the same kind's page of the previous issue — computed when left out, checked
    /// when written. Read across issues (`crate::previous`), not page by page.
    Previous {
        /// The path of the object holding the figures, by keys through objects only (a list's
        /// entries have no fixed counterpart in another issue); empty for the page itself.
        scope: Vec<String>,
        /// The figure compared (`total`), in that object.
        of: String,
        /// Its change (`total_change`), in that object.
        into: String,
        /// A date in that object (`as_of`, 基準日): the previous figures count only when dated
        /// one month before it.
        dated: Option<String>,
    },
}

/// The type names a schema may write, in the order the documentation lists them.
pub const TYPE_NAMES: &[&str] = &[
    "page",
    "text",
    "paragraphs",
    "integer",
    "percent",
    "date",
    "time",
    "schedule",
    "phone",
    "url",
    "qr",
    "email",
    "choice",
    "photo",
    "ad",
    "list",
    "object",
];

impl FieldType {
    /// The type's name as a schema writes it.
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text { .. } => "text",
            FieldType::Paragraphs { .. } => "paragraphs",
            FieldType::Integer { .. } => "integer",
            FieldType::Percent => "percent",
            FieldType::Date => "date",
            FieldType::Time => "time",
            FieldType::Schedule => "schedule",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Qr => "qr",
            FieldType::Email => "email",
            FieldType::Page => "page",
            FieldType::Choice { .. } => "choice",
            FieldType::Photo { .. } => "photo",
            FieldType::Ad { .. } => "ad",
            FieldType::List(_) => "list",
            FieldType::Object(_) => "object",
        }
    }

    /// True for the types whose value is printed text that a font must cover.
    pub fn is_printed_text(&self) -> bool {
        matches!(
            self,
            FieldType::Text { .. }
                | FieldType::Paragraphs { .. }
                | FieldType::Phone
                | FieldType::Url
                | FieldType::Qr
                | FieldType::Email
        )
    }

    /// True for a figure (integer or percent).
    pub fn is_figure(&self) -> bool {
        matches!(self, FieldType::Integer { .. } | FieldType::Percent)
    }
}

/// The words of the fields a photo value holds (the photo type's own, the same in every kind).
pub const PHOTO_KEYS: &[&str] = &["file", "alt", "caption"];

/// The fields an ad value holds (the ad type's own, the same in every kind).
pub const AD_KEYS: &[&str] = &["slot", "file", "advertiser"];

impl Kind {
    /// The schema's field at `path` (list positions skipped), if the path names one.
    pub fn field_at(&self, path: &FieldPath) -> Option<&Field> {
        let mut fields = &self.fields;
        let mut found: Option<&Field> = None;
        for segment in path.segments() {
            match segment {
                Segment::Key(key) => {
                    let field = fields.get(key)?;
                    found = Some(field);
                    if let Some(inner) = object_fields(&field.ty) {
                        fields = inner;
                    }
                }
                Segment::Number(_) => {}
            }
        }
        found
    }

    /// The type of the value at `path`: for a list position, the list's entry type.
    pub fn type_at(&self, path: &FieldPath) -> Option<&FieldType> {
        let mut ty: Option<&FieldType> = None;
        let mut fields = &self.fields;
        for segment in path.segments() {
            match segment {
                Segment::Key(key) => {
                    let field = fields.get(key)?;
                    ty = Some(&field.ty);
                }
                Segment::Number(_) => match ty? {
                    FieldType::List(list) => ty = Some(&list.entry),
                    _ => return None,
                },
            }
            if let Some(FieldType::Object(inner)) = ty {
                fields = inner;
            } else if let Some(FieldType::List(list)) = ty
                && let FieldType::Object(inner) = &list.entry
            {
                fields = inner;
            }
        }
        ty
    }

    /// A field path in the editors' words (ビジョン03 › 項目2 › 進捗), from this schema.
    pub fn path_words(&self, path: &FieldPath, lang: Lang) -> String {
        words::path_words(self, path, lang)
    }

    /// A field path in the editors' words in both languages; `None` for the whole page.
    pub fn field_words(&self, path: &FieldPath) -> Option<Words> {
        (!path.is_root()).then(|| {
            Words::new(
                self.path_words(path, Lang::Ja),
                self.path_words(path, Lang::En),
            )
        })
    }
}

/// The fields inside an object, or inside each entry of a list of objects.
pub fn object_fields(ty: &FieldType) -> Option<&Fields> {
    match ty {
        FieldType::Object(fields) => Some(fields),
        FieldType::List(list) => match &list.entry {
            FieldType::Object(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}
