//! Tables inside a Word (.docx) document, read straight from `word/document.xml` as the document
//! reads when every change is accepted and every form is shown as filled.
//!
//! - Horizontal merges (`w:gridSpan`) and vertical merges (`w:vMerge`) are expanded so every grid
//!   position holds the text of the cell that covers it, exactly as for merged Excel regions.
//! - Tracked changes read as accepted: inserted text (`w:ins`) and moved-to text (`w:moveTo`)
//!   are kept; deleted text (`w:del`, `w:delText`) and moved-from text (`w:moveFrom`) are gone,
//!   and so are deleted rows (`w:trPr/w:del`) and cells (`w:cellDel`); the old properties kept
//!   in `w:pPrChange`/`w:rPrChange`/… are ignored.
//! - Content controls (`w:sdt`) are read for their content, except placeholder text
//!   (`w:showingPlcHdr`, or a run in the "Placeholder Text" style inside a control), which is
//!   an empty cell. Hidden text (`w:vanish`) is not read; text boxes are not part of a cell.
//! - Automatic numbering (`w:numPr` on a paragraph, or on its style) is written out as Word
//!   shows it ("1", "（一）"), counted per list (`w:num`) and level from `word/numbering.xml`,
//!   respecting `w:start` and `w:startOverride`.
//! - A table nested in a cell (layout tables) is a table of its own, named "表格N-k" after the
//!   table holding it; its text is not part of the outer cell.
//! - A table continued after a page break — the next table, with only blank paragraphs or a
//!   "（续表）" line between, repeating the header or announced as a continuation with the same
//!   number of columns — is one grid; the repeated header rows are dropped and places in the
//!   continuation are named after its own table ("表格2第5行").

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Cell, Continuation, Grid};
use crate::error::Error;
use crate::text::clean_cell;

/// Largest part read besides the body (numbering, styles).
const PART_LIMIT: u64 = 16 * 1024 * 1024;
/// Tables nested deeper than this are not returned (layouts nest two or three levels).
const MAX_NESTING: usize = 6;
/// Paragraphs kept as the caption of a nested table (the last ones before it).
const CAPTION_KEPT: usize = 20;

/// How deep a table name is nested: "表格1" 0, "表格1-2" 1.
fn tables_depth(name: &str) -> usize {
    name.matches('-').count()
}

#[derive(Default)]
struct RawCell {
    text: String,
    span: usize,
    /// Some(true) = restart, Some(false) = continue, None = not merged vertically.
    vmerge: Option<bool>,
    deleted: bool,
    /// The last paragraph's mark was deleted: the next paragraph joins it.
    join_next: bool,
}

#[derive(Default)]
struct RawRow {
    cells: Vec<RawCell>,
    deleted: bool,
    grid_before: usize,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let local = name.rsplit(':').next().unwrap_or(name);
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        if key == name || key == local {
            Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.to_string()),
            )
        } else {
            None
        }
    })
}

fn attr_val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "w:val")
}

/// An on/off property (`<w:vanish/>`, `<w:vanish w:val="false"/>`).
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(attr_val(e).as_deref(), Some("0" | "false" | "off" | "none"))
}

fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    wanted: &str,
    limit: u64,
) -> Option<Result<String, String>> {
    let name = zip
        .file_names()
        .filter_map(|n| n.ok())
        .find(|n| n.replace('\\', "/") == wanted)
        .map(|n| n.into_owned())?;
    let entry = match zip.by_name(&name) {
        Ok(e) => e,
        Err(e) => return Some(Err(format!("文件已损坏（{e}）。"))),
    };
    if entry.size() > limit {
        return Some(Err("正文解压后过大，已拒绝读取。".into()));
    }
    let mut s = String::new();
    Some(
        entry
            .take(limit)
            .read_to_string(&mut s)
            .map(|_| s)
            .map_err(|e| format!("正文无法解码（{e}）。")),
    )
}

/// Read every table of a .docx as a grid: top-level tables "表格1", "表格2", …, nested ones
/// "表格1-1", …, continued tables joined (see the module documentation).
pub fn read_tables(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, Error> {
    let bad = |why: String| Error::BadFile(format!("无法读取 Word 文档“{file}”：{why}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("文件已损坏（{e}）。")))?;
    let xml = read_part(&mut zip, "word/document.xml", 200 * 1024 * 1024)
        .ok_or_else(|| bad("缺少正文（word/document.xml）。".into()))?
        .map_err(bad)?;
    // Numbering and styles only add to what is read (a damaged one is ignored), and are only
    // read when the body can use them: styles.xml is often bigger than the body.
    let uses_styles = xml.contains("<w:pStyle ");
    let numbering = if xml.contains("<w:numPr") || uses_styles {
        read_part(&mut zip, "word/numbering.xml", PART_LIMIT)
            .and_then(Result::ok)
            .map(|x| Numbering::parse(&x))
            .unwrap_or_default()
    } else {
        Numbering::default()
    };
    let controls = xml.contains("<w:sdt>") || xml.contains("<w:sdt ");
    let styles = if controls || (uses_styles && !numbering.nums.is_empty()) {
        read_part(&mut zip, "word/styles.xml", PART_LIMIT)
            .and_then(Result::ok)
            .filter(|x| x.contains("w:numId") || x.contains("Placeholder"))
            .map(|x| Styles::parse(&x))
            .unwrap_or_default()
    } else {
        Styles::default()
    };
    parse_document_with(&xml, numbering, &styles)
        .map_err(|e| bad(format!("正文 XML 有误（{e}）。")))
}

// ---------------------------------------------------------------------------------------------
// Numbering (word/numbering.xml)

#[derive(Debug, Clone, Default)]
struct Level {
    start: Option<i64>,
    fmt: Option<String>,
    text: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: u32,
    start_override: HashMap<u32, i64>,
    levels: HashMap<u32, Level>,
}

/// The lists of a document and their counters while the body is read.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<u32, HashMap<u32, Level>>,
    /// Abstract lists that take their levels from a numbering style (`w:numStyleLink`), and
    /// the abstract list defining each numbering style (`w:styleLink`).
    style_links: HashMap<u32, String>,
    style_defs: HashMap<String, u32>,
    nums: HashMap<u32, Num>,
    /// Counters per abstract list and level.
    counters: HashMap<u32, [Option<i64>; 9]>,
    /// Levels of lists with a start override that have started.
    restarted: std::collections::HashSet<(u32, u32)>,
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        let mut abs: Option<u32> = None;
        let mut num: Option<u32> = None;
        let mut over: Option<u32> = None;
        let mut lvl: Option<u32> = None;
        let num_attr = |e: &BytesStart<'_>, a: &str| attr(e, a).and_then(|v| v.parse::<u32>().ok());
        loop {
            let ev = match r.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(ev) => ev,
            };
            match ev {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name();
                    match name.as_ref() {
                        "w:abstractNum" => {
                            abs = num_attr(&e, "w:abstractNumId");
                            if let Some(a) = abs {
                                n.abstracts.entry(a).or_default();
                            }
                        }
                        "w:num" => {
                            num = num_attr(&e, "w:numId");
                            if let Some(id) = num {
                                n.nums.entry(id).or_default();
                            }
                        }
                        "w:lvlOverride" => over = num_attr(&e, "w:ilvl"),
                        "w:numStyleLink" | "w:styleLink" if num.is_none() => {
                            if let (Some(a), Some(v)) = (abs, attr_val(&e)) {
                                if name.as_ref() == "w:styleLink" {
                                    n.style_defs.insert(v, a);
                                } else {
                                    n.style_links.insert(a, v);
                                }
                            }
                        }
                        "w:lvl" => lvl = num_attr(&e, "w:ilvl").or(over),
                        "w:abstractNumId" => {
                            if let (Some(id), Some(v)) =
                                (num, attr_val(&e).and_then(|v| v.parse().ok()))
                                && let Some(x) = n.nums.get_mut(&id)
                            {
                                x.abstract_id = v;
                            }
                        }
                        "w:startOverride" => {
                            if let (Some(id), Some(l), Some(v)) =
                                (num, over, attr_val(&e).and_then(|v| v.parse().ok()))
                                && let Some(x) = n.nums.get_mut(&id)
                            {
                                x.start_override.insert(l, v);
                            }
                        }
                        "w:start" | "w:numFmt" | "w:lvlText" => {
                            let Some(l) = lvl else { continue };
                            let level = match (num, abs) {
                                (Some(id), _) => {
                                    n.nums.get_mut(&id).map(|x| x.levels.entry(l).or_default())
                                }
                                (None, Some(a)) => {
                                    n.abstracts.get_mut(&a).map(|x| x.entry(l).or_default())
                                }
                                _ => None,
                            };
                            let Some(level) = level else { continue };
                            let v = attr_val(&e);
                            match name.as_ref() {
                                "w:start" => level.start = v.and_then(|v| v.parse().ok()),
                                "w:numFmt" => level.fmt = v,
                                // A label is a few characters; a hostile one is not repeated
                                // on every paragraph.
                                _ => level.text = v.filter(|t| t.chars().count() <= 64),
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    "w:abstractNum" => abs = None,
                    "w:num" => num = None,
                    "w:lvlOverride" => over = None,
                    "w:lvl" => lvl = None,
                    _ => {}
                },
                _ => {}
            }
        }
        n
    }

    /// A list that only links to a numbering style takes the levels of the list defining it.
    fn resolved(&self, abstract_id: u32) -> u32 {
        self.style_links
            .get(&abstract_id)
            .and_then(|style| self.style_defs.get(style))
            .copied()
            .unwrap_or(abstract_id)
    }

    /// The definition of one level of a list: the list's own override over its abstract list.
    fn level(&self, num: &Num, ilvl: u32) -> Level {
        let abstract_id = self.resolved(num.abstract_id);
        let base = self
            .abstracts
            .get(&abstract_id)
            .and_then(|a| a.get(&ilvl))
            .cloned()
            .unwrap_or_default();
        match num.levels.get(&ilvl) {
            Some(o) => Level {
                start: o.start.or(base.start),
                fmt: o.fmt.clone().or(base.fmt),
                text: o.text.clone().or(base.text),
            },
            None => base,
        }
    }

    /// Count one numbered paragraph and return its label as Word shows it ("3.", "（二）").
    /// None for an unknown list, bullets and lists without a number.
    ///
    /// As in Word, lists (`w:num`) of one abstract list continue each other's counters; a list
    /// with a `w:startOverride` restarts the level at its first paragraph there.
    fn next(&mut self, num_id: u32, ilvl: u32) -> Option<String> {
        let ilvl = ilvl.min(8);
        let num = self.nums.get(&num_id)?.clone();
        let def = self.level(&num, ilvl);
        if def.fmt.is_none() && def.text.is_none() && def.start.is_none() {
            // Not defined: better no number than a made-up one.
            return None;
        }
        let start_of = |this: &Numbering, l: u32| -> i64 {
            num.start_override
                .get(&l)
                .copied()
                .or_else(|| this.level(&num, l).start)
                .unwrap_or(0)
        };
        let start = start_of(self, ilvl);
        let restart =
            num.start_override.contains_key(&ilvl) && self.restarted.insert((num_id, ilvl));
        let key = self.resolved(num.abstract_id);
        let counters = self.counters.entry(key).or_insert([None; 9]);
        let i = ilvl as usize;
        counters[i] = Some(match counters[i] {
            Some(v) if !restart => v.saturating_add(1),
            _ => start,
        });
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        let values = *counters;
        let fmt = def.fmt.as_deref().unwrap_or("decimal");
        if fmt == "bullet" {
            return None;
        }
        let template = def.text.unwrap_or_else(|| format!("%{}", i + 1));
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let l = d - 1;
                let v = values[l as usize].unwrap_or_else(|| start_of(self, l));
                let f = if l == ilvl {
                    fmt.to_string()
                } else {
                    self.level(&num, l).fmt.unwrap_or_else(|| "decimal".into())
                };
                out.push_str(&format_counter(v, &f));
            } else {
                out.push(c);
            }
        }
        let out = out.trim().to_string();
        (!out.is_empty()).then_some(out)
    }
}

/// A list counter in one of Word's number formats.
fn format_counter(n: i64, fmt: &str) -> String {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
    match fmt {
        "none" => String::new(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xfee0).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            CIRCLED
                .chars()
                .nth(n as usize - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalEnclosedParen" => format!("({n})"),
        "decimalEnclosedFullstop" => format!("{n}."),
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographDigital"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese(n, false),
        "chineseLegalSimplified" | "ideographLegalTraditional" | "japaneseLegal" => {
            chinese(n, true)
        }
        "ideographTraditional" if (1..=10).contains(&n) => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(n as usize - 1)
            .map(String::from)
            .unwrap_or_default(),
        "ideographZodiac" if (1..=12).contains(&n) => "子丑寅卯辰巳午未申酉戌亥"
            .chars()
            .nth(n as usize - 1)
            .map(String::from)
            .unwrap_or_default(),
        // Beyond ZZZ…: a counter from a hostile start value must not ask for gigabytes.
        "lowerLetter" | "upperLetter" if (1..=26 * 8).contains(&n) => {
            let base = if fmt == "lowerLetter" { b'a' } else { b'A' };
            let c = char::from(base + ((n - 1) % 26) as u8);
            std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize).collect()
        }
        "lowerRoman" | "upperRoman" if (1..4000).contains(&n) => {
            let r = roman(n);
            if fmt == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: i64) -> String {
    const T: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// 12 → "十二", 105 → "一百零五" (or 壹佰零伍 in the legal style), up to 9999.
fn chinese(n: i64, legal: bool) -> String {
    let digits: Vec<char> = if legal {
        "零壹贰叁肆伍陆柒捌玖".chars().collect()
    } else {
        "零一二三四五六七八九".chars().collect()
    };
    let units: Vec<char> = if legal {
        "拾佰仟".chars().collect()
    } else {
        "十百千".chars().collect()
    };
    if !(0..10000).contains(&n) {
        return n.to_string();
    }
    if n < 10 {
        return digits[n as usize].to_string();
    }
    let parts = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut s = String::new();
    let mut zero = false;
    let mut started = false;
    for (i, d) in parts.iter().enumerate() {
        let unit = match i {
            0 => Some(units[2]),
            1 => Some(units[1]),
            2 => Some(units[0]),
            _ => None,
        };
        if *d == 0 {
            zero = started;
            continue;
        }
        if zero {
            s.push(digits[0]);
            zero = false;
        }
        // "十二", not "一十二", when the number starts at the tens.
        if i != 2 || started || *d != 1 || legal {
            s.push(digits[*d as usize]);
        }
        if let Some(u) = unit {
            s.push(u);
        }
        started = true;
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Styles (word/styles.xml): numbering given by a paragraph style, the placeholder style.

#[derive(Debug, Default)]
pub(crate) struct Styles {
    /// Paragraph style id → (based on, numId, ilvl).
    para: HashMap<String, (Option<String>, Option<u32>, Option<u32>)>,
    /// Character style ids of placeholder text ("PlaceholderText", or a localised id).
    placeholder: Vec<String>,
}

impl Styles {
    fn parse(xml: &str) -> Styles {
        let mut s = Styles::default();
        let mut r = Reader::from_str(xml);
        let mut cur: Option<(String, bool)> = None; // (id, is paragraph style)
        loop {
            let ev = match r.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(ev) => ev,
            };
            match ev {
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    "w:style" => {
                        let id = attr(&e, "w:styleId").unwrap_or_default();
                        let ty = attr(&e, "w:type").unwrap_or_default();
                        if ty == "character" && id == "PlaceholderText" {
                            s.placeholder.push(id.clone());
                        }
                        if ty == "paragraph" {
                            s.para.insert(id.clone(), (None, None, None));
                        }
                        cur = Some((id, ty == "paragraph"));
                    }
                    "w:name" => {
                        if let Some((id, false)) = &cur
                            && attr_val(&e)
                                .is_some_and(|n| n.eq_ignore_ascii_case("Placeholder Text"))
                            && !s.placeholder.contains(id)
                        {
                            s.placeholder.push(id.clone());
                        }
                    }
                    "w:basedOn" | "w:numId" | "w:ilvl" => {
                        if let Some((id, true)) = &cur
                            && let Some(p) = s.para.get_mut(id)
                        {
                            let v = attr_val(&e);
                            match e.name().as_ref() {
                                "w:basedOn" => p.0 = v,
                                "w:numId" => p.1 = v.and_then(|v| v.parse().ok()),
                                _ => p.2 = v.and_then(|v| v.parse().ok()),
                            }
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.name().as_ref() == "w:style" => cur = None,
                _ => {}
            }
        }
        s
    }

    fn is_placeholder(&self, id: &str) -> bool {
        id == "PlaceholderText" || self.placeholder.iter().any(|p| p == id)
    }

    /// The list a paragraph style puts its paragraphs in (following `w:basedOn`).
    fn numbering(&self, style: &str) -> (Option<u32>, Option<u32>) {
        let (mut num, mut lvl) = (None, None);
        let mut id = Some(style.to_string());
        for _ in 0..10 {
            let Some(s) = id.as_deref().and_then(|i| self.para.get(i)) else {
                break;
            };
            num = num.or(s.1);
            lvl = lvl.or(s.2);
            id = s.0.clone();
        }
        (num, lvl)
    }
}

// ---------------------------------------------------------------------------------------------
// The body.

struct TableState {
    slot: usize,
    name: String,
    /// Nested deeper than layouts go: read as structure only, not returned.
    discard: bool,
    top_level: bool,
    caption: Vec<String>,
    rows: Vec<RawRow>,
    row: Option<RawRow>,
    cell: Option<RawCell>,
    /// Text of the cell paragraphs read so far (the caption of a nested table).
    seen: Vec<String>,
    nested: usize,
    /// Tracked changes, placeholder texts and automatic numbers met in the table.
    revisions: usize,
    placeholders: usize,
    numbered: usize,
}

#[derive(Default)]
struct Para {
    text: String,
    num_id: Option<u32>,
    ilvl: Option<u32>,
    style: Option<String>,
    mark_deleted: bool,
}

/// Element-scoped flags: each is the XML depth at which it was entered.
#[derive(Default)]
struct Scopes {
    /// Content that the accepted, filled-in document does not show.
    skip: Vec<usize>,
    trpr: Option<usize>,
    tcpr: Option<usize>,
    ppr: Option<usize>,
    rpr: Option<usize>,
    sdtpr: Option<usize>,
}

struct Sdt {
    depth: usize,
    placeholder: bool,
}

#[cfg(test)]
fn parse_document(xml: &str) -> Result<Vec<Grid>, quick_xml::Error> {
    parse_document_with(xml, Numbering::default(), &Styles::default())
}

fn parse_document_with(
    xml: &str,
    mut numbering: Numbering,
    styles: &Styles,
) -> Result<Vec<Grid>, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<Option<(Grid, bool, Counts)>> = Vec::new();
    let mut captions: Vec<String> = Vec::new();
    let mut tables: Vec<TableState> = Vec::new();
    let mut top_count = 0usize;
    let mut paras: Vec<Para> = Vec::new();
    let mut sc = Scopes::default();
    let mut sdts: Vec<Sdt> = Vec::new();
    let mut depth = 0usize;
    let mut in_text = false;
    let mut run_hidden = false;
    let mut run_style_placeholder = false;
    let skipping = |sc: &Scopes| !sc.skip.is_empty();
    loop {
        let ev = reader.read_event()?;
        let (e, empty) = match &ev {
            Event::Eof => break,
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            if !empty {
                depth += 1;
            }
            let name = e.name();
            let name = name.as_ref();
            // Structure first: it is kept even inside skipped content.
            match name {
                "w:tbl" if !empty => {
                    let slot = out.len();
                    out.push(None);
                    let state = match tables.last_mut() {
                        Some(parent) => {
                            parent.nested += 1;
                            // Tables nested deeper than layouts go are read as structure only
                            // and not returned.
                            let discard =
                                parent.discard || tables_depth(&parent.name) >= MAX_NESTING;
                            let mut caption = Vec::new();
                            if !discard {
                                caption.extend(parent.caption.iter().cloned());
                                caption.extend(parent.seen.iter().cloned());
                                let keep = caption.len().saturating_sub(CAPTION_KEPT);
                                caption.drain(..keep);
                            }
                            TableState {
                                slot,
                                name: if discard {
                                    parent.name.clone()
                                } else {
                                    format!("{}-{}", parent.name, parent.nested)
                                },
                                discard,
                                top_level: false,
                                caption,
                                rows: Vec::new(),
                                row: None,
                                cell: None,
                                seen: Vec::new(),
                                nested: 0,
                                revisions: 0,
                                placeholders: 0,
                                numbered: 0,
                            }
                        }
                        None => {
                            top_count += 1;
                            TableState {
                                slot,
                                name: format!("表格{top_count}"),
                                discard: false,
                                top_level: true,
                                caption: std::mem::take(&mut captions),
                                rows: Vec::new(),
                                row: None,
                                cell: None,
                                seen: Vec::new(),
                                nested: 0,
                                revisions: 0,
                                placeholders: 0,
                                numbered: 0,
                            }
                        }
                    };
                    tables.push(state);
                }
                "w:tr" if !empty => {
                    if let Some(t) = tables.last_mut() {
                        t.row = Some(RawRow::default());
                    }
                }
                "w:tc" if !empty => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(RawCell {
                            span: 1,
                            ..RawCell::default()
                        });
                    }
                }
                "w:p" if !empty => paras.push(Para::default()),
                "w:r" if !empty => {
                    run_hidden = false;
                    run_style_placeholder = false;
                }
                "w:sdt" if !empty => sdts.push(Sdt {
                    depth,
                    placeholder: false,
                }),
                "w:showingPlcHdr" if sc.sdtpr.is_some() => {
                    if let Some(s) = sdts.last_mut() {
                        s.placeholder = on(&e);
                    }
                }
                _ => {}
            }
            if !skipping(&sc) {
                match name {
                    // Containers of content the accepted document does not show. A w:del in
                    // row or paragraph-mark properties marks the row / mark as deleted instead.
                    "w:del" if sc.trpr.is_some() => {
                        if let Some(t) = tables.last_mut() {
                            t.revisions += 1;
                            if let Some(r) = t.row.as_mut() {
                                r.deleted = true;
                            }
                        }
                    }
                    "w:ins" if sc.trpr.is_some() || !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.revisions += 1;
                        }
                    }
                    "w:del" if sc.rpr.is_some() && sc.ppr.is_some() => {
                        if let Some(p) = paras.last_mut() {
                            p.mark_deleted = true;
                        }
                    }
                    "w:del" | "w:moveFrom" | "w:txbxContent" | "mc:Fallback"
                        if !empty && sc.rpr.is_none() =>
                    {
                        if name != "w:txbxContent"
                            && name != "mc:Fallback"
                            && let Some(t) = tables.last_mut()
                        {
                            t.revisions += 1;
                        }
                        sc.skip.push(depth)
                    }
                    "w:moveTo" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.revisions += 1;
                        }
                    }
                    n if n.ends_with("PrChange") && !empty => sc.skip.push(depth),
                    "w:sdtContent" if !empty && sdts.last().is_some_and(|s| s.placeholder) => {
                        if let Some(t) = tables.last_mut() {
                            t.placeholders += 1;
                        }
                        sc.skip.push(depth)
                    }
                    "w:trPr" if !empty => sc.trpr = Some(depth),
                    "w:tcPr" if !empty => sc.tcpr = Some(depth),
                    "w:pPr" if !empty => sc.ppr = Some(depth),
                    "w:rPr" if !empty => sc.rpr = Some(depth),
                    "w:sdtPr" if !empty => sc.sdtpr = Some(depth),
                    _ if sc.sdtpr.is_some() => {}
                    "w:gridBefore" if sc.trpr.is_some() => {
                        if let Some(r) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                            r.grid_before = attr_val(&e)
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(0usize)
                                .min(64);
                        }
                    }
                    "w:gridSpan" if sc.tcpr.is_some() => {
                        if let (Some(c), Some(v)) = (
                            tables.last_mut().and_then(|t| t.cell.as_mut()),
                            attr_val(&e),
                        ) {
                            c.span = v.parse::<usize>().unwrap_or(1).clamp(1, 64);
                        }
                    }
                    "w:vMerge" if sc.tcpr.is_some() => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.vmerge = Some(attr_val(&e).as_deref() == Some("restart"));
                        }
                    }
                    "w:cellDel" if sc.tcpr.is_some() => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.deleted = true;
                        }
                    }
                    "w:numId" if sc.ppr.is_some() => {
                        if let Some(p) = paras.last_mut() {
                            p.num_id = attr_val(&e).and_then(|v| v.parse().ok());
                        }
                    }
                    "w:ilvl" if sc.ppr.is_some() => {
                        if let Some(p) = paras.last_mut() {
                            p.ilvl = attr_val(&e).and_then(|v| v.parse().ok());
                        }
                    }
                    "w:pStyle" if sc.ppr.is_some() => {
                        if let Some(p) = paras.last_mut() {
                            p.style = attr_val(&e);
                        }
                    }
                    "w:vanish" if sc.rpr.is_some() && sc.ppr.is_none() => run_hidden = on(&e),
                    "w:rStyle" if sc.rpr.is_some() && sc.ppr.is_none() => {
                        run_style_placeholder =
                            attr_val(&e).is_some_and(|s| styles.is_placeholder(&s))
                    }
                    "w:t" if !empty => in_text = true,
                    "w:br" | "w:cr" if empty => push_text(&mut paras, "\n"),
                    "w:tab" if empty && sc.ppr.is_none() => push_text(&mut paras, " "),
                    "w:noBreakHyphen" if empty => push_text(&mut paras, "-"),
                    _ => {}
                }
            }
            continue;
        }
        match ev {
            Event::End(e) => {
                let name = e.name();
                match name.as_ref() {
                    "w:tbl" => {
                        if let Some(t) = tables.pop() {
                            let top = t.top_level;
                            let slot = t.slot;
                            let deep = t.discard;
                            let counts = Counts {
                                revisions: t.revisions,
                                placeholders: t.placeholders,
                                numbered: t.numbered,
                            };
                            if let Some(s) = out.get_mut(slot)
                                && !deep
                            {
                                let g = build_grid(t.name, t.rows, t.caption);
                                *s = Some((g, top, counts));
                            }
                        }
                    }
                    "w:tr" => {
                        if let Some(t) = tables.last_mut()
                            && let Some(mut r) = t.row.take()
                            && !r.deleted
                        {
                            if r.grid_before > 0 {
                                r.cells.insert(
                                    0,
                                    RawCell {
                                        span: r.grid_before,
                                        ..RawCell::default()
                                    },
                                );
                            }
                            t.rows.push(r);
                        }
                    }
                    "w:tc" => {
                        if let Some(t) = tables.last_mut()
                            && let Some(c) = t.cell.take()
                            && !c.deleted
                            && let Some(r) = t.row.as_mut()
                        {
                            r.cells.push(c);
                        }
                    }
                    "w:p" => {
                        if let Some(p) = paras.pop() {
                            end_paragraph(p, &mut tables, &mut captions, &mut numbering, styles);
                        }
                    }
                    "w:t" => in_text = false,
                    "w:sdt" if sdts.last().is_some_and(|s| s.depth == depth) => {
                        sdts.pop();
                    }
                    _ => {}
                }
                if sc.skip.last() == Some(&depth) {
                    sc.skip.pop();
                }
                for s in [
                    &mut sc.trpr,
                    &mut sc.tcpr,
                    &mut sc.ppr,
                    &mut sc.rpr,
                    &mut sc.sdtpr,
                ] {
                    if *s == Some(depth) {
                        *s = None;
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if in_text && !skipping(&sc) => {
                if !hidden_run(run_hidden, run_style_placeholder, &sdts) {
                    push_text(&mut paras, &t.xml10_content());
                } else if run_style_placeholder
                    && !t.is_empty()
                    && let Some(t) = tables.last_mut()
                {
                    t.placeholders += 1;
                }
            }
            // Entities such as &amp; inside w:t, and character references.
            Event::GeneralRef(r)
                if in_text
                    && !skipping(&sc)
                    && !hidden_run(run_hidden, run_style_placeholder, &sdts) =>
            {
                let s = match r.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                push_text(&mut paras, &s);
            }
            _ => {}
        }
    }
    Ok(join_continued(out.into_iter().flatten().collect()))
}

/// A run not shown: hidden text, or placeholder-styled text inside a content control.
fn hidden_run(hidden: bool, placeholder_style: bool, sdts: &[Sdt]) -> bool {
    hidden || (placeholder_style && !sdts.is_empty())
}

fn push_text(paras: &mut [Para], s: &str) {
    if let Some(p) = paras.last_mut() {
        p.text.push_str(s);
    }
}

/// A paragraph ends: number it if it is in a list, then add it to its cell or to the body.
fn end_paragraph(
    p: Para,
    tables: &mut [TableState],
    captions: &mut Vec<String>,
    numbering: &mut Numbering,
    styles: &Styles,
) {
    let in_deleted_row = tables
        .last()
        .and_then(|t| t.row.as_ref())
        .is_some_and(|r| r.deleted);
    let (style_num, style_lvl) = p
        .style
        .as_deref()
        .map(|s| styles.numbering(s))
        .unwrap_or((None, None));
    let num_id = p.num_id.or(style_num).filter(|n| *n != 0);
    let removed = p.mark_deleted && p.text.trim().is_empty();
    let mut text = p.text;
    if let Some(id) = num_id
        && !in_deleted_row
        && !removed
        && let Some(label) = numbering.next(id, p.ilvl.or(style_lvl).unwrap_or(0))
    {
        if let Some(t) = tables.last_mut().filter(|t| t.cell.is_some()) {
            t.numbered += 1;
        }
        let body = text.trim_start();
        let sep = if !body.is_empty() && label.chars().last().is_some_and(char::is_alphanumeric) {
            " "
        } else {
            ""
        };
        text = format!("{label}{sep}{body}");
    }
    match tables.last_mut() {
        Some(t) if t.cell.is_some() => {
            let cleaned = clean_cell(&text);
            if !cleaned.is_empty() {
                if t.seen.len() >= CAPTION_KEPT {
                    t.seen.remove(0);
                }
                t.seen.push(cleaned);
            }
            if let Some(c) = t.cell.as_mut() {
                if !c.text.is_empty() && !c.join_next {
                    c.text.push('\n');
                }
                c.text.push_str(&text);
                c.join_next = p.mark_deleted;
            }
        }
        Some(_) => {}
        None => {
            let t = clean_cell(&text);
            if !t.is_empty() {
                captions.push(t);
            }
        }
    }
}

/// What was met in a table that the preview should mention.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    revisions: usize,
    placeholders: usize,
    numbered: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.revisions += o.revisions;
        self.placeholders += o.placeholders;
        self.numbered += o.numbered;
    }
}

/// What the preview should say about how a table was read.
fn table_notes(c: Counts) -> Vec<String> {
    let mut notes = Vec::new();
    if c.revisions > 0 {
        notes.push(format!(
            "表格中有尚未处理的修订（{} 处），已按“接受所有修订”后的内容读取（删除的文字和行不导入）。如果这些修订还未定稿，请先在 Word 中接受或拒绝修订，再重新导入。",
            c.revisions
        ));
    }
    if c.numbered > 0 {
        notes.push(format!(
            "表格中有 {} 个段落的编号是 Word 自动编号，已按 Word 显示的编号读取，请核对序号。",
            c.numbered
        ));
    }
    if c.placeholders > 0 {
        notes.push(format!(
            "表格中有 {} 个内容控件显示的是占位提示文字（如“单击或点击此处输入文字。”），已按空白读取。",
            c.placeholders
        ));
    }
    notes
}

fn build_grid(name: String, raw: Vec<RawRow>, caption: Vec<String>) -> Grid {
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(raw.len());
    for raw_row in raw {
        let mut out: Vec<Cell> = Vec::new();
        for rc in raw_row.cells {
            let col = out.len();
            let cell = if rc.vmerge == Some(false) {
                // Continuation of a vertical merge: take the value above.
                let above = rows
                    .last()
                    .and_then(|r: &Vec<Cell>| r.get(col))
                    .cloned()
                    .unwrap_or_default();
                Cell {
                    merged_copy: true,
                    merged_up: above.merged_up + 1,
                    ..above
                }
            } else {
                Cell {
                    text: clean_cell(&rc.text),
                    ..Cell::default()
                }
            };
            for k in 0..rc.span {
                out.push(Cell {
                    merged_copy: cell.merged_copy || k > 0,
                    ..cell.clone()
                });
            }
        }
        rows.push(out);
    }
    while rows
        .last()
        .is_some_and(|r| r.iter().all(|c| c.text.is_empty()))
    {
        rows.pop();
    }
    Grid {
        name,
        rows,
        caption,
        is_word_table: true,
        ..Grid::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Tables continued after a page break.

/// A line announcing a continued table: "（续表）", "续表1", "表1（续）", "续上表".
pub fn is_continuation_mark(text: &str) -> bool {
    let t: String = crate::text::to_half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    t.chars().count() <= 30
        && (t.contains("续表") || t.contains("续上表") || t.ends_with("(续)") || t == "续")
}

fn row_key(g: &Grid, r: usize) -> Vec<String> {
    g.rows
        .get(r)
        .map(|row| {
            row.iter()
                .map(|c| c.text.chars().filter(|ch| !ch.is_whitespace()).collect())
                .collect()
        })
        .unwrap_or_default()
}

/// How many leading rows of `next` repeat the header of `prev` when `next` continues `prev`
/// (Some(0): continues without repeating it), or None when `next` is a table of its own.
fn continues(prev: &Grid, next: &Grid) -> Option<usize> {
    if !next.caption.iter().all(|t| is_continuation_mark(t)) || next.rows.is_empty() {
        return None;
    }
    let announced = !next.caption.is_empty();
    let first = row_key(next, 0);
    if first.iter().any(|t| !t.is_empty()) {
        for i in 0..prev.rows.len().min(3) {
            if row_key(prev, i) == first {
                let mut k = 1;
                while k < 3 && k < next.rows.len() && row_key(prev, i + k) == row_key(next, k) {
                    k += 1;
                }
                return Some(k);
            }
        }
    }
    // Announced as a continuation, or split off by nothing but a page break (a table split in
    // Word), with the same columns and no header of its own.
    let plain_split = !announced && !header_like(next, 0);
    ((announced || plain_split) && prev.width() == next.width()).then_some(0)
}

/// A row that reads like a header: at least two short, non-numeric labels and nothing else.
fn header_like(g: &Grid, r: usize) -> bool {
    let cells: Vec<&str> = g
        .rows
        .get(r)
        .map(|row| {
            row.iter()
                .map(|c| c.text.as_str())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    cells.len() >= 2
        && cells
            .iter()
            .all(|t| t.chars().count() <= 12 && crate::text::parse_number_label(t).is_none())
}

fn join_continued(items: Vec<(Grid, bool, Counts)>) -> Vec<Grid> {
    let mut out: Vec<(Grid, Counts, Vec<String>)> = Vec::with_capacity(items.len());
    let mut last_top: Option<usize> = None;
    for (g, top, counts) in items {
        if top {
            if let Some(i) = last_top
                && let Some(k) = continues(&out[i].0, &g)
            {
                let (prev, sum, joined) = &mut out[i];
                *sum += counts;
                joined.push(g.name.clone());
                prev.continued.push(Continuation {
                    from_row: prev.rows.len(),
                    table: g.name,
                    table_row: k,
                });
                prev.rows.extend(g.rows.into_iter().skip(k));
                continue;
            }
            last_top = Some(out.len());
        }
        out.push((g, counts, Vec::new()));
    }
    out.into_iter()
        .map(|(mut g, counts, joined)| {
            if !joined.is_empty() {
                g.read_notes.push(format!(
                    "{}是{}的续表（分页后重复表头、注明“续表”或直接接着上一个表格），已与它作为同一个表格读取。",
                    joined.join("、"),
                    g.name
                ));
            }
            g.read_notes.extend(table_notes(counts));
            g
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> String {
        format!("<w:document {W}><w:body>{body}</w:body></w:document>")
    }

    fn tc(inner: &str) -> String {
        format!("<w:tc><w:p>{inner}</w:p></w:tc>")
    }

    fn run(t: &str) -> String {
        format!("<w:r><w:t>{t}</w:t></w:r>")
    }

    fn tr(cells: &[&str]) -> String {
        let c: String = cells.iter().map(|t| tc(&run(t))).collect();
        format!("<w:tr>{c}</w:tr>")
    }

    #[test]
    fn spans_and_vertical_merges_expand() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>标题</w:t></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>一、总</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>x &amp; y</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>z</w:t></w:r></w:p><w:p><w:r><w:t>w</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
        let g = parse_document(xml).expect("parses");
        assert_eq!(g.len(), 1);
        let g = &g[0];
        assert_eq!(g.caption, vec!["标题".to_string()]);
        assert_eq!(g.text(0, 1), "一、总");
        assert_eq!(g.text(1, 1), "x & y");
        assert_eq!(g.text(2, 0), "A");
        assert_eq!(g.text(2, 1), "z\nw");
    }

    #[test]
    fn tracked_changes_read_as_accepted() {
        let a = r#"w:id="1" w:author="李" w:date="2025-02-20T10:00:00Z""#;
        let body = format!(
            "<w:tbl>{hdr}\
             <w:tr>{n5}<w:tc><w:p>{keep}<w:del {a}><w:r><w:delText>及时公开</w:delText></w:r></w:del><w:ins {a}>{ins}</w:ins>{end}</w:p></w:tc></w:tr>\
             <w:tr>{n20}<w:tc><w:p><w:moveToRangeStart {a} w:name=\"m\"/><w:moveTo {a}>{head}</w:moveTo><w:moveToRangeEnd w:id=\"1\"/>{tail}<w:moveFromRangeStart {a} w:name=\"m\"/><w:moveFrom {a}>{head}</w:moveFrom><w:moveFromRangeEnd w:id=\"1\"/></w:p></w:tc></w:tr>\
             <w:tr><w:trPr><w:del {a}/></w:trPr>{n61}<w:tc><w:p><w:del {a}><w:r><w:delText>（原第61项）</w:delText></w:r></w:del></w:p></w:tc></w:tr>\
             <w:tr>{n33}<w:tc><w:p>{t33}<w:del {a}><w:r><w:t>旧文字</w:t></w:r></w:del></w:p></w:tc></w:tr>\
             <w:tr><w:trPr><w:ins {a}/></w:trPr>{n100}<w:tc><w:p><w:pPr><w:rPr><w:del {a}/></w:rPr></w:pPr><w:ins {a}>{t100a}</w:ins></w:p><w:p>{t100b}</w:p></w:tc></w:tr>\
             </w:tbl>",
            hdr = tr(&["序号", "指标"]),
            n5 = tc(&run("5")),
            keep = run("抽查结果"),
            ins = run("按时公示"),
            end = run("。"),
            n20 = tc(&run("20")),
            head = run("按要求参与，"),
            tail = run("意见反馈及时。"),
            n61 = tc(&run("61")),
            n33 = tc(&format!(
                "<w:del {a}><w:r><w:delText>34</w:delText></w:r></w:del><w:ins {a}>{}</w:ins>",
                run("33")
            )),
            t33 = run("重大行政决策"),
            n100 = tc(&run("100")),
            t100a = run("开展督察，"),
            t100b = run("整改到位。"),
        );
        let g = parse_document(&doc(&body)).expect("parses");
        let g = &g[0];
        assert_eq!(g.rows.len(), 5, "the deleted row is gone");
        assert_eq!(g.text(1, 1), "抽查结果按时公示。");
        assert_eq!(
            g.text(2, 1),
            "按要求参与，意见反馈及时。",
            "moved text once"
        );
        assert_eq!((g.text(3, 0), g.text(3, 1)), ("33", "重大行政决策"));
        assert_eq!(
            g.text(4, 1),
            "开展督察，整改到位。",
            "a deleted paragraph mark joins the paragraphs"
        );
        assert!(
            g.read_notes.iter().any(|n| n.contains("接受所有修订")),
            "the preview is told: {:?}",
            g.read_notes
        );
    }

    #[test]
    fn old_properties_of_a_change_are_ignored_and_hidden_text_is_not_read() {
        let body = format!(
            "<w:tbl>{}<w:tr>{}<w:tc><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/><w:rPrChange w:id=\"3\" w:author=\"x\"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>看得见</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            tr(&["序号", "指标"]),
            tc(&run("1")),
        );
        let g = parse_document(&doc(&body)).expect("parses");
        assert_eq!(g[0].text(1, 1), "看得见");
    }

    #[test]
    fn placeholder_text_of_content_controls_is_empty() {
        let ph = "<w:sdt><w:sdtPr><w:alias w:val=\"分值\"/><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val=\"PlaceholderText\"/></w:rPr><w:t>单击或点击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt>";
        let real = "<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>1</w:t></w:r></w:sdtContent></w:sdt>";
        let styled = "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:rPr><w:rStyle w:val=\"PlaceholderText\"/></w:rPr><w:t>选择一项。</w:t></w:r></w:sdtContent></w:sdt>";
        let body = format!(
            "<w:tbl>{hdr}<w:tr>{n1}{c1}{c2}</w:tr><w:sdt><w:sdtPr/><w:sdtContent><w:tr>{n2}{c3}{c4}</w:tr></w:sdtContent></w:sdt></w:tbl>",
            hdr = tr(&["序号", "分值", "评估方式"]),
            n1 = tc(&run("1")),
            c1 = tc(ph),
            c2 = tc(styled),
            n2 = tc(&run("2")),
            c3 = tc(real),
            c4 = tc(&run("材料查证")),
        );
        let styles = Styles {
            placeholder: vec!["PlaceholderText".into()],
            ..Styles::default()
        };
        let g = parse_document_with(&doc(&body), Numbering::default(), &styles).expect("xml");
        let g = &g[0];
        assert_eq!((g.text(1, 1), g.text(1, 2)), ("", ""));
        assert_eq!(
            g.rows.len(),
            3,
            "a row inside a block-level control is a row"
        );
        assert_eq!(
            (g.text(2, 0), g.text(2, 1), g.text(2, 2)),
            ("2", "1", "材料查证")
        );
    }

    fn numbered(num: u32, ilvl: u32, text: &str) -> String {
        format!(
            "<w:tc><w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr>{}</w:p></w:tc>",
            if text.is_empty() {
                String::new()
            } else {
                run(text)
            }
        )
    }

    #[test]
    fn automatic_numbering_is_read_as_the_numbers_word_shows() {
        let numbering = format!(
            "<w:numbering {W}>\
             <w:abstractNum w:abstractNumId=\"7\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/></w:lvl></w:abstractNum>\
             <w:abstractNum w:abstractNumId=\"8\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"5\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1\"/></w:lvl></w:abstractNum>\
             <w:abstractNum w:abstractNumId=\"9\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/></w:lvl></w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"7\"/></w:num>\
             <w:num w:numId=\"2\"><w:abstractNumId w:val=\"8\"/></w:num>\
             <w:num w:numId=\"3\"><w:abstractNumId w:val=\"8\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"11\"/></w:lvlOverride></w:num>\
             <w:num w:numId=\"4\"><w:abstractNumId w:val=\"9\"/></w:num>\
             <w:num w:numId=\"5\"><w:abstractNumId w:val=\"8\"/></w:num>\
             </w:numbering>"
        );
        let row = |a: String, b: String| format!("<w:tr>{a}{b}</w:tr>");
        let body = format!(
            "<w:tbl>{}{}{}{}{}{}{}{}{}</w:tbl>",
            tr(&["序号", "指标"]),
            row(numbered(2, 0, ""), numbered(1, 0, "甲")),
            row(numbered(2, 0, ""), numbered(1, 1, "乙")),
            row(numbered(2, 0, ""), numbered(1, 1, "丙")),
            row(numbered(3, 0, ""), numbered(1, 0, "丁")),
            row(numbered(3, 0, ""), numbered(1, 1, "戊")),
            row(numbered(0, 0, ""), numbered(4, 0, "己")),
            row(numbered(99, 0, ""), tc(&run("庚"))),
            row(numbered(5, 0, ""), tc(&run("辛"))),
        );
        let g = parse_document_with(
            &doc(&body),
            Numbering::parse(&numbering),
            &Styles::default(),
        )
        .expect("xml");
        let g = &g[0];
        let col = |c: usize| (1..g.rows.len()).map(|r| g.text(r, c)).collect::<Vec<_>>();
        assert_eq!(
            col(0),
            ["5", "6", "7", "11", "12", "", "", "13"],
            "lists of one abstract list continue; a start override restarts"
        );
        assert_eq!(
            col(1),
            [
                "1.甲",
                "（一）乙",
                "（二）丙",
                "2.丁",
                "（一）戊",
                "己",
                "庚",
                "辛"
            ]
        );
    }

    #[test]
    fn a_list_linked_to_a_numbering_style_uses_the_style_list() {
        let numbering = format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"1\"><w:styleLink w:val=\"ZB\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1\"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId=\"2\"><w:numStyleLink w:val=\"ZB\"/></w:abstractNum><w:abstractNum w:abstractNumId=\"3\"/><w:num w:numId=\"7\"><w:abstractNumId w:val=\"2\"/></w:num><w:num w:numId=\"8\"><w:abstractNumId w:val=\"3\"/></w:num></w:numbering>"
        );
        let mut n = Numbering::parse(&numbering);
        assert_eq!(n.next(7, 0).as_deref(), Some("1"));
        assert_eq!(n.next(7, 0).as_deref(), Some("2"));
        assert_eq!(
            n.next(8, 0),
            None,
            "a list without levels gives no made-up number"
        );
    }

    #[test]
    fn numbering_from_a_paragraph_style_counts_too() {
        let numbering = format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
        );
        let styles = format!(
            "<w:styles {W}><w:style w:type=\"paragraph\" w:styleId=\"H\"><w:name w:val=\"heading\"/><w:pPr><w:numPr><w:numId w:val=\"5\"/></w:numPr></w:pPr></w:style><w:style w:type=\"paragraph\" w:styleId=\"H2\"><w:basedOn w:val=\"H\"/></w:style><w:style w:type=\"character\" w:styleId=\"a5\"><w:name w:val=\"Placeholder Text\"/></w:style></w:styles>"
        );
        let p = |style: &str, t: &str| {
            format!(
                "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>",
                run(t)
            )
        };
        let body = format!(
            "{}{}<w:tbl>{}</w:tbl>",
            p("H", "总则"),
            p("H2", "分则"),
            tr(&["序号"])
        );
        let s = Styles::parse(&styles);
        assert_eq!(s.placeholder, vec!["a5".to_string()]);
        let g = parse_document_with(&doc(&body), Numbering::parse(&numbering), &s).expect("xml");
        assert_eq!(g[0].caption, vec!["一、总则", "二、分则"]);
    }

    #[test]
    fn counters_print_in_word_formats() {
        assert_eq!(chinese(12, false), "十二");
        assert_eq!(chinese(105, false), "一百零五");
        assert_eq!(chinese(110, false), "一百一十");
        assert_eq!(chinese(2001, false), "二千零一");
        assert_eq!(chinese(23, true), "贰拾叁");
        assert_eq!(format_counter(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_counter(4, "upperRoman"), "IV");
        assert_eq!(format_counter(28, "lowerLetter"), "bb");
        assert_eq!(format_counter(12, "decimalFullWidth"), "１２");
        assert_eq!(format_counter(3, "ideographTraditional"), "丙");
        for n in 1..200 {
            assert_eq!(
                crate::text::chinese_numeral(&chinese(n, false)),
                Some(n),
                "{n}"
            );
        }
    }

    #[test]
    fn a_table_nested_in_a_layout_table_is_a_table_of_its_own() {
        let inner = format!(
            "<w:tbl>{}{}</w:tbl>",
            tr(&["序号", "指标"]),
            tr(&["1", "甲"])
        );
        let body = format!(
            "<w:p>{}</w:p><w:tbl>{}<w:tr><w:tc><w:p>{}</w:p>{inner}<w:p>{}</w:p></w:tc></w:tr></w:tbl>",
            run("附件1"),
            tr(&["某区指标体系"]),
            run("说明"),
            run("注：演示"),
        );
        let g = parse_document(&doc(&body)).expect("xml");
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].name, "表格1");
        assert_eq!(
            g[0].text(1, 0),
            "说明\n注：演示",
            "the inner table is not outer text"
        );
        assert_eq!(g[1].name, "表格1-1");
        assert_eq!((g[1].text(1, 0), g[1].text(1, 1)), ("1", "甲"));
        assert_eq!(g[1].caption, vec!["附件1", "某区指标体系", "说明"]);
        assert_eq!(g[1].place(1, Some(1)), "表格1-1第2行第2列");
    }

    #[test]
    fn tables_nested_beyond_layouts_are_not_returned() {
        let mut body = String::new();
        for _ in 0..50 {
            body.push_str("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>");
        }
        for _ in 0..50 {
            body.push_str("</w:tc></w:tr></w:tbl>");
        }
        let g = parse_document(&doc(&body)).expect("xml");
        assert_eq!(g.len(), 1 + MAX_NESTING);
        assert_eq!(g.last().map(|g| g.name.as_str()), Some("表格1-1-1-1-1-1-1"));
    }

    #[test]
    fn a_table_continued_after_a_page_break_is_one_table() {
        let brk = "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
        let hdr = tr(&["序号", "指标"]);
        let t1 = format!(
            "<w:tbl>{hdr}{}{}</w:tbl>",
            tr(&["1", "甲"]),
            tr(&["2", "乙"])
        );
        let t2 = format!("<w:tbl>{hdr}{}</w:tbl>", tr(&["3", "丙"]));
        let t3 = format!("<w:tbl>{}</w:tbl>", tr(&["4", "丁"]));
        let t4 = format!("<w:tbl>{hdr}{}</w:tbl>", tr(&["1", "另一表"]));
        let body = format!(
            "<w:p>{}</w:p>{t1}{brk}<w:p>{}</w:p>{t2}<w:p>{}</w:p>{t3}<w:p>{}</w:p>{t4}",
            run("附件"),
            run("（续表）"),
            run("续表"),
            run("附件2 另一个表"),
        );
        let g = parse_document(&doc(&body)).expect("xml");
        assert_eq!(
            g.len(),
            2,
            "{:?}",
            g.iter().map(|g| &g.name).collect::<Vec<_>>()
        );
        let one = &g[0];
        let nos: Vec<&str> = (0..one.rows.len()).map(|r| one.text(r, 0)).collect();
        assert_eq!(nos, ["序号", "1", "2", "3", "4"], "repeated header dropped");
        assert_eq!(one.place(2, Some(1)), "表格1第3行第2列");
        assert_eq!(one.place(3, Some(1)), "表格2第2行第2列");
        assert_eq!(one.place(4, None), "表格3第1行");
        assert_eq!(one.locate(3), ("表格2", 1));
        assert_eq!(one.read_notes.len(), 1, "{:?}", one.read_notes);
        assert!(one.read_notes[0].starts_with("表格2、表格3是表格1的续表"));
        assert_eq!(
            g[1].name, "表格4",
            "a table after a real paragraph stays apart"
        );
        // Split by a page break only: the rows go on; a table with its own header does not.
        let other = format!(
            "<w:tbl>{}{}</w:tbl>",
            tr(&["单位", "联系人"]),
            tr(&["甲", "乙"])
        );
        let body = format!("{t1}{brk}{t3}{brk}{other}");
        let g = parse_document(&doc(&body)).expect("xml");
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].rows.len(), 4);
        assert_eq!(g[1].text(0, 0), "单位");
        assert!(is_continuation_mark("续表1"));
        assert!(is_continuation_mark("表1（续）"));
        assert!(!is_continuation_mark("附件2 法治政府建设指标体系"));
    }
}
