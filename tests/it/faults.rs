//! A full disk, a read-only folder, a file held open by Excel: every export, the backup to a
//! folder and the hand-over file meet them through the fault-injection seam of the crash-safe
//! write path (`shifan_core::fault`; the test machine runs as root on a roomy disk, so they
//! cannot be produced for real). Each time the user gets a Chinese message naming the file and
//! the cause, the file that was there before is byte-for-byte unchanged, no temp file is left
//! beside it, and the database is unchanged. Retrying once the cause is gone succeeds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use shifan_core::fault::{self, FaultError, Step};
use shifan_core::{Error, Workspace};
use shifan_tests::{english_in, fingerprint, with_tasks};

/// Every file under `dir` (recursively) with its bytes.
fn listing(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("ls").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// The faults a user meets, each with the words the message must contain.
fn faults() -> Vec<(&'static str, Step, FaultError, &'static str)> {
    vec![
        (
            "disk full while writing",
            Step::Write,
            FaultError::disk_full(),
            "磁盘空间不足",
        ),
        (
            "read-only folder at the rename",
            Step::Rename,
            FaultError::permission_denied(),
            "没有访问权限",
        ),
        (
            "file held open by Excel at the rename",
            Step::Rename,
            FaultError::file_in_use(),
            "占用",
        ),
    ]
}

/// Run `op` with the fault armed on its `nth` step and check what the user would notice:
/// a Chinese message naming `name` and the cause, `dir` exactly as before (old files unchanged,
/// nothing new, no temp file), the database unchanged.
fn refuses_cleanly(
    ws: &mut Workspace,
    dir: &Path,
    name: &str,
    (what, step, error, words): (&str, Step, FaultError, &str),
    nth: u32,
    op: &mut dyn FnMut(&mut Workspace) -> Result<(), Error>,
) {
    let files_before = listing(dir);
    let db_before = fingerprint(ws);
    let guard = fault::arm(step, nth, error);
    let r = op(ws);
    assert!(guard.fired(), "{what}: the fault was never reached");
    drop(guard);
    let e = r.expect_err(&format!("{what} (step {nth})"));
    let msg = e.to_string();
    assert!(msg.contains(name), "{what}: message names the file: {msg}");
    assert!(
        msg.contains(words),
        "{what}: message gives the cause: {msg}"
    );
    assert_eq!(
        english_in(&msg),
        None,
        "{what}: English in the message: {msg}"
    );
    let files_after = listing(dir);
    let leftovers: Vec<_> = files_after
        .keys()
        .filter(|p| !files_before.contains_key(*p))
        .collect();
    assert!(
        leftovers.is_empty(),
        "{what}: files left behind: {leftovers:?}"
    );
    assert!(
        files_before == files_after,
        "{what}: a file that was there before changed"
    );
    assert_eq!(fingerprint(ws), db_before, "{what}: database changed");
}

#[test]
fn exports_meet_a_full_disk_a_read_only_folder_and_excel_holding_the_file() {
    let (d, mut ws) = with_tasks();
    let out = d.path().join("导出 文件夹");
    std::fs::create_dir(&out).expect("mkdir");
    let ind = out.join("指标体系表.xlsx");
    let tasks = out.join("任务分解表.xlsx");
    let units = out.join("单位名单.xlsx");
    // The previous exports the user keeps (and may have open in Excel).
    ws.export_indicators(None, &ind).expect("first export");
    ws.export_tasks(&tasks).expect("first export");
    ws.export_units(&units).expect("first export");
    let mut cases = 0;
    for f in faults() {
        refuses_cleanly(&mut ws, &out, "指标体系表.xlsx", f, 1, &mut |ws| {
            ws.export_indicators(None, &ind).map(|_| ())
        });
        refuses_cleanly(&mut ws, &out, "任务分解表.xlsx", f, 1, &mut |ws| {
            ws.export_tasks(&tasks).map(|_| ())
        });
        refuses_cleanly(&mut ws, &out, "单位名单.xlsx", f, 1, &mut |ws| {
            ws.export_units(&units).map(|_| ())
        });
        cases += 3;
    }
    // Excel closed again: the same exports go through.
    let old = std::fs::read(&tasks).expect("read");
    ws.export_tasks(&tasks).expect("retry");
    assert!(std::fs::read(&tasks).expect("read").len() > 1000);
    assert!(calamine::open_workbook_auto(&tasks).is_ok() && !old.is_empty());
    println!("fault injection, single-file exports: {cases} cases");
}

#[test]
fn per_unit_sheets_are_written_all_or_none_into_a_folder_or_a_zip() {
    let (d, mut ws) = with_tasks();
    let out = d.path().join("各单位工作表");
    let zip = d.path().join("打包").join("各单位工作表.zip");
    std::fs::create_dir(zip.parent().expect("parent")).expect("mkdir");
    let first = ws
        .export_unit_sheets(&out, &shifan_core::Job::quiet())
        .expect("first export");
    ws.export_unit_sheets(&zip, &shifan_core::Job::quiet())
        .expect("first zip");
    // Every unit with a task: all but 府河镇 (a 镇, which "各街道" does not name).
    assert_eq!(first.unit_count, 19);
    let mut cases = 0;
    for f in faults() {
        // The 5th unit's sheet fails (its write, or its rename after four were replaced).
        let name = first.files[4].clone();
        refuses_cleanly(&mut ws, &out, &name, f, 5, &mut |ws| {
            ws.export_unit_sheets(&out, &shifan_core::Job::quiet())
                .map(|_| ())
        });
        let folder = zip.parent().expect("parent").to_path_buf();
        refuses_cleanly(&mut ws, &folder, "各单位工作表.zip", f, 1, &mut |ws| {
            ws.export_unit_sheets(&zip, &shifan_core::Job::quiet())
                .map(|_| ())
        });
        cases += 2;
    }
    // The last sheet's rename fails: eighteen were already replaced and are put back.
    let f = faults()[2];
    let last = first.files[18].clone();
    refuses_cleanly(&mut ws, &out, &last, f, 19, &mut |ws| {
        ws.export_unit_sheets(&out, &shifan_core::Job::quiet())
            .map(|_| ())
    });
    cases += 1;
    // Once the file is closed, the export completes with the next revision.
    let again = ws
        .export_unit_sheets(&out, &shifan_core::Job::quiet())
        .expect("retry");
    assert_eq!(again.unit_count, 19);
    let back = ws
        .preview(
            &shifan_core::CollectImport::new(&out),
            &shifan_core::Job::quiet(),
        )
        .expect("collect");
    assert!(back.sheets.iter().all(|s| s.revision == Some(3)));
    println!("fault injection, per-unit sheets: {cases} cases");
}

#[test]
fn backup_to_a_folder_and_the_hand_over_file_meet_the_same_faults() {
    let (d, mut ws) = with_tasks();
    let usb = d.path().join("U盘");
    std::fs::create_dir(&usb).expect("mkdir");
    let earlier = ws
        .backup_to_folder(&usb, &shifan_core::Job::quiet())
        .expect("an earlier backup on the disk");
    let handover = usb.join("交接.shifan");
    ws.export_handover(&handover, &shifan_core::Job::quiet())
        .expect("an earlier hand-over file");
    let mut cases = 0;
    for f in faults() {
        // The database copy (1st write/rename) and its description file (2nd; the copy
        // already landed and must be removed again).
        for nth in [1, 2] {
            refuses_cleanly(
                &mut ws,
                &usb,
                "示范创建工作台备份",
                f,
                nth,
                &mut |ws| {
                    ws.backup_to_folder(&usb, &shifan_core::Job::quiet())
                        .map(|_| ())
                },
            );
            cases += 1;
        }
        refuses_cleanly(&mut ws, &usb, "交接.shifan", f, 1, &mut |ws| {
            ws.export_handover(&handover, &shifan_core::Job::quiet())
                .map(|_| ())
        });
        cases += 1;
    }
    // The backups on the disk are still whole and restorable by path.
    assert!(
        ws.preview_restore(&earlier.path)
            .expect("preview")
            .can_restore
    );
    let pv = ws
        .preview_handover(&handover, &shifan_core::Job::quiet())
        .expect("still a whole hand-over file");
    assert!(pv.database_ok, "{:?}", pv.notes);
    println!("fault injection, backup and hand-over: {cases} cases");
}

#[test]
fn expert_scoring_sheets_and_the_scale_meet_the_same_faults() {
    let (d, mut ws) = shifan_tests::eval_setup();
    let round = ws
        .eval_round_by_key(shifan_tests::EVAL_ROUND)
        .expect("round")
        .id;
    let out = d.path().join("专家评分表");
    let packed = d.path().join("打包");
    let zip = packed.join("专家评分表.zip");
    let scale_dir = d.path().join("分值");
    let scale = scale_dir.join("分值表.xlsx");
    std::fs::create_dir(&packed).expect("mkdir");
    std::fs::create_dir(&scale_dir).expect("mkdir");
    let q = shifan_core::Job::quiet();
    let first = ws
        .export_score_sheets(round, &out, &q)
        .expect("first export");
    ws.export_score_sheets(round, &zip, &q).expect("first zip");
    ws.export_scale(&scale).expect("first scale");
    assert_eq!(first.expert_count, 3);
    let mut cases = 0;
    for f in faults() {
        let name = first.files[1].clone();
        refuses_cleanly(&mut ws, &out, &name, f, 2, &mut |ws| {
            ws.export_score_sheets(round, &out, &shifan_core::Job::quiet())
                .map(|_| ())
        });
        refuses_cleanly(&mut ws, &packed, "专家评分表.zip", f, 1, &mut |ws| {
            ws.export_score_sheets(round, &zip, &shifan_core::Job::quiet())
                .map(|_| ())
        });
        refuses_cleanly(&mut ws, &scale_dir, "分值表.xlsx", f, 1, &mut |ws| {
            ws.export_scale(&scale).map(|_| ())
        });
        cases += 3;
    }
    // Once the cause is gone, the export completes with the next revision.
    ws.export_score_sheets(round, &out, &q).expect("retry");
    let back = ws
        .preview(&shifan_core::ScoreSheetsImport::new(&out), &q)
        .expect("collect");
    assert!(back.can_apply, "{:?}", back.issues);
    assert!(back.sheets.iter().all(|s| s.revision == Some(3)));
    println!("fault injection, expert scoring sheets and the scale: {cases} cases");
}
