//! 督察 rounds and the 问题清单/整改台账: importing the lists offices write (fixtures made by
//! openpyxl and LibreOffice, described in tests/fixtures/problems/manifest.json), tracking each
//! unit's part through 待整改 → 整改中 → 已整改待核验 → 已销号 with its history, 逾期 on a
//! given day, the 反馈意见整改表, per-unit 问题整改表 out and back, 反馈函, 催办 and 自查.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use shifan_core::problems::import::ProblemsImportOptions;
use shifan_core::problems::remind::RemindOptions;
use shifan_core::problems::selfcheck::SelfAssessmentInput;
use shifan_core::problems::{
    PartEdit, ProblemEdit, ProblemFilter, ProblemInfo, RoundInput, StatusChange,
};
use shifan_core::{Job, ProblemsCollect, ProblemsImport, Workspace};
use shifan_tests::bench::row;
use shifan_tests::{fingerprint, fixture, problems_exported, with_problems};

fn manifest() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixture("problems/manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("json")
}

fn entry(file: &str) -> serde_json::Value {
    manifest()
        .into_iter()
        .find(|e| e["file"] == file)
        .unwrap_or_else(|| panic!("{file} in manifest"))
}

fn units_only() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = shifan_tests::with_demo_campaign();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &Job::quiet(),
    )
    .expect("units");
    (d, ws)
}

fn import(ws: &mut Workspace, file: &str) -> shifan_core::problems::import::ProblemsImportPreview {
    ws.apply(
        &ProblemsImport::new(
            fixture(&format!("problems/{file}")),
            ProblemsImportOptions::default(),
        ),
        &Job::quiet(),
    )
    .unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn round_problems(ws: &Workspace, round: i64, today: &str) -> Vec<ProblemInfo> {
    let mut v = ws
        .list_problems(&ProblemFilter {
            round_id: Some(round),
            today: Some(today.into()),
            ..ProblemFilter::default()
        })
        .expect("list");
    v.sort_by_key(|p| p.seq);
    v
}

/// Write `rows` (header first) as a plain 问题清单 at `path`, import it into a new round, and
/// return the preview with the round's problems as judged on 2023-06-01.
fn import_rows(
    ws: &mut Workspace,
    path: &Path,
    rows: &[Vec<String>],
) -> (
    shifan_core::problems::import::ProblemsImportPreview,
    Vec<ProblemInfo>,
) {
    shifan_tests::bench::write_plain(rows, path);
    let p = ws
        .apply(
            &ProblemsImport::new(path, ProblemsImportOptions::default()),
            &Job::quiet(),
        )
        .expect("import");
    let got = round_problems(ws, p.round.id.expect("round"), "2023-06-01");
    (p, got)
}

/// The stored problems agree with the manifest's rows.
fn check_rows(file: &str, got: &[ProblemInfo], rows: &serde_json::Value) {
    let rows = rows.as_array().expect("rows");
    assert_eq!(got.len(), rows.len(), "{file}: problems");
    for (p, want) in got.iter().zip(rows) {
        let at = format!("{file} problem {}", p.seq);
        assert_eq!(p.seq, want["seq"].as_i64().expect("seq"), "{at}");
        if let Some(k) = want["kind"].as_str() {
            assert_eq!(p.kind, k, "{at}: kind");
        }
        if let Some(c) = want["category"].as_str() {
            assert_eq!(p.category, c, "{at}: category");
        }
        if let Some(ind) = want["indicators"].as_array() {
            let ind: Vec<i64> = ind.iter().filter_map(|x| x.as_i64()).collect();
            assert_eq!(p.indicator_nos, ind, "{at}: indicators");
        }
        if let Some(units) = want["units"].as_array() {
            let names: Vec<&str> = p.units.iter().map(|u| u.unit_name.as_str()).collect();
            let want: Vec<&str> = units.iter().filter_map(|x| x.as_str()).collect();
            assert_eq!(names, want, "{at}: units");
        }
        if want.get("deadline").is_some() {
            assert_eq!(
                p.deadline_date.as_deref(),
                want["deadline"].as_str(),
                "{at}: deadline of “{}”",
                p.deadline_text
            );
        }
        if let Some(k) = want["deadline_kind"].as_str() {
            assert_eq!(p.deadline_kind, k, "{at}: deadline kind");
        }
        if let Some(t) = want["deadline_text"].as_str() {
            assert_eq!(p.deadline_text, t, "{at}: deadline text kept");
        }
    }
}

#[test]
fn an_office_problem_list_imports_with_every_habit_in_xlsx_and_xls() {
    let want = entry("problems-openpyxl.xlsx");
    for file in ["problems-openpyxl.xlsx", "problems-libreoffice.xls"] {
        let (_d, mut ws) = units_only();
        let before = fingerprint(&ws);
        let preview = ws
            .preview(
                &ProblemsImport::new(
                    fixture(&format!("problems/{file}")),
                    ProblemsImportOptions::default(),
                ),
                &Job::quiet(),
            )
            .expect("preview");
        assert_eq!(fingerprint(&ws), before, "a preview stores nothing");
        assert!(preview.can_apply, "{file}: {:?}", preview.issues);
        assert_eq!(
            preview.round.name,
            want["round"]["name"].as_str().expect("name")
        );
        assert!(preview.round.is_new);
        assert_eq!(
            preview.round.start_date.as_deref(),
            want["round"]["start"].as_str()
        );
        assert_eq!(
            preview.round.end_date.as_deref(),
            want["round"]["end"].as_str()
        );
        assert_eq!(
            preview.problem_count,
            want["problems"].as_i64().expect("n"),
            "{file}"
        );
        assert_eq!(preview.common_count, want["common"].as_i64().expect("n"));
        assert_eq!(preview.single_count, want["single"].as_i64().expect("n"));
        assert_eq!(preview.part_count, want["parts"].as_i64().expect("n"));
        assert_eq!(preview.unit_count, want["units"].as_i64().expect("n"));
        let guessed: Vec<&str> = preview.guesses.iter().map(|g| g.written.as_str()).collect();
        assert_eq!(guessed, vec!["曾都区信访局"], "{file}");
        assert!(
            preview.guesses[0].places[0].contains("第13行 E列"),
            "{:?}",
            preview.guesses
        );
        // Every assumed 完成时限 is shown with its place.
        let notes: HashMap<&str, &str> = preview
            .deadline_notes
            .iter()
            .map(|n| (n.written.as_str(), n.places[0].as_str()))
            .collect();
        for w in ["5月底前", "6月底前", "3月底前", "立行立改"] {
            assert!(
                notes.get(w).is_some_and(|p| p.contains("G列")),
                "{file}: {w} in {notes:?}"
            );
        }
        for w in want["warnings"].as_array().expect("w") {
            let w = w.as_str().expect("s");
            assert!(
                preview.issues.iter().any(|i| i.message.contains(w)),
                "{file}: {w}"
            );
        }
        let done = import(&mut ws, file);
        let round = done.round.id.expect("round id");
        let r = ws.round_by_key(&round.to_string()).expect("round");
        assert_eq!(r.kind, "专项督察");
        assert_eq!(r.problem_count, 11);
        assert_eq!(
            r.units.len(),
            16,
            "the units named become the units inspected"
        );
        check_rows(
            file,
            &round_problems(&ws, round, "2023-04-20"),
            &want["rows"],
        );
        // Each problem's history starts with where it came from.
        let p = &round_problems(&ws, round, "2023-04-20")[3];
        let d = ws.problem_detail(p.id, None).expect("detail");
        assert_eq!(d.history.len(), 1);
        assert!(d.history[0].new.contains("第7行"), "{:?}", d.history[0]);
        // The same list again changes nothing.
        let again = ws
            .preview(
                &ProblemsImport::new(
                    fixture(&format!("problems/{file}")),
                    ProblemsImportOptions::default(),
                ),
                &Job::quiet(),
            )
            .expect("again");
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 11),
            "{file}"
        );
        assert!(!again.round.is_new);
    }
}

#[test]
fn block_headings_and_other_header_names_are_read() {
    let want = entry("problems-headings-wps.xlsx");
    let (_d, mut ws) = units_only();
    let p = import(&mut ws, "problems-headings-wps.xlsx");
    assert_eq!(p.round.name, want["round"]["name"].as_str().expect("name"));
    assert_eq!(p.round.kind, "实地督查");
    assert_eq!(
        p.round.start_date.as_deref(),
        want["round"]["start"].as_str()
    );
    assert_eq!(p.round.end_date.as_deref(), want["round"]["end"].as_str());
    assert_eq!((p.common_count, p.single_count), (2, 2));
    let round = p.round.id.expect("id");
    check_rows(
        "problems-headings-wps.xlsx",
        &round_problems(&ws, round, "2023-11-01"),
        &want["rows"],
    );
}

#[test]
fn an_existing_ledger_brings_its_statuses_and_the_units_columns() {
    let want = entry("problems-ledger.xlsx");
    let (_d, mut ws) = units_only();
    let p = import(&mut ws, "problems-ledger.xlsx");
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("第7行 I列") && i.message.contains("看情况"))
    );
    let v = round_problems(&ws, p.round.id.expect("id"), "2023-06-01");
    for (seq, status) in want["statuses"].as_object().expect("statuses") {
        let x = v.iter().find(|x| x.seq.to_string() == *seq).expect("seq");
        assert_eq!(x.status, status.as_str().expect("s"), "problem {seq}");
    }
    assert_eq!(v[0].units[0].measures, "补齐台账资料");
    assert_eq!(
        v[0].units[0].closed_on.as_deref(),
        Some("2023-06-28"),
        "the 销号 date written with it"
    );
    assert_eq!(v[2].progress_text, "0/2 已整改");
}

#[test]
fn bad_rows_are_refused_with_file_sheet_row_and_column_and_nothing_changes() {
    let want = entry("problems-bad.xlsx");
    let (_d, mut ws) = units_only();
    let before = fingerprint(&ws);
    let imp = ProblemsImport::new(
        fixture("problems/problems-bad.xlsx"),
        ProblemsImportOptions::default(),
    );
    let p = ws.preview(&imp, &Job::quiet()).expect("preview");
    assert!(!p.can_apply);
    let e = ws.apply(&imp, &Job::quiet()).expect_err("refused");
    let errors: Vec<&shifan_core::model::ImportIssue> = e
        .issues()
        .iter()
        .filter(|i| i.severity == shifan_core::model::Severity::Error)
        .collect();
    for place in want["errors"].as_array().expect("errors") {
        let place = place.as_str().expect("s");
        assert!(
            errors.iter().any(|i| i.message.contains(place)
                && i.message.contains("problems-bad.xlsx")
                && i.message.contains("问题清单")
                && i.sheet.is_some()
                && i.row.is_some()
                && i.col.is_some()),
            "{place}: {errors:?}"
        );
    }
    assert_eq!(fingerprint(&ws), before);
    // Creating unknown units fixes one error only.
    let p = ws
        .preview(
            &ProblemsImport::new(
                fixture("problems/problems-bad.xlsx"),
                ProblemsImportOptions {
                    create_units: true,
                    ..Default::default()
                },
            ),
            &Job::quiet(),
        )
        .expect("preview");
    assert_eq!(p.unknown_units.len(), 1);
    assert!(!p.can_apply);
}

#[test]
fn each_unit_moves_its_part_through_the_statuses_and_every_change_is_kept() {
    let (_d, mut ws) = with_problems();
    let v = round_problems(&ws, 1, "2023-06-01");
    // Problem 1 (共性, 2023-04-30) for three units; problem 7 (长期坚持).
    let p1 = &v[0];
    assert_eq!(p1.overdue_count, 3, "all three parts overdue on 2023-06-01");
    assert_eq!(p1.overdue_days, Some(32));
    assert_eq!(v[6].overdue_days, None, "长期坚持 is never overdue");
    // Overdue first in the ledger.
    let ledger = ws
        .list_problems(&ProblemFilter {
            today: Some("2023-06-01".into()),
            ..Default::default()
        })
        .expect("ledger");
    assert!(ledger[0].overdue_days >= ledger[1].overdue_days);
    assert!(ledger.last().is_some_and(|p| p.overdue_days.is_none()));
    let judicial = ws.unit_by_key("司法局").expect("unit");
    // 待整改 → 整改中 → 已整改待核验 → 已销号 for 区司法局 only.
    for s in ["整改中", "已整改待核验"] {
        ws.set_problem_status(&StatusChange {
            problem_id: p1.id,
            unit_id: Some(judicial.id),
            status: s.into(),
            ..Default::default()
        })
        .expect(s);
    }
    let e = ws
        .set_problem_status(&StatusChange {
            problem_id: p1.id,
            unit_id: Some(judicial.id),
            status: "已销号".into(),
            ..Default::default()
        })
        .expect_err("销号 needs a date");
    assert!(e.to_string().contains("销号日期"), "{e}");
    let p = ws
        .set_problem_status(&StatusChange {
            problem_id: p1.id,
            unit_id: Some(judicial.id),
            status: "已销号".into(),
            closed_on: Some("2023-06-20".into()),
            note: Some("核验通过".into()),
        })
        .expect("close");
    assert_eq!(p.progress_text, "1/3 已整改，1 个已销号");
    assert_eq!(
        p.status, "整改中",
        "the problem stays open while two units are"
    );
    let part = p
        .units
        .iter()
        .find(|u| u.unit_id == judicial.id)
        .expect("part");
    assert_eq!(
        (part.closed_on.as_deref(), part.close_note.as_str()),
        (Some("2023-06-20"), "核验通过")
    );
    // Reopened: recorded as such, the 销号 date gone.
    let p = ws
        .set_problem_status(&StatusChange {
            problem_id: p1.id,
            unit_id: Some(judicial.id),
            status: "整改中".into(),
            note: Some("复查发现仍有2件未补审".into()),
            ..Default::default()
        })
        .expect("reopen");
    assert!(p.units.iter().all(|u| u.closed_on.is_none()));
    // Text, deadline and a unit's part.
    ws.edit_problem(&ProblemEdit {
        id: p1.id,
        deadline_text: Some("2023年7月31日前".into()),
        reason: Some("经研究延期".into()),
        ..Default::default()
    })
    .expect("deadline");
    ws.edit_problem_part(&PartEdit {
        problem_id: p1.id,
        unit_id: judicial.id,
        measures: Some("逐件补审".into()),
        evidence: Some(vec!["E-0012".into(), "补审登记表.pdf".into()]),
        ..Default::default()
    })
    .expect("part");
    let d = ws
        .problem_detail(p1.id, Some("2023-06-01"))
        .expect("detail");
    assert_eq!(d.problem.deadline_date.as_deref(), Some("2023-07-31"));
    assert_eq!(
        d.problem.overdue_count, 0,
        "the new deadline has not passed"
    );
    let fields: Vec<&str> = d.history.iter().map(|e| e.field.as_str()).collect();
    // Newest first.
    assert_eq!(
        fields,
        vec![
            "evidence", "measures", "deadline", "reopen", "close", "status", "status", "created"
        ]
    );
    let reopen = &d.history[3];
    assert_eq!(
        (reopen.old.as_str(), reopen.new.as_str()),
        ("已销号", "整改中")
    );
    assert_eq!(reopen.note, "复查发现仍有2件未补审");
    assert_eq!(reopen.unit_name.as_deref(), Some("区司法局"));
    assert_eq!(d.history[2].old, "2023年4月30日前");
    assert_eq!(d.history[2].note, "经研究延期");
    // Every part of a problem at once.
    let p = ws
        .set_problem_status(&StatusChange {
            problem_id: v[1].id,
            unit_id: None,
            status: "已销号".into(),
            closed_on: Some("2023-09-30".into()),
            ..Default::default()
        })
        .expect("close all");
    assert_eq!(p.status, "已销号");
    // Filters: a unit's parts, a status, an indicator, overdue.
    let judicial_open = ws
        .list_problems(&ProblemFilter {
            unit_id: Some(judicial.id),
            status: Some("待整改".into()),
            ..Default::default()
        })
        .expect("filter");
    let mut seqs: Vec<i64> = judicial_open.iter().map(|p| p.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, vec![5, 6]);
    let by_indicator = ws
        .list_problems(&ProblemFilter {
            indicator_no: Some(37),
            ..Default::default()
        })
        .expect("filter");
    assert_eq!(by_indicator.len(), 1);
    let overdue = ws
        .list_problems(&ProblemFilter {
            overdue_only: Some(true),
            today: Some("2023-06-01".into()),
            ..Default::default()
        })
        .expect("filter");
    assert!(overdue.iter().all(|p| p.overdue_count > 0));
    assert!(
        !overdue.iter().any(|p| p.seq == 2),
        "closed problems are not overdue"
    );
    let found = ws
        .list_problems(&ProblemFilter {
            search: Some("信访".into()),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(found.len(), 1);
    assert!(
        ws.list_problems(&ProblemFilter {
            status: Some("办结".into()),
            ..Default::default()
        })
        .is_err()
    );
}

#[test]
fn the_league_table_ranks_units_by_overdue_then_open_problems() {
    let (_d, mut ws) = with_problems();
    let v = round_problems(&ws, 1, "2023-06-01");
    // Close 区财政局's part of problem 1.
    let finance = ws.unit_by_key("区财政局").expect("unit");
    ws.set_problem_status(&StatusChange {
        problem_id: v[0].id,
        unit_id: Some(finance.id),
        status: "已销号".into(),
        closed_on: Some("2023-05-20".into()),
        ..Default::default()
    })
    .expect("close");
    let league = ws
        .problem_league(Some(1), Some("2023-06-01"))
        .expect("league");
    // 区司法局: problems 1, 5 (06-30) and 6 (立行立改 04-14): 2 overdue.
    assert_eq!(league[0].unit_name, "区司法局");
    assert_eq!(
        (league[0].total, league[0].overdue, league[0].open),
        (3, 2, 3)
    );
    for w in league.windows(2) {
        assert!(
            (w[0].overdue, w[0].open) >= (w[1].overdue, w[1].open),
            "{} before {}",
            w[0].unit_name,
            w[1].unit_name
        );
    }
    let f = league
        .iter()
        .find(|s| s.unit_id == finance.id)
        .expect("finance");
    assert_eq!((f.closed, f.done_rate), (1, 100.0));
}

/// The cells of a sheet as text, by (row, col) 0-based, read with calamine.
fn cells(path: &Path) -> (Vec<Vec<String>>, Vec<String>) {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).expect("open");
    let names = wb.sheet_names().to_vec();
    let r = wb.worksheet_range(&names[0]).expect("range");
    let rows = r
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    (rows, names)
}

#[test]
fn the_feedback_table_is_formatted_for_printing_and_imports_back_as_it_was() {
    let (d, mut ws) = with_problems();
    let p = ws.list_problems(&ProblemFilter::default()).expect("list");
    let judicial = ws.unit_by_key("区司法局").expect("u");
    let first = p.iter().find(|x| x.seq == 1).expect("1");
    ws.edit_problem_part(&PartEdit {
        problem_id: first.id,
        unit_id: judicial.id,
        measures: Some("=逐件补审".into()),
        ..Default::default()
    })
    .expect("part");
    let path = d.path().join("反馈意见整改表.xlsx");
    ws.export_problems(1, &path).expect("export");
    let (rows, names) = cells(&path);
    assert_eq!(names, vec!["反馈意见整改表"]);
    assert!(rows[0][0].contains("反馈意见整改表"));
    assert!(
        rows[1][0].contains("共 11 个问题（共性 4 个、个性 7 个）"),
        "{}",
        rows[1][0]
    );
    assert_eq!(
        rows[2],
        vec![
            "序号",
            "问题类型",
            "问题描述",
            "所涉指标",
            "整改责任单位",
            "整改要求",
            "完成时限",
            "整改措施",
            "整改进展",
            "完成情况",
            "整改状态"
        ]
    );
    assert_eq!(rows[3][4], "区司法局、区财政局、区人力资源和社会保障局");
    assert_eq!(
        rows[3][7], "区司法局：=逐件补审",
        "a unit's measures named for a 共性 problem"
    );
    assert_eq!(rows[3][10], "待整改（0/3 已整改）");
    let sheet = shifan_tests::xlsx_part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(r#"orientation="landscape""#) && sheet.contains(r#"paperSize="9""#),
        "A4 landscape"
    );
    assert!(sheet.contains(r#"<pane ySplit="3""#), "header frozen");
    assert!(sheet.contains("<dataValidation"), "整改状态 dropdown");
    assert!(
        sheet.contains(r#"<mergeCell ref="B4:B7"/>"#),
        "问题类型 merged over the 共性 block: {sheet}"
    );
    let wbx = shifan_tests::xlsx_part(&path, "xl/workbook.xml");
    assert!(
        wbx.contains("_xlnm.Print_Titles"),
        "header repeated on every page"
    );
    // Imported into a new round, the same problems come back.
    let again = ws
        .apply(
            &ProblemsImport::new(
                &path,
                ProblemsImportOptions {
                    round: Some("复核轮次".into()),
                    ..Default::default()
                },
            ),
            &Job::quiet(),
        )
        .expect("re-import");
    assert!(again.can_apply && again.round.is_new, "{:?}", again.issues);
    let a = round_problems(&ws, 1, "2023-06-01");
    let b = round_problems(&ws, again.round.id.expect("id"), "2023-06-01");
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (
                &x.kind,
                &x.description,
                &x.indicator_nos,
                &x.deadline_text,
                &x.deadline_date,
                &x.requirement
            ),
            (
                &y.kind,
                &y.description,
                &y.indicator_nos,
                &y.deadline_text,
                &y.deadline_date,
                &y.requirement
            )
        );
        let names = |p: &ProblemInfo| p.units.iter().map(|u| u.unit_id).collect::<Vec<_>>();
        assert_eq!(names(x), names(y), "units of {}", x.seq);
    }
}

#[test]
fn per_unit_sheets_filled_by_other_programs_come_back_with_their_changes() {
    let (_d, mut ws) = problems_exported();
    let folder = fixture("problems/collect");
    let before = fingerprint(&ws);
    let p = ws
        .preview(&ProblemsCollect::new(&folder), &Job::quiet())
        .expect("preview");
    assert_eq!(fingerprint(&ws), before);
    assert!(p.can_apply, "{:?}", p.issues);
    let m: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).expect("m"))
            .expect("json");
    assert_eq!(p.sheets.len(), m.len());
    for want in &m {
        let file = want["file"].as_str().expect("file");
        let s = p
            .sheets
            .iter()
            .find(|s| s.file == file)
            .unwrap_or_else(|| panic!("{file}"));
        assert_eq!(
            s.matched_by.key(),
            want["matched_by"].as_str().expect("m"),
            "{file}"
        );
        assert_eq!(
            s.changes.len() as i64,
            want["changes"].as_i64().expect("c"),
            "{file}: {:?}",
            s.changes
        );
        assert_eq!(s.round_id, 1);
    }
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("已销号") && i.row.is_some()),
        "销号 refused"
    );
    assert!(p.issues.iter().any(|i| i.message.contains("搞定了")));
    let done = ws
        .apply(&ProblemsCollect::new(&folder), &Job::quiet())
        .expect("apply");
    assert_eq!(done.change_count, p.change_count);
    let v = round_problems(&ws, 1, "2023-06-01");
    for want in &m {
        let unit = ws
            .unit_by_key(
                want["file"]
                    .as_str()
                    .expect("f")
                    .split(['-', '（'])
                    .next()
                    .expect("unit"),
            )
            .expect("unit");
        for (seq, status) in want["status"].as_object().into_iter().flatten() {
            let p = v.iter().find(|p| p.seq.to_string() == *seq).expect("seq");
            let part = p.units.iter().find(|u| u.unit_id == unit.id).expect("part");
            assert_eq!(
                part.status,
                status.as_str().expect("s"),
                "{} problem {seq}",
                unit.name
            );
        }
    }
    // The history says the change came from the returned sheet.
    let d = ws.problem_detail(v[0].id, None).expect("detail");
    assert!(
        d.history
            .iter()
            .any(|e| e.source == "collect" && e.field == "measures")
    );
    // Collecting the same files again changes nothing.
    let again = ws
        .preview(&ProblemsCollect::new(&folder), &Job::quiet())
        .expect("again");
    assert_eq!(again.change_count, 0);
}

#[test]
fn a_field_both_the_unit_and_the_office_changed_is_a_conflict_and_is_not_overwritten() {
    let (d, mut ws) = problems_exported();
    let judicial = ws.unit_by_key("区司法局").expect("u");
    let v = round_problems(&ws, 1, "2023-06-01");
    // The office writes 整改措施 of problem 1 after the export; the unit wrote its own.
    ws.edit_problem_part(&PartEdit {
        problem_id: v[0].id,
        unit_id: judicial.id,
        measures: Some("依法治区办代填：逐件补审".into()),
        ..Default::default()
    })
    .expect("office edit");
    let file = fixture("problems/collect/区司法局-督察问题整改表.xlsx");
    let p = ws
        .apply(&ProblemsCollect::new(&file), &Job::quiet())
        .expect("collect");
    let s = &p.sheets[0];
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
    let c = &s.conflicts[0];
    assert_eq!(
        (c.seq, c.field.as_str(), c.office.as_str()),
        (1, "整改措施", "依法治区办代填：逐件补审")
    );
    let now = round_problems(&ws, 1, "2023-06-01");
    let part = now[0]
        .units
        .iter()
        .find(|u| u.unit_id == judicial.id)
        .expect("part");
    assert_eq!(
        part.measures, "依法治区办代填：逐件补审",
        "the office's text stays"
    );
    assert_eq!(
        part.progress, "已补审12件，登记表已启用。",
        "the other fields are taken"
    );
    // A task sheet picked by mistake is refused with a clear message.
    ws.apply(
        &shifan_core::TasksImport::new(
            fixture("tasks/tasks-libreoffice.xlsx"),
            shifan_core::tasks::import::TasksImportOptions::default(),
        ),
        &Job::quiet(),
    )
    .expect("tasks");
    let sent = d.path().join("task-sheets");
    ws.export_unit_sheets(&sent, &Job::quiet())
        .expect("task sheets");
    let e = ws
        .preview(
            &ProblemsCollect::new(sent.join("区司法局-创建任务工作表.xlsx")),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(!e.can_apply);
    assert!(
        e.issues
            .iter()
            .any(|i| i.message.contains("创建任务工作表")),
        "{:?}",
        e.issues
    );
    // And the other way round.
    let t = ws
        .preview(&shifan_core::CollectImport::new(&file), &Job::quiet())
        .expect("preview");
    assert!(!t.can_apply);
    assert!(
        t.issues.iter().any(|i| i.message.contains("问题整改表")),
        "{:?}",
        t.issues
    );
}

fn docx_text(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    z.by_name("word/document.xml")
        .expect("doc")
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[test]
fn one_letter_per_unit_numbered_and_kept_when_made_again() {
    let (d, mut ws) = with_problems();
    let mut s = ws.letter_settings().expect("settings");
    assert_eq!(s.doc_prefix, "曾法办函");
    s.first_number = 5;
    s.date = "2023-04-20".into();
    s.contact = "王晓明".into();
    s.phone = "0722-3000001".into();
    s.opening = "{督察时间}，{发文机关}对{单位}开展了{督察类型}。".into();
    ws.set_letter_settings(&s).expect("save");
    let zip_path = d.path().join("反馈函.zip");
    let out = ws
        .export_letters(1, &zip_path, &Job::quiet())
        .expect("letters");
    assert_eq!(out.letters.len(), 16, "one per unit with problems");
    let judicial = out
        .letters
        .iter()
        .find(|l| l.unit_name == "区司法局")
        .expect("judicial");
    assert_eq!(
        judicial.doc_no, "曾法办函〔2023〕5号",
        "the first unit in list order"
    );
    assert_eq!(judicial.problem_count, 3);
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("zip")).expect("zip");
    assert_eq!(z.len(), 16);
    let mut bytes = Vec::new();
    z.by_name(&judicial.file)
        .expect("entry")
        .read_to_end(&mut bytes)
        .expect("read");
    let xml = docx_text(&bytes);
    for w in [
        "曾法办函〔2023〕5号",
        "区司法局：",
        "2023年4月10日至4月14日，中共曾都区委全面依法治区委员会办公室对区司法局开展了专项督察。",
        "权责清单未根据机构改革情况动态调整。",
        "联系人：王晓明，联系电话：0722-3000001。",
        "2023年4月20日",
        "<w:tblHeader/>",
    ] {
        assert!(xml.contains(w), "{w}");
    }
    // Another unit's problems are not in it.
    assert!(!xml.contains("信访事项办理超期"));
    // Made again (a new unit in between): the numbers stay.
    s.first_number = 1;
    ws.set_letter_settings(&s).expect("save");
    let folder = d.path().join("反馈函");
    let again = ws.export_letters(1, &folder, &Job::quiet()).expect("again");
    let numbers = |e: &shifan_core::problems::letters::LettersExport| -> Vec<String> {
        e.letters.iter().map(|l| l.doc_no.clone()).collect()
    };
    assert_eq!(numbers(&again), numbers(&out));
    assert_eq!(std::fs::read_dir(&folder).expect("ls").count(), 16);
}

#[test]
fn cancelled_exports_and_letters_leave_nothing_behind() {
    let (d, mut ws) = with_problems();
    let before = fingerprint(&ws);
    let job = Job::quiet();
    job.cancel().cancel();
    let target = d.path().join("out");
    assert!(matches!(
        ws.export_problem_sheets(1, &target, &job),
        Err(shifan_core::Error::Cancelled)
    ));
    assert!(matches!(
        ws.export_letters(1, &target.join("x.zip"), &job),
        Err(shifan_core::Error::Cancelled)
    ));
    assert!(!target.exists() || std::fs::read_dir(&target).expect("ls").count() == 0);
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn reminders_list_open_and_overdue_items_ready_to_paste() {
    let (_d, mut ws) = with_problems();
    let judicial = ws.unit_by_key("区司法局").expect("u");
    let r = ws
        .remind(&RemindOptions {
            unit_id: Some(judicial.id),
            today: Some("2023-05-10".into()),
            ..Default::default()
        })
        .expect("remind");
    let m = &r.reminders[0];
    assert_eq!((m.open_count, m.overdue_count), (3, 2));
    let lines: Vec<&str> = m.text.lines().collect();
    assert!(
        lines[0].starts_with("【催办】区司法局：截至2023年5月10日"),
        "{}",
        m.text
    );
    assert!(lines[0].contains("尚有3个督察问题未完成整改，其中2个已逾期"));
    // Most overdue first, numbered, with deadlines.
    assert!(lines[1].starts_with("1.【已逾期26天】"), "{}", lines[1]);
    assert!(lines[1].contains("（时限：立行立改；待整改）"));
    assert!(lines[2].starts_with("2.【已逾期10天】"));
    assert!(lines[3].starts_with("3.权责清单"));
    // All units with overdue items at once.
    let all = ws
        .remind(&RemindOptions {
            overdue_only: true,
            today: Some("2023-05-10".into()),
            ..Default::default()
        })
        .expect("all");
    assert!(
        all.combined.contains("区司法局：逾期2个（未完成共3个）"),
        "{}",
        all.combined
    );
    assert!(all.reminders.iter().all(|r| r.overdue_count > 0));
    assert!(!all.reminders.iter().any(|r| r.text.contains("长期坚持")));
    // Done parts are not chased.
    let v = round_problems(&ws, 1, "2023-05-10");
    ws.set_problem_status(&StatusChange {
        problem_id: v[5].id,
        unit_id: None,
        status: "已整改待核验".into(),
        ..Default::default()
    })
    .expect("done");
    let r = ws
        .remind(&RemindOptions {
            unit_id: Some(judicial.id),
            today: Some("2023-05-10".into()),
            ..Default::default()
        })
        .expect("remind");
    assert_eq!(
        (r.reminders[0].open_count, r.reminders[0].overdue_count),
        (2, 1)
    );
}

#[test]
fn self_assessments_start_from_what_units_returned_and_are_reviewed() {
    let (_d, mut ws) = shifan_tests::exported();
    ws.apply(
        &shifan_core::CollectImport::new(fixture("tasks/collect")),
        &Job::quiet(),
    )
    .expect("collect task sheets");
    let all = ws.list_self_assessments().expect("list");
    assert_eq!(all.len(), 100);
    let from = all
        .iter()
        .find(|a| a.from_reports.iter().any(|f| f == "rating"))
        .expect("an indicator whose lead unit returned its 完成情况");
    assert!(!from.rating.is_empty());
    let no = from.no;
    // 同意 stores what was shown.
    let a = ws
        .save_self_assessment(&SelfAssessmentInput {
            no,
            review: Some("同意".into()),
            ..Default::default()
        })
        .expect("review");
    assert_eq!(a.review, "同意");
    assert!(a.from_reports.is_empty(), "saved now");
    assert_eq!(
        (a.rating.as_str(), a.explanation.as_str()),
        (from.rating.as_str(), from.explanation.as_str())
    );
    // Changing the content sends it back to 待审核.
    let a = ws
        .save_self_assessment(&SelfAssessmentInput {
            no,
            rating: Some("基本达标".into()),
            explanation: Some("补充说明".into()),
            evidence: Some(vec!["E-0003".into()]),
            ..Default::default()
        })
        .expect("edit");
    assert_eq!((a.rating.as_str(), a.review.as_str()), ("基本达标", ""));
    assert_eq!(a.evidence, vec!["E-0003"]);
    // 退回 needs a reason; bad values are refused in Chinese.
    let e = ws
        .save_self_assessment(&SelfAssessmentInput {
            no,
            review: Some("退回".into()),
            ..Default::default()
        })
        .expect_err("reason");
    assert!(e.to_string().contains("退回理由"));
    assert!(
        ws.save_self_assessment(&SelfAssessmentInput {
            no,
            rating: Some("优秀".into()),
            ..Default::default()
        })
        .is_err()
    );
    // The demo system has no scores: no self score.
    let e = ws
        .save_self_assessment(&SelfAssessmentInput {
            no,
            score: Some(1.0),
            ..Default::default()
        })
        .expect_err("no scores");
    assert!(e.to_string().contains("没有分值"), "{e}");
}

#[test]
fn rounds_are_kept_with_their_units_and_team() {
    let (_d, mut ws) = units_only();
    let u = ws.unit_by_key("区司法局").expect("u");
    let r = ws
        .save_round(&RoundInput {
            name: "2023年实地督查".into(),
            start_date: Some("2023/10/16".into()),
            end_date: Some("2023-10-20".into()),
            team: "张三、李四".into(),
            unit_ids: vec![u.id],
            ..Default::default()
        })
        .expect("round");
    assert_eq!(
        (r.kind.as_str(), r.start_date.as_deref()),
        ("实地督查", Some("2023-10-16"))
    );
    assert_eq!(r.units.len(), 1);
    let e = ws
        .save_round(&RoundInput {
            name: "2023年实地督查".into(),
            ..Default::default()
        })
        .expect_err("duplicate");
    assert!(e.to_string().contains("已存在"));
    let e = ws
        .save_round(&RoundInput {
            name: "x".into(),
            start_date: Some("明天".into()),
            ..Default::default()
        })
        .expect_err("date");
    assert!(e.to_string().contains("开始日期"));
    // A unit named in a problem cannot be deleted.
    let p = import(&mut ws, "problems-openpyxl.xlsx");
    let e = ws.delete_unit(u.id).expect_err("in use");
    assert!(e.to_string().contains("督察问题"), "{e}");
    let e = ws
        .delete_round(p.round.id.expect("id"))
        .expect_err("has problems");
    assert!(e.to_string().contains("不能删除"));
    ws.delete_round(r.id).expect("empty round");
}

/// 200+ problems over 69 units: the 反馈意见整改表, the per-unit sheets out and back, and the
/// letters. (Times are printed, never asserted.)
#[test]
fn two_hundred_problems_over_69_units_go_out_come_back_and_make_letters() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let units: Vec<String> = ws
        .list_units()
        .expect("u")
        .into_iter()
        .take(69)
        .map(|u| u.name)
        .collect();
    assert_eq!(units.len(), 69);
    let path = d.path().join("问题清单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sh = wb.add_worksheet();
    sh.write_string(0, 0, "2024年专项督察问题清单").expect("w");
    for (c, h) in [
        "序号",
        "问题类型",
        "问题描述",
        "所涉指标",
        "整改责任单位",
        "整改要求",
        "完成时限",
    ]
    .iter()
    .enumerate()
    {
        sh.write_string(1, c as u16, *h).expect("w");
    }
    for i in 0..212usize {
        let r = i as u32 + 2;
        let common = i < 8;
        let who = if common {
            (0..18)
                .map(|k| units[(i * 5 + k) % 69].clone())
                .collect::<Vec<_>>()
                .join("、")
        } else {
            units[i % 69].clone()
        };
        sh.write_number(r, 0, (i + 1) as f64).expect("w");
        sh.write_string(r, 1, if common { "共性" } else { "个性" })
            .expect("w");
        sh.write_string(
            r,
            2,
            format!("第{}个问题：台账资料不完整，相关制度未及时修订。", i + 1),
        )
        .expect("w");
        sh.write_string(r, 3, format!("第{}项", i % 100 + 1))
            .expect("w");
        sh.write_string(r, 4, &who).expect("w");
        sh.write_string(r, 5, "逐项整改，按时报送整改情况。")
            .expect("w");
        sh.write_string(
            r,
            6,
            ["2024年6月30日前", "立行立改", "长期坚持", "9月底前"][i % 4],
        )
        .expect("w");
    }
    wb.save(&path).expect("save");
    let t = std::time::Instant::now();
    let p = ws
        .apply(
            &ProblemsImport::new(&path, ProblemsImportOptions::default()),
            &Job::quiet(),
        )
        .expect("import");
    assert_eq!(
        (p.problem_count, p.common_count, p.unit_count),
        (212, 8, 69)
    );
    let round = p.round.id.expect("id");
    let imported = t.elapsed();
    let t = std::time::Instant::now();
    ws.export_problems(round, &d.path().join("反馈意见整改表.xlsx"))
        .expect("export");
    let exported = t.elapsed();
    let t = std::time::Instant::now();
    let sheets = ws
        .export_problem_sheets(round, &d.path().join("各单位.zip"), &Job::quiet())
        .expect("sheets");
    assert_eq!(sheets.unit_count, 69);
    let t_sheets = t.elapsed();
    let t = std::time::Instant::now();
    let back = ws
        .apply(
            &ProblemsCollect::new(d.path().join("各单位.zip")),
            &Job::quiet(),
        )
        .expect("collect");
    assert_eq!(back.sheets.len(), 69);
    assert!(
        back.can_apply && back.change_count == 0,
        "{:?}",
        back.issues.first()
    );
    let t_collect = t.elapsed();
    let t = std::time::Instant::now();
    let letters = ws
        .export_letters(round, &d.path().join("反馈函"), &Job::quiet())
        .expect("letters");
    assert_eq!(letters.letters.len(), 69);
    println!(
        "212 个问题、69 个单位：导入 {imported:.2?}，反馈意见整改表 {exported:.2?}，各单位问题整改表 {t_sheets:.2?}，收回 {t_collect:.2?}，反馈函 {:.2?}",
        t.elapsed()
    );
}

#[test]
fn problems_are_found_by_the_one_search_and_leave_it_when_undone() {
    let (_d, mut ws) = with_problems();
    let hits = ws.search("审核意见书").expect("search");
    let found: Vec<_> = hits.iter().filter(|h| h.kind == "problem").collect();
    assert_eq!(found.len(), 1, "{hits:#?}");
    assert_eq!(found[0].kind_label, "问题");
    assert!(found[0].title.starts_with("第1号"), "{:?}", found[0]);
    assert!(found[0].detail.contains("专项督察"), "{:?}", found[0]);
    // A two-character word finds it too (LIKE on the same index).
    assert!(
        ws.search("签名")
            .expect("search")
            .iter()
            .any(|h| h.kind == "problem")
    );
    // Undoing the import takes its problems out of the search as well.
    ws.undo_last_import(&shifan_core::Job::quiet())
        .expect("undo");
    assert!(
        ws.search("审核意见书")
            .expect("search")
            .iter()
            .all(|h| h.kind != "problem")
    );
}

#[test]
fn an_edited_problem_is_found_by_its_new_words_at_once() {
    let (_d, mut ws) = with_problems();
    let hits = ws.search("审核意见书").expect("search");
    let found: Vec<_> = hits.iter().filter(|h| h.kind == "problem").collect();
    assert_eq!(found.len(), 1, "{hits:#?}");
    // An edited description is found by its new words at once, and no longer by the old.
    let id = found[0].id;
    ws.edit_problem(&shifan_core::problems::ProblemEdit {
        id,
        description: Some("执法案卷缺少法制审核记录表，且未附听证笔录".into()),
        ..Default::default()
    })
    .expect("edit");
    let hits = ws.search("听证笔录").expect("search");
    assert!(
        hits.iter().any(|h| h.kind == "problem" && h.id == id),
        "{hits:#?}"
    );
    assert!(
        ws.search("审核意见书")
            .expect("search")
            .iter()
            .all(|h| !(h.kind == "problem" && h.id == id))
    );
}

/// A 问题清单 written with names the roster does not have: 区大数据中心 (another name of 区政务服务和
/// 数据管理局), 区营商办 (a unit of its own) and 区税务局 (a slip for 区财政局).
fn list_with_other_names(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("问题清单（单位写法不一）.xlsx");
    let problem = |no: &str, desc: &str, unit: &str| -> Vec<String> {
        row(&[
            no,
            "个性",
            desc,
            "第15项",
            unit,
            "立即整改",
            "2023年6月30日前",
        ])
    };
    let rows = vec![
        row(&[
            "序号",
            "问题类型",
            "问题描述",
            "所涉指标",
            "整改责任单位",
            "整改要求",
            "完成时限",
        ]),
        problem("1", "政务公开栏目更新不及时。", "区大数据中心"),
        problem("2", "涉企检查未报备。", "区营商办"),
        problem("3", "预算公开不完整。", "区税务局"),
        problem("4", "数据共享目录未公开。", "区大数据中心、区司法局"),
    ];
    shifan_tests::bench::write_plain(&rows, &path);
    path
}

#[test]
fn each_unit_name_the_list_writes_otherwise_takes_the_users_choice() {
    use shifan_core::units::{NameAction, NameChoice};
    let (d, mut ws) = units_only();
    let list = list_with_other_names(d.path());
    let choice = |written: &str, action: NameAction, unit: &str| NameChoice {
        written: written.into(),
        action,
        unit: unit.into(),
    };
    let with = |choices: Vec<NameChoice>| {
        ProblemsImport::new(
            &list,
            ProblemsImportOptions {
                name_choices: choices,
                ..Default::default()
            },
        )
    };
    // Without choices the three names block the import, each named with its place.
    let p = ws
        .preview(&with(Vec::new()), &Job::quiet())
        .expect("preview");
    assert!(!p.can_apply);
    let unknown: Vec<&str> = p.unknown_units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        unknown,
        vec!["区大数据中心", "区税务局", "区营商办"],
        "{p:#?}"
    );

    // Map one, create one, refuse one: still blocked, by the refused name only.
    let before = fingerprint(&ws);
    let imp = with(vec![
        choice("区大数据中心", NameAction::Map, "区政务服务和数据管理局"),
        choice("区营商办", NameAction::Create, ""),
        choice("区税务局", NameAction::Refuse, ""),
        choice("区城管局", NameAction::Create, ""),
    ]);
    let p = ws.preview(&imp, &Job::quiet()).expect("preview");
    assert!(!p.can_apply);
    assert!(p.unknown_units.is_empty(), "{:?}", p.unknown_units);
    let errors: Vec<_> = p
        .issues
        .iter()
        .filter(|i| i.severity == shifan_core::model::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains("已选择不接受“区税务局”"),
        "{errors:?}"
    );
    assert_eq!(errors[0].row, Some(4));
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("对“区城管局”所作的选择未用到")),
        "an unused choice is said"
    );
    let mapped = p
        .chosen
        .iter()
        .find(|c| c.written == "区大数据中心")
        .expect("mapped");
    assert_eq!(mapped.unit_name, "区政务服务和数据管理局");
    assert_eq!(mapped.places.len(), 2, "rows 2 and 5: {mapped:?}");
    assert!(ws.apply(&imp, &Job::quiet()).is_err());
    assert_eq!(fingerprint(&ws), before, "a refused import changes nothing");

    // 区税务局 was 区财政局: applied, the mapped names become aliases.
    let imp = with(vec![
        choice("区大数据中心", NameAction::Map, "区政务服务和数据管理局"),
        choice("区营商办", NameAction::Create, ""),
        choice("区税务局", NameAction::Map, "区财政局"),
    ]);
    let done = ws.apply(&imp, &Job::quiet()).expect("apply");
    assert_eq!(done.problem_count, 4);
    let round = done.round.id.expect("round");
    let got = round_problems(&ws, round, "2023-05-01");
    let units_of = |desc: &str| -> Vec<String> {
        got.iter()
            .find(|p| p.description == desc)
            .expect(desc)
            .units
            .iter()
            .map(|u| u.unit_name.clone())
            .collect()
    };
    assert_eq!(
        units_of("政务公开栏目更新不及时。"),
        vec!["区政务服务和数据管理局"]
    );
    assert_eq!(units_of("涉企检查未报备。"), vec!["区营商办"]);
    assert_eq!(units_of("预算公开不完整。"), vec!["区财政局"]);
    assert_eq!(
        units_of("数据共享目录未公开。"),
        vec!["区政务服务和数据管理局", "区司法局"]
    );
    let units = ws.list_units().expect("units");
    let finance = units.iter().find(|u| u.name == "区财政局").expect("财政局");
    assert!(finance.aliases.contains(&"区税务局".to_string()));
    // The next list writing the same names needs no choice: nothing changes.
    let again = ws
        .apply(&with(Vec::new()), &Job::quiet())
        .expect("again without choices");
    assert_eq!((again.created, again.unchanged), (0, 4), "{again:#?}");
}

#[test]
fn a_units_corrected_sheet_replaces_its_own_first_return_but_never_a_closed_problem() {
    let (d, mut ws) = problems_exported();
    let judicial = ws.unit_by_key("区司法局").expect("u");
    let first = fixture("problems/collect/区司法局-督察问题整改表.xlsx");
    ws.apply(&ProblemsCollect::new(&first), &Job::quiet())
        .expect("first return");
    // The office verifies problem 5 and closes it.
    let v = round_problems(&ws, 1, "2023-06-01");
    ws.set_problem_status(&StatusChange {
        problem_id: v.iter().find(|p| p.seq == 5).expect("5").id,
        unit_id: Some(judicial.id),
        status: "已销号".into(),
        closed_on: Some("2023-07-01".into()),
        ..Default::default()
    })
    .expect("销号");
    // The unit sends its sheet again: 整改进展 of problem 1 brought up to date, 整改中 written on
    // problem 5 that the office has closed, and a row of its own without 序号.
    let second = d.path().join("区司法局-督察问题整改表（更新）.xlsx");
    shifan_tests::rewrite_returned(
        &first,
        &second,
        |sheet, r, c, _| match (sheet, r, c) {
            ("整改情况", 3, 7) => Some("已补审15件，全部完成。".into()),
            ("整改情况", 4, 9) => Some("整改中".into()),
            _ => None,
        },
        &[("整改情况", 6, 6, "另行制定审核制度。")],
    );
    let p = ws
        .preview(&ProblemsCollect::new(&second), &Job::quiet())
        .expect("preview");
    let s = &p.sheets[0];
    assert!(
        s.conflicts.is_empty(),
        "its own first return is no conflict: {:?}",
        s.conflicts
    );
    let changed: Vec<(i64, &str, &str)> = s
        .changes
        .iter()
        .map(|c| (c.seq, c.field.as_str(), c.new.as_str()))
        .collect();
    assert_eq!(changed, [(1, "整改进展", "已补审15件，全部完成。")]);
    let at = |row: u32, col: &str, words: &str| {
        p.issues.iter().any(|i| {
            i.row == Some(row) && i.col.as_deref() == Some(col) && i.message.contains(words)
        })
    };
    assert!(at(5, "J", "已由依法治区办销号"), "{:?}", p.issues);
    assert!(at(7, "G", "没有序号"), "{:?}", p.issues);
    ws.apply(&ProblemsCollect::new(&second), &Job::quiet())
        .expect("second return");
    let v = round_problems(&ws, 1, "2023-06-01");
    let part = |seq: i64| {
        v.iter()
            .find(|p| p.seq == seq)
            .and_then(|p| p.units.iter().find(|u| u.unit_id == judicial.id))
            .cloned()
            .expect("part")
    };
    assert_eq!(part(1).progress, "已补审15件，全部完成。");
    assert_eq!(
        part(5).status,
        "已销号",
        "a unit never reopens a closed problem"
    );

    // The office edits after the second return: a third sheet from the unit is a conflict.
    ws.edit_problem_part(&PartEdit {
        problem_id: v.iter().find(|p| p.seq == 1).expect("1").id,
        unit_id: judicial.id,
        progress: Some("依法治区办核实：已补审15件。".into()),
        ..Default::default()
    })
    .expect("office edit");
    let third = d.path().join("区司法局-督察问题整改表（再次更新）.xlsx");
    shifan_tests::rewrite_returned(
        &second,
        &third,
        |sheet, r, c, _| (sheet == "整改情况" && (r, c) == (3, 7)).then(|| "已补审16件。".into()),
        &[],
    );
    let p = ws
        .preview(&ProblemsCollect::new(&third), &Job::quiet())
        .expect("preview");
    let c = &p.sheets[0].conflicts;
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].office, "依法治区办核实：已补审15件。");
}

#[test]
fn a_list_in_two_sheets_with_helpers_columns_joined_names_and_per_unit_requirements_says_what_it_reads()
 {
    let (d, mut ws) = units_only();
    let path = d.path().join("专项督察问题清单.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let header = [
        "序号",
        "问题描述",
        "所涉指标",
        "牵头单位",
        "配合单位",
        "整改要求",
        "完成时限",
    ];
    {
        let s = book.add_worksheet().set_name("共性问题").expect("name");
        s.write_string(0, 0, "2023年专项督察问题清单（共性问题）")
            .expect("w");
        s.write_string(1, 0, "督察时间：2023年10月16日-10月20日")
            .expect("w");
        for (c, h) in header.iter().enumerate() {
            s.write_string(2, c as u16, *h).expect("w");
        }
        let rows: [[&str; 7]; 4] = [
            [
                "1",
                "执法案卷评查发现文书不规范。",
                "第43项",
                "区司法局 区财政局 区审计局",
                "区统计局",
                "逐卷整改。",
                "2023年12月31日前",
            ],
            [
                "2",
                "规范性文件备案不及时。",
                "第15项",
                "区司法局及区财政局",
                "",
                "按期备案。",
                "2023年11月30日前",
            ],
            [
                "3",
                "政务公开栏目更新不及时。",
                "第66项",
                "区委宣传部等相关单位",
                "",
                "专人维护。",
                "立行立改",
            ],
            [
                "4",
                "执法证件未按期换领。",
                "第45项",
                "区司法局",
                "",
                "6月底前换领。",
                "2023年12月31日前",
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    s.write_string(3 + r as u32, c as u16, *v).expect("w");
                }
            }
        }
        // Problem 4 goes on over a second unit row with that unit's own requirement.
        s.merge_range(6, 0, 7, 0, "4", &rust_xlsxwriter::Format::new())
            .expect("merge");
        s.merge_range(
            6,
            1,
            7,
            1,
            "执法证件未按期换领。",
            &rust_xlsxwriter::Format::new(),
        )
        .expect("merge");
        s.write_string(7, 3, "区财政局").expect("w");
        s.write_string(7, 5, "9月底前换领。").expect("w");
        s.write_string(7, 6, "2023年12月31日前").expect("w");
    }
    {
        let s = book.add_worksheet().set_name("个性问题").expect("name");
        for (c, h) in header.iter().enumerate() {
            s.write_string(0, c as u16, *h).expect("w");
        }
        for (c, v) in [
            "1",
            "信访事项办理超期。",
            "第18项",
            "区信访局",
            "",
            "限期办结。",
            "2023年12月31日前",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(1, c as u16, *v).expect("w");
        }
    }
    book.save(&path).expect("save");

    let p = ws
        .preview(
            &ProblemsImport::new(&path, ProblemsImportOptions::default()),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    let says = |words: &[&str]| {
        p.issues
            .iter()
            .any(|i| words.iter().all(|w| i.message.contains(w)))
    };
    assert!(says(&["个性问题", "只导入"]), "{:?}", p.issues);
    assert!(says(&["未导入的列", "配合单位"]), "{:?}", p.issues);
    assert!(says(&["等相关单位", "没有指明具体单位"]), "{:?}", p.issues);
    assert!(says(&["整改要求不同"]), "{:?}", p.issues);
    assert_eq!(p.round.name, "2023年专项督察");
    assert_eq!(
        (p.round.start_date.as_deref(), p.round.end_date.as_deref()),
        (Some("2023-10-16"), Some("2023-10-20"))
    );
    ws.apply(
        &ProblemsImport::new(&path, ProblemsImportOptions::default()),
        &Job::quiet(),
    )
    .expect("import");
    let list = ws.list_problems(&ProblemFilter::default()).expect("list");
    let units_of = |desc: &str| {
        let p = list
            .iter()
            .find(|p| p.description == desc && p.round_name == "2023年专项督察")
            .unwrap_or_else(|| panic!("{desc}"));
        (
            p.units
                .iter()
                .map(|u| u.unit_name.clone())
                .collect::<Vec<_>>(),
            p.requirement.clone(),
        )
    };
    assert_eq!(
        units_of("执法案卷评查发现文书不规范。").0,
        ["区司法局", "区财政局", "区审计局"]
    );
    assert_eq!(
        units_of("规范性文件备案不及时。").0,
        ["区司法局", "区财政局"]
    );
    assert_eq!(units_of("政务公开栏目更新不及时。").0, ["区委宣传部"]);
    let (units, requirement) = units_of("执法证件未按期换领。");
    assert_eq!(units, ["区司法局", "区财政局"]);
    assert_eq!(requirement, "6月底前换领。\n9月底前换领。");
}

#[test]
fn a_corrected_list_imported_again_says_which_new_problems_look_like_old_ones() {
    let (d, mut ws) = units_only();
    let write = |path: &Path, rows: &[[&str; 5]]| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let s = book.add_worksheet();
        s.write_string(0, 0, "2023年专项督察问题清单").expect("w");
        for (c, h) in ["序号", "问题描述", "整改责任单位", "整改要求", "完成时限"]
            .iter()
            .enumerate()
        {
            s.write_string(1, c as u16, *h).expect("w");
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                s.write_string(2 + r as u32, c as u16, *v).expect("w");
            }
        }
        book.save(path).expect("save");
    };
    let first = d.path().join("问题清单.xlsx");
    let rows = [
        [
            "1",
            "行政复议决定未公开。",
            "区司法局",
            "公开。",
            "2023年12月31日前",
        ],
        [
            "2",
            "执法人员持证率不足。",
            "区市场监督管理局",
            "补证。",
            "2023年12月31日前",
        ],
        [
            "3",
            "信访事项办理超期。",
            "区信访局",
            "限期办结。",
            "2023年12月31日前",
        ],
    ];
    write(&first, &rows);
    let import = |ws: &mut Workspace, path: &Path, preview: bool| {
        let imp = ProblemsImport::new(path, ProblemsImportOptions::default());
        if preview {
            ws.preview(&imp, &Job::quiet()).expect("preview")
        } else {
            ws.apply(&imp, &Job::quiet()).expect("import")
        }
    };
    import(&mut ws, &first, false);
    // The corrected list: problem 1's text completed, problem 2 given a forgotten unit.
    let second = d.path().join("问题清单（修改）.xlsx");
    let mut fixed = rows;
    fixed[0][1] = "行政复议决定书未按规定公开。";
    fixed[1][2] = "区市场监督管理局、区城市管理执法局";
    write(&second, &fixed);
    let p = import(&mut ws, &second, true);
    assert_eq!((p.created, p.unchanged, p.not_in_file), (2, 1, 2));
    let near: Vec<u32> = p
        .issues
        .iter()
        .filter(|i| i.message.contains("已有的一个问题"))
        .filter_map(|i| i.row)
        .collect();
    assert_eq!(near, [3, 4], "{:?}", p.issues);
}

#[test]
fn indicators_written_as_places_in_the_tree_are_linked_and_the_reading_is_shown() {
    let (d, mut ws) = units_only();
    let path = d.path().join("问题清单（层级编号）.xlsx");
    let rows: Vec<Vec<String>> = [
        [
            "序号",
            "问题描述",
            "所涉指标",
            "整改责任单位",
            "整改要求",
            "完成时限",
        ],
        [
            "1",
            "政务服务事项未全部进驻。",
            "1.1.1",
            "区司法局",
            "全部进驻。",
            "2023年12月31日前",
        ],
        [
            "2",
            "规范性文件审核有遗漏。",
            "2.1.2、第20项",
            "区司法局",
            "逐件补审。",
            "2023年12月31日前",
        ],
        [
            "3",
            "规范性文件程序不全。",
            "2-1-15",
            "区财政局",
            "补齐程序。",
            "2023年12月31日前",
        ],
        [
            "4",
            "网上办事项覆盖不足。",
            "1.1.1",
            "区财政局",
            "提高覆盖。",
            "2023年12月31日前",
        ],
        [
            "5",
            "指标编号写错。",
            "9.9.9",
            "区财政局",
            "核对。",
            "2023年12月31日前",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    let (p, got) = import_rows(&mut ws, &path, &rows);
    let nos: Vec<Vec<i64>> = got.iter().map(|p| p.indicator_nos.clone()).collect();
    // Demo system: 一、（一） holds 1–4, 二、（一） holds 15–….
    assert_eq!(
        nos,
        vec![vec![1], vec![16, 20], vec![15], vec![1], vec![]],
        "1.1.1 is the first leaf of 一/（一）; 2.1.2 its second of 二/（一）; 2-1-15 is no. 15 there"
    );
    assert_eq!(
        got[4].indicators_text, "9.9.9",
        "the text is kept as written"
    );
    let msgs: Vec<&str> = p.issues.iter().map(|i| i.message.as_str()).collect();
    let reading = msgs
        .iter()
        .find(|m| m.contains("“1.1.1”按指标体系的层级理解为第1项指标"))
        .unwrap_or_else(|| panic!("the reading is told: {msgs:?}"));
    assert!(
        reading.contains("第2行") && reading.contains("第5行"),
        "told once, with both rows: {reading}"
    );
    assert_eq!(
        msgs.iter().filter(|m| m.contains("“1.1.1”")).count(),
        1,
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("第6行") && m.contains("“9.9.9”所指的指标")),
        "a place with no indicator is named with its row: {msgs:?}"
    );

    // Typed by hand: the same reading, and a place with no indicator is refused.
    let unit = got[0].units[0].unit_id;
    let added = ws
        .add_problem(&shifan_core::problems::ProblemInput {
            round_id: got[0].round_id,
            description: "手工录入的问题。".into(),
            indicators_text: "1.2.1".into(),
            unit_ids: vec![unit],
            ..Default::default()
        })
        .expect("add");
    assert_eq!(
        added.indicator_nos,
        vec![5],
        "1.2.1 is the first leaf of 一/（二）"
    );
    let err = ws
        .edit_problem(&ProblemEdit {
            id: added.id,
            indicators_text: Some("9.9.9".into()),
            ..Default::default()
        })
        .expect_err("refused");
    assert!(err.to_string().contains("9.9.9"), "{err}");
}

#[test]
fn a_range_between_places_links_every_indicator_between_them_and_says_so() {
    let (d, mut ws) = units_only();
    let path = d.path().join("问题清单（层级编号的范围）.xlsx");
    let head = [
        "序号",
        "问题描述",
        "所涉指标",
        "整改责任单位",
        "整改要求",
        "完成时限",
    ];
    let body = [
        ("1", "政务服务事项未全部进驻。", "1.1.1至1.1.3"),
        ("2", "事项清单未及时调整。", "1.1.1-3"),
        ("3", "跨越两个二级指标。", "1.1.3～1.2.1"),
        ("4", "起止写反了。", "1.1.3至1.1.1"),
        ("5", "证据编号的写法。", "1-1-2至1-1-4"),
    ];
    let rows: Vec<Vec<String>> = std::iter::once(head.map(str::to_string).to_vec())
        .chain(body.iter().map(|(seq, desc, refs)| {
            [
                *seq,
                *desc,
                *refs,
                "区司法局",
                "按要求整改。",
                "2023年12月31日前",
            ]
            .map(str::to_string)
            .to_vec()
        }))
        .collect();
    let (p, got) = import_rows(&mut ws, &path, &rows);
    let nos: Vec<Vec<i64>> = got.iter().map(|p| p.indicator_nos.clone()).collect();
    // Demo system: 一、（一） holds 1–4, 一、（二） starts at 5.
    assert_eq!(
        nos,
        vec![
            vec![1, 2, 3],
            vec![1, 2, 3],
            vec![3, 4, 5],
            vec![],
            vec![2, 3, 4]
        ],
        "the places between the ends are linked too, across a 二级 boundary in the tree's order"
    );
    let msgs: Vec<&str> = p.issues.iter().map(|i| i.message.as_str()).collect();
    for told in [
        "“1.1.1至1.1.3”按指标体系的层级理解为第1至3项指标",
        "“1.1.1-3”按指标体系的层级理解为第1至3项指标",
        "“1.1.3~1.2.1”按指标体系的层级理解为第3至5项指标",
        "“1-1-2至1-1-4”按指标体系的层级理解为第2至4项指标",
    ] {
        assert!(msgs.iter().any(|m| m.contains(told)), "{told}: {msgs:?}");
    }
    assert!(
        msgs.iter()
            .any(|m| m.contains("第5行") && m.contains("“1.1.3至1.1.1”所指的指标")),
        "a backwards range is named with its row, not read: {msgs:?}"
    );
    assert_eq!(got[3].indicators_text, "1.1.3至1.1.1", "its text is kept");
}
