//! Ads placed as delivered (DESIGN §10). typst places an advertiser's page as a form XObject
//! of its own making: the content stream re-deflated, the resources rewritten, and the whole
//! wrapped in an RGB transparency group. Finishing puts the advertiser's page back in that
//! form's place — its content stream with its own filter, its fonts, images and graphics
//! states copied object for object, byte for byte — keeping only typst's placement (the form's
//! BBox and Matrix, and the `cm` before its `Do`) and dropping the group. Each such form is
//! marked in its `/PieceInfo` so that preflight knows the artwork is the advertiser's, checked
//! against its slot when it arrived.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::preflight::page_resources;

/// The `/PieceInfo` key that marks a form XObject as an advertiser's page.
pub const AD_KEY: &[u8] = b"koho-ad";

/// How deep an ad's objects may nest before copying stops (a self-referring file).
const MAX_COPY_DEPTH: usize = 64;

/// Why an ad could not be put back.
#[derive(Debug, thiserror::Error)]
pub enum AdPageError {
    /// The ad's file could not be read as a PDF (it passed its checks, so this is koho's fault).
    #[error("ad {index}: {why}")]
    Unreadable {
        /// The ad, from 1, in the order given.
        index: usize,
        /// What went wrong.
        why: String,
    },
    /// typst's PDF holds no form with the ad's content.
    #[error("ad {index}: typst's copy of it was not found in the PDF")]
    NotFound {
        /// The ad, from 1.
        index: usize,
    },
}

/// One advertiser's page, read from its file.
struct AdPage {
    doc: Document,
    content: Vec<u8>,
    /// The page's content stream as written (when it has exactly one), else the streams joined.
    stream: Stream,
    resources: Option<Dictionary>,
}

impl AdPage {
    fn read(index: usize, bytes: &[u8]) -> Result<Self, AdPageError> {
        let fail = |why: String| AdPageError::Unreadable { index, why };
        let doc = Document::load_mem(bytes).map_err(|e| fail(e.to_string()))?;
        let page_id = *doc
            .get_pages()
            .values()
            .next()
            .ok_or_else(|| fail("no page".into()))?;
        let ids = doc.get_page_contents(page_id);
        let stream = match ids.as_slice() {
            [id] => doc
                .get_object(*id)
                .and_then(Object::as_stream)
                .map_err(|e| fail(e.to_string()))?
                .clone(),
            _ => {
                // Several streams are one content stream in order (ISO 32000-1, 7.8.2): joined
                // and compressed again, their operators unchanged.
                let joined = doc
                    .get_page_content_with_limit(page_id, super::ad::MAX_AD_BYTES)
                    .map_err(|e| fail(e.to_string()))?;
                let mut stream = Stream::new(Dictionary::new(), joined);
                stream.compress().map_err(|e| fail(e.to_string()))?;
                stream
            }
        };
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let resources = page_resources(&doc, page_id);
        Ok(AdPage {
            doc,
            content,
            stream,
            resources,
        })
    }
}

/// Content streams compared as operators: the same bytes, or the same once line ends and
/// spaces are set aside (a writer may join or end streams with a newline).
fn same_content(a: &[u8], b: &[u8]) -> bool {
    let squeeze = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect()
    };
    a == b || squeeze(a) == squeeze(b)
}

/// Replaces typst's copy of each ad in `doc` by the advertiser's own page (`ads`: the files'
/// bytes), and drops what typst copied. Returns how many forms were replaced.
pub fn restore(doc: &mut Document, ads: &[&[u8]]) -> Result<usize, AdPageError> {
    if ads.is_empty() {
        return Ok(0);
    }
    let pages: Vec<AdPage> = ads
        .iter()
        .enumerate()
        .map(|(i, bytes)| AdPage::read(i + 1, bytes))
        .collect::<Result<_, _>>()?;
    // typst's forms, with their decoded content.
    let forms: Vec<(ObjectId, Vec<u8>)> = doc
        .objects
        .iter()
        .filter_map(|(id, object)| {
            let stream = object.as_stream().ok()?;
            let is_form =
                stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
            is_form.then(|| {
                let content = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                (*id, content)
            })
        })
        .collect();
    let mut replaced = 0;
    for (index, page) in pages.iter().enumerate() {
        let matching: Vec<ObjectId> = forms
            .iter()
            .filter(|(_, content)| same_content(content, &page.content))
            .map(|(id, _)| *id)
            .collect();
        if matching.is_empty() {
            return Err(AdPageError::NotFound { index: index + 1 });
        }
        for id in matching {
            replace_form(doc, id, page);
            replaced += 1;
        }
    }
    doc.prune_objects();
    Ok(replaced)
}

/// The form `id` becomes the advertiser's page: typst's BBox and Matrix kept, everything else
/// the ad's own.
fn replace_form(doc: &mut Document, id: ObjectId, page: &AdPage) {
    let Ok(old) = doc.get_object(id).and_then(Object::as_stream) else {
        return;
    };
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    for key in [b"BBox".as_slice(), b"Matrix".as_slice()] {
        if let Ok(value) = old.dict.get(key) {
            dict.set(key, value.clone());
        }
    }
    let mut copied = BTreeMap::new();
    if let Some(resources) = &page.resources {
        let resources = copy(
            doc,
            &page.doc,
            &Object::Dictionary(resources.clone()),
            &mut copied,
            0,
        );
        dict.set("Resources", resources);
    }
    for key in [b"Filter".as_slice(), b"DecodeParms".as_slice()] {
        if let Ok(value) = page.stream.dict.get(key) {
            let value = copy(doc, &page.doc, value, &mut copied, 0);
            dict.set(key, value);
        }
    }
    let mut mark = Dictionary::new();
    mark.set(
        "LastModified",
        Object::String(b"D:20000101000000Z".to_vec(), lopdf::StringFormat::Literal),
    );
    mark.set("Private", Object::Name(b"advertiser".to_vec()));
    let mut piece = Dictionary::new();
    piece.set(AD_KEY, Object::Dictionary(mark));
    dict.set("PieceInfo", Object::Dictionary(piece));
    dict.set(
        "LastModified",
        Object::String(b"D:20000101000000Z".to_vec(), lopdf::StringFormat::Literal),
    );
    // The bytes as the advertiser wrote them: not compressed again on saving.
    let stream = Stream::new(dict, page.stream.content.clone()).with_compression(false);
    doc.objects.insert(id, Object::Stream(stream));
}

/// `object` of `from`, with every object it refers to copied into `to` (each once).
fn copy(
    to: &mut Document,
    from: &Document,
    object: &Object,
    copied: &mut BTreeMap<ObjectId, ObjectId>,
    depth: usize,
) -> Object {
    if depth > MAX_COPY_DEPTH {
        return Object::Null;
    }
    match object {
        Object::Reference(id) => {
            if let Some(new) = copied.get(id) {
                return Object::Reference(*new);
            }
            let Ok(target) = from.get_object(*id) else {
                return Object::Null;
            };
            // An ad's resources never need its page tree.
            if let Ok(dict) = target.as_dict()
                && matches!(
                    dict.get(b"Type").and_then(Object::as_name),
                    Ok(b"Page" | b"Pages")
                )
            {
                return Object::Null;
            }
            let new = to.new_object_id();
            copied.insert(*id, new);
            let value = copy(to, from, target, copied, depth + 1);
            to.objects.insert(new, value);
            Object::Reference(new)
        }
        Object::Array(items) => Object::Array(
            items
                .iter()
                .map(|o| copy(to, from, o, copied, depth + 1))
                .collect(),
        ),
        Object::Dictionary(dict) => Object::Dictionary(copy_dict(to, from, dict, copied, depth)),
        Object::Stream(stream) => {
            let dict = copy_dict(to, from, &stream.dict, copied, depth);
            Object::Stream(Stream::new(dict, stream.content.clone()).with_compression(false))
        }
        other => other.clone(),
    }
}

fn copy_dict(
    to: &mut Document,
    from: &Document,
    dict: &Dictionary,
    copied: &mut BTreeMap<ObjectId, ObjectId>,
    depth: usize,
) -> Dictionary {
    let mut out = Dictionary::new();
    for (key, value) in dict.iter() {
        out.set(key.clone(), copy(to, from, value, copied, depth + 1));
    }
    out
}

/// True when the form XObject `dict` is an advertiser's page put back by [`restore`].
pub fn is_ad_form(dict: &Dictionary) -> bool {
    dict.get(b"PieceInfo")
        .and_then(Object::as_dict)
        .is_ok_and(|piece| piece.has(AD_KEY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_compares_as_operators() {
        assert!(same_content(b"q 1 0 0 1 0 0 cm Q", b"q 1 0 0 1 0 0 cm Q"));
        assert!(same_content(
            b"q 1 0 0 1 0 0 cm Q\n",
            b"q\n1 0 0 1 0 0 cm\nQ"
        ));
        assert!(!same_content(b"0 0 0 1 k", b"0 0 0 0.9 k"));
    }
}
