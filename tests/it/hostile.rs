//! Hostile input catalog: every bad file an office PC may meet (tests/fixtures/hostile/, made by
//! fixtures/make/make_hostile_fixtures.py, plus the indicator fixtures) either imports correctly
//! or is refused with a clear Chinese message — never a panic, and the database unchanged on
//! error. Also the deterministic mutation fuzzer over real fixtures' bytes.

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
        match ws.preview_indicator_import(path) {
            Ok(p) if p.can_apply => ws
                .apply_indicator_import(path, false)
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
            if let Err(e2) = ws.apply_indicator_import(path, false)
                && fingerprint(ws) != before
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
    write_big_xlsx(&path, 1_000_000);
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

/// Minimal xlsx with `rows` rows of (number, inline text), streamed through the zip writer.
fn write_big_xlsx(path: &Path, rows: u32) {
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
    z.write_all(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c><c r="B1" t="inlineStr"><is><t>三级指标</t></is></c></row>"#.as_bytes()).expect("w");
    let mut buf = String::with_capacity(1 << 20);
    for r in 2..=rows {
        buf.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}"><v>{}</v></c><c r="B{r}" t="inlineStr"><is><t>指标{r}</t></is></c></row>"#,
            r - 1
        ));
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
    ];
    let cases: usize = std::env::var("SHIFAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240);
    let budget = Duration::from_secs(35);
    let started = Instant::now();
    let (d, mut ws) = with_demo_campaign();
    let mut rng = Rng(0x5EED_5EED_1234_5678);
    let (mut run, mut imported, mut refused) = (0, 0, 0);
    let mut failures = Vec::new();
    for i in 0..cases {
        if started.elapsed() > budget {
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
    assert!(run >= 100, "ran only {run} cases within the budget");
}
