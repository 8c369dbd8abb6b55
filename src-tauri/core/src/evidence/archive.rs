//! 案卷导出 (the "41+1卷" archive for the assessors): the approved material bound as numbered
//! volumes — single-indicator volumes plus one 综合卷 — in a folder or a zip.
//!
//! The user defines the volumes ([`ArchivePlan`]: each volume a title and its indicators). The
//! default groups the indicators under the headings of one level: the deepest heading level
//! that gives at most [`MAX_VOLUMES`] groups (the "41" of the provincial system; the demo
//! system's 8 / 24 / 100 tree gives its 24 二级 headings), plus the 综合卷 for approved
//! material filed under no volume's indicator.
//!
//! Each volume is a folder `NN-<heading>` holding its files renamed
//! `卷号-指标号-序号-原名` ("03-027-01-重大行政决策事项目录.pdf"; the 综合卷 uses 指标号 000), a
//! 卷内目录 (.xlsx and a printable .docx: 序号、材料名称、责任单位、形成日期、文号、页数、备注,
//! 页数 read from the PDFs) and one merged PDF of its PDF and image items in order with a
//! Chinese bookmark per item (`NN-合订本.pdf`, split into parts beyond
//! [`MERGE_PART_BYTES`] of input). A 总目录 (.xlsx and .docx) lists the volumes. Names are made
//! safe for Windows and paths kept under its limits ([`super::winpath`]).
//!
//! Whole or absent: everything is written into a temp folder (or temp file for a zip) beside
//! the target and renamed onto it at the end; a cancel, an error or a kill leaves no archive
//! under the target name (a folder target must be new, empty, or an earlier archive of ours,
//! which is then replaced in one rename). Volumes are built by two workers (both cores).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cas::{ContentHash, ObjectStore};
use super::library::{APPROVED, PENDING};
use super::pdf::{self, MergeItem, MergeKind};
use super::winpath;
use crate::atomic::write_error;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators;
use crate::model::IndicatorLeaf;
use crate::progress::{Job, NoProgress};
use crate::sheet::layout::Column;
use crate::sheet::write::Book;
use crate::word::{self, Block, Doc, Layout, Table};
use crate::workspace::Workspace;

/// Most single-indicator volumes the default plan makes.
pub const MAX_VOLUMES: usize = 41;
/// Input bytes of one merged PDF at most; a volume with more gets 合订本（1）, （2）….
pub const MERGE_PART_BYTES: u64 = 256 << 20;
/// Marker file of an archive folder we wrote (so a re-export may replace it).
pub const MARKER: &str = ".shifan-archive.json";

/// One volume (卷) of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VolumeSpec {
    /// 案卷题名, e.g. "（一）深化行政审批制度改革".
    pub title: String,
    /// The indicators whose material it holds, in order.
    #[ts(type = "Array<number>")]
    pub indicator_ids: Vec<i64>,
    /// The heading path above, for the 卷内目录 ("一、政府职能依法全面履行").
    #[serde(default)]
    pub context: String,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArchivePlan {
    pub volumes: Vec<VolumeSpec>,
    /// Add the 综合卷: approved material filed under none of the volumes' indicators.
    pub general_volume: bool,
    /// Also take items still 待审核 (returned items never).
    pub include_pending: bool,
    /// Write one merged PDF per volume.
    pub merge_pdf: bool,
    /// The heading level the default plan grouped by (1 = top); 0 for a plan made by hand.
    #[ts(type = "number")]
    #[serde(default)]
    pub level: i64,
}

/// One written volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArchiveVolume {
    #[ts(type = "number")]
    pub no: i64,
    pub title: String,
    /// Numbers of its indicators (none for the 综合卷).
    #[ts(type = "Array<number>")]
    pub indicator_nos: Vec<i64>,
    /// Its folder, relative to the archive.
    pub folder: String,
    #[ts(type = "number")]
    pub items: i64,
    /// Pages of its PDFs and images (PDFs that could not be read not counted).
    #[ts(type = "number")]
    pub pages: i64,
    /// The merged PDF files written (relative), none when nothing could be merged.
    pub merged: Vec<String>,
    /// Items left out of the merged PDF, with the reason.
    pub skipped: Vec<String>,
}

/// What an archive export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArchiveReport {
    pub target: String,
    pub volumes: Vec<ArchiveVolume>,
    #[ts(type = "number")]
    pub items: i64,
    /// Files written, 目录 and merged PDFs included.
    #[ts(type = "number")]
    pub files: i64,
    #[ts(type = "number")]
    pub bytes: i64,
    #[ts(type = "number")]
    pub pages: i64,
    pub warnings: Vec<String>,
    pub summary: String,
}

const INDEX_COLUMNS: &[Column] = &[
    Column::new("seq", "序号", &[], 6.0),
    Column::new("title", "材料名称", &[], 40.0),
    Column::new("unit", "责任单位", &[], 18.0),
    Column::new("date", "形成日期", &[], 12.0),
    Column::new("docno", "文号", &[], 18.0),
    Column::new("pages", "页数", &[], 6.0),
    Column::new("note", "备注", &[], 26.0),
];

const TOTAL_COLUMNS: &[Column] = &[
    Column::new("volume", "卷号", &[], 6.0),
    Column::new("title", "案卷题名", &[], 40.0),
    Column::new("indicators", "包含指标", &[], 24.0),
    Column::new("items", "材料份数", &[], 9.0),
    Column::new("pages", "页数", &[], 8.0),
    Column::new("note", "备注", &[], 24.0),
];

/// The default plan: volumes by the headings of `level` (1 = top), or of the deepest level
/// giving at most [`MAX_VOLUMES`] groups.
pub(crate) fn default_plan(leaves: &[IndicatorLeaf], level: Option<usize>) -> ArchivePlan {
    let depth = leaves.iter().map(|l| l.path.len()).max().unwrap_or(0);
    let groups_at = |lv: usize| -> Vec<(Vec<String>, Vec<i64>)> {
        let mut out: Vec<(Vec<String>, Vec<i64>)> = Vec::new();
        for l in leaves {
            let key: Vec<String> = l.path.iter().take(lv).cloned().collect();
            match out.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.1.push(l.id),
                None => out.push((key, vec![l.id])),
            }
        }
        out
    };
    let level = match level {
        Some(l) => l.clamp(1, depth.max(1)),
        None => (1..=depth)
            .rev()
            .find(|lv| groups_at(*lv).len() <= MAX_VOLUMES)
            .unwrap_or(1),
    };
    let volumes = if depth == 0 {
        vec![VolumeSpec {
            title: "单项指标卷".into(),
            indicator_ids: leaves.iter().map(|l| l.id).collect(),
            context: String::new(),
        }]
    } else {
        groups_at(level)
            .into_iter()
            .map(|(key, ids)| VolumeSpec {
                title: key.last().cloned().unwrap_or_else(|| "单项指标卷".into()),
                context: key[..key.len().saturating_sub(1)].join(" "),
                indicator_ids: ids,
            })
            .collect()
    };
    ArchivePlan {
        volumes,
        general_volume: true,
        include_pending: false,
        merge_pdf: true,
        level: if depth == 0 { 0 } else { level as i64 },
    }
}

/// One item as it goes into a volume.
#[derive(Debug, Clone)]
struct Placed {
    title: String,
    unit: String,
    date: String,
    doc_no: String,
    note: String,
    hash: ContentHash,
    size: u64,
    /// Relative path of its copy in the archive.
    rel: String,
    /// "NN-NNN-NN" for bookmarks.
    code: String,
}

struct VolumeWork {
    no: usize,
    title: String,
    context: String,
    folder: String,
    items: Vec<Placed>,
    index_xlsx: String,
    index_docx: String,
    merged: String,
    indicator_nos: Vec<i64>,
}

/// What is stored about one item, for the archive.
struct Row {
    id: i64,
    title: String,
    file_name: String,
    hash: String,
    size: i64,
    unit: String,
    formed_on: Option<String>,
    doc_no: String,
    note: String,
}

fn rows(conn: &Connection, campaign_id: i64, include_pending: bool) -> Result<Vec<Row>> {
    let mut st = conn.prepare(
        "SELECT e.id, e.title, e.file_name, e.hash, o.size, ifnull(u.name, ''), e.formed_on,
                e.doc_no, e.note
         FROM evidence e JOIN evidence_object o ON o.hash = e.hash LEFT JOIN unit u ON u.id = e.unit_id
         WHERE e.campaign_id = ?1 AND (e.status = ?2 OR e.status = ?3)
         ORDER BY e.formed_on IS NULL, e.formed_on, e.title, e.id",
    )?;
    let other = if include_pending { PENDING } else { APPROVED };
    let v = st
        .query_map(rusqlite::params![campaign_id, APPROVED, other], |r| {
            Ok(Row {
                id: r.get(0)?,
                title: r.get(1)?,
                file_name: r.get(2)?,
                hash: r.get(3)?,
                size: r.get(4)?,
                unit: r.get(5)?,
                formed_on: r.get(6)?,
                doc_no: r.get(7)?,
                note: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Where the output goes.
enum Target {
    Folder(PathBuf),
    Zip(PathBuf),
}

fn target_of(path: &Path) -> Target {
    let is_zip = path
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("zip"));
    if is_zip {
        Target::Zip(path.to_path_buf())
    } else {
        Target::Folder(path.to_path_buf())
    }
}

/// A folder target must be new, empty, or an archive we wrote.
fn check_folder(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io("读取文件夹", dir, &e)),
        Ok(rd) => {
            let names: Vec<String> = rd
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if names.is_empty() || names.iter().any(|n| n == MARKER) {
                Ok(true)
            } else {
                Err(Error::Invalid(format!(
                    "文件夹“{}”已存在且不是空文件夹，为免覆盖其中的文件，请选择一个新的或空的文件夹（以前从本程序导出的案卷文件夹可以直接覆盖）。未做任何修改。",
                    dir.display()
                )))
            }
        }
    }
}

/// Kind of content by its first bytes.
fn mergeable(head: &[u8]) -> bool {
    head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"\x89PNG\r\n\x1a\n")
        || head
            .get(..head.len().min(1024))
            .is_some_and(|h| h.windows(5).any(|w| w == b"%PDF-"))
}

/// One output file.
enum Out {
    Bytes(String, Vec<u8>),
    Copy(String, PathBuf),
}

/// A volume's result, and its files for a zip.
struct Built {
    report: ArchiveVolume,
    outs: Vec<Out>,
}

/// Builds one volume: reads each item (whole, for PDFs and images, which are merged and
/// counted), emits its files, merges, and writes its 卷内目录. `sink` writes files straight
/// into the folder; for a zip it is None and the files are returned.
fn build_volume(
    v: &VolumeWork,
    store: &ObjectStore,
    merge: bool,
    sink: Option<&Path>,
    job: &Job,
    done: &AtomicU64,
    total: u64,
) -> Result<Built> {
    let mut outs: Vec<Out> = Vec::new();
    let emit = |outs: &mut Vec<Out>, out: Out| -> Result<()> {
        match sink {
            None => outs.push(out),
            Some(root) => match out {
                Out::Bytes(rel, bytes) => {
                    let p = root.join(&rel);
                    std::fs::write(&p, &bytes).map_err(|e| write_error(&p, &e))?;
                }
                Out::Copy(rel, src) => {
                    let p = root.join(&rel);
                    std::fs::copy(&src, &p).map_err(|e| copy_error(&src, &p, &e))?;
                }
            },
        }
        Ok(())
    };
    if let Some(root) = sink {
        let d = root.join(&v.folder);
        std::fs::create_dir_all(&d).map_err(|e| write_error(&d, &e))?;
    }
    let mut pages: Vec<Option<u32>> = Vec::with_capacity(v.items.len());
    let mut parts: Vec<Vec<MergeItem>> = vec![Vec::new()];
    let mut part_bytes = 0u64;
    // (part, index in part) of each item that goes into a merged file.
    let mut merged_of_item: Vec<Option<(usize, usize)>> = Vec::new();
    for it in &v.items {
        job.check()?;
        job.report(
            done.load(Ordering::Relaxed),
            total,
            &format!("正在导出第 {} 卷：“{}”", v.no, it.title),
        );
        let src = store.path_of(&it.hash);
        let head = {
            use std::io::Read;
            let mut b = vec![0u8; 1024];
            let n = std::fs::File::open(&src)
                .and_then(|mut f| f.read(&mut b))
                .map_err(|e| missing_object(&it.title, &src, &e))?;
            b.truncate(n);
            b
        };
        if mergeable(&head) {
            let bytes = std::fs::read(&src).map_err(|e| missing_object(&it.title, &src, &e))?;
            let kind = MergeKind::sniff(bytes.clone());
            let n = match &kind {
                Some(MergeKind::Pdf(b)) => pdf::page_count(b).ok(),
                Some(_) => Some(1),
                None => None,
            };
            pages.push(n);
            emit(&mut outs, Out::Bytes(it.rel.clone(), bytes))?;
            match (merge, kind) {
                (true, Some(kind)) => {
                    if part_bytes > 0 && part_bytes + it.size > MERGE_PART_BYTES {
                        parts.push(Vec::new());
                        part_bytes = 0;
                    }
                    part_bytes += it.size;
                    let p = parts.len() - 1;
                    if let Some(last) = parts.last_mut() {
                        merged_of_item.push(Some((p, last.len())));
                        last.push(MergeItem {
                            title: format!("{} {}", it.code, it.title),
                            kind,
                        });
                    }
                }
                _ => merged_of_item.push(None),
            }
        } else {
            pages.push(None);
            merged_of_item.push(None);
            emit(&mut outs, Out::Copy(it.rel.clone(), src))?;
        }
        done.fetch_add(it.size, Ordering::Relaxed);
    }
    let mut merged_files = Vec::new();
    let mut skipped = Vec::new();
    // Page ranges in the merged files, per item (1-based, inclusive).
    let mut ranges: Vec<Option<(usize, u32, u32)>> = vec![None; v.items.len()];
    if merge {
        let n_parts = parts.iter().filter(|p| !p.is_empty()).count();
        for (pi, part) in parts.iter().enumerate() {
            if part.is_empty() {
                continue;
            }
            job.check()?;
            job.report(
                done.load(Ordering::Relaxed),
                total,
                &format!("正在生成第 {} 卷的合订本", v.no),
            );
            let name = if n_parts > 1 {
                format!("{}（{}）.pdf", v.merged.trim_end_matches(".pdf"), pi + 1)
            } else {
                v.merged.clone()
            };
            match pdf::merge(part, &NoProgress, job.cancel()) {
                Ok(report) => {
                    let skipped_idx: HashSet<usize> = report.skipped.iter().map(|s| s.0).collect();
                    skipped.extend(report.skipped.iter().map(|s| s.1.clone()));
                    let mut page = 1u32;
                    for (ii, m) in merged_of_item.iter().enumerate() {
                        if let Some((p, k)) = m
                            && *p == pi
                            && !skipped_idx.contains(k)
                        {
                            let n = pages[ii].unwrap_or(1).max(1);
                            ranges[ii] = Some((pi, page, page + n - 1));
                            page += n;
                        }
                    }
                    let rel = format!("{}/{}", v.folder, name);
                    emit(&mut outs, Out::Bytes(rel.clone(), report.bytes))?;
                    merged_files.push(rel);
                }
                Err(Error::Cancelled) => return Err(Error::Cancelled),
                Err(e) => skipped.push(format!("第 {} 卷的合订本未能生成：{e}", v.no)),
            }
        }
    }
    // 卷内目录.
    let n_parts = merged_files.len();
    let index_rows: Vec<Vec<String>> = v
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let mut note = it.note.clone();
            if let Some((p, a, b)) = ranges[i] {
                let where_ = if n_parts > 1 {
                    format!("合订本（{}）", p + 1)
                } else {
                    "合订本".to_string()
                };
                let range = if a == b {
                    format!("{where_}第 {a} 页")
                } else {
                    format!("{where_}第 {a}–{b} 页")
                };
                note = if note.is_empty() {
                    range
                } else {
                    format!("{note}；{range}")
                };
            }
            vec![
                (i + 1).to_string(),
                it.title.clone(),
                it.unit.clone(),
                it.date.clone(),
                it.doc_no.clone(),
                pages[i].map(|n| n.to_string()).unwrap_or_default(),
                note,
            ]
        })
        .collect();
    let title = format!("第{:02}卷　{}　卷内目录", v.no, v.title);
    let mut book = Book::new("卷内目录");
    super::returns::table_sheet(
        &mut book,
        "卷内目录",
        &title,
        INDEX_COLUMNS,
        &index_rows,
        false,
    )?;
    emit(
        &mut outs,
        Out::Bytes(v.index_xlsx.clone(), book.to_bytes()?),
    )?;
    let mut t = Table::new(INDEX_COLUMNS.iter().map(|c| c.header))
        .widths_mm(&[10.0, 52.0, 24.0, 20.0, 26.0, 10.0, 24.0]);
    for r in &index_rows {
        t = t.row(r.iter().cloned());
    }
    let mut doc = Doc::new().with(Block::Title("卷内目录".into()));
    let head = if v.context.is_empty() {
        format!("案卷题名：{}　　卷号：{:02}", v.title, v.no)
    } else {
        format!(
            "案卷题名：{}（{}）　　卷号：{:02}",
            v.title, v.context, v.no
        )
    };
    doc.push(Block::Para(head));
    doc.push(Block::Table(t));
    emit(
        &mut outs,
        Out::Bytes(v.index_docx.clone(), word::render(&doc, Layout::Table)?),
    )?;
    let vol_pages: i64 = pages.iter().map(|p| p.unwrap_or(0) as i64).sum();
    Ok(Built {
        report: ArchiveVolume {
            no: v.no as i64,
            title: v.title.clone(),
            indicator_nos: v.indicator_nos.clone(),
            folder: v.folder.clone(),
            items: v.items.len() as i64,
            pages: vol_pages,
            merged: merged_files,
            skipped,
        },
        outs,
    })
}

fn missing_object(title: &str, path: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::NotFound(format!(
            "“{title}”的文件不在证据库中（“{}”），案卷未导出；请先运行“校验证据库”并重新关联原文件。",
            path.display()
        ))
    } else {
        Error::io("读取证据文件", path, e)
    }
}

fn copy_error(src: &Path, dst: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound && !src.exists() {
        Error::NotFound(format!(
            "证据库中的文件“{}”不见了，案卷未导出；请先运行“校验证据库”。",
            src.display()
        ))
    } else {
        write_error(dst, e)
    }
}

impl Workspace {
    /// The default volumes of the active campaign: by the headings of `level` (1 = top) or,
    /// without a level, of the deepest level giving at most 41 volumes; plus the 综合卷.
    pub fn archive_plan(&self, level: Option<i64>) -> Result<ArchivePlan> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let leaves = indicators::leaves(&indicators::load_tree(conn, c.system_id)?);
        Ok(default_plan(
            &leaves,
            level.filter(|l| *l > 0).map(|l| l as usize),
        ))
    }

    /// Write the archive of `plan` to `target` (a folder, or a path ending in .zip): whole
    /// or not at all.
    pub fn export_archive(
        &self,
        target: &Path,
        plan: &ArchivePlan,
        job: &Job,
    ) -> Result<ArchiveReport> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let leaves = indicators::leaves(&indicators::load_tree(conn, c.system_id)?);
        let leaf: HashMap<i64, &IndicatorLeaf> = leaves.iter().map(|l| (l.id, l)).collect();
        // Check the plan.
        let mut owner: HashMap<i64, usize> = HashMap::new();
        for (vi, v) in plan.volumes.iter().enumerate() {
            if v.title.trim().is_empty() {
                return Err(Error::Invalid(format!("第 {} 卷没有案卷题名。", vi + 1)));
            }
            for id in &v.indicator_ids {
                if !leaf.contains_key(id) {
                    return Err(Error::Invalid(format!(
                        "第 {} 卷“{}”中的指标（编号 {id}）不在当前指标体系中。",
                        vi + 1,
                        v.title
                    )));
                }
                if let Some(other) = owner.insert(*id, vi) {
                    return Err(Error::Invalid(format!(
                        "指标{}同时编入了第 {} 卷和第 {} 卷，每项指标只能编入一卷。",
                        leaf[id].no,
                        other + 1,
                        vi + 1
                    )));
                }
            }
        }
        if plan.volumes.len() + 1 > 999 {
            return Err(Error::Invalid("案卷不能超过 999 卷。".into()));
        }
        let kind = target_of(target);
        if let Target::Folder(dir) = &kind {
            check_folder(dir)?;
        }
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(Error::Io(format!(
                "无法导出到“{}”：所在文件夹不存在（U 盘是否已拔出？）。",
                target.display()
            )));
        }

        // What goes where.
        let items = rows(conn, c.id, plan.include_pending)?;
        let mut links: HashMap<i64, Vec<i64>> = HashMap::new();
        {
            let mut st = conn.prepare(
                "SELECT l.evidence_id, l.indicator_id FROM evidence_link l
                 JOIN evidence e ON e.id = l.evidence_id WHERE e.campaign_id = ?1",
            )?;
            for r in st.query_map([c.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (e, i) = r?;
                links.entry(e).or_default().push(i);
            }
        }
        let width = leaves
            .iter()
            .map(|l| l.no)
            .max()
            .unwrap_or(0)
            .to_string()
            .len()
            .max(3);
        let mut volumes: Vec<(String, String, Vec<i64>, Vec<(i64, &Row, String)>)> = Vec::new();
        for v in &plan.volumes {
            let mut inds: Vec<i64> = v.indicator_ids.clone();
            inds.sort_by_key(|i| leaf[i].no);
            let mut placed: Vec<(i64, &Row, String)> = Vec::new();
            let mut seen: HashSet<i64> = HashSet::new();
            for ind in &inds {
                for r in &items {
                    let Some(ls) = links.get(&r.id) else { continue };
                    if !ls.contains(ind) || !seen.insert(r.id) {
                        continue;
                    }
                    let others: Vec<String> = ls
                        .iter()
                        .filter(|x| *x != ind)
                        .filter_map(|x| leaf.get(x).map(|l| format!("指标{}", l.no)))
                        .collect();
                    let mut note = format!("指标{}", leaf[ind].no);
                    if !others.is_empty() {
                        note.push_str(&format!("；同时支撑{}", others.join("、")));
                    }
                    placed.push((leaf[ind].no, r, note));
                }
            }
            volumes.push((
                v.title.clone(),
                v.context.clone(),
                inds.iter().map(|i| leaf[i].no).collect(),
                placed,
            ));
        }
        let mut warnings = Vec::new();
        if plan.general_volume {
            let planned: HashSet<i64> = owner.keys().copied().collect();
            let general: Vec<(i64, &Row, String)> = items
                .iter()
                .filter(|r| {
                    links
                        .get(&r.id)
                        .is_none_or(|ls| !ls.iter().any(|i| planned.contains(i)))
                })
                .map(|r| (0, r, String::new()))
                .collect();
            volumes.push(("综合卷".into(), String::new(), Vec::new(), general));
        }
        let empty: Vec<String> = volumes
            .iter()
            .enumerate()
            .filter(|(_, v)| v.3.is_empty())
            .map(|(i, v)| format!("第{:02}卷“{}”", i + 1, v.0))
            .collect();
        if !empty.is_empty() {
            warnings.push(format!(
                "{} 卷还没有可导出的材料（{}），仍按卷号保留空卷及其卷内目录。",
                empty.len(),
                empty.iter().take(5).cloned().collect::<Vec<_>>().join("、")
            ));
        }

        // Names, made safe for Windows as one set.
        let mut rels: Vec<String> = Vec::new();
        rels.push("总目录.xlsx".into());
        rels.push("总目录.docx".into());
        let mut works: Vec<VolumeWork> = Vec::new();
        for (vi, (title, _, _, placed)) in volumes.iter().enumerate() {
            // One component each: a title may hold "/" ("决策：目录/公开").
            let folder = winpath::safe_name(&format!("{:02}-{}", vi + 1, title));
            rels.push(format!("{folder}/{:02}-卷内目录.xlsx", vi + 1));
            rels.push(format!("{folder}/{:02}-卷内目录.docx", vi + 1));
            rels.push(format!("{folder}/{:02}-合订本.pdf", vi + 1));
            let mut seq: HashMap<i64, usize> = HashMap::new();
            for (no, r, _) in placed {
                let n = seq.entry(*no).or_default();
                *n += 1;
                let name = winpath::safe_name(&format!(
                    "{:02}-{:0width$}-{:02}-{}",
                    vi + 1,
                    no,
                    n,
                    r.file_name
                ));
                rels.push(format!("{folder}/{name}"));
            }
        }
        let refs: Vec<&str> = rels.iter().map(String::as_str).collect();
        let safe = match &kind {
            Target::Folder(dir) => winpath::fit_paths(dir, &refs),
            // A zip is extracted somewhere: leave room for a folder like 桌面\案卷.
            Target::Zip(_) => winpath::fit_paths_within(winpath::PATH_BUDGET - 60, &refs),
        };
        let mut k = 2;
        for (vi, (title, context, nos, placed)) in volumes.iter().enumerate() {
            let (xlsx, docx, merged) = (safe[k].clone(), safe[k + 1].clone(), safe[k + 2].clone());
            k += 3;
            let folder = xlsx
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            let mut its = Vec::new();
            let mut seq: HashMap<i64, usize> = HashMap::new();
            for (no, r, note) in placed {
                let n = seq.entry(*no).or_default();
                *n += 1;
                let hash: ContentHash = r.hash.parse()?;
                let rel = safe[k].clone();
                k += 1;
                let mut note = note.clone();
                if !r.note.is_empty() {
                    note = if note.is_empty() {
                        r.note.clone()
                    } else {
                        format!("{note}；{}", r.note)
                    };
                }
                its.push(Placed {
                    title: r.title.clone(),
                    unit: r.unit.clone(),
                    date: r.formed_on.clone().unwrap_or_default(),
                    doc_no: r.doc_no.clone(),
                    note,
                    hash,
                    size: r.size.max(0) as u64,
                    rel,
                    code: format!("{:02}-{:0width$}-{:02}", vi + 1, no, n),
                });
            }
            works.push(VolumeWork {
                no: vi + 1,
                title: title.clone(),
                context: context.clone(),
                folder,
                items: its,
                index_xlsx: xlsx,
                index_docx: docx,
                merged: merged
                    .rsplit('/')
                    .next()
                    .unwrap_or("合订本.pdf")
                    .to_string(),
                indicator_nos: nos.clone(),
            });
        }

        let store = ObjectStore::open(self.data_dir())?;
        let total: u64 = works
            .iter()
            .flat_map(|w| w.items.iter().map(|i| i.size))
            .sum::<u64>()
            .max(1);
        let done = AtomicU64::new(0);
        job.report(0, total, "正在导出案卷");

        let built: Vec<Built> = match &kind {
            Target::Folder(dir) => {
                crate::atomic::sweep_stale_temps(parent, crate::atomic::STALE_TEMP_AGE);
                sweep_stale_dirs(parent);
                let tmp = tempfile::Builder::new()
                    .prefix(".shifan-archive-")
                    .tempdir_in(parent)
                    .map_err(|e| write_error(target, &e))?;
                let built = build_all(
                    &works,
                    &store,
                    plan.merge_pdf,
                    Some(tmp.path()),
                    job,
                    &done,
                    total,
                    None,
                )?;
                job.check()?;
                write_totals(
                    &c.district,
                    &built,
                    &safe[0],
                    &safe[1],
                    &mut |rel, bytes| {
                        let p = tmp.path().join(rel);
                        std::fs::write(&p, bytes).map_err(|e| write_error(&p, &e))
                    },
                )?;
                let marker = serde_json::json!({
                    "format": "shifan-archive",
                    "createdAt": crate::store::now(),
                    "campaign": c.name,
                    "volumes": built.len(),
                });
                let mp = tmp.path().join(MARKER);
                std::fs::write(&mp, marker.to_string()).map_err(|e| write_error(&mp, &e))?;
                sync_tree(tmp.path());
                job.check()?;
                put_in_place(tmp, dir)?;
                built
            }
            Target::Zip(path) => {
                let mut file = crate::atomic::temp_beside(path)?;
                let built = {
                    let w = std::io::BufWriter::with_capacity(
                        1 << 20,
                        crate::fault::writer(file.as_file_mut()),
                    );
                    let mut z = zip::ZipWriter::new(w);
                    let built = build_all(
                        &works,
                        &store,
                        plan.merge_pdf,
                        None,
                        job,
                        &done,
                        total,
                        Some(&mut |out: Out| write_zip(&mut z, path, out)),
                    )?;
                    job.check()?;
                    write_totals(
                        &c.district,
                        &built,
                        &safe[0],
                        &safe[1],
                        &mut |rel, bytes| {
                            write_zip(&mut z, path, Out::Bytes(rel.to_string(), bytes.to_vec()))
                        },
                    )?;
                    let mut w = z.finish().map_err(|e| zip_error(path, e))?;
                    w.flush().map_err(|e| write_error(path, &e))?;
                    built
                };
                file.as_file()
                    .sync_all()
                    .map_err(|e| write_error(path, &e))?;
                job.check()?;
                crate::atomic::persist(file, path)?;
                built
            }
        };
        let volumes: Vec<ArchiveVolume> = built.into_iter().map(|b| b.report).collect();
        let items_n: i64 = volumes.iter().map(|v| v.items).sum();
        let pages: i64 = volumes.iter().map(|v| v.pages).sum();
        let files = items_n
            + volumes
                .iter()
                .map(|v| 2 + v.merged.len() as i64)
                .sum::<i64>()
            + 2;
        let skipped: usize = volumes.iter().map(|v| v.skipped.len()).sum();
        if skipped > 0 {
            warnings.push(format!(
                "有 {skipped} 份材料未能并入合订本（原文件已照常放入卷中），详见各卷说明。"
            ));
        }
        let summary = format!(
            "已导出 {} 卷（{} 份材料，{} 页）到“{}”",
            volumes.len(),
            items_n,
            pages,
            target.display()
        );
        job.report(total, total, &summary);
        Ok(ArchiveReport {
            target: target.display().to_string(),
            volumes,
            items: items_n,
            files,
            bytes: total as i64,
            pages,
            warnings,
            summary,
        })
    }
}

/// Builds every volume with two workers. With a folder sink each worker writes its volume;
/// for a zip (`zip` given) the workers hand their files to the calling thread, which writes
/// them in volume order.
fn build_all(
    works: &[VolumeWork],
    store: &ObjectStore,
    merge: bool,
    sink: Option<&Path>,
    job: &Job,
    done: &AtomicU64,
    total: u64,
    zip: Option<&mut dyn FnMut(Out) -> Result<()>>,
) -> Result<Vec<Built>> {
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let results: Mutex<Vec<Option<Built>>> = Mutex::new((0..works.len()).map(|_| None).collect());
    let workers = super::add::INGEST_WORKERS.min(works.len().max(1));
    let fail = |e: Error| {
        let mut f = failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if f.is_none() || matches!(f.as_ref(), Some(Error::Cancelled)) {
            *f = Some(e);
        }
    };
    let failed = || {
        failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    };
    match zip {
        None => {
            std::thread::scope(|s| {
                for _ in 0..workers {
                    s.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(w) = works.get(i) else { return };
                            if failed() || job.check().is_err() {
                                return;
                            }
                            match build_volume(w, store, merge, sink, job, done, total) {
                                Ok(b) => {
                                    if let Some(slot) = results
                                        .lock()
                                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                                        .get_mut(i)
                                    {
                                        *slot = Some(b);
                                    }
                                }
                                Err(e) => {
                                    fail(e);
                                    return;
                                }
                            }
                        }
                    });
                }
            });
        }
        Some(write) => {
            // Workers build volumes in any order; the writer takes them in order.
            let (tx, rx) = sync_channel::<(usize, Result<Built>)>(workers);
            std::thread::scope(|s| {
                // Owned here: dropping it (on any return) unblocks workers still sending.
                let rx = rx;
                for _ in 0..workers {
                    let tx = tx.clone();
                    let next = &next;
                    s.spawn(move || {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(w) = works.get(i) else { return };
                            if job.check().is_err() {
                                return;
                            }
                            let r = build_volume(w, store, merge, None, job, done, total);
                            let stop = r.is_err();
                            if tx.send((i, r)).is_err() || stop {
                                return;
                            }
                        }
                    });
                }
                drop(tx);
                let mut waiting: HashMap<usize, Built> = HashMap::new();
                let mut want = 0usize;
                for (i, r) in rx.iter() {
                    match r {
                        Ok(b) => {
                            waiting.insert(i, b);
                        }
                        Err(e) => {
                            fail(e);
                            break;
                        }
                    }
                    while let Some(mut b) = waiting.remove(&want) {
                        for out in std::mem::take(&mut b.outs) {
                            if let Err(e) = job.check().and_then(|()| write(out)) {
                                fail(e);
                                return;
                            }
                        }
                        if let Some(slot) = results
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .get_mut(want)
                        {
                            *slot = Some(b);
                        }
                        want += 1;
                    }
                }
                // Unblock workers still sending.
                drop(rx);
            });
        }
    }
    job.check()?;
    if let Some(e) = failure
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(e);
    }
    let results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results
        .into_iter()
        .map(|b| b.ok_or(Error::Cancelled))
        .collect()
}

fn write_totals(
    district: &str,
    built: &[Built],
    xlsx: &str,
    docx: &str,
    write: &mut dyn FnMut(&str, &[u8]) -> Result<()>,
) -> Result<()> {
    let rows: Vec<Vec<String>> = built
        .iter()
        .map(|b| {
            let v = &b.report;
            let mut note = Vec::new();
            if v.items == 0 {
                note.push("暂无材料".to_string());
            }
            if !v.skipped.is_empty() {
                note.push(format!("{} 份未并入合订本", v.skipped.len()));
            }
            vec![
                format!("{:02}", v.no),
                v.title.clone(),
                nos_ranges(&v.indicator_nos),
                v.items.to_string(),
                v.pages.to_string(),
                note.join("；"),
            ]
        })
        .collect();
    let title = format!("{district}法治政府建设示范创建佐证材料总目录");
    let mut book = Book::new("总目录");
    super::returns::table_sheet(&mut book, "总目录", &title, TOTAL_COLUMNS, &rows, false)?;
    write(xlsx, &book.to_bytes()?)?;
    let mut t = Table::new(TOTAL_COLUMNS.iter().map(|c| c.header))
        .widths_mm(&[12.0, 64.0, 30.0, 16.0, 14.0, 30.0]);
    for r in &rows {
        t = t.row(r.iter().cloned());
    }
    let doc = Doc::new().with(Block::Title(title)).with(Block::Table(t));
    write(docx, &word::render(&doc, Layout::Table)?)
}

/// "指标1—5、7、9—10".
fn nos_ranges(nos: &[i64]) -> String {
    if nos.is_empty() {
        return "综合材料".into();
    }
    let mut v = nos.to_vec();
    v.sort_unstable();
    v.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        parts.push(if j > i + 1 {
            format!("{}—{}", v[i], v[j])
        } else if j == i + 1 {
            format!("{}、{}", v[i], v[j])
        } else {
            v[i].to_string()
        });
        i = j + 1;
    }
    format!("指标{}", parts.join("、"))
}

fn write_zip<W: Write + std::io::Seek>(
    z: &mut zip::ZipWriter<W>,
    path: &Path,
    out: Out,
) -> Result<()> {
    let opts = |size: u64| {
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(size >= u32::MAX as u64)
    };
    match out {
        Out::Bytes(rel, bytes) => {
            z.start_file(rel, opts(bytes.len() as u64))
                .map_err(|e| zip_error(path, e))?;
            z.write_all(&bytes).map_err(|e| write_error(path, &e))?;
        }
        Out::Copy(rel, src) => {
            let mut f = std::fs::File::open(&src).map_err(|e| copy_error(&src, path, &e))?;
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            z.start_file(rel, opts(size))
                .map_err(|e| zip_error(path, e))?;
            std::io::copy(&mut f, z).map_err(|e| write_error(path, &e))?;
        }
    }
    Ok(())
}

pub(crate) fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => write_error(path, &io),
        other => Error::Io(format!("写入压缩包“{}”失败（{other}）。", path.display())),
    }
}

/// Every file of a freshly written tree synced, so the rename publishes whole files.
fn sync_tree(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            sync_tree(&p);
        } else if let Ok(f) = std::fs::File::open(&p) {
            let _ = f.sync_all();
        }
    }
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Temp archive folders (ours) that a killed export left beside its target.
const TEMP_DIR_PREFIXES: &[&str] = &[".shifan-archive-", ".shifan-old-archive-"];

fn sweep_stale_dirs(parent: &Path) {
    crate::atomic::sweep_stale_dirs(parent, TEMP_DIR_PREFIXES, crate::atomic::STALE_TEMP_AGE);
}

/// Renames the finished temp folder onto `dir`: into place when `dir` does not exist; over an
/// empty folder; over an earlier archive of ours by moving it aside first (removed after).
pub(crate) fn put_in_place(tmp: tempfile::TempDir, dir: &Path) -> Result<()> {
    let src = tmp.keep();
    let undo = |e: Error| {
        let _ = std::fs::remove_dir_all(&src);
        e
    };
    crate::fault::before_rename(dir).map_err(|e| undo(write_error(dir, &e)))?;
    let aside = if dir.exists() {
        if std::fs::read_dir(dir)
            .map(|mut r| r.next().is_none())
            .unwrap_or(false)
        {
            std::fs::remove_dir(dir).map_err(|e| undo(write_error(dir, &e)))?;
            None
        } else {
            let parent = dir.parent().unwrap_or(Path::new("."));
            let aside = parent.join(format!(
                ".shifan-old-archive-{}-{}",
                std::process::id(),
                chrono::Local::now().format("%H%M%S%3f")
            ));
            std::fs::rename(dir, &aside).map_err(|e| undo(write_error(dir, &e)))?;
            Some(aside)
        }
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&src, dir) {
        if let Some(a) = &aside {
            let _ = std::fs::rename(a, dir);
        }
        return Err(undo(write_error(dir, &e)));
    }
    if let Some(parent) = dir.parent()
        && let Ok(f) = std::fs::File::open(parent)
    {
        let _ = f.sync_all();
    }
    if let Some(a) = aside {
        let _ = std::fs::remove_dir_all(a);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{EMBEDDED, parse_embedded};

    #[test]
    fn the_default_plan_of_the_demo_system_is_its_24_headings_plus_the_general_volume() {
        let store = crate::store::Store::open_in_memory().expect("store");
        let _ = store;
        let d = parse_embedded("demo", EMBEDDED[0].1).expect("demo");
        let mut leaves = Vec::new();
        crate::indicators::walk(&d.roots, &mut |n, path| {
            if n.is_leaf {
                leaves.push(IndicatorLeaf {
                    id: n.no.unwrap_or(0),
                    uid: n.uid.clone(),
                    no: n.no.unwrap_or(0),
                    text: n.title.clone(),
                    path: path
                        .iter()
                        .map(|p| crate::indicators::heading_label(p))
                        .collect(),
                    score: None,
                    methods: None,
                    veto: false,
                });
            }
        });
        let p = default_plan(&leaves, None);
        assert_eq!(p.level, 2);
        assert_eq!(p.volumes.len(), 24);
        assert!(p.general_volume);
        assert_eq!(
            p.volumes
                .iter()
                .map(|v| v.indicator_ids.len())
                .sum::<usize>(),
            100
        );
        assert!(
            p.volumes[0].title.starts_with("（一）"),
            "{}",
            p.volumes[0].title
        );
        assert!(
            p.volumes[0].context.starts_with("一、"),
            "{}",
            p.volumes[0].context
        );
        let top = default_plan(&leaves, Some(1));
        assert_eq!(top.volumes.len(), 8);
        let fine = default_plan(&leaves, Some(9));
        assert_eq!(fine.level, 2, "clamped to the deepest heading level");
    }
}
