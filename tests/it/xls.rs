//! Legacy .xls workbooks (Excel 97-2003, WPS, LibreOffice) hide rows, columns and sheets as an
//! .xlsx does, and every importer must honour that the same way: each file of
//! tests/fixtures/xls/ (see its manifest and make_xls_fixtures.py) is an .xls copy of an .xlsx
//! `twin`; read, previewed and applied, it gives what its twin gives — the same hidden rows and
//! columns, the same preview with the same warnings at the same places, the same stored data.

use std::path::{Path, PathBuf};

use serde_json::Value;
use shifan_core::model::ImportIssue;
use shifan_core::problems::import::ProblemsImportOptions;
use shifan_core::sheet::read_tables;
use shifan_core::tasks::AssignmentFilter;
use shifan_core::tasks::import::TasksImportOptions;
use shifan_core::{IndicatorImport, Job, ProblemsImport, TasksImport, UnitsImport, Workspace};
use shifan_tests::{fixture, with_demo_campaign};

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("xls/manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("json")
}

fn entry(id: &str) -> Value {
    manifest()
        .into_iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} in xls/manifest.json"))
}

/// The .xls of an entry and its .xlsx twin.
fn pair(e: &Value) -> (PathBuf, PathBuf) {
    let xls = fixture(&format!("xls/{}", e["file"].as_str().expect("file")));
    let twin = fixture(e["twin"].as_str().expect("twin"));
    assert_eq!(
        xls.extension().and_then(|x| x.to_str()),
        Some("xls"),
        "{xls:?}"
    );
    (xls, twin)
}

/// The names a preview may give a file: its name and its stem (a system is named after its
/// file), longest first (so that "a.xls" does not cut "a.xlsx" short), each replaced by 《文件》.
fn names(files: &[&Path]) -> Vec<String> {
    let mut v: Vec<String> = files
        .iter()
        .map(|p| shifan_core::sheet::display_name(p))
        .collect();
    v.extend(
        files
            .iter()
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())),
    );
    v.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    v
}

/// Where two JSON values first differ ("issues[2].row: 39 ≠ null"), None when equal.
fn first_diff(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let (va, vb) = (&x.get(k), &y.get(k));
                match (va, vb) {
                    (Some(va), Some(vb)) => {
                        if let Some(d) = first_diff(va, vb, &format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                    _ => return Some(format!("{at}.{k}: {va:?} ≠ {vb:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (va, vb))| first_diff(va, vb, &format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} ≠ {b}")),
    }
}

/// The state an entry is imported into: the demo campaign, plus the units its importer needs.
fn setup(e: &Value) -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_demo_campaign();
    let units = match e["importer"].as_str() {
        Some("tasks") => Some("fidelity/units/units-base-district-xlsxwriter.xlsx"),
        Some("problems") => Some("tasks/units.xlsx"),
        _ => None,
    };
    if let Some(u) = units {
        ws.apply(&UnitsImport::new(fixture(u)), &Job::quiet())
            .expect("units");
    }
    (d, ws)
}

fn tasks_options() -> TasksImportOptions {
    TasksImportOptions {
        strict: false,
        create_units: false,
        ..Default::default()
    }
}

/// Preview and apply `file` with the entry's importer: the preview as JSON (with both file
/// names written as 《文件》), its issues, and what is stored afterwards.
fn import(e: &Value, file: &Path, names: &[String]) -> (Value, Vec<ImportIssue>, Value) {
    let (_d, mut ws) = setup(e);
    let job = Job::quiet();
    let (preview, issues) = match e["importer"].as_str() {
        Some("indicators") => {
            let imp = IndicatorImport::new(file, true);
            let p = ws.preview(&imp, &job).expect("preview");
            ws.apply(&imp, &job).expect("apply");
            (serde_json::to_value(&p).expect("json"), p.issues)
        }
        Some("tasks") => {
            let imp = TasksImport::new(file, tasks_options());
            let p = ws.preview(&imp, &job).expect("preview");
            ws.apply(&imp, &job).expect("apply");
            (serde_json::to_value(&p).expect("json"), p.issues)
        }
        Some("units") => {
            let imp = UnitsImport::new(file);
            let p = ws.preview(&imp, &job).expect("preview");
            ws.apply(&imp, &job).expect("apply");
            (serde_json::to_value(&p).expect("json"), p.issues)
        }
        Some("problems") => {
            let imp = ProblemsImport::new(file, ProblemsImportOptions::default());
            let p = ws.preview(&imp, &job).expect("preview");
            ws.apply(&imp, &job).expect("apply");
            (serde_json::to_value(&p).expect("json"), p.issues)
        }
        other => panic!("importer {other:?}"),
    };
    let stored = match e["importer"].as_str() {
        Some("indicators") => serde_json::to_value(
            ws.indicator_leaves(None, None)
                .expect("leaves")
                .into_iter()
                .map(|l| (l.no, l.text, l.path, l.score, l.methods, l.veto))
                .collect::<Vec<_>>(),
        )
        .expect("json"),
        Some("tasks") => serde_json::to_value(
            ws.list_assignments(&AssignmentFilter::default())
                .expect("assignments"),
        )
        .expect("json"),
        Some("units") => serde_json::to_value(
            ws.list_units()
                .expect("units")
                .into_iter()
                .map(|u| (u.name, u.kind, u.contact))
                .collect::<Vec<_>>(),
        )
        .expect("json"),
        _ => serde_json::to_value(
            ws.list_problems(&Default::default())
                .expect("problems")
                .into_iter()
                .map(|p| (p.seq, p.description, p.units.len()))
                .collect::<Vec<_>>(),
        )
        .expect("json"),
    };
    let mut text = preview.to_string();
    for n in names {
        text = text.replace(n.as_str(), "《文件》");
    }
    (serde_json::from_str(&text).expect("json"), issues, stored)
}

/// Issues as (severity, message without the file name, sheet, row, column).
fn places(issues: &[ImportIssue], names: &[String]) -> Vec<String> {
    issues
        .iter()
        .map(|i| {
            let mut m = i.message.clone();
            for n in names {
                m = m.replace(n.as_str(), "《文件》");
            }
            format!("{:?} {:?} {:?} {:?} {m}", i.severity, i.sheet, i.row, i.col)
        })
        .collect()
}

#[test]
fn every_xls_sheet_hides_the_rows_columns_and_sheets_its_xlsx_twin_hides() {
    let entries = manifest();
    assert!(entries.len() >= 10, "{} entries", entries.len());
    for e in &entries {
        let (xls, twin) = pair(e);
        let a = read_tables(&xls).expect("xls");
        let b = read_tables(&twin).expect("xlsx");
        let hides = |g: &shifan_core::sheet::Grid| {
            (
                g.name.clone(),
                g.hidden,
                g.hidden_rows.clone(),
                // Columns a table uses (an .xlsx may hide "all the rest" further out).
                g.hidden_cols
                    .iter()
                    .copied()
                    .filter(|c| *c < 50)
                    .collect::<Vec<_>>(),
            )
        };
        let (a, b): (Vec<_>, Vec<_>) =
            (a.iter().map(hides).collect(), b.iter().map(hides).collect());
        assert_eq!(a, b, "{}", e["id"]);
        assert!(
            a.iter()
                .any(|(_, h, r, c)| *h || !r.is_empty() || !c.is_empty()),
            "{}: the twin hides something",
            e["id"]
        );
    }
}

#[test]
fn every_xls_imports_as_its_xlsx_twin_with_the_same_preview_and_stored_data() {
    for e in manifest() {
        let id = e["id"].as_str().unwrap_or("?").to_string();
        let (xls, twin) = pair(&e);
        let names = names(&[&xls, &twin]);
        let (pa, ia, sa) = import(&e, &xls, &names);
        let (pb, ib, sb) = import(&e, &twin, &names);
        assert_eq!(places(&ia, &names), places(&ib, &names), "{id}: issues");
        assert_eq!(first_diff(&pa, &pb, "preview"), None, "{id}");
        assert_eq!(first_diff(&sa, &sb, "stored"), None, "{id}");
    }
}

#[test]
fn an_xls_indicator_system_with_a_hidden_old_text_column_imports_the_live_column() {
    let e = entry("xls-indicators-hidden-old-text-column");
    let (xls, _) = pair(&e);
    let (_d, mut ws) = with_demo_campaign();
    let imp = IndicatorImport::new(&xls, true);
    let p = ws.preview(&imp, &Job::quiet()).expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.leaf_count, 100);
    // The hidden column D is named as not imported.
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("隐藏的列") && i.message.contains("D列")),
        "{:?}",
        p.issues
    );
    ws.apply(&imp, &Job::quiet()).expect("apply");
    let leaves = ws.indicator_leaves(None, None).expect("leaves");
    let want = e["expect"]["texts"].as_object().expect("texts");
    for (no, text) in want {
        let leaf = leaves
            .iter()
            .find(|l| l.no.to_string() == *no)
            .unwrap_or_else(|| panic!("no {no}"));
        assert_eq!(leaf.text, text.as_str().expect("text"), "no {no}");
    }
    assert!(leaves.iter().all(|l| !l.text.contains("（旧）")));
}

#[test]
fn a_hidden_withdrawn_row_of_an_xls_is_skipped_and_named_as_for_the_xlsx() {
    for id in [
        "xls-indicators-hidden-withdrawn-row",
        "xls-indicators-hidden-withdrawn-last-row",
    ] {
        let e = entry(id);
        let (xls, twin) = pair(&e);
        let names = names(&[&xls, &twin]);
        let want = &e["expect"]["warnings"][0];
        let row = want["row"].as_u64().expect("row") as u32;
        let sheet = want["sheet"].as_str().expect("sheet");
        let mut said = Vec::new();
        for file in [&xls, &twin] {
            let (_d, ws) = with_demo_campaign();
            let p = ws
                .preview(&IndicatorImport::new(file, true), &Job::quiet())
                .expect("preview");
            assert!(p.can_apply, "{id} {file:?}: {:?}", p.issues);
            assert_eq!(p.leaf_count, 100, "{id} {file:?}");
            let at: Vec<&ImportIssue> = p
                .issues
                .iter()
                .filter(|i| i.row == Some(row) && i.sheet.as_deref() == Some(sheet))
                .collect();
            assert!(
                at.iter().any(|i| i.message.contains("隐藏行")),
                "{id} {file:?}: {:?}",
                p.issues
            );
            said.push(places(&p.issues, &names));
        }
        assert_eq!(
            said[0], said[1],
            "{id}: the .xls preview says what the .xlsx one says"
        );
    }
}

#[test]
fn a_problem_list_saved_as_xls_warns_of_its_hidden_row_as_the_xlsx_does() {
    let e = entry("xls-problems-hidden-row");
    let (xls, twin) = pair(&e);
    let names = names(&[&xls, &twin]);
    let want = &e["expect"]["warnings"][0];
    let row = want["row"].as_u64().expect("row") as u32;
    let mut said = Vec::new();
    for file in [&xls, &twin] {
        let (_d, ws) = setup(&e);
        let p = ws
            .preview(
                &ProblemsImport::new(file, ProblemsImportOptions::default()),
                &Job::quiet(),
            )
            .expect("preview");
        assert!(p.can_apply, "{file:?}: {:?}", p.issues);
        let hidden: Vec<&ImportIssue> = p
            .issues
            .iter()
            .filter(|i| i.message.contains("这一行在表中是隐藏的"))
            .collect();
        assert_eq!(hidden.len(), 1, "{file:?}: {:?}", p.issues);
        assert_eq!(hidden[0].row, Some(row), "{file:?}");
        assert_eq!(hidden[0].sheet.as_deref(), want["sheet"].as_str());
        said.push(places(&p.issues, &names));
    }
    assert_eq!(said[0], said[1]);
}
