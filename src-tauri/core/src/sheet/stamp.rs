//! What every round-trip sheet shares (the per-unit task sheets, the per-expert scoring
//! sheets): a stamp saying where the workbook came from — written twice, in a very hidden sheet
//! and in a workbook-level defined name (LibreOffice and WPS keep both) — with a check key, and
//! saving a set of workbooks into a folder (all files or none) or into one zip.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::Grid;
use super::write::{Book, Style};
use crate::atomic::{write_all_atomic, write_atomic};
use crate::error::{Error, Result};
use crate::progress::Job;

/// Name of the very hidden stamp sheet (the same for every kind of stamp; its first cell says
/// which kind).
pub const STAMP_SHEET: &str = "_shifan_stamp";

/// The first 10 hex digits of SHA-256 of `text`: the check key of a stamp.
pub fn check_key(text: &str) -> String {
    let h = Sha256::digest(text.as_bytes());
    format!("{:x}", h).chars().take(10).collect()
}

/// `k=v` fields of a stamp text ("c=1;round=2;e=3;r=1;k=…"), None when it does not parse.
pub fn fields(s: &str) -> Option<Vec<(String, String)>> {
    let s = s.trim().trim_matches('"');
    let mut out = Vec::new();
    for part in s.split(';') {
        let (a, b) = part.split_once('=')?;
        out.push((a.trim().to_string(), b.trim().to_string()));
    }
    Some(out)
}

/// The number in field `key` of parsed stamp fields.
pub fn number(fields: &[(String, String)], key: &str) -> Option<i64> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
}

/// The text in field `key`.
pub fn text<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Add the stamp to a workbook: the very hidden sheet (`mark` and the stamp text in row 1,
/// then `extra` label/value rows for a human reader) and the defined name `name`.
pub fn write(
    book: &mut Book,
    mark: &str,
    name: &str,
    stamp: &str,
    extra: &[(&str, &str)],
) -> Result<()> {
    {
        let mut ws = book.sheet(STAMP_SHEET)?;
        ws.text(0, 0, mark, Style::Body)?;
        ws.text(0, 1, stamp, Style::Body)?;
        for (i, (k, v)) in extra.iter().enumerate() {
            ws.text(1 + i as u32, 0, k, Style::Body)?;
            ws.text(1 + i as u32, 1, v, Style::Body)?;
        }
        ws.very_hidden();
    }
    book.define_text_name(name, stamp)
}

/// The stamp text of a workbook: the stamp sheet's cell beside `mark`, else the defined name
/// `name`.
pub fn find(grids: &[Grid], bytes: &[u8], mark: &str, name: &str) -> Option<String> {
    for g in grids {
        for r in 0..g.rows.len().min(5) {
            if g.text(r, 0) == mark && !g.text(r, 1).is_empty() {
                return Some(g.text(r, 1).to_string());
            }
        }
    }
    super::defined_name(bytes, name)
}

/// Whether a grid is a stamp sheet of any kind (skipped when looking for the data sheet).
pub fn is_stamp_sheet(g: &Grid) -> bool {
    g.name == STAMP_SHEET || g.text(0, 0).starts_with("SHIFAN-")
}

/// Save workbooks `(file name, bytes)` into the folder `target` (all files or none) or, when
/// `target` ends in .zip, into one zip written atomically. Reports each file; a cancel before
/// the files are written leaves the target as it was.
pub fn save_bundle(target: &Path, files: &[(String, Vec<u8>)], job: &Job) -> Result<()> {
    let total = files.len() as u64;
    let is_zip = target
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("zip"));
    if is_zip {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (i, (name, bytes)) in files.iter().enumerate() {
                job.check()?;
                job.report(i as u64, total, &format!("正在压缩“{name}”"));
                z.start_file(name.as_str(), opts)
                    .and_then(|_| z.write_all(bytes).map_err(zip::result::ZipError::Io))
                    .map_err(|e| Error::Io(format!("生成压缩包“{}”失败：{e}", target.display())))?;
            }
            z.finish()
                .map_err(|e| Error::Io(format!("生成压缩包“{}”失败：{e}", target.display())))?;
        }
        job.check()?;
        job.report(total, total, &format!("正在保存“{}”", target.display()));
        write_atomic(target, buf.get_ref())?;
    } else {
        std::fs::create_dir_all(target).map_err(|e| Error::io("创建文件夹", target, &e))?;
        job.check()?;
        job.report(
            total,
            total,
            &format!("正在保存 {} 个文件到“{}”", files.len(), target.display()),
        );
        // All files or none: a failure halfway must not leave sheets of a revision the
        // database never recorded (their stamps would clash with the next export's).
        let paths: Vec<(std::path::PathBuf, &[u8])> = files
            .iter()
            .map(|(n, b)| (target.join(n), b.as_slice()))
            .collect();
        write_all_atomic(&paths)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_fields_parse_and_keys_are_stable() {
        let f = fields("c=1;round=2;e=3;r=1;k=abc").expect("parses");
        assert_eq!(number(&f, "round"), Some(2));
        assert_eq!(text(&f, "k"), Some("abc"));
        assert!(fields("garbage").is_none());
        // The task sheets' key (tasks::unit_sheets::stamp_key) is this function's.
        assert_eq!(check_key("shifan/1/2/3").len(), 10);
        assert_eq!(check_key("x"), check_key("x"));
    }
}
