//! No silent wrong result, for the files as offices send them (tests/fixtures/fidelity/, see its
//! README, tests/fixtures/fidelity-variants/: the same habits done other ways, and
//! tests/fixtures/xls/: the hidden cases saved as legacy .xls): every
//! manifest entry run through the indicator-system import, each `expect` key asserted. One
//! table-driven test; a failing entry is reported by its id with what differed. (The units,
//! tasks, collect, hand-over and database entries are checked by their own tests.)

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use shifan_core::model::{ImportIssue, IndicatorImportPreview, IndicatorLeaf, Severity};
use shifan_core::sheet::{Grid, read_tables};
use shifan_core::text::parse_number_label;
use shifan_core::{Error, IndicatorImport, Job, Workspace};
use shifan_tests::{english_in, fingerprint, fixture, fresh};

/// The entries of both corpora, each with the folder its files are in.
fn manifest() -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    for dir in ["fidelity", "fidelity-variants", "xls", "fidelity-habits"] {
        let text =
            std::fs::read_to_string(fixture(&format!("{dir}/manifest.json"))).expect("manifest");
        let entries: Vec<Value> = serde_json::from_str(&text).expect("manifest json");
        out.extend(entries.into_iter().map(|e| (dir, e)));
    }
    out
}

/// The state an entry imports into, from its `setup_steps`.
fn setup(e: &Value) -> Result<(tempfile::TempDir, Workspace), String> {
    let (d, mut ws) = fresh();
    for step in e["setup_steps"].as_array().into_iter().flatten() {
        match step["do"].as_str() {
            Some("campaign") => {
                ws.create_campaign(&shifan_core::model::NewCampaign {
                    district: step["district"].as_str().unwrap_or("曾都区").into(),
                    name: None,
                    level: None,
                    system_key: step["system"].as_str().map(str::to_string),
                    system_file: None,
                })
                .map_err(|err| format!("setup: {err}"))?;
            }
            other => return Err(format!("setup step {other:?} is not supported here")),
        }
    }
    Ok((d, ws))
}

/// What happened to one file.
enum Run {
    /// Previewed, applied; the preview and what is stored afterwards.
    Imported(IndicatorImportPreview, Vec<IndicatorLeaf>),
    /// Refused: every message the user saw (the refusal and the preview's issues), the issues.
    Refused(Vec<String>, Vec<ImportIssue>),
}

fn run(ws: &mut Workspace, path: &Path) -> Result<Run, String> {
    let before = fingerprint(ws);
    let refused = |ws: &mut Workspace, mut msgs: Vec<String>, issues: Vec<ImportIssue>| {
        if fingerprint(ws) != before {
            return Err("the preview changed the database".to_string());
        }
        match ws.apply(&IndicatorImport::new(path, true), &Job::quiet()) {
            Ok(_) => return Err("the preview refused but applying went through".into()),
            Err(err) => msgs.push(err.to_string()),
        }
        if fingerprint(ws) != before {
            return Err("a refused apply changed the database".to_string());
        }
        Ok(Run::Refused(msgs, issues))
    };
    match ws.preview(&IndicatorImport::new(path, true), &Job::quiet()) {
        Err(err) => {
            let issues = match &err {
                Error::Import { issues, .. } => issues.clone(),
                _ => Vec::new(),
            };
            let mut msgs = vec![err.to_string()];
            msgs.extend(issues.iter().map(|i| i.message.clone()));
            refused(ws, msgs, issues)
        }
        Ok(p) if !p.can_apply => {
            let msgs = p.issues.iter().map(|i| i.message.clone()).collect();
            refused(ws, msgs, p.issues)
        }
        Ok(p) => {
            if fingerprint(ws) != before {
                return Err("the preview changed the database".to_string());
            }
            let stored = ws
                .apply(&IndicatorImport::new(path, true), &Job::quiet())
                .map_err(|err| format!("the preview could apply, applying failed: {err}"))?;
            if stored.leaf_count != p.leaf_count {
                return Err(format!(
                    "previewed {} indicators, stored {}",
                    p.leaf_count, stored.leaf_count
                ));
            }
            let leaves = ws
                .indicator_leaves(None, None)
                .map_err(|err| format!("leaves: {err}"))?;
            Ok(Run::Imported(p, leaves))
        }
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn nos(v: &Value) -> BTreeSet<i64> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect()
}

/// An issue at a manifest place (`sheet`, `row`, `col`; a missing key matches anything).
fn at_place(i: &ImportIssue, place: &Value) -> bool {
    let sheet_ok = place["sheet"]
        .as_str()
        .is_none_or(|s| i.sheet.as_deref() == Some(s));
    let row_ok = place["row"]
        .as_u64()
        .is_none_or(|r| i.row == Some(r as u32));
    let col_ok = place["col"]
        .as_str()
        .is_none_or(|c| i.col.as_deref() == Some(c));
    sheet_ok && row_ok && col_ok
}

fn col_index(letters: &str) -> usize {
    letters
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1))
        - 1
}

fn grid<'a>(grids: &'a [Grid], sheet: &str) -> Result<&'a Grid, String> {
    grids
        .iter()
        .find(|g| g.name == sheet)
        .ok_or_else(|| format!("no sheet {sheet} in the file"))
}

/// Check the keys that hold for this outcome; the failures, as sentences.
fn check(key: &str, want: &Value, path: &Path, got: &Run) -> Result<(), String> {
    let all_msgs: Vec<String> = match got {
        Run::Imported(p, _) => p.issues.iter().map(|i| i.message.clone()).collect(),
        Run::Refused(m, _) => m.clone(),
    };
    let issues: &[ImportIssue] = match got {
        Run::Imported(p, _) => &p.issues,
        Run::Refused(_, i) => i,
    };
    let imported = |what: &str| -> Result<(&IndicatorImportPreview, &[IndicatorLeaf]), String> {
        match got {
            Run::Imported(p, l) => Ok((p, l)),
            Run::Refused(..) => Err(format!("{what}: refused, no import to check")),
        }
    };
    match key {
        "outcome" | "if" | "never" => Ok(()),
        "can_apply" => {
            let can = matches!(got, Run::Imported(..));
            (Some(can) == want.as_bool())
                .then_some(())
                .ok_or(format!("can_apply is {can}"))
        }
        "db_unchanged" => Ok(()), // checked by run() for every refusal
        "message_has" => {
            let words = strs(want);
            all_msgs
                .iter()
                .any(|m| words.iter().all(|w| m.contains(w.as_str())))
                .then_some(())
                .ok_or(format!("no message holds all of {words:?}: {all_msgs:#?}"))
        }
        "message_lacks" | "issues_lack" => {
            let words = strs(want);
            match all_msgs
                .iter()
                .find(|m| words.iter().any(|w| m.contains(w.as_str())))
            {
                Some(m) => Err(format!("a message holds one of {words:?}: {m}")),
                None => Ok(()),
            }
        }
        "place" => {
            let first = issues.iter().find(|i| i.severity == Severity::Error);
            match first {
                Some(i) if at_place(i, want) => Ok(()),
                other => Err(format!("first error at {want}: {other:?}")),
            }
        }
        "errors_at" => {
            for p in want.as_array().into_iter().flatten() {
                if !issues
                    .iter()
                    .any(|i| i.severity == Severity::Error && at_place(i, p))
                {
                    return Err(format!("no error at {p}"));
                }
            }
            Ok(())
        }
        "warnings" => {
            for w in want.as_array().into_iter().flatten() {
                let words = strs(&w["has"]);
                if !issues
                    .iter()
                    .any(|i| at_place(i, w) && words.iter().all(|x| i.message.contains(x.as_str())))
                {
                    return Err(format!("no issue {w}: {issues:#?}"));
                }
            }
            Ok(())
        }
        "skipped_rows" => {
            let (_, leaves) = imported(key)?;
            let grids = read_tables(path).map_err(|e| e.to_string())?;
            for p in want.as_array().into_iter().flatten() {
                if !issues.iter().any(|i| at_place(i, p)) {
                    return Err(format!("the preview does not name the skipped row {p}"));
                }
                let g = grid(&grids, p["sheet"].as_str().unwrap_or(""))?;
                let r = p["row"].as_u64().unwrap_or(0) as usize - 1;
                let texts: Vec<&str> = (0..g.width())
                    .map(|c| g.text(r, c))
                    .filter(|t| t.chars().count() > 8)
                    .collect();
                if let Some(l) = leaves.iter().find(|l| texts.contains(&l.text.as_str())) {
                    return Err(format!("row {p} was read as no. {}", l.no));
                }
            }
            Ok(())
        }
        "rows_named" => {
            for r in want
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_u64)
            {
                let needle = format!("第{r}行");
                if !all_msgs.iter().any(|m| m.contains(&needle)) {
                    return Err(format!("no message names {needle}"));
                }
            }
            Ok(())
        }
        "leaf_count" => {
            let (p, leaves) = imported(key)?;
            let n = want.as_i64().unwrap_or(-1);
            (p.leaf_count == n && leaves.len() as i64 == n)
                .then_some(())
                .ok_or(format!(
                    "{} indicators previewed, {} stored, want {n}",
                    p.leaf_count,
                    leaves.len()
                ))
        }
        "levels" => {
            let (p, _) = imported(key)?;
            (p.level_names.len() as i64 == want.as_i64().unwrap_or(-1))
                .then_some(())
                .ok_or(format!("levels {:?}", p.level_names))
        }
        "level_counts" => {
            let (p, _) = imported(key)?;
            let mut got = p.branch_counts.clone();
            got.push(p.leaf_count);
            let want: Vec<i64> = want
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_i64)
                .collect();
            (got == want)
                .then_some(())
                .ok_or(format!("per level {got:?}, want {want:?}"))
        }
        "numbers" => {
            let (_, leaves) = imported(key)?;
            let (a, b) = want
                .as_str()
                .and_then(|s| s.split_once(".."))
                .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
                .ok_or("numbers: bad range")?;
            let got: Vec<i64> = leaves.iter().map(|l| l.no).collect();
            (got == (a..=b).collect::<Vec<_>>())
                .then_some(())
                .ok_or(format!("numbers {got:?}"))
        }
        "texts" => {
            let (_, leaves) = imported(key)?;
            for (no, text) in want.as_object().into_iter().flatten() {
                let l = leaves.iter().find(|l| l.no.to_string() == *no);
                match l {
                    Some(l) if Some(l.text.as_str()) == text.as_str() => {}
                    Some(l) => return Err(format!("no. {no} reads “{}”, want {text}", l.text)),
                    None => return Err(format!("no. {no} missing")),
                }
            }
            Ok(())
        }
        "texts_lack" => {
            let (_, leaves) = imported(key)?;
            for w in strs(want) {
                if let Some(l) = leaves.iter().find(|l| {
                    l.text.contains(&w) || l.methods.as_deref().is_some_and(|m| m.contains(&w))
                }) {
                    return Err(format!("no. {} holds “{w}”: {}", l.no, l.text));
                }
            }
            Ok(())
        }
        "must_not_store" => {
            let (p, leaves) = imported(key)?;
            for w in strs(want) {
                let in_tree = format!("{:?}", p.roots).contains(&w);
                if in_tree || leaves.iter().any(|l| format!("{l:?}").contains(&w)) {
                    return Err(format!("“{w}” was stored"));
                }
            }
            Ok(())
        }
        "score_sum" => {
            let (_, leaves) = imported(key)?;
            let sum: f64 = leaves.iter().filter_map(|l| l.score).sum();
            ((sum - want.as_f64().unwrap_or(f64::NAN)).abs() < 1e-6)
                .then_some(())
                .ok_or(format!("分值 sum {sum}"))
        }
        "score_null" => {
            let (_, leaves) = imported(key)?;
            let got: BTreeSet<i64> = leaves
                .iter()
                .filter(|l| l.score.is_none())
                .map(|l| l.no)
                .collect();
            (got == nos(want))
                .then_some(())
                .ok_or(format!("empty 分值 at {got:?}"))
        }
        "score_one_count" => {
            let (_, leaves) = imported(key)?;
            let n = leaves.iter().filter(|l| l.score == Some(1.0)).count() as i64;
            (Some(n) == want.as_i64())
                .then_some(())
                .ok_or(format!("{n} indicators with 分值 1"))
        }
        "methods_null" => {
            let (_, leaves) = imported(key)?;
            let got: BTreeSet<i64> = leaves
                .iter()
                .filter(|l| l.methods.is_none())
                .map(|l| l.no)
                .collect();
            (got == nos(want))
                .then_some(())
                .ok_or(format!("empty 评估方式 at {got:?}"))
        }
        "sheet" => {
            let (p, _) = imported(key)?;
            (Some(p.source.as_str()) == want.as_str())
                .then_some(())
                .ok_or(format!("read from {}", p.source))
        }
        "number_column" => {
            // The column named is the one read: its numbers below the header are the numbers
            // stored, in order (the other numbering columns of these files differ).
            let (_, leaves) = imported(key)?;
            let grids = read_tables(path).map_err(|e| e.to_string())?;
            let g = grid(&grids, want["sheet"].as_str().unwrap_or(""))?;
            let header = want["row"].as_u64().unwrap_or(0) as usize - 1;
            let c = col_index(want["col"].as_str().unwrap_or("A"));
            let in_col: Vec<i64> = (header + 1..g.rows.len())
                .filter(|r| !g.hidden_rows.contains(r))
                .filter_map(|r| parse_number_label(g.text(r, c)))
                .collect();
            let stored: Vec<i64> = leaves.iter().map(|l| l.no).collect();
            (in_col == stored && !stored.is_empty())
                .then_some(())
                .ok_or(format!(
                    "column {} ({}) holds {in_col:?}, stored {stored:?}",
                    want["col"],
                    g.text(header, c)
                ))
        }
        other => Err(format!("expect key {other:?} is not checked by this test")),
    }
}

fn check_entry(dir: &str, e: &Value) -> Result<(), String> {
    let path = fixture(&format!("{dir}/{}", e["file"].as_str().ok_or("no file")?));
    let (_d, mut ws) = setup(e)?;
    let got = run(&mut ws, &path)?;
    let outcome = match got {
        Run::Imported(..) => "import",
        Run::Refused(..) => "refuse",
    };
    let expect = &e["expect"];
    let accepted: Vec<String> = match &expect["outcome"] {
        Value::String(s) => vec![s.clone()],
        v => strs(v),
    };
    if !accepted.iter().any(|a| a == outcome) {
        let why = match &got {
            Run::Refused(m, _) => format!(": {m:#?}"),
            Run::Imported(p, _) => format!(" ({} indicators)", p.leaf_count),
        };
        return Err(format!("outcome {outcome}, want {accepted:?}{why}"));
    }
    // Whatever the outcome, no English reaches the user.
    let msgs: Vec<String> = match &got {
        Run::Imported(p, _) => p.issues.iter().map(|i| i.message.clone()).collect(),
        Run::Refused(m, _) => m.clone(),
    };
    if let Some((m, w)) = msgs
        .iter()
        .find_map(|m| english_in(m).map(|w| (m.clone(), w)))
    {
        return Err(format!("English “{w}” in: {m}"));
    }
    let mut failures = Vec::new();
    let mut keys: Vec<(&String, &Value)> = expect.as_object().ok_or("expect")?.iter().collect();
    if let Some(extra) = expect["if"][outcome].as_object() {
        keys.extend(extra.iter());
    }
    for (k, v) in keys {
        if let Err(f) = check(k, v, &path, &got) {
            failures.push(format!("{k}: {f}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n    "))
    }
}

#[test]
fn every_fidelity_file_imports_the_indicator_system_it_means_or_says_why_not() {
    let entries: Vec<(&str, Value)> = manifest()
        .into_iter()
        .filter(|(_, e)| e["importer"] == "indicators")
        .collect();
    assert!(entries.len() >= 20, "indicator entries: {}", entries.len());
    let mut failures = Vec::new();
    for (dir, e) in &entries {
        let id = e["id"].as_str().unwrap_or("?");
        if let Err(f) = check_entry(dir, e) {
            failures.push(format!("{id}:\n    {f}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fidelity entries fail:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}
