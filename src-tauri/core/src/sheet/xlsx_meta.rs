//! What calamine does not tell about an .xlsx, read from the package itself in the same pass
//! that bounds each sheet's extent: which rows and columns are hidden, which sheets are hidden,
//! and which cells hold a formula that was never calculated (no cached value: files written by
//! scripts). An office hides a withdrawn indicator or an old numbering column and sends the file
//! on; the importers must know, so that hidden content is not taken as live data silently.

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// What one worksheet hides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMeta {
    /// 0-based rows with `hidden="1"`.
    pub hidden_rows: BTreeSet<usize>,
    /// 0-based columns inside a `<col hidden="1">` range.
    pub hidden_cols: BTreeSet<usize>,
    /// Cells (0-based row, col) with a formula and no cached value.
    pub uncalculated: Vec<(usize, usize)>,
    /// Highest row and column referenced (1-based), for the size guard.
    pub extent: (u64, u64),
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

/// "C12" → (row 11, col 2), 0-based.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let digits = &r[letters.len()..];
    let row: usize = digits.parse().ok()?;
    let col = letters
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1));
    Some((row.checked_sub(1)?, col - 1))
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let mut f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    f.by_ref().take(limit).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Sheet name → worksheet part ("xl/worksheets/sheet1.xml"), from workbook.xml and its rels.
fn sheet_parts(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<(String, String)> {
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
    if let Some(xml) = read_part(zip, "xl/workbook.xml", limit) {
        let mut r = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf) {
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
    out
}

/// Scan one worksheet part.
pub fn scan_sheet(xml: &[u8]) -> SheetMeta {
    let mut m = SheetMeta::default();
    let mut r = Reader::from_reader(xml);
    let mut buf = Vec::new();
    // The cell being read: its place, whether it has a formula and a non-empty value.
    let mut cell: Option<(usize, usize)> = None;
    let (mut formula, mut value) = (false, false);
    let mut in_v = false;
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut note_extent = |pos: (usize, usize)| {
        max_row = max_row.max(pos.0 as u64 + 1);
        max_col = max_col.max(pos.1 as u64 + 1);
    };
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                if let Some(n) = attr(&e, "r").and_then(|v| v.parse::<usize>().ok()) {
                    note_extent((n.saturating_sub(1), 0));
                    if attr(&e, "hidden").is_some_and(|h| h == "1" || h == "true") {
                        m.hidden_rows.insert(n.saturating_sub(1));
                    }
                }
            }
            Ok(Event::Empty(e))
                if e.local_name().as_ref() == "col"
                    && attr(&e, "hidden").is_some_and(|h| h == "1" || h == "true") =>
            {
                let min = attr(&e, "min").and_then(|v| v.parse::<usize>().ok());
                let max = attr(&e, "max").and_then(|v| v.parse::<usize>().ok());
                if let (Some(a), Some(b)) = (min, max) {
                    // A hidden range to the last column (XFD) is a habit of hiding "all
                    // the rest"; only columns a table can use matter.
                    for c in a.max(1)..=b.min(a.max(1) + 200) {
                        m.hidden_cols.insert(c - 1);
                    }
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "c" => {
                cell = attr(&e, "r").and_then(|v| cell_ref(&v));
                if let Some(p) = cell {
                    note_extent(p);
                }
                formula = false;
                value = false;
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "c" => {
                if let Some(p) = attr(&e, "r").and_then(|v| cell_ref(&v)) {
                    note_extent(p);
                }
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "f" => {
                formula = true;
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "v" => in_v = true,
            Ok(Event::Text(t)) if in_v && !t.as_ref().trim().is_empty() => {
                value = true;
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "v" => in_v = false,
                "c" => {
                    if formula
                        && !value
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
        buf.clear();
    }
    m.extent = (max_row, max_col.max(1));
    m
}

/// Metadata of every sheet of an .xlsx package (empty when the package cannot be read; the
/// reader reports the damage). `limit` bounds how much of one part is inflated.
pub fn scan(bytes: &[u8], limit: u64) -> WorkbookMeta {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return WorkbookMeta::new();
    };
    let mut out = WorkbookMeta::new();
    for (name, part) in sheet_parts(&mut zip) {
        if let Some(xml) = read_part(&mut zip, &part, limit) {
            out.insert(name, scan_sheet(&xml));
        }
    }
    out
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
    fn cell_references_read_as_zero_based_positions() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("AB12"), Some((11, 27)));
        assert_eq!(cell_ref("1A"), None);
    }
}
