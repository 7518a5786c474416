//! Reading the comments (annotations) editors put on a proof PDF.
//!
//! An editor marks up a proof in Acrobat Reader, Preview or any other viewer; every sticky
//! note, highlight, strike-out or drawn box ends up as an annotation dictionary listed in its
//! page's `/Annots`. [`read_comments`] collects them, in reading order, as [`Comment`]s:
//! the viewer's own furniture (pop-up windows, links, form fields, printer marks) is left out,
//! text strings are decoded to Unicode, and replies are linked to the comment they answer.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Annotation subtypes that are not comments: a `/Popup` is only the window a note opens in,
/// the others are navigation, form fields or production marks.
const NOT_COMMENTS: [&[u8]; 6] = [
    b"Popup",
    b"Link",
    b"Widget",
    b"PrinterMark",
    b"TrapNet",
    b"Watermark",
];

/// Largest decoded `/RC` stream read, so a compressed bomb cannot exhaust memory.
const MAX_RICH_TEXT: usize = 1 << 20;

/// One comment found on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// 1-based page number.
    pub page: usize,
    /// What kind of annotation carries the comment.
    pub kind: CommentKind,
    /// The comment's text from `/Contents`, or from the rich text `/RC` stripped of its markup
    /// when `/Contents` is missing or empty. Line ends are `\n` and trailing whitespace is
    /// trimmed; a bare highlight has an empty text.
    pub text: String,
    /// The author (`/T`), if given and not empty.
    pub author: Option<String>,
    /// The last modification date (`/M`) as the raw PDF date string, e.g. `D:20261125093000+09'00'`.
    pub modified: Option<String>,
    /// The annotation rectangle `[x0, y0, x1, y1]` with `x0 <= x1` and `y0 <= y1`, in PDF user
    /// space points (origin at the bottom left of the page).
    pub rect: [f64; 4],
    /// The marked areas: for text-markup comments (highlight, underline, strike-out, squiggly)
    /// the bounding box of each quadrilateral of `/QuadPoints`; otherwise just `rect`.
    pub regions: Vec<[f64; 4]>,
    /// Index, in the returned list, of the comment this one replies to (`/IRT`), when found.
    pub in_reply_to: Option<usize>,
}

/// The kind of annotation a comment is, after its `/Subtype`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentKind {
    /// A sticky note (`/Text`).
    Note,
    /// Text typed directly on the page (`/FreeText`).
    FreeText,
    /// Highlighted text (`/Highlight`).
    Highlight,
    /// Underlined text (`/Underline`).
    Underline,
    /// Struck-out text (`/StrikeOut`).
    StrikeOut,
    /// Text underlined with a wavy line (`/Squiggly`).
    Squiggly,
    /// An insertion mark (`/Caret`).
    Caret,
    /// A rectangle (`/Square`).
    Square,
    /// An ellipse (`/Circle`).
    Circle,
    /// A freehand drawing (`/Ink`).
    Ink,
    /// A straight line or arrow (`/Line`).
    Line,
    /// A closed polygon (`/Polygon`).
    Polygon,
    /// An open polyline (`/PolyLine`).
    PolyLine,
    /// A rubber stamp (`/Stamp`).
    Stamp,
    /// Any other subtype, by name (e.g. `FileAttachment`, `Sound`).
    Other(String),
}

impl CommentKind {
    /// The kind for a `/Subtype` name.
    fn from_subtype(name: &[u8]) -> Self {
        match name {
            b"Text" => Self::Note,
            b"FreeText" => Self::FreeText,
            b"Highlight" => Self::Highlight,
            b"Underline" => Self::Underline,
            b"StrikeOut" => Self::StrikeOut,
            b"Squiggly" => Self::Squiggly,
            b"Caret" => Self::Caret,
            b"Square" => Self::Square,
            b"Circle" => Self::Circle,
            b"Ink" => Self::Ink,
            b"Line" => Self::Line,
            b"Polygon" => Self::Polygon,
            b"PolyLine" => Self::PolyLine,
            b"Stamp" => Self::Stamp,
            other => Self::Other(String::from_utf8_lossy(other).into_owned()),
        }
    }
}

/// Why the comments of a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentsError {
    /// The bytes are not a PDF, or one too damaged (e.g. truncated) to load.
    #[error("not a readable PDF: {0}")]
    Unreadable(String),
    /// The PDF is encrypted; proofs with comments are expected unencrypted.
    #[error("the PDF is encrypted")]
    Encrypted,
}

/// Reads every comment of the PDF `pdf`, page by page and, within a page, in `/Annots` order.
///
/// Annotations that are not comments are left out, and so is any malformed one (no
/// `/Subtype`, no valid `/Rect`, …): a damaged comment never hides the others. Only a file
/// that cannot be loaded, or an encrypted one, is an error; no input makes this panic.
pub fn read_comments(pdf: &[u8]) -> Result<Vec<Comment>, CommentsError> {
    // lopdf is meant not to panic on bad input; should it anyway, report the file unreadable.
    let doc = std::panic::catch_unwind(|| Document::load_mem(pdf))
        .map_err(|_| CommentsError::Unreadable("the PDF parser failed".to_string()))?
        .map_err(|error| CommentsError::Unreadable(error.to_string()))?;
    // lopdf decrypts files with an empty user password (dropping `/Encrypt`) and keeps the
    // `/Encrypt` entry of those it cannot open: refuse both.
    if doc.trailer.has(b"Encrypt") || doc.was_encrypted() {
        return Err(CommentsError::Encrypted);
    }
    let mut comments = Vec::new();
    let mut index_of: HashMap<ObjectId, usize> = HashMap::new();
    let mut replies: Vec<(usize, ObjectId)> = Vec::new();
    for (number, page_id) in doc.get_pages() {
        let annots = doc
            .get_dictionary(page_id)
            .and_then(|page| page.get(b"Annots"))
            .and_then(|annots| doc.dereference(annots))
            .and_then(|(_, annots)| annots.as_array());
        for entry in annots.into_iter().flatten() {
            let Ok((id, Object::Dictionary(dict))) = doc.dereference(entry) else {
                continue;
            };
            let Some(comment) = read_annotation(&doc, number as usize, dict) else {
                continue;
            };
            if let Some(id) = id {
                index_of.entry(id).or_insert(comments.len());
            }
            if let Ok(target) = dict.get(b"IRT").and_then(Object::as_reference) {
                replies.push((comments.len(), target));
            }
            comments.push(comment);
        }
    }
    // Second pass: a reply may come before the comment it answers, or on another page.
    for (index, target) in replies {
        comments[index].in_reply_to = index_of.get(&target).copied().filter(|&t| t != index);
    }
    Ok(comments)
}

/// Reads one annotation dictionary, or `None` if it is not a comment or is malformed.
fn read_annotation(doc: &Document, page: usize, dict: &Dictionary) -> Option<Comment> {
    let subtype = resolve(doc, dict.get(b"Subtype").ok()?)?.as_name().ok()?;
    if NOT_COMMENTS.contains(&subtype) {
        return None;
    }
    let kind = CommentKind::from_subtype(subtype);
    let rect = numbers(doc, dict.get(b"Rect").ok()?).filter(|n| n.len() == 4)?;
    let rect = bounding_box(&rect);
    let markup = matches!(kind, CommentKind::Highlight | CommentKind::Underline)
        || matches!(kind, CommentKind::StrikeOut | CommentKind::Squiggly);
    let quads = dict.get(b"QuadPoints").ok().and_then(|q| numbers(doc, q));
    let regions = match quads {
        Some(q) if markup && !q.is_empty() && q.len() % 8 == 0 => {
            q.chunks_exact(8).map(bounding_box).collect()
        }
        _ => vec![rect],
    };
    let text = text_entry(doc, dict, b"Contents")
        .filter(|text| !text.is_empty())
        .or_else(|| {
            text_entry(doc, dict, b"RC").map(|rc| normalise(strip_markup(&rc).trim_start()))
        })
        .unwrap_or_default();
    Some(Comment {
        page,
        kind,
        text,
        author: text_entry(doc, dict, b"T").filter(|t| !t.is_empty()),
        modified: text_entry(doc, dict, b"M").filter(|m| !m.is_empty()),
        rect,
        regions,
        in_reply_to: None,
    })
}

/// Follows references from `object`; `None` for a dangling or looping one.
fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, object)| object)
}

/// An array of finite numbers (each possibly indirect), or `None` if anything else is found.
fn numbers(doc: &Document, object: &Object) -> Option<Vec<f64>> {
    let array = resolve(doc, object)?.as_array().ok()?;
    let number = |n| resolve(doc, n)?.as_float().ok().map(f64::from);
    array
        .iter()
        .map(|n| number(n).filter(|n| n.is_finite()))
        .collect()
}

/// The bounding box `[x0, y0, x1, y1]` of points given as `x, y, x, y, …` (at least one pair).
fn bounding_box(points: &[f64]) -> [f64; 4] {
    let (inf, neg) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut bbox = [inf, inf, neg, neg];
    for (i, &value) in points.iter().enumerate() {
        bbox[i % 2] = bbox[i % 2].min(value);
        bbox[i % 2 + 2] = bbox[i % 2 + 2].max(value);
    }
    bbox
}

/// The text string (or text stream) under `key`, decoded; `None` if absent or of another type.
fn text_entry(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    match resolve(doc, dict.get(key).ok()?)? {
        Object::String(bytes, _) => Some(decode_text(bytes)),
        Object::Stream(stream) => {
            let bytes = stream.get_plain_content_with_limit(MAX_RICH_TEXT).ok()?;
            Some(decode_text(&bytes))
        }
        _ => None,
    }
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 after their byte order marks, PDFDocEncoding
/// otherwise; drops language escapes (`ESC lang ESC`), then [`normalise`]s it.
fn decode_text(bytes: &[u8]) -> String {
    let text: String = if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect()
    } else if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        bytes.iter().map(|&b| pdf_doc_char(b)).collect()
    };
    normalise(&text.split('\u{1B}').step_by(2).collect::<String>())
}

/// The character of a PDFDocEncoding byte (PDF 32000-1, Annex D): Latin-1 except for
/// 0x18–0x1F (spacing diacritics), 0x80–0x9F (typographic characters) and 0xA0 (euro sign).
fn pdf_doc_char(byte: u8) -> char {
    const DIACRITICS: [u16; 8] = [
        0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC,
    ];
    const HIGH: [u16; 32] = [
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
        0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
        0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD,
    ];
    let code = match byte {
        0x18..=0x1F => DIACRITICS[usize::from(byte - 0x18)],
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        0xA0 => 0x20AC,
        _ => u16::from(byte),
    };
    char::from_u32(u32::from(code)).unwrap_or('\u{FFFD}')
}

/// Turns CR and CRLF line ends into `\n` and trims trailing whitespace.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_string()
}

/// The plain text of `/RC` rich text (XHTML): tags dropped, `</p>`, `</div>` and `<br>` as
/// `\n`, the XML entities and numeric character references decoded.
fn strip_markup(rich: &str) -> String {
    let mut out = String::new();
    let mut rest = rich;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if let Some(tag) = rest.strip_prefix('<') {
            let Some(end) = tag.find('>') else { break };
            let name = tag[..end]
                .trim_matches(['/', ' '])
                .split_whitespace()
                .next();
            let name = name.unwrap_or("").to_ascii_lowercase();
            if name == "br" || (tag.starts_with('/') && (name == "p" || name == "div")) {
                out.push('\n');
            }
            rest = &tag[end + 1..];
            continue;
        }
        // An entity; a lone `&` (not valid XML, but seen) stays as it is.
        let entity = rest[1..].split_once(';').map_or("", |(entity, _)| entity);
        let code = |number: &str| match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix('#')
                .and_then(code)
                .and_then(char::from_u32),
        };
        out.push(decoded.unwrap_or('&'));
        rest = &rest[decoded.map_or(1, |_| entity.len() + 2)..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::CommentKind::*;
    use super::CommentsError::*;
    use super::*;
    use lopdf::{
        EncryptionState, EncryptionVersion, Permissions, Stream, StringFormat, dictionary,
    };

    /// A text string in UTF-16BE with its byte order mark.
    fn utf16(text: &str) -> Object {
        let bytes = text.encode_utf16().flat_map(u16::to_be_bytes);
        Object::String(
            [0xFE, 0xFF].into_iter().chain(bytes).collect(),
            StringFormat::Hexadecimal,
        )
    }

    fn text(bytes: impl Into<Vec<u8>>) -> Object {
        Object::string_literal(bytes)
    }

    fn numbers<const N: usize>(values: [i64; N]) -> Object {
        Object::Array(values.map(Object::from).to_vec())
    }

    fn save(mut doc: Document) -> Vec<u8> {
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    /// A document with one page (A4) per `/Annots` value returned by `annots`.
    fn document(annots: impl FnOnce(&mut Document) -> Vec<Object>) -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for annots in annots(&mut doc) {
            let page = dictionary! {
                "Type" => "Page", "Parent" => pages_id,
                "MediaBox" => numbers([0, 0, 595, 842]), "Annots" => annots,
            };
            kids.push(doc.add_object(page).into());
        }
        let count = kids.len() as i64;
        let pages = dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count };
        doc.objects.insert(pages_id, pages.into());
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn sample() -> Vec<u8> {
        save(document(|doc| {
            let (note, highlight) = (doc.new_object_id(), doc.new_object_id());
            let popup = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Popup",
                "Rect" => numbers([120, 600, 320, 700]), "Parent" => note,
            });
            let dict = dictionary! {
                "Type" => "Annot", "Subtype" => "Text",
                "Rect" => numbers([100, 700, 120, 720]), "Popup" => popup,
                "Contents" => utf16("\u{1B}ja\u{1B}ここを直してください\r\n二行目 \r\n"),
                "T" => utf16("編集部"), "M" => text("D:20261125093000+09'00'"),
            };
            doc.objects.insert(note, dict.into());
            // The reply comes first: /IRT may point forwards.
            let reply = doc.add_object(dictionary! {
                "Subtype" => "Text", "IRT" => highlight,
                "Rect" => numbers([300, 500, 320, 520]), "Contents" => text("Agreed."),
            });
            let dict = dictionary! {
                "Subtype" => "Highlight", "Rect" => numbers([300, 500, 100, 460]),
                "T" => text("Sato"), "QuadPoints" => numbers([
                    100, 500, 300, 500, 100, 480, 300, 480, // first line
                    100, 478, 200, 478, 100, 460, 200, 460, // second line
                ]),
            };
            doc.objects.insert(highlight, dict.into());
            let link = dictionary! { "Subtype" => "Link", "Rect" => numbers([0, 0, 10, 10]) };
            let free_text = dictionary! {
                "Subtype" => "FreeText", "Rect" => numbers([50, 50, 250, 80]),
                "Contents" => text(*b"\x93rst \x84 caf\xe9\r\x80 \xa0  "),
            };
            let mut page1: Vec<Object> = [note, popup].map(Object::from).to_vec();
            page1.extend([link.into(), reply.into()]);
            page1.extend([highlight.into(), free_text.into()]);

            let contents = doc.add_object(text("\u{FEFF}Delete “very”."));
            let strike = doc.add_object(dictionary! {
                "Subtype" => "StrikeOut", "Rect" => numbers([10, 10, 40, 20]),
                "Contents" => contents,
            });
            let rich = "<?xml version=\"1.0\"?><body><p dir=\"ltr\">Move &amp; <b>resize</b>\
                </p><p>fig.&#160;3&#x21; & more</p></body>";
            let rich = doc.add_object(Stream::new(dictionary! {}, rich.into()));
            let square = dictionary! {
                "Subtype" => "Square", "Rect" => numbers([0, 0, 5, 5]),
                "Contents" => text(""), "RC" => rich,
            };
            let no_rect = dictionary! { "Subtype" => "Circle", "Contents" => text("x") };
            let other = dictionary! { "Subtype" => "Sound", "Rect" => numbers([1, 2, 3, 4]) };
            let mut page2: Vec<Object> = [strike, (999, 0)].map(Object::from).to_vec();
            page2.extend([square.into(), 7.into(), no_rect.into(), other.into()]);
            vec![page1.into(), doc.add_object(page2).into()]
        }))
    }

    /// A comment with no author, date or reply, whose only region is its `rect`.
    fn comment(page: usize, kind: CommentKind, text: &str, rect: [i32; 4]) -> Comment {
        let rect = rect.map(f64::from);
        let (text, regions) = (text.to_string(), vec![rect]);
        let (author, modified, in_reply_to) = (None, None, None);
        Comment {
            page,
            kind,
            text,
            author,
            modified,
            rect,
            regions,
            in_reply_to,
        }
    }

    #[test]
    fn reads_every_field_of_every_comment() {
        let (note, rich) = (
            "ここを直してください\n二行目",
            "Move & resize\nfig.\u{A0}3! & more",
        );
        let mut expected = vec![
            comment(1, Note, note, [100, 700, 120, 720]),
            comment(1, Note, "Agreed.", [300, 500, 320, 520]),
            comment(1, Highlight, "", [100, 460, 300, 500]),
            comment(1, FreeText, "ﬁrst — café\n• €", [50, 50, 250, 80]),
            comment(2, StrikeOut, "Delete “very”.", [10, 10, 40, 20]),
            comment(2, Square, rich, [0, 0, 5, 5]),
            comment(2, Other("Sound".into()), "", [1, 2, 3, 4]),
        ];
        expected[0].author = Some("編集部".into());
        expected[0].modified = Some("D:20261125093000+09'00'".into());
        expected[1].in_reply_to = Some(2);
        expected[2].author = Some("Sato".into());
        expected[2].regions = vec![[100.0, 480.0, 300.0, 500.0], [100.0, 460.0, 200.0, 478.0]];
        assert_eq!(read_comments(&sample()).unwrap(), expected);

        // A reply to something that is not a comment (here a skipped pop-up) links to nothing.
        let pdf = save(document(|doc| {
            let rect = numbers([0, 0, 1, 1]);
            let popup =
                doc.add_object(dictionary! { "Subtype" => "Popup", "Rect" => rect.clone() });
            let reply = dictionary! { "Subtype" => "Text", "IRT" => popup, "Rect" => rect };
            vec![vec![popup.into(), reply.into()].into()]
        }));
        let expected = [comment(1, Note, "", [0, 0, 1, 1])];
        assert_eq!(read_comments(&pdf).unwrap(), expected);
    }

    #[test]
    fn garbage_and_truncated_files_are_errors() {
        let unreadable = |pdf: &[u8]| matches!(read_comments(pdf), Err(Unreadable(_)));
        assert!(unreadable(b"this is not a PDF at all"));
        let pdf = sample();
        for len in [0, 8, 20, pdf.len() / 3] {
            assert!(unreadable(&pdf[..len]), "{len}");
        }
        // Whatever survives of a longer prefix, reading it must not panic.
        for len in (0..pdf.len()).step_by(37) {
            let _ = read_comments(&pdf[..len]);
        }
    }

    #[test]
    fn encrypted_files_are_refused() {
        let mut doc = document(|_| vec![Vec::<Object>::new().into()]);
        let dict = dictionary! { "Filter" => "Standard", "V" => 2, "R" => 3 };
        doc.trailer.set("Encrypt", dict);
        let result = read_comments(&save(doc));
        assert!(result.is_err(), "{result:?}");
        // lopdf opens a file whose user password is empty by itself, and not the other.
        for user_password in ["", "user"] {
            let mut doc = document(|_| vec![Vec::<Object>::new().into()]);
            let id = Object::String(vec![7; 16], StringFormat::Hexadecimal);
            doc.trailer.set("ID", vec![id.clone(), id]);
            let (owner_password, permissions) = ("owner", Permissions::all());
            let version = EncryptionVersion::V2 {
                document: &doc,
                owner_password,
                user_password,
                key_length: 128,
                permissions,
            };
            doc.encrypt(&EncryptionState::try_from(version).unwrap())
                .unwrap();
            assert_eq!(read_comments(&save(doc)), Err(Encrypted));
        }
    }
}
