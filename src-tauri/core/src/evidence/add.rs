//! 添加佐证材料: files, folders and zips from the units into the library, as one import of the
//! pipeline ([`EvidenceIntake`] is an [`Importer`]).
//!
//! Planning reads what was dropped ([`super::intake::scan`]: names and sizes, zips at their
//! central directory), finds the unit of each zip or folder by its name (or takes the one
//! given), files every entry under the indicators its folder and file names state
//! ([`super::classify`]; unsure ones go to the 待归类 queue), reads 文号, 形成日期 and a title
//! from the name, and matches the entries of a unit against what was returned to it. A preview
//! reads content only where it has to: an entry can equal stored content, or another entry,
//! only when the sizes are equal, so only those are hashed, and the duplicates the preview
//! shows are exact.
//!
//! Storing the content happens while planning an apply ([`EvidenceIntake::ingesting`]), before
//! the one transaction: [`super::ingest`] copies every entry into the object store with both
//! cores, hashing while copying. Objects are named by their content, so this is crash-safe in
//! the way that matters: a crash, a kill or a cancel leaves at most complete objects nothing
//! refers to (and temp files removed at the next ingest); the database gets its items and
//! sources in the transaction only, each for an object that is in the store (checked again
//! inside it). Re-running the same ingest finds the objects there and completes it.
//!
//! One copy per content: an entry whose content is already an item of the campaign adds a
//! source to that item (original name and path, unit, date, operator); the same content twice
//! in one drop is one item with both sources.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cas::{self, ContentHash, ObjectStore};
use super::classify::{Classifier, IndicatorKey, Verdict};
use super::ingest::{self, Outcome};
use super::intake::{self, Entry, Limits};
use super::names::{self, UnitFrom};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators;
use crate::model::{ImportIssue, IndicatorLeaf, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::units::Directory;
use crate::workspace::Workspace;

/// Writers of an ingest: the office PC has two cores.
pub const INGEST_WORKERS: usize = 2;

/// What the user chose in the 添加佐证材料 dialog (all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceAddOptions {
    /// The unit that sent everything dropped (else taken from each zip or folder name).
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// The same by name, as the command line takes it ("区司法局", a short name or alias).
    #[ts(optional)]
    #[serde(default)]
    pub unit: Option<String>,
    /// File everything under these indicators (by id) instead of reading the names.
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub indicator_ids: Vec<i64>,
    /// The same by indicator number (指标 27).
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub indicator_nos: Vec<i64>,
}

/// One indicator a file is (or may be) filed under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceMatch {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    /// 0..=100; 100 when a person chose it.
    #[ts(type = "number")]
    pub confidence: i64,
    /// Why, in Chinese ("文件夹名“指标27”").
    pub reason: String,
}

/// One file of an intake, as the preview lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceAddFile {
    /// Where the user finds it: "区司法局.zip/指标27/目录.pdf".
    pub location: String,
    pub name: String,
    #[ts(type = "number")]
    pub size: i64,
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub title: String,
    pub doc_no: String,
    pub formed_on: Option<String>,
    pub category: String,
    pub method: String,
    /// Indicators it will be filed under.
    pub indicators: Vec<EvidenceMatch>,
    /// Suggestions for the 待归类 queue (ambiguous names).
    pub candidates: Vec<EvidenceMatch>,
    /// "sure", "ambiguous", "none" (待归类), "given" (chosen in the dialog) or "answer"
    /// (takes the indicators of the returned item it answers).
    pub verdict: String,
    /// Why it goes to the queue, when it does.
    pub queue_note: String,
    /// "new" (a new item), "known" (content already in the library: one more source),
    /// "repeat" (the same content earlier in this drop) or "failed" (could not be read).
    pub state: String,
    /// For "known" and "repeat": what it is the same as.
    pub same_as: String,
    /// The item it is (known, or created by the apply).
    #[ts(type = "number | null")]
    pub evidence_id: Option<i64>,
    /// The returned item (退回) this file is sent for.
    #[ts(type = "number | null")]
    pub answers_id: Option<i64>,
    pub answers_title: String,
}

/// One dropped file, folder or zip, and the unit it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceAddGroup {
    pub name: String,
    #[ts(type = "number")]
    pub files: i64,
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    pub unit_name: String,
    /// "given", "exact" (the name names the unit), "guess" (a close name) or "none".
    pub unit_from: String,
    pub note: String,
}

/// A returned item a file of this drop answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceAnswer {
    #[ts(type = "number")]
    pub returned_id: i64,
    pub returned_title: String,
    pub return_reason: String,
    pub unit_name: String,
    /// The file that answers it.
    pub location: String,
}

/// What adding evidence would do (preview) or did (apply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceAddPreview {
    /// "区司法局.zip" or "区司法局.zip 等 3 项".
    pub source: String,
    pub groups: Vec<EvidenceAddGroup>,
    pub files: Vec<EvidenceAddFile>,
    #[ts(type = "number")]
    pub file_count: i64,
    /// New items (one per new content).
    #[ts(type = "number")]
    pub new_count: i64,
    /// Files whose content is already an item: a source is added to it.
    #[ts(type = "number")]
    pub known_count: i64,
    /// Files with the same content as an earlier file of this drop.
    #[ts(type = "number")]
    pub repeat_count: i64,
    /// Files that could not be read (named in `issues`).
    #[ts(type = "number")]
    pub failed_count: i64,
    /// Thumbs.db, desktop.ini, ~$ files, .DS_Store, __MACOSX … skipped.
    #[ts(type = "number")]
    pub junk_skipped: i64,
    #[ts(type = "number")]
    pub total_bytes: i64,
    /// New items going to the 待归类 queue.
    #[ts(type = "number")]
    pub queue_count: i64,
    pub answers: Vec<EvidenceAnswer>,
    /// Refused archives and entries (errors: not taken, the rest is) and warnings.
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
    /// Set by the apply.
    pub applied: bool,
    #[ts(type = "number")]
    pub sources_added: i64,
    /// One line for the user.
    pub summary: String,
}

impl ImportReport for EvidenceAddPreview {
    fn file_name(&self) -> &str {
        &self.source
    }
    fn issues(&self) -> &[ImportIssue] {
        &self.issues
    }
    fn can_apply(&self) -> bool {
        self.can_apply
    }
}

/// What the write needs: every stored file, in drop order.
pub struct IntakeWork {
    campaign_id: i64,
    store: Option<ObjectStore>,
    operator: String,
    files: Vec<WorkFile>,
}

struct WorkFile {
    /// Index into the preview's files.
    index: usize,
    hash: ContentHash,
    size: u64,
    links: Vec<EvidenceMatch>,
    candidates: Vec<EvidenceMatch>,
}

/// 添加佐证材料 as an import: `new` only looks (for the preview), `ingesting` also stores the
/// content while planning (for the apply).
pub struct EvidenceIntake {
    paths: Vec<PathBuf>,
    options: EvidenceAddOptions,
    ingest: bool,
    limits: Limits,
}

impl EvidenceIntake {
    /// For `Workspace::preview`: reads names and sizes, hashes only possible duplicates.
    pub fn new(
        paths: impl IntoIterator<Item = impl Into<PathBuf>>,
        options: EvidenceAddOptions,
    ) -> Self {
        EvidenceIntake {
            paths: paths.into_iter().map(Into::into).collect(),
            options,
            ingest: false,
            limits: Limits::default(),
        }
    }

    /// For `Workspace::apply`: the content is copied into the object store while planning,
    /// before the transaction. (`apply` with an importer made by [`Self::new`] is refused.)
    pub fn ingesting(
        paths: impl IntoIterator<Item = impl Into<PathBuf>>,
        options: EvidenceAddOptions,
    ) -> Self {
        EvidenceIntake {
            ingest: true,
            ..Self::new(paths, options)
        }
    }

    /// Other bounds against hostile archives (tests).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// The entry's path as the classifier reads it: the dropped item, the folders, the file; a
/// zip counts as a folder named without ".zip".
fn components(entry: &Entry) -> Vec<String> {
    let loc = entry.location();
    let parts: Vec<&str> = loc.split('/').filter(|c| !c.trim().is_empty()).collect();
    let last = parts.len().saturating_sub(1);
    parts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < last && c.to_lowercase().ends_with(".zip") {
                c[..c.len() - 4].to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The candidates for the unit of an entry: the dropped folder or zip, then the first two
/// folders (or zips) below it.
fn unit_names(entry: &Entry, dropped_is_container: bool) -> Vec<String> {
    let comps = components(entry);
    let mut out = Vec::new();
    let folders = comps.len().saturating_sub(1);
    for (i, c) in comps.iter().take(folders.min(3)).enumerate() {
        if i == 0 && !dropped_is_container {
            continue;
        }
        out.push(c.clone());
    }
    out
}

fn matches_of(cands: &[super::classify::Match]) -> Vec<EvidenceMatch> {
    cands
        .iter()
        .map(|m| EvidenceMatch {
            indicator_id: m.indicator_id,
            no: m.no,
            confidence: m.confidence as i64,
            reason: m.reason.clone(),
        })
        .collect()
}

/// An item of the campaign already in the library.
struct Known {
    id: i64,
    title: String,
    status: String,
}

/// A returned item still waiting for the unit's corrected file.
struct Returned {
    id: i64,
    title: String,
    file_name: String,
    reason: String,
    unit_id: i64,
    links: Vec<EvidenceMatch>,
}

pub(crate) fn returned_waiting(
    conn: &rusqlite::Connection,
    campaign_id: i64,
) -> Result<Vec<(i64, String, String, String, i64, String)>> {
    let mut st = conn.prepare(
        "SELECT e.id, e.title, e.file_name, e.return_reason, e.unit_id, e.hash FROM evidence e
         WHERE e.campaign_id = ?1 AND e.status = '退回' AND e.unit_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM evidence a WHERE a.answers_id = e.id)
         ORDER BY e.id",
    )?;
    let v = st
        .query_map([campaign_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

fn links_of(conn: &rusqlite::Connection, evidence_id: i64) -> Result<Vec<EvidenceMatch>> {
    let mut st = conn.prepare_cached(
        "SELECT l.indicator_id, i.no, l.confidence, l.reason FROM evidence_link l
         JOIN indicator i ON i.id = l.indicator_id WHERE l.evidence_id = ?1 ORDER BY i.no",
    )?;
    let v = st
        .query_map([evidence_id], |r| {
            Ok(EvidenceMatch {
                indicator_id: r.get(0)?,
                no: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                confidence: r.get(2)?,
                reason: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

fn source_label(paths: &[PathBuf]) -> String {
    let first = paths
        .first()
        .map(|p| crate::sheet::display_name(p))
        .unwrap_or_default();
    match paths.len() {
        0 => "（未选择文件）".into(),
        1 => first,
        n => format!("{first} 等 {n} 项"),
    }
}

/// Resolves the indicators given in the options to leaves of `leaves`.
fn given_indicators(
    options: &EvidenceAddOptions,
    leaves: &[IndicatorLeaf],
) -> Result<Vec<EvidenceMatch>> {
    let mut out: Vec<EvidenceMatch> = Vec::new();
    let push = |l: &IndicatorLeaf, out: &mut Vec<EvidenceMatch>| {
        if !out.iter().any(|m| m.indicator_id == l.id) {
            out.push(EvidenceMatch {
                indicator_id: l.id,
                no: l.no,
                confidence: 100,
                reason: "添加时指定".into(),
            });
        }
    };
    for no in &options.indicator_nos {
        let l = leaves.iter().find(|l| l.no == *no).ok_or_else(|| {
            Error::Invalid(format!(
                "当前指标体系中没有序号为 {no} 的指标（共 {} 项），请检查指定的指标。未做任何修改。",
                leaves.len()
            ))
        })?;
        push(l, &mut out);
    }
    for id in &options.indicator_ids {
        let l = leaves.iter().find(|l| l.id == *id).ok_or_else(|| {
            Error::Invalid(format!(
                "指定的指标（编号 {id}）不是当前指标体系中的三级指标。未做任何修改。"
            ))
        })?;
        push(l, &mut out);
    }
    Ok(out)
}

/// The unit given in the options, as (id, name).
pub(crate) fn given_unit(
    dir: &Directory,
    units: &[crate::units::UnitInfo],
    unit_id: Option<i64>,
    unit: Option<&str>,
) -> Result<Option<(i64, String)>> {
    if let Some(id) = unit_id {
        let u = units.iter().find(|u| u.id == id).ok_or_else(|| {
            Error::NotFound(format!(
                "当前创建项目中没有编号为 {id} 的单位。未做任何修改。"
            ))
        })?;
        return Ok(Some((u.id, u.name.clone())));
    }
    let Some(name) = unit.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    match dir.resolve(name) {
        crate::units::NameMatch::Exact(id) | crate::units::NameMatch::Guess(id, _) => {
            Ok(Some((id, dir.name_of(id))))
        }
        _ => Err(Error::NotFound(format!(
            "当前创建项目中没有名为“{name}”的单位（也不是某个单位的简称或别名），请先在“单位与明白人”中添加，或检查名称。未做任何修改。"
        ))),
    }
}

fn plan_intake(
    imp: &EvidenceIntake,
    ws: &Workspace,
    job: &Job,
) -> Result<Plan<EvidenceAddPreview, IntakeWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let leaves = indicators::leaves(&indicators::load_tree(conn, c.system_id)?);
    let units = crate::units::list(conn, c.id)?;
    let dir = Directory::load(conn, c.id, &c.district)?;
    let given_links = given_indicators(&imp.options, &leaves)?;
    let given = given_unit(
        &dir,
        &units,
        imp.options.unit_id,
        imp.options.unit.as_deref(),
    )?;
    let source = source_label(&imp.paths);
    if imp.paths.is_empty() {
        return Err(Error::Invalid(
            "没有选择要添加的文件、文件夹或压缩包。".into(),
        ));
    }

    let scan = intake::scan(&imp.paths, &imp.limits, job.progress(), job.cancel())?;
    job.check()?;
    let entries = scan.entries();

    // Units: per dropped item (and its first folders), once each.
    let containers: HashSet<String> = imp
        .paths
        .iter()
        .filter(|p| {
            p.is_dir()
                || p.extension()
                    .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("zip"))
        })
        .map(|p| intake_display_name(p))
        .collect();
    let mut unit_cache: HashMap<String, Option<UnitFrom>> = HashMap::new();
    let mut unit_for = |entry: &Entry| -> Option<(UnitFrom, String)> {
        for name in unit_names(entry, containers.contains(&entry.source)) {
            let found = unit_cache
                .entry(name.clone())
                .or_insert_with(|| names::unit_of_name(&dir, &name))
                .clone();
            if let Some(u) = found {
                return Some((u, name));
            }
        }
        None
    };

    let keys: Vec<IndicatorKey> = leaves.iter().map(IndicatorKey::from).collect();
    let classifier = Classifier::new(&keys);

    let mut issues: Vec<ImportIssue> = Vec::new();
    let mut files: Vec<EvidenceAddFile> = Vec::with_capacity(entries.len());
    let mut groups: Vec<EvidenceAddGroup> = Vec::new();
    // One group per dropped item and unit: a zip or folder that holds several units' folders
    // shows a row for each, with its own file count.
    let mut group_index: HashMap<(String, Option<i64>), usize> = HashMap::new();
    let mut guessed_noted: HashSet<(String, i64)> = HashSet::new();
    let mut links_of_file: Vec<(Vec<EvidenceMatch>, Vec<EvidenceMatch>)> = Vec::new();
    for entry in entries {
        let (unit_id, unit_name, from, from_name) = match (&given, unit_for(entry)) {
            (Some((id, name)), _) => (Some(*id), name.clone(), "given", String::new()),
            (None, Some((u, n))) => {
                let how = match &u {
                    UnitFrom::Exact(_) => "exact",
                    UnitFrom::Guess(id, why) => {
                        if guessed_noted.insert((n.clone(), *id)) {
                            issues.push(ImportIssue::about_file(
                                &n,
                                Severity::Warning,
                                format!(
                                    "“{n}”中的材料按名称推断为“{}”报送（{why}）；如不对，请在添加时选择单位。",
                                    dir.name_of(*id)
                                ),
                            ));
                        }
                        "guess"
                    }
                };
                (Some(u.id()), dir.name_of(u.id()), how, n)
            }
            (None, None) => (None, String::new(), "none", String::new()),
        };
        let gi = *group_index
            .entry((entry.source.clone(), unit_id))
            .or_insert_with(|| {
                groups.push(EvidenceAddGroup {
                    name: entry.source.clone(),
                    files: 0,
                    unit_id,
                    unit_name: unit_name.clone(),
                    unit_from: from.to_string(),
                    note: String::new(),
                });
                groups.len() - 1
            });
        if let Some(g) = groups.get_mut(gi) {
            g.files += 1;
            if !from_name.is_empty() && from_name != names::stem(&g.name) && g.note.is_empty() {
                g.note = format!("单位取自其中的“{from_name}”");
            }
        }

        let facts = names::read_name(&entry.name);
        let (links, candidates, verdict, queue_note) = if !given_links.is_empty() {
            (given_links.clone(), Vec::new(), "given", String::new())
        } else {
            let cl = classifier.classify(&components(entry));
            match cl.verdict {
                Verdict::Sure => {
                    let sure: Vec<super::classify::Match> = cl.sure().cloned().collect();
                    (matches_of(&sure), Vec::new(), "sure", String::new())
                }
                Verdict::Ambiguous => {
                    let nos: Vec<String> = cl
                        .candidates
                        .iter()
                        .take(4)
                        .map(|m| m.no.to_string())
                        .collect();
                    let note = format!("可能属于指标 {}，需要确认", nos.join("、"));
                    (Vec::new(), matches_of(&cl.candidates), "ambiguous", note)
                }
                Verdict::None => {
                    let note = match &cl.group {
                        Some(g) => format!("位于“{g}”下，但未能确定具体指标"),
                        None => "未能从文件夹名和文件名判断所属指标".to_string(),
                    };
                    (Vec::new(), matches_of(&cl.candidates), "none", note)
                }
            }
        };
        files.push(EvidenceAddFile {
            location: entry.location(),
            name: entry.name.clone(),
            size: entry.size as i64,
            unit_id,
            unit_name,
            title: facts.title,
            doc_no: facts.doc_no.unwrap_or_default(),
            formed_on: facts.date.map(|d| d.format("%Y-%m-%d").to_string()),
            category: facts.category.unwrap_or("").to_string(),
            method: facts.method.unwrap_or("").to_string(),
            indicators: links.clone(),
            candidates: candidates.clone(),
            verdict: verdict.to_string(),
            queue_note,
            state: "new".into(),
            same_as: String::new(),
            evidence_id: None,
            answers_id: None,
            answers_title: String::new(),
        });
        links_of_file.push((links, candidates));
    }
    // The units each dropped item's files come from, for the files of it that name none.
    let mut units_in: HashMap<String, Vec<String>> = HashMap::new();
    for g in groups.iter().filter(|g| g.unit_id.is_some()) {
        units_in
            .entry(g.name.clone())
            .or_default()
            .push(format!("“{}”", g.unit_name));
    }
    for g in groups.iter_mut() {
        if g.unit_id.is_some() || !containers.contains(&g.name) {
            continue;
        }
        let message = match units_in.get(&g.name) {
            Some(units) => {
                g.note = "不在以单位命名的文件夹中".to_string();
                format!(
                    "“{}”中的其余文件分属{}，但有 {} 个文件不在以单位命名的文件夹中，这些材料将不记报送单位；如需记录，请把它们放入单位的文件夹后重新添加。",
                    g.name,
                    units.join("、"),
                    g.files
                )
            }
            None => format!(
                "未能从“{}”的名称判断报送单位，其中的材料将不记报送单位；如需记录，请在添加时选择单位。",
                g.name
            ),
        };
        issues.push(ImportIssue::about_file(&g.name, Severity::Warning, message));
    }

    // What is in the library already.
    let mut known: HashMap<String, Known> = HashMap::new();
    let mut sizes: HashSet<u64> = HashSet::new();
    {
        let mut st = conn.prepare(
            "SELECT e.id, e.hash, e.title, e.status, o.size FROM evidence e
             JOIN evidence_object o ON o.hash = e.hash WHERE e.campaign_id = ?1",
        )?;
        let rows = st.query_map([c.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (id, hash, title, status, size) = row?;
            sizes.insert(size as u64);
            known.insert(hash, Known { id, title, status });
        }
    }

    // The content hashes: all of them when ingesting, else only where a duplicate is possible.
    let mut hashes: Vec<Option<(ContentHash, u64)>> = vec![None; entries.len()];
    let mut failed: HashSet<usize> = HashSet::new();
    let store = if imp.ingest {
        ws.require_writer()?;
        let store = ObjectStore::open(ws.data_dir())?;
        // Under the data-folder lock no other put runs: temp files are leftovers of a crash.
        store.remove_orphan_temps(Duration::ZERO);
        let report = ingest::ingest(&scan, &store, INGEST_WORKERS, job.progress(), job.cancel())?;
        for (i, o) in report.outcomes.iter().enumerate() {
            match o {
                Outcome::Stored(s) => hashes[i] = Some((s.hash, s.size)),
                Outcome::Failed => {
                    failed.insert(i);
                }
            }
        }
        issues.extend(report.issues);
        Some(store)
    } else {
        let mut count: HashMap<u64, usize> = HashMap::new();
        for e in entries {
            *count.entry(e.size).or_default() += 1;
        }
        let wanted: Vec<bool> = entries
            .iter()
            .map(|e| sizes.contains(&e.size) || count.get(&e.size).is_some_and(|n| *n > 1))
            .collect();
        issues.extend(scan.issues().iter().cloned());
        if wanted.iter().any(|w| *w) {
            let cancel = job.cancel().clone();
            let read = scan.for_each(job.progress(), job.cancel(), |i, entry, reader| {
                if !wanted.get(i).copied().unwrap_or(false) {
                    return Ok(());
                }
                match cas::hash_reader(reader, &entry.location(), &cancel) {
                    Ok(h) => {
                        if let Some(slot) = hashes.get_mut(i) {
                            *slot = Some(h);
                        }
                        Ok(())
                    }
                    Err(Error::Cancelled) => Err(Error::Cancelled),
                    Err(_) => Ok(()),
                }
            })?;
            for i in read.failed {
                failed.insert(i);
                if let Some(h) = hashes.get_mut(i) {
                    *h = None;
                }
            }
            issues.extend(read.issues);
        }
        None
    };
    job.check()?;

    // Duplicates: against the library, then within the drop.
    let mut first_in_drop: HashMap<ContentHash, usize> = HashMap::new();
    for (i, f) in files.iter_mut().enumerate() {
        if failed.contains(&i) {
            f.state = "failed".into();
            continue;
        }
        let Some((hash, _)) = hashes[i] else {
            continue;
        };
        if let Some(k) = known.get(&hash.to_hex()) {
            f.state = "known".into();
            f.evidence_id = Some(k.id);
            f.same_as = format!("与库中已有的“{}”（{}）内容相同", k.title, k.status);
        } else if let Some(&j) = first_in_drop.get(&hash) {
            f.state = "repeat".into();
            f.same_as = format!("与本次的“{}”内容相同", entries[j].location());
        } else {
            first_in_drop.insert(hash, i);
        }
    }

    // Returned items a file answers: same unit, a name that says it is the corrected file.
    let mut returned: Vec<Returned> = Vec::new();
    for (id, title, file_name, reason, unit_id, _) in returned_waiting(conn, c.id)? {
        returned.push(Returned {
            links: links_of(conn, id)?,
            id,
            title,
            file_name,
            reason,
            unit_id,
        });
    }
    let mut answers: Vec<EvidenceAnswer> = Vec::new();
    if !returned.is_empty() {
        // (score, returned index, file index), best first.
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (fi, f) in files.iter().enumerate() {
            if f.state != "new" {
                continue;
            }
            for (ri, r) in returned.iter().enumerate() {
                if Some(r.unit_id) != f.unit_id {
                    continue;
                }
                let s = names::similarity(&f.name, &r.file_name)
                    .max(names::similarity(&f.title, &r.title));
                let same_indicator = r.links.iter().any(|l| {
                    f.indicators
                        .iter()
                        .any(|m| m.indicator_id == l.indicator_id)
                });
                let score = s + if same_indicator { 0.2 } else { 0.0 };
                if s >= 0.6 || (same_indicator && s >= 0.4) {
                    pairs.push((score, ri, fi));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        let (mut used_r, mut used_f) = (HashSet::new(), HashSet::new());
        for (_, ri, fi) in pairs {
            if used_r.contains(&ri) || used_f.contains(&fi) {
                continue;
            }
            used_r.insert(ri);
            used_f.insert(fi);
            let r = &returned[ri];
            let f = &mut files[fi];
            f.answers_id = Some(r.id);
            f.answers_title = r.title.clone();
            if f.indicators.is_empty() && !r.links.is_empty() {
                let inherited: Vec<EvidenceMatch> = r
                    .links
                    .iter()
                    .map(|l| EvidenceMatch {
                        reason: format!("补交退回的“{}”，沿用其指标", r.title),
                        ..l.clone()
                    })
                    .collect();
                f.indicators = inherited.clone();
                f.verdict = "answer".into();
                f.queue_note.clear();
                links_of_file[fi].0 = inherited;
            }
            answers.push(EvidenceAnswer {
                returned_id: r.id,
                returned_title: r.title.clone(),
                return_reason: r.reason.clone(),
                unit_name: f.unit_name.clone(),
                location: f.location.clone(),
            });
        }
        // The same bytes sent again for a returned item: nothing was corrected.
        for f in files.iter() {
            if f.state == "known"
                && let Some(r) = returned.iter().find(|r| Some(r.id) == f.evidence_id)
            {
                issues.push(ImportIssue::about_file(
                    &f.location,
                    Severity::Warning,
                    format!(
                        "“{}”与此前退回的“{}”内容完全相同，未作修改（退回原因：{}）。",
                        f.location, r.title, r.reason
                    ),
                ));
            }
        }
    }

    // Counts and the write's work.
    let mut work_files = Vec::new();
    if imp.ingest {
        for (i, h) in hashes.iter().enumerate() {
            if let Some((hash, size)) = *h {
                let (links, candidates) = links_of_file[i].clone();
                work_files.push(WorkFile {
                    index: i,
                    hash,
                    size,
                    links,
                    candidates,
                });
            }
        }
    }
    let count = |s: &str| files.iter().filter(|f| f.state == s).count() as i64;
    let new_count = count("new");
    let queue_count = files
        .iter()
        .filter(|f| f.state == "new" && f.indicators.is_empty())
        .count() as i64;
    let stored_any = !imp.ingest || !work_files.is_empty();
    let can_apply = !files.is_empty() && stored_any;
    if files.is_empty() && !issues.iter().any(|i| i.severity == Severity::Error) {
        issues.push(ImportIssue::about_file(
            &source,
            Severity::Error,
            format!(
                "“{source}”中没有可收取的文件{}。",
                if scan.junk_skipped() > 0 {
                    format!("（跳过了 {} 个系统生成的无用文件）", scan.junk_skipped())
                } else {
                    String::new()
                }
            ),
        ));
    }
    let mut preview = EvidenceAddPreview {
        source: source.clone(),
        groups,
        file_count: files.len() as i64,
        new_count,
        known_count: count("known"),
        repeat_count: count("repeat"),
        failed_count: count("failed"),
        junk_skipped: scan.junk_skipped() as i64,
        total_bytes: scan.total_bytes() as i64,
        queue_count,
        answers,
        files,
        issues,
        can_apply,
        applied: false,
        sources_added: 0,
        summary: String::new(),
    };
    preview.summary = summary(&preview, imp.ingest);
    let detail = format!("“{}”：{}", preview.source, preview.summary);
    Ok(Plan {
        preview,
        work: IntakeWork {
            campaign_id: c.id,
            store,
            operator: ws.operator(),
            files: work_files,
        },
        detail,
    })
}

/// The name `intake::scan` gives a dropped path (its file name, or "E:" for a drive).
fn intake_display_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| {
            p.display()
                .to_string()
                .trim_end_matches(['\\', '/'])
                .to_string()
        })
}

fn summary(p: &EvidenceAddPreview, exact: bool) -> String {
    let mut parts = vec![format!("共 {} 个文件", p.file_count)];
    let maybe = if exact { "" } else { "约" };
    parts.push(format!("新增材料{maybe} {} 份", p.new_count));
    if p.known_count > 0 {
        parts.push(format!("库中已有 {} 份", p.known_count));
    }
    if p.applied && p.sources_added > 0 {
        parts.push(format!("记录来源 {} 条", p.sources_added));
    }
    if p.repeat_count > 0 {
        parts.push(format!("本次重复 {} 份", p.repeat_count));
    }
    if p.queue_count > 0 {
        parts.push(format!("待归类 {} 份", p.queue_count));
    }
    if !p.answers.is_empty() {
        parts.push(format!("补交退回材料 {} 份", p.answers.len()));
    }
    if p.failed_count > 0 {
        parts.push(format!("未能收取 {} 份", p.failed_count));
    }
    if p.junk_skipped > 0 {
        parts.push(format!("跳过无用文件 {} 个", p.junk_skipped));
    }
    parts.join("，")
}

impl Importer for EvidenceIntake {
    type Preview = EvidenceAddPreview;
    type Work = IntakeWork;
    type Output = EvidenceAddPreview;
    const ACTION: Action = Action::AddEvidence;

    fn source(&self) -> &Path {
        self.paths.first().map_or(Path::new(""), PathBuf::as_path)
    }

    fn plan(&self, ws: &Workspace, job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        plan_intake(self, ws, job)
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        mut preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output> {
        let Some(store) = work.store.as_ref().filter(|_| self.ingest) else {
            return Err(Error::Invalid(
                "添加佐证材料时文件尚未存入证据库（程序内部调用有误），未做任何修改。".into(),
            ));
        };
        let now = crate::store::now();
        let mut created = 0i64;
        let mut sources = 0i64;
        for wf in &work.files {
            let Some(f) = preview.files.get_mut(wf.index) else {
                continue;
            };
            // Never an item for content that is not in the store.
            if !store.contains(&wf.hash) {
                return Err(Error::Io(format!(
                    "“{}”未能完整存入证据库（文件不见了），为安全起见未做任何修改，请重新添加。",
                    f.location
                )));
            }
            let hex = wf.hash.to_hex();
            tx.execute(
                "INSERT OR IGNORE INTO evidence_object (hash, size, stored_at) VALUES (?1, ?2, ?3)",
                params![hex, wf.size as i64, now],
            )?;
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM evidence WHERE campaign_id = ?1 AND hash = ?2",
                    params![work.campaign_id, hex],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match existing {
                Some(id) => {
                    // Filed now if it waited in the queue and this file's name says where.
                    let linked: i64 = tx.query_row(
                        "SELECT count(*) FROM evidence_link WHERE evidence_id = ?1",
                        [id],
                        |r| r.get(0),
                    )?;
                    if linked == 0 && !wf.links.is_empty() {
                        insert_links(tx, id, &wf.links, f.verdict == "given")?;
                        tx.execute(
                            "DELETE FROM evidence_candidate WHERE evidence_id = ?1",
                            [id],
                        )?;
                        tx.execute("UPDATE evidence SET queue_note = '' WHERE id = ?1", [id])?;
                    }
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO evidence (campaign_id, hash, title, file_name, unit_id, formed_on,
                           doc_no, category, method, answers_id, queue_note, added_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                        params![
                            work.campaign_id,
                            hex,
                            f.title,
                            f.name,
                            f.unit_id,
                            f.formed_on,
                            f.doc_no,
                            f.category,
                            f.method,
                            f.answers_id,
                            if wf.links.is_empty() { f.queue_note.as_str() } else { "" },
                            now
                        ],
                    )?;
                    let id = tx.last_insert_rowid();
                    insert_links(tx, id, &wf.links, f.verdict == "given")?;
                    if wf.links.is_empty() {
                        for m in &wf.candidates {
                            tx.execute(
                                "INSERT OR IGNORE INTO evidence_candidate
                                   (evidence_id, indicator_id, confidence, reason)
                                 VALUES (?1, ?2, ?3, ?4)",
                                params![id, m.indicator_id, m.confidence, m.reason],
                            )?;
                        }
                    }
                    created += 1;
                    id
                }
            };
            f.evidence_id = Some(id);
            sources += tx.execute(
                "INSERT OR IGNORE INTO evidence_source
                   (evidence_id, unit_id, unit_name, original_name, original_path, added_at, operator)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    f.unit_id,
                    f.unit_name,
                    f.name,
                    f.location,
                    now,
                    work.operator
                ],
            )? as i64;
        }
        preview.applied = true;
        preview.new_count = created;
        preview.sources_added = sources;
        preview.summary = summary(&preview, true);
        if created == 0 && sources == 0 {
            preview
                .summary
                .push_str("；这些文件都已在库中，没有新增内容");
        }
        Ok(preview)
    }
}

fn insert_links(
    tx: &Transaction<'_>,
    id: i64,
    links: &[EvidenceMatch],
    by_user: bool,
) -> Result<()> {
    for m in links {
        tx.execute(
            "INSERT OR IGNORE INTO evidence_link (evidence_id, indicator_id, confidence, reason, by_user)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, m.indicator_id, m.confidence, m.reason, by_user],
        )?;
    }
    Ok(())
}
