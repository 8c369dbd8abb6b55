//! A guard for legacy .xls files (an OLE compound file holding a BIFF8 workbook stream),
//! checked before calamine reads them. calamine follows the compound file's sector chains
//! without a bound, so a chain that loops back on itself (a damaged or hostile file) makes it
//! allocate until the process is killed; and it allocates a sheet's whole cell box from the
//! DIMENSIONS record and the cell positions, so one cell at row 65 535, column 65 535 asks for
//! four billion cells. An allocation failure aborts the process, which no `catch_unwind` can
//! turn into a message. This module walks the same structures with bounds and refuses such
//! files with the usual Chinese message.
//!
//! It mirrors what calamine 0.38 reads (`cfb.rs`, `xls.rs`); anything it cannot make sense of is
//! left for calamine to report as damaged.

/// Why a file is refused.
#[derive(Debug, PartialEq)]
pub(super) enum Refusal {
    /// A sector chain loops or is longer than the file.
    Damaged,
    /// A sheet's cell box (rows × columns) exceeds the bound.
    TooLarge { rows: u64, cols: u64 },
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids at or above this are markers (DIFAT/FAT sector, end of chain, free), not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(o..o + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], o: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(o..o + 8)?.try_into().ok()?))
}

struct Compound<'a> {
    bytes: &'a [u8],
    size: usize,
    /// Highest sector id calamine accepts (file length / sector size).
    maxid: u32,
}

impl<'a> Compound<'a> {
    /// The bytes of sector `id` (shorter at the end of the file), None beyond it.
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        if id > self.maxid {
            return None;
        }
        let start = (id as usize + 1).checked_mul(self.size)?;
        let end = (start + self.size).min(self.bytes.len());
        self.bytes.get(start..end)
    }

    /// Follow a chain through `table` from `start`, collecting up to `len` bytes (kept when
    /// `read`). Sectors of `data` (the mini stream) when given, else of the file. Every step
    /// spends one of `budget`: in a sound file no sector belongs to two chains, so all chains
    /// together take at most as many steps as there are sectors; a loop runs out of budget.
    /// Ok(None) when the chain runs into something calamine itself reports as an error.
    #[allow(clippy::too_many_arguments)]
    fn chain(
        &self,
        start: u32,
        table: &[u32],
        unit: usize,
        data: Option<&[u8]>,
        len: usize,
        read: bool,
        budget: &mut usize,
    ) -> Result<Option<Vec<u8>>, Refusal> {
        let mut out = Vec::new();
        let (mut id, mut got) = (start, 0usize);
        while id != END_OF_CHAIN {
            *budget = budget.checked_sub(1).ok_or(Refusal::Damaged)?;
            let piece = match data {
                Some(d) => {
                    let s = (id as usize).saturating_mul(unit);
                    d.get(s..s.saturating_add(unit).min(d.len())).unwrap_or(&[])
                }
                None => match self.sector(id) {
                    Some(p) => p,
                    None => return Ok(None),
                },
            };
            let take = piece.len().min(len - got);
            if read {
                out.extend_from_slice(&piece[..take]);
            }
            got += take;
            if got >= len {
                break;
            }
            match table.get(id as usize) {
                Some(next) => id = *next,
                None => return Ok(None),
            }
        }
        Ok(Some(out))
    }
}

/// Check an .xls file; Ok when calamine may read it (or will report its damage itself), with
/// the workbook stream when it could be read (for [`super::xls_meta`]).
pub(super) fn check(bytes: &[u8], max_box_cells: u64) -> Result<Option<Vec<u8>>, Refusal> {
    let Some(stream) = workbook_stream(bytes)? else {
        return Ok(None);
    };
    check_records(&stream, max_box_cells)?;
    Ok(Some(stream))
}

/// Load the compound file as calamine does, refusing looping chains; returns the workbook
/// stream when it can be read.
pub(super) fn workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, Refusal> {
    let Some(header) = bytes.get(..512) else {
        return Ok(None);
    };
    let size = match u16_at(header, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Ok(None),
    };
    let small = size == 512;
    let maxid = (bytes.len() / size) as u32;
    let c = Compound { bytes, size, maxid };
    // The DIFAT: 109 ids in the header, then a chain of DIFAT sectors (each ending with the
    // next one's id).
    let mut difat: Vec<u32> = header[76..512]
        .chunks_exact(4)
        .filter_map(|b| u32_at(b, 0))
        .collect();
    let mut id = u32_at(header, 68).unwrap_or(END_OF_CHAIN);
    let mut steps = 0;
    while id < RESERVED {
        steps += 1;
        if steps > maxid as usize + 1 {
            return Err(Refusal::Damaged);
        }
        let Some(s) = c.sector(id) else {
            return Ok(None);
        };
        difat.extend(s.chunks_exact(4).filter_map(|b| u32_at(b, 0)));
        id = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    // A FAT sector listed more often than the file has sectors: calamine would build a FAT
    // many times the file's size.
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|i| *i < 0xFFFF_FFFC).collect();
    if fat_sectors.len() > maxid as usize + 1 {
        return Err(Refusal::Damaged);
    }
    let mut fat = Vec::new();
    for id in fat_sectors {
        let Some(s) = c.sector(id) else {
            return Ok(None);
        };
        fat.extend(s.chunks_exact(4).filter_map(|b| u32_at(b, 0)));
    }
    // Every chain below spends from one budget of sectors (and one of mini sectors).
    let mut budget = maxid as usize + 2;
    // The directory: every stream's chain is checked, whichever calamine may read.
    let dir_start = u32_at(header, 48).unwrap_or(END_OF_CHAIN);
    let Some(dirs) = c.chain(dir_start, &fat, size, None, usize::MAX, true, &mut budget)? else {
        return Ok(None);
    };
    // (name, object type, start, length)
    let entries: Vec<(String, u8, u32, usize)> = dirs
        .chunks_exact(128)
        .map(|e| {
            let name: Vec<u16> = e[..64]
                .chunks_exact(2)
                .filter_map(|b| u16_at(b, 0))
                .take_while(|u| *u != 0)
                .collect();
            let start = u32_at(e, 116).unwrap_or(END_OF_CHAIN);
            let len = if small {
                u32_at(e, 120).map(u64::from)
            } else {
                u64_at(e, 120)
            }
            .unwrap_or(0);
            (
                String::from_utf16_lossy(&name),
                e[66],
                start,
                usize::try_from(len).unwrap_or(usize::MAX),
            )
        })
        .collect();
    let Some(root) = entries.first() else {
        return Ok(None);
    };
    // The mini stream (in the root entry's chain) and the mini FAT.
    let mini_fat_len = u32_at(header, 64).unwrap_or(0) as usize;
    let (mini, mini_fat) = if mini_fat_len > 0 {
        let Some(mini) = c.chain(root.2, &fat, size, None, root.3, true, &mut budget)? else {
            return Ok(None);
        };
        let mini_fat_start = u32_at(header, 60).unwrap_or(END_OF_CHAIN);
        let Some(mf) = c.chain(
            mini_fat_start,
            &fat,
            size,
            None,
            mini_fat_len.saturating_mul(size),
            true,
            &mut budget,
        )?
        else {
            return Ok(None);
        };
        let mf: Vec<u32> = mf.chunks_exact(4).filter_map(|b| u32_at(b, 0)).collect();
        (mini, mf)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut mini_budget = mini.len() / 64 + 2;
    let mut workbook = None;
    // Streams (object type 2) with content; unused entries hold nothing to follow.
    for (name, _, start, len) in entries.iter().skip(1).filter(|e| e.1 == 2 && e.3 > 0) {
        let wanted = name.eq_ignore_ascii_case("Workbook")
            || (workbook.is_none() && name.eq_ignore_ascii_case("Book"));
        let got = if *len < 4096 {
            c.chain(
                *start,
                &mini_fat,
                64,
                Some(&mini),
                *len,
                wanted,
                &mut mini_budget,
            )?
        } else {
            c.chain(*start, &fat, size, None, *len, wanted, &mut budget)?
        };
        if wanted && got.is_some() {
            workbook = got;
        }
    }
    Ok(workbook)
}

/// Walk the BIFF records of the workbook stream: every sheet's DIMENSIONS and cell positions
/// must stay within `max_box_cells`.
fn check_records(s: &[u8], max_box_cells: u64) -> Result<(), Refusal> {
    let (mut rows, mut cols) = (0u64, 0u64);
    let too_large = |rows: u64, cols: u64| {
        if rows.saturating_mul(cols) > max_box_cells {
            Err(Refusal::TooLarge { rows, cols })
        } else {
            Ok(())
        }
    };
    let mut at = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(s, at), u16_at(s, at + 2)) {
        let Some(data) = s.get(at + 4..at + 4 + len as usize) else {
            break;
        };
        at += 4 + len as usize;
        let pos = |o: usize| (u16_at(data, o), u16_at(data, o + 2));
        match typ {
            // BOF: a new sheet (or a substream inside it).
            0x0809 => {
                rows = 0;
                cols = 0;
            }
            // DIMENSIONS: calamine reserves rows × columns cells up front.
            0x0200 => {
                let (r0, r1, c0, c1) = match data.len() {
                    10 => (
                        u16_at(data, 0).map(u64::from),
                        u16_at(data, 2).map(u64::from),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    14 | 16 => (
                        u32_at(data, 0).map(u64::from),
                        u32_at(data, 4).map(u64::from),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => (None, None, None, None),
                };
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (r0, r1, c0, c1) {
                    // Last row and column are exclusive ("one past"), as calamine reads them.
                    let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
                    too_large(r1.saturating_sub(r0), u64::from(c1.saturating_sub(c0)))?;
                }
            }
            // Cells: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = pos(0) {
                    rows = rows.max(u64::from(r) + 1);
                    cols = cols.max(u64::from(c) + 1);
                    too_large(rows, cols)?;
                }
            }
            // MULRK: row, first column, …, last column.
            0x00BD => {
                if let (Some(r), Some(_)) = pos(0)
                    && let Some(last) = data.len().checked_sub(2).and_then(|o| u16_at(data, o))
                {
                    rows = rows.max(u64::from(r) + 1);
                    cols = cols.max(u64::from(last) + 1);
                    too_large(rows, cols)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn cell_boxes_beyond_the_bound_are_refused() {
        let cell = |r: u16, c: u16| {
            let mut d = r.to_le_bytes().to_vec();
            d.extend(c.to_le_bytes());
            d.extend([0u8; 10]);
            record(0x0203, &d)
        };
        let mut ok = record(0x0809, &[0; 16]);
        ok.extend(cell(0, 0));
        ok.extend(cell(999, 9));
        assert_eq!(check_records(&ok, 10_000_000), Ok(()));
        let mut far = ok.clone();
        far.extend(cell(65_535, 65_535));
        assert!(matches!(
            check_records(&far, 10_000_000),
            Err(Refusal::TooLarge { .. })
        ));
        // A new sheet starts a new box.
        let mut two = far[..ok.len()].to_vec();
        two.extend(record(0x0809, &[0; 16]));
        two.extend(cell(5, 5));
        assert_eq!(check_records(&two, 10_000_000), Ok(()));
        // DIMENSIONS promising a billion cells.
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend(1_000_000u32.to_le_bytes());
        dims.extend(0u16.to_le_bytes());
        dims.extend(1000u16.to_le_bytes());
        dims.extend([0u8; 2]);
        assert!(check_records(&record(0x0200, &dims), 10_000_000).is_err());
    }

    #[test]
    fn a_looping_directory_chain_is_refused() {
        // Header + 2 sectors: FAT in sector 0, directory in sector 1 whose FAT entry points
        // back at itself.
        let mut f = vec![0u8; 512 * 3];
        f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        f[30..32].copy_from_slice(&9u16.to_le_bytes());
        f[32..34].copy_from_slice(&6u16.to_le_bytes());
        f[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory starts at sector 1
        f[68..72].copy_from_slice(&END_OF_CHAIN.to_le_bytes()); // no DIFAT sectors
        f[76..80].copy_from_slice(&0u32.to_le_bytes()); // FAT in sector 0
        for i in 1..109 {
            f[76 + 4 * i..80 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        let fat = 512;
        f[fat..fat + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        f[fat + 4..fat + 8].copy_from_slice(&1u32.to_le_bytes()); // 1 → 1 → 1 …
        assert_eq!(check(&f, 10_000_000), Err(Refusal::Damaged));
        // Ended properly, it passes.
        f[fat + 4..fat + 8].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        assert_eq!(check(&f, 10_000_000), Ok(None));
    }
}
