//! Reading and writing the tables offices exchange: Excel workbooks (.xlsx/.xlsm/.xls/.ods via
//! calamine) and tables inside Word documents (.docx). Every reader turns a table into a
//! [`Grid`] of text with merged regions already filled, in absolute coordinates, so that one
//! parser per layout serves both file kinds.

pub mod docx;
pub mod layout;
pub mod merge;
pub mod stamp;
pub mod write;
mod xls_guard;
pub mod xls_meta;
pub mod xlsx_meta;

use std::collections::BTreeSet;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

use calamine::{Data, Reader, Sheets};

use crate::error::Error;
use crate::text::clean_cell;

/// What a file really is, by its bytes (never by its extension: offices rename files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Xls,
    Ods,
    Docx,
    /// An OLE container holding an encrypted OOXML package (password-protected workbook).
    Encrypted,
    /// A legacy .doc file.
    Doc,
    /// Text (CSV, TXT, HTML disguised as .xls …).
    Text,
    Unknown,
}

/// Sniff the kind of a file from its content.
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return FileKind::Unknown;
        };
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|s| s.ok())
            .map(|s| s.replace('\\', "/"))
            .collect();
        if names.iter().any(|n| n == "word/document.xml") {
            return FileKind::Docx;
        }
        if names.iter().any(|n| n.starts_with("xl/")) {
            return FileKind::Xlsx;
        }
        if names.iter().any(|n| n == "content.xml") {
            if let Ok(mut f) = zip.by_name("mimetype") {
                let mut m = String::new();
                let _ = f.read_to_string(&mut m);
                if m.contains("text") {
                    return FileKind::Unknown;
                }
            }
            return FileKind::Ods;
        }
        return FileKind::Unknown;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let utf16 =
            |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect() };
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(&utf16("EncryptionInfo")) || has(&utf16("EncryptedPackage")) {
            return FileKind::Encrypted;
        }
        if has(&utf16("WordDocument")) {
            return FileKind::Doc;
        }
        return FileKind::Xls;
    }
    let head = &bytes[..bytes.len().min(4096)];
    if !head.is_empty() && (std::str::from_utf8(head).is_ok() || head.iter().all(|&b| b >= 0x09)) {
        return FileKind::Text;
    }
    if utf16_text(bytes) {
        return FileKind::Text;
    }
    FileKind::Unknown
}

/// UTF-16 text: what Excel and WPS write as "Unicode 文本" (UTF-16LE with a BOM, tab
/// separated), or UTF-16 without a BOM whose start decodes to text with line breaks or tabs.
pub fn utf16_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 || !head.contains(&0) {
        return false;
    }
    let mut units: Vec<u16> = head
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    // A character cut at the 4 KB boundary.
    if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
        units.pop();
    }
    let mut breaks = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok('\t' | '\n' | '\r') => breaks += 1,
            Ok(c) if c.is_control() => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    breaks > 0
}

/// One cell of a grid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Cleaned text (numbers as Excel shows them: 12.0 becomes "12").
    pub text: String,
    /// The numeric value when the cell held a number.
    pub number: Option<f64>,
    /// True when this cell is covered by a merged region and got its value from the top-left.
    pub merged_copy: bool,
    /// For a merged copy: how many rows below the first row of its merged region this cell is
    /// (0 for cells of that first row and cells not merged). A value merged down over several
    /// rows (a 分值 given once for a group) is told apart from one repeated row by row.
    pub merged_up: u32,
}

/// A rectangular table of text in absolute coordinates (row 0 is the file's first row).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Sheet name, or "表格N" for the N-th table of a Word document.
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// Text above the table (Word documents: paragraphs before it). Used to find a title.
    pub caption: Vec<String>,
    /// Whether the row/column of an issue is shown as Excel does ("第3行 C列") or as a Word
    /// table does ("第3行第2列").
    pub is_word_table: bool,
    /// The sheet is hidden (or very hidden) in the workbook.
    pub hidden: bool,
    /// 0-based rows and columns the sheet hides (.xlsx, .xls, .ods; Word tables have none).
    pub hidden_rows: BTreeSet<usize>,
    pub hidden_cols: BTreeSet<usize>,
    /// The hidden rows a view hides (an AutoFilter that filters, a collapsed outline group):
    /// still part of the table, unlike rows hidden by hand.
    pub view_hidden_rows: BTreeSet<usize>,
    /// Cells holding a formula that was never calculated (no cached value): they read empty.
    pub uncalculated: Vec<(usize, usize)>,
    /// A Word table continued after a page break is read as one grid: where each continuing
    /// table starts (in order), so that places are named after the table the user sees.
    pub continued: Vec<Continuation>,
    /// How the reader read what is not plain text, as full Chinese sentences for the preview
    /// (a Word table read with its tracked changes accepted, automatic numbers written out…).
    pub read_notes: Vec<String>,
}

/// Rows from `from_row` on come from the Word table `table` (its own row `table_row` first:
/// the header rows it repeats are not part of the grid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Continuation {
    pub from_row: usize,
    pub table: String,
    pub table_row: usize,
}

impl Grid {
    pub fn cell(&self, row: usize, col: usize) -> Option<&Cell> {
        self.rows.get(row).and_then(|r| r.get(col))
    }

    pub fn text(&self, row: usize, col: usize) -> &str {
        self.cell(row, col).map(|c| c.text.as_str()).unwrap_or("")
    }

    /// The widest row's length. It walks every row: per-row code uses [`Grid::row_width`].
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The cells row `row` has (every cell past them reads empty).
    pub fn row_width(&self, row: usize) -> usize {
        self.rows.get(row).map_or(0, Vec::len)
    }

    pub fn row_is_blank(&self, row: usize) -> bool {
        self.rows
            .get(row)
            .is_none_or(|r| r.iter().all(|c| c.text.is_empty()))
    }

    /// How a column is named to the user: "C" for sheets, "3" for Word tables.
    pub fn col_label(&self, col: usize) -> String {
        if self.is_word_table {
            (col + 1).to_string()
        } else {
            crate::text::col_letter(col as u32)
        }
    }

    /// How the table is named to the user: "工作表“附件1”" for a sheet, "表格2" for a Word table.
    pub fn label(&self) -> String {
        if self.is_word_table {
            self.name.clone()
        } else {
            format!("工作表“{}”", self.name)
        }
    }

    /// The table a row is in and its 0-based row there: the grid itself, or the Word table
    /// that continues it ("表格2", 4).
    pub fn locate(&self, row: usize) -> (&str, usize) {
        match self.continued.iter().rev().find(|c| row >= c.from_row) {
            Some(c) => (c.table.as_str(), row - c.from_row + c.table_row),
            None => (self.name.as_str(), row),
        }
    }

    /// "工作表“附件1”第12行 C列" / "表格2第12行第3列".
    pub fn place(&self, row: usize, col: Option<usize>) -> String {
        let (table, row) = self.locate(row);
        let sheet = if self.is_word_table {
            table.to_string()
        } else {
            self.label()
        };
        match col {
            Some(c) if self.is_word_table => format!("{sheet}第{}行第{}列", row + 1, c + 1),
            Some(c) => format!("{sheet}第{}行 {}列", row + 1, self.col_label(c)),
            None => format!("{sheet}第{}行", row + 1),
        }
    }

    /// Whether row `r` / column `c` is hidden in the workbook.
    pub fn row_hidden(&self, r: usize) -> bool {
        self.hidden_rows.contains(&r)
    }

    /// Whether row `r` is hidden by a filter or a collapsed outline group (see
    /// [`Grid::view_hidden_rows`]).
    pub fn row_hidden_by_view(&self, r: usize) -> bool {
        self.view_hidden_rows.contains(&r)
    }

    pub fn col_hidden(&self, c: usize) -> bool {
        self.hidden_cols.contains(&c)
    }
}

/// The file name to show the user ("指标体系.xlsx").
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Read a file fully, with Chinese messages for the usual failures (locked by Excel, missing…).
pub fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    const LIMIT: u64 = 200 * 1024 * 1024;
    let meta = std::fs::metadata(path).map_err(|e| Error::io("读取文件", path, &e))?;
    if meta.is_dir() {
        return Err(Error::BadFile(format!(
            "“{}”是文件夹，不是文件。",
            path.display()
        )));
    }
    if meta.len() > LIMIT {
        return Err(Error::BadFile(format!(
            "文件“{}”过大（{} MB），超过 200 MB 的上限，请确认是否选错文件。",
            display_name(path),
            meta.len() / 1024 / 1024
        )));
    }
    std::fs::read(path).map_err(|e| Error::io("读取文件", path, &e))
}

fn kind_error(file: &str, kind: FileKind, bytes: &[u8]) -> Error {
    let why = match kind {
        FileKind::Text if utf16_text(bytes) => "这是文本文件（Excel 或 WPS 另存的“Unicode 文本”，以制表符分隔），不是 Excel 工作簿。请在 Excel 或 WPS 中打开它，另存为“Excel 工作簿（*.xlsx）”后再导入。".to_string(),
        FileKind::Encrypted => "该文件设置了打开密码（已加密），请在 Excel 或 WPS 中取消密码后另存，再导入。".to_string(),
        FileKind::Doc => "这是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入。".to_string(),
        FileKind::Text => "这是文本文件（如 CSV），不是 Excel 工作簿，请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。".to_string(),
        _ => "文件已损坏或不是 Excel/Word 文件（无法识别文件内容）。".to_string(),
    };
    Error::BadFile(format!("无法读取“{file}”：{why}"))
}

/// Read every table of a workbook or Word document as grids. Errors name the file.
pub fn read_tables(path: &Path) -> Result<Vec<Grid>, Error> {
    let bytes = read_file(path)?;
    read_tables_from_bytes(&display_name(path), bytes)
}

/// As [`read_tables`], from bytes already in memory. `file` is only used in messages.
///
/// The third-party readers (calamine, zip) have panicked on some damaged files found by our
/// fuzzer; a panic there is turned into the same "file is damaged" message instead of taking
/// the app down.
pub fn read_tables_from_bytes(file: &str, bytes: Vec<u8>) -> Result<Vec<Grid>, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_tables_inner(file, bytes)
    })) {
        Ok(r) => r,
        Err(_) => Err(Error::BadFile(format!(
            "无法读取“{file}”：文件已损坏（内容结构异常），请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试。"
        ))),
    }
}

/// The value of a workbook-level defined name (our stamps survive in one when a unit's program
/// drops the hidden stamp sheet), without its `="…"` quoting. None when the file has no such
/// name or cannot be read that way; only call it on bytes [`read_tables_from_bytes`] accepted,
/// so the size guards have passed.
pub fn defined_name(bytes: &[u8], name: &str) -> Option<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).ok()?;
        wb.defined_names()
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim_start_matches('=').trim_matches('"').to_string())
    }))
    .ok()
    .flatten()
}

fn read_tables_inner(file: &str, bytes: Vec<u8>) -> Result<Vec<Grid>, Error> {
    if bytes.is_empty() {
        return Err(Error::BadFile(format!(
            "无法读取“{file}”：文件是空的（0 字节）。"
        )));
    }
    let kind = sniff(&bytes);
    let corrupt = |e: &dyn std::fmt::Display| {
        Error::BadFile(format!(
            "无法读取“{file}”：文件已损坏或格式不受支持（{e}）。请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试。"
        ))
    };
    match kind {
        FileKind::Docx => docx::read_tables(file, &bytes),
        FileKind::Xlsx | FileKind::Xls | FileKind::Ods => {
            // Guard against decompression bombs before calamine inflates anything.
            if kind != FileKind::Xls {
                check_zip_sizes(file, &bytes)?;
            }
            let mut meta = match kind {
                FileKind::Xlsx => {
                    check_xlsx_extent(file, &bytes)?;
                    xlsx_meta::scan(&bytes, 1024 * 1024 * 1024)
                }
                FileKind::Ods => xlsx_meta::scan_ods(&bytes, 1024 * 1024 * 1024),
                _ => xlsx_meta::WorkbookMeta::new(),
            };
            // What an .xls hides, from the workbook stream the guard has read with its bounds.
            let mut xls_sheets = None;
            if kind == FileKind::Xls {
                match xls_guard::check(&bytes, MAX_BOX_CELLS) {
                    Ok(stream) => xls_sheets = stream.as_deref().and_then(xls_meta::scan_stream),
                    Err(xls_guard::Refusal::Damaged) => {
                        return Err(Error::BadFile(format!(
                            "无法读取“{file}”：文件已损坏（内部结构异常），请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试。"
                        )));
                    }
                    Err(xls_guard::Refusal::TooLarge { rows, cols }) => {
                        return Err(too_far(file, rows, cols));
                    }
                }
            }
            let cursor = Cursor::new(bytes);
            let sheets = match kind {
                FileKind::Xlsx => calamine::Xlsx::new(cursor)
                    .map(Sheets::Xlsx)
                    .map_err(|e| corrupt(&e)),
                FileKind::Xls => calamine::Xls::new(cursor)
                    .map(Sheets::Xls)
                    .map_err(|e| corrupt(&e)),
                _ => calamine::Ods::new(cursor)
                    .map(Sheets::Ods)
                    .map_err(|e| corrupt(&e)),
            }?;
            if let Some(scanned) = xls_sheets {
                let names: Vec<String> = sheets
                    .sheets_metadata()
                    .iter()
                    .map(|s| s.name.clone())
                    .collect();
                meta = xls_meta::by_calamine_names(scanned, &names);
            }
            workbook_grids(file, sheets, meta)
        }
        other => Err(kind_error(file, other, &bytes)),
    }
}

/// Refuse zips whose entries would inflate beyond a sane size (zip bombs).
fn check_zip_sizes(file: &str, bytes: &[u8]) -> Result<(), Error> {
    const MAX_TOTAL: u64 = 1024 * 1024 * 1024;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine will report the damage.
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
            let ratio = f.size() / f.compressed_size().max(1);
            if total > MAX_TOTAL || (f.size() > 100 * 1024 * 1024 && ratio > 200) {
                return Err(Error::BadFile(format!(
                    "无法读取“{file}”：文件解压后过大（可能是异常或恶意文件），已拒绝读取。"
                )));
            }
        }
    }
    Ok(())
}

/// Most cells the bounding box of one sheet may span: calamine allocates the whole box, so a
/// single cell at XFD1048576 would otherwise ask for 17 billion cells.
const MAX_BOX_CELLS: u64 = 10_000_000;

/// Refuse a workbook whose sheets span more than [`MAX_BOX_CELLS`], by scanning the cell
/// references of each worksheet part before calamine allocates anything.
fn check_xlsx_extent(file: &str, bytes: &[u8]) -> Result<(), Error> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else {
            continue;
        };
        let Ok(name) = f.name().map(|n| n.replace('\\', "/")) else {
            continue;
        };
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = Vec::new();
        if f.by_ref()
            .take(1024 * 1024 * 1024)
            .read_to_end(&mut xml)
            .is_err()
        {
            continue; // calamine reports the damage.
        }
        let (rows, cols) = cell_extent(&xml);
        if rows > MAX_ROWS as u64 || rows.saturating_mul(cols) > MAX_BOX_CELLS {
            return Err(too_far(file, rows, cols));
        }
    }
    Ok(())
}

/// A sheet whose cells reach too far to be read.
fn too_far(file: &str, rows: u64, cols: u64) -> Error {
    Error::BadFile(format!(
        "无法读取“{file}”：工作表的内容一直延伸到第 {rows} 行、第 {cols} 列，超出可读取的范围（最多 {} 行、约 {} 万个单元格）。请在 Excel 或 WPS 中删除多余的行列（或把有用的内容复制到新工作簿）后重试。",
        MAX_ROWS,
        MAX_BOX_CELLS / 10_000
    ))
}

/// Highest row and column referenced by `r="…"` attributes of rows and cells.
fn cell_extent(xml: &[u8]) -> (u64, u64) {
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut i = 0;
    while let Some(p) = xml[i..].windows(4).position(|w| w == b" r=\"") {
        let start = i + p + 4;
        let mut j = start;
        let mut col = 0u64;
        while j < xml.len() && xml[j].is_ascii_uppercase() && j - start < 4 {
            col = col * 26 + u64::from(xml[j] - b'A' + 1);
            j += 1;
        }
        let mut row = 0u64;
        while j < xml.len() && xml[j].is_ascii_digit() && row < 1 << 40 {
            row = row * 10 + u64::from(xml[j] - b'0');
            j += 1;
        }
        if j < xml.len() && xml[j] == b'"' {
            max_row = max_row.max(row);
            max_col = max_col.max(col);
        }
        i = j.max(start);
    }
    (max_row, max_col.max(1))
}

/// Limits that keep a hostile sheet from exhausting memory; real indicator and task sheets are
/// far below them.
const MAX_ROWS: usize = 100_000;
const MAX_COLS: usize = 200;

fn workbook_grids<RS: Read + Seek>(
    file: &str,
    mut wb: Sheets<RS>,
    mut meta: xlsx_meta::WorkbookMeta,
) -> Result<Vec<Grid>, Error> {
    let sheets: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect();
    let mut grids = Vec::new();
    for (name, hidden) in sheets {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                return Err(Error::BadFile(format!(
                    "无法读取“{file}”中的工作表“{name}”：内容已损坏（{e}）。"
                )));
            }
        };
        let scanned = meta.remove(&name);
        // The merged ranges of an .xlsx come from the scan (calamine would parse the sheet
        // once more for them); a sheet the scan did not find asks calamine.
        let merges: Vec<((u32, u32), (u32, u32))> = match (&mut wb, &scanned) {
            (Sheets::Xlsx(_), Some(m)) => m.merges.clone(),
            (Sheets::Xlsx(x), None) => dims(x.merge_cells_by_sheet_name(&name)),
            (Sheets::Xls(x), _) => dims(x.merge_cells_by_sheet_name(&name)),
            // An .ods: the spans read by `xlsx_meta::scan_ods` (calamine reads none).
            (_, Some(m)) => m.merges.clone(),
            _ => Vec::new(),
        };
        let (h, w) = range.get_size();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let end_row = (r0 as usize + h).min(MAX_ROWS);
        let end_col = (c0 as usize + w).min(MAX_COLS);
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); end_row];
        for (r, row) in rows.iter_mut().enumerate().skip(r0 as usize) {
            *row = (0..end_col)
                .map(|c| {
                    if c < c0 as usize {
                        return Cell::default();
                    }
                    range
                        .get_value((r as u32, c as u32))
                        .map(data_cell)
                        .unwrap_or_default()
                })
                .collect();
        }
        let m = scanned.unwrap_or_default();
        // A formula never calculated has no value; a placeholder 0 is not one either.
        for &(r, c) in &m.uncalculated {
            if let Some(cell) = rows.get_mut(r).and_then(|row| row.get_mut(c)) {
                *cell = Cell::default();
            }
        }
        let mut grid = Grid {
            name: name.clone(),
            rows,
            hidden,
            hidden_rows: m.hidden_rows,
            view_hidden_rows: m.view_hidden_rows,
            hidden_cols: m.hidden_cols,
            uncalculated: m.uncalculated,
            ..Grid::default()
        };
        fill_merges(&mut grid, merges.into_iter());
        // Trailing blank rows are noise.
        while grid
            .rows
            .last()
            .is_some_and(|r| r.iter().all(|c| c.text.is_empty()))
        {
            grid.rows.pop();
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// calamine's merged regions as ((first row, first col), (last row, last col)).
fn dims<E>(found: Result<Vec<calamine::Dimensions>, E>) -> Vec<((u32, u32), (u32, u32))> {
    found
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect()
}

/// Copy the top-left value of every merged region into the cells it covers.
pub fn fill_merges(grid: &mut Grid, merges: impl Iterator<Item = ((u32, u32), (u32, u32))>) {
    for ((r1, c1), (r2, c2)) in merges {
        let (r1, c1) = (r1 as usize, c1 as usize);
        let r2 = (r2 as usize).min(grid.rows.len().saturating_sub(1));
        let c2 = (c2 as usize).min(MAX_COLS - 1);
        let Some(top_left) = grid.cell(r1, c1).cloned() else {
            continue;
        };
        for r in r1..=r2 {
            for c in c1..=c2 {
                if r == r1 && c == c1 {
                    continue;
                }
                let row = &mut grid.rows[r];
                if row.len() <= c {
                    row.resize(c + 1, Cell::default());
                }
                row[c] = Cell {
                    merged_copy: true,
                    merged_up: (r - r1) as u32,
                    ..top_left.clone()
                };
            }
        }
    }
}

fn data_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell {
            text: clean_cell(s),
            ..Cell::default()
        },
        Data::Int(i) => Cell {
            text: i.to_string(),
            number: Some(*i as f64),
            ..Cell::default()
        },
        Data::Float(f) => Cell {
            text: format_number(*f),
            number: Some(*f),
            ..Cell::default()
        },
        Data::Bool(b) => Cell {
            text: if *b { "是" } else { "否" }.into(),
            ..Cell::default()
        },
        Data::DateTime(dt) => {
            let text = dt
                .as_datetime()
                .map(|d| {
                    if dt.is_datetime() && d.time() != chrono_midnight() {
                        d.format("%Y-%m-%d %H:%M").to_string()
                    } else {
                        d.format("%Y-%m-%d").to_string()
                    }
                })
                .unwrap_or_else(|| dt.as_f64().to_string());
            Cell {
                text,
                number: Some(dt.as_f64()),
                ..Cell::default()
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell {
            text: s.clone(),
            ..Cell::default()
        },
        // Error cells (#REF!, #DIV/0!) carry no usable value.
        Data::Error(_) => Cell::default(),
    }
}

fn chrono_midnight() -> chrono::NaiveTime {
    chrono::NaiveTime::MIN
}

/// Numbers as Excel shows them in a General cell: 12.0 → "12", 0.5 → "0.5".
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{:.6}", f);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_ignores_extensions() {
        assert_eq!(sniff(b"a,b,c\n1,2,3\n"), FileKind::Text);
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0, 0, 0, 0x0d, 0xff, 0x00]),
            FileKind::Unknown
        );
        assert_eq!(sniff(b""), FileKind::Unknown);
    }

    #[test]
    fn unicode_text_is_a_text_file_not_a_damaged_one() {
        let utf16 = |s: &str, bom: bool| -> Vec<u8> {
            let mut v: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
            v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
            v
        };
        let text = "序号\t一级指标\t三级指标\r\n1\t一、政府职能\t政务服务事项全部纳入\r\n";
        assert_eq!(sniff(&utf16(text, true)), FileKind::Text);
        assert_eq!(sniff(&utf16(text, false)), FileKind::Text);
        let err = read_tables_from_bytes("单位名单.xls", utf16(text, true)).expect_err("text");
        let msg = err.to_string();
        assert!(
            msg.contains("文本文件") && msg.contains("Unicode 文本"),
            "{msg}"
        );
        assert!(
            msg.contains("单位名单.xls") && !msg.contains("损坏"),
            "{msg}"
        );
        // Binary data with zero bytes is still unknown.
        assert_eq!(
            sniff(&[0x89, 0, 0xff, 0, 1, 0, 0, 0, 0xc3, 0x28]),
            FileKind::Unknown
        );
    }

    #[test]
    fn numbers_print_like_excel() {
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(1.25), "1.25");
    }

    #[test]
    fn merges_fill_covered_cells() {
        let mut g = Grid {
            name: "s".into(),
            rows: vec![
                vec![
                    Cell {
                        text: "一".into(),
                        ..Cell::default()
                    },
                    Cell::default(),
                ],
                vec![Cell::default(), Cell::default()],
            ],
            ..Grid::default()
        };
        fill_merges(&mut g, [((0, 0), (1, 0))].into_iter());
        assert_eq!(g.text(1, 0), "一");
        assert!(g.cell(1, 0).is_some_and(|c| c.merged_copy));
        assert_eq!(g.place(1, Some(2)), "工作表“s”第2行 C列");
    }
}
