//! What calamine does not tell about an .xlsx (or an .ods), read from the package itself in the
//! same pass that bounds each sheet's extent: which rows and columns are hidden, which sheets
//! are hidden, and which cells hold a formula that was never calculated (no cached value: files
//! written by scripts). An office hides a withdrawn indicator or an old numbering column and
//! sends the file on; the importers must know, so that hidden content is not taken as live data
//! silently.
//!
//! A formula is "never calculated" when its cell has no value (openpyxl, pandas and other
//! writers that cannot calculate leave `<v>` empty), or when the workbook asks to be
//! recalculated on opening (`fullCalcOnLoad`, which xlsxwriter and openpyxl write) and the value
//! is the placeholder 0 that xlsxwriter stores for every formula. Excel and WPS drop
//! `fullCalcOnLoad` when they save, so a file saved there keeps its real values.

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// What one worksheet hides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMeta {
    /// 0-based rows with `hidden="1"`.
    pub hidden_rows: BTreeSet<usize>,
    /// The hidden rows that a view hides, not the author: rows under an AutoFilter that
    /// filters (`<autoFilter>` with a `<filterColumn>`) and rows of a collapsed outline group
    /// (`outlineLevel` above 0); in an .ods, `table:visibility="filter"` and hidden rows inside
    /// a `table:table-row-group`.
    pub view_hidden_rows: BTreeSet<usize>,
    /// 0-based columns inside a `<col hidden="1">` range.
    pub hidden_cols: BTreeSet<usize>,
    /// Cells (0-based row, col) with a formula and no cached value.
    pub uncalculated: Vec<(usize, usize)>,
    /// Highest row and column referenced (1-based), for the size guard.
    pub extent: (u64, u64),
    /// Merged ranges ((first row, first col), (last row, last col)), 0-based: read here so that
    /// the sheet is not parsed a third time for them.
    pub merges: Vec<((u32, u32), (u32, u32))>,
}

/// Metadata of every worksheet, by sheet name.
pub type WorkbookMeta = HashMap<String, SheetMeta>;

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned())
        })
}

/// The raw value of an attribute (by name or local name), without unescaping: for the
/// references, numbers and flags of a worksheet, read for every cell without allocating.
#[cfg(test)]
fn raw_attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

#[cfg(test)]
fn is_true(v: &str) -> bool {
    v == "1" || v == "true"
}

#[cfg(test)]
fn number(v: &str) -> Option<usize> {
    v.trim().parse().ok()
}

/// "C12" → (row 11, col 2), 0-based.
fn cell_ref_bytes(r: &[u8]) -> Option<(usize, usize)> {
    let n = r.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if n == 0 || n > 3 || n == r.len() || !r[n..].iter().all(u8::is_ascii_digit) || r.len() - n > 9
    {
        return None;
    }
    let row = r[n..]
        .iter()
        .fold(0usize, |acc, b| acc * 10 + usize::from(b - b'0'));
    let col = r[..n]
        .iter()
        .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1));
    Some((row.checked_sub(1)?, col - 1))
}

/// "A3:C5" (or "B2") → ((2, 0), (4, 2)), 0-based.
fn range_ref(r: &[u8]) -> Option<((u32, u32), (u32, u32))> {
    let mut it = r.splitn(2, |b| *b == b':');
    let a = cell_ref_bytes(it.next()?)?;
    let b = match it.next() {
        Some(x) => cell_ref_bytes(x)?,
        None => a,
    };
    let u = |x: usize| u32::try_from(x).ok();
    Some((
        (u(a.0.min(b.0))?, u(a.1.min(b.1))?),
        (u(a.0.max(b.0))?, u(a.1.max(b.1))?),
    ))
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let mut f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    f.by_ref().take(limit).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Sheet name → worksheet part ("xl/worksheets/sheet1.xml"), from workbook.xml and its rels,
/// and whether the workbook asks to be recalculated when opened (`fullCalcOnLoad`).
fn sheet_parts(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> (Vec<(String, String)>, bool) {
    let limit = 64 * 1024 * 1024;
    let mut rels: HashMap<String, String> = HashMap::new();
    if let Some(xml) = read_part(zip, "xl/_rels/workbook.xml.rels", limit) {
        let mut r = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf) {
                Ok(Event::Empty(e) | Event::Start(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                        let t = target.replace('\\', "/");
                        let t = match t.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{t}"),
                        };
                        rels.insert(id, t);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let mut out = Vec::new();
    let mut full_calc = false;
    if let Some(xml) = read_part(zip, "xl/workbook.xml", limit) {
        let mut r = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf) {
                Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "calcPr" => {
                    full_calc = attr(&e, "fullCalcOnLoad").is_some_and(|v| v == "1" || v == "true");
                }
                Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "sheet" => {
                    let name = attr(&e, "name");
                    let id = attr(&e, "id");
                    if let (Some(name), Some(part)) = (name, id.and_then(|i| rels.get(&i).cloned()))
                    {
                        out.push((name, part));
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    (out, full_calc)
}

/// Scan one worksheet part.
pub fn scan_sheet(xml: &[u8]) -> SheetMeta {
    scan_sheet_with(xml, false)
}

/// Scan one worksheet part of a workbook that is (`full_calc_on_load`) or is not marked to be
/// recalculated when opened.
///
/// A byte scanner over the tags (names with or without a namespace prefix, attributes in
/// either quote, `>` inside a quoted value, comments, CDATA and processing instructions
/// skipped): what a 20 000-row sheet needs read is a few tags per cell, and an event parser
/// spent most of the import's reading time here. Tested against quick-xml's events
/// (`scan_sheet_events`) over every workbook of the fixtures.
pub fn scan_sheet_with(xml: &[u8], full_calc_on_load: bool) -> SheetMeta {
    let mut m = SheetMeta::default();
    let n = xml.len();
    let mut cell: Option<(usize, usize)> = None;
    let (mut formula, mut value) = (false, false);
    let (mut text_type, mut zero) = (false, false);
    let mut in_v = false;
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut note_extent = |pos: (usize, usize)| {
        max_row = max_row.max(pos.0 as u64 + 1);
        max_col = max_col.max(pos.1 as u64 + 1);
    };
    let mut view = ViewHidden::default();
    // Where the text since the last tag starts.
    let mut text_from = 0usize;
    let mut i = 0usize;
    while let Some(p) = xml[i..].iter().position(|b| *b == b'<') {
        let lt = i + p;
        if in_v {
            let t = xml[text_from..lt].trim_ascii();
            if !t.is_empty() {
                value = true;
                zero = t == b"0";
            }
        }
        let rest = &xml[lt + 1..];
        // Comments, CDATA, declarations and processing instructions carry nothing read here.
        let skip_to = |close: &[u8]| -> Option<usize> {
            rest.windows(close.len())
                .position(|w| w == close)
                .map(|q| lt + 1 + q + close.len())
        };
        let special = match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => Some(skip_to(b"-->")),
            Some(b'!') if rest.starts_with(b"![CDATA[") => Some(skip_to(b"]]>")),
            Some(b'!') => Some(skip_to(b">")),
            Some(b'?') => Some(skip_to(b"?>")),
            _ => None,
        };
        if let Some(next) = special {
            match next {
                Some(next) => {
                    i = next;
                    text_from = next;
                    continue;
                }
                None => break,
            }
        }
        let closing = rest.first() == Some(&b'/');
        let name_from = lt + 1 + usize::from(closing);
        let mut j = name_from;
        while j < n && !matches!(xml[j], b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
            j += 1;
        }
        // The end of the tag: the first '>' outside quotes.
        let mut k = j;
        let mut quote = 0u8;
        while k < n {
            let b = xml[k];
            if quote != 0 {
                if b == quote {
                    quote = 0;
                }
            } else if b == b'"' || b == b'\'' {
                quote = b;
            } else if b == b'>' {
                break;
            }
            k += 1;
        }
        if k >= n {
            break; // a truncated tag ends what can be read
        }
        let empty = !closing && k > j && xml[k - 1] == b'/';
        let qname = &xml[name_from..j];
        let local = match qname.iter().rposition(|b| *b == b':') {
            Some(c) => &qname[c + 1..],
            None => qname,
        };
        let attrs = &xml[j..if empty { k - 1 } else { k }];
        i = k + 1;
        text_from = i;
        if closing {
            match local {
                b"v" => in_v = false,
                b"c" => {
                    let placeholder = full_calc_on_load && zero && !text_type;
                    if formula
                        && (!value || placeholder)
                        && let Some(p) = cell
                    {
                        m.uncalculated.push(p);
                    }
                    cell = None;
                }
                _ => {}
            }
            continue;
        }
        match local {
            b"row" => {
                if let Some(r) = byte_attr(attrs, b"r").and_then(byte_number) {
                    note_extent((r.saturating_sub(1), 0));
                    if byte_attr(attrs, b"hidden").is_some_and(|h| h == b"1" || h == b"true") {
                        m.hidden_rows.insert(r.saturating_sub(1));
                        if byte_attr(attrs, b"outlineLevel")
                            .and_then(byte_number)
                            .is_some_and(|l| l > 0)
                        {
                            view.outlined.insert(r.saturating_sub(1));
                        }
                    }
                }
            }
            b"col"
                if empty
                    && byte_attr(attrs, b"hidden").is_some_and(|h| h == b"1" || h == b"true") =>
            {
                let min = byte_attr(attrs, b"min").and_then(byte_number);
                let max = byte_attr(attrs, b"max").and_then(byte_number);
                if let (Some(a), Some(b)) = (min, max) {
                    // A hidden range to the last column (XFD) is a habit of hiding "all the
                    // rest"; only columns a table can use matter.
                    for c in a.max(1)..=b.min(a.max(1) + 200) {
                        m.hidden_cols.insert(c - 1);
                    }
                }
            }
            b"c" => {
                let at = byte_attr(attrs, b"r").and_then(cell_ref_bytes);
                if let Some(p) = at {
                    note_extent(p);
                }
                if !empty {
                    cell = at;
                    formula = false;
                    value = false;
                    zero = false;
                    text_type = byte_attr(attrs, b"t").is_some_and(|t| t != b"n");
                }
            }
            b"f" => formula = true,
            b"autoFilter" => view.filter = byte_attr(attrs, b"ref").and_then(range_ref),
            b"filterColumn" => view.filtering = true,
            b"mergeCell" => {
                if let Some(x) = byte_attr(attrs, b"ref").and_then(range_ref) {
                    m.merges.push(x);
                }
            }
            b"v" if !empty => in_v = true,
            _ => {}
        }
    }
    m.extent = (max_row, max_col.max(1));
    view.finish(&mut m);
    m
}

/// What tells rows hidden by a view (a filter, a collapsed group) from rows hidden by hand.
#[derive(Default)]
struct ViewHidden {
    /// Hidden rows with an outline level.
    outlined: BTreeSet<usize>,
    /// The AutoFilter's range, and whether it filters on some column.
    filter: Option<((u32, u32), (u32, u32))>,
    filtering: bool,
}

impl ViewHidden {
    fn finish(self, m: &mut SheetMeta) {
        let mut rows = self.outlined;
        if let (Some(((top, _), (bottom, _))), true) = (self.filter, self.filtering) {
            let (top, bottom) = (top as usize, bottom as usize);
            rows.extend(
                m.hidden_rows
                    .iter()
                    .copied()
                    .filter(|r| *r > top && *r <= bottom),
            );
        }
        m.view_hidden_rows = rows;
    }
}

/// The raw value of attribute `name` (its local name) in the attribute text of a tag.
fn byte_attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let n = attrs.len();
    let mut i = 0;
    loop {
        while i < n && attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            return None;
        }
        let key_from = i;
        while i < n && attrs[i] != b'=' && !attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &attrs[key_from..i];
        while i < n && attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n || attrs[i] != b'=' {
            // An attribute without a value: not well-formed; skip the word.
            if key.is_empty() {
                i += 1;
            }
            continue;
        }
        i += 1;
        while i < n && attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            return None;
        }
        let q = attrs[i];
        let value = if q == b'"' || q == b'\'' {
            let from = i + 1;
            let to = attrs[from..]
                .iter()
                .position(|b| *b == q)
                .map(|p| from + p)?;
            i = to + 1;
            &attrs[from..to]
        } else {
            let from = i;
            while i < n && !attrs[i].is_ascii_whitespace() {
                i += 1;
            }
            &attrs[from..i]
        };
        let local = match key.iter().rposition(|b| *b == b':') {
            Some(c) => &key[c + 1..],
            None => key,
        };
        if local == name {
            return Some(value);
        }
    }
}

fn byte_number(v: &[u8]) -> Option<usize> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// [`scan_sheet_with`] through quick-xml's events: the reference the byte scanner is tested
/// against.
#[cfg(test)]
fn scan_sheet_events(xml: &[u8], full_calc_on_load: bool) -> SheetMeta {
    let mut m = SheetMeta::default();
    let mut r = Reader::from_reader(xml);
    // The cell being read: its place, whether it has a formula and a non-empty value.
    let mut cell: Option<(usize, usize)> = None;
    let (mut formula, mut value) = (false, false);
    // The cell's value is text (t="str"/"s"/"inlineStr"/"b"/"e"), and whether it is the
    // placeholder 0.
    let (mut text_type, mut zero) = (false, false);
    let mut in_v = false;
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut note_extent = |pos: (usize, usize)| {
        max_row = max_row.max(pos.0 as u64 + 1);
        max_col = max_col.max(pos.1 as u64 + 1);
    };
    let mut view = ViewHidden::default();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                if let Some(n) = raw_attr(&e, "r").and_then(|v| number(&v)) {
                    note_extent((n.saturating_sub(1), 0));
                    if raw_attr(&e, "hidden").is_some_and(|h| is_true(&h)) {
                        m.hidden_rows.insert(n.saturating_sub(1));
                        if raw_attr(&e, "outlineLevel")
                            .and_then(|v| number(&v))
                            .is_some_and(|l| l > 0)
                        {
                            view.outlined.insert(n.saturating_sub(1));
                        }
                    }
                }
            }
            Ok(Event::Empty(e))
                if e.local_name().as_ref() == "col"
                    && raw_attr(&e, "hidden").is_some_and(|h| is_true(&h)) =>
            {
                let min = raw_attr(&e, "min").and_then(|v| number(&v));
                let max = raw_attr(&e, "max").and_then(|v| number(&v));
                if let (Some(a), Some(b)) = (min, max) {
                    // A hidden range to the last column (XFD) is a habit of hiding "all
                    // the rest"; only columns a table can use matter.
                    for c in a.max(1)..=b.min(a.max(1) + 200) {
                        m.hidden_cols.insert(c - 1);
                    }
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "c" => {
                cell = raw_attr(&e, "r").and_then(|v| cell_ref_bytes(v.as_bytes()));
                if let Some(p) = cell {
                    note_extent(p);
                }
                formula = false;
                value = false;
                zero = false;
                text_type = raw_attr(&e, "t").is_some_and(|t| t != "n");
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "c" => {
                if let Some(p) = raw_attr(&e, "r").and_then(|v| cell_ref_bytes(v.as_bytes())) {
                    note_extent(p);
                }
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "f" => {
                formula = true;
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "autoFilter" =>
            {
                view.filter = raw_attr(&e, "ref").and_then(|v| range_ref(v.as_bytes()));
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "filterColumn" =>
            {
                view.filtering = true;
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(x) = raw_attr(&e, "ref").and_then(|v| range_ref(v.as_bytes())) {
                    m.merges.push(x);
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "v" => in_v = true,
            Ok(Event::Text(t)) if in_v && !t.as_ref().trim().is_empty() => {
                value = true;
                zero = t.as_ref().trim() == "0";
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "v" => in_v = false,
                "c" => {
                    let placeholder = full_calc_on_load && zero && !text_type;
                    if formula
                        && (!value || placeholder)
                        && let Some(p) = cell
                    {
                        m.uncalculated.push(p);
                    }
                    cell = None;
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    m.extent = (max_row, max_col.max(1));
    view.finish(&mut m);
    m
}

/// Metadata of every sheet of an .xlsx package (empty when the package cannot be read; the
/// reader reports the damage). `limit` bounds how much of one part is inflated.
pub fn scan(bytes: &[u8], limit: u64) -> WorkbookMeta {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return WorkbookMeta::new();
    };
    let mut out = WorkbookMeta::new();
    let (parts, full_calc) = sheet_parts(&mut zip);
    for (name, part) in parts {
        if let Some(xml) = read_part(&mut zip, &part, limit) {
            out.insert(name, scan_sheet_with(&xml, full_calc));
        }
    }
    out
}

/// Rows of one table in an .ods are counted as calamine counts them: every `table:table-row`
/// element with its `table:number-rows-repeated`; so are the cells of a row.
const ODS_MAX_ROWS: usize = 1_048_576;
/// At most this many uncalculated cells are listed per table (a formula repeated over a
/// million rows must not fill the memory).
const ODS_MAX_UNCALCULATED: usize = 200_000;
/// Hidden runs longer than this (LibreOffice's "all the rest" rows) are only recorded when
/// they hold content.
const ODS_LONG_RUN: usize = 1000;

/// Metadata of every table of an .ods package (`content.xml`): rows and columns with
/// `table:visibility="collapse"` or `"filter"`, and formulas without a value (a cell with
/// `table:formula` but no `office:value-type`: written by a program that does not calculate).
/// Hidden sheets come from calamine.
pub fn scan_ods(bytes: &[u8], limit: u64) -> WorkbookMeta {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return WorkbookMeta::new();
    };
    match read_part(&mut zip, "content.xml", limit) {
        Some(xml) => scan_ods_content(&xml),
        None => WorkbookMeta::new(),
    }
}

/// The value of attribute `name` inside one start tag (`<table:table-row …>`), raw.
fn tag_attr<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while let Some(p) = tag[i..].windows(name.len()).position(|w| w == name) {
        let at = i + p;
        let end = at + name.len();
        let before_ok = at > 0 && tag[at - 1].is_ascii_whitespace();
        if before_ok && tag.get(end) == Some(&b'=') {
            let q = *tag.get(end + 1)?;
            if q == b'"' || q == b'\'' {
                let start = end + 2;
                let len = tag[start..].iter().position(|&c| c == q)?;
                return Some(&tag[start..start + len]);
            }
        }
        i = end;
    }
    None
}

fn tag_repeat(tag: &[u8], name: &[u8]) -> usize {
    tag_attr(tag, name)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

fn tag_collapsed(tag: &[u8]) -> bool {
    matches!(
        tag_attr(tag, b"table:visibility"),
        Some(b"collapse" | b"filter")
    )
}

/// Scan an .ods `content.xml` (see [`scan_ods`]). A plain byte scan over the `table:` tags
/// (text cannot hold a raw `<`), several times faster than a full XML parse: it runs beside
/// calamine's own parse on every .ods.
pub fn scan_ods_content(xml: &[u8]) -> WorkbookMeta {
    let mut out = WorkbookMeta::new();
    let mut sheet: Option<(String, SheetMeta)> = None;
    let (mut row, mut col, mut cols_seen) = (0usize, 0usize, 0usize);
    // The row being read: first index, repeats, hidden, holds content.
    let mut cur: Option<(usize, usize, bool, bool)> = None;
    // Whether it is hidden by a filter or inside a row group (a collapsed group), and how
    // deep the row groups open around it are.
    let mut by_view = false;
    let mut groups = 0usize;
    let max_cols = 16_384usize;
    let mut i = 0usize;
    while let Some(p) = xml[i..].iter().position(|&b| b == b'<') {
        let start = i + p + 1;
        // The tag ends at the first '>' outside quotes.
        let mut j = start;
        let mut quote = 0u8;
        while j < xml.len() {
            let c = xml[j];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                break;
            }
            j += 1;
        }
        let tag = &xml[start..j.min(xml.len())];
        i = (j + 1).min(xml.len());
        let (closing, body) = match tag.strip_prefix(b"/") {
            Some(b) => (true, b),
            None => (false, tag),
        };
        let Some(rest) = body.strip_prefix(b"table:") else {
            continue;
        };
        let name_len = rest
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let self_closing = tag.last() == Some(&b'/');
        match (closing, name) {
            // calamine reads neither an empty table nor an empty row.
            (false, b"table" | b"table-row") if self_closing => {}
            (false, b"table") => {
                let n = tag_attr(tag, b"table:name")
                    .map(unescape)
                    .unwrap_or_default();
                sheet = Some((n, SheetMeta::default()));
                (row, col, cols_seen, groups) = (0, 0, 0, 0);
            }
            (true, b"table") => {
                if let Some((n, mut m)) = sheet.take() {
                    m.extent = (row as u64, (cols_seen as u64).max(1));
                    out.insert(n, m);
                }
            }
            (false, b"table-column") => {
                let n = tag_repeat(tag, b"table:number-columns-repeated");
                if let Some((_, m)) = sheet.as_mut()
                    && tag_collapsed(tag)
                {
                    for c in col..(col + n).min(super::MAX_COLS) {
                        m.hidden_cols.insert(c);
                    }
                }
                col = (col + n).min(max_cols);
            }
            (false, b"table-row") => {
                let n = tag_repeat(tag, b"table:number-rows-repeated")
                    .min(ODS_MAX_ROWS.saturating_sub(row));
                cur = Some((row, n, tag_collapsed(tag), false));
                by_view = groups > 0 || tag_attr(tag, b"table:visibility") == Some(b"filter");
                col = 0;
            }
            (true, b"table-row") => {
                if let Some((first, n, hidden, content)) = cur.take() {
                    if hidden
                        && (n <= ODS_LONG_RUN || content)
                        && let Some((_, m)) = sheet.as_mut()
                    {
                        for r in first..(first + n).min(super::MAX_ROWS) {
                            m.hidden_rows.insert(r);
                            if by_view {
                                m.view_hidden_rows.insert(r);
                            }
                        }
                    }
                    row = first.saturating_add(n);
                }
                cols_seen = cols_seen.max(col);
            }
            (false, b"table-row-group") if !self_closing => groups += 1,
            (true, b"table-row-group") => groups = groups.saturating_sub(1),
            (false, b"table-cell" | b"covered-table-cell") => {
                let n = tag_repeat(tag, b"table:number-columns-repeated");
                // A merged cell: `table:number-rows-spanned` / `-columns-spanned` (the cells
                // it covers follow as covered cells).
                let spans = (
                    tag_repeat(tag, b"table:number-rows-spanned"),
                    tag_repeat(tag, b"table:number-columns-spanned"),
                );
                if name == b"table-cell"
                    && spans != (1, 1)
                    && let (Some((first, _, _, _)), Some((_, m))) = (cur, sheet.as_mut())
                    && first < super::MAX_ROWS
                    && col < super::MAX_COLS
                    && m.merges.len() < ODS_MAX_UNCALCULATED
                {
                    let last_row = (first.saturating_add(spans.0) - 1).min(super::MAX_ROWS - 1);
                    let last_col = (col.saturating_add(spans.1) - 1).min(super::MAX_COLS - 1);
                    m.merges.push((
                        (first as u32, col as u32),
                        (last_row as u32, last_col as u32),
                    ));
                }
                let formula = tag_attr(tag, b"table:formula").is_some();
                let typed = tag_attr(tag, b"office:value-type").is_some();
                if let Some(c) = cur.as_mut()
                    && (typed || formula)
                {
                    c.3 = true;
                }
                if formula
                    && !typed
                    && let (Some((first, rows, _, _)), Some((_, m))) = (cur, sheet.as_mut())
                {
                    'cells: for r in first..(first + rows).min(super::MAX_ROWS) {
                        for c in col..(col + n).min(super::MAX_COLS) {
                            if m.uncalculated.len() >= ODS_MAX_UNCALCULATED {
                                break 'cells;
                            }
                            m.uncalculated.push((r, c));
                        }
                    }
                }
                col = (col + n).min(max_cols);
            }
            _ => {}
        }
    }
    out
}

/// A raw attribute value as text (`&amp;` and the other entities of sheet names resolved).
fn unescape(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(v);
    quick_xml::escape::unescape(&s)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_columns_and_uncalculated_formulas_are_found() {
        let xml = br#"<worksheet><cols><col min="2" max="3" hidden="1" width="0"/><col min="4" max="4"/></cols>
            <sheetData>
              <row r="1"><c r="A1" t="s"><v>0</v></c></row>
              <row r="5" hidden="1"><c r="A5"><f>ROW()-2</f></c><c r="B5"><f>1+1</f><v>2</v></c></row>
              <row r="7"><c r="C7"><f>SUM(A1:A3)</f><v></v></c></row>
            </sheetData></worksheet>"#;
        let m = scan_sheet(xml);
        assert_eq!(m.hidden_rows, BTreeSet::from([4]));
        assert_eq!(m.hidden_cols, BTreeSet::from([1, 2]));
        assert_eq!(m.uncalculated, vec![(4, 0), (6, 2)]);
        assert_eq!(m.extent, (7, 3));
    }

    #[test]
    fn placeholder_zeros_of_workbooks_never_calculated_count_as_uncalculated() {
        let xml = br#"<worksheet><sheetData>
              <row r="1"><c r="A1"><f>ROW()</f><v>0</v></c><c r="B1" t="str"><f>""&amp;""</f><v></v></c><c r="C1"><f>1+1</f><v>2</v></c></row>
            </sheetData></worksheet>"#;
        // xlsxwriter: every formula stores 0 and the workbook asks to be recalculated.
        assert_eq!(
            scan_sheet_with(xml, true).uncalculated,
            vec![(0, 0), (0, 1)]
        );
        // Saved by Excel/WPS (no fullCalcOnLoad): 0 is a real value, "" a real empty text.
        assert_eq!(scan_sheet_with(xml, false).uncalculated, vec![(0, 1)]);
    }

    #[test]
    fn ods_hidden_rows_columns_and_formulas_without_values_are_found() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
            <table:table table:name="other"><table:table-row><table:table-cell/></table:table-row></table:table>
            <table:table table:name="指标体系">
              <table:table-column table:visibility="collapse"/>
              <table:table-column table:number-columns-repeated="3"/>
              <table:table-column table:number-columns-repeated="16380" table:visibility="collapse"/>
              <table:table-row><table:table-cell office:value-type="string"><text:p>原序号</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>序号</text:p></table:table-cell></table:table-row>
              <table:table-row table:number-rows-repeated="2" table:visibility="collapse"><table:table-cell table:number-columns-repeated="2"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/><table:table-cell table:formula="of:=ROW()-2"/><table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"/></table:table-row>
              <table:table-row table:visibility="filter"><table:table-cell office:value-type="float" office:value="7"/></table:table-row>
              <table:table-row table:number-rows-repeated="1048000" table:visibility="collapse"><table:table-cell/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let m = scan_ods_content(xml.as_bytes());
        let s = &m["指标体系"];
        assert_eq!(
            s.hidden_rows,
            BTreeSet::from([1, 2, 4]),
            "long empty runs are not listed"
        );
        assert!(s.hidden_cols.contains(&0) && !s.hidden_cols.contains(&1));
        assert!(s.hidden_cols.contains(&4) && s.hidden_cols.len() <= 1 + super::super::MAX_COLS);
        assert_eq!(s.uncalculated, vec![(3, 3)]);
        assert!(m["other"].hidden_rows.is_empty());
        // A '>' inside a quoted attribute, an entity in the name, an empty row element.
        let xml = r#"<table:table table:name="A&amp;B"><table:table-row/><table:table-row table:visibility='collapse'><table:table-cell table:formula="of:=IF([.A1]>0;1;0)"/><table:table-cell office:value-type="float"/></table:table-row></table:table>"#;
        let m = scan_ods_content(xml.as_bytes());
        assert_eq!(m["A&B"].uncalculated, vec![(0, 0)]);
        assert_eq!(m["A&B"].hidden_rows, BTreeSet::from([0]));
    }

    #[test]
    fn the_byte_scanner_reads_what_the_event_parser_reads_in_every_fixture_workbook() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut stack = vec![root];
        let mut sheets = 0;
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).expect("fixtures").flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let is_xlsx = path
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"));
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes.as_slice())) else {
                    continue;
                };
                if !is_xlsx {
                    continue;
                }
                for k in 0..zip.len() {
                    let Ok(mut f) = zip.by_index(k) else { continue };
                    let name = f.name().unwrap_or_default().to_string();
                    if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
                        continue;
                    }
                    let mut xml = Vec::new();
                    if f.read_to_end(&mut xml).is_err() {
                        continue;
                    }
                    for full_calc in [false, true] {
                        assert_eq!(
                            scan_sheet_with(&xml, full_calc),
                            scan_sheet_events(&xml, full_calc),
                            "{} {name}",
                            path.display()
                        );
                    }
                    sheets += 1;
                }
            }
        }
        assert!(sheets > 100, "only {sheets} sheets found");
    }

    #[test]
    fn the_byte_scanner_reads_prefixes_quotes_comments_and_cdata() {
        let xml = br#"<?xml version="1.0"?><x:worksheet xmlns:x="s"><x:cols><x:col min='2' max="3" hidden="1"/></x:cols>
<!-- <c r="Z99"><f>1</f></c> -->
<x:sheetData><x:row r="2" hidden="true" note="a>b"><x:c r="A2" t="str"><x:f>A1</x:f><x:v><![CDATA[x]]></x:v></x:c>
<x:c r="B2"><x:f>1+1</x:f><x:v> 0 </x:v></x:c><x:c r="C2"/></x:row>
<x:row r="3"><x:c r='D3'><x:f>2</x:f><x:v>4</x:v></x:c></x:row></x:sheetData>
<x:mergeCells><x:mergeCell ref="A2:B3"/></x:mergeCells></x:worksheet>"#;
        for full_calc in [false, true] {
            let fast = scan_sheet_with(xml, full_calc);
            assert_eq!(fast, scan_sheet_events(xml, full_calc), "{full_calc}");
            assert_eq!(
                fast.hidden_rows.iter().copied().collect::<Vec<_>>(),
                vec![1]
            );
            assert_eq!(
                fast.hidden_cols.iter().copied().collect::<Vec<_>>(),
                vec![1, 2]
            );
            assert_eq!(fast.merges, vec![((1, 0), (2, 1))]);
            assert_eq!(fast.extent, (3, 4), "Z99 in a comment is not a cell");
        }
        // A2 has only CDATA (no value read): uncalculated; B2's 0 is a placeholder only when
        // the workbook is recalculated on load.
        assert_eq!(scan_sheet_with(xml, false).uncalculated, vec![(1, 0)]);
        assert_eq!(
            scan_sheet_with(xml, true).uncalculated,
            vec![(1, 0), (1, 1)]
        );
    }

    #[test]
    fn rows_a_filter_or_a_collapsed_group_hides_are_told_from_rows_hidden_by_hand() {
        let xml = br#"<worksheet><sheetData>
              <row r="1"><c r="A1" t="s"><v>0</v></c></row>
              <row r="2" hidden="1"><c r="A2"><v>1</v></c></row>
              <row r="3" hidden="1" outlineLevel="1"><c r="A3"><v>2</v></c></row>
              <row r="6" hidden="1"><c r="A6"><v>3</v></c></row>
            </sheetData><autoFilter ref="A5:C9"><filterColumn colId="1"><filters><filter val="x"/></filters></filterColumn></autoFilter></worksheet>"#;
        for fast in [true, false] {
            let m = if fast {
                scan_sheet(xml)
            } else {
                scan_sheet_events(xml, false)
            };
            assert_eq!(m.hidden_rows, BTreeSet::from([1, 2, 5]));
            assert_eq!(m.view_hidden_rows, BTreeSet::from([2, 5]), "{fast}");
        }
        // An AutoFilter that filters nothing: its hidden rows were hidden by hand.
        let xml = br#"<worksheet><sheetData><row r="6" hidden="1"><c r="A6"><v>3</v></c></row></sheetData><autoFilter ref="A5:C9"/></worksheet>"#;
        assert!(scan_sheet(xml).view_hidden_rows.is_empty());
    }

    #[test]
    fn ods_spans_groups_and_filters_are_read() {
        let xml = r#"<table:table table:name="s">
            <table:table-row><table:table-cell table:number-columns-spanned="3" office:value-type="string"><text:p>一、甲</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
            <table:table-row><table:table-cell/><table:table-cell table:number-rows-spanned="2" office:value-type="float" office:value="4"/></table:table-row>
            <table:table-row table:visibility="filter"><table:table-cell/><table:covered-table-cell/></table:table-row>
            <table:table-row-group table:display="false"><table:table-row table:visibility="collapse"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table-row-group>
            <table:table-row table:visibility="collapse"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
            </table:table>"#;
        let m = &scan_ods_content(xml.as_bytes())["s"];
        assert_eq!(m.merges, vec![((0, 0), (0, 2)), ((1, 1), (2, 1))]);
        assert_eq!(m.hidden_rows, BTreeSet::from([2, 3, 4]));
        assert_eq!(m.view_hidden_rows, BTreeSet::from([2, 3]));
    }

    #[test]
    fn cell_references_read_as_zero_based_positions() {
        assert_eq!(cell_ref_bytes(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref_bytes(b"AB12"), Some((11, 27)));
        assert_eq!(cell_ref_bytes(b"1A"), None);
        assert_eq!(cell_ref_bytes(b"A0"), None);
        assert_eq!(range_ref(b"C5:A3"), Some(((2, 0), (4, 2))));
        assert_eq!(range_ref(b"B2"), Some(((1, 1), (1, 1))));
        assert_eq!(range_ref(b"B2:"), None);
    }
}
