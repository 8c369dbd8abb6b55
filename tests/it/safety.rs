//! Data safety as the office meets it: one program per data folder, backups with rotation and
//! restore, hand-over to the next person, the 操作日志, integrity checks, and exported texts
//! that never turn into formulas.

use std::io::Read;

use shifan_core::Workspace;
use shifan_core::lock::Program;
use shifan_core::model::{BackupReason, OplogFilter};
use shifan_tests::{fingerprint, fixture, with_demo_campaign, xlsx_part};

#[test]
fn a_second_workspace_on_the_same_folder_is_refused_but_may_read() {
    let (d, app) = with_demo_campaign();
    let dir = app.data_dir().to_path_buf();
    let err = Workspace::open(&dir).err().expect("second writer refused");
    assert_eq!(err.kind(), "busy");
    assert!(err.to_string().contains("命令行"), "{err}");
    assert!(err.to_string().contains("进程"), "{err}");

    let mut reader = Workspace::open_shared(&dir, Program::Cli).expect("read-only beside it");
    assert!(!reader.is_writer());
    assert_eq!(reader.list_campaigns().expect("reads").len(), 1);
    let before = fingerprint(&app);
    let w = reader.set_operator("李四").expect_err("writes refused");
    assert_eq!(w.kind(), "busy");
    let w = reader
        .apply(
            &shifan_core::IndicatorImport::new(fixture("indicators/national-104.xlsx"), false),
            &shifan_core::Job::quiet(),
        )
        .expect_err("imports refused");
    assert_eq!(w.kind(), "busy");
    assert_eq!(fingerprint(&app), before, "nothing changed");
    drop(reader);
    drop(app);
    Workspace::open(&dir).expect("free after the app closed");
    drop(d);
}

#[test]
fn an_import_is_preceded_by_a_backup_and_a_restore_brings_the_old_state_back() {
    let (_d, mut ws) = with_demo_campaign();
    ws.set_operator("张三").expect("operator");
    let before = ws.summary().expect("sum");
    ws.apply(
        &shifan_core::IndicatorImport::new(fixture("indicators/national-104.xlsx"), true),
        &shifan_core::Job::quiet(),
    )
    .expect("import");
    let backups = ws.list_backups().expect("list");
    let pre = backups
        .iter()
        .find(|b| b.reason == BackupReason::BeforeImport)
        .expect("a backup before the import");
    assert_eq!(pre.summary.last_change_id, before.last_change_id);
    assert_eq!(pre.kept_because, "最近 10 份之一");

    let preview = ws.preview_restore(&pre.id).expect("preview");
    assert!(preview.can_restore, "{:?}", preview.notes);
    assert_eq!(preview.integrity, "ok");
    assert_eq!(preview.backup.summary.campaigns.len(), 1);

    let report = ws
        .restore_backup(&pre.id, &shifan_core::Job::quiet())
        .expect("restore");
    assert_eq!(report.safety_backup.reason, BackupReason::BeforeRestore);
    assert_eq!(
        ws.indicator_leaves(None, None).expect("leaves").len(),
        100,
        "back on the demo system"
    );
    // The safety backup holds the imported state: restoring it undoes the restore.
    let safety = report.safety_backup.id.clone();
    ws.restore_backup(&safety, &shifan_core::Job::quiet())
        .expect("undo");
    assert_eq!(ws.indicator_leaves(None, None).expect("leaves").len(), 104);
    let log = ws.list_oplog(&OplogFilter::default()).expect("log");
    assert_eq!(log.entries[0].action, "恢复备份");
    assert_eq!(log.entries[0].operator, "张三");
    assert!(ws.health().ok);
}

#[test]
fn repeated_imports_do_not_pile_up_identical_backups() {
    let (_d, mut ws) = with_demo_campaign();
    let f = fixture("indicators/four-level.xlsx");
    ws.apply(
        &shifan_core::IndicatorImport::new(&f, false),
        &shifan_core::Job::quiet(),
    )
    .expect("1");
    let n1 = ws.list_backups().expect("list").len();
    // Nothing changed in between → the newest backup already holds this state.
    ws.backup_if_changed(BackupReason::BeforeImport).expect("b");
    ws.backup_if_changed(BackupReason::BeforeImport).expect("b");
    assert_eq!(ws.list_backups().expect("list").len(), n1 + 1);
}

#[test]
fn backup_to_a_missing_folder_says_so_in_chinese_and_changes_nothing() {
    let (d, ws) = with_demo_campaign();
    let gone = d.path().join("拔出的U盘");
    let before = fingerprint(&ws);
    let e = ws
        .backup_to_folder(&gone, &shifan_core::Job::quiet())
        .expect_err("refused");
    assert!(e.to_string().contains("不存在"), "{e}");
    assert_eq!(fingerprint(&ws), before);
    std::fs::create_dir(&gone).expect("mkdir");
    let b = ws
        .backup_to_folder(&gone, &shifan_core::Job::quiet())
        .expect("backed up");
    assert!(std::path::Path::new(&b.path).is_file());
    assert!(gone.join(format!("{}.json", b.id)).is_file());
    // A backup on the USB disk can be previewed by its path.
    assert!(ws.preview_restore(&b.path).expect("preview").can_restore);
}

#[cfg(unix)]
#[test]
fn read_only_folders_give_a_clear_message() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe_is_root() {
        return; // root ignores permissions
    }
    let (d, ws) = with_demo_campaign();
    let ro = d.path().join("只读");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let e = ws
        .export_indicators(None, &ro.join("指标.xlsx"))
        .expect_err("refused");
    assert!(
        e.to_string().contains("权限") || e.to_string().contains("只读"),
        "{e}"
    );
    let e = ws
        .export_handover(&ro.join("交接.shifan"), &shifan_core::Job::quiet())
        .expect_err("refused");
    assert!(e.to_string().contains("无法写入"), "{e}");
    assert_eq!(
        std::fs::read_dir(&ro).expect("ls").count(),
        0,
        "no partial file"
    );
}

#[cfg(unix)]
fn unsafe_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn handover_moves_everything_to_a_new_pc_and_never_overwrites_existing_campaigns() {
    let (d, mut ws) = with_demo_campaign();
    ws.set_operator("张三").expect("op");
    ws.apply(
        &shifan_core::IndicatorImport::new(fixture("indicators/national-104.xlsx"), true),
        &shifan_core::Job::quiet(),
    )
    .expect("import");
    let file = d.path().join("交接 文件.shifan");
    let m = ws
        .export_handover(&file, &shifan_core::Job::quiet())
        .expect("export");
    assert_eq!(m.summary.campaigns.len(), 1);

    // The new PC: an empty folder.
    let other = tempfile::tempdir().expect("tmp");
    let mut ws2 = Workspace::open(&other.path().join("新电脑")).expect("open");
    ws2.set_operator("李四").expect("op");
    let pv = ws2
        .preview_handover(&file, &shifan_core::Job::quiet())
        .expect("preview");
    assert!(pv.can_import && pv.database_ok, "{:?}", pv.notes);
    let r = ws2
        .import_handover(&file, &shifan_core::Job::quiet())
        .expect("import");
    assert!(r.imported);
    assert_eq!(
        ws2.list_campaigns().expect("c"),
        ws.list_campaigns().expect("c")
    );
    assert_eq!(ws2.indicator_leaves(None, None).expect("l").len(), 104);
    assert_eq!(ws2.operator(), "李四", "the next person carries on");

    // The old PC still has its campaign: importing there is refused, nothing changes.
    let before = fingerprint(&ws);
    let e = ws
        .import_handover(&file, &shifan_core::Job::quiet())
        .expect_err("refused");
    assert!(e.to_string().contains("为避免覆盖"), "{e}");
    assert_eq!(fingerprint(&ws), before);

    // A damaged file is reported, not imported.
    let mut bytes = std::fs::read(&file).expect("read");
    let n = bytes.len();
    for b in &mut bytes[n / 2..n / 2 + 64] {
        *b ^= 0xFF;
    }
    let bad = d.path().join("损坏.shifan");
    std::fs::write(&bad, &bytes).expect("w");
    let third = tempfile::tempdir().expect("tmp");
    let mut ws3 = Workspace::open(third.path()).expect("open");
    let before3 = fingerprint(&ws3);
    match ws3.import_handover(&bad, &shifan_core::Job::quiet()) {
        Ok(r) => panic!("imported a damaged file: {:?}", r.notes),
        Err(e) => assert!(e.to_string().contains("交接文件"), "{e}"),
    }
    assert_eq!(fingerprint(&ws3), before3);
}

#[test]
fn the_log_records_old_and_new_values_filters_and_exports_to_excel() {
    let (d, mut ws) = with_demo_campaign();
    ws.set_operator("张三").expect("op");
    ws.set_operator("李四").expect("op");
    let page = ws
        .list_oplog(&OplogFilter {
            action: Some("设置操作人".into()),
            ..OplogFilter::default()
        })
        .expect("log");
    assert_eq!(page.total, 2);
    assert_eq!(page.entries[0].detail, "张三 → 李四");
    assert_eq!(
        page.entries[0].operator, "李四",
        "the person who set the name"
    );
    assert!(page.actions.contains(&"新建创建项目".to_string()));
    let found = ws
        .list_oplog(&OplogFilter {
            search: Some("李四".into()),
            ..OplogFilter::default()
        })
        .expect("search");
    assert_eq!(found.total, 1);
    let today = chrono_today();
    let none = ws
        .list_oplog(&OplogFilter {
            to: Some("2000-01-01".into()),
            ..OplogFilter::default()
        })
        .expect("range");
    assert_eq!(none.total, 0);
    let all_today = ws
        .list_oplog(&OplogFilter {
            from: Some(today.clone()),
            to: Some(today),
            ..OplogFilter::default()
        })
        .expect("range");
    assert!(all_today.total >= 3);
    let e = ws
        .list_oplog(&OplogFilter {
            from: Some("11月1日".into()),
            ..OplogFilter::default()
        })
        .expect_err("bad date");
    assert!(e.to_string().contains("2026-11-01"), "{e}");

    let out = d.path().join("操作日志.xlsx");
    ws.export_oplog(&OplogFilter::default(), &out)
        .expect("export");
    let xml = sheet_xml(&out);
    assert!(xml.contains("<pane"), "frozen header");
}

fn chrono_today() -> String {
    let now = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    now.unwrap_or_default()
}

fn sheet_xml(path: &std::path::Path) -> String {
    xlsx_part(path, "xl/worksheets/sheet1.xml")
}

#[test]
fn exported_texts_starting_with_formula_characters_stay_text() {
    let (d, mut ws) = with_demo_campaign();
    let s = ws
        .apply(
            &shifan_core::IndicatorImport::new(
                fixture("hostile/texts-start-with-formula-chars.xlsx"),
                true,
            ),
            &shifan_core::Job::quiet(),
        )
        .expect("import");
    assert_eq!(s.leaf_count, 24);
    let leaves = ws.indicator_leaves(None, None).expect("leaves");
    let risky: Vec<&str> = leaves
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| t.starts_with(['=', '+', '-', '@']))
        .collect();
    assert!(risky.len() >= 8, "{risky:?}");
    let out = d.path().join("指标体系表.xlsx");
    ws.export_indicators(None, &out).expect("export");
    let xml = sheet_xml(&out);
    assert!(
        !xml.contains("<f>") && !xml.contains("<f "),
        "no formula element"
    );
    // Every risky text is stored as a string, with the quote prefix style.
    let styles = {
        let f = std::fs::File::open(&out).expect("open");
        let mut z = zip::ZipArchive::new(f).expect("zip");
        let mut s = String::new();
        z.by_name("xl/styles.xml")
            .expect("styles")
            .read_to_string(&mut s)
            .expect("read");
        s
    };
    assert!(
        styles.contains("quotePrefix=\"1\""),
        "quote prefix style present"
    );
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("open");
    use calamine::Reader;
    let range = wb.worksheet_range("指标体系").expect("sheet");
    let texts: Vec<String> = range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    for t in risky {
        assert!(texts.iter().any(|x| x == t), "{t} exported as text");
    }
}

#[test]
fn the_full_check_re_hashes_backups_and_repair_removes_damaged_ones() {
    let (_d, mut ws) = with_demo_campaign();
    let b = ws
        .backup_now(BackupReason::Manual, &shifan_core::Job::quiet())
        .expect("backup");
    let r = ws.check_full().expect("check");
    assert!(r.ok && r.full, "{:?}", r.problems);
    assert!(
        r.checks.iter().any(|c| c.contains("1 份完好")),
        "{:?}",
        r.checks
    );
    // Damage the backup file.
    let mut bytes = std::fs::read(&b.path).expect("read");
    bytes[200] ^= 0xFF;
    std::fs::write(&b.path, bytes).expect("write");
    let r = ws.check_full().expect("check");
    assert!(r.can_repair);
    assert!(
        r.problems.iter().any(|p| p.message.contains("已损坏")),
        "{:?}",
        r.problems
    );
    let fixed = ws.repair().expect("repair");
    assert!(fixed.ok);
    assert!(
        ws.list_backups()
            .expect("list")
            .iter()
            .all(|x| x.id != b.id)
    );
    assert!(
        !ws.list_backups().expect("list").is_empty(),
        "a fresh backup was made"
    );
}

#[test]
fn the_last_import_can_be_undone_until_something_else_changes() {
    let (_d, mut ws) = with_demo_campaign();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &shifan_core::Job::quiet(),
    )
    .expect("units");
    let units_before = ws.list_units().expect("units");
    let assignments = |ws: &Workspace| {
        ws.list_assignments(&Default::default())
            .expect("assignments")
            .iter()
            .filter(|a| !a.leads.is_empty() || !a.supports.is_empty())
            .count()
    };
    assert_eq!(assignments(&ws), 0);

    ws.apply(
        &shifan_core::TasksImport::new(fixture("tasks/tasks-libreoffice.xlsx"), Default::default()),
        &shifan_core::Job::quiet(),
    )
    .expect("tasks");
    assert!(assignments(&ws) > 0);
    let info = ws.undo_info().expect("info").expect("undoable");
    assert_eq!(info.action, "导入任务分解表");
    assert!(
        info.detail.contains("tasks-libreoffice.xlsx"),
        "{}",
        info.detail
    );

    let r = ws
        .undo_last_import(&shifan_core::Job::quiet())
        .expect("undo");
    assert!(r.message.starts_with("已撤销"), "{}", r.message);
    assert!(r.message.contains("导入任务分解表"));
    assert_eq!(assignments(&ws), 0, "the 任务分解 is gone again");
    assert_eq!(ws.list_units().expect("units"), units_before, "units kept");
    // The undo is a restore: it is not itself an undoable import, and the state before the
    // undo sits in a safety backup.
    assert!(ws.undo_info().expect("info").is_none());
    assert!(
        ws.list_backups()
            .expect("backups")
            .iter()
            .any(|b| b.id == r.safety_backup.id && b.reason == BackupReason::BeforeRestore)
    );

    // An import followed by any other change is not undoable any more.
    ws.apply(
        &shifan_core::TasksImport::new(fixture("tasks/tasks-libreoffice.xlsx"), Default::default()),
        &shifan_core::Job::quiet(),
    )
    .expect("tasks again");
    assert!(ws.undo_info().expect("info").is_some());
    ws.set_operator("王五").expect("operator");
    assert!(ws.undo_info().expect("info").is_none());
    let before = fingerprint(&ws);
    let e = ws
        .undo_last_import(&shifan_core::Job::quiet())
        .expect_err("nothing to undo");
    assert_eq!(e.kind(), "invalid");
    assert!(e.to_string().contains("没有可以撤销的导入"), "{e}");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn temp_files_left_by_a_killed_export_are_swept_by_the_next_write_there() {
    let (d, ws) = with_demo_campaign();
    let out = d.path().join("导出 文件夹");
    std::fs::create_dir_all(&out).expect("dir");
    let stale = out.join(".shifan-killed.tmp");
    let live = out.join(".shifan-running.tmp");
    let theirs = out.join(".other.tmp");
    for f in [&stale, &live, &theirs] {
        std::fs::write(f, b"partial").expect("write");
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in [&stale, &theirs] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .and_then(|h| h.set_modified(hour_ago))
            .expect("age");
    }
    ws.export_indicators(None, &out.join("指标体系表.xlsx"))
        .expect("export");
    assert!(!stale.exists(), "an hour-old temp of ours is litter");
    assert!(
        live.exists(),
        "a fresh one may belong to a write in progress"
    );
    assert!(theirs.exists(), "files of other programs are never touched");
}
