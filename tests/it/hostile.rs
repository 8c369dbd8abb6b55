//! Hostile input catalog: every bad file an office PC may meet (tests/fixtures/hostile/, made by
//! fixtures/make/make_hostile_fixtures.py, plus the indicator fixtures) either imports correctly
//! or is refused with a clear Chinese message — never a panic, and the database unchanged on
//! error. The same through the 单位名单 import, the 任务分解表 import and collecting per-unit
//! sheets (with hostile/{units,tasks,collect} from make_hostile_import_fixtures.py), collecting
//! the experts' scoring sheets (hostile/eval from make_eval_fixtures.py), sheets of
//! 99 999 and 1 000 000 rows, and deterministic mutation fuzzers over real fixtures' bytes for
//! every importer (docs/fuzzing.md).

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shifan_core::Workspace;
use shifan_tests::{fingerprint, fixture, with_demo_campaign};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What happened to one file.
enum Outcome {
    Imported(i64),
    Refused(String),
}

/// Preview then (if it can apply) apply; checks the invariants common to every input and
/// returns what happened, or a failure description.
fn try_import(ws: &mut Workspace, path: &Path) -> Result<Outcome, String> {
    let before = fingerprint(ws);
    let name = path.display().to_string();
    let r = catch_unwind(AssertUnwindSafe(|| {
        match ws.preview(
            &shifan_core::IndicatorImport::new(path, false),
            &shifan_core::Job::quiet(),
        ) {
            Ok(p) if p.can_apply => ws
                .apply(
                    &shifan_core::IndicatorImport::new(path, false),
                    &shifan_core::Job::quiet(),
                )
                .map(|s| Outcome::Imported(s.leaf_count)),
            Ok(p) => Err(shifan_core::Error::Import {
                file: p.file_name,
                issues: p.issues,
            }),
            Err(e) => Err(e),
        }
    }));
    match r {
        Err(_) => Err(format!("{name}: PANIC")),
        Ok(Ok(o)) => Ok(o),
        Ok(Err(e)) => {
            let msg = e.to_string();
            if !has_cjk(&msg) {
                return Err(format!("{name}: message not Chinese: {msg}"));
            }
            if fingerprint(ws) != before {
                return Err(format!("{name}: database changed although refused"));
            }
            // Applying must refuse the same way (never half-apply).
            if let Err(e2) = ws.apply(
                &shifan_core::IndicatorImport::new(path, false),
                &shifan_core::Job::quiet(),
            ) && fingerprint(ws) != before
            {
                return Err(format!("{name}: apply changed the database: {e2}"));
            }
            Ok(Outcome::Refused(msg))
        }
    }
}

fn catalog() -> Vec<(PathBuf, String, Option<i64>)> {
    let mut v = Vec::new();
    for (dir, manifest) in [
        ("hostile", "hostile/manifest.json"),
        ("indicators", "indicators/manifest.json"),
    ] {
        let text = std::fs::read_to_string(fixture(manifest)).expect("manifest");
        let entries: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
        for e in entries {
            let file = e["file"].as_str().expect("file");
            v.push((
                fixture(&format!("{dir}/{file}")),
                e["expect"].as_str().unwrap_or("any").to_string(),
                e["leaf_count"].as_i64(),
            ));
        }
    }
    v
}

#[test]
fn hostile_catalog_imports_correctly_or_refuses_in_chinese_without_changing_anything() {
    let files = catalog();
    assert!(
        files
            .iter()
            .filter(|f| f.0.starts_with(fixture("hostile")))
            .count()
            >= 40,
        "at least 40 hostile fixtures"
    );
    let (_d, mut ws) = with_demo_campaign();
    let mut failures = Vec::new();
    let mut passed = 0;
    for (path, expect, leaves) in &files {
        let start = Instant::now();
        let r = try_import(&mut ws, path);
        let took = start.elapsed();
        let verdict = match (&r, expect.as_str()) {
            (Err(f), _) => Err(f.clone()),
            (Ok(Outcome::Imported(n)), "ok" | "any") => match leaves {
                Some(want) if want != n => {
                    Err(format!("{}: {n} leaves, want {want}", path.display()))
                }
                _ => Ok(()),
            },
            (Ok(Outcome::Refused(_)), "error" | "any") => Ok(()),
            (Ok(Outcome::Imported(n)), _) => Err(format!(
                "{}: imported {n} leaves, expected a refusal",
                path.display()
            )),
            (Ok(Outcome::Refused(m)), _) => Err(format!(
                "{}: refused, expected an import: {m}",
                path.display()
            )),
        };
        let verdict = verdict.and_then(|()| {
            if took > Duration::from_secs(20) {
                Err(format!("{}: took {took:?}", path.display()))
            } else {
                Ok(())
            }
        });
        match verdict {
            Ok(()) => passed += 1,
            Err(f) => failures.push(f),
        }
    }
    // Nothing escaped the temp folders (../ and absolute zip entries are never extracted).
    assert!(!Path::new("/tmp/shifan-evil.txt").exists());
    println!(
        "hostile catalog: tried {}, passing {}, failing {}",
        files.len(),
        passed,
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A 1 000 000-row sheet, written at test time (never committed): the reader refuses it or
/// reads within its row cap, quickly and without exhausting memory.
#[test]
fn a_million_row_sheet_is_read_within_bounds_or_refused_quickly() {
    let d = tempfile::tempdir().expect("tmp");
    let path = d.path().join("百万行.xlsx");
    write_big_xlsx(&path, 1_000_000, &["序号", "三级指标"], |r| {
        vec![format!("指标{r}")]
    });
    let (_d, mut ws) = with_demo_campaign();
    let start = Instant::now();
    let r = try_import(&mut ws, &path);
    let took = start.elapsed();
    println!(
        "1 000 000-row sheet: {:?} in {took:?}",
        r.as_ref().map(|o| match o {
            Outcome::Imported(n) => format!("imported {n}"),
            Outcome::Refused(m) => format!("refused: {}", m.lines().next().unwrap_or("")),
        })
    );
    assert!(r.is_ok(), "{:?}", r.err());
    assert!(took < Duration::from_secs(90), "took {took:?}");
}

/// Just inside the reader's row cap (99 999 rows) as a 单位名单, a 任务分解表 and a returned
/// per-unit sheet: refused (the units list is capped, the task rows name no indicator) or
/// collected, within a minute, with a Chinese message naming the file; a refusal changes
/// nothing.
#[test]
fn sheets_of_a_hundred_thousand_rows_go_through_every_importer_quickly() {
    let d = tempfile::tempdir().expect("tmp");
    let units = d.path().join("十万行单位名单.xlsx");
    write_big_xlsx(
        &units,
        99_999,
        &["序号", "单位名称", "单位类别"],
        |r| vec![format!("测试单位{r}"), "其他".into()],
    );
    let tasks = d.path().join("十万行任务分解表.xlsx");
    write_big_xlsx(
        &tasks,
        99_999,
        &["三级指标序号", "牵头单位"],
        |_| vec!["区司法局".into()],
    );
    let sheet = d.path().join("区司法局-十万行.xlsx");
    write_big_xlsx(&sheet, 99_999, &["指标序号", "完成情况"], |_| {
        vec!["已完成".into()]
    });
    let scores = d.path().join("模拟评估一-张卫东-十万行评分表.xlsx");
    write_big_xlsx(
        &scores,
        99_999,
        &["指标序号", "评估组评分"],
        |_| vec!["8".into()],
    );
    let (_t, mut ws) = shifan_tests::exported();
    let (_e, mut eval_ws) = shifan_tests::eval_exported();
    for (importer, path, expect, words) in [
        (Importer::Units, &units, "error", "超过 1000 个单位"),
        (Importer::Tasks, &tasks, "error", "没有序号为 99998 的指标"),
        (Importer::Collect, &sheet, "ok", "已不再由“区司法局”承担"),
        (Importer::Scores, &scores, "error", "没有分配给“张卫东”评分"),
    ] {
        let ws = if importer == Importer::Scores {
            &mut eval_ws
        } else {
            &mut ws
        };
        let case = Case {
            path: path.clone(),
            name: path.file_name().expect("name").to_string_lossy().into(),
            expect: expect.into(),
            spec: serde_json::json!({ "message": words }),
        };
        let start = Instant::now();
        let done = try_importer(ws, importer, &case).unwrap_or_else(|f| panic!("{f}"));
        let took = start.elapsed();
        let line = match &done {
            Done::Imported(v) => format!("imported, {} changes", v["changeCount"]),
            Done::Refused { message, .. } => message.lines().next().unwrap_or("").to_string(),
        };
        println!("99 999-row sheet through {importer:?}: {line} in {took:?}");
        verdict(ws, importer, &case, &done).unwrap_or_else(|f| panic!("{f}"));
        assert!(took < Duration::from_secs(60), "{importer:?} took {took:?}");
    }
}

/// Minimal xlsx with `rows` rows: a number (row - 1) in column A, then the inline texts `row`
/// gives, under `header`; streamed through the zip writer.
fn write_big_xlsx(path: &Path, rows: u32, header: &[&str], row: impl Fn(u32) -> Vec<String>) {
    let f = std::fs::File::create(path).expect("create");
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(f));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="指标" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, body) in parts {
        z.start_file(name, o).expect("start");
        z.write_all(body.as_bytes()).expect("write");
    }
    z.start_file("xl/worksheets/sheet1.xml", o).expect("start");
    let col = |i: usize| char::from(b'A' + i as u8);
    let mut buf = String::with_capacity(1 << 20);
    buf.push_str(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#);
    for (i, h) in header.iter().enumerate() {
        buf.push_str(&format!(
            r#"<c r="{}1" t="inlineStr"><is><t>{h}</t></is></c>"#,
            col(i)
        ));
    }
    buf.push_str("</row>");
    for r in 2..=rows {
        buf.push_str(&format!(r#"<row r="{r}"><c r="A{r}"><v>{}</v></c>"#, r - 1));
        for (i, v) in row(r).iter().enumerate() {
            buf.push_str(&format!(
                r#"<c r="{}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#,
                col(i + 1)
            ));
        }
        buf.push_str("</row>");
        if buf.len() > 1 << 20 {
            z.write_all(buf.as_bytes()).expect("w");
            buf.clear();
        }
    }
    buf.push_str("</sheetData></worksheet>");
    z.write_all(buf.as_bytes()).expect("w");
    z.finish().expect("finish");
}

// ----------------------------------------------------------------------------------------------
// Deterministic mutation fuzzer over real fixtures (bounded; long runs: docs/fuzzing.md).

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of `bytes`: bit flips, truncation, a zeroed run, a duplicated slice, or a
/// corrupted zip entry (its data region overwritten).
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    if b.is_empty() {
        return b;
    }
    match rng.below(6) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        1 => b.truncate(rng.below(b.len())),
        2 => {
            let i = rng.below(b.len());
            let n = (1 + rng.below(512)).min(b.len() - i);
            b[i..i + n].fill(0);
        }
        3 => {
            let i = rng.below(b.len());
            let n = (1 + rng.below(4096)).min(b.len() - i);
            let slice = b[i..i + n].to_vec();
            let at = rng.below(b.len());
            b.splice(at..at, slice);
        }
        4 => {
            // Corrupt inside a zip entry: find a local header and scramble bytes after it.
            let heads: Vec<usize> = b
                .windows(4)
                .enumerate()
                .filter(|(_, w)| *w == b"PK\x03\x04")
                .map(|(i, _)| i)
                .collect();
            if !heads.is_empty() {
                let h = heads[rng.below(heads.len())];
                let start = (h + 30 + rng.below(64)).min(b.len());
                let end = (start + 1 + rng.below(256)).min(b.len());
                for x in &mut b[start..end] {
                    *x = (rng.next() & 0xff) as u8;
                }
            }
        }
        _ => {
            // Damage the central directory (end of file).
            let n = (1 + rng.below(200)).min(b.len());
            let start = b.len() - n;
            for x in &mut b[start..] {
                *x = (rng.next() & 0xff) as u8;
            }
        }
    }
    b
}

/// Cases and time budget of one fuzz test: `SHIFAN_FUZZ_CASES` / `SHIFAN_FUZZ_SECS` for long
/// local runs (docs/fuzzing.md), else the CI defaults.
fn fuzz_limits(cases: usize, secs: u64) -> (usize, Duration) {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    (
        env("SHIFAN_FUZZ_CASES").map_or(cases, |n| n as usize),
        Duration::from_secs(env("SHIFAN_FUZZ_SECS").unwrap_or(secs)),
    )
}

#[test]
fn fuzz_importer_entry_points_with_mutated_fixtures() {
    let seeds = [
        "indicators/official-merged-title-rows.xlsx",
        "indicators/two-row-header-wps.xlsx",
        "indicators/four-level.xlsx",
        "indicators/libreoffice-made.ods",
        "indicators/libreoffice-made.xls",
        "indicators/official-table.docx",
        "indicators/official-table-gridspan.docx",
        "hostile/dates-ten-formats.xlsx",
        // Word revisions, content controls, automatic numbering, nested and continued tables,
        // hidden rows and columns, a system over several sheets (tests/fixtures/fidelity/).
        "fidelity/indicators/indicators-word-tracked-changes-python-docx.docx",
        "fidelity/indicators/indicators-word-content-controls-python-docx.docx",
        "fidelity/indicators/indicators-word-auto-numbering-python-docx.docx",
        "fidelity/indicators/indicators-word-nested-layout-table-python-docx.docx",
        "fidelity/indicators/indicators-word-continued-table-python-docx.docx",
        "fidelity/indicators/indicators-hidden-withdrawn-row-openpyxl.xlsx",
        "fidelity/indicators/indicators-one-sheet-per-aspect-libreoffice.xlsx",
        "fidelity-variants/indicators/ods-hidden-row-and-column-libreoffice.ods",
    ];
    let (cases, budget) = fuzz_limits(240, 35);
    let started = Instant::now();
    let (d, mut ws) = with_demo_campaign();
    let mut rng = Rng(0x5EED_5EED_1234_5678);
    let (mut run, mut imported, mut refused) = (0, 0, 0);
    let mut failures = Vec::new();
    for i in 0..cases {
        // The budget stops a long run, never before the floor of cases: a slow or busy
        // machine runs the floor, not fewer.
        if run >= 100 && started.elapsed() > budget {
            break;
        }
        let seed = seeds[i % seeds.len()];
        let bytes = std::fs::read(fixture(seed)).expect("seed");
        let m = mutate(&bytes, &mut rng);
        let ext = Path::new(seed)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("xlsx");
        let p = d.path().join(format!("变异{i}.{ext}"));
        std::fs::write(&p, &m).expect("write");
        // Entry point 1: the table reader on bytes.
        let r0 =
            catch_unwind(|| shifan_core::sheet::read_tables_from_bytes("变异.xlsx", m.clone()));
        if r0.is_err() {
            failures.push(format!(
                "case {i} ({seed}): read_tables_from_bytes panicked"
            ));
        }
        // Entry points 2 and 3: preview and apply through the workspace.
        match try_import(&mut ws, &p) {
            Ok(Outcome::Imported(_)) => imported += 1,
            Ok(Outcome::Refused(_)) => refused += 1,
            Err(f) => failures.push(format!("case {i} ({seed}): {f}")),
        }
        let _ = std::fs::remove_file(&p);
        run += 1;
    }
    println!(
        "fuzz: {run} cases in {:?} ({imported} imported, {refused} refused), {} failures",
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

// ----------------------------------------------------------------------------------------------
// The same catalog through the 单位名单 import, the 任务分解表 import and collecting per-unit
// sheets (single file, folder, zip): the generic files above plus the layout-specific ones of
// tests/fixtures/hostile/{units,tasks,collect} (fixtures/make/make_hostile_import_fixtures.py).

/// Which importer a case goes through.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Importer {
    Units,
    Tasks,
    Collect,
    /// 导入问题清单.
    Problems,
    /// 收回问题整改表.
    ProblemsCollect,
    /// 收回专家评分表.
    Scores,
}

/// A prepared data folder; each case that imports gets a fresh copy (refusals leave it as it
/// was, which every case checks).
struct Base {
    _dir: tempfile::TempDir,
    data: PathBuf,
}

impl Base {
    fn new(make: fn() -> (tempfile::TempDir, Workspace)) -> Base {
        let (dir, ws) = make();
        let data = ws.data_dir().to_path_buf();
        drop(ws);
        Base { _dir: dir, data }
    }

    fn open(&self) -> (tempfile::TempDir, Workspace) {
        let d = tempfile::tempdir().expect("tmp");
        let data = d.path().join("数据 文件夹");
        copy_tree(&self.data, &data);
        let ws = Workspace::open(&data).expect("open copy");
        (d, ws)
    }
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &dst.join(e.file_name()));
        } else {
            std::fs::copy(&p, dst.join(e.file_name())).expect("copy");
        }
    }
}

/// One case: a file or folder, what must happen, and what to check.
#[derive(Clone, Debug)]
struct Case {
    path: PathBuf,
    /// Name the refusal must mention (the file, or the bad file inside a folder or zip).
    name: String,
    expect: String,
    spec: serde_json::Value,
}

/// What an importer did with a case.
enum Done {
    /// Applied; the preview as JSON.
    Imported(serde_json::Value),
    Refused {
        message: String,
        issues: Vec<shifan_core::model::ImportIssue>,
    },
}

fn run_importer(
    ws: &mut Workspace,
    importer: Importer,
    path: &Path,
    apply: bool,
) -> Result<(bool, serde_json::Value), shifan_core::Error> {
    macro_rules! json {
        ($p:expr) => {
            serde_json::to_value($p).unwrap_or_default()
        };
    }
    let opts = shifan_core::tasks::import::TasksImportOptions::default();
    Ok(match (importer, apply) {
        (Importer::Units, false) => {
            let p = ws.preview(
                &shifan_core::UnitsImport::new(path),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Units, true) => {
            let p = ws.apply(
                &shifan_core::UnitsImport::new(path),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Tasks, false) => {
            let p = ws.preview(
                &shifan_core::TasksImport::new(path, opts),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Tasks, true) => {
            let p = ws.apply(
                &shifan_core::TasksImport::new(path, opts),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Collect, false) => {
            let p = ws.preview(
                &shifan_core::CollectImport::new(path),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Collect, true) => {
            let p = ws.apply(
                &shifan_core::CollectImport::new(path),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Problems, apply) => {
            let imp = shifan_core::ProblemsImport::new(
                path,
                shifan_core::problems::import::ProblemsImportOptions::default(),
            );
            let p = if apply {
                ws.apply(&imp, &shifan_core::Job::quiet())?
            } else {
                ws.preview(&imp, &shifan_core::Job::quiet())?
            };
            (p.can_apply, json!(&p))
        }
        (Importer::ProblemsCollect, apply) => {
            let imp = shifan_core::ProblemsCollect::new(path);
            let p = if apply {
                ws.apply(&imp, &shifan_core::Job::quiet())?
            } else {
                ws.preview(&imp, &shifan_core::Job::quiet())?
            };
            (p.can_apply, json!(&p))
        }
        (Importer::Scores, false) => {
            let p = ws.preview(
                &shifan_core::ScoreSheetsImport::new(path),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
        (Importer::Scores, true) => {
            let p = ws.apply(
                &shifan_core::ScoreSheetsImport::new(path),
                &shifan_core::Job::quiet(),
            )?;
            (p.can_apply, json!(&p))
        }
    })
}

/// Preview then apply, checking the invariants of every input: no panic; a refusal is Chinese,
/// names the file and leaves the database as it was; a preview that cannot apply is refused
/// by apply too, without changing anything.
fn try_importer(ws: &mut Workspace, importer: Importer, case: &Case) -> Result<Done, String> {
    let before = fingerprint(ws);
    let what = format!("{importer:?} {}", case.path.display());
    type Applied = Result<serde_json::Value, shifan_core::Error>;
    // (outcome, whether apply was already tried on a refused preview)
    let r = catch_unwind(AssertUnwindSafe(|| -> Result<(Applied, bool), String> {
        match run_importer(ws, importer, &case.path, false) {
            Ok((true, _)) => Ok((
                run_importer(ws, importer, &case.path, true).map(|(_, v)| v),
                true,
            )),
            Ok((false, _)) => match run_importer(ws, importer, &case.path, true) {
                Ok(_) => Err("preview refused but apply went through".into()),
                Err(e) => Ok((Err(e), true)),
            },
            Err(e) => Ok((Err(e), false)),
        }
    }));
    let r = match r {
        Err(_) => return Err(format!("{what}: PANIC")),
        Ok(Err(f)) => return Err(format!("{what}: {f}")),
        Ok(Ok(r)) => r,
    };
    let (r, apply_tried) = r;
    match r {
        Ok(v) => Ok(Done::Imported(v)),
        Err(e) => {
            let message = e.to_string();
            if !has_cjk(&message) {
                return Err(format!("{what}: message not Chinese: {message}"));
            }
            let issues = e.issues().to_vec();
            for m in std::iter::once(&message).chain(issues.iter().map(|i| &i.message)) {
                if let Some(w) = shifan_tests::english_in(m) {
                    return Err(format!("{what}: English “{w}” in: {m}"));
                }
            }
            if !message.contains(&case.name) {
                return Err(format!(
                    "{what}: message does not name “{}”: {message}",
                    case.name
                ));
            }
            if fingerprint(ws) != before {
                return Err(format!("{what}: database changed although refused"));
            }
            // Applying directly (without a preview) refuses the same way.
            if !apply_tried
                && (run_importer(ws, importer, &case.path, true).is_ok()
                    || fingerprint(ws) != before)
            {
                return Err(format!(
                    "{what}: apply without preview changed the database"
                ));
            }
            Ok(Done::Refused { message, issues })
        }
    }
}

/// Check a case's outcome against its expectation and counts.
fn verdict(ws: &Workspace, importer: Importer, case: &Case, done: &Done) -> Result<(), String> {
    let what = format!("{importer:?} {}", case.path.display());
    let spec = &case.spec;
    let words = spec["message"].as_str();
    match (done, case.expect.as_str()) {
        (Done::Refused { message, issues }, "error" | "any") => {
            if let Some(w) = words
                && !message.contains(w)
                && !issues.iter().any(|i| i.message.contains(w))
            {
                return Err(format!("{what}: refusal lacks “{w}”: {message}"));
            }
            if spec["place"].as_bool() == Some(true)
                && !issues.iter().any(|i| {
                    i.severity == shifan_core::model::Severity::Error
                        && i.row.is_some()
                        && i.col.is_some()
                        && i.sheet.is_some()
                })
            {
                return Err(format!(
                    "{what}: no error names sheet, row and column: {message}"
                ));
            }
            Ok(())
        }
        (Done::Imported(v), "ok" | "any") => {
            if let Some(w) = words
                && !v.to_string().contains(w)
            {
                return Err(format!("{what}: imported, but nothing says “{w}”"));
            }
            let count = |k: &str| spec[k].as_i64();
            let got = |p: &str| v.pointer(p).and_then(|x| x.as_i64());
            let checks: [(&str, Option<i64>, Option<i64>); 4] = [
                (
                    "created",
                    count("created"),
                    v["created"].as_array().map(|a| a.len() as i64),
                ),
                ("rows", count("rows"), got("/rows")),
                (
                    "sheets",
                    count("sheets"),
                    v["sheets"].as_array().map(|a| a.len() as i64),
                ),
                ("changes", count("changes"), got("/changeCount")),
            ];
            for (k, want, have) in checks {
                if let Some(want) = want
                    && Some(want) != have
                {
                    return Err(format!("{what}: {k} {have:?}, want {want}"));
                }
            }
            if let Some(m) = spec["matched_by"].as_str()
                && v.pointer("/sheets/0/matchedBy").and_then(|x| x.as_str()) != Some(m)
            {
                return Err(format!(
                    "{what}: matched by {:?}, want {m}",
                    v.pointer("/sheets/0/matchedBy")
                ));
            }
            stored_checks(ws, case, &what)
        }
        (Done::Imported(_), want) => Err(format!("{what}: imported, expected {want}")),
        (Done::Refused { message, .. }, want) => {
            Err(format!("{what}: refused, expected {want}: {message}"))
        }
    }
}

/// What the import stored, where the manifest says what it must be.
fn stored_checks(ws: &Workspace, case: &Case, what: &str) -> Result<(), String> {
    let spec = &case.spec;
    if let Some(want) = spec["deadlines"].as_object() {
        let all = ws
            .list_assignments(&shifan_core::tasks::AssignmentFilter::default())
            .map_err(|e| e.to_string())?;
        for (no, date) in want {
            let a = all
                .iter()
                .find(|a| a.no.to_string() == *no)
                .ok_or(format!("{what}: no assignment {no}"))?;
            if a.deadline_date.as_deref() != date.as_str() {
                return Err(format!(
                    "{what}: 完成时限 “{}” of {no} read as {:?}, want {date}",
                    a.deadline_text, a.deadline_date
                ));
            }
        }
    }
    if let Some(want) = spec["longest_task"].as_u64() {
        let all = ws
            .list_assignments(&shifan_core::tasks::AssignmentFilter::default())
            .map_err(|e| e.to_string())?;
        let longest = all
            .iter()
            .map(|a| a.task.chars().count())
            .max()
            .unwrap_or(0);
        if longest as u64 != want {
            return Err(format!("{what}: longest 创建任务 {longest}, want {want}"));
        }
    }
    if let Some(want) = spec["longest_explanation"].as_u64() {
        let mut longest = 0;
        for u in ws.list_units().map_err(|e| e.to_string())? {
            for (_, fill) in ws.unit_reports(u.id).map_err(|e| e.to_string())? {
                longest = longest.max(fill.explanation.chars().count());
            }
        }
        if longest as u64 != want {
            return Err(format!("{what}: longest 自评说明 {longest}, want {want}"));
        }
    }
    // Nothing invisible or control reaches a stored unit name.
    for u in ws.list_units().map_err(|e| e.to_string())? {
        if u.name.chars().any(|c| {
            c.is_control() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
        }) {
            return Err(format!(
                "{what}: unit name with invisible characters: {:?}",
                u.name
            ));
        }
    }
    Ok(())
}

fn read_manifest(rel: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixture(rel)).expect("manifest");
    serde_json::from_str(&text).expect("json")
}

/// The generic hostile files with the expectation of `key` ("units", "tasks", "collect").
fn generic_cases(key: &str) -> Vec<Case> {
    read_manifest("hostile/manifest.json")
        .into_iter()
        .map(|e| {
            let file = e["file"].as_str().expect("file").to_string();
            let path = fixture(&format!("hostile/{file}"));
            Case {
                name: path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                path,
                expect: e[key].as_str().unwrap_or("error").to_string(),
                spec: serde_json::Value::Null,
            }
        })
        .collect()
}

/// The cases of one sub-folder of tests/fixtures/hostile.
fn specific_cases(dir: &str) -> Vec<Case> {
    read_manifest(&format!("hostile/{dir}/manifest.json"))
        .into_iter()
        .map(|e| {
            let file = e["file"].as_str().expect("file").to_string();
            Case {
                path: fixture(&format!("hostile/{dir}/{file}")),
                expect: e["expect"].as_str().unwrap_or("any").to_string(),
                name: file,
                spec: e,
            }
        })
        .collect()
}

/// Run `cases` through `importer` on copies of `base`; returns (tried, failures).
fn run_catalog(base: &Base, importer: Importer, cases: &[Case]) -> (usize, Vec<String>) {
    let (mut _d, mut ws) = base.open();
    let mut failures = Vec::new();
    for case in cases {
        let start = Instant::now();
        let r = try_importer(&mut ws, importer, case);
        let took = start.elapsed();
        let v = r.and_then(|done| {
            let v = verdict(&ws, importer, case, &done);
            if matches!(done, Done::Imported(_)) {
                // Start the next case from the prepared state again.
                drop(std::mem::replace(&mut ws, base.open().1));
            }
            v
        });
        let v = v.and_then(|()| {
            if took > Duration::from_secs(20) {
                Err(format!("{}: took {took:?}", case.path.display()))
            } else {
                Ok(())
            }
        });
        if let Err(f) = v {
            failures.push(f);
        }
    }
    // Nothing escaped the temp folders (../ and absolute zip entries are never extracted).
    assert!(!Path::new("/tmp/shifan-evil.txt").exists());
    assert!(!Path::new("/etc/区财政局-创建任务工作表.xlsx").exists());
    (cases.len(), failures)
}

fn report(label: &str, tried: usize, failures: &[String]) {
    println!(
        "hostile catalog ({label}): tried {tried}, passing {}, failing {}",
        tried - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn hostile_catalog_through_the_units_import() {
    let base = Base::new(|| {
        let (d, mut ws) = with_demo_campaign();
        ws.apply(
            &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
            &shifan_core::Job::quiet(),
        )
        .expect("units");
        (d, ws)
    });
    let mut cases = generic_cases("units");
    let specific = specific_cases("units");
    assert!(specific.len() >= 15, "units fixtures");
    cases.extend(specific);
    let (tried, failures) = run_catalog(&base, Importer::Units, &cases);
    report("单位名单", tried, &failures);
}

#[test]
fn hostile_catalog_through_the_tasks_import() {
    let base = Base::new(shifan_tests::with_tasks);
    let mut cases = generic_cases("tasks");
    let specific = specific_cases("tasks");
    assert!(specific.len() >= 15, "tasks fixtures");
    cases.extend(specific);
    let (tried, failures) = run_catalog(&base, Importer::Tasks, &cases);
    report("任务分解表", tried, &failures);
}

fn collect_cases() -> Vec<Case> {
    let mut cases = generic_cases("collect");
    cases.extend(specific_cases("collect"));
    cases
}

#[test]
fn hostile_catalog_through_collect_single_files_zips_and_folders() {
    let base = Base::new(shifan_tests::exported);
    let cases = collect_cases();
    assert!(
        cases
            .iter()
            .filter(|c| c.path.extension().is_some_and(|e| e == "zip"))
            .count()
            >= 8,
        "collect zip fixtures"
    );
    let (tried, failures) = run_catalog(&base, Importer::Collect, &cases);
    report("收回，单个文件/压缩包/文件夹", tried, &failures);
}

/// Every single-file case again, beside a good sheet of another unit, in a folder and in a
/// zip: one bad file refuses the whole collect (nothing applied, the bad file named), files
/// that are not spreadsheets are ignored.
#[test]
fn hostile_catalog_through_collect_beside_a_good_sheet_in_a_folder_and_a_zip() {
    let base = Base::new(shifan_tests::exported);
    let companion = fixture("hostile/collect/companion-区住房和城乡建设局.xlsx");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut cases = Vec::new();
    for (i, c) in collect_cases().into_iter().enumerate() {
        let file = c
            .path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if !c.path.is_file() || c.path == companion || file.ends_with(".zip") {
            continue;
        }
        let lower = file.to_lowercase();
        let sheet = [".xlsx", ".xlsm", ".xls", ".ods", ".et"]
            .iter()
            .any(|e| lower.ends_with(e));
        // Not a spreadsheet: ignored, the companion alone is collected.
        let expect = if sheet { c.expect.clone() } else { "ok".into() };
        let bytes = std::fs::read(&c.path).expect("read");
        let folder = tmp.path().join(format!("文件夹{i}"));
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::copy(
            &companion,
            folder.join("区住房和城乡建设局-创建任务工作表.xlsx"),
        )
        .expect("cp");
        std::fs::write(folder.join(&file), &bytes).expect("w");
        let zip = tmp.path().join(format!("压缩包{i}.zip"));
        {
            let mut z = zip::ZipWriter::new(std::fs::File::create(&zip).expect("create"));
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("区住房和城乡建设局-创建任务工作表.xlsx", o)
                .expect("start");
            z.write_all(&std::fs::read(&companion).expect("read"))
                .expect("w");
            z.start_file(format!("收回/{file}"), o).expect("start");
            z.write_all(&bytes).expect("w");
            z.finish().expect("finish");
        }
        for path in [folder, zip] {
            cases.push(Case {
                path,
                name: file.clone(),
                expect: expect.clone(),
                spec: serde_json::Value::Null,
            });
        }
    }
    let (tried, failures) = run_catalog(&base, Importer::Collect, &cases);
    report("收回，夹在正常工作表旁的文件夹/压缩包", tried, &failures);
}

/// Folders a user may pick that only exist on the disk: an empty one, one whose sheets are
/// symbolic links (to a sheet elsewhere, to /etc/passwd, in a loop).
#[cfg(unix)]
#[test]
fn collecting_from_an_empty_folder_or_one_with_symlinks_is_safe() {
    use std::os::unix::fs::symlink;
    let (d, mut ws) = shifan_tests::exported();
    let empty = d.path().join("空文件夹");
    std::fs::create_dir(&empty).expect("mkdir");
    let before = fingerprint(&ws);
    let e = ws
        .preview(
            &shifan_core::CollectImport::new(&empty),
            &shifan_core::Job::quiet(),
        )
        .expect_err("empty");
    assert!(e.to_string().contains("没有找到 Excel 文件"), "{e}");
    assert_eq!(fingerprint(&ws), before);

    let links = d.path().join("链接");
    std::fs::create_dir(&links).expect("mkdir");
    symlink(
        fixture("hostile/collect/filled-区司法局.xlsx"),
        links.join("区司法局-创建任务工作表.xlsx"),
    )
    .expect("link");
    symlink("/etc/passwd", links.join("区财政局-创建任务工作表.xlsx")).expect("link");
    symlink(&links, links.join("循环")).expect("loop");
    symlink(d.path().join("不存在.xlsx"), links.join("断开的链接.xlsx")).expect("dangling");
    let r = catch_unwind(AssertUnwindSafe(|| {
        ws.preview(
            &shifan_core::CollectImport::new(&links),
            &shifan_core::Job::quiet(),
        )
    }));
    let p = r.expect("no panic");
    match p {
        Ok(p) => assert!(
            !p.can_apply,
            "a sheet pointing at /etc/passwd is not applied"
        ),
        Err(e) => assert!(has_cjk(&e.to_string()), "{e}"),
    }
    assert!(
        ws.apply(
            &shifan_core::CollectImport::new(&links),
            &shifan_core::Job::quiet()
        )
        .is_err()
    );
    assert_eq!(fingerprint(&ws), before);
}

// ----------------------------------------------------------------------------------------------
// The mutation fuzzer through the units import, the 任务分解表 import and collecting (a single
// file, a zip, or a folder beside a good sheet): every mutant imports or is refused in Chinese,
// naming the file, the database unchanged when refused.

/// Mutate `seeds` for `importer` until `cases` or the budget is used up; returns
/// (run, imported, refused, failures).
fn fuzz_importer(
    importer: Importer,
    base: &Base,
    seeds: &[&str],
    seed: u64,
    (cases, budget): (usize, Duration),
) -> (usize, usize, usize, Vec<String>) {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tmp");
    let companion = match importer {
        Importer::ProblemsCollect => {
            fixture("problems/collect/区市场监督管理局-督察问题整改表.xlsx")
        }
        _ => fixture("hostile/collect/companion-区住房和城乡建设局.xlsx"),
    };
    let companion_name = match importer {
        Importer::ProblemsCollect => "区市场监督管理局-督察问题整改表.xlsx",
        _ => "区住房和城乡建设局-创建任务工作表.xlsx",
    };
    let (mut _d, mut ws) = base.open();
    let mut rng = Rng(seed);
    let (mut run, mut imported, mut refused) = (0, 0, 0);
    let mut failures = Vec::new();
    for i in 0..cases {
        // The budget stops a long run, never before the floor of cases.
        if run >= 20 && started.elapsed() > budget {
            break;
        }
        let seed_file = seeds[i % seeds.len()];
        let bytes = std::fs::read(fixture(seed_file)).expect("seed");
        let m = mutate(&bytes, &mut rng);
        let ext = Path::new(seed_file)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("xlsx");
        let name = format!("变异{i}.{ext}");
        // Collecting: every third sheet mutant goes into a folder beside a good sheet.
        let collecting = matches!(importer, Importer::Collect | Importer::ProblemsCollect);
        let path = if collecting && ext != "zip" && i % 3 == 2 {
            let dir = tmp.path().join(format!("文件夹{i}"));
            std::fs::create_dir(&dir).expect("mkdir");
            std::fs::copy(&companion, dir.join(companion_name)).expect("cp");
            std::fs::write(dir.join(&name), &m).expect("write");
            dir
        } else {
            let p = tmp.path().join(&name);
            std::fs::write(&p, &m).expect("write");
            p
        };
        // Long runs: keep the mutant until it has passed, so one that kills the process
        // (out of memory, abort) is left behind for tests/fixtures/hostile/.
        let kept = std::env::var_os("SHIFAN_FUZZ_KEEP").map(|d| {
            let k = PathBuf::from(d).join(format!("{importer:?}-{i}-{name}"));
            let _ = std::fs::write(&k, &m);
            k
        });
        let case = Case {
            path: path.clone(),
            name,
            expect: "any".into(),
            spec: serde_json::Value::Null,
        };
        let r = try_importer(&mut ws, importer, &case);
        let passed = matches!(&r, Ok(done) if verdict(&ws, importer, &case, done).is_ok());
        if let Some(k) = kept
            && passed
        {
            let _ = std::fs::remove_file(k);
        }
        match r {
            Ok(done) => {
                if let Err(f) = verdict(&ws, importer, &case, &done) {
                    failures.push(format!("case {i} ({seed_file}): {f}"));
                }
                if matches!(done, Done::Imported(_)) {
                    imported += 1;
                    drop(std::mem::replace(&mut ws, base.open().1));
                } else {
                    refused += 1;
                }
            }
            Err(f) => failures.push(format!("case {i} ({seed_file}): {f}")),
        }
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
        run += 1;
    }
    println!(
        "fuzz ({importer:?}): {run} cases in {:?} ({imported} imported, {refused} refused), {} failures",
        started.elapsed(),
        failures.len()
    );
    (run, imported, refused, failures)
}

#[test]
fn fuzz_the_units_import_with_mutated_lists() {
    let base = Base::new(with_demo_campaign);
    let seeds = [
        "tasks/units.xlsx",
        "hostile/units/units-libreoffice.xls",
        "hostile/units/units-ods-renamed.xlsx",
        "hostile/units/units-formulas-libreoffice.xlsx",
        "hostile/units/units-roster-duplicate-person.xlsx",
    ];
    let (run, _, _, failures) = fuzz_importer(
        Importer::Units,
        &base,
        &seeds,
        0x0417_5EED,
        fuzz_limits(80, 12),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

#[test]
fn fuzz_the_tasks_import_with_mutated_tables() {
    let base = Base::new(|| {
        let (d, mut ws) = with_demo_campaign();
        ws.apply(
            &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
            &shifan_core::Job::quiet(),
        )
        .expect("units");
        (d, ws)
    });
    let seeds = [
        "tasks/tasks-libreoffice.xlsx",
        "tasks/tasks-two-row-header-wps.xlsx",
        "tasks/tasks-libreoffice.xls",
        "hostile/tasks/tasks-dates-many-formats.xlsx",
        "hostile/tasks/tasks-ods-renamed.xlsx",
    ];
    let (run, _, _, failures) = fuzz_importer(
        Importer::Tasks,
        &base,
        &seeds,
        0x7A5C_5EED,
        fuzz_limits(80, 12),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

#[test]
fn fuzz_collecting_with_mutated_sheets_and_zips() {
    let base = Base::new(shifan_tests::exported);
    let seeds = [
        "hostile/collect/filled-区司法局.xlsx",
        "hostile/collect/zip-gbk-names.zip",
        "tasks/collect/区统计局-创建任务工作表.xls",
        "hostile/collect/libreoffice-区统计局.ods",
        "hostile/collect/zip-dotdot-and-absolute-entries.zip",
        "tasks/collect/区财政局-创建任务工作表.xlsx",
    ];
    let (run, _, _, failures) = fuzz_importer(
        Importer::Collect,
        &base,
        &seeds,
        0xC011_EC75,
        fuzz_limits(80, 12),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

// ----------------------------------------------------------------------------------------------
// The evidence intake (添加佐证材料) and the archive export: hostile archives and folders
// (hostile/evidence, made by fixtures/make/make_evidence_fixtures.py), the collect zips, and
// every generic hostile file dropped on its own; then the mutation fuzzer over real packages.

/// What the evidence intake did with a drop.
enum EvDone {
    Added(shifan_core::evidence::EvidenceAddPreview),
    Refused {
        message: String,
        issues: Vec<shifan_core::model::ImportIssue>,
    },
}

/// Top-level names a data folder may hold after an intake: nothing else may appear (a zip's
/// `../` or absolute entry is never written anywhere).
fn data_folder_is_clean(ws: &Workspace) -> Result<(), String> {
    for e in std::fs::read_dir(ws.data_dir())
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let n = e.file_name().to_string_lossy().into_owned();
        let ok = n.starts_with("shifan.db")
            || n.starts_with("shifan.lock")
            || n == "backups"
            || n == "evidence";
        if !ok {
            return Err(format!("unexpected “{n}” in the data folder"));
        }
    }
    let ev = ws.data_dir().join("evidence");
    if let Ok(rd) = std::fs::read_dir(&ev) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n != "objects" {
                return Err(format!("unexpected “evidence/{n}”"));
            }
        }
    }
    Ok(())
}

/// Preview, then apply (or apply alone when the preview refuses), checking what every drop must
/// hold: no panic; Chinese messages naming the file; a refusal leaves the database unchanged;
/// an applied drop leaves every item's file whole in the store and nothing outside it.
fn try_evidence(ws: &mut Workspace, path: &Path, name: &str) -> Result<EvDone, String> {
    use shifan_core::evidence::{EvidenceAddOptions, EvidenceIntake};
    let before = fingerprint(ws);
    let what = format!("evidence {}", path.display());
    let r = catch_unwind(AssertUnwindSafe(|| {
        let p = ws.preview(
            &EvidenceIntake::new([path], EvidenceAddOptions::default()),
            &shifan_core::Job::quiet(),
        );
        let previewed = p.as_ref().map(|p| p.can_apply).unwrap_or(false);
        let applied = ws.apply(
            &EvidenceIntake::ingesting([path], EvidenceAddOptions::default()),
            &shifan_core::Job::quiet(),
        );
        (p.map(|_| previewed), applied)
    }));
    let (previewed, applied) = r.map_err(|_| format!("{what}: PANIC"))?;
    let chinese = |m: &str| -> Result<(), String> {
        if !has_cjk(m) {
            return Err(format!("{what}: message not Chinese: {m}"));
        }
        if let Some(w) = shifan_tests::english_in(m) {
            return Err(format!("{what}: English “{w}” in: {m}"));
        }
        Ok(())
    };
    data_folder_is_clean(ws).map_err(|e| format!("{what}: {e}"))?;
    assert!(!Path::new("/tmp/shifan-evil.txt").exists());
    match applied {
        Ok(p) => {
            if matches!(previewed, Ok(false)) {
                return Err(format!(
                    "{what}: the preview refused but apply went through"
                ));
            }
            for i in &p.issues {
                chinese(&i.message)?;
            }
            let v = ws
                .verify_evidence(&shifan_core::Job::quiet())
                .map_err(|e| format!("{what}: verify: {e}"))?;
            if !v.ok {
                return Err(format!(
                    "{what}: an item without its whole file: {:?}",
                    v.problems
                ));
            }
            Ok(EvDone::Added(p))
        }
        Err(e) => {
            let message = e.to_string();
            chinese(&message)?;
            let issues = e.issues().to_vec();
            for i in &issues {
                chinese(&i.message)?;
            }
            if !message.contains(name) && !issues.iter().any(|i| i.message.contains(name)) {
                return Err(format!(
                    "{what}: the refusal does not name “{name}”: {message}"
                ));
            }
            if fingerprint(ws) != before {
                return Err(format!("{what}: database changed although refused"));
            }
            Ok(EvDone::Refused { message, issues })
        }
    }
}

fn evidence_verdict(case: &Case, done: &EvDone) -> Result<(), String> {
    let what = format!("evidence {}", case.path.display());
    let words = case.spec["message"].as_str();
    let says = |msgs: Vec<&String>| words.is_none_or(|w| msgs.iter().any(|m| m.contains(w)));
    match (done, case.expect.as_str()) {
        (EvDone::Added(p), "ok" | "any") => {
            if let Some(n) = case.spec["items"].as_i64()
                && p.new_count != n
            {
                return Err(format!("{what}: {} new items, want {n}", p.new_count));
            }
            if let Some(n) = case.spec["failed"].as_i64()
                && p.failed_count != n
            {
                return Err(format!("{what}: {} failed, want {n}", p.failed_count));
            }
            if !says(p.issues.iter().map(|i| &i.message).collect()) {
                return Err(format!(
                    "{what}: no issue says “{}”: {:?}",
                    words.unwrap_or(""),
                    p.issues
                ));
            }
            Ok(())
        }
        (EvDone::Refused { message, issues }, "error" | "any") => {
            if !says(
                std::iter::once(message)
                    .chain(issues.iter().map(|i| &i.message))
                    .collect(),
            ) {
                return Err(format!(
                    "{what}: the refusal lacks “{}”: {message}",
                    words.unwrap_or("")
                ));
            }
            Ok(())
        }
        (EvDone::Added(p), want) => Err(format!("{what}: added ({}), expected {want}", p.summary)),
        (EvDone::Refused { message, .. }, want) => {
            Err(format!("{what}: refused, expected {want}: {message}"))
        }
    }
}

#[test]
fn hostile_catalog_through_the_evidence_intake() {
    let base = Base::new(shifan_tests::with_tasks);
    let mut cases = specific_cases("evidence");
    assert!(cases.len() >= 15, "evidence fixtures");
    // The collect zips (bombs, passwords, `../`, symlinks, truncated, GBK) as evidence packages.
    for c in specific_cases("collect") {
        if c.path.extension().is_some_and(|e| e == "zip") {
            let expect = match c.name.as_str() {
                "zip-dotdot-and-absolute-entries.zip"
                | "zip-bomb.zip"
                | "zip-bomb-lying-sizes.zip"
                | "zip-password.zip"
                | "zip-truncated.zip" => "error",
                _ => "ok",
            };
            cases.push(Case {
                expect: expect.into(),
                spec: serde_json::Value::Null,
                ..c
            });
        }
    }
    // Every generic hostile file dropped on its own: evidence takes any file as it is.
    for c in generic_cases("collect") {
        cases.push(Case {
            expect: "ok".into(),
            spec: serde_json::json!({ "items": 1 }),
            ..c
        });
    }
    let (mut _d, mut ws) = base.open();
    let mut failures = Vec::new();
    for case in &cases {
        let start = Instant::now();
        let r = try_evidence(&mut ws, &case.path, &case.name);
        let took = start.elapsed();
        let v = r.and_then(|done| {
            let v = evidence_verdict(case, &done);
            if matches!(done, EvDone::Added(_)) {
                drop(std::mem::replace(&mut ws, base.open().1));
            }
            v
        });
        let v = v.and_then(|()| {
            if took > Duration::from_secs(20) {
                Err(format!("{}: took {took:?}", case.path.display()))
            } else {
                Ok(())
            }
        });
        if let Err(f) = v {
            failures.push(f);
        }
    }
    report("添加佐证材料", cases.len(), &failures);
}

/// A folder holding a symlink to /etc, a symlinked file and a loop: nothing followed.
#[cfg(unix)]
#[test]
fn the_evidence_intake_follows_no_symlink_out_of_a_dropped_folder() {
    use std::os::unix::fs::symlink;
    let (d, mut ws) = shifan_tests::with_tasks();
    let dir = d.path().join("区司法局");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("通知.pdf"), b"%PDF-1.4 a notice").expect("w");
    symlink("/etc", dir.join("系统文件夹")).expect("link");
    symlink("/etc/passwd", dir.join("用户名单.pdf")).expect("link");
    symlink(&dir, dir.join("循环")).expect("loop");
    match try_evidence(&mut ws, &dir, "区司法局").unwrap_or_else(|f| panic!("{f}")) {
        EvDone::Added(p) => {
            assert_eq!(p.new_count, 1, "{:?}", p.files);
            assert_eq!(
                p.issues
                    .iter()
                    .filter(|i| i.message.contains("符号链接"))
                    .count(),
                3
            );
        }
        EvDone::Refused { message, .. } => panic!("refused: {message}"),
    }
}

/// The importer's bounds, lowered: too many files, too many entries, too deep.
#[test]
fn the_evidence_intake_stops_at_its_bounds_with_a_clear_message() {
    use shifan_core::evidence::{EvidenceAddOptions, EvidenceIntake, Limits};
    let (d, mut ws) = shifan_tests::with_tasks();
    let dir = d.path().join("很多文件");
    std::fs::create_dir(&dir).expect("mkdir");
    for i in 0..30 {
        std::fs::write(
            dir.join(format!("扫描件{i:03}.pdf")),
            format!("%PDF-1.4 {i}"),
        )
        .expect("w");
    }
    let limits = Limits {
        max_files: 10,
        ..Limits::default()
    };
    let before = fingerprint(&ws);
    let p = ws
        .apply(
            &EvidenceIntake::ingesting([&dir], EvidenceAddOptions::default()).with_limits(limits),
            &shifan_core::Job::quiet(),
        )
        .expect("the first 10");
    assert_eq!(p.new_count, 10);
    assert!(
        p.issues.iter().any(|i| i.message.contains("超过 10 个")),
        "{:?}",
        p.issues
    );
    assert_ne!(fingerprint(&ws), before);
    let zip = fixture("evidence/区司法局-佐证材料.zip");
    let limits = Limits {
        max_archive_entries: 5,
        ..Limits::default()
    };
    let e = ws
        .apply(
            &EvidenceIntake::ingesting([&zip], EvidenceAddOptions::default()).with_limits(limits),
            &shifan_core::Job::quiet(),
        )
        .expect_err("refused whole");
    assert!(e.to_string().contains("区司法局-佐证材料.zip"), "{e}");
}

#[test]
fn hostile_files_in_the_library_never_stop_the_archive_export() {
    let base = Base::new(shifan_tests::with_tasks);
    let (d, mut ws) = base.open();
    // Damaged, disguised and encrypted files, all filed under one indicator and approved.
    let mut paths: Vec<PathBuf> = generic_cases("collect")
        .into_iter()
        .map(|c| c.path)
        .collect();
    paths.push(fixture("evidence/区司法局-佐证材料.zip"));
    let p = ws
        .apply(
            &shifan_core::evidence::EvidenceIntake::ingesting(
                paths,
                shifan_core::evidence::EvidenceAddOptions {
                    indicator_nos: vec![27],
                    ..Default::default()
                },
            ),
            &shifan_core::Job::quiet(),
        )
        .expect("added");
    assert!(p.new_count > 40);
    let ids: Vec<i64> = ws
        .list_evidence(&Default::default())
        .expect("list")
        .iter()
        .map(|i| i.id)
        .collect();
    ws.review_evidence(&shifan_core::evidence::EvidenceReview {
        ids,
        decision: shifan_core::evidence::ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let plan = ws.archive_plan(None).expect("plan");
    let out = d.path().join("案卷");
    let r = catch_unwind(AssertUnwindSafe(|| {
        ws.export_archive(&out, &plan, &shifan_core::Job::quiet())
    }))
    .expect("no panic")
    .expect("exported");
    let v = r
        .volumes
        .iter()
        .find(|v| v.indicator_nos.contains(&27))
        .expect("27");
    assert_eq!(v.items, p.new_count);
    for s in &v.skipped {
        assert!(has_cjk(s), "{s}");
    }
    println!(
        "archive of hostile files: {} items, {} left out of the merged PDF",
        v.items,
        v.skipped.len()
    );
}

#[test]
fn fuzz_the_evidence_intake_and_archive_with_mutated_packages() {
    let base = Base::new(shifan_tests::with_tasks);
    let seeds = [
        "evidence/区司法局-佐证材料.zip",
        "evidence/区司法局-补充材料.zip",
        "hostile/evidence/zip-windows-illegal-names.zip",
        "hostile/evidence/zip-inside-zip.zip",
        "evidence/法治政府建设年度报告（2025年）.pdf",
    ];
    let (cases, budget) = fuzz_limits(60, 15);
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut _d, mut ws) = base.open();
    let mut rng = Rng(0xE71D_E4CE);
    let (mut run, mut added, mut refused) = (0, 0, 0);
    let mut failures = Vec::new();
    for i in 0..cases {
        // The budget stops a long run, never before the floor of cases.
        if run >= 20 && started.elapsed() > budget {
            break;
        }
        let seed = seeds[i % seeds.len()];
        let bytes = std::fs::read(fixture(seed)).expect("seed");
        let m = mutate(&bytes, &mut rng);
        let ext = Path::new(seed)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("zip");
        let name = format!("变异{i}.{ext}");
        let path = tmp.path().join(&name);
        std::fs::write(&path, &m).expect("write");
        let kept = std::env::var_os("SHIFAN_FUZZ_KEEP").map(|d| {
            let k = PathBuf::from(d).join(format!("evidence-{i}-{name}"));
            let _ = std::fs::write(&k, &m);
            k
        });
        let r = try_evidence(&mut ws, &path, &name);
        let r = r.and_then(|done| {
            if let EvDone::Added(p) = &done {
                // Bound whatever was taken: the archive export reads every file in full.
                let ids: Vec<i64> = p.files.iter().filter_map(|f| f.evidence_id).collect();
                if !ids.is_empty() {
                    ws.review_evidence(&shifan_core::evidence::EvidenceReview {
                        ids,
                        decision: shifan_core::evidence::ReviewDecision::Approve,
                        reason: String::new(),
                    })
                    .map_err(|e| format!("review: {e}"))?;
                }
                let plan = ws.archive_plan(None).map_err(|e| e.to_string())?;
                let out = tmp.path().join(format!("案卷{i}.zip"));
                let x = catch_unwind(AssertUnwindSafe(|| {
                    ws.export_archive(&out, &plan, &shifan_core::Job::quiet())
                }))
                .map_err(|_| "archive export: PANIC".to_string())?;
                if let Err(e) = x
                    && !has_cjk(&e.to_string())
                {
                    return Err(format!("archive export: {e}"));
                }
                let _ = std::fs::remove_file(&out);
            }
            Ok(done)
        });
        match r {
            Ok(EvDone::Added(_)) => {
                added += 1;
                drop(std::mem::replace(&mut ws, base.open().1));
                if let Some(k) = &kept {
                    let _ = std::fs::remove_file(k);
                }
            }
            Ok(EvDone::Refused { .. }) => {
                refused += 1;
                if let Some(k) = &kept {
                    let _ = std::fs::remove_file(k);
                }
            }
            Err(f) => failures.push(format!("case {i} ({seed}): {f}")),
        }
        let _ = std::fs::remove_file(&path);
        run += 1;
    }
    println!(
        "fuzz (evidence): {run} cases in {:?} ({added} added, {refused} refused), {} failures",
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

// The 问题清单 import and collecting per-unit 问题整改表: the generic files, the zips of
// hostile/collect, and the layout-specific files of hostile/problems and hostile/problems-collect
// (fixtures/make/make_hostile_problem_fixtures.py); then the mutation fuzzer over both.

fn units_base() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_demo_campaign();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &shifan_core::Job::quiet(),
    )
    .expect("units");
    (d, ws)
}

#[test]
fn hostile_catalog_through_the_problems_import() {
    let base = Base::new(units_base);
    let mut cases = generic_cases("problems");
    let specific = specific_cases("problems");
    assert!(specific.len() >= 8, "problems fixtures");
    cases.extend(specific);
    let (tried, failures) = run_catalog(&base, Importer::Problems, &cases);
    report("问题清单", tried, &failures);
}

#[test]
fn hostile_catalog_through_collecting_problem_sheets() {
    let base = Base::new(shifan_tests::problems_exported);
    let mut cases = generic_cases("problems_collect");
    // The task sheets and zips of hostile/collect: all refused here (task sheets, bombs,
    // passwords, broken zips), naming the file.
    cases.extend(specific_cases("collect").into_iter().map(|mut c| {
        c.expect = "error".into();
        c.spec = serde_json::Value::Null;
        c
    }));
    cases.extend(specific_cases("problems-collect"));
    let (tried, failures) = run_catalog(&base, Importer::ProblemsCollect, &cases);
    report("收回问题整改表", tried, &failures);
}

#[test]
fn fuzz_the_problems_import_with_mutated_lists() {
    let base = Base::new(units_base);
    let seeds = [
        "problems/problems-openpyxl.xlsx",
        "problems/problems-libreoffice.xls",
        "problems/problems-headings-wps.xlsx",
        "problems/problems-ledger.xlsx",
        "hostile/problems/problems-ods-renamed.xlsx",
    ];
    let (run, _, _, failures) = fuzz_importer(
        Importer::Problems,
        &base,
        &seeds,
        0x9B0B_1E75,
        fuzz_limits(80, 12),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

#[test]
fn fuzz_collecting_problem_sheets_with_mutated_sheets_and_zips() {
    let base = Base::new(shifan_tests::problems_exported);
    let seeds = [
        "problems/collect/区司法局-督察问题整改表.xlsx",
        "problems/collect/区财政局-整改情况（另存）.xlsx",
        "hostile/problems-collect/zip-two-returns-one-unit.zip",
        "problems/collect/区城市管理执法局-督察问题整改表.xlsx",
    ];
    let (run, _, _, failures) = fuzz_importer(
        Importer::ProblemsCollect,
        &base,
        &seeds,
        0x5EED_C011,
        fuzz_limits(80, 12),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}

// Collecting the experts' scoring sheets: the generic catalog (every file refused: none is a
// scoring sheet), the scoring-specific cases of hostile/eval, each beside a good sheet of
// another expert in a folder and a zip, and the mutation fuzzer.

fn scores_cases() -> Vec<Case> {
    let mut cases = generic_cases("scores");
    let specific = specific_cases("eval");
    assert!(specific.len() >= 25, "scoring-sheet fixtures");
    cases.extend(specific);
    cases
}

#[test]
fn hostile_catalog_through_collecting_scoring_sheets() {
    let base = Base::new(shifan_tests::eval_exported);
    let cases = scores_cases();
    let (tried, failures) = run_catalog(&base, Importer::Scores, &cases);
    report("收回专家评分表", tried, &failures);
}

#[test]
fn hostile_scoring_sheets_beside_a_good_sheet_in_a_folder_and_a_zip() {
    let base = Base::new(shifan_tests::eval_exported);
    let companion_name = "模拟评估一-李敏-评分表.xlsx";
    let companion = fixture(&format!("eval/collect/{companion_name}"));
    let tmp = tempfile::tempdir().expect("tmp");
    let mut cases = Vec::new();
    for (i, c) in scores_cases().into_iter().enumerate() {
        let file = c
            .path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        // Cases of the companion's expert would clash with it (two sheets of one expert).
        if !c.path.is_file() || file.ends_with(".zip") || file.contains("李敏") {
            continue;
        }
        let lower = file.to_lowercase();
        let sheet = [".xlsx", ".xlsm", ".xls", ".ods", ".et"]
            .iter()
            .any(|e| lower.ends_with(e));
        let expect = if sheet { c.expect.clone() } else { "ok".into() };
        let bytes = std::fs::read(&c.path).expect("read");
        let folder = tmp.path().join(format!("文件夹{i}"));
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::copy(&companion, folder.join(companion_name)).expect("cp");
        std::fs::write(folder.join(&file), &bytes).expect("w");
        let zip = tmp.path().join(format!("压缩包{i}.zip"));
        {
            let mut z = zip::ZipWriter::new(std::fs::File::create(&zip).expect("create"));
            let o = zip::write::SimpleFileOptions::default();
            z.start_file(companion_name, o).expect("start");
            z.write_all(&std::fs::read(&companion).expect("read"))
                .expect("w");
            z.start_file(format!("交回/{file}"), o).expect("start");
            z.write_all(&bytes).expect("w");
            z.finish().expect("finish");
        }
        for path in [folder, zip] {
            cases.push(Case {
                path,
                name: file.clone(),
                expect: expect.clone(),
                spec: serde_json::Value::Null,
            });
        }
    }
    assert!(cases.len() >= 40);
    let (tried, failures) = run_catalog(&base, Importer::Scores, &cases);
    report("收回专家评分表，夹在正常评分表旁", tried, &failures);
}

#[test]
fn fuzz_collecting_scoring_sheets_with_mutated_sheets_and_zips() {
    let base = Base::new(shifan_tests::eval_exported);
    let seeds = [
        "eval/collect/模拟评估一-张卫东-评分表.xlsx",
        "hostile/eval/zip-three-experts.zip",
        "eval/collect/模拟评估一-王建国-评分表.xlsx",
        "hostile/eval/libreoffice-王建国.ods",
        "hostile/eval/formulas-libreoffice-张卫东.xlsx",
    ];
    let (run, _, _, failures) = fuzz_importer(
        Importer::Scores,
        &base,
        &seeds,
        0x5C0E_5EED,
        fuzz_limits(80, 12),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{run} cases run");
}
