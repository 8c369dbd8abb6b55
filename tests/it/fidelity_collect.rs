//! "No silent wrong result" for collecting the per-unit sheets: every `collect` entry of
//! tests/fixtures/fidelity/manifest.json (see its README), driven generically — the state is
//! built from `setup_steps`, the input copied to a temp folder with the `prepare` mtimes, then
//! previewed and applied, and every `expect` key is checked. Failing entries are reported by id,
//! all at once. Then the user's choices the preview offers (which unit a colleague's file is
//! for, which of two returns to collect), through the core and through the CLI.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use shifan_core::model::{ImportIssue, NewCampaign, Severity};
use shifan_core::tasks::collect::{CollectChoice, CollectOptions, CollectPreview};
use shifan_core::tasks::import::TasksImportOptions;
use shifan_core::{CollectImport, Job, TasksImport, UnitsImport, Workspace};
use shifan_tests::{exported, fingerprint, fixture};

fn fidelity(rel: &str) -> PathBuf {
    fixture("fidelity").join(rel)
}

fn collect_entries() -> Vec<Value> {
    let text = std::fs::read_to_string(fidelity("manifest.json")).expect("manifest");
    let all: Vec<Value> = serde_json::from_str(&text).expect("manifest json");
    all.into_iter()
        .filter(|e| e["importer"] == "collect")
        .collect()
}

/// The state an entry imports into, built from its `setup_steps`.
fn set_up(entry: &Value) -> Result<(tempfile::TempDir, Workspace), String> {
    let d = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut ws = Workspace::open(&d.path().join("数据")).map_err(|e| e.to_string())?;
    let steps = entry["setup_steps"].as_array().ok_or("no setup_steps")?;
    for s in steps {
        let file = || fixture(s["file"].as_str().unwrap_or_default());
        match s["do"].as_str().unwrap_or_default() {
            "campaign" => {
                ws.create_campaign(&NewCampaign {
                    district: s["district"].as_str().unwrap_or_default().into(),
                    name: None,
                    level: None,
                    system_key: s["system"].as_str().map(String::from),
                    system_file: None,
                })
                .map_err(|e| format!("campaign: {e}"))?;
            }
            "units_import" => {
                ws.apply(&UnitsImport::new(file()), &Job::quiet())
                    .map_err(|e| format!("units_import: {e}"))?;
            }
            "tasks_import" => {
                let options: TasksImportOptions =
                    serde_json::from_value(s["options"].clone()).unwrap_or_default();
                ws.apply(&TasksImport::new(file(), options), &Job::quiet())
                    .map_err(|e| format!("tasks_import: {e}"))?;
            }
            "export_unit_sheets" => {
                ws.export_unit_sheets(&d.path().join("sent"), &Job::quiet())
                    .map_err(|e| format!("export: {e}"))?;
            }
            other => return Err(format!("setup step {other:?} is not known to this test")),
        }
    }
    Ok((d, ws))
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir") {
            let e = e.expect("entry");
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("copy");
    }
}

fn set_mtime(path: &Path, unix: u64) {
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open to set mtime");
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(unix))
        .expect("set mtime");
}

/// The entry's input in `dir`, with the `prepare` mtimes set (git keeps none).
fn prepared_input(entry: &Value, dir: &Path) -> Result<PathBuf, String> {
    let rel = entry["file"].as_str().ok_or("no file")?;
    let src = fidelity(rel);
    let dst = dir.join(src.file_name().ok_or("file name")?);
    copy_tree(&src, &dst);
    for p in entry["prepare"].as_array().into_iter().flatten() {
        let touch = p["touch"].as_str().ok_or("prepare without touch")?;
        let inner = touch
            .strip_prefix(rel)
            .ok_or_else(|| format!("prepare {touch} outside {rel}"))?
            .trim_start_matches('/');
        let unix = p["mtime_unix"]
            .as_u64()
            .ok_or("prepare without mtime_unix")?;
        set_mtime(&dst.join(inner), unix);
    }
    Ok(dst)
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(String::from))
        .collect()
}

/// The issue is at this place (keys absent from `place` match anything).
fn at_place(i: &ImportIssue, place: &Value) -> bool {
    place["sheet"]
        .as_str()
        .is_none_or(|s| i.sheet.as_deref() == Some(s))
        && place["row"]
            .as_u64()
            .is_none_or(|r| i.row == Some(r as u32))
        && place["col"]
            .as_str()
            .is_none_or(|c| i.col.as_deref() == Some(c))
}

/// What the run produced, for the checks.
struct Run {
    preview: Option<CollectPreview>,
    /// The preview's refusal, or the apply's.
    refusal: Option<String>,
    applied: bool,
    before: String,
    after: String,
}

impl Run {
    fn issues(&self) -> &[ImportIssue] {
        self.preview.as_ref().map_or(&[], |p| p.issues.as_slice())
    }

    /// Every message: the issues and the refusal.
    fn messages(&self) -> Vec<String> {
        let mut m: Vec<String> = self.issues().iter().map(|i| i.message.clone()).collect();
        m.extend(self.refusal.clone());
        m
    }
}

fn unit_id(ws: &Workspace, name: &str) -> Result<i64, String> {
    ws.list_units()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .ok_or_else(|| format!("no unit {name}"))
}

/// Check every key of `expect` (already narrowed to the outcome that happened).
fn check(ws: &Workspace, run: &Run, expect: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let Some(map) = expect.as_object() else {
        return vec!["expect is not an object".into()];
    };
    for (key, want) in map {
        let r: Result<(), String> = (|| {
            let p = || run.preview.as_ref().ok_or("no preview");
            match key.as_str() {
                "outcome" | "if" | "never" => Ok(()),
                "can_apply" => {
                    let got = run.preview.as_ref().is_some_and(|p| p.can_apply);
                    (Some(got) == want.as_bool())
                        .then_some(())
                        .ok_or(format!("can_apply is {got}"))
                }
                "message_has" => {
                    let words = strs(want);
                    run.messages()
                        .iter()
                        .any(|m| words.iter().all(|w| m.contains(w)))
                        .then_some(())
                        .ok_or(format!("no message holds all of {words:?}"))
                }
                "message_lacks" | "issues_lack" => {
                    for w in strs(want) {
                        if let Some(m) = run.messages().iter().find(|m| m.contains(&w)) {
                            return Err(format!("“{w}” in {m}"));
                        }
                    }
                    Ok(())
                }
                "place" => {
                    let first = run
                        .issues()
                        .iter()
                        .find(|i| i.severity == Severity::Error)
                        .ok_or("no error")?;
                    at_place(first, want)
                        .then_some(())
                        .ok_or(format!("first error at {first:?}"))
                }
                "errors_at" => {
                    for place in want.as_array().into_iter().flatten() {
                        if !run
                            .issues()
                            .iter()
                            .any(|i| i.severity == Severity::Error && at_place(i, place))
                        {
                            return Err(format!("no error at {place}"));
                        }
                    }
                    Ok(())
                }
                "warnings" | "skipped_rows" => {
                    for w in want.as_array().into_iter().flatten() {
                        let words = strs(&w["has"]);
                        if !run
                            .issues()
                            .iter()
                            .any(|i| at_place(i, w) && words.iter().all(|x| i.message.contains(x)))
                        {
                            return Err(format!("no issue like {w}"));
                        }
                    }
                    Ok(())
                }
                "db_unchanged" => (run.before == run.after)
                    .then_some(())
                    .ok_or("the database changed".into()),
                "must_not_store" => {
                    for w in strs(want) {
                        if run.after.contains(&w) {
                            return Err(format!("“{w}” was stored"));
                        }
                    }
                    Ok(())
                }
                "sheets" => {
                    let n = p()?.sheets.len() as u64;
                    (Some(n) == want.as_u64())
                        .then_some(())
                        .ok_or(format!("{n} sheets"))
                }
                "changes" => {
                    let n = p()?.change_count as u64;
                    (Some(n) == want.as_u64())
                        .then_some(())
                        .ok_or(format!("{n} changes"))
                }
                "rows" => {
                    let n = p()?.sheets.first().ok_or("no sheet")?.rows as u64;
                    (Some(n) == want.as_u64())
                        .then_some(())
                        .ok_or(format!("{n} rows"))
                }
                "duplicates" => {
                    let p = p()?;
                    for w in want.as_array().into_iter().flatten() {
                        let unit = w["unit"].as_str().unwrap_or_default();
                        let d = p
                            .duplicates
                            .iter()
                            .find(|d| d.unit_name == unit)
                            .ok_or(format!("no duplicates for {unit}: {:?}", p.duplicates))?;
                        let mut got: Vec<&str> = d.files.iter().map(|f| f.path.as_str()).collect();
                        let mut files = strs(&w["files"]);
                        got.sort_unstable();
                        files.sort();
                        if got != files {
                            return Err(format!("{unit}: files {got:?}"));
                        }
                        let chosen = d
                            .chosen
                            .as_ref()
                            .and_then(|c| d.files.iter().find(|f| &f.file == c))
                            .map(|f| f.path.as_str());
                        if chosen != w["chosen"].as_str() {
                            return Err(format!("{unit}: chosen {chosen:?}"));
                        }
                        // Collected is the chosen one, and one issue names them all.
                        if !p
                            .sheets
                            .iter()
                            .any(|s| s.unit_name == unit && Some(s.path.as_str()) == chosen)
                        {
                            return Err(format!(
                                "{unit}: the chosen file is not the one collected"
                            ));
                        }
                        if !p.issues.iter().any(|i| {
                            i.message.contains(unit) && files.iter().all(|f| i.message.contains(f))
                        }) {
                            return Err(format!("{unit}: no issue names every file"));
                        }
                    }
                    Ok(())
                }
                "inserted_rows" => {
                    let p = p()?;
                    for w in want.as_array().into_iter().flatten() {
                        let found = p.sheets.iter().flat_map(|s| &s.inserted_rows).any(|x| {
                            Some(x.sheet.as_str()) == w["sheet"].as_str()
                                && Some(x.row as u64) == w["row"].as_u64()
                                && x.below_indicator.map(|n| n as u64)
                                    == w["below_indicator"].as_u64()
                                && Some(x.field.as_str()) == w["what"].as_str()
                                && Some(x.text.as_str()) == w["text"].as_str()
                        });
                        if !found {
                            return Err(format!("inserted row {w} not named"));
                        }
                    }
                    Ok(())
                }
                "reports" => {
                    for (unit, by_no) in want.as_object().into_iter().flatten() {
                        let reports = ws
                            .unit_reports(unit_id(ws, unit)?)
                            .map_err(|e| e.to_string())?;
                        for (no, fields) in by_no.as_object().into_iter().flatten() {
                            let no: i64 = no.parse().map_err(|_| "bad no")?;
                            let (_, r) = reports
                                .iter()
                                .find(|(n, _)| *n == no)
                                .ok_or(format!("{unit}: no report for {no}"))?;
                            for (f, v) in fields.as_object().into_iter().flatten() {
                                let got = match f.as_str() {
                                    "status" => &r.status,
                                    "explanation" => &r.explanation,
                                    "evidence_dir" => &r.evidence_dir,
                                    other => return Err(format!("report field {other}?")),
                                };
                                if Some(got.as_str()) != v.as_str() {
                                    return Err(format!("{unit} {no} {f}: {got:?}, want {v}"));
                                }
                            }
                        }
                    }
                    Ok(())
                }
                "reports_empty_for" => {
                    for unit in strs(want) {
                        let reports = ws
                            .unit_reports(unit_id(ws, &unit)?)
                            .map_err(|e| e.to_string())?;
                        if let Some((no, r)) = reports.iter().find(|(_, r)| {
                            !(r.status.is_empty()
                                && r.explanation.is_empty()
                                && r.evidence_dir.is_empty()
                                && r.contact.is_empty())
                        }) {
                            return Err(format!("{unit}: report stored for {no}: {r:?}"));
                        }
                    }
                    Ok(())
                }
                other => Err(format!("key {other} is not checked by this test")),
            }
        })();
        if let Err(e) = r {
            bad.push(format!("{key}: {e}"));
        }
    }
    bad
}

/// Run one entry; the failures, each with the entry's id.
fn run_entry(entry: &Value) -> Vec<String> {
    let id = entry["id"].as_str().unwrap_or("?").to_string();
    let fail = |m: String| vec![format!("{id}: {m}")];
    let (d, mut ws) = match set_up(entry) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let input = match prepared_input(entry, d.path()) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let imp = CollectImport::new(&input);
    let before = fingerprint(&ws);
    let (preview, mut refusal) = match ws.preview(&imp, &Job::quiet()) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let mut applied = false;
    if preview.is_some() {
        match ws.apply(&imp, &Job::quiet()) {
            Ok(_) => applied = true,
            Err(e) => refusal = Some(e.to_string()),
        }
    }
    let after = fingerprint(&ws);
    let can_apply = preview.as_ref().is_some_and(|p| p.can_apply);
    let run = Run {
        preview,
        refusal,
        applied,
        before,
        after,
    };
    let happened = if run.applied && can_apply {
        "import"
    } else {
        "refuse"
    };
    let expect = &entry["expect"];
    let accepted: Vec<String> = match &expect["outcome"] {
        Value::String(s) => vec![s.clone()],
        v => strs(v),
    };
    if !accepted.iter().any(|a| a == happened) {
        let why = run
            .messages()
            .iter()
            .filter(|m| !m.is_empty())
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ");
        return fail(format!("outcome {happened}, expected {accepted:?} ({why})"));
    }
    if happened == "refuse" && run.before != run.after {
        return fail("refused but the database changed".into());
    }
    let mut bad = check(&ws, &run, expect);
    if let Some(more) = expect["if"].get(happened) {
        bad.extend(check(&ws, &run, more));
    }
    drop(d);
    bad.into_iter().map(|b| format!("{id}: {b}")).collect()
}

#[test]
fn every_collect_case_of_the_fidelity_manifest_does_what_the_files_mean() {
    let entries = collect_entries();
    assert!(entries.len() >= 5, "collect entries: {}", entries.len());
    let mut failures = Vec::new();
    for e in &entries {
        failures.extend(run_entry(e));
    }
    println!(
        "fidelity (收回): {} cases, {} failures",
        entries.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

// ----- The choices the preview offers ---------------------------------------------------------

fn entry(id: &str) -> Value {
    collect_entries()
        .into_iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("entry {id}"))
}

fn choose(file: &str, unit_id: Option<i64>) -> CollectChoice {
    CollectChoice {
        file: file.into(),
        unit_id,
        skip: false,
    }
}

fn with_choices(path: &Path, choices: Vec<CollectChoice>) -> CollectImport {
    CollectImport::with(path, CollectOptions { choices })
}

#[test]
fn a_colleagues_file_is_collected_only_for_the_unit_the_user_chooses() {
    let e = entry("collect-colleague-file");
    let (d, mut ws) = exported();
    let input = prepared_input(&e, d.path()).expect("input");
    let file = "区审计局-创建任务工作表.xlsx";
    let cz = unit_id(&ws, "区财政局").expect("cz");
    let sj = unit_id(&ws, "区审计局").expect("sj");

    // Unchosen: listed with both units and where each is written, and not collected.
    let p = ws
        .preview(&CollectImport::new(&input), &Job::quiet())
        .expect("preview");
    assert!(!p.can_apply);
    assert!(p.sheets.is_empty());
    let m = &p.mismatches[0];
    assert_eq!((m.file.as_str(), m.chosen_unit_id), (file, None));
    let named: Vec<(&str, Vec<&str>)> = m
        .units
        .iter()
        .map(|u| {
            (
                u.unit_name.as_str(),
                u.places.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("区财政局", vec!["导出标记"]),
            ("区审计局", vec!["填报单位", "标题", "文件名"])
        ]
    );

    // A unit the file does not name cannot be chosen.
    let sfj = unit_id(&ws, "区司法局").expect("sfj");
    let p = ws
        .preview(
            &with_choices(&input, vec![choose(file, Some(sfj))]),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(!p.can_apply);
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("所选单位“区司法局”与该文件不符"))
    );

    // Chosen as 区财政局's (the stamp): compared with what was sent to 区财政局.
    let as_cz = with_choices(&input, vec![choose(file, Some(cz))]);
    let p = ws.preview(&as_cz, &Job::quiet()).expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    let s = &p.sheets[0];
    assert_eq!(
        (s.unit_name.as_str(), s.matched_by.key()),
        ("区财政局", "choice")
    );
    assert_eq!(p.mismatches[0].chosen_unit_id, Some(cz));
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("按您的选择收回为“区财政局”"))
    );
    assert!(s.changes.len() > 10);

    // Chosen as 区审计局's: only the rows of indicators 区审计局 holds are collected, the others
    // are named.
    let as_sj = with_choices(&input, vec![choose(file, Some(sj))]);
    let p = ws.preview(&as_sj, &Job::quiet()).expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.sheets[0].unit_name, "区审计局");
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("不是“区审计局”承担的任务"))
    );
    ws.apply(&as_sj, &Job::quiet()).expect("apply");
    let stored = ws.unit_reports(sj).expect("reports");
    assert!(
        stored
            .iter()
            .any(|(_, r)| r.explanation.starts_with("区审计局已按要求落实")),
        "{stored:?}"
    );
    assert!(
        ws.unit_reports(cz)
            .expect("r")
            .iter()
            .all(|(_, r)| r.explanation.is_empty())
    );

    // Left out: nothing collected, and the preview says so.
    let (_d2, mut ws2) = exported();
    let skip = with_choices(
        &input,
        vec![CollectChoice {
            file: file.into(),
            unit_id: None,
            skip: true,
        }],
    );
    let before = fingerprint(&ws2);
    let p = ws2.preview(&skip, &Job::quiet()).expect("preview");
    assert!(p.can_apply && p.sheets.is_empty() && p.mismatches[0].skipped);
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("按您的选择，未收回该文件"))
    );
    ws2.apply(&skip, &Job::quiet()).expect("apply");
    let after = fingerprint(&ws2);
    assert!(!after.contains("区审计局已按要求落实"));
    assert_ne!(before, after, "the collect itself is logged");
}

#[test]
fn of_two_returns_the_user_may_choose_the_older_one() {
    let e = entry("collect-two-versions-same-folder");
    let (d, mut ws) = exported();
    let input = prepared_input(&e, d.path()).expect("input");
    let draft = "区司法局-创建任务工作表.xlsx";
    let p = ws
        .preview(&CollectImport::new(&input), &Job::quiet())
        .expect("preview");
    let dup = &p.duplicates[0];
    assert_eq!(dup.reason, "newest");
    assert_eq!(dup.reason_label, "默认收回最近修改的一份");
    // Both listed with what each would do: the 初稿 fills 5 rows, the 修改版 every row.
    let changes: Vec<(&str, i64)> = dup
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.changes))
        .collect();
    assert_eq!(
        changes,
        [(draft, 10), ("区司法局-创建任务工作表_修改版.xlsx", 52)]
    );
    assert!(dup.files.iter().all(|f| f.modified.is_some()));

    // The user picks the 初稿: by the name shown, by the path inside the folder, or the path on
    // disk; it is collected and the 修改版 is not.
    let on_disk = input.join(draft).display().to_string();
    for name in [draft.to_string(), format!("./{draft}"), on_disk] {
        let p = ws
            .preview(
                &with_choices(&input, vec![choose(&name, None)]),
                &Job::quiet(),
            )
            .expect("preview");
        assert!(p.can_apply, "{name}: {:?}", p.issues);
        assert_eq!(p.duplicates[0].reason, "choice", "{name}");
        assert_eq!(p.duplicates[0].reason_label, "按您的选择", "{name}");
        assert_eq!(p.sheets[0].path, draft, "{name}");
        assert_eq!(p.change_count, 10, "{name}");
    }
    ws.apply(
        &with_choices(&input, vec![choose(draft, None)]),
        &Job::quiet(),
    )
    .expect("apply");
    let all = fingerprint(&ws);
    assert!(all.contains("初稿：正在推进") && !all.contains("修改版："));

    // Both chosen, or a file that is not there: refused, naming what is wrong.
    let p = ws
        .preview(
            &with_choices(
                &input,
                vec![
                    choose(draft, None),
                    choose("区司法局-创建任务工作表_修改版.xlsx", None),
                ],
            ),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(!p.can_apply);
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("每个单位只能收回一份"))
    );
    let p = ws
        .preview(
            &with_choices(&input, vec![choose("区司法局-终稿.xlsx", None)]),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(!p.can_apply);
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("没有找到所选的文件“区司法局-终稿.xlsx”"))
    );
}

#[test]
fn in_a_zip_the_entry_times_decide_and_the_older_entry_can_be_chosen() {
    let e = entry("collect-two-versions-in-zip");
    let (d, ws) = exported();
    let input = prepared_input(&e, d.path()).expect("input");
    let p = ws
        .preview(&CollectImport::new(&input), &Job::quiet())
        .expect("preview");
    let dup = &p.duplicates[0];
    let shown: Vec<(&str, &str, Option<&str>)> = dup
        .files
        .iter()
        .map(|f| (f.file.as_str(), f.folder.as_str(), f.modified.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "two-versions-one-unit.zip/各单位报送/区司法局/区司法局-创建任务工作表（初稿）.xlsx",
                "各单位报送/区司法局",
                Some("2025-09-01 09:00")
            ),
            (
                "two-versions-one-unit.zip/各单位报送/区司法局/区司法局-创建任务工作表.xlsx",
                "各单位报送/区司法局",
                Some("2025-09-05 17:30")
            ),
        ]
    );
    let first = dup.files[0].file.clone();
    let p = ws
        .preview(
            &with_choices(&input, vec![choose(&first, None)]),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(p.can_apply);
    let sfj = p
        .sheets
        .iter()
        .find(|s| s.unit_name == "区司法局")
        .expect("sfj");
    assert_eq!(sfj.file, first);
}

#[test]
fn inserted_rows_are_joined_to_the_indicator_above_as_visible_changes() {
    let e = entry("collect-rows-inserted");
    let (d, mut ws) = exported();
    let input = prepared_input(&e, d.path()).expect("input");
    let p = ws
        .preview(&CollectImport::new(&input), &Job::quiet())
        .expect("preview");
    let s = &p.sheets[0];
    assert!(
        s.inserted_rows.iter().all(|r| r.attached),
        "{:?}",
        s.inserted_rows
    );
    let change = |no: i64, field: &str| {
        s.changes
            .iter()
            .find(|c| c.no == no && c.field == field)
            .map(|c| c.new.clone())
    };
    assert_eq!(
        change(5, "自评说明").as_deref(),
        Some(
            "住建局已落实（指标5）\n补充说明：该项工作已纳入区政府年度重点工作，9月底前完成验收。"
        )
    );
    assert_eq!(
        change(16, "佐证材料目录").as_deref(),
        Some("1.指标16工作方案\n2.指标16工作台账\n3.指标16现场照片")
    );
    ws.apply(&CollectImport::new(&input), &Job::quiet())
        .expect("apply");
    let zj = unit_id(&ws, "区住房和城乡建设局").expect("zj");
    let stored = ws.unit_reports(zj).expect("reports");
    let r16 = &stored.iter().find(|(n, _)| *n == 16).expect("16").1;
    assert_eq!(r16.evidence_dir.lines().count(), 3);
}

#[test]
fn an_inserted_row_with_text_in_a_locked_column_or_a_second_status_is_listed_not_collected() {
    // The unit added a whole row of its own (指标内容 and 自评说明, no number) and a second 完成情况
    // under another indicator: neither can be placed, both are named with their text.
    let (d, mut ws) = exported();
    let src = fixture("hostile/collect/filled-区司法局.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let grids = shifan_core::sheet::read_tables(&src).expect("reads");
    let g = grids.iter().find(|g| g.name == "任务清单").expect("sheet");
    let sheet = book.add_worksheet().set_name("任务清单").expect("name");
    let mut out_row = 0u32;
    for r in 0..g.rows.len() {
        for c in 0..g.width() {
            let t = g.text(r, c);
            if !t.is_empty() {
                sheet.write_string(out_row, c as u16, t).expect("w");
            }
        }
        out_row += 1;
        if r == 4 {
            sheet
                .write_string(out_row, 2, "单位自行增加的工作")
                .expect("w");
            sheet.write_string(out_row, 8, "已开展专项行动").expect("w");
            out_row += 1;
        }
        if r == 6 {
            sheet.write_string(out_row, 7, "推进中").expect("w");
            out_row += 1;
        }
    }
    let stamp = grids
        .iter()
        .find(|g| g.text(0, 0) == "SHIFAN-STAMP")
        .expect("stamp");
    let st = book.add_worksheet().set_name("_shifan_stamp").expect("n");
    st.write_string(0, 0, "SHIFAN-STAMP").expect("w");
    st.write_string(0, 1, stamp.text(0, 1)).expect("w");
    let path = d.path().join("区司法局-创建任务工作表.xlsx");
    book.save(&path).expect("save");

    let p = ws
        .preview(&CollectImport::new(&path), &Job::quiet())
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    let rows = &p.sheets[0].inserted_rows;
    let added: Vec<(u32, &str, &str, bool)> = rows
        .iter()
        .map(|r| (r.row, r.field.as_str(), r.text.as_str(), r.attached))
        .collect();
    assert_eq!(
        added,
        [
            (6, "指标内容", "单位自行增加的工作", false),
            (6, "自评说明", "已开展专项行动", false),
            (9, "完成情况", "推进中", false),
        ]
    );
    let msg = |row: u32| {
        p.issues
            .iter()
            .find(|i| i.row == Some(row))
            .map(|i| i.message.clone())
            .unwrap_or_default()
    };
    assert!(
        msg(6).contains("内容未收回") && msg(6).contains("已开展专项行动"),
        "{}",
        msg(6)
    );
    assert!(msg(9).contains("只能有一个完成情况"), "{}", msg(9));
    ws.apply(&CollectImport::new(&path), &Job::quiet())
        .expect("apply");
    assert!(!fingerprint(&ws).contains("已开展专项行动"));
}

#[test]
fn a_file_the_user_gives_to_a_unit_that_returned_its_own_sheet_too_is_one_of_its_two() {
    // 区审计局 filled 区财政局's file, and 区财政局's own return is in the folder as well.
    let (d, ws) = exported();
    let dir = d.path().join("回收");
    copy_tree(&fidelity("collect/colleague-file"), &dir);
    let own = "区财政局-创建任务工作表.xlsx";
    std::fs::copy(fixture("tasks/collect").join(own), dir.join(own)).expect("copy");
    let colleague = "区审计局-创建任务工作表.xlsx";
    let cz = unit_id(&ws, "区财政局").expect("cz");

    // Given to 区财政局: "collect this file for 区财政局" — its own return is then not collected,
    // and the preview lists both as 区财政局's.
    let p = ws
        .preview(
            &with_choices(&dir, vec![choose(colleague, Some(cz))]),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    let dup = p
        .duplicates
        .iter()
        .find(|x| x.unit_id == cz)
        .expect("listed");
    assert_eq!(dup.chosen.as_deref(), Some(colleague));
    assert_eq!(dup.reason, "choice");

    // Choosing its own return as well is two files for one unit: refused, saying why.
    let both = vec![choose(colleague, Some(cz)), choose(own, None)];
    let p = ws
        .preview(&with_choices(&dir, both), &Job::quiet())
        .expect("preview");
    assert!(!p.can_apply);
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("每个单位只能收回一份"))
    );

    // Its own return, with the colleague's file left out: collected by its stamp.
    let own_only = vec![
        CollectChoice {
            file: colleague.into(),
            unit_id: None,
            skip: true,
        },
        choose(own, None),
    ];
    let p = ws
        .preview(&with_choices(&dir, own_only), &Job::quiet())
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.sheets.len(), 1);
    assert_eq!(
        (p.sheets[0].path.as_str(), p.sheets[0].matched_by.key()),
        (own, "stamp")
    );
}

/// (indicator no, field, new value) of every change a collect preview lists.
fn changes_of(p: &CollectPreview) -> Vec<(i64, String, String)> {
    let mut v: Vec<_> = p
        .sheets
        .iter()
        .flat_map(|s| s.changes.iter())
        .map(|c| (c.no, c.field.clone(), c.new.clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn a_sheet_whose_indicator_numbers_were_overwritten_is_placed_by_the_indicator_text() {
    // The unit numbered its rows 1, 2, 3… in 指标序号 (or put a running 序号 there): each row
    // still carries the 指标内容 it was sent with, and that decides, with a warning at the row.
    let (d, ws) = exported();
    let src = fixture("hostile/collect/filled-区司法局.xlsx");
    let as_sent = ws
        .preview(&CollectImport::new(&src), &Job::quiet())
        .expect("preview");
    let renumbered = d.path().join("区司法局-创建任务工作表.xlsx");
    shifan_tests::rewrite_returned(
        &src,
        &renumbered,
        |sheet, r, c, t| {
            (sheet == "任务清单" && r >= 3 && c == 0 && !t.is_empty()).then(|| (r - 2).to_string())
        },
        &[],
    );
    let p = ws
        .preview(&CollectImport::new(&renumbered), &Job::quiet())
        .expect("preview");
    assert!(!changes_of(&as_sent).is_empty());
    assert_eq!(changes_of(&p), changes_of(&as_sent), "{:?}", p.issues);
    let placed = p
        .issues
        .iter()
        .filter(|i| i.col.as_deref() == Some("A") && i.message.contains("已按指标内容对应到指标"))
        .count();
    assert!(
        placed >= changes_of(&as_sent).len().min(3),
        "{:?}",
        p.issues
    );
}

#[test]
fn a_units_sheet_sent_again_with_corrections_replaces_its_own_first_return() {
    let (d, mut ws) = exported();
    let src = fixture("hostile/collect/filled-区司法局.xlsx");
    ws.apply(&CollectImport::new(&src), &Job::quiet())
        .expect("first return");
    let again = d.path().join("区司法局-创建任务工作表（修改）.xlsx");
    shifan_tests::rewrite_returned(
        &src,
        &again,
        |sheet, r, c, _| {
            (sheet == "任务清单" && (r, c) == (3, 8)).then(|| "已全面落实，见附件。".into())
        },
        &[],
    );
    let p = ws
        .preview(&CollectImport::new(&again), &Job::quiet())
        .expect("preview");
    assert!(
        p.sheets[0].conflicts.is_empty(),
        "{:?}",
        p.sheets[0].conflicts
    );
    assert_eq!(
        changes_of(&p),
        [(
            5,
            "自评说明".to_string(),
            "已全面落实，见附件。".to_string()
        )]
    );
    ws.apply(&CollectImport::new(&again), &Job::quiet())
        .expect("second return");
    let sfj = unit_id(&ws, "区司法局").expect("unit");
    let stored = ws.unit_reports(sfj).expect("reports");
    assert_eq!(
        stored
            .iter()
            .find(|(n, _)| *n == 5)
            .expect("5")
            .1
            .explanation,
        "已全面落实，见附件。"
    );
}

#[test]
fn a_single_file_collected_may_be_chosen_by_its_full_path() {
    let e = entry("collect-colleague-file");
    let (d, ws) = exported();
    let input = prepared_input(&e, d.path()).expect("input");
    let name = "区审计局-创建任务工作表.xlsx";
    let single = if input.is_dir() {
        input.join(name)
    } else {
        input
    };
    let full = std::path::absolute(&single).expect("absolute");
    let cz = unit_id(&ws, "区财政局").expect("cz");
    let chosen = with_choices(&single, vec![choose(&full.display().to_string(), Some(cz))]);
    let p = ws.preview(&chosen, &Job::quiet()).expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.sheets.len(), 1);
    assert_eq!(
        (p.sheets[0].unit_name.as_str(), p.sheets[0].matched_by.key()),
        ("区财政局", "choice")
    );
    assert!(
        p.issues.iter().all(|i| !i.message.contains("未用到")),
        "{:?}",
        p.issues
    );
}
