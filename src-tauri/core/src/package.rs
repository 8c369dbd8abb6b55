//! 申报材料包: what goes in for 集中申报, in one folder or one zip — the 41+1 evidence archive
//! (`evidence::archive`), the 自查评价表 (.xlsx through `sheet::write`), the
//! 创建工作进展情况报告 of the day (`report.rs`) and a 总目录 listing them.
//!
//! Everything is built in a temporary folder beside the target and moved into place at the
//! end (a zip is written to a temp file beside it and renamed): a cancelled or failed run
//! leaves the target as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::atomic::write_error;
use crate::error::{Error, Result};
use crate::progress::Job;
use crate::sheet::write::{Book, Style};
use crate::word::{self, Block, Doc, Layout, Table};
use crate::workspace::Workspace;

pub const ARCHIVE_DIR: &str = "01-佐证材料案卷（41+1卷）";
pub const SELF_TABLE: &str = "02-自查评价表.xlsx";
pub const REPORT: &str = "03-创建工作进展情况报告.docx";
pub const INDEX: &str = "00-总目录.docx";
/// The temp folder the package is built in, beside its target.
const TEMP_PREFIX: &str = ".shifan-package-";

/// One entry of the package's 总目录.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackageEntry {
    /// File or folder name inside the package.
    pub name: String,
    pub what: String,
    /// "42 卷，310 份材料" …
    pub detail: String,
}

/// What writing the package produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackageReport {
    pub target: String,
    pub entries: Vec<PackageEntry>,
    pub warnings: Vec<String>,
    pub summary: String,
}

/// The 自查评价表: one row per indicator.
fn self_table(ws: &Workspace) -> Result<(Vec<u8>, i64, i64)> {
    let rows = ws.list_self_assessments()?;
    let mut book = Book::new("自查评价表");
    let rated;
    {
        let mut s = book.sheet("自查评价表")?;
        let cols: &[(&str, f64)] = &[
            ("序号", 6.0),
            ("一级指标", 22.0),
            ("指标内容", 50.0),
            ("牵头单位", 18.0),
            ("分值", 8.0),
            ("自评等次", 10.0),
            ("自评得分", 9.0),
            ("自评说明", 40.0),
            ("佐证材料", 30.0),
            ("审核", 8.0),
        ];
        s.title(0, cols.len() as u16 - 1, "自查评价表")?;
        s.header(1, cols)?;
        let num = |v: Option<f64>| v.map(crate::chart::num).unwrap_or_default();
        for (i, a) in rows.iter().enumerate() {
            let r = 2 + i as u32;
            s.number(r, 0, a.no as f64, Style::Center)?;
            s.text(
                r,
                1,
                a.path.first().map(String::as_str).unwrap_or(""),
                Style::Body,
            )?;
            s.text(r, 2, &a.text, Style::Body)?;
            let leads: Vec<&str> = a.lead_units.iter().map(|u| u.name.as_str()).collect();
            s.text(r, 3, &leads.join("、"), Style::Body)?;
            s.text(r, 4, &num(a.max_score), Style::Center)?;
            s.text(r, 5, &a.rating, Style::Center)?;
            s.text(r, 6, &num(a.score), Style::Center)?;
            s.text(r, 7, &a.explanation, Style::Body)?;
            s.text(r, 8, &a.evidence.join("\n"), Style::Body)?;
            s.text(
                r,
                9,
                if a.review.is_empty() {
                    "待审核"
                } else {
                    &a.review
                },
                Style::Center,
            )?;
        }
        rated = rows.iter().filter(|a| !a.rating.is_empty()).count() as i64;
        s.freeze_rows(2)?;
        s.print_a4(true, 1, 1)?;
    }
    Ok((book.to_bytes()?, rows.len() as i64, rated))
}

fn index_doc(district: &str, today: NaiveDate, entries: &[PackageEntry]) -> Doc {
    let mut t = Table::new(["序号", "文件", "内容", "说明"]).widths_mm(&[12.0, 62.0, 40.0, 46.0]);
    for (i, e) in entries.iter().enumerate() {
        t = t.row([
            (i + 1).to_string(),
            e.name.clone(),
            e.what.clone(),
            e.detail.clone(),
        ]);
    }
    Doc::new()
        .with(Block::Title(format!(
            "{district}法治政府建设示范创建申报材料总目录"
        )))
        .with(Block::Para(format!(
            "编制日期：{}",
            word::chinese_date(today)
        )))
        .with(Block::Table(t))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| write_error(path, &e))
}

/// Every file under `dir`, relative, in a stable order.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&d)
            .map_err(|e| write_error(&d, &e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        names.sort();
        for p in names {
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Zip the tree `dir` into a temp file beside `path`, then rename it into place.
fn zip_tree(dir: &Path, path: &Path, job: &Job) -> Result<()> {
    let mut file = crate::atomic::temp_beside(path)?;
    {
        let w =
            std::io::BufWriter::with_capacity(1 << 20, crate::fault::writer(file.as_file_mut()));
        let mut z = zip::ZipWriter::new(w);
        let files = files_under(dir)?;
        let total = files.len() as u64;
        for (i, rel) in files.iter().enumerate() {
            job.check()?;
            let src = dir.join(rel);
            let mut f = std::fs::File::open(&src).map_err(|e| write_error(&src, &e))?;
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(size >= u32::MAX as u64);
            z.start_file(name, opts)
                .map_err(|e| crate::evidence::archive::zip_error(path, e))?;
            std::io::copy(&mut f, &mut z).map_err(|e| write_error(path, &e))?;
            job.report(i as u64 + 1, total, "正在打包");
        }
        let mut w = z
            .finish()
            .map_err(|e| crate::evidence::archive::zip_error(path, e))?;
        w.flush().map_err(|e| write_error(path, &e))?;
    }
    file.as_file()
        .sync_all()
        .map_err(|e| write_error(path, &e))?;
    job.check()?;
    crate::atomic::persist(file, path)
}

impl Workspace {
    /// Write the 申报材料包 to `target` (a folder, or a path ending in .zip): whole or not at all.
    pub fn export_package(
        &self,
        target: &Path,
        today: NaiveDate,
        job: &Job,
    ) -> Result<PackageReport> {
        let c = crate::campaign::active(self.store().conn())?;
        let is_zip = target
            .extension()
            .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("zip"));
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(Error::Invalid(format!(
                "文件夹“{}”不存在，申报材料包未生成。",
                parent.display()
            )));
        }
        // What a killed run left here (its temp tree, a replaced package moved aside, a zip's
        // temp file) goes once it is old enough to belong to no live run.
        crate::atomic::sweep_stale_temps(&parent, crate::atomic::STALE_TEMP_AGE);
        crate::atomic::sweep_stale_dirs(
            &parent,
            &[TEMP_PREFIX, ".shifan-old-archive-"],
            crate::atomic::STALE_TEMP_AGE,
        );
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir_in(&parent)
            .map_err(|e| write_error(target, &e))?;
        let mut entries = Vec::new();
        let mut warnings = Vec::new();

        // The 41+1 archive (its own progress).
        let plan = self.archive_plan(None)?;
        let archive = self.export_archive(&tmp.path().join(ARCHIVE_DIR), &plan, job)?;
        warnings.extend(archive.warnings.iter().cloned());
        entries.push(PackageEntry {
            name: ARCHIVE_DIR.into(),
            what: "佐证材料案卷".into(),
            detail: format!(
                "{} 卷，{} 份材料，{} 页",
                archive.volumes.len(),
                archive.items,
                archive.pages
            ),
        });
        job.check()?;

        job.report(0, 3, "正在生成自查评价表");
        let (xlsx, total, rated) = self_table(self)?;
        write_file(&tmp.path().join(SELF_TABLE), &xlsx)?;
        entries.push(PackageEntry {
            name: SELF_TABLE.into(),
            what: "自查评价表".into(),
            detail: format!("{total} 项指标，已自评 {rated} 项"),
        });
        job.check()?;

        job.report(1, 3, "正在生成创建工作进展情况报告");
        let (docx, sections, charts) = self.report_bytes(today, job)?;
        write_file(&tmp.path().join(REPORT), &docx)?;
        entries.push(PackageEntry {
            name: REPORT.into(),
            what: "创建工作进展情况报告".into(),
            detail: format!(
                "截至{}，{} 个部分，{} 张图表",
                word::chinese_date(today),
                sections.len(),
                charts
            ),
        });
        job.check()?;

        job.report(2, 3, "正在生成总目录");
        let index = word::render(&index_doc(&c.district, today, &entries), Layout::Table)?;
        write_file(&tmp.path().join(INDEX), &index)?;
        entries.insert(
            0,
            PackageEntry {
                name: INDEX.into(),
                what: "总目录".into(),
                detail: "本目录".into(),
            },
        );
        job.check()?;

        if is_zip {
            zip_tree(tmp.path(), target, job)?;
        } else {
            crate::evidence::archive::put_in_place(tmp, target)?;
        }
        let summary = format!(
            "已生成申报材料包“{}”：{}",
            target.display(),
            entries
                .iter()
                .map(|e| e.what.as_str())
                .collect::<Vec<_>>()
                .join("、")
        );
        job.report(3, 3, &summary);
        Ok(PackageReport {
            target: target.display().to_string(),
            entries,
            warnings,
            summary,
        })
    }
}
