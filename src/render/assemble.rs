//! A bundle's combined PDF, put together from PDFs typst already made: the
//! bundle's front (cover and contents) and one PDF per lesson.
//!
//! The front also holds, after its own pages, one page per page of the parts,
//! bearing only the bundle's page number, and the blank pages that start each
//! part on a front page in a double-sided bundle (see `bundle.typ`). Each
//! numbering page is laid over its part's page as a form XObject, so every page
//! carries the bundle's number beside the lesson's own; the blank pages are
//! put in between the parts. Page labels then make a viewer's page box say
//! what the paper says.
//!
//! Typesetting a bundle anew would repeat the work of its lessons, which are
//! typeset (or cached) anyway; one edited lesson would re-typeset every bundle
//! that holds it. Assembling costs milliseconds instead. What makes a tagged
//! PDF accessible has to survive the join, so beyond the pages this carries
//! over each lesson's structure tree (as a `Part` of the front's `Document`),
//! its parent-tree entries (renumbered after the front's), its element IDs
//! (prefixed, as typst numbers table cells the same way in every lesson), its
//! role map and its bookmarks, and points the contents' `cib-lesson:<n>` links
//! at the lessons' first pages.
//!
//! The inputs are typst's own output, so anything unexpected in them (a
//! catalog entry this does not know how to merge) is refused rather than
//! dropped: a combined PDF never silently loses structure.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, SaveOptions, StringFormat};

use sha2::{Digest, Sha256};

use super::{RenderError, Rendered};

/// The scheme of the contents' placeholder links (see `bundle.typ`).
const LINK_SCHEME: &[u8] = b"cib-lesson:";
/// Catalog entries of a lesson PDF that assembling accounts for.
const PART_CATALOG: [&[u8]; 8] = [
    b"Type",
    b"Pages",
    b"StructTreeRoot",
    b"MarkInfo",
    b"Lang",
    b"Metadata",
    b"Outlines",
    b"ViewerPreferences",
];
/// Structure tree root entries that assembling accounts for.
const TREE_ROOT: [&[u8]; 6] = [
    b"Type",
    b"K",
    b"ParentTree",
    b"ParentTreeNextKey",
    b"IDTree",
    b"RoleMap",
];

/// The name of the bundle's page number in each page's resources.
const FOLIO: &[u8] = b"CibFolio";

/// Which parts a blank page follows: in a double-sided bundle, every part
/// with an odd number of pages but the last, so that the next one starts on a
/// front page. The front's layout and the assembly both follow this.
pub fn blanks(duplex: bool, pages: &[usize]) -> Vec<bool> {
    let last = pages.len().saturating_sub(1);
    pages
        .iter()
        .enumerate()
        .map(|(i, n)| duplex && n % 2 == 1 && i != last)
        .collect()
}

/// Joins `front` and `parts` (lesson PDFs, in order) into one tagged PDF;
/// `duplex` says whether the front laid the bundle out for double-sided
/// printing (see [`blanks`]).
pub fn assemble(front: &[u8], parts: &[&[u8]], duplex: bool) -> Result<Rendered, RenderError> {
    join(front, parts, duplex).map_err(|e| RenderError {
        messages: vec![format!("cannot assemble the combined PDF: {e}")],
    })
}

type Fallible<T> = Result<T, String>;

fn pdf_error(e: lopdf::Error) -> String {
    e.to_string()
}

/// What the combined PDF accumulates while parts are added.
struct Combined {
    pdf: Pdf,
    pages: ObjectId,
    kids: Vec<Object>,
    document: ObjectId,
    elements: Vec<Object>,
    nums: Vec<(i64, Object)>,
    next_key: i64,
    ids: Vec<(Vec<u8>, Object)>,
    roles: Dictionary,
    bookmarks: Vec<ObjectId>,
    lang: Option<Object>,
    /// The first page and the title of each part, for the contents' links.
    firsts: Vec<(ObjectId, Object)>,
    /// The front's pages after its own, in order: a numbering page for each
    /// page of the parts, and the blank pages between parts.
    after: std::collections::VecDeque<ObjectId>,
    /// The content stream that closes each part's page: it draws the
    /// bundle's page number (see [`Combined::lay_over`]).
    folio_call: Option<ObjectId>,
    /// The content stream that opens each part's page, saving the state its
    /// own content leaves changed.
    save_state: Option<ObjectId>,
    /// Every stream so far by a hash of its dictionary and data. Lessons of
    /// one framework often show the same images; the combined PDF holds each
    /// once.
    streams: HashMap<[u8; 32], ObjectId>,
}

fn join(front: &[u8], parts: &[&[u8]], duplex: bool) -> Fallible<Rendered> {
    let parts = parts
        .iter()
        .enumerate()
        .map(|(n, bytes)| Pdf::load_mem(bytes).map_err(|e| format!("lesson PDF {}: {e}", n + 1)))
        .collect::<Fallible<Vec<Pdf>>>()?;
    let pages: Vec<usize> = parts.iter().map(|p| p.get_pages().len()).collect();
    let blanks = blanks(duplex, &pages);
    let laid_over = pages.iter().sum::<usize>() + blanks.iter().filter(|b| **b).count();
    let mut all = Combined::new(Pdf::load_mem(front).map_err(pdf_error)?, laid_over)?;
    let links = placeholder_links(&all.pdf)?;
    for (n, (part, blank)) in parts.into_iter().zip(blanks).enumerate() {
        all.add(part, n + 1, blank)
            .map_err(|e| format!("lesson PDF {}: {e}", n + 1))?;
    }
    for (annotation, n) in links {
        let (first, title) = all
            .firsts
            .get(n)
            .cloned()
            .ok_or_else(|| format!("the contents link to lesson {n}, which is not there"))?;
        let action = Dictionary::from_iter([
            ("S", Object::Name(b"GoTo".to_vec())),
            (
                "D",
                Object::Array(vec![
                    Object::Reference(first),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Null,
                    Object::Null,
                ]),
            ),
        ]);
        let annotation = dict_mut(&mut all.pdf, annotation)?;
        annotation.set("A", action);
        // A link's description is read out for it; typst made it the
        // placeholder address.
        annotation.set("Contents", title);
    }
    all.finish()
}

impl Combined {
    /// Starts from the front, whose last `laid_over` pages are the numbering
    /// and blank pages for the parts.
    fn new(pdf: Pdf, laid_over: usize) -> Fallible<Combined> {
        let catalog = pdf.catalog().map_err(pdf_error)?;
        let pages = reference(catalog, b"Pages")?;
        let tree = reference(catalog, b"StructTreeRoot")?;
        let lang = catalog.get(b"Lang").ok().cloned();
        let mut kids = dict(&pdf, pages)?
            .get(b"Kids")
            .and_then(Object::as_array)
            .map_err(pdf_error)?
            .clone();
        if kids.len() <= laid_over {
            return Err(format!(
                "the front has {} pages: too few for a cover and the {laid_over} it lays over the parts",
                kids.len()
            ));
        }
        let own = kids.len() - laid_over;
        let after = kids
            .split_off(own)
            .iter()
            .map(|kid| kid.as_reference().map_err(pdf_error))
            .collect::<Fallible<_>>()?;
        let root = dict(&pdf, tree)?;
        let elements = children(root)?;
        let [Object::Reference(document)] = elements[..] else {
            return Err("the front's structure tree has no single Document element".into());
        };
        let document_dict = dict(&pdf, document)?;
        let elements = children(document_dict)?;
        let Tree {
            nums,
            next_key,
            ids,
            roles,
        } = Tree::read(&pdf, root)?;
        let bookmarks = outline_items(&pdf, catalog)?;
        Ok(Combined {
            pdf,
            pages,
            kids,
            document,
            elements,
            nums,
            next_key,
            ids,
            roles,
            bookmarks,
            lang,
            firsts: Vec::new(),
            streams: HashMap::new(),
            after,
            folio_call: None,
            save_state: None,
        })
    }

    /// The next of the front's pages after its own.
    fn next_after(&mut self) -> Fallible<ObjectId> {
        self.after.pop_front().ok_or_else(|| {
            "the front has fewer numbering pages than the parts have pages".to_owned()
        })
    }

    /// Lays the numbering page `folio` over `page`: its content becomes a
    /// form XObject that `page` draws last, marked as an artifact, after
    /// restoring the graphics state its own content began with.
    fn lay_over(&mut self, page: ObjectId, folio: ObjectId) -> Fallible<()> {
        let numbering = dict(&self.pdf, folio)?.clone();
        if numbering.has(b"StructParents") || numbering.has(b"Annots") {
            return Err("a numbering page of the front holds tagged content".into());
        }
        let content = match numbering.get(b"Contents").map_err(pdf_error)? {
            Object::Reference(id) => *id,
            Object::Array(items) if items.len() == 1 => {
                items[0].as_reference().map_err(pdf_error)?
            }
            _ => return Err("a numbering page of the front has no single content stream".into()),
        };
        let mut form = self
            .pdf
            .get_object(content)
            .and_then(Object::as_stream)
            .map_err(pdf_error)?
            .clone();
        form.dict.set("Type", Object::Name(b"XObject".to_vec()));
        form.dict.set("Subtype", Object::Name(b"Form".to_vec()));
        form.dict.set(
            "BBox",
            numbering.get(b"MediaBox").map_err(pdf_error)?.clone(),
        );
        if let Ok(resources) = numbering.get(b"Resources") {
            form.dict.set("Resources", resources.clone());
        }
        self.pdf.objects.remove(&content);
        self.pdf.objects.remove(&folio);
        let form = self.pdf.add_object(form);

        let save_state = *self.save_state.get_or_insert_with(|| {
            let stream = lopdf::Stream::new(Dictionary::new(), b"q\n".to_vec());
            self.pdf.add_object(stream)
        });
        let folio_call = *self.folio_call.get_or_insert_with(|| {
            let mut call = b"Q\n/Artifact BMC\nq /".to_vec();
            call.extend_from_slice(FOLIO);
            call.extend_from_slice(b" Do Q\nEMC\n");
            self.pdf
                .add_object(lopdf::Stream::new(Dictionary::new(), call))
        });
        let target = dict(&self.pdf, page)?;
        let mut resources = owned_dict(&self.pdf, target, b"Resources")?;
        let mut xobjects = owned_dict(&self.pdf, &resources, b"XObject")?;
        if xobjects.has(FOLIO) {
            return Err("a page already names an XObject /CibFolio".into());
        }
        xobjects.set(FOLIO, Object::Reference(form));
        resources.set("XObject", xobjects);
        let mut contents = vec![Object::Reference(save_state)];
        match target.get(b"Contents") {
            Ok(Object::Array(items)) => contents.extend(items.iter().cloned()),
            Ok(item) => contents.push(item.clone()),
            Err(_) => {}
        }
        contents.push(Object::Reference(folio_call));
        let target = dict_mut(&mut self.pdf, page)?;
        target.set("Resources", resources);
        target.set("Contents", Object::Array(contents));
        Ok(())
    }

    /// Adds the pages, structure and bookmarks of lesson PDF number `n`, and
    /// after them the front's next blank page if `blank`.
    fn add(&mut self, mut part: Pdf, n: usize, blank: bool) -> Fallible<()> {
        let offset = self.pdf.max_id;
        let prefix = format!("L{n}-").into_bytes();
        let shift = Shift {
            offset,
            keys: self.next_key,
            prefix: &prefix,
        };
        part.objects = std::mem::take(&mut part.objects)
            .into_iter()
            .map(|(id, mut object)| {
                shift.apply(&mut object);
                ((id.0 + offset, id.1), object)
            })
            .collect();
        for (_, value) in part.trailer.iter_mut() {
            shift.apply(value);
        }
        part.max_id += offset;
        self.share_streams(&mut part);

        let catalog = part.catalog().map_err(pdf_error)?;
        if let Some(key) = catalog
            .iter()
            .map(|(key, _)| key)
            .find(|key| !PART_CATALOG.contains(&key.as_slice()))
        {
            return Err(format!(
                "its catalog has /{}, which assembling does not carry over",
                String::from_utf8_lossy(key)
            ));
        }
        let pages_root = reference(catalog, b"Pages")?;
        let tree = reference(catalog, b"StructTreeRoot")?;
        let lang = catalog.get(b"Lang").ok().cloned();
        let bookmarks = outline_items(&part, catalog)?;
        // What only the part's own catalog, page tree root, structure tree
        // root and document information used; the combined PDF has its own.
        let mut replaced: Vec<ObjectId> = vec![pages_root, tree];
        replaced.extend(
            [part.trailer.get(b"Root"), part.trailer.get(b"Info")]
                .into_iter()
                .chain([b"Outlines".as_slice(), b"Metadata"].map(|key| catalog.get(key)))
                .filter_map(|entry| entry.and_then(Object::as_reference).ok()),
        );
        let title = part
            .trailer
            .get(b"Info")
            .and_then(|info| part.dereference(info))
            .and_then(|(_, info)| info.as_dict())
            .and_then(|info| info.get(b"Title"))
            .cloned()
            .map_err(|_| "it has no title".to_owned())?;

        let pages = dict(&part, pages_root)?;
        if let Some((key, _)) = pages
            .iter()
            .find(|(key, _)| !matches!(key.as_slice(), b"Type" | b"Kids" | b"Count"))
        {
            return Err(format!(
                "its page tree has /{}, which its pages would lose",
                String::from_utf8_lossy(key)
            ));
        }
        let kids = pages
            .get(b"Kids")
            .and_then(Object::as_array)
            .map_err(pdf_error)?
            .clone();
        let first = kids
            .first()
            .ok_or("it has no pages")?
            .as_reference()
            .map_err(pdf_error)?;

        let root = dict(&part, tree)?;
        if let Some((key, _)) = root
            .iter()
            .find(|(key, _)| !TREE_ROOT.contains(&key.as_slice()))
        {
            return Err(format!(
                "its structure tree root has /{}, which assembling does not carry over",
                String::from_utf8_lossy(key)
            ));
        }
        let elements = children(root)?;
        let Tree {
            nums,
            next_key,
            ids,
            roles,
        } = Tree::read(&part, root)?;

        replaced.extend(
            [b"ParentTree".as_slice(), b"IDTree", b"RoleMap"]
                .into_iter()
                .filter_map(|key| root.get(key).and_then(Object::as_reference).ok()),
        );
        for id in &replaced {
            part.objects.remove(id);
        }
        for kid in &kids {
            let page = kid.as_reference().map_err(pdf_error)?;
            let page = dict_mut(&mut part, page)?;
            if page.get(b"Type").and_then(Object::as_name).ok() != Some(b"Page".as_slice()) {
                return Err("its page tree is nested, which assembling does not flatten".into());
            }
            page.set("Parent", Object::Reference(self.pages));
        }
        for element in &elements {
            let element = dict_mut(&mut part, element.as_reference().map_err(pdf_error)?)?;
            if element.get(b"S").and_then(Object::as_name).ok() == Some(b"Document".as_slice()) {
                element.set("S", Object::Name(b"Part".to_vec()));
            }
            element.set("P", Object::Reference(self.document));
            if lang.is_some() && lang != self.lang {
                element.set("Lang", lang.clone().expect("checked"));
            }
        }
        for (role, target) in roles.iter() {
            match self.roles.get(role) {
                Ok(known) if known != target => {
                    return Err(format!(
                        "it maps the role /{} differently from the front",
                        String::from_utf8_lossy(role)
                    ));
                }
                Ok(_) => {}
                Err(_) => self.roles.set(role.clone(), target.clone()),
            }
        }

        self.pdf.objects.extend(std::mem::take(&mut part.objects));
        self.pdf.max_id = part.max_id;
        for kid in &kids {
            let folio = self.next_after()?;
            self.lay_over(kid.as_reference().map_err(pdf_error)?, folio)?;
        }
        self.kids.extend(kids);
        if blank {
            let page = self.next_after()?;
            self.kids.push(Object::Reference(page));
        }
        self.elements.extend(elements);
        self.nums.extend(
            nums.into_iter()
                .map(|(key, value)| (key + self.next_key, value)),
        );
        self.next_key += next_key;
        self.ids.extend(ids.into_iter().map(|(mut name, value)| {
            name.splice(0..0, prefix.iter().copied());
            (name, value)
        }));
        self.bookmarks.extend(bookmarks);
        self.firsts.push((first, title));
        Ok(())
    }

    /// Replaces each stream of `part` that the combined PDF already holds by
    /// a reference to that one. A second round catches streams that differed
    /// only in pointing at streams the first round shared (an image and its
    /// transparency mask).
    fn share_streams(&mut self, part: &mut Pdf) {
        loop {
            let mut same = HashMap::new();
            for (&id, object) in &part.objects {
                if let Object::Stream(stream) = object {
                    let mut bytes = Vec::with_capacity(stream.content.len() + 64);
                    encode(object, &mut bytes);
                    let key: [u8; 32] = Sha256::digest(&bytes).into();
                    match self.streams.entry(key) {
                        Entry::Occupied(known) if *known.get() != id => {
                            same.insert(id, *known.get());
                        }
                        Entry::Occupied(_) => {}
                        Entry::Vacant(slot) => {
                            slot.insert(id);
                        }
                    }
                }
            }
            if same.is_empty() {
                return;
            }
            part.objects.retain(|id, _| !same.contains_key(id));
            for object in part.objects.values_mut() {
                let mut stack = vec![object];
                while let Some(object) = stack.pop() {
                    match object {
                        Object::Reference(id) => {
                            if let Some(known) = same.get(id) {
                                *id = *known;
                            }
                        }
                        Object::Array(items) => stack.extend(items.iter_mut()),
                        Object::Dictionary(dict) => stack.extend(dict.iter_mut().map(|(_, v)| v)),
                        Object::Stream(stream) => {
                            stack.extend(stream.dict.iter_mut().map(|(_, v)| v))
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Writes the accumulated page tree, structure tree and bookmarks, drops
    /// what the parts' own catalogs held, and serializes the PDF.
    fn finish(mut self) -> Fallible<Rendered> {
        let page_count = self.kids.len();
        let pages = dict_mut(&mut self.pdf, self.pages)?;
        pages.set("Kids", Object::Array(self.kids));
        pages.set("Count", page_count as i64);

        dict_mut(&mut self.pdf, self.document)?.set("K", Object::Array(self.elements));
        self.nums.sort_by_key(|(key, _)| *key);
        self.ids.sort_by(|a, b| a.0.cmp(&b.0));
        let nums = self
            .nums
            .into_iter()
            .flat_map(|(key, value)| [Object::Integer(key), value])
            .collect();
        let names = self
            .ids
            .into_iter()
            .flat_map(|(name, value)| [Object::String(name, StringFormat::Literal), value])
            .collect();
        let tree = reference(self.pdf.catalog().map_err(pdf_error)?, b"StructTreeRoot")?;
        let root = dict_mut(&mut self.pdf, tree)?;
        root.set(
            "ParentTree",
            Dictionary::from_iter([("Nums", Object::Array(nums))]),
        );
        root.set("ParentTreeNextKey", self.next_key);
        root.set(
            "IDTree",
            Dictionary::from_iter([("Names", Object::Array(names))]),
        );
        root.set("RoleMap", self.roles);

        link_bookmarks(&mut self.pdf, &self.bookmarks)?;
        count_pages_in_metadata(&mut self.pdf, page_count)?;
        // What only the numbering pages used, and the resource dictionaries
        // that the laid-over pages now hold copies of.
        self.pdf.prune_objects();
        // One decimal range from the first page: the labels are the printed
        // bundle page numbers, which count every page.
        self.pdf.catalog_mut().map_err(pdf_error)?.set(
            "PageLabels",
            Dictionary::from_iter([(
                "Nums",
                Object::Array(vec![
                    Object::Integer(0),
                    Object::Dictionary(Dictionary::from_iter([("S", Object::Name(b"D".to_vec()))])),
                ]),
            )]),
        );

        let mut out = Vec::new();
        let options = SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .build();
        self.pdf
            .save_with_options(&mut out, options)
            .map_err(|e| e.to_string())?;
        Ok(Rendered {
            pdf: out,
            pages: page_count,
        })
    }
}

/// What a structure tree root holds beyond its elements.
struct Tree {
    nums: Vec<(i64, Object)>,
    next_key: i64,
    ids: Vec<(Vec<u8>, Object)>,
    roles: Dictionary,
}

impl Tree {
    fn read(pdf: &Pdf, root: &Dictionary) -> Fallible<Tree> {
        let nums = number_tree(pdf, root.get(b"ParentTree").map_err(pdf_error)?)?;
        let next_key = next_key(root, &nums)?;
        let ids = match root.get(b"IDTree") {
            Ok(tree) => name_tree(pdf, tree)?,
            Err(_) => Vec::new(),
        };
        let roles = match root.get(b"RoleMap") {
            Ok(map) => resolve(pdf, map)?.as_dict().map_err(pdf_error)?.clone(),
            Err(_) => Dictionary::new(),
        };
        Ok(Tree {
            nums,
            next_key,
            ids,
            roles,
        })
    }
}

/// How a part's objects are renumbered to follow the combined PDF's.
struct Shift<'a> {
    /// Added to every object number.
    offset: u32,
    /// Added to every parent-tree key (a page's `StructParents`, an
    /// annotation's `StructParent`).
    keys: i64,
    /// Put before every structure element ID and every reference to one.
    prefix: &'a [u8],
}

impl Shift<'_> {
    fn apply(&self, object: &mut Object) {
        let mut stack = vec![object];
        while let Some(object) = stack.pop() {
            match object {
                Object::Reference(id) => id.0 += self.offset,
                Object::Array(items) => stack.extend(items.iter_mut()),
                Object::Dictionary(dict) => self.dictionary(dict, &mut stack),
                Object::Stream(stream) => self.dictionary(&mut stream.dict, &mut stack),
                _ => {}
            }
        }
    }

    fn dictionary<'o>(&self, dict: &'o mut Dictionary, stack: &mut Vec<&'o mut Object>) {
        for (key, value) in dict.iter_mut() {
            match (key.as_slice(), value) {
                (b"StructParents" | b"StructParent", Object::Integer(n)) => *n += self.keys,
                (b"ID", Object::String(name, _)) => {
                    name.splice(0..0, self.prefix.iter().copied());
                }
                (b"Headers", Object::Array(names)) => {
                    for name in names {
                        if let Object::String(name, _) = name {
                            name.splice(0..0, self.prefix.iter().copied());
                        }
                    }
                }
                (_, value) => stack.push(value),
            }
        }
    }
}

/// Writes `object` unambiguously, for hashing.
fn encode(object: &Object, out: &mut Vec<u8>) {
    match object {
        Object::Null => tagged(out, b'n', &[]),
        Object::Boolean(b) => tagged(out, b'b', &[u8::from(*b)]),
        Object::Integer(i) => tagged(out, b'i', &i.to_le_bytes()),
        Object::Real(r) => tagged(out, b'r', &r.to_le_bytes()),
        Object::Name(name) => tagged(out, b'/', name),
        Object::String(text, _) => tagged(out, b's', text),
        Object::Reference((id, generation)) => {
            tagged(out, b'R', &id.to_le_bytes());
            out.extend_from_slice(&generation.to_le_bytes());
        }
        Object::Array(items) => {
            tagged(out, b'[', &(items.len() as u64).to_le_bytes());
            for item in items {
                encode(item, out);
            }
        }
        Object::Dictionary(dict) => encode_dictionary(dict, out),
        Object::Stream(stream) => {
            encode_dictionary(&stream.dict, out);
            tagged(out, b'S', &stream.content);
        }
    }
}

fn encode_dictionary(dict: &Dictionary, out: &mut Vec<u8>) {
    tagged(out, b'<', &(dict.len() as u64).to_le_bytes());
    for (key, value) in dict.iter() {
        tagged(out, b'/', key);
        encode(value, out);
    }
}

fn tagged(out: &mut Vec<u8>, tag: u8, data: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(data);
}

/// A copy of the dictionary `dict` holds under `key`, directly or by
/// reference; an empty one if it has none.
fn owned_dict(pdf: &Pdf, dict: &Dictionary, key: &[u8]) -> Fallible<Dictionary> {
    match dict.get(key) {
        Ok(value) => Ok(resolve(pdf, value)?.as_dict().map_err(pdf_error)?.clone()),
        Err(_) => Ok(Dictionary::new()),
    }
}

/// The contents' links to `cib-lesson:<n>`: the annotation and `n`.
fn placeholder_links(pdf: &Pdf) -> Fallible<Vec<(ObjectId, usize)>> {
    let mut links = Vec::new();
    for page in pdf.page_iter() {
        let Ok(annotations) = dict(pdf, page)?.get(b"Annots") else {
            continue;
        };
        for annotation in resolve(pdf, annotations)?.as_array().map_err(pdf_error)? {
            let id = annotation.as_reference().map_err(pdf_error)?;
            let Ok(action) = dict(pdf, id)?.get(b"A") else {
                continue;
            };
            let action = resolve(pdf, action)?.as_dict().map_err(pdf_error)?;
            let Ok(uri) = action.get(b"URI").and_then(Object::as_str) else {
                continue;
            };
            if let Some(n) = uri.strip_prefix(LINK_SCHEME) {
                let n = std::str::from_utf8(n)
                    .ok()
                    .and_then(|n| n.parse().ok())
                    .ok_or("a contents link has no lesson number")?;
                links.push((id, n));
            }
        }
    }
    Ok(links)
}

/// The top-level bookmarks of a PDF, in order.
fn outline_items(pdf: &Pdf, catalog: &Dictionary) -> Fallible<Vec<ObjectId>> {
    let Ok(outlines) = catalog.get(b"Outlines") else {
        return Ok(Vec::new());
    };
    let outlines = resolve(pdf, outlines)?.as_dict().map_err(pdf_error)?;
    let mut items = Vec::new();
    let mut next = outlines.get(b"First").ok();
    while let Some(item) = next {
        let id = item.as_reference().map_err(pdf_error)?;
        if items.contains(&id) || items.len() > pdf.objects.len() {
            return Err("its bookmarks loop".into());
        }
        items.push(id);
        next = dict(pdf, id)?.get(b"Next").ok();
    }
    Ok(items)
}

/// Chains `items` as the combined PDF's top-level bookmarks.
fn link_bookmarks(pdf: &mut Pdf, items: &[ObjectId]) -> Fallible<()> {
    let (Some(&first), Some(&last)) = (items.first(), items.last()) else {
        return Ok(());
    };
    let root = match pdf.catalog().map_err(pdf_error)?.get(b"Outlines") {
        Ok(root) => root.as_reference().map_err(pdf_error)?,
        Err(_) => {
            let root = pdf.add_object(Dictionary::from_iter([(
                "Type",
                Object::Name(b"Outlines".to_vec()),
            )]));
            pdf.catalog_mut()
                .map_err(pdf_error)?
                .set("Outlines", Object::Reference(root));
            root
        }
    };
    let mut visible = 0;
    for (i, &id) in items.iter().enumerate() {
        let item = dict_mut(pdf, id)?;
        item.set("Parent", Object::Reference(root));
        item.remove(b"Prev");
        item.remove(b"Next");
        if i > 0 {
            item.set("Prev", Object::Reference(items[i - 1]));
        }
        if let Some(&next) = items.get(i + 1) {
            item.set("Next", Object::Reference(next));
        }
        visible += 1 + item
            .get(b"Count")
            .and_then(Object::as_i64)
            .unwrap_or(0)
            .max(0);
    }
    let root = dict_mut(pdf, root)?;
    root.set("First", Object::Reference(first));
    root.set("Last", Object::Reference(last));
    root.set("Count", visible);
    Ok(())
}

/// Updates the page count that typst wrote into the XMP metadata.
fn count_pages_in_metadata(pdf: &mut Pdf, pages: usize) -> Fallible<()> {
    const OPEN: &[u8] = b"<xmpTPg:NPages>";
    const CLOSE: &[u8] = b"</xmpTPg:NPages>";
    let Ok(metadata) = pdf.catalog().map_err(pdf_error)?.get(b"Metadata") else {
        return Ok(());
    };
    let id = metadata.as_reference().map_err(pdf_error)?;
    let Object::Stream(stream) = pdf.get_object_mut(id).map_err(pdf_error)? else {
        return Err("its metadata is not a stream".into());
    };
    if stream.dict.has(b"Filter") {
        return Err("its metadata is compressed".into());
    }
    let content = &stream.content;
    let find = |needle: &[u8]| content.windows(needle.len()).position(|w| w == needle);
    if let (Some(open), Some(close)) = (find(OPEN), find(CLOSE)) {
        let mut updated = content[..open + OPEN.len()].to_vec();
        updated.extend_from_slice(pages.to_string().as_bytes());
        updated.extend_from_slice(&content[close..]);
        stream.set_content(updated);
    }
    Ok(())
}

/// The entries of a number tree, flattened.
fn number_tree(pdf: &Pdf, node: &Object) -> Fallible<Vec<(i64, Object)>> {
    let mut entries = Vec::new();
    tree_leaves(pdf, node, b"Nums", &mut |key, value| {
        entries.push((key.as_i64().map_err(pdf_error)?, value.clone()));
        Ok(())
    })?;
    Ok(entries)
}

/// The entries of a name tree, flattened.
fn name_tree(pdf: &Pdf, node: &Object) -> Fallible<Vec<(Vec<u8>, Object)>> {
    let mut entries = Vec::new();
    tree_leaves(pdf, node, b"Names", &mut |key, value| {
        entries.push((key.as_str().map_err(pdf_error)?.to_vec(), value.clone()));
        Ok(())
    })?;
    Ok(entries)
}

/// Calls `each` for every key and value in the leaves (`leaves` is `Nums` or
/// `Names`) of a number or name tree rooted at `node`.
fn tree_leaves(
    pdf: &Pdf,
    node: &Object,
    leaves: &[u8],
    each: &mut dyn FnMut(&Object, &Object) -> Fallible<()>,
) -> Fallible<()> {
    let mut stack = vec![node];
    let mut visited = 0;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > pdf.objects.len() + 1 {
            return Err("a number or name tree loops".into());
        }
        let node = resolve(pdf, node)?.as_dict().map_err(pdf_error)?;
        if let Ok(pairs) = node.get(leaves).and_then(Object::as_array) {
            for pair in pairs.chunks(2) {
                if let [key, value] = pair {
                    each(key, value)?;
                }
            }
        }
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            stack.extend(kids.iter().rev());
        }
    }
    Ok(())
}

/// The parent-tree key after the last one a structure tree uses.
fn next_key(root: &Dictionary, nums: &[(i64, Object)]) -> Fallible<i64> {
    match root.get(b"ParentTreeNextKey") {
        Ok(key) => key.as_i64().map_err(pdf_error),
        Err(_) => Ok(nums.iter().map(|(key, _)| key + 1).max().unwrap_or(0)),
    }
}

/// The kids of a structure element or of the structure tree root, as an array.
fn children(element: &Dictionary) -> Fallible<Vec<Object>> {
    match element.get(b"K") {
        Ok(Object::Array(items)) => Ok(items.clone()),
        Ok(item) => Ok(vec![item.clone()]),
        Err(_) => Ok(Vec::new()),
    }
}

fn resolve<'a>(pdf: &'a Pdf, object: &'a Object) -> Fallible<&'a Object> {
    pdf.dereference(object).map(|(_, o)| o).map_err(pdf_error)
}

fn reference(dict: &Dictionary, key: &[u8]) -> Fallible<ObjectId> {
    dict.get(key)
        .and_then(Object::as_reference)
        .map_err(|_| format!("/{} is missing", String::from_utf8_lossy(key)))
}

fn dict(pdf: &Pdf, id: ObjectId) -> Fallible<&Dictionary> {
    pdf.get_dictionary(id).map_err(pdf_error)
}

fn dict_mut(pdf: &mut Pdf, id: ObjectId) -> Fallible<&mut Dictionary> {
    pdf.get_dictionary_mut(id).map_err(pdf_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page tagged PDF of the shape typst writes, with `extra` added to
    /// its catalog.
    fn tiny(title: &str, extra: Option<(&str, Object)>) -> Vec<u8> {
        front(title, 0, extra)
    }

    /// A tagged PDF of the shape typst writes: one tagged page, then
    /// `numbering` pages that hold only an untagged content stream, as a
    /// bundle's front lays over its parts.
    fn front(title: &str, numbering: usize, extra: Option<(&str, Object)>) -> Vec<u8> {
        let mut pdf = Pdf::with_version("1.7");
        let pages = pdf.new_object_id();
        let page = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages)),
            ("StructParents", Object::Integer(0)),
        ]));
        let mut kids = vec![Object::Reference(page)];
        for n in 0..numbering {
            let content = pdf.add_object(lopdf::Stream::new(
                Dictionary::new(),
                format!("/Artifact BMC ({n}) Tj EMC").into_bytes(),
            ));
            kids.push(Object::Reference(pdf.add_object(Dictionary::from_iter([
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages)),
                (
                    "MediaBox",
                    vec![0.into(), 0.into(), 612.into(), 792.into()].into(),
                ),
                ("Contents", Object::Reference(content)),
            ]))));
        }
        let count = kids.len() as i64;
        pdf.objects.insert(
            pages,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(kids)),
                ("Count", Object::Integer(count)),
            ])),
        );
        let tree = pdf.new_object_id();
        let document = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(b"Document".to_vec())),
            ("P", Object::Reference(tree)),
            ("ID", Object::string_literal("U1x0y0")),
            ("K", Object::Array(vec![Object::Integer(0)])),
            ("Pg", Object::Reference(page)),
        ]));
        pdf.objects.insert(
            tree,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"StructTreeRoot".to_vec())),
                ("K", Object::Array(vec![Object::Reference(document)])),
                (
                    "ParentTree",
                    Object::Dictionary(Dictionary::from_iter([(
                        "Nums",
                        Object::Array(vec![
                            Object::Integer(0),
                            Object::Array(vec![Object::Reference(document)]),
                        ]),
                    )])),
                ),
                ("ParentTreeNextKey", Object::Integer(1)),
                (
                    "IDTree",
                    Object::Dictionary(Dictionary::from_iter([(
                        "Names",
                        Object::Array(vec![
                            Object::string_literal("U1x0y0"),
                            Object::Reference(document),
                        ]),
                    )])),
                ),
            ])),
        );
        let mut catalog = Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
            ("StructTreeRoot", Object::Reference(tree)),
        ]);
        if let Some((key, value)) = extra {
            catalog.set(key, value);
        }
        let catalog = pdf.add_object(catalog);
        let info = pdf.add_object(Dictionary::from_iter([(
            "Title",
            Object::string_literal(title),
        )]));
        pdf.trailer.set("Root", Object::Reference(catalog));
        pdf.trailer.set("Info", Object::Reference(info));
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).unwrap();
        bytes
    }

    fn root(pdf: &Pdf) -> Dictionary {
        let catalog = pdf.catalog().unwrap();
        dict(pdf, reference(catalog, b"StructTreeRoot").unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn parts_follow_the_front_with_their_keys_and_ids_renumbered() {
        let front = front("Front", 2, None);
        let parts = [tiny("One", None), tiny("Two", None)];
        let joined = assemble(&front, &[&parts[0], &parts[1]], false).unwrap();
        assert_eq!(joined.pages, 3);
        let pdf = Pdf::load_mem(&joined.pdf).unwrap();
        let keys: Vec<i64> = pdf
            .page_iter()
            .map(|p| {
                dict(&pdf, p)
                    .unwrap()
                    .get(b"StructParents")
                    .unwrap()
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(keys, [0, 1, 2]);
        let root = root(&pdf);
        let nums = number_tree(&pdf, root.get(b"ParentTree").unwrap()).unwrap();
        assert_eq!(nums.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap(), 3);
        let ids: Vec<Vec<u8>> = name_tree(&pdf, root.get(b"IDTree").unwrap())
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(ids, [&b"L1-U1x0y0"[..], b"L2-U1x0y0", b"U1x0y0"]);
        let document = children(&root).unwrap()[0].as_reference().unwrap();
        let roles: Vec<Vec<u8>> = children(dict(&pdf, document).unwrap())
            .unwrap()
            .iter()
            .filter_map(|k| k.as_reference().ok())
            .map(|k| {
                let k = dict(&pdf, k).unwrap();
                assert_eq!(k.get(b"P").unwrap(), &Object::Reference(document));
                k.get(b"S").unwrap().as_name().unwrap().to_vec()
            })
            .collect();
        assert_eq!(
            roles,
            [&b"Part"[..], b"Part"],
            "the front's own content is an MCID"
        );
    }

    #[test]
    fn what_cannot_be_carried_over_is_refused_not_dropped() {
        let front = front("Front", 2, None);
        let form = tiny(
            "Form",
            Some(("AcroForm", Object::Dictionary(Dictionary::new()))),
        );
        let Err(error) = assemble(&front, &[&tiny("One", None), &form], false) else {
            panic!("a part with a form was joined");
        };
        let message = error.to_string();
        assert!(message.contains("lesson PDF 2"), "{message}");
        assert!(message.contains("/AcroForm"), "{message}");

        let Err(error) = assemble(&front, &[b"not a PDF"], false) else {
            panic!("bytes that are not a PDF were joined");
        };
        assert!(
            error
                .to_string()
                .starts_with("cannot assemble the combined PDF: lesson PDF 1"),
            "{error}"
        );
    }

    #[test]
    fn numbering_pages_lie_over_the_parts_and_blanks_fall_between_them() {
        let parts = [tiny("One", None), tiny("Two", None), tiny("Three", None)];
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        // Three one-page parts, double-sided: a blank after each but the last.
        assert_eq!(blanks(true, &[1, 1, 1]), [true, true, false]);
        assert_eq!(blanks(true, &[2, 3, 1]), [false, true, false]);
        assert_eq!(blanks(false, &[1, 1, 1]), [false, false, false]);
        let joined = assemble(&front("Front", 5, None), &parts, true).unwrap();
        assert_eq!(joined.pages, 6);
        let pdf = Pdf::load_mem(&joined.pdf).unwrap();
        let numbered: Vec<bool> = pdf
            .page_iter()
            .map(|page| {
                let page = dict(&pdf, page).unwrap();
                let resources = page.get(b"Resources").and_then(Object::as_dict);
                resources
                    .and_then(|r| r.get(b"XObject"))
                    .and_then(Object::as_dict)
                    .is_ok_and(|x| x.has(FOLIO))
            })
            .collect();
        // The front's own page, then part, blank, part, blank, part.
        assert_eq!(numbered, [false, true, false, true, false, true]);
        let labels = pdf.catalog().unwrap().get(b"PageLabels").unwrap();
        assert_eq!(
            labels
                .as_dict()
                .unwrap()
                .get(b"Nums")
                .unwrap()
                .as_array()
                .unwrap()[0],
            Object::Integer(0)
        );

        let Err(error) = assemble(&front("Front", 4, None), &parts, true) else {
            panic!("a front without numbering pages for every part page was joined");
        };
        assert!(error.to_string().contains("too few"), "{error}");
    }
}
