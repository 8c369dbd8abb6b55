//! PDF for the archive (卷): page counts of evidence files, and one merged PDF per volume with
//! a Chinese bookmark for every item.
//!
//! Reading is done by `lopdf`, which is pure Rust but not written for hostile input: every
//! call into it runs under `catch_unwind`, so a damaged file becomes a Chinese reason, never a
//! crash. Encrypted files that open without a password (only an owner password restricting
//! printing or copying, common for PDFs from government sites) are read; files that need a
//! password to open are refused.
//!
//! Merging copies, for each PDF, only what its pages use (the objects reachable from them, with
//! inherited MediaBox/CropBox/Resources/Rotate written onto each page), renumbered into the new
//! file; its own outline, forms and named destinations are left behind. Images become one A4
//! page each, portrait or landscape as the image is, scaled down to fit inside 12.7 mm margins
//! (never enlarged past 72 dpi, so small screenshots are not blown up into blur) and centred:
//! JPEG is embedded as it is (DCTDecode, no re-encoding: size and quality unchanged), with its
//! EXIF orientation applied by the placement matrix so phone photos stand upright; PNG is
//! decoded and embedded as FlateDecode samples with its alpha channel as a soft mask. An item
//! that cannot be read is skipped with its reason; the rest still make a volume.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::error::{Error, Result};
use crate::progress::{Cancel, Progress};

/// What one item of a volume is.
#[derive(Debug, Clone)]
pub enum MergeKind {
    Pdf(Vec<u8>),
    Jpeg(Vec<u8>),
    Png(Vec<u8>),
}

impl MergeKind {
    /// The kind by content, never by extension: "%PDF-" (within the first KiB), JPEG's SOI
    /// marker, PNG's signature. None for anything else.
    pub fn sniff(bytes: Vec<u8>) -> Option<MergeKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MergeKind::Jpeg(bytes))
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MergeKind::Png(bytes))
        } else if has_pdf_header(&bytes) {
            Some(MergeKind::Pdf(bytes))
        } else {
            None
        }
    }
}

/// One item of a volume: its bookmark title and its content.
#[derive(Debug, Clone)]
pub struct MergeItem {
    /// Bookmark text, e.g. "2-5-17-03 规范性文件合法性审核意见书".
    pub title: String,
    pub kind: MergeKind,
}

/// A merged volume.
#[derive(Debug, Clone)]
pub struct MergeReport {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Pages in it.
    pub pages: u32,
    /// Items left out (index into the input, Chinese reason naming the item).
    pub skipped: Vec<(usize, String)>,
}

/// A4 in points.
const A4: (f64, f64) = (595.28, 841.89);
/// 12.7 mm.
const MARGIN: f64 = 36.0;
/// Decoded size of one PNG at most (a 8000 × 6000 RGBA photo is 192 MB).
const PNG_LIMIT: usize = 256 * 1024 * 1024;

fn has_pdf_header(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}

/// Why a PDF cannot be used, as the end of a Chinese sentence ("…已加密").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PdfProblem {
    NotPdf,
    Encrypted,
    Damaged,
    NoPages,
}

impl PdfProblem {
    fn says(self) -> &'static str {
        match self {
            PdfProblem::NotPdf => "不是 PDF 文件（内容与扩展名不符）",
            PdfProblem::Encrypted => {
                "已加密（设有打开密码），无法读取，请用原软件取消密码或另存为不加密的 PDF 后重试"
            }
            PdfProblem::Damaged => "已损坏，无法读取，请用 PDF 阅读器打开后另存一份再试",
            PdfProblem::NoPages => "中没有任何页面（文件可能已损坏）",
        }
    }
}

/// Load a PDF, never panicking; a document that opens only with a password is refused.
fn load(bytes: &[u8]) -> std::result::Result<Document, PdfProblem> {
    if !has_pdf_header(bytes) {
        return Err(PdfProblem::NotPdf);
    }
    let declares_encryption = || bytes.windows(8).any(|w| w == b"/Encrypt");
    let doc = match catch_unwind(AssertUnwindSafe(|| Document::load_mem(bytes))) {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword)) => {
            return Err(PdfProblem::Encrypted);
        }
        Ok(Err(_)) | Err(_) if declares_encryption() => return Err(PdfProblem::Encrypted),
        Ok(Err(_)) | Err(_) => return Err(PdfProblem::Damaged),
    };
    // Encrypted and not opened with the empty user password: nothing was decrypted.
    if doc.trailer.has(b"Encrypt") && !doc.was_encrypted() {
        return Err(PdfProblem::Encrypted);
    }
    Ok(doc)
}

fn pages_of(doc: &Document) -> std::result::Result<Vec<ObjectId>, PdfProblem> {
    match catch_unwind(AssertUnwindSafe(|| doc.page_iter().collect::<Vec<_>>())) {
        Ok(p) if p.is_empty() => Err(PdfProblem::NoPages),
        Ok(p) => Ok(p),
        Err(_) => Err(PdfProblem::Damaged),
    }
}

/// Number of pages of a PDF. Encrypted (with an open password), damaged or page-less files
/// are refused with a Chinese message.
pub fn page_count(bytes: &[u8]) -> Result<u32> {
    let doc = load(bytes).map_err(|p| Error::BadFile(format!("该 PDF 文件{}。", p.says())))?;
    let pages = pages_of(&doc).map_err(|p| Error::BadFile(format!("该 PDF 文件{}。", p.says())))?;
    Ok(pages.len().min(u32::MAX as usize) as u32)
}

/// The first-level bookmark titles of a PDF, decoded (UTF-16BE with BOM or PDFDocEncoding).
pub fn outline_titles(bytes: &[u8]) -> Result<Vec<String>> {
    let doc = load(bytes).map_err(|p| Error::BadFile(format!("该 PDF 文件{}。", p.says())))?;
    let titles = catch_unwind(AssertUnwindSafe(|| {
        let mut out = Vec::new();
        let Ok(root) = doc.catalog() else {
            return out;
        };
        let Ok(outlines) = root
            .get(b"Outlines")
            .and_then(|o| doc.dereference(o))
            .and_then(|(_, o)| o.as_dict())
        else {
            return out;
        };
        let mut next = outlines.get(b"First").and_then(Object::as_reference).ok();
        let mut seen = HashSet::new();
        while let Some(id) = next {
            if !seen.insert(id) {
                break;
            }
            let Ok(item) = doc.get_dictionary(id) else {
                break;
            };
            if let Ok(Object::String(raw, _)) = item.get(b"Title") {
                out.push(decode_text_string(raw));
            }
            next = item.get(b"Next").and_then(Object::as_reference).ok();
        }
        out
    }));
    titles.map_err(|_| Error::BadFile(format!("该 PDF 文件{}。", PdfProblem::Damaged.says())))
}

/// A PDF text string: UTF-16BE with BOM, which every viewer (Acrobat, WPS, pdf.js, poppler)
/// shows correctly for Chinese.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Decode a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1).
fn decode_text_string(raw: &[u8]) -> String {
    if let Some(rest) = raw.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = raw.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    raw.iter().map(|&b| b as char).collect()
}

// ---------------------------------------------------------------------------------------------
// Merging

/// Objects of one item, numbered for the merged file, and its pages in order.
struct Imported {
    objects: Vec<(ObjectId, Object)>,
    pages: Vec<ObjectId>,
    next_id: u32,
}

/// Merge the items, in order, into one PDF with one bookmark per item. Items that cannot be
/// read are skipped and reported; if none can be read the merge fails. Checks `cancel`
/// between items.
pub fn merge(items: &[MergeItem], progress: &dyn Progress, cancel: &Cancel) -> Result<MergeReport> {
    let total = items.len() as u64 + 1;
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut next_id = doc.max_id + 1;
    let mut kids: Vec<ObjectId> = Vec::new();
    let mut marks: Vec<(String, ObjectId)> = Vec::new();
    let mut skipped: Vec<(usize, String)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        cancel.check()?;
        let title = clean_title(&item.title, i);
        if next_id > u32::MAX / 2 {
            // Object numbers are 32-bit; no real volume comes near this.
            skipped.push((
                i,
                format!("“{title}”使合并文件超出 PDF 的对象数上限，已跳过。"),
            ));
            continue;
        }
        progress.report(
            i as u64,
            total,
            &format!("正在合并第 {} 份材料“{}”", i + 1, title),
        );
        let result = catch_unwind(AssertUnwindSafe(|| match &item.kind {
            MergeKind::Pdf(b) => import_pdf(b, next_id, pages_id),
            MergeKind::Jpeg(b) => jpeg_image(b).map(|img| image_page(img, next_id, pages_id)),
            MergeKind::Png(b) => png_image(b).map(|img| image_page(img, next_id, pages_id)),
        }));
        match result {
            Ok(Ok(imp)) => {
                if let Some(&first) = imp.pages.first() {
                    marks.push((title, first));
                }
                kids.extend(imp.pages.iter().copied());
                next_id = imp.next_id;
                doc.objects.extend(imp.objects);
            }
            Ok(Err(reason)) => skipped.push((i, format!("“{title}”{reason}，已跳过。"))),
            Err(_) => skipped.push((
                i,
                format!("“{title}”{}，已跳过。", PdfProblem::Damaged.says()),
            )),
        }
    }
    cancel.check()?;
    if items.is_empty() {
        return Err(Error::Invalid("没有可合并的材料。".into()));
    }
    if kids.is_empty() {
        let mut msg = if items.len() == 1 {
            "这份材料无法读取，未生成合并文件。".to_string()
        } else {
            format!("全部 {} 份材料都无法读取，未生成合并文件。", items.len())
        };
        for (_, reason) in skipped.iter().take(3) {
            msg.push('\n');
            msg.push_str(reason);
        }
        return Err(Error::BadFile(msg));
    }
    progress.report(items.len() as u64, total, "正在生成合并文件");
    doc.max_id = next_id.saturating_sub(1);

    doc.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            (
                "Kids",
                Object::Array(kids.iter().map(|&k| Object::Reference(k)).collect()),
            ),
            ("Count", Object::Integer(kids.len() as i64)),
        ])),
    );
    let outlines_id = add_outline(&mut doc, &marks);
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    if let Some(o) = outlines_id {
        catalog.set("Outlines", Object::Reference(o));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let catalog_id = doc.add_object(catalog);
    let mut info = Dictionary::new();
    info.set("Producer", text_string("示范创建工作台"));
    let info_id = doc.add_object(info);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    doc.trailer.set("Info", Object::Reference(info_id));

    let mut bytes = Vec::new();
    let saved = catch_unwind(AssertUnwindSafe(|| doc.save_to(&mut bytes)));
    if !matches!(saved, Ok(Ok(()))) {
        return Err(Error::BadFile(
            "生成合并的 PDF 文件失败（材料中可能有结构异常的文件），请逐份检查后重试。".into(),
        ));
    }
    progress.report(total, total, "合并完成");
    Ok(MergeReport {
        bytes,
        pages: kids.len().min(u32::MAX as usize) as u32,
        skipped,
    })
}

/// Bookmark text: no control characters, not empty, at most 200 characters.
fn clean_title(title: &str, index: usize) -> String {
    let t: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .chars()
        .take(200)
        .collect();
    if t.is_empty() {
        format!("材料 {}", index + 1)
    } else {
        t
    }
}

/// One first-level outline entry per mark, each opening its first page.
fn add_outline(doc: &mut Document, marks: &[(String, ObjectId)]) -> Option<ObjectId> {
    if marks.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| doc.new_object_id()).collect();
    for (k, (title, page)) in marks.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(title));
        d.set("Parent", Object::Reference(root));
        if k > 0 {
            d.set("Prev", Object::Reference(ids[k - 1]));
        }
        if let Some(&n) = ids.get(k + 1) {
            d.set("Next", Object::Reference(n));
        }
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*page),
                Object::Name(b"Fit".to_vec()),
            ]),
        );
        doc.objects.insert(ids[k], Object::Dictionary(d));
    }
    let mut o = Dictionary::new();
    o.set("Type", Object::Name(b"Outlines".to_vec()));
    o.set("First", Object::Reference(ids[0]));
    o.set("Last", Object::Reference(ids[ids.len() - 1]));
    o.set("Count", Object::Integer(ids.len() as i64));
    doc.objects.insert(root, Object::Dictionary(o));
    Some(root)
}

/// A page attribute from the page or the nearest ancestor that has it.
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut current = page;
    let mut seen = HashSet::new();
    while seen.insert(current) && seen.len() < 64 {
        let node = doc.get_dictionary(current).ok()?;
        if let Ok(v) = node.get(key)
            && !matches!(v, Object::Null)
        {
            return Some(v.clone());
        }
        current = node.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

fn is_tree_node(obj: &Object) -> bool {
    let dict = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        _ => return false,
    };
    matches!(dict.get(b"Type"), Ok(Object::Name(n)) if n == b"Catalog" || n == b"Pages")
}

fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_refs(o, out)),
        // A stream's length is rewritten on copy; its indirect length object is not needed.
        Object::Stream(s) => s
            .dict
            .iter()
            .filter(|(k, _)| k.as_slice() != b"Length")
            .for_each(|(_, o)| collect_refs(o, out)),
        _ => {}
    }
}

/// Point references at the new numbers; a reference to something not copied (the old page
/// tree, the catalog, a missing object) becomes null, as a reader would take it anyway.
fn renumber(obj: &mut Object, map: &HashMap<ObjectId, ObjectId>) {
    match obj {
        Object::Reference(id) => {
            *obj = match map.get(id) {
                Some(&n) => Object::Reference(n),
                None => Object::Null,
            }
        }
        Object::Array(a) => a.iter_mut().for_each(|o| renumber(o, map)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| renumber(o, map)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| renumber(o, map)),
        _ => {}
    }
}

/// The pages of one PDF and what they use, numbered from `next_id`, under `parent`.
fn import_pdf(
    bytes: &[u8],
    next_id: u32,
    parent: ObjectId,
) -> std::result::Result<Imported, String> {
    let mut src = load(bytes).map_err(|p| p.says().to_string())?;
    let pages = pages_of(&src).map_err(|p| p.says().to_string())?;
    // Pages carry what they inherit, so they stand alone under the new page tree.
    let mut page_dicts: HashMap<ObjectId, Dictionary> = HashMap::new();
    for &p in &pages {
        let Ok(mut d) = src.get_dictionary(p).cloned() else {
            return Err(PdfProblem::Damaged.says().to_string());
        };
        let media = inherited(&src, p, b"MediaBox").unwrap_or_else(|| {
            Object::Array(vec![
                0.into(),
                0.into(),
                Object::Real(A4.0 as f32),
                Object::Real(A4.1 as f32),
            ])
        });
        if let Some(crop) = inherited(&src, p, b"CropBox") {
            d.set("CropBox", crop);
        }
        d.set("MediaBox", media);
        d.set(
            "Resources",
            inherited(&src, p, b"Resources").unwrap_or_else(|| Dictionary::new().into()),
        );
        if let Some(rotate) = inherited(&src, p, b"Rotate") {
            d.set("Rotate", rotate);
        }
        d.remove(b"Parent");
        // Article threads and structure tree entries point into the old catalog.
        d.remove(b"B");
        d.remove(b"StructParents");
        page_dicts.insert(p, d);
    }
    // Everything the pages reach, in discovery order.
    let mut map: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut order: Vec<ObjectId> = Vec::new();
    let mut stack: Vec<ObjectId> = pages.iter().rev().copied().collect();
    let mut id = next_id;
    while let Some(old) = stack.pop() {
        if map.contains_key(&old) {
            continue;
        }
        let mut refs = Vec::new();
        if let Some(d) = page_dicts.get(&old) {
            d.iter().for_each(|(_, o)| collect_refs(o, &mut refs));
        } else {
            match src.objects.get(&old) {
                Some(o) if !is_tree_node(o) => collect_refs(o, &mut refs),
                _ => continue,
            }
        }
        map.insert(old, (id, 0));
        id = id
            .checked_add(1)
            .ok_or_else(|| PdfProblem::Damaged.says().to_string())?;
        order.push(old);
        stack.extend(refs.into_iter().rev());
    }
    let mut objects = Vec::with_capacity(order.len());
    for old in &order {
        let mut obj = match page_dicts.remove(old) {
            Some(mut d) => {
                d.set("Parent", Object::Reference(parent));
                Object::Dictionary(d)
            }
            None => match src.objects.remove(old) {
                Some(o) => o,
                None => continue,
            },
        };
        renumber(&mut obj, &map);
        if let Object::Dictionary(d) = &mut obj
            && matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Page")
        {
            d.set("Parent", Object::Reference(parent));
        }
        if let Object::Stream(s) = &mut obj {
            // The length of what is there now (decrypted, repaired), not what the file said.
            s.dict.set("Length", s.content.len() as i64);
        }
        if let Some(&new) = map.get(old) {
            objects.push((new, obj));
        }
    }
    let new_pages = pages.iter().filter_map(|p| map.get(p).copied()).collect();
    Ok(Imported {
        objects,
        pages: new_pages,
        next_id: id,
    })
}

// ---------------------------------------------------------------------------------------------
// Images

/// An image ready to embed.
struct Image {
    width: u32,
    height: u32,
    /// Image XObject dictionary without Length.
    dict: Dictionary,
    data: Vec<u8>,
    /// Soft mask (alpha) samples, DeviceGray 8 bit, Flate-compressed.
    smask: Option<Vec<u8>>,
    /// EXIF orientation 1..=8.
    orientation: u8,
}

fn image_dict(width: u32, height: u32, space: &[u8], bits: i64, filter: &[u8]) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Image".to_vec()));
    d.set("Width", Object::Integer(width.into()));
    d.set("Height", Object::Integer(height.into()));
    d.set("ColorSpace", Object::Name(space.to_vec()));
    d.set("BitsPerComponent", Object::Integer(bits));
    d.set("Filter", Object::Name(filter.to_vec()));
    d
}

const JPEG_DAMAGED: &str = "不是有效的 JPEG 图片（文件可能已损坏或不完整）";

/// Read what PDF needs from a JPEG's markers: size, components, Adobe (inverted CMYK) flag,
/// EXIF orientation. The compressed data is embedded as it is.
fn jpeg_image(bytes: &[u8]) -> std::result::Result<Image, String> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(JPEG_DAMAGED.into());
    }
    let mut i = 2usize;
    let mut adobe = false;
    let mut orientation = 1u8;
    let mut sof: Option<(u32, u32, u8, u8)> = None;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err(JPEG_DAMAGED.into());
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if matches!(marker, 0xD0..=0xD7 | 0x01) {
            i += 2;
            continue;
        }
        if marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if len < 2 || i + 2 + len > bytes.len() {
            return Err(JPEG_DAMAGED.into());
        }
        let seg = &bytes[i + 4..i + 2 + len];
        match marker {
            0xC0..=0xC2 => {
                if seg.len() < 6 {
                    return Err(JPEG_DAMAGED.into());
                }
                let precision = seg[0];
                let height = u16::from_be_bytes([seg[1], seg[2]]) as u32;
                let width = u16::from_be_bytes([seg[3], seg[4]]) as u32;
                sof = Some((width, height, seg[5], precision));
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err("是无损或算术编码的 JPEG，PDF 阅读器普遍不支持，请另存为普通 JPEG 或 PNG 后重试".into());
            }
            0xE1 if seg.starts_with(b"Exif\0\0") => {
                orientation = exif_orientation(&seg[6..]).unwrap_or(1);
            }
            0xEE if seg.starts_with(b"Adobe") => adobe = true,
            0xDA => break,
            _ => {}
        }
        i += 2 + len;
    }
    let Some((width, height, components, precision)) = sof else {
        return Err(JPEG_DAMAGED.into());
    };
    if width == 0 || height == 0 || precision != 8 {
        return Err(JPEG_DAMAGED.into());
    }
    let space: &[u8] = match components {
        1 => b"DeviceGray",
        3 => b"DeviceRGB",
        4 => b"DeviceCMYK",
        _ => return Err(JPEG_DAMAGED.into()),
    };
    let mut dict = image_dict(width, height, space, 8, b"DCTDecode");
    if components == 4 && adobe {
        // Photoshop writes CMYK JPEGs inverted.
        dict.set(
            "Decode",
            Object::Array((0..4).flat_map(|_| [1.into(), 0.into()]).collect()),
        );
    }
    Ok(Image {
        width,
        height,
        dict,
        data: bytes.to_vec(),
        smask: None,
        orientation,
    })
}

/// Orientation tag (0x0112) of IFD0 in an EXIF TIFF block.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = tiff.get(o..o.checked_add(2)?)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b = tiff.get(o..o.checked_add(4)?)?;
        Some(if big {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for k in 0..count.min(512) {
        let e = ifd.checked_add(2 + k * 12)?;
        if u16_at(e)? == 0x0112 {
            let v = u16_at(e + 8)?;
            return (1..=8).contains(&v).then_some(v as u8);
        }
    }
    None
}

fn flate(data: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data)
        .and_then(|_| enc.finish())
        .map_err(|_| "无法压缩图片数据".to_string())
}

/// Decode a PNG (any bit depth, palette, interlace, transparency) into 8-bit gray or RGB
/// samples plus an alpha soft mask.
fn png_image(bytes: &[u8]) -> std::result::Result<Image, String> {
    const DAMAGED: &str = "不是有效的 PNG 图片（文件可能已损坏或不完整）";
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits { bytes: PNG_LIMIT },
    );
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| match e {
        png::DecodingError::LimitsExceeded => {
            "图片过大（解码后超过 256 MB），无法放入合并文件".to_string()
        }
        _ => DAMAGED.to_string(),
    })?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "图片过大（解码后超过 256 MB），无法放入合并文件".to_string())?;
    if size > PNG_LIMIT {
        return Err("图片过大（解码后超过 256 MB），无法放入合并文件".into());
    }
    let mut buf = vec![0u8; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|_| DAMAGED.to_string())?;
    if info.bit_depth != png::BitDepth::Eight || info.width == 0 || info.height == 0 {
        return Err(DAMAGED.into());
    }
    let (w, h) = (info.width as usize, info.height as usize);
    let (channels, has_alpha, space): (usize, bool, &[u8]) = match info.color_type {
        png::ColorType::Grayscale => (1, false, b"DeviceGray"),
        png::ColorType::GrayscaleAlpha => (2, true, b"DeviceGray"),
        png::ColorType::Rgb => (3, false, b"DeviceRGB"),
        png::ColorType::Rgba => (4, true, b"DeviceRGB"),
        png::ColorType::Indexed => return Err(DAMAGED.into()),
    };
    let color_n = if has_alpha { channels - 1 } else { channels };
    let mut color = Vec::with_capacity(w * h * color_n);
    let mut alpha = Vec::with_capacity(if has_alpha { w * h } else { 0 });
    for row in buf.chunks(info.line_size).take(h) {
        for px in row.chunks_exact(channels).take(w) {
            color.extend_from_slice(&px[..color_n]);
            if has_alpha {
                alpha.push(px[channels - 1]);
            }
        }
    }
    if color.len() != w * h * color_n {
        return Err(DAMAGED.into());
    }
    let smask = if has_alpha && alpha.iter().any(|&a| a != 255) {
        Some(flate(&alpha)?)
    } else {
        None
    };
    Ok(Image {
        width: info.width,
        height: info.height,
        dict: image_dict(info.width, info.height, space, 8, b"FlateDecode"),
        data: flate(&color)?,
        smask,
        orientation: 1,
    })
}

/// The matrix that draws the image's unit square into the box (x, y, w, h) as the image is
/// meant to be seen, for each EXIF orientation (row 0 / column 0 of the stored image are the
/// visual top/left, top/right, bottom/right, bottom/left, left/top, right/top, right/bottom,
/// left/bottom for 1 to 8).
fn placement(orientation: u8, x: f64, y: f64, w: f64, h: f64) -> [f64; 6] {
    match orientation {
        2 => [-w, 0.0, 0.0, h, x + w, y],
        3 => [-w, 0.0, 0.0, -h, x + w, y + h],
        4 => [w, 0.0, 0.0, -h, x, y + h],
        5 => [0.0, -h, -w, 0.0, x + w, y + h],
        6 => [0.0, -h, w, 0.0, x, y + h],
        7 => [0.0, h, w, 0.0, x, y],
        8 => [0.0, h, -w, 0.0, x + w, y],
        _ => [w, 0.0, 0.0, h, x, y],
    }
}

/// One A4 page (landscape for a wide image) showing the image.
fn image_page(img: Image, next_id: u32, parent: ObjectId) -> Imported {
    let (iw, ih) = if (5..=8).contains(&img.orientation) {
        (img.height as f64, img.width as f64)
    } else {
        (img.width as f64, img.height as f64)
    };
    let (pw, ph) = if iw > ih { (A4.1, A4.0) } else { A4 };
    let scale = ((pw - 2.0 * MARGIN) / iw)
        .min((ph - 2.0 * MARGIN) / ih)
        .min(1.0);
    let (w, h) = (iw * scale, ih * scale);
    let (x, y) = ((pw - w) / 2.0, (ph - h) / 2.0);
    let m = placement(img.orientation, x, y, w, h);
    let content = format!(
        "q {:.4} {:.4} {:.4} {:.4} {:.4} {:.4} cm /Im1 Do Q\n",
        m[0], m[1], m[2], m[3], m[4], m[5]
    );

    let image_id: ObjectId = (next_id, 0);
    let smask_id: ObjectId = (next_id + 1, 0);
    let content_id: ObjectId = (next_id + 2, 0);
    let page_id: ObjectId = (next_id + 3, 0);
    let mut objects = Vec::with_capacity(4);
    let mut dict = img.dict.clone();
    if let Some(mask) = &img.smask {
        let mut md = image_dict(img.width, img.height, b"DeviceGray", 8, b"FlateDecode");
        md.set("Length", mask.len() as i64);
        objects.push((smask_id, Object::Stream(Stream::new(md, mask.clone()))));
        dict.set("SMask", Object::Reference(smask_id));
    }
    objects.push((
        image_id,
        Object::Stream(Stream::new(dict, img.data.clone())),
    ));
    objects.push((
        content_id,
        Object::Stream(Stream::new(Dictionary::new(), content.into_bytes())),
    ));
    let mut xobjects = Dictionary::new();
    xobjects.set("Im1", Object::Reference(image_id));
    let mut resources = Dictionary::new();
    resources.set("XObject", Object::Dictionary(xobjects));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(parent));
    page.set(
        "MediaBox",
        Object::Array(vec![
            0.into(),
            0.into(),
            Object::Real(pw as f32),
            Object::Real(ph as f32),
        ]),
    );
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(content_id));
    objects.push((page_id, Object::Dictionary(page)));
    Imported {
        objects,
        pages: vec![page_id],
        next_id: next_id + 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    const EXIF6: &[u8] = include_bytes!("testdata/photo-exif6.jpg");
    const LANDSCAPE: &[u8] = include_bytes!("testdata/photo-landscape.jpg");
    const CMYK: &[u8] = include_bytes!("testdata/cmyk-adobe.jpg");
    const SEAL: &[u8] = include_bytes!("testdata/stamp-alpha.png");
    const PALETTE: &[u8] = include_bytes!("testdata/screenshot-palette.png");
    const XREF_STREAM: &[u8] = include_bytes!("testdata/scan-xref-stream.pdf");
    const LOCKED: &[u8] = include_bytes!("testdata/encrypted-open-password.pdf");
    const OWNER_ONLY: &[u8] = include_bytes!("testdata/encrypted-owner-only.pdf");

    /// A PDF of `n` text pages. With `inherit`, MediaBox and Resources sit on the page tree
    /// node (as many producers write them), not on the pages. With `title`, the document has
    /// a Chinese Info title and an outline of its own.
    fn text_pdf(n: usize, label: &str, inherit: bool, title: Option<&str>) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type1".to_vec())),
            ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ]));
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Reference(font));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        let media = Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]);
        let mut kids = Vec::new();
        for p in 0..n {
            let text = format!("BT /F1 28 Tf 72 700 Td ({label} page {}) Tj ET", p + 1);
            let content = doc.add_object(Stream::new(Dictionary::new(), text.into_bytes()));
            let mut page = Dictionary::new();
            page.set("Type", Object::Name(b"Page".to_vec()));
            page.set("Parent", Object::Reference(pages_id));
            page.set("Contents", Object::Reference(content));
            if !inherit {
                page.set("MediaBox", media.clone());
                page.set("Resources", Object::Dictionary(resources.clone()));
            }
            kids.push(Object::Reference(doc.add_object(page)));
        }
        let first = kids.first().cloned();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", Object::Integer(n as i64));
        pages.set("Kids", Object::Array(kids));
        if inherit {
            pages.set("MediaBox", media);
            pages.set("Resources", Object::Dictionary(resources));
        }
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        if let (Some(t), Some(first)) = (title, first) {
            let mut info = Dictionary::new();
            info.set("Title", text_string(t));
            let info_id = doc.add_object(info);
            doc.trailer.set("Info", Object::Reference(info_id));
            let outline_root = doc.new_object_id();
            let mut item = Dictionary::new();
            item.set("Title", text_string("原文件自带的书签"));
            item.set("Parent", Object::Reference(outline_root));
            item.set(
                "Dest",
                Object::Array(vec![first, Object::Name(b"Fit".to_vec())]),
            );
            let item_id = doc.add_object(item);
            let mut root = Dictionary::new();
            root.set("Type", Object::Name(b"Outlines".to_vec()));
            root.set("First", Object::Reference(item_id));
            root.set("Last", Object::Reference(item_id));
            root.set("Count", Object::Integer(1));
            doc.objects.insert(outline_root, Object::Dictionary(root));
            catalog.set("Outlines", Object::Reference(outline_root));
        }
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("saves");
        out
    }

    fn item(title: &str, kind: MergeKind) -> MergeItem {
        MergeItem {
            title: title.into(),
            kind,
        }
    }

    fn message(r: Result<u32>) -> String {
        match r {
            Err(e) => e.to_string(),
            Ok(n) => panic!("expected a refusal, got {n} pages"),
        }
    }

    #[test]
    fn page_counts_and_refusals_in_chinese() {
        assert_eq!(page_count(&text_pdf(3, "a", false, None)).unwrap(), 3);
        assert_eq!(
            page_count(&text_pdf(2, "b", true, Some("中文标题"))).unwrap(),
            2
        );
        assert_eq!(page_count(XREF_STREAM).unwrap(), 1);
        // Owner password only: opens without asking, so it is read.
        assert_eq!(page_count(OWNER_ONLY).unwrap(), 1);
        let locked = message(page_count(LOCKED));
        assert!(
            locked.contains("已加密") && locked.ends_with('。'),
            "{locked}"
        );
        let good = text_pdf(3, "c", false, None);
        let damaged = message(page_count(&good[..good.len() / 3]));
        assert!(
            damaged.contains("已损坏") || damaged.contains("没有任何页面"),
            "{damaged}"
        );
        assert!(message(page_count(b"%PDF-1.7\ngarbage")).contains("PDF 文件"));
        assert!(message(page_count(b"PK\x03\x04 a zip")).contains("不是 PDF 文件"));
        assert!(message(page_count(&[])).contains("不是 PDF 文件"));
        assert!(message(page_count(EXIF6)).contains("不是 PDF 文件"));
    }

    #[test]
    fn kinds_are_sniffed_by_content() {
        assert!(matches!(
            MergeKind::sniff(EXIF6.to_vec()),
            Some(MergeKind::Jpeg(_))
        ));
        assert!(matches!(
            MergeKind::sniff(SEAL.to_vec()),
            Some(MergeKind::Png(_))
        ));
        assert!(matches!(
            MergeKind::sniff(XREF_STREAM.to_vec()),
            Some(MergeKind::Pdf(_))
        ));
        assert!(MergeKind::sniff(b"PK\x03\x04".to_vec()).is_none());
    }

    #[test]
    fn jpeg_headers_are_read_without_decoding() {
        let img = jpeg_image(EXIF6).unwrap();
        assert_eq!((img.width, img.height, img.orientation), (320, 240, 6));
        assert_eq!(img.data, EXIF6, "embedded as is");
        let cmyk = jpeg_image(CMYK).unwrap();
        assert_eq!(
            cmyk.dict.get(b"ColorSpace").unwrap(),
            &Object::Name(b"DeviceCMYK".to_vec())
        );
        assert!(cmyk.dict.has(b"Decode"), "Adobe CMYK is inverted");
        let landscape = jpeg_image(LANDSCAPE).unwrap();
        assert_eq!(
            (landscape.width, landscape.height, landscape.orientation),
            (480, 320, 1)
        );
        assert!(jpeg_image(&EXIF6[..40]).is_err());
        assert!(jpeg_image(b"\xFF\xD8\xFF\xE0").is_err());
    }

    #[test]
    fn every_exif_orientation_lands_in_the_box() {
        let (x, y, w, h) = (10.0, 20.0, 300.0, 400.0);
        for o in 1..=8u8 {
            let m = placement(o, x, y, w, h);
            let corners: Vec<(f64, f64)> = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
                .iter()
                .map(|&(u, v)| (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]))
                .collect();
            let xs: Vec<f64> = corners.iter().map(|c| c.0).collect();
            let ys: Vec<f64> = corners.iter().map(|c| c.1).collect();
            let min = |v: &[f64]| v.iter().cloned().fold(f64::MAX, f64::min);
            let max = |v: &[f64]| v.iter().cloned().fold(f64::MIN, f64::max);
            assert_eq!(
                (min(&xs), max(&xs), min(&ys), max(&ys)),
                (x, x + w, y, y + h),
                "{o}"
            );
        }
        // Orientation 6: the stored top row is shown on the right.
        let m = placement(6, x, y, w, h);
        let top_left = (m[2] + m[4], m[3] + m[5]);
        assert_eq!(top_left, (x + w, y + h));
    }

    #[test]
    fn text_strings_are_utf16_with_bom_and_read_back() {
        let Object::String(raw, _) = text_string("第一卷 “指标27” 重大行政决策")
        else {
            panic!("string");
        };
        assert_eq!(&raw[..2], &[0xFE, 0xFF]);
        assert_eq!(decode_text_string(&raw), "第一卷 “指标27” 重大行政决策");
        assert_eq!(decode_text_string(b"Plain"), "Plain");
    }

    /// One volume from everything a unit sends: PDFs (inherited attributes, xref streams, an
    /// owner-password one, one with its own Chinese title and outline), phone photos, a CMYK
    /// JPEG, PNGs with alpha and a palette, plus a damaged and a locked PDF that are skipped.
    #[test]
    fn a_volume_merges_everything_readable_with_chinese_bookmarks() {
        let report_pdf = text_pdf(3, "Annual report", false, None);
        let inherited = text_pdf(2, "Inherited attributes", true, None);
        let titled = text_pdf(
            1,
            "Own outline",
            false,
            Some("区政府关于法治政府建设情况的报告"),
        );
        let damaged = {
            let mut b = text_pdf(2, "damaged", false, None);
            b.truncate(b.len() / 2);
            b.extend_from_slice(b"\x00\x00garbage");
            b
        };
        let items = vec![
            item(
                "1. 2023年度法治政府建设情况报告",
                MergeKind::Pdf(report_pdf),
            ),
            item(
                "2. 现场检查照片（竖拍，EXIF 旋转）",
                MergeKind::Jpeg(EXIF6.to_vec()),
            ),
            item(
                "3. 会议现场照片（横拍）",
                MergeKind::Jpeg(LANDSCAPE.to_vec()),
            ),
            item("4. 公章（透明背景 PNG）", MergeKind::Png(SEAL.to_vec())),
            item(
                "5. 网页截图（调色板 PNG）",
                MergeKind::Png(PALETTE.to_vec()),
            ),
            item("6. 印刷稿（CMYK）", MergeKind::Jpeg(CMYK.to_vec())),
            item("7. 已损坏的文件", MergeKind::Pdf(damaged)),
            item("8. 加密的文件", MergeKind::Pdf(LOCKED.to_vec())),
            item("9. 限制打印的文件", MergeKind::Pdf(OWNER_ONLY.to_vec())),
            item("10. 扫描件（对象流）", MergeKind::Pdf(XREF_STREAM.to_vec())),
            item("11. 继承页面属性的文件", MergeKind::Pdf(inherited)),
            item("12. 自带中文标题和书签的文件", MergeKind::Pdf(titled)),
        ];
        let reports = std::sync::Mutex::new(Vec::new());
        struct Rec<'a>(&'a std::sync::Mutex<Vec<(u64, u64, String)>>);
        impl Progress for Rec<'_> {
            fn report(&self, done: u64, total: u64, what: &str) {
                self.0.lock().unwrap().push((done, total, what.to_string()));
            }
        }
        let out = merge(&items, &Rec(&reports), &Cancel::new()).unwrap();

        assert_eq!(out.pages, 3 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 1);
        let skipped: Vec<usize> = out.skipped.iter().map(|s| s.0).collect();
        assert_eq!(skipped, vec![6, 7], "{:?}", out.skipped);
        assert!(out.skipped[0].1.contains("已损坏") && out.skipped[0].1.contains("已损坏的文件"));
        assert!(out.skipped[1].1.contains("已加密"), "{}", out.skipped[1].1);
        assert!(out.skipped.iter().all(|s| s.1.ends_with("已跳过。")));

        assert_eq!(page_count(&out.bytes).unwrap(), out.pages);
        let want: Vec<String> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| !skipped.contains(i))
            .map(|(_, it)| it.title.clone())
            .collect();
        assert_eq!(outline_titles(&out.bytes).unwrap(), want);

        // Each bookmark opens the first page of its item.
        let doc = Document::load_mem(&out.bytes).unwrap();
        let page_no: HashMap<ObjectId, u32> =
            doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
        let first_pages = [1, 4, 5, 6, 7, 8, 9, 10, 11, 13];
        let outlines = doc
            .catalog()
            .unwrap()
            .get(b"Outlines")
            .unwrap()
            .as_reference()
            .unwrap();
        let mut next = doc
            .get_dictionary(outlines)
            .unwrap()
            .get(b"First")
            .unwrap()
            .as_reference()
            .ok();
        let mut got = Vec::new();
        while let Some(id) = next {
            let d = doc.get_dictionary(id).unwrap();
            let dest = d.get(b"Dest").unwrap().as_array().unwrap();
            got.push(page_no[&dest[0].as_reference().unwrap()]);
            next = d.get(b"Next").and_then(Object::as_reference).ok();
        }
        assert_eq!(got, first_pages);

        // Image pages: A4, portrait for the upright photo, landscape for the wide one.
        let media = |n: u32| -> Vec<f32> {
            let id = doc.get_pages()[&n];
            doc.get_dictionary(id)
                .unwrap()
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect()
        };
        assert!((media(4)[2] - 595.28).abs() < 0.1 && (media(4)[3] - 841.89).abs() < 0.1);
        assert!((media(5)[2] - 841.89).abs() < 0.1 && (media(5)[3] - 595.28).abs() < 0.1);
        // Inherited MediaBox made it onto the pages of item 11.
        assert_eq!(media(11), vec![0.0, 0.0, 595.0, 842.0]);

        // Progress: one report per item, then the file, then done.
        let r = reports.lock().unwrap();
        assert_eq!(r.len(), items.len() + 2);
        assert_eq!(r.last().map(|x| (x.0, x.1)), Some((13, 13)));
        assert!(r[1].2.contains("现场检查照片"));

        if let Ok(path) = std::env::var("SHIFAN_KEEP_MERGED_PDF") {
            std::fs::write(path, &out.bytes).unwrap();
        }
        // Other readers accept the file, where they are installed.
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), &out.bytes).unwrap();
        if let Ok(o) = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(tmp.path())
            .output()
        {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        }
        if let Ok(o) = std::process::Command::new("pdfinfo")
            .arg(tmp.path())
            .output()
        {
            let text = String::from_utf8_lossy(&o.stdout);
            let pages = text
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .map(|v| v.trim().to_string());
            assert!(
                o.status.success() && pages.as_deref() == Some("13"),
                "{text}"
            );
        }
    }

    #[test]
    fn nothing_readable_is_an_error_and_cancel_stops_before_work() {
        let e = merge(
            &[item("加密", MergeKind::Pdf(LOCKED.to_vec()))],
            &NoProgress,
            &Cancel::new(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("无法读取") && e.to_string().contains("已加密"),
            "{e}"
        );
        let two = [
            item("加密", MergeKind::Pdf(LOCKED.to_vec())),
            item("空白", MergeKind::Png(Vec::new())),
        ];
        let e = merge(&two, &NoProgress, &Cancel::new()).unwrap_err();
        assert!(e.to_string().starts_with("全部 2 份材料都无法读取"), "{e}");
        assert!(e.to_string().contains("“空白”不是有效的 PNG 图片"), "{e}");
        assert!(matches!(
            merge(&[], &NoProgress, &Cancel::new()),
            Err(Error::Invalid(_))
        ));
        let c = Cancel::new();
        c.cancel();
        let e = merge(
            &[item("照片", MergeKind::Jpeg(EXIF6.to_vec()))],
            &NoProgress,
            &c,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Cancelled));
    }

    /// Deterministic mutations of every kind of input: truncations and byte flips never panic
    /// and never fail the volume, they only skip the item.
    #[test]
    fn mangled_inputs_are_skipped_never_a_panic() {
        let base_pdf = text_pdf(2, "fuzz", true, Some("标题"));
        let seeds: Vec<(&str, Vec<u8>)> = vec![
            ("pdf", base_pdf),
            ("xref", XREF_STREAM.to_vec()),
            ("jpeg", EXIF6.to_vec()),
            ("png", SEAL.to_vec()),
            ("palette", PALETTE.to_vec()),
        ];
        let mut state = 0x2545_f491_u64;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let good = item("好的照片", MergeKind::Jpeg(LANDSCAPE.to_vec()));
        let mut tried = 0;
        for (kind, seed) in &seeds {
            for round in 0..40 {
                let mut b = seed.clone();
                if round % 4 == 0 {
                    b.truncate((rnd() as usize) % b.len().max(1));
                } else {
                    for _ in 0..(1 + rnd() % 8) {
                        let at = (rnd() as usize) % b.len().max(1);
                        if let Some(x) = b.get_mut(at) {
                            *x = rnd() as u8;
                        }
                    }
                }
                let k = match *kind {
                    "jpeg" => MergeKind::Jpeg(b.clone()),
                    "png" | "palette" => MergeKind::Png(b.clone()),
                    _ => MergeKind::Pdf(b.clone()),
                };
                let _ = page_count(&b);
                let out = merge(
                    &[item("变异", k), good.clone()],
                    &NoProgress,
                    &Cancel::new(),
                )
                .expect("the good photo alone makes a volume");
                assert!(out.pages >= 1);
                assert_eq!(page_count(&out.bytes).unwrap(), out.pages);
                tried += 1;
            }
        }
        assert_eq!(tried, 200);
    }
}
