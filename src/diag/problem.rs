//! What can be wrong with an input: one variant per kind of problem, holding the facts the
//! message and the hint are made from. The words themselves live in `messages.rs`.

use super::words::Words;

/// What a value was expected to be, for "wrong type" problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A figure: an integer from 0 to 100.
    Percent,
    /// A positive whole number (folio, issue number).
    PositiveInteger,
    /// A piece of text.
    Text,
    /// A date written `YYYY-MM-DD`.
    Date,
    /// A mapping of `key: value` lines.
    Mapping,
    /// A list of `- ` entries.
    List,
    /// A length with its unit, such as `58mm`.
    Length,
    /// A whole number (of either sign, within the field's bounds).
    Integer,
    /// A page count: `1`, or a range such as `2-4`.
    PageCount,
    /// Folios: a range such as `5-7`.
    FolioRange,
    /// `true` or `false`.
    YesNo,
}

/// Why a figure's change since the previous issue (前月比) could not be worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreviousGap {
    /// No earlier issue of the magazine — in the issue folders beside this one or in the
    /// archive — has a page of this kind with the figure.
    NoEarlierIssue {
        /// The kind, in words (人口と世帯).
        kind: Words,
    },
    /// The latest earlier page of this kind counts its figures on another day than one month
    /// before this page's.
    NotAMonthBefore {
        /// The earlier issue (2026-04).
        issue: String,
        /// Its date (2026-03-01).
        found: String,
        /// One month before this page's (2026-04-01).
        wanted: String,
    },
}

impl PreviousGap {
    /// The gap, in English words.
    pub fn describe(&self) -> String {
        match self {
            PreviousGap::NoEarlierIssue { kind } => format!(
                "no earlier issue of the magazine, in the issue folders beside this one or in the archive, has a {} page with it",
                kind.en
            ),
            PreviousGap::NotAMonthBefore {
                issue,
                found,
                wanted,
            } => format!(
                "the latest earlier issue ({issue}) counts its figures on {found}, not on {wanted}, one month before"
            ),
        }
    }
}

/// What is wrong with a reference inside a schema (a rule's field, the title field, a list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaFault {
    /// The path names no field of the schema.
    NoSuchField,
    /// The page's title must be a top-level text field.
    NotTitleText,
    /// The path must name a list whose entries have fields.
    NotList,
    /// The path must name a percent field.
    NotFigure,
    /// The field a rule reads must not be optional.
    MustBeRequired,
    /// The path must name an integer field.
    NotInteger,
    /// The path must name a date field.
    NotDate,
    /// The path must name an optional text field.
    NotOptionalText,
    /// The fields a sum adds and their total must be fields of one object.
    NotSameObject,
    /// The field a rule fills must be optional (the rule computes it when left out).
    MustBeOptional,
    /// The rounding of a mean must be a top-level choice of floor, round and none.
    NotRollupChoice,
    /// The figures compared with the previous issue must be reached through objects only.
    NotOutsideLists,
    /// A list needs exactly one of `fields:` (entries with fields) or `item:` (plain entries).
    FieldsOrItem,
    /// A lower bound above the upper bound.
    MinOverMax,
    /// The name is reserved for koho's own use, or is not lower-case letters, digits and `_`.
    ReservedName,
    /// A field inside a list's entries is marked `monthly`: the list itself is.
    MonthlyInList,
}

/// Why a figure written as text is not a figure, so the hint can say how to fix it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberTrap {
    /// `55%`: the unit is printed by the layout.
    PercentSign,
    /// `５５`: full-width digits.
    FullWidthDigits,
    /// `"55"`: a number in quotes is text.
    Quoted,
    /// `55.5`: figures are whole numbers.
    Decimal,
    /// Anything else.
    Other,
}

/// The shape of a YAML syntax error, so the hint can be specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxTrap {
    /// A quote opened and never closed.
    UnclosedQuote,
    /// `key:value` without a space after the colon.
    NoSpaceAfterColon,
    /// A `: ` inside an unquoted value.
    ColonInValue,
    /// Indentation that does not line up.
    Indentation,
    /// Anything else the parser refused.
    Other,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Problem {
    // --- files -------------------------------------------------------------------------------
    /// A file the issue names does not exist.
    #[error("file not found: {path}")]
    FileMissing {
        /// The path as written in the content.
        path: String,
    },
    /// A file exists but could not be read.
    #[error("cannot read {path}: {reason}")]
    FileUnreadable {
        /// The path as written in the content.
        path: String,
        /// What the operating system said.
        reason: String,
    },
    /// An absolute path where a path inside the issue folder is required.
    #[error("{path} is an absolute path; files must be inside the issue folder")]
    PathAbsolute {
        /// The path as written.
        path: String,
    },
    /// A relative path that leaves the issue folder (`..`, or a link pointing outside).
    #[error("{path} leads outside the issue folder")]
    PathEscapes {
        /// The path as written.
        path: String,
    },
    /// A file far larger than any content file should be.
    #[error("file is too large ({bytes} bytes, the limit is {limit})")]
    FileTooLarge {
        /// Its size.
        bytes: u64,
        /// The most koho reads.
        limit: u64,
    },
    /// A content file with nothing in it.
    #[error("the file is empty")]
    EmptyFile,
    /// A file saved as UTF-16.
    #[error("the file is saved as UTF-16; koho reads UTF-8")]
    Utf16,
    /// Bytes that are not UTF-8 text.
    #[error("the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotText {
        /// Byte offset of the first bad byte.
        offset: usize,
    },

    // --- YAML syntax -------------------------------------------------------------------------
    /// A tab in the indentation.
    #[error("a tab is used for indentation")]
    TabIndent,
    /// The YAML parser refused the text.
    #[error("YAML syntax error: {detail}")]
    Syntax {
        /// The parser's words.
        detail: String,
        /// The trap it looks like.
        trap: SyntaxTrap,
    },
    /// Nesting, aliases or size over the bounds koho keeps.
    #[error("the file exceeds koho's limits: {detail}")]
    Limits {
        /// Which limit.
        detail: String,
    },

    // --- structure ---------------------------------------------------------------------------
    /// A key the format does not have (often a typo).
    #[error("unknown field `{key}`")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The known key it most resembles.
        suggestion: Option<String>,
        /// Every key allowed here.
        allowed: Vec<String>,
    },
    /// A key written twice in one mapping.
    #[error("`{key}` is written twice (first on line {first_line})")]
    DuplicateKey {
        /// The key.
        key: String,
        /// Where it was first written.
        first_line: u32,
    },
    /// A required field is absent.
    #[error("required field `{key}` is missing")]
    MissingField {
        /// The key that must be written.
        key: String,
    },
    /// A field still holding [`crate::content::TO_FILL`]: `koho new` carried it over from
    /// the previous issue for the editor to write this month's value.
    #[error("this month's value is still to be written")]
    StillToFill,
    /// A text field holding only spaces.
    #[error("the text is empty")]
    EmptyText,
    /// An unquoted value starting with `#`, which YAML reads as a comment.
    #[error("the value starts with `#`, so YAML reads it as a comment and the field is empty")]
    CommentedOut,
    /// A value of the wrong type.
    #[error("expected {}, found `{found}`", .expected.describe())]
    WrongType {
        /// What was expected.
        expected: Expected,
        /// The value as written.
        found: String,
        /// Why a would-be figure is not one.
        trap: NumberTrap,
        /// The value it most likely means, when one can be read (`55` for `５５`).
        meant: Option<i64>,
    },
    /// A number outside its range.
    #[error("{value} is out of range ({})", range_en(*.min, *.max))]
    OutOfRange {
        /// The number written.
        value: i128,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed, if there is a limit worth naming.
        max: Option<i64>,
    },
    /// A word not among the allowed ones.
    #[error("`{found}` is not one of: {}", .allowed.join(", "))]
    NotOneOf {
        /// What was written.
        found: String,
        /// What may be written.
        allowed: Vec<String>,
    },
    /// Fewer entries than the layout needs.
    #[error("{found} entries; at least {min} needed")]
    TooFew {
        /// How many were written.
        found: usize,
        /// The least allowed.
        min: usize,
    },
    /// More entries than the layout can hold.
    #[error("{found} entries; at most {max} fit")]
    TooMany {
        /// How many were written.
        found: usize,
        /// The most allowed.
        max: usize,
    },
    /// Not a real calendar date.
    #[error("`{found}` is not a date (YYYY-MM-DD)")]
    BadDate {
        /// What was written.
        found: String,
    },
    /// Not a 全国地方公共団体コード: six digits, the last a check digit.
    #[error("`{found}` is not a local government code (six digits, the last a check digit{})", expected_check.map(|c| format!(": after these five, {c}")).unwrap_or_default())]
    MunicipalityCode {
        /// What was written.
        found: String,
        /// The check digit the first five digits call for, when they are five digits.
        expected_check: Option<char>,
    },
    /// Two pages with the same folio.
    #[error("folio {folio} is used twice (first on line {first_line})")]
    FolioTwice {
        /// The folio.
        folio: u32,
        /// Where it was first used.
        first_line: u32,
    },
    /// Pages not in print order.
    #[error("folio {folio} comes after {previous}; pages are listed in print order")]
    FolioOrder {
        /// This page's folio.
        folio: u32,
        /// The folio before it.
        previous: u32,
    },
    /// Two-colour inks without black (text is K100, so black is always one of them).
    #[error("the two inks of a two-colour page must include black")]
    TwoColourWithoutBlack,
    /// A colour for two-colour pages that uses a plate they do not print on.
    #[error("this colour uses an ink two-colour pages do not print with (only {})", .inks.join(" and "))]
    ColourOffPlates {
        /// The plates those pages print on.
        inks: Vec<String>,
    },
    /// A page entry with both `folio:` and `folios:`.
    #[error("both folio and folios are written")]
    FolioAndFolios,
    /// Folios that skip pages.
    #[error("page {after} is followed by page {next}: {} {} missing", missing_pages(*.after, *.next), if *.next - *.after > 2 { "are" } else { "is" })]
    FolioGap {
        /// The last folio before the gap.
        after: u32,
        /// The folio after it.
        next: u32,
    },
    /// An issue that does not start at folio 1.
    #[error("the first page is page {first}; an issue starts at page 1 (the cover)")]
    FoliosStart {
        /// The first folio.
        first: u32,
    },
    /// A page count the binding cannot take.
    #[error("the issue has {}; {} needs a multiple of {multiple}: add {add} or remove {remove}", pages_en(*.pages), .binding.en)]
    PageCountBinding {
        /// Pages in the issue.
        pages: u32,
        /// The binding in words (中綴じ).
        binding: Words,
        /// The page count must be a multiple of this.
        multiple: u32,
        /// Pages to add to reach the next multiple.
        add: u32,
        /// Pages to remove to reach the one before.
        remove: u32,
    },
    /// A page file given more or fewer folios than its kind fills.
    #[error("a {} page file fills {}; folios {folios} are {}", .kind.en, page_span_en(*.min, *.max), pages_en(*.count))]
    KindPages {
        /// The kind in words.
        kind: Words,
        /// The folios written.
        folios: String,
        /// How many they are.
        count: u32,
        /// The fewest pages the kind fills.
        min: u32,
        /// The most.
        max: u32,
    },
    /// A page file whose folios print partly in two colours and partly in four.
    #[error(
        "pages {folios} are printed partly in two colours (page {two_colour}) and partly in four; the pages of one file print alike"
    )]
    MixedColours {
        /// The file's folios.
        folios: String,
        /// The first of them magazine.yaml prints in two colours.
        two_colour: u32,
    },
    /// A flowing file whose content ends before its last folio (a warning).
    #[error("{}: the content ends early, leaving {} empty", page_words_en(.folios), empty_en(*.empty_pages, *.empty_mm, *.empty_columns, *.columns))]
    FlowShort {
        /// The file's folios.
        folios: String,
        /// Whole pages left empty at the end.
        empty_pages: u32,
        /// Millimetres of column length left empty on the page the content ends on (below it
        /// in its column, and the columns after it whole).
        empty_mm: u32,
        /// Columns after the one the content ends in, wholly empty.
        empty_columns: u32,
        /// The columns the page is set in.
        columns: u32,
    },
    /// 組版チェック: a date, time, figure with its unit or phone number broken across two
    /// lines (a warning).
    #[error("page {folio}: 「{token}」 is broken across two lines")]
    BrokenToken {
        /// The printed page.
        folio: u32,
        /// The token as printed.
        token: String,
    },
    /// 組版チェック: a title or heading whose last line holds one or two characters (a
    /// warning).
    #[error("page {folio}: the last of its {lines} lines holds only 「{last}」")]
    DisplayRunt {
        /// The printed page.
        folio: u32,
        /// The lines it takes.
        lines: usize,
        /// What the last line holds.
        last: String,
    },
    /// 組版チェック: text set smaller than `type_limits` allows (a warning).
    #[error(
        "page {folio}: text set at {size_pt} pt, below the smallest size allowed ({minimum_pt} pt)"
    )]
    SetTooSmall {
        /// The printed page.
        folio: u32,
        /// The size it was set at, in points (one decimal).
        size_pt: String,
        /// The smallest allowed.
        minimum_pt: String,
    },
    /// 組版チェック: text that runs past the trim, off the page (a warning).
    #[error("page {folio}: 「{text}」 runs {over_mm} mm off the page")]
    OffPage {
        /// The printed page.
        folio: u32,
        /// The start of the line that runs off.
        text: String,
        /// How far past the trim.
        over_mm: u32,
    },
    /// 組版チェック: text printed over other text (a warning).
    #[error("page {folio}: 「{text}」 is printed over 「{other}」")]
    Overprint {
        /// The printed page.
        folio: u32,
        /// The start of the line that overprints.
        text: String,
        /// The start of the line it is printed over.
        other: String,
    },
    /// 組版チェック: a list entry's photo (a chapter's) away from its text (a warning).
    #[error(
        "the photo is on page {folio}, column {column}, but its text starts on page {text_folio}, column {text_column}"
    )]
    PhotoAway {
        /// Where the photo landed: page and column (from 1).
        folio: u32,
        /// Its column.
        column: u32,
        /// Where the entry's text starts.
        text_folio: u32,
        /// Its column.
        text_column: u32,
    },
    /// A `page` field naming a file the issue does not list.
    #[error("{file} is not one of this issue's pages")]
    PageNotInIssue {
        /// The file written.
        file: String,
        /// The page files of the issue.
        known: Vec<String>,
    },
    /// The same page file listed twice.
    #[error("{path} is listed twice")]
    PageTwice {
        /// The file.
        path: String,
    },
    /// A layout koho does not know.
    #[error("unknown layout `{name}` (this project has: {})", .known.join(", "))]
    UnknownLayout {
        /// The name written.
        name: String,
        /// The layouts this project has.
        known: Vec<String>,
    },
    /// Figures that do not add up to the total written beside them.
    #[error("{}, but the file says {stated}", sum_en(.terms, *.computed))]
    SumMismatch {
        /// The figures added, with their fields' words.
        terms: Vec<(Words, i64)>,
        /// Their sum.
        computed: i64,
        /// The total written.
        stated: i64,
    },
    /// A date written with its weekday inside text, on another weekday by the calendar.
    #[error("{written}: {date} is a {}", weekday_en(.right))]
    WrongWeekday {
        /// The date as written (6月7日(土)).
        written: String,
        /// The date meant, with the year koho took (2026-06-07).
        date: String,
        /// Its weekday in one character (日).
        right: String,
        /// The text as it should read (6月7日(日)).
        fix: String,
    },
    /// A date written with 祝 inside text that is no holiday.
    #[error("{written}: {date} is not a public holiday")]
    NotAHoliday {
        /// The date as written (6月8日(月・祝)).
        written: String,
        /// The date meant (2026-06-08).
        date: String,
        /// The text without the 祝.
        fix: String,
    },
    /// A date inside text that the calendar does not have (6月31日).
    #[error("{written}: there is no such day")]
    NoSuchDay {
        /// The date as written.
        written: String,
    },
    /// A change since the previous issue (前月比) that the previous issue's figure contradicts.
    #[error("the previous issue ({issue}) has {} {}, this one {}, so the change is {} − {} = {}, but the file says {}", .figure.en, grouped(*.previous), grouped(*.now), grouped(*.now), grouped(*.previous), signed(*.computed), signed(*.stated))]
    PreviousMismatch {
        /// The figure compared (人口).
        figure: Words,
        /// The previous issue (2026-05).
        issue: String,
        /// The figure there.
        previous: i64,
        /// The figure here.
        now: i64,
        /// `now - previous`.
        computed: i64,
        /// The change written.
        stated: i64,
    },
    /// A change since the previous issue left out, that koho cannot work out.
    #[error("the change in {} cannot be worked out: {}", .figure.en, .gap.describe())]
    PreviousMissing {
        /// The figure (人口).
        figure: Words,
        /// Why not.
        gap: PreviousGap,
    },
    /// A change since the previous issue written, that koho cannot check (a warning).
    #[error("the change in {} is printed as written, unchecked: {}", .figure.en, .gap.describe())]
    PreviousUnchecked {
        /// The figure (人口).
        figure: Words,
        /// Why not.
        gap: PreviousGap,
    },
    /// A date that must be a Sunday or holiday (a duty doctor's) falls on a working day.
    #[error("{date} is a {}, not a Sunday or public holiday", weekday_en(.weekday))]
    WorkingDay {
        /// The date (2026-06-10).
        date: String,
        /// Its weekday in one character (水).
        weekday: String,
        /// The field that may say why (理由).
        unless: Words,
    },
    /// A page of a kind whose schema has errors (reported on their own).
    #[error("the kind `{name}` has errors in its schema.yaml, so this page cannot be read")]
    KindBroken {
        /// The kind.
        name: String,
    },
    /// A stated vision figure that disagrees with its items.
    #[error("{computation}, but the file says {stated}")]
    RollupMismatch {
        /// The arithmetic, e.g. `(14+29+30+20+30)/5 = 24.6 → 24`.
        computation: String,
        /// The figure that follows from the items.
        computed: u8,
        /// The figure written.
        stated: u8,
        /// The rollup rule in force (`floor` or `round`).
        rule: &'static str,
    },

    /// A text longer than its field allows.
    #[error("{chars} characters; at most {max} fit")]
    TooLong {
        /// How many characters were written.
        chars: usize,
        /// The most the field takes.
        max: usize,
    },
    /// Not a time of day.
    #[error("`{found}` is not a time of day (HH:MM, e.g. 9:30 or 13:00)")]
    BadTime {
        /// What was written.
        found: String,
    },
    /// Not a schedule.
    #[error("`{found}` is not a schedule: {}", .fault.describe())]
    BadSchedule {
        /// What was written.
        found: String,
        /// What is wrong.
        fault: crate::content::value::ScheduleFault,
    },
    /// Not a phone number.
    #[error("`{found}` is not a phone number (digits, hyphens and brackets, e.g. 0144-32-6039)")]
    BadPhone {
        /// What was written.
        found: String,
    },
    /// Not a web address.
    #[error("`{found}` is not a web address (it must start with https:// or http://)")]
    BadUrl {
        /// What was written.
        found: String,
    },
    /// Not an e-mail address.
    #[error("`{found}` is not an e-mail address")]
    BadEmail {
        /// What was written.
        found: String,
    },

    // --- schemas (layouts/<kind>/schema.yaml) ----------------------------------------------------
    /// A schema whose `kind:` is not its folder's name.
    #[error("the schema says kind `{written}`, but its folder is `{folder}`")]
    KindName {
        /// The name written.
        written: String,
        /// The folder's name.
        folder: String,
    },
    /// A field type koho does not have.
    #[error("unknown field type `{found}` (koho has: {})", .known.join(", "))]
    UnknownType {
        /// The type written.
        found: String,
        /// The known type it most resembles.
        suggestion: Option<String>,
        /// Every type.
        known: Vec<String>,
    },
    /// A numbering pattern koho cannot read.
    #[error("numbering `{pattern}`: {reason}")]
    BadNumbering {
        /// The pattern written.
        pattern: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A schema that refers to a field wrongly.
    #[error("`{written}`: {}", .fault.describe())]
    SchemaReference {
        /// The reference (or name) as written.
        written: String,
        /// What is wrong with it.
        fault: SchemaFault,
    },

    // --- layouts ------------------------------------------------------------------------------
    /// The text colour is not pure black ink.
    #[error("the text colour `ink` must be [0, 0, 0, 100] (K100), never a rich black")]
    NotK100,
    /// A type size below the magazine's minimum.
    #[error("{size:.1}pt is below the smallest type size, {minimum:.1}pt")]
    TypeTooSmall {
        /// The size written, in points.
        size: f64,
        /// The minimum, in points.
        minimum: f64,
    },

    // --- typesetting --------------------------------------------------------------------------
    /// A template failed to compile (or warned): a layout bug, not a content error.
    #[error("template error: {message}")]
    Template {
        /// typst's message.
        message: String,
        /// typst's hints.
        hints: Vec<String>,
    },
    /// Content does not fit on its page even at the smallest type sizes: said once per page.
    #[error("{}", overflow_en(.pages, *.over_mm, *.lines, *.chars, .unfit))]
    Overflow {
        /// The page file's folios (`4`, `5-7`).
        pages: String,
        /// How far the content runs past the page, in millimetres (0 when unknown).
        over_mm: u32,
        /// About how many lines of body text that is.
        lines: u32,
        /// About how many characters of body text that is.
        chars: u32,
        /// The fields pushed off the page, in the editors' words.
        unfit: Vec<Words>,
        /// The field most likely to shorten (the page's longest text).
        shorten: Option<Words>,
        /// Its length in characters.
        shorten_chars: usize,
    },
    /// A character no bundled font has.
    #[error("no bundled font has the character `{ch}` (U+{:04X})", *.ch as u32)]
    MissingGlyph {
        /// The character.
        ch: char,
    },
    /// A font family the format names is not in `fonts/`.
    #[error("the font `{family}` is not in fonts/")]
    FontMissing {
        /// The family.
        family: String,
    },

    /// typst could not export the document.
    #[error("the PDF or a preview could not be made: {reason}")]
    ExportFailed {
        /// typst's words.
        reason: String,
    },
    /// The finished PDF fails a print check: a koho or layout bug, never sent to the printer.
    #[error("the finished PDF fails the print check `{check}`: {detail}")]
    PrintCheck {
        /// The check's name.
        check: String,
        /// Its figure.
        detail: String,
    },
    /// An output could not be written.
    #[error("could not write the output: {reason}")]
    WriteFailed {
        /// The operating system's words.
        reason: String,
    },

    // --- photos ------------------------------------------------------------------------------
    /// A photo in a format koho does not print.
    #[error("{path}: {format} is not supported; use JPEG or PNG")]
    PhotoFormat {
        /// The photo.
        path: String,
        /// The format found.
        format: String,
    },
    /// A photo that does not decode (truncated, damaged, not an image).
    #[error("{path} cannot be read as an image: {reason}")]
    PhotoBroken {
        /// The photo.
        path: String,
        /// The decoder's words.
        reason: String,
    },
    /// A photo whose pixel dimensions are beyond what koho decodes (a decompression bomb).
    #[error("{path} is {width}×{height} pixels, more than koho decodes ({max}×{max})")]
    PhotoTooLarge {
        /// The photo.
        path: String,
        /// Its declared width.
        width: u32,
        /// Its declared height.
        height: u32,
        /// The largest side koho decodes.
        max: u32,
    },
    // --- ads ---------------------------------------------------------------------------------
    /// A page places an ad in a slot `magazine.yaml` does not have.
    #[error("magazine.yaml has no ad slot `{slot}` (its slots: {})", .known.join(", "))]
    AdSlotUnknown {
        /// The slot as written.
        slot: String,
        /// The slots `magazine.yaml` has.
        known: Vec<String>,
    },
    /// An ad slot this page may not carry (its folio or its kind is not among the slot's).
    #[error("the {} slot may not be placed on page {folio} (a {kind} page)", .slot.en)]
    AdSlotNotHere {
        /// The slot's name.
        slot: Words,
        /// The page's folio.
        folio: u32,
        /// The page's kind.
        kind: String,
    },
    /// The advertiser's PDF fails its slot's checks (those of `koho preflight --ad`).
    #[error("{file} cannot go into the {} slot: {}", .slot.en, ad_faults_en(.faults))]
    AdRefused {
        /// The ad's file, as written.
        file: String,
        /// The slot's name.
        slot: Words,
        /// What is wrong, and what to ask the advertiser for.
        faults: Vec<AdFault>,
    },

    /// A photo that would print below the minimum resolution in its frame.
    #[error(
        "{path} prints at {ppi} ppi in its frame; {min_ppi} ppi needs {need_width}×{need_height} pixels"
    )]
    PhotoLowResolution {
        /// The photo.
        path: String,
        /// Its effective resolution in the frame.
        ppi: u32,
        /// The minimum.
        min_ppi: u32,
        /// Its pixels.
        width: u32,
        /// Its pixels.
        height: u32,
        /// Pixels needed across.
        need_width: u32,
        /// Pixels needed down.
        need_height: u32,
        /// The frame, in millimetres.
        frame_mm: (f64, f64),
    },
}

/// One reason an ad is refused, and what to ask its advertiser for, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdFault {
    /// What is wrong (フォントが埋め込まれていません).
    pub what: Words,
    /// What to ask the advertiser for.
    pub ask: Words,
}

/// The faults of an ad, in English, one after another.
fn ad_faults_en(faults: &[AdFault]) -> String {
    faults
        .iter()
        .map(|f| f.what.en.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

impl Expected {
    /// What was expected, in English words.
    pub fn describe(self) -> &'static str {
        match self {
            Expected::Percent => "a whole number from 0 to 100",
            Expected::PositiveInteger => "a whole number of 1 or more",
            Expected::Text => "text",
            Expected::Date => "a date (YYYY-MM-DD)",
            Expected::Mapping => "`name: value` lines",
            Expected::List => "a list of `- ` entries",
            Expected::Length => "a length with its unit (58mm)",
            Expected::Integer => "a whole number",
            Expected::PageCount => "a page count (1, or a range such as 2-4)",
            Expected::FolioRange => "a range of folios such as 5-7",
            Expected::YesNo => "true or false",
        }
    }
}

/// A weekday's English name from its Japanese character (日 → Sunday).
pub fn weekday_en(one: &str) -> &'static str {
    match one {
        "月" => "Monday",
        "火" => "Tuesday",
        "水" => "Wednesday",
        "木" => "Thursday",
        "金" => "Friday",
        "土" => "Saturday",
        _ => "Sunday",
    }
}

/// A change with its sign and thousands separators (+12, −1,084, ±0).
pub fn signed(n: i64) -> String {
    match n.signum() {
        1 => format!("+{}", grouped(n)),
        -1 => format!("−{}", grouped(-n)),
        _ => "±0".to_owned(),
    }
}

/// A whole number with thousands separators (172,345).
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn sum_en(terms: &[(Words, i64)], computed: i64) -> String {
    let added: Vec<String> = terms
        .iter()
        .map(|(w, n)| format!("{} {}", w.en, grouped(*n)))
        .collect();
    format!("{} = {}", added.join(" + "), grouped(computed))
}

/// The fields named in an overflow report before "and N more".
pub const UNFIT_SHOWN: usize = 4;

/// `pages 3–5 are missing`, `page 3 is missing`: the folios strictly between two.
fn missing_pages(after: u32, next: u32) -> String {
    if next - after == 2 {
        format!("page {}", after + 1)
    } else {
        format!("pages {}-{}", after + 1, next - 1)
    }
}

/// `1 page`, `2 pages`.
fn pages_en(n: u32) -> String {
    if n == 1 {
        "1 page".to_owned()
    } else {
        format!("{n} pages")
    }
}

/// `1 page`, `1 to 4 pages`.
fn page_span_en(min: u32, max: u32) -> String {
    if min == max {
        pages_en(min)
    } else {
        format!("{min} to {max} pages")
    }
}

/// `1 page and about 40 mm`, `about 40 mm`.
fn empty_en(pages: u32, mm: u32, empty_columns: u32, columns: u32) -> String {
    let space = match (empty_columns, columns) {
        (_, 1) => format!("about {mm} mm"),
        (0, c) => format!("about {mm} mm of a column (set in {c})"),
        (1, c) => format!("about {mm} mm of column length, one of its {c} columns wholly"),
        (e, c) => format!("about {mm} mm of column length, {e} of its {c} columns wholly"),
    };
    match (pages, mm) {
        (0, _) => space,
        (p, 0) => pages_en(p),
        (p, _) => format!("{} and {space}", pages_en(p)),
    }
}

/// `page 4`, `pages 5-7`.
fn page_words_en(pages: &str) -> String {
    if pages.contains('-') {
        format!("pages {pages}")
    } else {
        format!("page {pages}")
    }
}

fn overflow_en(pages: &str, over_mm: u32, lines: u32, chars: u32, unfit: &[Words]) -> String {
    let folio = page_words_en(pages);
    if over_mm == 0 {
        return format!("does not fit on {folio} even at the smallest type sizes");
    }
    let mut names: Vec<&str> = unfit
        .iter()
        .take(UNFIT_SHOWN)
        .map(|w| w.en.as_str())
        .collect();
    let more = unfit.len().saturating_sub(UNFIT_SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    if names.is_empty() {
        names.push("the end of the page");
    }
    let verb = if pages.contains('-') { "are" } else { "is" };
    format!(
        "{folio} {verb} over by about {over_mm} mm (about {} line{}, {chars} characters of body text) even at the smallest type sizes; pushed off the page: {}{more}",
        lines,
        if lines == 1 { "" } else { "s" },
        names.join(", ")
    )
}

impl SchemaFault {
    /// What is wrong, in English words.
    pub fn describe(self) -> &'static str {
        match self {
            SchemaFault::NoSuchField => "names no field of this schema",
            SchemaFault::NotTitleText => "the page title must be a top-level text field",
            SchemaFault::NotList => "must name a list whose entries have fields",
            SchemaFault::NotFigure => "must name a percent field",
            SchemaFault::MustBeRequired => "a field a rule reads must not be optional",
            SchemaFault::MonthlyInList => {
                "a field inside a list's entries cannot be `monthly`: mark the list itself"
            }
            SchemaFault::NotInteger => "must name an integer field",
            SchemaFault::NotDate => "must name a date field",
            SchemaFault::NotOptionalText => "must name an optional text field",
            SchemaFault::NotSameObject => {
                "the fields a sum adds and their total must be fields of one object"
            }
            SchemaFault::MustBeOptional => {
                "a field a rule fills must be optional (the rule computes it when left out)"
            }
            SchemaFault::NotRollupChoice => "must name a top-level choice of floor, round and none",
            SchemaFault::NotOutsideLists => {
                "must name a field of the page or of its objects, not inside a list (a list's entries have no fixed counterpart in the previous issue)"
            }
            SchemaFault::FieldsOrItem => {
                "a list needs exactly one of fields: (entries with fields) or item: (plain entries)"
            }
            SchemaFault::MinOverMax => "min is greater than max",
            SchemaFault::ReservedName => {
                "field names are lower-case letters, digits and _, and layout, field, number and folio are koho's own"
            }
        }
    }
}

/// `0–100` or `1 or more`.
fn range_en(min: i64, max: Option<i64>) -> String {
    match max {
        Some(max) => format!("{min}–{max}"),
        None => format!("{min} or more"),
    }
}

impl Problem {
    /// A short, stable name of the kind of problem, for machines and the test corpus.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::FileMissing { .. } => "file-missing",
            Problem::FileUnreadable { .. } => "file-unreadable",
            Problem::PathAbsolute { .. } => "path-absolute",
            Problem::PathEscapes { .. } => "path-escapes",
            Problem::FileTooLarge { .. } => "file-too-large",
            Problem::EmptyFile => "empty-file",
            Problem::Utf16 => "utf16",
            Problem::NotText { .. } => "not-text",
            Problem::TabIndent => "tab-indent",
            Problem::Syntax { .. } => "syntax",
            Problem::Limits { .. } => "limits",
            Problem::UnknownKey { .. } => "unknown-key",
            Problem::DuplicateKey { .. } => "duplicate-key",
            Problem::MissingField { .. } => "missing-field",
            Problem::StillToFill => "still-to-fill",
            Problem::EmptyText => "empty-text",
            Problem::CommentedOut => "commented-out",
            Problem::WrongType { .. } => "wrong-type",
            Problem::OutOfRange { .. } => "out-of-range",
            Problem::NotOneOf { .. } => "not-one-of",
            Problem::TooFew { .. } => "too-few",
            Problem::TooMany { .. } => "too-many",
            Problem::BadDate { .. } => "bad-date",
            Problem::MunicipalityCode { .. } => "municipality-code",
            Problem::FolioTwice { .. } => "folio-twice",
            Problem::FolioOrder { .. } => "folio-order",
            Problem::PageTwice { .. } => "page-twice",
            Problem::FolioAndFolios => "folio-and-folios",
            Problem::TwoColourWithoutBlack => "two-colour-without-black",
            Problem::ColourOffPlates { .. } => "colour-off-plates",
            Problem::FolioGap { .. } => "folio-gap",
            Problem::FoliosStart { .. } => "folios-start",
            Problem::PageCountBinding { .. } => "page-count",
            Problem::KindPages { .. } => "kind-pages",
            Problem::MixedColours { .. } => "mixed-colours",
            Problem::FlowShort { .. } => "flow-short",
            Problem::BrokenToken { .. } => "broken-token",
            Problem::DisplayRunt { .. } => "display-runt",
            Problem::SetTooSmall { .. } => "set-too-small",
            Problem::OffPage { .. } => "off-page",
            Problem::Overprint { .. } => "overprint",
            Problem::PhotoAway { .. } => "photo-away",
            Problem::PageNotInIssue { .. } => "page-not-in-issue",
            Problem::UnknownLayout { .. } => "unknown-layout",
            Problem::KindBroken { .. } => "kind-broken",
            Problem::SumMismatch { .. } => "sum-mismatch",
            Problem::WrongWeekday { .. } => "wrong-weekday",
            Problem::NotAHoliday { .. } => "not-a-holiday",
            Problem::NoSuchDay { .. } => "no-such-day",
            Problem::WorkingDay { .. } => "working-day",
            Problem::PreviousMismatch { .. } => "previous-mismatch",
            Problem::PreviousMissing { .. } => "previous-missing",
            Problem::PreviousUnchecked { .. } => "previous-unchecked",
            Problem::RollupMismatch { .. } => "rollup-mismatch",
            Problem::TooLong { .. } => "too-long",
            Problem::BadTime { .. } => "bad-time",
            Problem::BadPhone { .. } => "bad-phone",
            Problem::BadSchedule { .. } => "bad-schedule",
            Problem::BadUrl { .. } => "bad-url",
            Problem::BadEmail { .. } => "bad-email",
            Problem::KindName { .. } => "schema-kind-name",
            Problem::UnknownType { .. } => "schema-unknown-type",
            Problem::BadNumbering { .. } => "schema-numbering",
            Problem::SchemaReference { .. } => "schema-reference",
            Problem::NotK100 => "not-k100",
            Problem::TypeTooSmall { .. } => "type-too-small",
            Problem::Template { .. } => "template-error",
            Problem::Overflow { .. } => "overflow",
            Problem::MissingGlyph { .. } => "missing-glyph",
            Problem::FontMissing { .. } => "font-missing",
            Problem::ExportFailed { .. } => "export-failed",
            Problem::WriteFailed { .. } => "write-failed",
            Problem::PrintCheck { .. } => "print-check",
            Problem::PhotoFormat { .. } => "photo-format",
            Problem::PhotoBroken { .. } => "photo-broken",
            Problem::AdSlotUnknown { .. } => "ad-slot-unknown",
            Problem::AdSlotNotHere { .. } => "ad-slot-not-here",
            Problem::AdRefused { .. } => "ad-refused",
            Problem::PhotoTooLarge { .. } => "photo-too-large",
            Problem::PhotoLowResolution { .. } => "photo-low-resolution",
        }
    }
}
