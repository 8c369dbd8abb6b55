//! What calamine does not tell about a legacy .xls (Excel 97-2003, WPS, LibreOffice "Excel 97"):
//! which rows and columns are hidden, as [`super::xlsx_meta`] tells it for an .xlsx. calamine
//! reads the cells of a BIFF workbook but skips the ROW and COLINFO records that carry their
//! visibility, so a hidden withdrawn row or a hidden old-wording column would be read as live
//! data.
//!
//! The workbook stream (read from the compound file by [`super::xls_guard`], with its bounds) is
//! a list of BIFF records `[u16 type][u16 length][data]`:
//! - in the globals, every BOUNDSHEET8 (0x0085) gives a sheet's name, its state (visible,
//!   hidden, very hidden) and where its substream starts (the offset of its BOF);
//! - in each sheet's substream, from its BOF (0x0809) to the matching EOF (0x000A): a ROW
//!   (0x0208) with `fDyZero` (flags & 0x0020) is a hidden row — rows hidden by a collapsed
//!   outline or by an AutoFilter carry the same flag, as `hidden="1"` does in an .xlsx —; a
//!   COLINFO (0x007D) with `fHidden` (flags & 0x0001) hides its range of columns.
//!
//! Every read is checked; a stream that cannot be made sense of gives no metadata at all (the
//! file is then read by calamine as before: nothing is hidden rather than something wrong).

use super::xlsx_meta::SheetMeta;

/// One sheet of the workbook, in the order of its BOUNDSHEET8 record (calamine's order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XlsSheet {
    /// The name as stored (None when it could not be decoded: BIFF5 names in a code page).
    pub name: Option<String>,
    /// Hidden or very hidden (hsState 1 or 2).
    pub hidden: bool,
    /// Hidden rows and columns (0-based); `uncalculated`, `extent` and `merges` stay empty.
    pub meta: SheetMeta,
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const ROW: u16 = 0x0208;
const COLINFO: u16 = 0x007D;

/// A hidden COLINFO range reaching the last column (IV) is a habit of hiding "all the rest";
/// only columns a table can use matter (as for an .xlsx).
const MAX_COL_RUN: usize = 200;
/// Records walked in one sheet substream at most (a sheet of 65 536 rows × 256 columns has fewer
/// cell records than this; a bound keeps a hostile stream from making the walk quadratic).
const MAX_RECORDS: usize = 20_000_000;

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(o..o.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(o..o.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The record at `at`: (type, data, offset of the next record); None past the end or when the
/// record is cut short.
fn record(s: &[u8], at: usize) -> Option<(u16, &[u8], usize)> {
    let typ = u16_at(s, at)?;
    let len = usize::from(u16_at(s, at.checked_add(2)?)?);
    let from = at.checked_add(4)?;
    let to = from.checked_add(len)?;
    Some((typ, s.get(from..to)?, to))
}

/// ShortXLUnicodeString (BIFF8): cch, fHighByte, then cch characters, one byte each (the high
/// byte is zero) or UTF-16LE. NULs are dropped, as calamine drops them.
fn short_string_biff8(d: &[u8]) -> Option<String> {
    let cch = usize::from(*d.first()?);
    let high = d.get(1)? & 0x01 != 0;
    let chars = d.get(2..)?;
    let s = if high {
        let units: Vec<u16> = chars
            .get(..cch.checked_mul(2)?)?
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.get(..cch)?.iter().map(|b| char::from(*b)).collect()
    };
    Some(s.chars().filter(|c| *c != '\0').collect())
}

/// A BIFF5 name (cch, then bytes in the workbook's code page): only plain ASCII is decoded here.
fn short_string_biff5(d: &[u8]) -> Option<String> {
    let cch = usize::from(*d.first()?);
    let bytes = d.get(1..1usize.checked_add(cch)?)?;
    bytes
        .is_ascii()
        .then(|| bytes.iter().map(|b| char::from(*b)).collect())
}

/// The sheets of a workbook stream with what each hides; None when the stream is not a BIFF5/8
/// workbook or any of its sheets cannot be walked.
pub fn scan_stream(s: &[u8]) -> Option<Vec<XlsSheet>> {
    // The globals substream: a BOF of a workbook globals (dt 0x0005), then records to its EOF.
    let (typ, bof, mut at) = record(s, 0)?;
    if typ != BOF {
        return None;
    }
    let biff8 = match u16_at(bof, 0)? {
        0x0600 => true,
        0x0500 => false,
        // BIFF8 files of some writers leave the version 0 (calamine reads them as BIFF8).
        0 => u16_at(bof, 2)? != 0x1000,
        _ => return None,
    };
    let mut sheets: Vec<(usize, XlsSheet)> = Vec::new();
    loop {
        let (typ, data, next) = record(s, at)?;
        at = next;
        match typ {
            BOUNDSHEET => {
                let pos = usize::try_from(u32_at(data, 0)?).ok()?;
                let state = data.get(4)? & 0x03;
                let name_data = data.get(6..)?;
                let name = if biff8 {
                    short_string_biff8(name_data)
                } else {
                    short_string_biff5(name_data)
                };
                sheets.push((
                    pos,
                    XlsSheet {
                        name,
                        hidden: state != 0,
                        meta: SheetMeta::default(),
                    },
                ));
            }
            EOF => break,
            // A BOF inside the globals: not a sound workbook.
            BOF => return None,
            _ => {}
        }
    }
    for (pos, sheet) in &mut sheets {
        scan_sheet(s, *pos, &mut sheet.meta)?;
    }
    Some(sheets.into_iter().map(|(_, sheet)| sheet).collect())
}

/// Walk one sheet substream from its BOF at `pos` to the EOF that closes it (charts embedded in
/// a sheet have their own BOF…EOF inside it, whose records are not the sheet's).
fn scan_sheet(s: &[u8], pos: usize, m: &mut SheetMeta) -> Option<()> {
    let (typ, _, mut at) = record(s, pos)?;
    if typ != BOF {
        return None;
    }
    let mut depth = 1usize;
    for _ in 0..MAX_RECORDS {
        let (typ, data, next) = record(s, at)?;
        at = next;
        match typ {
            BOF => depth += 1,
            EOF => {
                depth -= 1;
                if depth == 0 {
                    return Some(());
                }
            }
            ROW if depth == 1 => {
                let rw = u16_at(data, 0)?;
                let flags = u16_at(data, 12)?;
                if flags & 0x0020 != 0 {
                    m.hidden_rows.insert(usize::from(rw));
                }
            }
            COLINFO if depth == 1 => {
                let first = usize::from(u16_at(data, 0)?);
                let last = usize::from(u16_at(data, 2)?);
                let flags = u16_at(data, 8)?;
                if flags & 0x0001 != 0 && first <= last {
                    for c in first..=last.min(first + MAX_COL_RUN) {
                        m.hidden_cols.insert(c);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The sheets of an .xls file with what each hides; None when the compound file or its
/// workbook stream cannot be read (or the guard would refuse the file).
pub fn scan(bytes: &[u8]) -> Option<Vec<XlsSheet>> {
    let stream = super::xls_guard::workbook_stream(bytes).ok()??;
    scan_stream(&stream)
}

/// The metadata of `scanned` keyed by the names calamine gives the sheets (`names`, in workbook
/// order): by position when both list the same number of sheets (calamine lists every
/// BOUNDSHEET8 in order), else by the names that agree. Sheet states are carried as hidden
/// rows/columns only; calamine reports hidden sheets itself.
pub fn by_calamine_names(
    scanned: Vec<XlsSheet>,
    names: &[String],
) -> super::xlsx_meta::WorkbookMeta {
    let mut out = super::xlsx_meta::WorkbookMeta::new();
    if scanned.len() == names.len() {
        for (sheet, name) in scanned.into_iter().zip(names) {
            out.insert(name.clone(), sheet.meta);
        }
    } else {
        for sheet in scanned {
            if let Some(name) = sheet.name.filter(|n| names.contains(n)) {
                out.entry(name).or_insert(sheet.meta);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn bof(dt: u16) -> Vec<u8> {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        rec(BOF, &d)
    }

    fn row(rw: u16, flags: u16) -> Vec<u8> {
        let mut d = rw.to_le_bytes().to_vec();
        d.extend([0u8; 10]);
        d.extend(flags.to_le_bytes());
        d.extend([0u8; 2]);
        rec(ROW, &d)
    }

    fn colinfo(first: u16, last: u16, flags: u16) -> Vec<u8> {
        let mut d = Vec::new();
        for v in [first, last, 2560, 15, flags, 0] {
            d.extend(v.to_le_bytes());
        }
        rec(COLINFO, &d)
    }

    fn boundsheet(pos: u32, state: u8, name: &str, utf16: bool) -> Vec<u8> {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([state, 0]);
        let n = name.chars().count() as u8;
        d.extend([n, u8::from(utf16)]);
        if utf16 {
            d.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        } else {
            d.extend(name.bytes());
        }
        rec(BOUNDSHEET, &d)
    }

    /// A workbook stream: globals naming `sheets` (name, state, records of its substream).
    fn workbook(sheets: &[(&str, u8, Vec<u8>)]) -> Vec<u8> {
        let globals_len = |positions: &[u32]| -> Vec<u8> {
            let mut g = bof(0x0005);
            for ((name, state, _), pos) in sheets.iter().zip(positions) {
                g.extend(boundsheet(*pos, *state, name, !name.is_ascii()));
            }
            g.extend(rec(EOF, &[]));
            g
        };
        let first = globals_len(&vec![0; sheets.len()]).len() as u32;
        let mut positions = Vec::new();
        let mut at = first;
        for (_, _, body) in sheets {
            positions.push(at);
            at += (bof(0x0010).len() + body.len() + 4) as u32;
        }
        let mut s = globals_len(&positions);
        for (_, _, body) in sheets {
            s.extend(bof(0x0010));
            s.extend(body);
            s.extend(rec(EOF, &[]));
        }
        s
    }

    #[test]
    fn hidden_rows_columns_and_sheets_are_read() {
        let mut body = row(0, 0);
        body.extend(row(38, 0x0020 | 0x0100));
        body.extend(row(39, 0x0100));
        body.extend(colinfo(0, 0, 0x0001));
        body.extend(colinfo(2, 3, 0x0000));
        // "All the rest" hidden: bounded.
        body.extend(colinfo(10, 255, 0x0001));
        // An embedded chart's substream: its records are not the sheet's.
        body.extend(bof(0x0020));
        body.extend(row(5, 0x0020));
        body.extend(rec(EOF, &[]));
        body.extend(row(40, 0x0020));
        let s = workbook(&[
            ("指标体系", 0, body),
            ("Old", 1, row(1, 0x0020)),
            ("Stamp", 2, Vec::new()),
        ]);
        let got = scan_stream(&s).expect("meta");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].name.as_deref(), Some("指标体系"));
        assert!(!got[0].hidden);
        assert_eq!(
            got[0].meta.hidden_rows.iter().copied().collect::<Vec<_>>(),
            [38, 40]
        );
        let cols: Vec<usize> = got[0].meta.hidden_cols.iter().copied().collect();
        assert_eq!(cols[..2], [0, 10]);
        assert_eq!(cols.last(), Some(&210));
        assert!(!cols.contains(&2) && !cols.contains(&211));
        assert_eq!(got[1].name.as_deref(), Some("Old"));
        assert!(got[1].hidden && got[2].hidden);
        assert_eq!(got[1].meta.hidden_rows.len(), 1);
        let names = ["指标体系".to_string(), "Old".into(), "Stamp".into()];
        let by_name = by_calamine_names(got.clone(), &names);
        assert_eq!(by_name["指标体系"], got[0].meta);
        // A different count: only the names that agree.
        let by_name = by_calamine_names(got, &names[..1]);
        assert_eq!(by_name.len(), 1);
        assert!(by_name["指标体系"].hidden_rows.contains(&38));
    }

    #[test]
    fn damaged_streams_give_no_meta_without_panicking() {
        let mut body = row(3, 0x0020);
        body.extend(colinfo(1, 1, 0x0001));
        let s = workbook(&[("Sheet1", 0, body)]);
        assert!(scan_stream(&s).is_some());
        // Every truncation cuts the sheet short of its EOF: no meta, never a panic.
        for n in 0..s.len() {
            assert!(scan_stream(&s[..n]).is_none(), "cut at {n}");
        }
        // Every single byte changed to every value at a few places, and garbage.
        for i in 0..s.len() {
            for v in [0x00, 0x01, 0x20, 0x7F, 0x80, 0xFF] {
                let mut t = s.clone();
                t[i] = v;
                let _ = scan_stream(&t);
            }
        }
        let mut x = 0x1234_5678u32;
        let garbage: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        assert!(scan_stream(&garbage).is_none());
        assert!(scan_stream(&[]).is_none());
        assert!(scan(&[]).is_none());
        assert!(scan(&garbage).is_none());
        // A sheet whose BOF position points into nowhere, or at a non-BOF record.
        let mut g = bof(0x0005);
        g.extend(boundsheet(0xFFFF_FFF0, 0, "S", false));
        g.extend(rec(EOF, &[]));
        assert!(scan_stream(&g).is_none());
        let mut g = bof(0x0005);
        g.extend(boundsheet(4, 0, "S", false));
        g.extend(rec(EOF, &[]));
        assert!(scan_stream(&g).is_none());
        // A substream without its EOF.
        let mut open = workbook(&[("S", 0, row(1, 0x0020))]);
        open.truncate(open.len() - 4);
        assert!(scan_stream(&open).is_none());
    }

    #[test]
    fn libreoffice_xls_files_hide_what_their_xlsx_twins_hide() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/xls");
        let read = |rel: &str| std::fs::read(root.join(rel)).expect("fixture");
        // Row 39 (序号 38, withdrawn) of Sheet1.
        let got = scan(&read(
            "indicators/indicators-hidden-withdrawn-row-libreoffice.xls",
        ))
        .expect("meta");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name.as_deref(), Some("Sheet1"));
        assert!(got[0].meta.hidden_rows.contains(&38), "{:?}", got[0].meta);
        assert!(!got[0].meta.hidden_rows.contains(&37));
        // Column D of old wordings.
        let got = scan(&read(
            "indicators/indicators-hidden-old-text-column-libreoffice.xls",
        ))
        .expect("meta");
        assert_eq!(got[0].name.as_deref(), Some("指标体系"));
        assert!(got[0].meta.hidden_cols.contains(&3), "{:?}", got[0].meta);
        assert!(!got[0].meta.hidden_cols.contains(&4));
        // The hidden 2019版 sheet before the visible 2021版.
        let got = scan(&read(
            "indicators/indicators-old-version-sheet-hidden-libreoffice.xls",
        ))
        .expect("meta");
        let states: Vec<(Option<&str>, bool)> =
            got.iter().map(|s| (s.name.as_deref(), s.hidden)).collect();
        assert_eq!(states, [(Some("2019版"), true), (Some("2021版"), false)]);
        // Cut anywhere, the file gives no meta or the meta of what is left; it never panics.
        let bytes = read("tasks/tasks-hidden-withdrawn-row-libreoffice.xls");
        for n in (0..bytes.len()).step_by(97) {
            let _ = scan(&bytes[..n]);
        }
    }

    #[test]
    fn a_compound_file_without_a_workbook_stream_gives_no_meta() {
        let mut f = vec![0u8; 512 * 3];
        f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        f[30..32].copy_from_slice(&9u16.to_le_bytes());
        assert!(scan(&f).is_none());
        assert!(scan(&f[..100]).is_none());
    }
}
