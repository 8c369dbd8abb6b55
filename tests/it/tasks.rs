//! 单位名单, 明白人, 任务分解 and the per-unit work sheets, over files made by LibreOffice,
//! openpyxl (WPS/Excel habits) and returned by units (tests/fixtures/tasks/, see
//! fixtures/make/make_task_fixtures.py).

use std::io::Read;

use shifan_core::Workspace;
use shifan_core::model::{MatchedBy, Severity};
use shifan_core::tasks::AssignmentFilter;
use shifan_core::tasks::import::TasksImportOptions;
use shifan_core::units::{RosterInput, UnitInput};
use shifan_tests::{exported, fingerprint, fixture, with_demo_campaign};

fn with_units() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_demo_campaign();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &shifan_core::Job::quiet(),
    )
    .expect("units import");
    (d, ws)
}

/// The text of each demo indicator by its number, as the campaign holds it.
fn indicator_texts(ws: &Workspace) -> impl Fn(i64) -> String + use<> {
    let texts: Vec<(i64, String)> = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("list")
        .into_iter()
        .map(|a| (a.no, a.text))
        .collect();
    move |no| texts.iter().find(|t| t.0 == no).expect("no").1.clone()
}

fn write_header(s: &mut rust_xlsxwriter::Worksheet, headers: &[&str]) {
    for (c, h) in headers.iter().enumerate() {
        s.write_string(0, c as u16, *h).expect("w");
    }
}

fn names(units: &[shifan_core::tasks::UnitRef]) -> Vec<String> {
    units.iter().map(|u| u.name.clone()).collect()
}

#[test]
fn units_and_roster_import_and_the_rule_lists_short_units() {
    let (_d, mut ws) = with_demo_campaign();
    let p = ws
        .preview(
            &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    assert_eq!(p.created.len(), 20);
    assert!(p.can_apply, "{:?}", p.issues);
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("未填写单位类别") && i.row == Some(22)),
        "blank kind guessed: {:?}",
        p.issues
    );
    assert!(
        ws.list_units().expect("units").is_empty(),
        "preview stores nothing"
    );
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &shifan_core::Job::quiet(),
    )
    .expect("apply");
    let units = ws.list_units().expect("units");
    let sfj = units
        .iter()
        .find(|u| u.name == "区司法局")
        .expect("区司法局");
    assert_eq!(sfj.short_name, "司法局");
    assert_eq!(sfj.kind, "行政执法单位");
    assert_eq!(
        units
            .iter()
            .find(|u| u.name == "府河镇")
            .map(|u| u.kind.as_str()),
        Some("乡镇街道")
    );
    let short: Vec<String> = ws
        .roster_check()
        .expect("check")
        .into_iter()
        .map(|s| s.unit_name)
        .collect();
    // 乡镇街道 count as 行政执法 by default (3 people); the four towns list 2 each.
    assert_eq!(
        short,
        [
            "区委宣传部",
            "区审计局",
            "区统计局",
            "南郊街道办事处",
            "北郊街道办事处",
            "东城街道办事处",
            "府河镇"
        ]
    );
    // The number per kind is a campaign setting.
    let mut rule = ws.roster_rule().expect("rule");
    assert_eq!((rule.enforcement, rule.other_dept, rule.town), (3, 2, 3));
    rule.town = 2;
    ws.set_roster_rule(&rule).expect("set rule");
    let short: Vec<String> = ws
        .roster_check()
        .expect("check")
        .into_iter()
        .map(|s| s.unit_name)
        .collect();
    assert_eq!(short, ["区委宣传部", "区审计局", "区统计局"]);
    assert_eq!(
        ws.list_units()
            .expect("units")
            .iter()
            .find(|u| u.name == "府河镇")
            .map(|u| u.roster_required),
        Some(2)
    );
    // Export and re-import: nothing changes.
    let d = tempfile::tempdir().expect("tmp");
    let out = d.path().join("单位名单.xlsx");
    ws.export_units(&out).expect("export");
    let again = ws
        .preview(
            &shifan_core::UnitsImport::new(&out),
            &shifan_core::Job::quiet(),
        )
        .expect("reimport");
    assert!(
        again.created.is_empty() && again.updated.is_empty(),
        "{:?}",
        again.updated
    );
    assert_eq!(again.unchanged, 20);
    assert_eq!(again.roster_members, 48);
}

#[test]
fn a_libreoffice_task_table_imports_with_guesses_and_catch_alls() {
    for file in [
        "tasks/tasks-libreoffice.xlsx",
        "tasks/tasks-libreoffice.xls",
    ] {
        let (_d, mut ws) = with_units();
        let before = fingerprint(&ws);
        let p = ws
            .preview(
                &shifan_core::TasksImport::new(fixture(file), TasksImportOptions::default()),
                &shifan_core::Job::quiet(),
            )
            .expect("preview");
        assert_eq!(p.rows, 100, "{file}");
        assert_eq!(p.created, 100);
        assert!(p.can_apply, "{file}: {:?}", p.issues);
        assert!(
            p.guesses
                .iter()
                .any(|g| g.written == "曾都区统计局" && g.unit_name == "区统计局")
        );
        assert!(p.guesses.iter().all(|g| !g.places.is_empty()));
        let streets = p
            .catch_alls
            .iter()
            .find(|c| c.written == "各街道")
            .expect("各街道");
        // The three 街道办事处; 府河镇 is a 镇, not a 街道.
        assert_eq!(streets.unit_count, 3);
        assert_eq!(before, fingerprint(&ws), "preview stores nothing");
        let strict = ws
            .preview(
                &shifan_core::TasksImport::new(
                    fixture(file),
                    TasksImportOptions {
                        strict: true,
                        create_units: false,
                        ..Default::default()
                    },
                ),
                &shifan_core::Job::quiet(),
            )
            .expect("strict");
        assert!(!strict.can_apply, "guesses are errors when strict");
        ws.apply(
            &shifan_core::TasksImport::new(fixture(file), TasksImportOptions::default()),
            &shifan_core::Job::quiet(),
        )
        .expect("apply");
        let all = ws
            .list_assignments(&AssignmentFilter::default())
            .expect("list");
        assert!(all.iter().all(|a| a.assigned));
        let a2 = all.iter().find(|a| a.no == 2).expect("2");
        assert!(
            a2.supports.iter().any(|u| u.name == "南郊街道办事处"),
            "各街道 expanded"
        );
        let dl = |no: i64| {
            let a = all.iter().find(|a| a.no == no).expect("row");
            (a.deadline_text.clone(), a.deadline_date.clone())
        };
        let sept = Some("2025-09-30".to_string());
        assert_eq!(dl(8), ("2025年9月底前".into(), sept.clone()));
        assert_eq!(dl(2), ("2025-09-30".into(), sept.clone()));
        assert_eq!(dl(3), ("2025.9.30".into(), sept));
        assert_eq!(dl(1), ("长期坚持".into(), None));
        let a1 = all.iter().find(|a| a.no == 1).expect("1");
        assert_eq!(a1.evidence.len(), 2);
        let a4 = all.iter().find(|a| a.no == 4).expect("4");
        assert_eq!(
            (a4.deadline_text.as_str(), a4.deadline_date.as_deref()),
            ("持续推进", None)
        );
        let s = ws.unit_task_summary().expect("summary");
        assert!(
            s.iter()
                .any(|x| x.text.starts_with("区司法局 牵头 ") && x.text.contains("、参与 "))
        );
        let unassigned = ws
            .list_assignments(&AssignmentFilter {
                unassigned_only: true,
                ..Default::default()
            })
            .expect("f");
        assert!(unassigned.is_empty());
        // Master export re-imports unchanged.
        let d = tempfile::tempdir().expect("tmp");
        let out = d.path().join("任务分解表.xlsx");
        ws.export_tasks(&out).expect("export");
        let again = ws
            .preview(
                &shifan_core::TasksImport::new(&out, TasksImportOptions::default()),
                &shifan_core::Job::quiet(),
            )
            .expect("again");
        assert_eq!(
            (again.unchanged, again.updated, again.created),
            (100, 0, 0),
            "{:?}",
            again.changes.first()
        );
        assert!(again.guesses.is_empty() && again.catch_alls.is_empty());
    }
}

#[test]
fn wps_habits_unknown_units_need_create_units_and_places_are_named() {
    let (_d, mut ws) = with_units();
    let f = fixture("tasks/tasks-two-row-header-wps.xlsx");
    let p = ws
        .preview(
            &shifan_core::TasksImport::new(&f, TasksImportOptions::default()),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    assert_eq!(p.rows, 30, "hidden row kept, trailing blanks ignored");
    assert!(!p.can_apply);
    let unknown: Vec<&str> = p.unknown_units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(unknown, ["区气象局"]);
    let err = p
        .issues
        .iter()
        .find(|i| i.severity == Severity::Error)
        .expect("error");
    assert_eq!(
        (err.sheet.as_deref(), err.row, err.col.as_deref()),
        (Some("Sheet1"), Some(5), Some("D"))
    );
    assert!(err.message.contains("区气象局") && err.message.contains("第5行 D列"));
    assert!(
        p.issues.iter().any(|i| i.severity == Severity::Warning
            && i.message.contains("指标 7 的内容与指标体系不一致"))
    );
    assert!(
        p.guesses
            .iter()
            .any(|g| g.written == "县司法局" && g.unit_name == "区司法局")
    );
    assert!(p.guesses.iter().any(|g| g.written.starts_with("区市场监督管理局") && g.unit_name == "区市场监督管理局"));
    let before = fingerprint(&ws);
    assert!(
        ws.apply(
            &shifan_core::TasksImport::new(&f, TasksImportOptions::default()),
            &shifan_core::Job::quiet()
        )
        .is_err()
    );
    assert_eq!(before, fingerprint(&ws), "nothing applied");
    ws.apply(
        &shifan_core::TasksImport::new(
            &f,
            TasksImportOptions {
                strict: false,
                create_units: true,
                ..Default::default()
            },
        ),
        &shifan_core::Job::quiet(),
    )
    .expect("create");
    assert!(
        ws.list_units()
            .expect("u")
            .iter()
            .any(|u| u.name == "区气象局")
    );
    let all = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("list");
    let a5 = all.iter().find(|a| a.no == 5).expect("5");
    assert_eq!(
        a5.deadline_date.as_deref(),
        Some("2025-10-31"),
        "Excel date cell"
    );
    let a3 = all.iter().find(|a| a.no == 3).expect("3");
    assert_eq!(
        a3.deadline_date.as_deref(),
        Some("2025-10-31"),
        "full-width 年月底前"
    );
    assert_eq!(
        a3.supports.len(),
        5,
        "、，；/ and line breaks all separate: {:?}",
        a3.supports
    );
    assert_eq!(a3.evidence, ["制度文件", "工作台账", "公开截图"]);
    let a4 = all.iter().find(|a| a.no == 4).expect("4");
    assert_eq!(
        a4.leads[0].name, "区财政局",
        "spaces inside a name are ignored"
    );
}

#[test]
fn bad_rows_are_errors_with_places_and_nothing_is_applied() {
    let (_d, mut ws) = with_units();
    let f = fixture("tasks/tasks-bad.xlsx");
    let p = ws
        .preview(
            &shifan_core::TasksImport::new(&f, TasksImportOptions::default()),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    let errs: Vec<(u32, String)> = p
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.row.unwrap_or(0), i.col.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        errs,
        [
            (3, "B".into()),
            (4, "B".into()),
            (5, "B".into()),
            (6, "D".into())
        ],
        "{:?}",
        p.issues
    );
    assert!(
        p.issues[0].message.contains("tasks-bad.xlsx")
            && p.issues[0].message.contains("工作表“任务分解表”")
    );
    let before = fingerprint(&ws);
    let e = ws
        .apply(
            &shifan_core::TasksImport::new(
                &f,
                TasksImportOptions {
                    strict: false,
                    create_units: true,
                    ..Default::default()
                },
            ),
            &shifan_core::Job::quiet(),
        )
        .expect_err("refused");
    assert_eq!(e.kind(), "import");
    assert_eq!(before, fingerprint(&ws));
    // Not a task table at all.
    let e = ws
        .preview(
            &shifan_core::TasksImport::new(
                fixture("indicators/national-104.xlsx"),
                TasksImportOptions::default(),
            ),
            &shifan_core::Job::quiet(),
        )
        .expect_err("no header");
    assert!(e.to_string().contains("牵头单位"));
}

#[test]
fn reordered_columns_and_a_renamed_sheet_are_read_by_header_names() {
    let (_d, mut ws) = with_units();
    let p = ws
        .apply(
            &shifan_core::TasksImport::new(
                fixture("tasks/tasks-reordered-renamed.xlsx"),
                TasksImportOptions::default(),
            ),
            &shifan_core::Job::quiet(),
        )
        .expect("apply");
    assert_eq!(p.rows, 10);
    let a = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("l");
    let a1 = a.iter().find(|x| x.no == 1).expect("1");
    assert_eq!(a1.leader, "副区长 王某");
    assert_eq!(a1.supports.len(), 4, "各乡镇街道 → 4 towns");
    assert_eq!(a.iter().filter(|x| !x.assigned).count(), 90);
}

fn xml_of(path: &std::path::Path, entry: &str) -> String {
    let f = std::fs::File::open(path).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut s = String::new();
    z.by_name(entry)
        .expect("entry")
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[test]
fn unit_sheets_have_dropdowns_protection_and_a_hidden_stamp() {
    let (d, ws) = exported();
    let f = d.path().join("sent").join("区司法局-创建任务工作表.xlsx");
    let sheet = xml_of(&f, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("<sheetProtection"),
        "locked columns protected"
    );
    assert!(sheet.contains("<dataValidation") && sheet.contains("已完成,推进中,未启动,不适用"));
    let book = xml_of(&f, "xl/workbook.xml");
    assert!(book.contains("veryHidden") && book.contains("ShifanStamp"));
    let styles = xml_of(&f, "xl/styles.xml");
    assert!(styles.contains("locked=\"0\""), "fill-in columns unlocked");
    let grids = shifan_core::sheet::read_tables(&f).expect("reads");
    assert!(grids[0].text(0, 0).contains("区司法局"));
    assert!(grids[0].text(1, 0).starts_with("填写说明"));
    drop(ws);
}

#[test]
fn filled_sheets_come_back_by_stamp_or_by_name_and_conflicts_are_not_overwritten() {
    let (_d, mut ws) = exported();
    let before = fingerprint(&ws);
    let p = ws
        .preview(
            &shifan_core::CollectImport::new(fixture("tasks/collect")),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(before, fingerprint(&ws), "preview stores nothing");
    let by = |n: &str| p.sheets.iter().find(|s| s.unit_name == n).expect(n).clone();
    assert_eq!(
        by("区司法局").matched_by,
        MatchedBy::Stamp,
        "openpyxl keeps the stamp"
    );
    assert_eq!(
        by("区财政局").matched_by,
        MatchedBy::Stamp,
        "LibreOffice re-save keeps the stamp"
    );
    assert_eq!(
        by("区统计局").matched_by,
        MatchedBy::Stamp,
        "legacy .xls keeps the stamp"
    );
    assert_eq!(
        by("区信访局").matched_by,
        MatchedBy::Name,
        "stamp lost: matched by name"
    );
    assert_eq!(
        by("区信访局").matched_by_label,
        "按单位名称识别",
        "the preview says how, in Chinese, from the core"
    );
    assert!(
        by("区司法局").changes.len() > 20,
        "rows reordered, sheet renamed"
    );
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("缺少“佐证材料目录”列"))
    );
    assert!(
        p.issues
            .iter()
            .any(|i| i.message.contains("差不多") && i.col.as_deref() == Some("H"))
    );
    assert!(p.issues.iter().any(|i| i.message.contains("锁定栏目")));
    ws.apply(
        &shifan_core::CollectImport::new(fixture("tasks/collect")),
        &shifan_core::Job::quiet(),
    )
    .expect("apply");
    let sfj = ws
        .list_units()
        .expect("u")
        .into_iter()
        .find(|u| u.name == "区司法局")
        .expect("sfj");
    let reports = ws.unit_reports(sfj.id).expect("reports");
    assert!(reports.iter().filter(|(_, f)| !f.status.is_empty()).count() > 20);
    // The 任务分解 table shows what the unit reported, beside its indicators.
    let mine = ws
        .list_assignments(&shifan_core::tasks::AssignmentFilter {
            unit_id: Some(sfj.id),
            ..Default::default()
        })
        .expect("assignments");
    let shown: Vec<_> = mine
        .iter()
        .flat_map(|a| a.reports.iter())
        .filter(|r| r.unit_id == sfj.id && !r.status.is_empty())
        .collect();
    assert!(shown.len() > 20, "{} reports shown", shown.len());
    assert!(
        shown
            .iter()
            .all(|r| ["已完成", "推进中", "未启动", "不适用"].contains(&r.status.as_str()))
    );
    // The unit sends the same export again with another explanation for one row: what the
    // office holds there is the unit's own first return, so the correction is taken.
    let second = ws
        .preview(
            &shifan_core::CollectImport::new(fixture("tasks/collect-second")),
            &shifan_core::Job::quiet(),
        )
        .expect("second");
    let s = &second.sheets[0];
    assert!(s.conflicts.is_empty(), "{:?}", s.conflicts);
    let c: Vec<_> = s
        .changes
        .iter()
        .filter(|c| c.new == "第二次报送的不同说明")
        .collect();
    assert_eq!(c.len(), 1, "{:?}", s.changes);
    assert!(c[0].old.starts_with("已按要求落实"));
    ws.apply(
        &shifan_core::CollectImport::new(fixture("tasks/collect-second")),
        &shifan_core::Job::quiet(),
    )
    .expect("apply second");
    let after = ws.unit_reports(sfj.id).expect("r");
    assert_eq!(
        after
            .iter()
            .filter(|(_, f)| f.explanation == "第二次报送的不同说明")
            .count(),
        1
    );
}

#[test]
fn a_zip_with_gbk_names_and_dot_dot_paths_is_read_in_memory() {
    let (d, ws) = exported();
    let p = ws
        .preview(
            &shifan_core::CollectImport::new(fixture("tasks/collect-gbk.zip")),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    // Files are named with their folders inside the zip (so two returns of one unit can be told
    // apart); "../.." is dropped from the name shown, and nothing is written anywhere.
    let names: Vec<&str> = p.sheets.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(
        names,
        [
            "collect-gbk.zip/收回/区财政局-创建任务工作表.xlsx",
            "collect-gbk.zip/逃逸/信访局报送.xlsx"
        ]
    );
    let folders: Vec<&str> = p.sheets.iter().map(|s| s.folder.as_str()).collect();
    assert_eq!(folders, ["收回", "逃逸"]);
    assert!(
        !d.path().join("逃逸").exists() && !d.path().parent().expect("p").join("逃逸").exists()
    );
    // Our own zip export collects back unchanged.
    let mut ws = ws;
    let z = d.path().join("各单位.zip");
    let r = ws
        .export_unit_sheets(&z, &shifan_core::Job::quiet())
        .expect("zip");
    // Every unit with a task: all but 府河镇 (a 镇, which "各街道" does not name).
    assert_eq!(r.unit_count, 19);
    let back = ws
        .preview(
            &shifan_core::CollectImport::new(&z),
            &shifan_core::Job::quiet(),
        )
        .expect("collect zip");
    assert_eq!(
        (back.sheets.len(), back.change_count, back.conflict_count),
        (19, 0, 0)
    );
    assert!(
        back.sheets
            .iter()
            .all(|s| s.matched_by == MatchedBy::Stamp && s.revision == Some(2))
    );
}

#[test]
fn an_unreadable_returned_file_is_an_error_and_nothing_is_applied() {
    let (d, mut ws) = exported();
    let dir = d.path().join("back");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(
        fixture("tasks/collect/区财政局-创建任务工作表.xlsx"),
        dir.join("a.xlsx"),
    )
    .expect("copy");
    std::fs::write(dir.join("坏文件.xlsx"), b"PK\x03\x04garbage").expect("w");
    std::fs::write(dir.join("~$a.xlsx"), b"lock").expect("w");
    let before = fingerprint(&ws);
    let p = ws
        .preview(
            &shifan_core::CollectImport::new(&dir),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    assert!(!p.can_apply);
    assert!(
        p.issues
            .iter()
            .any(|i| i.severity == Severity::Error && i.message.contains("坏文件.xlsx"))
    );
    assert!(
        ws.apply(
            &shifan_core::CollectImport::new(&dir),
            &shifan_core::Job::quiet()
        )
        .is_err()
    );
    assert_eq!(before, fingerprint(&ws));
}

#[test]
fn the_demo_has_units_a_mostly_complete_roster_and_every_indicator_assigned() {
    let (_d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let units = ws.list_units().expect("units");
    assert!(units.len() >= 69, "{}", units.len());
    assert!(units.iter().any(|u| u.name == "区政务服务和数据管理局"));
    let short = ws.roster_check().expect("check");
    assert!(!short.is_empty() && short.len() <= 6);
    let all = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("list");
    assert_eq!(all.len(), 100);
    assert!(all.iter().all(|a| !a.leads.is_empty()));
    let d = tempfile::tempdir().expect("tmp");
    let r = ws
        .export_unit_sheets(&d.path().join("out"), &shifan_core::Job::quiet())
        .expect("export");
    assert!(r.unit_count >= 60);
}

fn unit_input(id: Option<i64>, name: &str, short: &str, aliases: &[&str], kind: &str) -> UnitInput {
    UnitInput {
        id,
        name: name.into(),
        short_name: short.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        kind: kind.into(),
        contact: String::new(),
        phone: String::new(),
        leader: String::new(),
        note: String::new(),
    }
}

#[test]
fn a_unit_is_added_edited_and_deleted_and_one_written_name_leads_to_one_unit() {
    let (_d, mut ws) = exported();
    let sifa = ws
        .list_units()
        .expect("units")
        .into_iter()
        .find(|u| u.name == "区司法局")
        .expect("区司法局");

    let mut input = unit_input(
        None,
        " 区融媒体中心 ",
        "融媒体中心",
        &["区新闻中心", " "],
        "非行政执法单位",
    );
    input.contact = "张三".into();
    let added = ws.save_unit(&input).expect("add");
    assert_eq!(added.name, "区融媒体中心");
    assert_eq!(added.aliases, vec!["区新闻中心"]);
    assert_eq!((added.roster_required, added.contact.as_str()), (2, "张三"));

    // Names, 简称 and 别名 of other units are refused with what clashes, in Chinese.
    let same_name = ws
        .save_unit(&unit_input(None, "区司法局", "", &[], "行政执法单位"))
        .expect_err("same name");
    assert_eq!(same_name.to_string(), "单位“区司法局”已存在。");
    let alias = ws
        .save_unit(&unit_input(
            Some(added.id),
            "区融媒体中心",
            "",
            &["区司法局"],
            "其他",
        ))
        .expect_err("alias is another unit's name");
    assert_eq!(alias.kind(), "invalid");
    assert!(
        alias
            .to_string()
            .contains("“区司法局”已是单位“区司法局”的名称，不能再作为“区融媒体中心”的别名"),
        "{alias}"
    );
    let short = ws
        .save_unit(&unit_input(None, "区新闻办", "区新闻中心", &[], "其他"))
        .expect_err("short name is another unit's alias");
    assert!(
        short.to_string().contains("已是单位“区融媒体中心”的别名"),
        "{short}"
    );

    // Editing keeps the id, and the unit's own names do not clash with themselves.
    let edited = ws
        .save_unit(&unit_input(
            Some(added.id),
            "区新闻中心",
            "新闻中心",
            &["区新闻中心", "区融媒体中心"],
            "其他",
        ))
        .expect("edit");
    assert_eq!(
        (edited.id, edited.name.as_str(), edited.kind.as_str()),
        (added.id, "区新闻中心", "其他")
    );
    assert_eq!(edited.aliases, vec!["区融媒体中心"]);

    // A unit with tasks stays, and the message says how many.
    let kept = ws.delete_unit(sifa.id).expect_err("has tasks");
    assert!(kept.to_string().contains("仍承担"), "{kept}");
    assert!(
        kept.to_string()
            .contains(&format!("牵头 {} 项", sifa.lead_count)),
        "{kept}"
    );
    assert!(
        ws.list_units()
            .expect("units")
            .iter()
            .any(|u| u.id == sifa.id)
    );

    // Deleting takes its 明白人 along.
    ws.set_roster(
        added.id,
        &[RosterInput {
            name: "李四".into(),
            title: String::new(),
            office_phone: String::new(),
            mobile: String::new(),
            role: String::new(),
        }],
    )
    .expect("roster");
    let members_before = ws.roster(None).expect("roster").len();
    ws.delete_unit(added.id).expect("delete");
    assert!(
        !ws.list_units()
            .expect("units")
            .iter()
            .any(|u| u.id == added.id)
    );
    assert_eq!(ws.roster(None).expect("roster").len(), members_before - 1);
    assert_eq!(
        ws.delete_unit(added.id).expect_err("gone").kind(),
        "notFound"
    );
}

/// A progress sink that presses 取消 once `at` steps are reported, and remembers what it saw.
struct CancelAt {
    at: u64,
    cancel: shifan_core::progress::Cancel,
    seen: std::sync::Mutex<Vec<(u64, u64, String)>>,
}

impl shifan_core::progress::Progress for CancelAt {
    fn report(&self, done: u64, total: u64, what: &str) {
        self.seen
            .lock()
            .expect("seen")
            .push((done, total, what.to_string()));
        if done >= self.at && total > 0 {
            self.cancel.cancel();
        }
    }
}

fn cancel_at(at: u64) -> CancelAt {
    CancelAt {
        at,
        cancel: shifan_core::progress::Cancel::new(),
        seen: Default::default(),
    }
}

fn folder_listing(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn export_units_reports_each_unit_and_a_cancel_leaves_folder_zip_and_database_as_they_were() {
    let (d, mut ws) = exported();
    let sent = d.path().join("sent");
    let before_files = folder_listing(&sent);
    let before_db = fingerprint(&ws);

    // Cancelled half-way through a folder export: the earlier export's files are untouched,
    // no new or temp file appears, and no export revision is recorded.
    let p = cancel_at(10);
    let err = ws
        .export_unit_sheets(&sent, &shifan_core::Job::new(&p, p.cancel.clone()))
        .expect_err("cancelled");
    assert!(matches!(err, shifan_core::Error::Cancelled), "{err}");
    assert_eq!(err.to_string(), "操作已取消，未做任何修改。");
    assert_eq!(folder_listing(&sent), before_files);
    assert_eq!(fingerprint(&ws), before_db);
    let seen = p.seen.lock().expect("seen").clone();
    assert!(
        seen.iter()
            .any(|(_, total, what)| *total == 19 && what.contains("区司法局"))
    );

    // Cancelled while zipping: no zip at all.
    let z = d.path().join("各单位.zip");
    // 19 sheets are built (reports 1..19) before zipping reports again from 0: cancel in
    // the second phase by counting reports.
    struct AfterReports(
        std::sync::atomic::AtomicU64,
        shifan_core::progress::Cancel,
        u64,
    );
    impl shifan_core::progress::Progress for AfterReports {
        fn report(&self, _: u64, _: u64, _: &str) {
            if self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 >= self.2 {
                self.1.cancel();
            }
        }
    }
    let late = AfterReports(Default::default(), shifan_core::progress::Cancel::new(), 25);
    assert!(matches!(
        ws.export_unit_sheets(&z, &shifan_core::Job::new(&late, late.1.clone())),
        Err(shifan_core::Error::Cancelled)
    ));
    assert!(!z.exists());
    assert!(
        std::fs::read_dir(d.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .all(|e| !e.file_name().to_string_lossy().ends_with(".tmp")),
        "no temp file left beside the zip"
    );
    assert_eq!(fingerprint(&ws), before_db);

    // Not cancelled: the same call completes and says how far it got at the end.
    let p = cancel_at(u64::MAX);
    let r = ws
        .export_unit_sheets(&sent, &shifan_core::Job::new(&p, p.cancel.clone()))
        .expect("export");
    assert_eq!(r.unit_count, 19);
    let seen = p.seen.lock().expect("seen").clone();
    assert_eq!(seen.last().map(|s| (s.0, s.1)), Some((19, 19)));
    assert_ne!(folder_listing(&sent), before_files, "new revision written");
}

#[test]
fn collect_reports_each_file_and_a_cancel_applies_nothing() {
    let (_d, mut ws) = exported();
    let before = fingerprint(&ws);
    let p = cancel_at(3);
    let err = ws
        .apply(
            &shifan_core::CollectImport::new(fixture("tasks/collect")),
            &shifan_core::Job::new(&p, p.cancel.clone()),
        )
        .expect_err("cancelled");
    assert!(matches!(err, shifan_core::Error::Cancelled), "{err}");
    assert_eq!(fingerprint(&ws), before, "nothing applied");
    let seen = p.seen.lock().expect("seen").clone();
    assert!(
        seen.iter()
            .any(|(_, _, what)| what.starts_with("正在核对“")),
        "{seen:?}"
    );
    // The same collect, not cancelled, applies.
    let p = cancel_at(u64::MAX);
    let r = ws
        .apply(
            &shifan_core::CollectImport::new(fixture("tasks/collect")),
            &shifan_core::Job::new(&p, p.cancel.clone()),
        )
        .expect("apply");
    assert!(r.change_count > 0);
    assert_ne!(fingerprint(&ws), before);
}

#[test]
fn a_one_file_import_reports_its_stages_and_a_cancel_while_reading_imports_nothing() {
    struct CancelOnFirst(shifan_core::progress::Cancel, std::sync::Mutex<Vec<String>>);
    impl shifan_core::progress::Progress for CancelOnFirst {
        fn report(&self, _: u64, _: u64, what: &str) {
            self.1.lock().expect("seen").push(what.to_string());
            self.0.cancel();
        }
    }
    let (_d, mut ws) = with_units();
    let before = fingerprint(&ws);
    let file = fixture("tasks/tasks-libreoffice.xlsx");
    let p = CancelOnFirst(Default::default(), Default::default());
    let e = ws
        .apply(
            &shifan_core::TasksImport::new(&file, TasksImportOptions::default()),
            &shifan_core::Job::new(&p, p.0.clone()),
        )
        .expect_err("cancelled");
    assert!(matches!(e, shifan_core::Error::Cancelled), "{e}");
    assert_eq!(
        fingerprint(&ws),
        before,
        "nothing imported, no backup logged"
    );
    assert_eq!(
        p.1.lock().expect("seen").first().map(String::as_str),
        Some("正在读取并核对“tasks-libreoffice.xlsx”")
    );

    // Not cancelled: read and check → back up → write, in that order.
    struct Record(std::sync::Mutex<Vec<String>>);
    impl shifan_core::progress::Progress for Record {
        fn report(&self, _: u64, _: u64, what: &str) {
            self.0.lock().expect("seen").push(what.to_string());
        }
    }
    let r = Record(Default::default());
    ws.apply(
        &shifan_core::TasksImport::new(&file, TasksImportOptions::default()),
        &shifan_core::Job::new(&r, shifan_core::progress::Cancel::new().clone()),
    )
    .expect("import");
    let seen = r.0.lock().expect("seen").clone();
    assert_eq!(
        seen,
        [
            "正在读取并核对“tasks-libreoffice.xlsx”",
            "正在备份现有数据",
            "正在写入“tasks-libreoffice.xlsx”的内容"
        ]
    );
}

#[test]
fn a_roster_sheet_that_drops_people_names_them_before_it_replaces_the_units_roster() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let sfj = ws.unit_by_key("区司法局").expect("unit");
    let before: Vec<String> = ws
        .roster(Some(sfj.id))
        .expect("roster")
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert!(before.len() >= 2, "{before:?}");
    let out = d.path().join("单位名单.xlsx");
    ws.export_units(&out).expect("export");
    // The unit sends back its reply slip with one newcomer only.
    let grids = shifan_core::sheet::read_tables(&out).expect("read");
    let roster = grids
        .iter()
        .find(|g| g.name.contains("明白人"))
        .expect("roster sheet");
    let rows: Vec<usize> = (0..roster.rows.len())
        .filter(|r| (0..roster.width()).any(|c| roster.text(*r, c) == "区司法局"))
        .collect();
    let name_col = (0..roster.width())
        .find(|c| roster.text(rows[0], *c) == before[0])
        .expect("name column");
    let sheet = roster.name.clone();
    let slip = d.path().join("单位名单（回执）.xlsx");
    shifan_tests::rewrite_returned(
        &out,
        &slip,
        |s, r, c, _| {
            if s != sheet || !rows.contains(&r) {
                return None;
            }
            if r == rows[0] {
                return (c == name_col).then(|| "新人甲".into());
            }
            Some(String::new())
        },
        &[],
    );
    let p = ws
        .preview(
            &shifan_core::UnitsImport::new(&slip),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    let said = p
        .issues
        .iter()
        .find(|i| i.message.contains("明白人将按表中名单替换"))
        .unwrap_or_else(|| panic!("{:?}", p.issues));
    for gone in &before {
        assert!(said.message.contains(gone.as_str()), "{}", said.message);
    }
    assert!(said.message.contains("新增 新人甲"), "{}", said.message);
    assert_eq!(said.row, Some(rows[0] as u32 + 1));
}

#[test]
fn merged_headings_an_indicator_over_two_rows_and_a_lead_marked_among_the_units_import_as_meant() {
    let (d, mut ws) = with_units();
    let text = indicator_texts(&ws);
    let path = d.path().join("任务分解表.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("任务分解").expect("name");
    let plain = rust_xlsxwriter::Format::new();
    write_header(
        s,
        &[
            "序号",
            "指标内容",
            "牵头单位",
            "责任单位",
            "创建任务",
            "完成时限",
        ],
    );
    // A heading merged across the table, then indicator 1 over two rows (序号 and 指标内容
    // merged), each row with its own task and lead, then indicator 2 with its lead marked
    // among the 责任单位.
    s.merge_range(1, 0, 1, 5, "一、政府职能依法全面履行", &plain)
        .expect("merge");
    s.merge_range(2, 0, 3, 0, "1", &plain).expect("merge");
    s.merge_range(2, 1, 3, 1, &text(1), &plain).expect("merge");
    for (r, lead, task) in [
        (2, "区政务服务和数据管理局", "梳理事项清单"),
        (3, "区财政局", "压缩办理时限"),
    ] {
        s.write_string(r, 2, lead).expect("w");
        s.write_string(r, 4, task).expect("w");
        s.write_string(r, 5, "2025年9月底前").expect("w");
    }
    s.write_string(4, 0, "2").expect("w");
    s.write_string(4, 1, text(2)).expect("w");
    s.write_string(4, 3, "区司法局（牵头）、区审计局")
        .expect("w");
    s.write_string(4, 5, "长期坚持").expect("w");
    book.save(&path).expect("save");

    let opts = TasksImportOptions::default;
    let p = ws
        .preview(
            &shifan_core::TasksImport::new(&path, opts()),
            &shifan_core::Job::quiet(),
        )
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.rows, 2, "{:?}", p.issues);
    ws.apply(
        &shifan_core::TasksImport::new(&path, opts()),
        &shifan_core::Job::quiet(),
    )
    .expect("apply");
    let all = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("list");
    let a = |no: i64| all.iter().find(|a| a.no == no).expect("no");
    assert_eq!(names(&a(1).leads), ["区政务服务和数据管理局", "区财政局"]);
    assert_eq!(a(1).task, "梳理事项清单\n压缩办理时限");
    assert_eq!(names(&a(2).leads), ["区司法局"]);
    assert_eq!(names(&a(2).supports), ["区审计局"]);
}

#[test]
fn a_table_with_only_a_responsible_units_column_takes_the_marked_or_the_first_unit_as_lead() {
    let (d, mut ws) = with_units();
    let text = indicator_texts(&ws);
    let path = d.path().join("任务分解（责任单位）.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("任务分解").expect("name");
    write_header(s, &["序号", "指标内容", "责任单位", "完成时限"]);
    // Indicator 1: the lead marked, not first. Indicator 2: no mark, so the unit listed first
    // leads (the units written apart by a space, as the cell's units are split). Indicator 3:
    // one unit.
    for (r, no, units) in [
        (1u32, 1i64, "区财政局、区司法局（牵头）"),
        (2, 2, "区审计局 区财政局"),
        (3, 3, "区司法局"),
    ] {
        s.write_string(r, 0, no.to_string()).expect("w");
        s.write_string(r, 1, text(no)).expect("w");
        s.write_string(r, 2, units).expect("w");
        s.write_string(r, 3, "2025年9月底前").expect("w");
    }
    book.save(&path).expect("save");

    let import = || shifan_core::TasksImport::new(&path, TasksImportOptions::default());
    let p = ws
        .preview(&import(), &shifan_core::Job::quiet())
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.rows, 3, "{:?}", p.issues);
    // The guess is said once, with the rows it was made on and the column.
    let guess = p
        .issues
        .iter()
        .find(|i| i.message.contains("排在首位的为牵头单位"))
        .unwrap_or_else(|| panic!("{:?}", p.issues));
    assert!(guess.message.contains("第3行、第4行"), "{}", guess.message);
    assert!(!guess.message.contains("第2行"), "{}", guess.message);
    assert_eq!(guess.col.as_deref(), Some("C"));
    ws.apply(&import(), &shifan_core::Job::quiet())
        .expect("apply");
    let all = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("list");
    let a = |no: i64| all.iter().find(|a| a.no == no).expect("no");
    assert_eq!(names(&a(1).leads), ["区司法局"]);
    assert_eq!(names(&a(1).supports), ["区财政局"]);
    assert_eq!(names(&a(2).leads), ["区审计局"]);
    assert_eq!(names(&a(2).supports), ["区财政局"]);
    assert_eq!(names(&a(3).leads), ["区司法局"]);
    assert!(a(3).supports.is_empty());
}

#[test]
fn a_hierarchical_code_in_the_number_column_is_matched_by_the_indicator_text() {
    let (d, mut ws) = with_units();
    let text = indicator_texts(&ws);
    let path = d.path().join("任务分解（分级编号）.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    write_header(s, &["序号", "指标内容", "牵头单位"]);
    s.write_string(1, 0, "1.1").expect("w");
    s.write_string(1, 1, "深化行政审批制度改革").expect("w");
    s.write_string(2, 0, "1.1.2").expect("w");
    s.write_string(2, 1, text(2)).expect("w");
    s.write_string(2, 2, "区司法局").expect("w");
    book.save(&path).expect("save");
    let import = || shifan_core::TasksImport::new(&path, TasksImportOptions::default());
    let p = ws
        .preview(&import(), &shifan_core::Job::quiet())
        .expect("preview");
    assert!(p.can_apply, "{:?}", p.issues);
    assert_eq!(p.rows, 1, "{:?}", p.issues);
    let at = |row: u32, what: &str| {
        p.issues
            .iter()
            .any(|i| i.row == Some(row) && i.message.contains(what))
    };
    assert!(at(2, "已作为标题行跳过"), "{:?}", p.issues);
    assert!(at(3, "按指标内容对应到指标 2"), "{:?}", p.issues);
    ws.apply(&import(), &shifan_core::Job::quiet())
        .expect("apply");
    let all = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("list");
    let two = all.iter().find(|a| a.no == 2).expect("2");
    assert_eq!(two.leads[0].name, "区司法局");
}
