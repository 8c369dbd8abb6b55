//! Crash safety: each long operation runs through the real `shifan` binary and is killed with
//! SIGKILL (`Child::kill`) at a random moment of its run, many times. After every kill the
//! data folder must pass `PRAGMA integrity_check` and `foreign_key_check`, show no half-applied
//! import (every table either as before the operation or as after a complete run), hold no
//! partial output file under its final name, and re-running the operation must complete it.
//!
//! Operations: indicator, 单位名单, 任务分解表 and 问题清单 imports, collecting returned task and
//! problem sheets, exporting the per-unit sheets to a folder and to a zip, the per-unit
//! 问题整改表 and the 反馈函 to a zip, collecting the experts' scoring sheets and exporting
//! them to a zip, backups (in the data folder and to another folder),
//! restore, restore into a folder whose shifan.db is damaged (never neither the damaged nor the
//! restored file under shifan.db, the damaged bytes never lost), hand-over export and import,
//! adding evidence (40 MB of files, a Windows zip and a junk folder: after a kill no item may
//! point at a missing or half-copied file, `evidence verify` passes, and a re-run completes the
//! ingest), and the archive export to a folder and to a zip (whole or absent: what exists under
//! the target name lists exactly the files of a complete run), and the 创建工作进展情况报告 (.docx)
//! and the 申报材料包 to a folder and to a zip (whole or absent: what exists under the target
//! name opens — every zip entry, and every .docx/.xlsx inside the package, reads back with its
//! checksum — and lists exactly the entries of a complete run; beside it nothing but our hidden
//! `.shifan-…` temp names, which a re-run does not add to). Each is first run once to the end (its
//! duration sets the kill window, its result is the "after" state). Bounded by time
//! (`SHIFAN_CRASH_SECS`, default 40 s); prints runs, kills and failures per operation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shifan"));
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("SHIFAN_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn run_ok(dir: &Path, args: &[&str]) -> Result<(), String> {
    let o = cmd(dir, args).output().map_err(|e| e.to_string())?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "shifan {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

fn run_json(dir: &Path, args: &[&str]) -> Result<serde_json::Value, String> {
    let o = cmd(dir, args)
        .arg("--json")
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    if !o.status.success() {
        return Err(format!(
            "shifan {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    serde_json::from_slice(&o.stdout).map_err(|e| format!("shifan {args:?}: {e}"))
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &dst.join(e.file_name()));
        } else {
            std::fs::copy(&p, dst.join(e.file_name())).expect("copy");
        }
    }
}

/// Database invariants after a kill. Returns (systems, leaves of the imported system or 0).
fn check_db(dir: &Path) -> Result<(i64, i64), String> {
    let db = dir.join("shifan.db");
    if !db.exists() {
        return Ok((0, 0));
    }
    let c = rusqlite::Connection::open(&db).map_err(|e| e.to_string())?;
    let ic: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if ic != "ok" {
        return Err(format!("integrity_check: {ic}"));
    }
    let fk: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| e.to_string())?;
    if fk != 0 {
        return Err(format!("{fk} foreign-key violations"));
    }
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if version == 0 {
        // Killed during the very first open: migrations are transactional, nothing applied yet.
        return Ok((0, 0));
    }
    let systems: i64 = c
        .query_row("SELECT count(*) FROM indicator_system", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    // No half-applied import: a system is either absent or has all its 104 indicators. (The
    // scoring-sheet template's provincial system, imported before any kill, is not counted.)
    let leaves: i64 = c
        .query_row(
            "SELECT count(*) FROM indicator i JOIN indicator_system s ON s.id = i.system_id
             WHERE s.embedded = 0 AND i.is_leaf = 1 AND s.name NOT LIKE 'XX省%'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if leaves != 0 && leaves != 104 {
        return Err(format!("half-applied import: {leaves} of 104 indicators"));
    }
    Ok((systems, leaves))
}

/// Rows per table, for every table of the schema (read from the database itself, so a table
/// added later is judged too): an operation killed midway must leave every one of them as
/// before it or as after a complete run, never in between.
type Counts = BTreeMap<String, i64>;

fn counts(dir: &Path) -> Result<Counts, String> {
    let c = rusqlite::Connection::open(dir.join("shifan.db")).map_err(|e| e.to_string())?;
    let mut out = Counts::new();
    for t in shifan_core::store::table_names(&c).map_err(|e| e.to_string())? {
        // The search index's own b-tree pages (FTS5 shadow tables) depend on the history of
        // writes, not on what is stored; the index itself (`search_index`) is counted.
        if t.starts_with("search_index_") {
            continue;
        }
        let n: i64 = c
            .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
            .map_err(|e| format!("{t}: {e}"))?;
        out.insert(t, n);
    }
    Ok(out)
}

/// The counts of the tables an operation's result is judged by (the log excluded: a re-run
/// logs again).
fn without_log(c: &Counts) -> Counts {
    c.iter()
        .filter(|(t, _)| t.as_str() != "oplog")
        .map(|(t, n)| (t.clone(), *n))
        .collect()
}

/// xorshift for kill delays.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Import,
    Backup,
    BackupToFolder,
    Restore,
    /// `backup restore` in a folder whose shifan.db was truncated to half.
    RecoverDamaged,
    HandoverExport,
    HandoverImport,
    UnitsImport,
    TasksImport,
    Collect,
    ExportUnitsDir,
    ExportUnitsZip,
    EvidenceAdd,
    ArchiveDir,
    ArchiveZip,
    ProblemsImport,
    ProblemsCollect,
    ProblemSheetsZip,
    LettersZip,
    /// 收回专家评分表 (tests/fixtures/eval/collect).
    EvalCollect,
    /// 导出专家评分表 into a zip.
    EvalExportZip,
    /// `report FILE.docx`.
    Report,
    /// `package DIR`.
    PackageDir,
    /// `package FILE.zip`.
    PackageZip,
}

impl Op {
    /// Operations whose result is rows of the tables ([`counts`]): checked all-or-nothing.
    fn changes_tables(self) -> bool {
        matches!(
            self,
            Op::UnitsImport
                | Op::TasksImport
                | Op::Collect
                | Op::ExportUnitsDir
                | Op::ExportUnitsZip
                | Op::EvidenceAdd
                | Op::ProblemsImport
                | Op::ProblemsCollect
                | Op::ProblemSheetsZip
                | Op::LettersZip
                | Op::EvalCollect
                | Op::EvalExportZip
        )
    }

    fn exports_archive(self) -> bool {
        matches!(self, Op::ArchiveDir | Op::ArchiveZip)
    }

    fn exports_units(self) -> bool {
        matches!(self, Op::ExportUnitsDir | Op::ExportUnitsZip)
    }

    /// The report or the 申报材料包: one document, folder or zip under `out_dir`.
    fn writes_output(self) -> bool {
        matches!(self, Op::Report | Op::PackageDir | Op::PackageZip)
    }
}

/// Data folders each operation starts from.
struct Templates {
    /// A campaign on the demo system and one backup.
    plain: PathBuf,
    /// `plain` plus the 20 units of tasks/units.xlsx.
    units: PathBuf,
    /// `units` plus the 100 assignments of tasks/tasks-libreoffice.xlsx.
    tasks: PathBuf,
    /// `tasks` plus one export of the per-unit sheets (the state tasks/collect was made from).
    exported: PathBuf,
    /// `units` plus problems/problems-openpyxl.xlsx imported into round 1.
    problems: PathBuf,
    /// `problems` plus one export of the per-unit 问题整改表 (the state problems/collect was
    /// made from).
    problems_exported: PathBuf,
    /// The state eval/collect was exported from (shifan_tests::eval_exported).
    eval: PathBuf,
    handover: PathBuf,
    backup_id: String,
    /// What `evidence add` takes: a folder of 40 files of 1 MB, the 司法局's zip, a junk folder.
    evidence: Vec<PathBuf>,
    /// `tasks` plus that evidence, all approved.
    with_evidence: PathBuf,
}

/// `n` pseudo-random bytes (distinct per `seed`): content nothing else in the store has.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(n);
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(n);
    v
}

fn templates(root: &Path) -> Templates {
    let plain = root.join("模板");
    run_ok(&plain, &["init", "--name", "曾都区"]).expect("init");
    run_ok(&plain, &["backup", "create"]).expect("backup");
    let handover = root.join("交接.shifan");
    run_ok(
        &plain,
        &["handover", "export", handover.to_str().expect("utf8")],
    )
    .expect("export");
    let backup_id = run_json(&plain, &["backup", "list"]).expect("list")[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let step = |from: &Path, name: &str, args: &[&str]| {
        let to = root.join(name);
        copy_dir(from, &to);
        run_ok(&to, args).expect(name);
        to
    };
    let units_file = fixture("tasks/units.xlsx");
    let tasks_file = fixture("tasks/tasks-libreoffice.xlsx");
    let units = step(
        &plain,
        "模板-单位",
        &["units", "import", units_file.to_str().expect("utf8")],
    );
    let tasks = step(
        &units,
        "模板-任务",
        &["tasks", "import", tasks_file.to_str().expect("utf8")],
    );
    let sent = root.join("已发出");
    let exported = step(
        &tasks,
        "模板-已导出",
        &["tasks", "export-units", sent.to_str().expect("utf8")],
    );
    // Evidence: a unit's folder of scans (1 MB each), a Windows zip and a junk folder.
    let scans = root.join("区住房和城乡建设局");
    std::fs::create_dir_all(scans.join("指标27")).expect("mkdir");
    for i in 0..40 {
        let mut b = b"%PDF-1.4\n".to_vec();
        b.extend(noise(i + 1, 1 << 20));
        std::fs::write(scans.join(format!("指标27/扫描件{i:02}.pdf")), b).expect("scan");
    }
    let evidence = vec![
        scans,
        fixture("evidence/区司法局-佐证材料.zip"),
        fixture("evidence/区财政局"),
    ];
    let mut add: Vec<String> = vec!["evidence".into(), "add".into()];
    add.extend(evidence.iter().map(|p| p.display().to_string()));
    let add: Vec<&str> = add.iter().map(String::as_str).collect();
    let with_evidence = step(&tasks, "模板-证据", &add);
    // The archive takes the real files (the 1 MB scans are not PDFs a reader could open).
    let ids: Vec<String> = run_json(&with_evidence, &["evidence", "list"])
        .expect("list")
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| !i["fileName"].as_str().unwrap_or("").starts_with("扫描件"))
        .filter_map(|i| i["id"].as_i64())
        .map(|i| i.to_string())
        .collect();
    let mut review: Vec<&str> = vec!["evidence", "review", "--approve"];
    review.extend(ids.iter().map(String::as_str));
    run_ok(&with_evidence, &review).expect("approve");
    let problems_file = fixture("problems/problems-openpyxl.xlsx");
    let problems = step(
        &units,
        "模板-问题",
        &["problems", "import", problems_file.to_str().expect("utf8")],
    );
    let sent_problems = root.join("已发出问题整改表");
    let problems_exported = step(
        &problems,
        "模板-问题已导出",
        &[
            "problems",
            "export-units",
            "--round",
            "1",
            sent_problems.to_str().expect("utf8"),
        ],
    );
    // The scoring sheets' state, as make_eval_fixtures.py builds it.
    let eval = root.join("模板-评估");
    let system = fixture("eval/provincial-1000.xlsx");
    let u = units_file.to_str().expect("utf8");
    let t = tasks_file.to_str().expect("utf8");
    let steps: Vec<Vec<&str>> = vec![
        vec![
            "init",
            "--name",
            "曾都区",
            "--system",
            system.to_str().expect("utf8"),
        ],
        vec!["units", "import", u],
        vec!["tasks", "import", t],
        vec!["eval", "rounds", "--add", "模拟评估一"],
        vec![
            "eval",
            "experts",
            "--add",
            "张卫东",
            "--org",
            "湖北大学法学院",
        ],
        vec![
            "eval",
            "experts",
            "--add",
            "李敏",
            "--org",
            "楚天律师事务所",
        ],
        vec![
            "eval",
            "experts",
            "--add",
            "王建国",
            "--org",
            "市委党校法学教研部",
        ],
        vec![
            "eval",
            "assign",
            "--round",
            "模拟评估一",
            "--expert",
            "张卫东",
            "--indicators",
            "1-40",
        ],
        vec![
            "eval",
            "assign",
            "--round",
            "模拟评估一",
            "--expert",
            "李敏",
            "--indicators",
            "35-75",
        ],
        vec![
            "eval",
            "assign",
            "--round",
            "模拟评估一",
            "--expert",
            "王建国",
            "--indicators",
            "70-100",
        ],
    ];
    for s in steps {
        run_ok(&eval, &s).expect("eval template");
    }
    let sent = root.join("已发评分表");
    run_ok(
        &eval,
        &[
            "eval",
            "export-sheets",
            "--round",
            "模拟评估一",
            sent.to_str().expect("utf8"),
        ],
    )
    .expect("eval export");
    Templates {
        plain,
        units,
        tasks,
        exported,
        problems,
        problems_exported,
        eval,
        handover,
        backup_id,
        evidence,
        with_evidence,
    }
}

/// Every file under `dir` (relative, sorted), or of the zip at `dir`.
fn listing(target: &Path) -> Result<Option<Vec<String>>, String> {
    if !target.exists() {
        return Ok(None);
    }
    if target.is_file() {
        let f = std::fs::File::open(target).map_err(|e| e.to_string())?;
        let z = zip::ZipArchive::new(f)
            .map_err(|e| format!("a partial zip under its final name: {e}"))?;
        let mut v: Vec<String> = z
            .file_names()
            .map(|n| n.map(|s| s.into_owned()).unwrap_or_default())
            .collect();
        v.sort();
        return Ok(Some(v));
    }
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if let Ok(r) = p.strip_prefix(base) {
                out.push(r.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut v = Vec::new();
    walk(target, target, &mut v);
    v.sort();
    Ok(Some(v))
}

/// Objects under evidence/objects that are temp files (a put killed midway): allowed after a
/// kill, gone after a re-run.
fn temp_objects(data: &Path) -> usize {
    std::fs::read_dir(data.join("evidence").join("objects"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".shifan-"))
                .count()
        })
        .unwrap_or(0)
}

/// `evidence verify` passes: every item's file is whole in the store.
fn evidence_whole(data: &Path) -> Result<(), String> {
    let v = run_json(data, &["evidence", "verify"])?;
    if v["ok"] == true {
        Ok(())
    } else {
        Err(format!(
            "an item points at a missing or half-copied file: {}",
            v["problems"]
        ))
    }
}

/// What one operation needs: its starting folder and its arguments.
fn setup(op: Op, t: &Templates, work: &Path, out_dir: &Path) -> (PathBuf, Vec<String>) {
    let s = |p: &Path| p.display().to_string();
    let file = |rel: &str| s(&fixture(rel));
    let from = match op {
        Op::HandoverImport => None,
        Op::UnitsImport => Some(&t.plain),
        Op::TasksImport => Some(&t.units),
        Op::ExportUnitsDir | Op::ExportUnitsZip | Op::EvidenceAdd => Some(&t.tasks),
        Op::ArchiveDir | Op::ArchiveZip => Some(&t.with_evidence),
        Op::Report | Op::PackageDir | Op::PackageZip => Some(&t.with_evidence),
        Op::Collect => Some(&t.exported),
        Op::ProblemsImport => Some(&t.units),
        Op::ProblemsCollect => Some(&t.problems_exported),
        Op::ProblemSheetsZip | Op::LettersZip => Some(&t.problems),
        Op::EvalCollect | Op::EvalExportZip => Some(&t.eval),
        _ => Some(&t.plain),
    };
    let data = match from {
        Some(f) => {
            copy_dir(f, work);
            work.to_path_buf()
        }
        None => work.join("新电脑"),
    };
    if op == Op::RecoverDamaged {
        let db = data.join("shifan.db");
        let bytes = std::fs::read(&db).expect("db");
        std::fs::write(&db, &bytes[..bytes.len() / 2]).expect("truncate");
    }
    let args: Vec<String> = match op {
        Op::Import => vec![
            "indicators".into(),
            "import".into(),
            file("indicators/national-104.xlsx"),
            "--bind".into(),
        ],
        Op::Backup => vec!["backup".into(), "create".into()],
        Op::BackupToFolder => vec!["backup".into(), "create".into(), "--to".into(), s(out_dir)],
        Op::Restore | Op::RecoverDamaged => {
            vec!["backup".into(), "restore".into(), t.backup_id.clone()]
        }
        Op::HandoverExport => vec![
            "handover".into(),
            "export".into(),
            s(&out_dir.join("交接.shifan")),
        ],
        Op::HandoverImport => vec!["handover".into(), "import".into(), s(&t.handover)],
        Op::UnitsImport => vec!["units".into(), "import".into(), file("tasks/units.xlsx")],
        Op::TasksImport => vec![
            "tasks".into(),
            "import".into(),
            file("tasks/tasks-libreoffice.xlsx"),
        ],
        Op::Collect => vec!["tasks".into(), "collect".into(), file("tasks/collect")],
        Op::ExportUnitsDir => vec![
            "tasks".into(),
            "export-units".into(),
            s(&out_dir.join("各单位工作表")),
        ],
        Op::ExportUnitsZip => vec![
            "tasks".into(),
            "export-units".into(),
            s(&out_dir.join("各单位工作表.zip")),
        ],
        Op::EvidenceAdd => {
            let mut v: Vec<String> = vec!["evidence".into(), "add".into()];
            v.extend(t.evidence.iter().map(|p| s(p)));
            v
        }
        Op::ArchiveDir => vec![
            "evidence".into(),
            "export-archive".into(),
            s(&archive_target(op, out_dir)),
        ],
        Op::ArchiveZip => vec![
            "evidence".into(),
            "export-archive".into(),
            s(&archive_target(op, out_dir)),
        ],
        Op::ProblemsImport => vec![
            "problems".into(),
            "import".into(),
            file("problems/problems-openpyxl.xlsx"),
        ],
        Op::ProblemsCollect => vec![
            "problems".into(),
            "collect".into(),
            file("problems/collect"),
        ],
        Op::ProblemSheetsZip => vec![
            "problems".into(),
            "export-units".into(),
            "--round".into(),
            "1".into(),
            s(&out_dir.join("问题整改表.zip")),
        ],
        Op::LettersZip => vec![
            "letters".into(),
            "--round".into(),
            "1".into(),
            s(&out_dir.join("反馈函.zip")),
        ],
        Op::EvalCollect => vec!["eval".into(), "collect".into(), file("eval/collect")],
        Op::EvalExportZip => vec![
            "eval".into(),
            "export-sheets".into(),
            "--round".into(),
            "模拟评估一".into(),
            s(&out_dir.join("专家评分表.zip")),
        ],
        Op::Report | Op::PackageDir | Op::PackageZip => vec![
            if op == Op::Report {
                "report"
            } else {
                "package"
            }
            .into(),
            s(&output_target(op, out_dir)),
            "--today".into(),
            "2031-01-01".into(),
        ],
    };
    (data, args)
}

fn output_target(op: Op, out_dir: &Path) -> PathBuf {
    match op {
        Op::Report => out_dir.join("创建工作进展情况报告.docx"),
        Op::PackageZip => out_dir.join("申报材料.zip"),
        _ => out_dir.join("申报材料"),
    }
}

/// Every entry of the zip in `bytes` reads back whole (the zip crate checks each CRC); a
/// .docx/.xlsx/.zip entry is opened and checked the same way. Returns the sorted entry names.
fn zip_whole(bytes: &[u8], what: &str) -> Result<Vec<String>, String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("{what} is not a whole zip: {e}"))?;
    let mut names = Vec::new();
    for i in 0..z.len() {
        let mut entry = z.by_index(i).map_err(|e| format!("{what}: {e}"))?;
        let name = entry
            .name()
            .map_err(|e| format!("{what}: entry {i}: {e}"))?
            .into_owned();
        let mut inner = Vec::new();
        entry
            .read_to_end(&mut inner)
            .map_err(|e| format!("{what}: entry {name}: {e}"))?;
        if [".docx", ".xlsx", ".zip"].iter().any(|x| name.ends_with(x)) {
            zip_whole(&inner, &format!("{what}: {name}"))?;
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// The report or package under its final name is whole (see [`zip_whole`]; a Word document
/// must have its body): its sorted listing, None when there is nothing.
fn output_whole(target: &Path) -> Result<Option<Vec<String>>, String> {
    if !target.exists() {
        return Ok(None);
    }
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    if target.is_file() {
        let names = zip_whole(&read(target)?, &target.display().to_string())?;
        let is_docx = target.extension().is_some_and(|e| e == "docx");
        if is_docx && !names.iter().any(|n| n == "word/document.xml") {
            return Err(format!("{} has no word/document.xml", target.display()));
        }
        return Ok(Some(names));
    }
    let files = listing(target)?.unwrap_or_default();
    for f in &files {
        if [".docx", ".xlsx", ".zip"].iter().any(|x| f.ends_with(x)) {
            zip_whole(&read(&target.join(f))?, f)?;
        }
    }
    Ok(Some(files))
}

/// What lies beside the target in `out_dir`: only our hidden temp names (`.shifan-…`, swept
/// once stale) may; anything else is a half-written file under a name a user would open.
fn litter(out_dir: &Path, target: &Path) -> Result<std::collections::BTreeSet<String>, String> {
    let mine = target.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut out = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(out_dir)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let n = e.file_name().to_string_lossy().into_owned();
        if Some(&n) == mine.as_ref() {
            continue;
        }
        if !n.starts_with(".shifan-") {
            return Err(format!("“{n}” left beside {}", target.display()));
        }
        out.insert(n);
    }
    Ok(out)
}

fn archive_target(op: Op, out_dir: &Path) -> PathBuf {
    match op {
        Op::ArchiveZip => out_dir.join("案卷.zip"),
        _ => out_dir.join("案卷"),
    }
}

/// The per-unit sheets under their final names (a folder's .xlsx, or the zip) collect back:
/// each is a whole, stamped workbook. Returns how many sheets, None when there is nothing.
fn exported_sheets(data: &Path, out_dir: &Path, op: Op) -> Result<Option<usize>, String> {
    let target = match op {
        Op::ExportUnitsDir => out_dir.join("各单位工作表"),
        _ => out_dir.join("各单位工作表.zip"),
    };
    let any = match op {
        Op::ExportUnitsDir => std::fs::read_dir(&target).is_ok_and(|rd| {
            rd.flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".xlsx"))
        }),
        _ => target.exists(),
    };
    if !any {
        return Ok(None);
    }
    let v = run_json(
        data,
        &[
            "tasks",
            "collect",
            target.to_str().unwrap_or(""),
            "--preview",
        ],
    )
    .map_err(|e| format!("a partial sheet under its final name: {e}"))?;
    if v["canApply"] != true {
        return Err(format!(
            "exported sheets do not collect back: {}",
            v["issues"]
        ));
    }
    Ok(Some(v["sheets"].as_array().map_or(0, Vec::len)))
}

/// After a kill during the recovery of a damaged folder: shifan.db is either still the damaged
/// file or the restored, sound one — never absent — and the damaged bytes are under shifan.db
/// or a `shifan.db.damaged-…` name beside it.
fn check_recovery(data: &Path, damaged: &[u8]) -> Result<(), String> {
    let db = data.join("shifan.db");
    let now = std::fs::read(&db).map_err(|e| format!("shifan.db is gone: {e}"))?;
    if now != damaged {
        check_db(data).map_err(|e| format!("neither the damaged nor a sound file: {e}"))?;
    }
    let kept = now == damaged
        || std::fs::read_dir(data)
            .map_err(|e| e.to_string())?
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with("shifan.db.damaged-") && !n.ends_with("-wal") && !n.ends_with("-shm")
            })
            .any(|e| std::fs::read(e.path()).is_ok_and(|b| b == damaged));
    if kept {
        Ok(())
    } else {
        Err("the damaged bytes are lost".into())
    }
}

/// The per-unit 问题整改表 or the 反馈函 under their final name (a zip) are whole: the sheets
/// collect back, the letters are all there as Word documents. Returns how many files, None
/// when there is nothing.
fn problem_files(data: &Path, out_dir: &Path, op: Op) -> Result<Option<usize>, String> {
    let target = match op {
        Op::ProblemSheetsZip => out_dir.join("问题整改表.zip"),
        _ => out_dir.join("反馈函.zip"),
    };
    if !target.exists() {
        return Ok(None);
    }
    if op == Op::ProblemSheetsZip {
        let v = run_json(
            data,
            &[
                "problems",
                "collect",
                target.to_str().unwrap_or(""),
                "--preview",
            ],
        )
        .map_err(|e| format!("a partial zip under its final name: {e}"))?;
        if v["canApply"] != true {
            return Err(format!(
                "exported sheets do not collect back: {}",
                v["issues"]
            ));
        }
        return Ok(Some(v["sheets"].as_array().map_or(0, Vec::len)));
    }
    let f = std::fs::File::open(&target).map_err(|e| e.to_string())?;
    let mut z = zip::ZipArchive::new(f).map_err(|e| format!("a partial zip of letters: {e}"))?;
    for i in 0..z.len() {
        use std::io::Read;
        let mut entry = z.by_index(i).map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("letter {i}: {e}"))?;
        if !bytes.starts_with(b"PK") {
            return Err(format!("letter {i} is not a Word document"));
        }
    }
    Ok(Some(z.len()))
}

/// The scoring-sheet zip under its final name collects back whole: how many sheets, None when
/// there is none.
fn scoring_sheets(data: &Path, out_dir: &Path) -> Result<Option<usize>, String> {
    let target = out_dir.join("专家评分表.zip");
    if !target.exists() {
        return Ok(None);
    }
    let v = run_json(
        data,
        &[
            "eval",
            "collect",
            target.to_str().unwrap_or(""),
            "--preview",
        ],
    )
    .map_err(|e| format!("a partial scoring-sheet zip under its final name: {e}"))?;
    if v["canApply"] != true {
        return Err(format!(
            "exported scoring sheets do not collect back: {}",
            v["issues"]
        ));
    }
    Ok(Some(v["sheets"].as_array().map_or(0, Vec::len)))
}

/// Per operation: its duration (sets the kill window) and the table counts before and after
/// a complete run.
struct Reference {
    took: Duration,
    before: Counts,
    after: Counts,
    /// For an archive export: the files a complete run writes; for the report or the package,
    /// the entries (or files) of the document, zip or folder.
    listing: Option<Vec<String>>,
}

#[derive(Default)]
struct Tally {
    runs: u32,
    kills: u32,
    failures: u32,
}

#[test]
fn killing_long_operations_at_random_points_never_damages_the_data_folder() {
    let budget = Duration::from_secs(
        std::env::var("SHIFAN_CRASH_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(40),
    );
    let root = tempfile::tempdir().expect("tmp");
    let started = Instant::now();
    let t = templates(root.path());
    let ops = [
        Op::Import,
        Op::UnitsImport,
        Op::TasksImport,
        Op::Collect,
        Op::ExportUnitsDir,
        Op::ExportUnitsZip,
        Op::EvalCollect,
        Op::EvalExportZip,
        Op::Backup,
        Op::BackupToFolder,
        Op::Restore,
        Op::RecoverDamaged,
        Op::HandoverExport,
        Op::HandoverImport,
        Op::EvidenceAdd,
        Op::ArchiveDir,
        Op::ArchiveZip,
        Op::ProblemsImport,
        Op::ProblemsCollect,
        Op::ProblemSheetsZip,
        Op::LettersZip,
        Op::Report,
        Op::PackageDir,
        Op::PackageZip,
    ];
    let mut references: BTreeMap<Op, Reference> = BTreeMap::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut tally: BTreeMap<Op, Tally> = BTreeMap::new();
    let mut failures = Vec::<String>::new();
    let mut runs = 0usize;
    // Round robin, at least three runs of each operation however slow the machine.
    while started.elapsed() < budget || runs < 3 * ops.len() {
        let op = ops[runs % ops.len()];
        let work = root.path().join(format!("run{runs}"));
        let out_dir = root.path().join(format!("out{runs}"));
        std::fs::create_dir_all(&out_dir).expect("mkdir");
        let (data, args) = setup(op, &t, &work, &out_dir);
        let damaged = if op == Op::RecoverDamaged {
            std::fs::read(data.join("shifan.db")).expect("damaged db")
        } else {
            Vec::new()
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out_file = out_dir.join("交接.shifan");
        let entry = tally.entry(op).or_default();
        entry.runs += 1;
        runs += 1;

        // The first run of each operation goes to the end: the reference.
        let Some(reference) = references.get(&op) else {
            let before = if op.changes_tables() {
                counts(&data).expect("counts")
            } else {
                Counts::new()
            };
            let start = Instant::now();
            let r = run_ok(&data, &argv);
            let took = start.elapsed();
            let after = if op.changes_tables() {
                counts(&data).expect("counts")
            } else {
                Counts::new()
            };
            let archive = if op.exports_archive() {
                listing(&archive_target(op, &out_dir)).ok().flatten()
            } else if op.writes_output() {
                output_whole(&output_target(op, &out_dir)).ok().flatten()
            } else {
                None
            };
            let clean = !op.writes_output()
                || litter(&out_dir, &output_target(op, &out_dir)).is_ok_and(|l| l.is_empty());
            match r {
                Ok(()) if op.exports_archive() && archive.as_ref().is_none_or(|l| l.len() < 50) => {
                    failures.push(format!("{op:?}: the reference run wrote {archive:?}"));
                }
                Ok(())
                    if op.writes_output()
                        && (archive.as_ref().is_none_or(|l| l.len() < 4) || !clean) =>
                {
                    failures.push(format!(
                        "{op:?}: the reference run wrote {archive:?}, left beside it {:?}",
                        litter(&out_dir, &output_target(op, &out_dir))
                    ));
                }
                Ok(()) if !op.changes_tables() || without_log(&after) != without_log(&before) => {
                    references.insert(
                        op,
                        Reference {
                            took,
                            before,
                            after,
                            listing: archive,
                        },
                    );
                }
                Ok(()) => failures.push(format!("{op:?}: the reference run changed nothing")),
                Err(e) => failures.push(format!("{op:?}: the reference run failed: {e}")),
            }
            let _ = std::fs::remove_dir_all(&work);
            let _ = std::fs::remove_dir_all(&out_dir);
            continue;
        };

        let window = reference.took.as_millis() as u64 + 20;
        let mut child = cmd(&data, &argv).spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(rng.below(window)));
        let killed = matches!(child.try_wait(), Ok(None));
        let _ = child.kill(); // SIGKILL on unix, TerminateProcess on Windows
        let _ = child.wait();
        if killed {
            entry.kills += 1;
        }
        let check = (|| -> Result<(), String> {
            if op == Op::RecoverDamaged {
                check_recovery(&data, &damaged)?;
                run_ok(&data, &argv)?;
                check_db(&data)?;
                return check_recovery(&data, &damaged);
            }
            check_db(&data)?;
            if op.changes_tables() {
                let now = counts(&data)?;
                if now != reference.before && now != reference.after {
                    return Err(format!(
                        "half-applied: {now:?}, neither before {:?} nor after {:?}",
                        reference.before, reference.after
                    ));
                }
            }
            if op.exports_units() {
                exported_sheets(&data, &out_dir, op)?;
            }
            if op == Op::EvidenceAdd {
                evidence_whole(&data)?;
            }
            if op.exports_archive() {
                let target = archive_target(op, &out_dir);
                if let Some(l) = listing(&target)?
                    && Some(&l) != reference.listing.as_ref()
                {
                    return Err(format!(
                        "a partial archive under its final name: {} files",
                        l.len()
                    ));
                }
            }
            if matches!(op, Op::ProblemSheetsZip | Op::LettersZip) {
                problem_files(&data, &out_dir, op)?;
            }
            if op == Op::EvalExportZip {
                scoring_sheets(&data, &out_dir)?;
            }
            let mut left_by_kill = std::collections::BTreeSet::new();
            if op.writes_output() {
                let target = output_target(op, &out_dir);
                if let Some(l) = output_whole(&target)?
                    && Some(&l) != reference.listing.as_ref()
                {
                    return Err(format!(
                        "a partial {} under its final name: {} entries, not {:?}",
                        target.display(),
                        l.len(),
                        reference.listing.as_ref().map(Vec::len)
                    ));
                }
                left_by_kill = litter(&out_dir, &target)?;
            }
            if out_file.exists() {
                // A hand-over file under its final name is always whole.
                let probe = work.join("probe");
                run_ok(
                    &probe,
                    &[
                        "handover",
                        "import",
                        out_file.to_str().unwrap_or(""),
                        "--preview",
                    ],
                )
                .map_err(|e| format!("partial hand-over file: {e}"))?;
            }
            // Re-running completes the operation. A hand-over import that had completed before
            // the kill is refused the second time: the folder now holds the imported campaign,
            // which is real work that no hand-over replaces.
            match run_ok(&data, &argv) {
                Err(e) if op == Op::HandoverImport && e.contains("已有正式创建项目") => {
                    let c = run_json(&data, &["campaigns", "list"])?;
                    if !c.as_array().is_some_and(|v| {
                        v.iter()
                            .any(|c| c["district"] == "曾都区" && c["active"] == true)
                    }) {
                        return Err(format!("refused, but the campaign is not here: {c}"));
                    }
                }
                other => other?,
            }
            let (_, leaves) = check_db(&data)?;
            match op {
                Op::Import if leaves != 104 => Err("import not completed on re-run".into()),
                Op::HandoverExport if !out_file.exists() => Err("export not completed".into()),
                Op::EvalExportZip => match scoring_sheets(&data, &out_dir)? {
                    Some(3) => Ok(()),
                    other => Err(format!("re-run exported {other:?} scoring sheets, not 3")),
                },
                Op::UnitsImport
                | Op::TasksImport
                | Op::Collect
                | Op::ProblemsImport
                | Op::ProblemsCollect
                | Op::EvalCollect => {
                    let now = counts(&data)?;
                    if without_log(&now) == without_log(&reference.after) {
                        Ok(())
                    } else {
                        Err(format!("re-run ends at {now:?}, not {:?}", reference.after))
                    }
                }
                Op::ExportUnitsDir | Op::ExportUnitsZip => {
                    // Every unit with a task: all but 府河镇 (a 镇, which "各街道" does not name).
                    match exported_sheets(&data, &out_dir, op)? {
                        Some(19) => Ok(()),
                        other => Err(format!("re-run exported {other:?} sheets, not 19")),
                    }
                }
                Op::EvidenceAdd => {
                    let now = counts(&data)?;
                    if without_log(&now) != without_log(&reference.after) {
                        return Err(format!("re-run ends at {now:?}, not {:?}", reference.after));
                    }
                    evidence_whole(&data)?;
                    match temp_objects(&data) {
                        0 => Ok(()),
                        n => Err(format!("{n} temp files left in the store after the re-run")),
                    }
                }
                Op::ArchiveDir | Op::ArchiveZip => {
                    let l = listing(&archive_target(op, &out_dir))?;
                    if l.as_ref() == reference.listing.as_ref() {
                        Ok(())
                    } else {
                        Err(format!("re-run wrote {:?} files", l.map(|l| l.len())))
                    }
                }
                Op::Report | Op::PackageDir | Op::PackageZip => {
                    let target = output_target(op, &out_dir);
                    let l = output_whole(&target)?;
                    if l.as_ref() != reference.listing.as_ref() {
                        return Err(format!("re-run wrote {:?} entries", l.map(|l| l.len())));
                    }
                    let left = litter(&out_dir, &target)?;
                    match left.difference(&left_by_kill).next() {
                        Some(n) => Err(format!("the re-run left “{n}” beside its output")),
                        None => Ok(()),
                    }
                }
                Op::ProblemSheetsZip | Op::LettersZip => {
                    match problem_files(&data, &out_dir, op)? {
                        Some(16) => Ok(()),
                        other => Err(format!("re-run wrote {other:?} files, not 16")),
                    }
                }
                _ => Ok(()),
            }
        })();
        if let Err(e) = check {
            entry.failures += 1;
            failures.push(format!("run {runs} {op:?} (killed={killed}): {e}"));
        }
        let _ = std::fs::remove_dir_all(&work);
        let _ = std::fs::remove_dir_all(&out_dir);
    }
    let kills: u32 = tally.values().map(|t| t.kills).sum();
    for (op, t) in &tally {
        let took = references.get(op).map(|r| r.took).unwrap_or_default();
        println!(
            "crash harness {op:?}: {} runs, {} kills mid-operation, {} failures (one run takes {took:?})",
            t.runs, t.kills, t.failures
        );
    }
    println!(
        "crash harness: {runs} runs, {kills} kills mid-operation, {} failures in {:?}",
        failures.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
