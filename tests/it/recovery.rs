//! Work that must never be replaced, and a damaged database: the `handover` and `db` cases of
//! the fidelity manifest (tests/fixtures/fidelity/manifest.json), each built at runtime from
//! its `setup_steps` and judged by its `expect`, plus the recovery paths around them.

use std::path::{Path, PathBuf};

use serde_json::Value;
use shifan_core::model::{BackupReason, NewCampaign, OplogFilter};
use shifan_core::recovery::{self, DataFileState, Recovery};
use shifan_core::tasks::import::TasksImportOptions;
use shifan_core::{Job, TasksImport, UnitsImport, Workspace};
use shifan_tests::{english_in, fingerprint, fixture};

fn manifest_cases(importer: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("fidelity/manifest.json")).expect("manifest");
    let all: Vec<Value> = serde_json::from_str(&text).expect("manifest json");
    all.into_iter()
        .filter(|c| c["importer"] == importer)
        .collect()
}

fn case(id: &str) -> Value {
    ["handover", "db"]
        .iter()
        .flat_map(|i| manifest_cases(i))
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("manifest case {id}"))
}

fn words(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn db_file(dir: &Path) -> PathBuf {
    dir.join(shifan_core::workspace::DB_FILE)
}

/// The data folders a case's steps build: "A" (the default) and "B" for hand-over cases.
struct Built {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    /// Open workspaces by folder name; a closed folder is absent.
    open: Vec<(String, Workspace)>,
    /// The newest backup made by a `backup_now` step.
    newest_backup: Option<String>,
    /// The bytes of `shifan.db` after a `damage` step (None: deleted).
    damaged: Option<Option<Vec<u8>>>,
}

impl Built {
    fn dir(&self, folder: &str) -> PathBuf {
        self.root.join(folder)
    }

    fn ws(&mut self, folder: &str) -> &mut Workspace {
        if !self.open.iter().any(|(f, _)| f == folder) {
            let ws = Workspace::open(&self.dir(folder)).expect("folder opens");
            self.open.push((folder.to_string(), ws));
        }
        &mut self
            .open
            .iter_mut()
            .find(|(f, _)| f == folder)
            .expect("open")
            .1
    }
}

/// xorshift, for the random bytes of a `damage` step.
fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Run `setup_steps` as the manifest describes them.
fn build(c: &Value) -> Built {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("数据 文件夹");
    let mut b = Built {
        _tmp: tmp,
        root,
        open: Vec::new(),
        newest_backup: None,
        damaged: None,
    };
    for step in c["setup_steps"].as_array().expect("steps") {
        let folder = step["folder"].as_str().unwrap_or("A").to_string();
        let file = |k: &str| fixture(step[k].as_str().expect("file"));
        match step["do"].as_str().expect("do") {
            "campaign" => {
                b.ws(&folder)
                    .create_campaign(&NewCampaign {
                        district: step["district"].as_str().expect("district").into(),
                        name: None,
                        level: None,
                        system_key: step["system"].as_str().map(str::to_string),
                        system_file: None,
                    })
                    .expect("campaign");
            }
            "units_import" => {
                let f = file("file");
                b.ws(&folder)
                    .apply(&UnitsImport::new(f), &Job::quiet())
                    .expect("units import");
            }
            "tasks_import" => {
                let f = file("file");
                let options: TasksImportOptions = step
                    .get("options")
                    .map(|o| serde_json::from_value(o.clone()).expect("options"))
                    .unwrap_or_default();
                b.ws(&folder)
                    .apply(&TasksImport::new(f, options), &Job::quiet())
                    .expect("tasks import");
            }
            "demo" => {
                shifan_core::demo::create(b.ws(&folder)).expect("demo");
            }
            "export_handover" => {
                let to = b.root.join(step["to"].as_str().expect("to"));
                b.ws(&folder)
                    .export_handover(&to, &Job::quiet())
                    .expect("export");
            }
            "backup_now" => {
                let id = b
                    .ws(&folder)
                    .backup_now(BackupReason::Manual, &Job::quiet())
                    .expect("backup")
                    .id;
                b.newest_backup = Some(id);
            }
            "close" => b.open.retain(|(f, _)| *f != folder),
            "damage" => {
                assert!(
                    b.open.iter().all(|(f, _)| *f != folder),
                    "damage a closed folder"
                );
                let db = db_file(&b.dir(&folder));
                // A folder closed normally has its journal checkpointed into shifan.db.
                let wal = db.with_file_name("shifan.db-wal");
                assert!(!wal.exists(), "no WAL after a normal close");
                let bytes = std::fs::read(&db).expect("db");
                let damaged = match step["how"].as_str().expect("how") {
                    "truncate" => Some(bytes[..bytes.len() / 2].to_vec()),
                    "random_bytes" => Some(random_bytes(
                        bytes.len(),
                        step["seed"].as_u64().unwrap_or(7),
                    )),
                    "zero_bytes" => Some(Vec::new()),
                    "delete" => None,
                    other => panic!("damage {other}"),
                };
                match &damaged {
                    Some(d) => std::fs::write(&db, d).expect("damage"),
                    None => std::fs::remove_file(&db).expect("delete"),
                }
                b.damaged = Some(damaged);
            }
            other => panic!("step {other} not known to this test"),
        }
    }
    b
}

// ---------------------------------------------------------------------------------------------
// A damaged database

/// What `Workspace::open` of a damaged folder must do, for one `db` case of the manifest.
fn damaged_database_case(id: &str, state: DataFileState) {
    let c = case(id);
    let b = build(&c);
    let dir = b.dir("A");
    let db = db_file(&dir);
    let newest = b.newest_backup.clone().expect("a backup step");
    let damaged = b.damaged.clone().expect("a damage step");
    let expect = &c["expect"];
    assert_eq!(expect["outcome"], "refuse");

    for attempt in 0..2 {
        let opened = if attempt == 0 {
            Workspace::open(&dir)
        } else {
            Workspace::open_shared(&dir, shifan_core::lock::Program::Cli)
        };
        let err = match opened {
            Ok(ws) => panic!(
                "{id}: opened as if nothing happened, with {} campaigns",
                ws.list_campaigns().map(|v| v.len()).unwrap_or(0)
            ),
            Err(e) => e,
        };
        assert_eq!(err.kind(), "damaged", "{id}: {err}");
        let msg = err.to_string();
        for w in words(&expect["message_has"]) {
            assert!(msg.contains(&w), "{id}: “{w}” missing in: {msg}");
        }
        if expect["restore_offered"] == true {
            assert!(
                msg.contains(&newest) && msg.contains("恢复"),
                "{id}: names the newest backup {newest} and restoring: {msg}"
            );
        }
        assert_eq!(english_in(&msg), None, "{id}: English in: {msg}");
        // Never a silent empty start: the file is as the damage left it.
        match &damaged {
            Some(bytes) => {
                assert_eq!(
                    &std::fs::read(&db).expect("still there"),
                    bytes,
                    "{id}: damaged bytes kept"
                )
            }
            None => assert!(!db.exists(), "{id}: no empty database created"),
        }
    }

    // The start screen / `backup list`: from the manifests, not the damaged file.
    let s = recovery::status(&dir)
        .expect("status")
        .expect("needs recovery");
    assert_eq!(s.state, state, "{id}");
    assert_eq!(s.newest_good.as_deref(), Some(newest.as_str()), "{id}");
    assert!(s.backups.iter().any(|b| b.id == newest), "{id}");
    let listed = recovery::list_backups(&dir).expect("list");
    assert_eq!(listed.first().map(|b| b.id.clone()), Some(newest.clone()));
    assert!(
        listed[0]
            .summary
            .campaigns
            .iter()
            .any(|c| c.contains("曾都区")),
        "{id}: the list says what each backup holds"
    );

    // Restore: the damaged file moved aside under a second name, never deleted.
    let r = recovery::restore(&dir, &newest, &Job::quiet()).expect("restore");
    assert_eq!(
        r.restored.as_ref().map(|b| b.id.clone()),
        Some(newest.clone())
    );
    assert_eq!(english_in(&r.message), None, "{}", r.message);
    if expect["original_bytes_kept"] == true {
        let bytes = damaged.as_ref().expect("a file was damaged, not deleted");
        let aside = r
            .kept
            .iter()
            .map(PathBuf::from)
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("shifan.db.damaged-"))
                    && !p.to_string_lossy().ends_with("-wal")
                    && !p.to_string_lossy().ends_with("-shm")
            })
            .unwrap_or_else(|| panic!("{id}: kept aside: {:?}", r.kept));
        assert_eq!(&std::fs::read(&aside).expect("aside"), bytes, "{id}");
        assert!(
            r.message.contains(
                &aside
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .to_string()
            ),
            "{id}: the message says where: {}",
            r.message
        );
    }
    let ws = Workspace::open(&dir).expect("opens after the restore");
    assert!(ws.health().ok, "{:?}", ws.health().problems);
    assert_eq!(ws.list_units().expect("units").len(), 20, "{id}");
    assert_eq!(
        ws.list_assignments(&Default::default())
            .expect("assignments")
            .len(),
        100,
        "{id}"
    );
    let log = ws.list_oplog(&OplogFilter::default()).expect("log");
    assert_eq!(log.entries[0].action, "恢复备份", "{id}");
    assert!(log.entries[0].detail.contains(&newest), "{id}");
    assert!(
        recovery::status(&dir).expect("status").is_none(),
        "{id}: sound now"
    );
}

#[test]
fn a_truncated_database_is_reported_with_the_newest_backup_and_restored_beside_it() {
    damaged_database_case("db-truncated", DataFileState::Damaged);
}

#[test]
fn a_database_overwritten_with_random_bytes_is_reported_and_restored() {
    damaged_database_case("db-garbage", DataFileState::NotDatabase);
}

#[test]
fn a_zero_byte_database_is_not_started_empty_while_backups_exist() {
    damaged_database_case("db-zero-bytes", DataFileState::Empty);
}

#[test]
fn a_missing_database_is_not_started_empty_while_backups_exist() {
    damaged_database_case("db-missing-with-backups", DataFileState::Missing);
}

#[test]
fn without_backups_a_missing_or_empty_database_is_a_first_start() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().join("新电脑");
    let ws = Workspace::open(&dir).expect("first start");
    assert!(ws.list_campaigns().expect("c").is_empty());
    drop(ws);
    std::fs::write(db_file(&dir), b"").expect("0 bytes");
    let ws = Workspace::open(&dir).expect("a 0-byte file without backups: first start");
    assert!(ws.list_campaigns().expect("c").is_empty());
}

#[test]
fn a_damaged_database_without_backups_is_refused_and_can_be_set_aside_to_start_again() {
    let (d, ws) = shifan_tests::with_demo_campaign();
    let dir = ws.data_dir().to_path_buf();
    drop(ws);
    let bytes = random_bytes(8192, 3);
    std::fs::write(db_file(&dir), &bytes).expect("damage");
    let e = Workspace::open(&dir).err().expect("refused");
    assert_eq!(e.kind(), "damaged");
    assert!(e.to_string().contains("没有备份"), "{e}");
    assert_eq!(english_in(&e.to_string()), None, "{e}");
    assert_eq!(std::fs::read(db_file(&dir)).expect("kept"), bytes);

    let mut r = Recovery::open(&dir, shifan_core::lock::Program::Desktop).expect("lock");
    assert!(
        Workspace::open(&dir).is_err(),
        "the recovery holds the folder"
    );
    let report = r.start_fresh().expect("start again");
    assert!(report.restored.is_none());
    let aside = PathBuf::from(&report.kept[0]);
    assert_eq!(std::fs::read(&aside).expect("aside"), bytes);
    let ws = r.into_workspace().expect("opens");
    assert!(ws.list_campaigns().expect("c").is_empty());
    let log = ws.list_oplog(&OplogFilter::default()).expect("log");
    assert!(
        log.entries.iter().any(|e| e.action == "修复数据"),
        "the fresh start is in the log"
    );
    drop(d);
}

#[test]
fn repair_restores_the_newest_backup_that_is_still_whole() {
    let (_d, ws) = shifan_tests::with_tasks();
    let dir = ws.data_dir().to_path_buf();
    let older = ws
        .backup_now(BackupReason::Manual, &Job::quiet())
        .expect("older");
    let newer = ws
        .backup_now(BackupReason::Manual, &Job::quiet())
        .expect("newer");
    drop(ws);
    // The newest backup is damaged too.
    let mut nb = std::fs::read(&newer.path).expect("read");
    let n = nb.len();
    for x in &mut nb[n / 2..n / 2 + 512] {
        *x ^= 0x5A;
    }
    std::fs::write(&newer.path, nb).expect("damage backup");
    std::fs::write(db_file(&dir), b"not a database at all, just text").expect("damage db");

    let s = recovery::status(&dir).expect("s").expect("damaged");
    assert_eq!(s.damaged_backups, vec![newer.id.clone()]);
    assert_eq!(s.newest_good.as_deref(), Some(older.id.as_str()));
    assert!(s.message.contains(&older.id), "{}", s.message);
    assert!(s.message.contains("已损坏"), "{}", s.message);

    // Restoring the damaged backup is refused, nothing changes.
    let e = recovery::restore(&dir, &newer.id, &Job::quiet()).expect_err("refused");
    assert!(e.to_string().contains("校验值"), "{e}");
    assert_eq!(
        std::fs::read(db_file(&dir)).expect("db"),
        b"not a database at all, just text"
    );
    // A cancelled restore changes nothing either.
    let job_cancel = shifan_core::progress::Cancel::new();
    job_cancel.cancel();
    let job = Job::new(&shifan_core::progress::NoProgress, job_cancel);
    let e = recovery::restore(&dir, &older.id, &job).expect_err("cancelled");
    assert_eq!(e.kind(), "cancelled");
    assert_eq!(
        std::fs::read(db_file(&dir)).expect("db"),
        b"not a database at all, just text"
    );
    assert!(s.kept_files.is_empty());

    let r = Recovery::open(&dir, shifan_core::lock::Program::Cli)
        .expect("lock")
        .restore_newest(&Job::quiet())
        .expect("repair");
    assert_eq!(r.restored.map(|b| b.id), Some(older.id.clone()));
    let ws = Workspace::open(&dir).expect("opens");
    assert_eq!(ws.list_units().expect("u").len(), 20);
    let kept = recovery::status(&dir).expect("s");
    assert!(kept.is_none());
}

#[test]
fn recovery_is_refused_on_a_sound_folder() {
    let (_d, ws) = shifan_tests::with_demo_campaign();
    let dir = ws.data_dir().to_path_buf();
    let b = ws
        .backup_now(BackupReason::Manual, &Job::quiet())
        .expect("b");
    drop(ws);
    let before = std::fs::read(db_file(&dir)).expect("db");
    let e = recovery::restore(&dir, &b.id, &Job::quiet()).expect_err("nothing to recover");
    assert!(e.to_string().contains("完好"), "{e}");
    assert_eq!(std::fs::read(db_file(&dir)).expect("db"), before);
    assert!(recovery::status(&dir).expect("s").is_none());
}

// ---------------------------------------------------------------------------------------------
// Work that must never be replaced

/// Units and assignments of one campaign (by district) of a workspace.
fn campaign_content(ws: &Workspace, district: &str) -> (usize, usize) {
    let c = ws
        .list_campaigns()
        .expect("c")
        .into_iter()
        .find(|c| c.district == district)
        .unwrap_or_else(|| panic!("campaign {district}"));
    assert!(c.active, "{district} is the active campaign");
    (
        ws.list_units().expect("units").len(),
        ws.list_assignments(&Default::default())
            .expect("assignments")
            .len(),
    )
}

#[test]
fn a_hand_over_never_replaces_a_real_campaign_made_on_the_demo_system() {
    let c = case("handover-into-real-campaign-on-demo-system");
    let mut b = build(&c);
    let file = b.root.join("x.shifan");
    let ws = b.ws("A");
    let before = fingerprint(ws);
    let content = campaign_content(ws, "曾都区");
    assert_eq!(content, (20, 100), "the user's work");

    let pv = ws.preview_handover(&file, &Job::quiet()).expect("preview");
    assert!(pv.database_ok, "{:?}", pv.notes);
    // This implementation refuses (it does not import beside): the `refuse` branch holds.
    assert!(!pv.can_import, "{:?}", pv.notes);
    let notes = pv.notes.join("\n");
    let refuse = &c["expect"]["if"]["refuse"];
    for w in words(&refuse["message_has"]) {
        assert!(notes.contains(&w), "“{w}” missing in the preview: {notes}");
    }
    assert!(
        notes.contains("20 个单位") && notes.contains("100 条任务分解"),
        "{notes}"
    );
    assert!(
        notes.contains("演示指标体系"),
        "says why it is not demo data: {notes}"
    );
    assert!(!notes.contains("将带来"), "{notes}");

    let e = ws
        .import_handover(&file, &Job::quiet())
        .expect_err("refused");
    let msg = e.to_string();
    for w in words(&refuse["message_has"]) {
        assert!(msg.contains(&w), "“{w}” missing in: {msg}");
    }
    assert_eq!(refuse["db_unchanged"], true);
    assert_eq!(fingerprint(ws), before, "nothing changed");
    assert_eq!(campaign_content(ws, "曾都区"), content);
}

#[test]
fn a_hand_over_replaces_only_the_demo_of_shifan_demo_and_says_so() {
    let c = case("handover-into-demo-only-folder");
    let mut b = build(&c);
    let file = b.root.join("x.shifan");
    let ws = b.ws("A");
    let demo = ws.list_campaigns().expect("c");
    assert_eq!(demo.len(), 1);
    assert!(
        ws.is_demo_campaign(demo[0].id).expect("mark"),
        "marked as demo"
    );

    let pv = ws.preview_handover(&file, &Job::quiet()).expect("preview");
    assert_eq!(
        pv.can_import,
        c["expect"]["can_apply"] == true,
        "{:?}",
        pv.notes
    );
    let notes = pv.notes.join("\n");
    assert!(
        notes.contains("将带来 1 个创建项目")
            && notes.contains("演示数据")
            && notes.contains("替换"),
        "the preview says the demo is replaced: {notes}"
    );
    let backups_before = ws.list_backups().expect("b").len();
    let r = ws.import_handover(&file, &Job::quiet()).expect("import");
    assert!(r.imported);
    let after: Vec<String> = ws
        .list_campaigns()
        .expect("c")
        .into_iter()
        .map(|c| c.district)
        .collect();
    assert_eq!(after, words(&c["expect"]["campaigns_after"]));
    if c["expect"]["safety_backup"] == true {
        let safety = r.safety_backup.expect("a safety backup first");
        assert_eq!(safety.reason, BackupReason::BeforeHandover);
        assert!(
            safety
                .summary
                .campaigns
                .iter()
                .any(|n| n.contains("演示区"))
        );
        assert!(ws.list_backups().expect("b").len() > backups_before);
    }
}

#[test]
fn a_campaign_the_user_named_like_the_demo_district_is_still_real_work() {
    let (d, mut ws) = shifan_tests::fresh();
    let c = ws
        .create_campaign(&NewCampaign {
            district: shifan_core::demo::DEMO_DISTRICT.into(),
            name: None,
            level: None,
            system_key: Some("demo".into()),
            system_file: None,
        })
        .expect("campaign");
    assert!(!ws.is_demo_campaign(c.id).expect("mark"));
    // `shifan demo` refuses to mix with it, too.
    assert!(shifan_core::demo::create(&mut ws).is_err());

    let (_e, source) = shifan_tests::with_demo_campaign();
    let file = d.path().join("交接.shifan");
    source
        .export_handover(&file, &Job::quiet())
        .expect("export");
    let pv = ws.preview_handover(&file, &Job::quiet()).expect("preview");
    assert!(!pv.can_import, "{:?}", pv.notes);
}

#[test]
fn the_journal_of_a_damaged_file_is_kept_beside_it_and_never_applied_to_the_restored_one() {
    let (_d, ws) = shifan_tests::with_tasks();
    let dir = ws.data_dir().to_path_buf();
    let b = ws
        .backup_now(BackupReason::Manual, &Job::quiet())
        .expect("b");
    drop(ws);
    // A killed program's leftovers beside a damaged file.
    std::fs::write(db_file(&dir), random_bytes(40_000, 11)).expect("damage");
    let wal = random_bytes(9_000, 12);
    std::fs::write(dir.join("shifan.db-wal"), &wal).expect("wal");
    let r = recovery::restore(&dir, &b.id, &Job::quiet()).expect("restore");
    let kept_wal = r
        .kept
        .iter()
        .find(|p| p.ends_with("-wal"))
        .unwrap_or_else(|| panic!("{:?}", r.kept));
    assert_eq!(std::fs::read(kept_wal).expect("kept"), wal);
    assert!(
        !dir.join("shifan.db-wal").exists() || {
            // A WAL of the restored file itself, written by its first open, is fine.
            std::fs::read(dir.join("shifan.db-wal")).expect("wal") != wal
        }
    );
    let mut ws = Workspace::open(&dir).expect("opens");
    assert_eq!(ws.list_units().expect("u").len(), 20);
    assert!(ws.check_full().expect("check").ok);
}
