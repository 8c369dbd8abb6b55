//! The commands through real IPC on the MockRuntime: the same path the Vue UI takes (argument
//! names in camelCase, results and errors as JSON), without a window or a display.

use std::sync::Mutex;

use serde_json::{Value, json};
use shifan_core::Workspace;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

/// One app on a fresh data folder, with a window to invoke from.
struct Desk {
    window: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
    _app: App<MockRuntime>,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = shifan_app::builder(mock_builder())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let ws = Workspace::open(&dir.path().join("data")).expect("workspace opens");
        app.manage(Mutex::new(ws));
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock window");
        Desk {
            window,
            dir,
            _app: app,
        }
    }

    /// Invokes `cmd` as the UI does; Ok is the JSON result, Err the JSON error.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        // The IPC origin differs per platform; a wrong one makes every command "not allowed".
        let url = if cfg!(windows) {
            "http://tauri.localhost"
        } else {
            "tauri://localhost"
        };
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: url.parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("JSON result"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} should fail but returned {v}"),
            Err(e) => e,
        }
    }
}

fn leaves(nodes: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for n in nodes.as_array().expect("array of nodes") {
        if n["isLeaf"] == json!(true) {
            out.push(n);
        }
        out.extend(leaves(&n["children"]));
    }
    out
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The shape every failed command has: exactly `{kind, message}`, message in Chinese.
fn assert_error(e: &Value, kind: &str) {
    assert_eq!(e["kind"], json!(kind), "error kind of {e}");
    let message = e["message"].as_str().expect("message is a string");
    assert!(has_cjk(message), "message is Chinese: {message}");
    assert_eq!(
        e.as_object().map(|o| o.len()),
        Some(2),
        "only kind and message: {e}"
    );
}

#[test]
fn first_run_creates_a_campaign_on_the_demo_system_and_shows_its_100_indicators() {
    let desk = Desk::new();

    let status = desk.ok("app_status", json!({}));
    assert_eq!(
        status["active"],
        Value::Null,
        "a fresh folder has no campaign"
    );
    assert_eq!(status["campaigns"], json!([]));

    let systems = desk.ok("list_systems", json!({}));
    assert!(
        systems
            .as_array()
            .expect("systems")
            .iter()
            .any(|s| s["key"] == json!("demo") && s["isDemo"] == json!(true)),
        "the embedded demo system is seeded: {systems}"
    );

    let campaign = desk.ok(
        "create_campaign",
        json!({ "input": { "district": "曾都区", "systemKey": "demo" } }),
    );
    assert_eq!(campaign["district"], json!("曾都区"));
    assert_eq!(campaign["active"], json!(true));
    assert_eq!(campaign["systemIsDemo"], json!(true));

    let tree = desk.ok("indicator_tree", json!({ "systemId": null }));
    assert_eq!(
        tree["system"]["id"], campaign["systemId"],
        "the active campaign's system"
    );
    assert_eq!(leaves(&tree["roots"]).len(), 100);
    assert_eq!(tree["system"]["leafCount"], json!(100));
    let name = tree["system"]["name"].as_str().expect("system name");
    assert!(
        name.contains("演示"),
        "the demo system says it is a demo: {name}"
    );

    let status = desk.ok("app_status", json!({}));
    assert_eq!(status["active"]["id"], campaign["id"]);
    assert_eq!(status["campaigns"].as_array().map(Vec::len), Some(1));
}

#[test]
fn failures_arrive_as_kind_and_chinese_message() {
    let desk = Desk::new();

    let e = desk.err("switch_campaign", json!({ "id": 4242 }));
    assert_error(&e, "notFound");

    let e = desk.err(
        "create_campaign",
        json!({ "input": { "district": "  ", "systemKey": "demo" } }),
    );
    assert_error(&e, "invalid");
    assert_eq!(
        desk.ok("app_status", json!({}))["campaigns"],
        json!([]),
        "nothing was created"
    );
}

#[test]
fn an_exported_system_reads_back_as_the_same_100_indicators() {
    let desk = Desk::new();
    desk.ok(
        "create_campaign",
        json!({ "input": { "district": "曾都区", "systemKey": "demo" } }),
    );

    let target = desk.dir.path().join("导出").join("指标体系表.xlsx");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    let written = desk.ok(
        "export_indicators",
        json!({ "path": target.to_string_lossy(), "systemId": null }),
    );
    let written = std::path::PathBuf::from(written.as_str().expect("path of the written file"));
    let bytes = std::fs::read(&written).expect("exported file exists");
    assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");

    let preview = desk.ok(
        "preview_indicator_import",
        json!({ "path": written.to_string_lossy() }),
    );
    assert_eq!(preview["leafCount"], json!(100), "{}", preview["issues"]);
    assert_eq!(preview["canApply"], json!(true), "{}", preview["issues"]);
}

/// The 任务分解 page's data through IPC: the demo district's units, roster check and per-unit
/// summary, a filter by unit, and an export of the per-unit work sheets.
#[test]
fn units_roster_and_assignments_reach_the_ui() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let units = desk.ok("list_units", json!({}));
    let units = units.as_array().expect("array");
    assert!(units.len() >= 60, "a district's units ({})", units.len());
    let short = desk.ok("roster_check", json!({}));
    let short = short.as_array().expect("array");
    assert!(!short.is_empty(), "some demo units fall short of the rule");
    assert!(short.iter().all(|s| s["missing"].as_i64().unwrap_or(0) > 0));

    let summary = desk.ok("unit_task_summary", json!({}));
    let sifa = summary
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["unitName"] == json!("区司法局"))
        .expect("区司法局 has tasks");
    assert!(sifa["text"].as_str().is_some_and(|t| t.contains("牵头")));
    let unit_id = sifa["unitId"].clone();
    let lead = sifa["leadCount"].as_i64().unwrap_or(0) + sifa["supportCount"].as_i64().unwrap_or(0);
    let mine = desk.ok(
        "list_assignments",
        json!({ "filter": { "unitId": unit_id } }),
    );
    assert_eq!(
        mine.as_array().map(Vec::len).unwrap_or(0) as i64,
        lead,
        "filter by unit"
    );

    let zip = desk.dir.path().join("各单位工作表.zip");
    desk.ok(
        "export_unit_sheets",
        json!({ "target": zip.display().to_string() }),
    );
    assert!(std::fs::read(&zip).expect("zip written").starts_with(b"PK"));

    let e = desk.err("delete_unit", json!({ "id": 999_999 }));
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
    );
}

/// The 问题整改 and 自查自纠 pages' data through IPC on the demo campaign: rounds, the ledger
/// (overdue first), a problem's drawer with its history, a status change and 销号, the league
/// table, 催办, letters into a zip, a 问题清单 import preview, and the self-assessments.
#[test]
fn problems_letters_reminders_and_self_checks_reach_the_ui() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let rounds = desk.ok("list_rounds", json!({}));
    let round = &rounds.as_array().expect("array")[0];
    assert_eq!(round["kind"], json!("专项督察"));
    assert!(
        round["overdueCount"].as_i64().unwrap_or(0) > 0,
        "some demo problems are overdue"
    );
    let round_id = round["id"].clone();
    let ledger = desk.ok(
        "list_problems",
        json!({ "filter": { "roundId": round_id } }),
    );
    let ledger = ledger.as_array().expect("array");
    assert!(ledger.len() >= 30);
    assert!(ledger[0]["overdueDays"].as_i64().is_some(), "overdue first");
    let statuses: std::collections::HashSet<&str> = ledger
        .iter()
        .flat_map(|p| p["units"].as_array().into_iter().flatten())
        .filter_map(|u| u["status"].as_str())
        .collect();
    assert_eq!(statuses.len(), 4, "every status in the demo: {statuses:?}");
    let common = ledger
        .iter()
        .find(|p| p["kind"] == json!("共性"))
        .expect("a 共性 problem");
    assert!(
        common["progressText"]
            .as_str()
            .is_some_and(|t| t.contains("已整改"))
    );
    let id = common["id"].clone();
    let unit = common["units"][0]["unitId"].clone();
    let p = desk.ok(
        "set_problem_status",
        json!({ "change": { "problemId": id, "unitId": unit, "status": "已销号", "closedOn": "2025-06-30", "note": "核验通过" } }),
    );
    assert_eq!(p["units"][0]["status"], json!("已销号"));
    let d = desk.ok("problem_detail", json!({ "id": id }));
    assert_eq!(d["history"][0]["field"], json!("close"));
    assert_eq!(d["history"][0]["note"], json!("核验通过"));
    let e = desk.err(
        "set_problem_status",
        json!({ "change": { "problemId": id, "status": "已销号" } }),
    );
    assert_error(&e, "invalid");
    let league = desk.ok("problem_league", json!({ "roundId": null }));
    assert!(league.as_array().is_some_and(|v| v.len() > 30));
    let r = desk.ok("remind", json!({ "options": { "overdueOnly": true } }));
    assert!(
        r["combined"]
            .as_str()
            .is_some_and(|t| t.starts_with("【催办】"))
    );
    let zip = desk.dir.path().join("反馈函.zip");
    let letters = desk.ok(
        "export_letters",
        json!({ "roundId": round_id, "target": zip.display().to_string() }),
    );
    assert!(
        letters["letters"][0]["docNo"]
            .as_str()
            .is_some_and(|n| n.starts_with("演法办函〔"))
    );
    assert!(std::fs::read(&zip).expect("zip").starts_with(b"PK"));
    let settings = desk.ok("letter_settings", json!({}));
    assert_eq!(settings["contact"], json!("王晓明"));
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/problems/problems-headings-wps.xlsx");
    let preview = desk.ok(
        "preview_problems_import",
        json!({ "path": fixture.display().to_string(), "options": { "createUnits": true } }),
    );
    assert_eq!(preview["problemCount"], json!(4));
    assert_eq!(preview["round"]["isNew"], json!(true));
    let checks = desk.ok("list_self_assessments", json!({}));
    let checks = checks.as_array().expect("array");
    assert_eq!(checks.len(), 100);
    assert!(
        checks.iter().filter(|a| a["rating"] != json!("")).count() > 80,
        "most indicators assessed"
    );
    let a = desk.ok(
        "save_self_assessment",
        json!({ "input": { "no": 1, "review": "退回", "reviewNote": "请补充材料" } }),
    );
    assert_eq!(a["review"], json!("退回"));
}

/// The 单位 form of the UI: save_unit with a camelCase input (new, then edited by id),
/// the core's clash message as `{kind, message}`, and delete_unit refusing a unit with tasks.
#[test]
fn a_unit_is_saved_edited_and_deleted_through_ipc() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let input = json!({
        "id": null, "name": "区法学会", "shortName": "法学会", "aliases": ["区法学研究会"],
        "kind": "非行政执法单位", "contact": "张三", "phone": "0722-3300000", "note": ""
    });
    let saved = desk.ok("save_unit", json!({ "input": input }));
    assert_eq!(saved["shortName"], json!("法学会"));
    assert_eq!(saved["rosterRequired"], json!(2));
    let id = saved["id"].clone();

    let mut edited = input.clone();
    edited["id"] = id.clone();
    edited["kind"] = json!("其他");
    let e = desk.ok("save_unit", json!({ "input": edited }));
    assert_eq!(
        (e["id"].clone(), e["kind"].clone()),
        (id.clone(), json!("其他"))
    );

    let mut clash = input.clone();
    clash["name"] = json!("区司法局");
    clash["aliases"] = json!([]);
    let err = desk.err("save_unit", json!({ "input": clash }));
    assert_eq!(err["kind"], json!("invalid"));
    assert_eq!(err["message"], json!("单位“区司法局”已存在。"));

    let units = desk.ok("list_units", json!({}));
    let sifa = units
        .as_array()
        .and_then(|us| us.iter().find(|u| u["name"] == json!("区司法局")))
        .expect("区司法局")
        .clone();
    let refused = desk.err("delete_unit", json!({ "id": sifa["id"] }));
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("仍承担") && m.contains("任务分解")),
        "{refused}"
    );
    assert_eq!(desk.ok("delete_unit", json!({ "id": id })), Value::Null);
    let after = desk.ok("list_units", json!({}));
    assert!(
        !after
            .as_array()
            .expect("array")
            .iter()
            .any(|u| u["id"] == id)
    );
}

#[test]
fn data_safety_reaches_the_ui_backups_restore_handover_oplog_and_checks() {
    let desk = Desk::new();
    desk.ok(
        "create_campaign",
        json!({ "input": { "district": "曾都区", "systemKey": "demo" } }),
    );

    // 设置 → 操作人: recorded with every later change.
    assert_eq!(
        desk.ok("set_operator", json!({ "name": "李四" })),
        json!("李四")
    );
    assert_eq!(desk.ok("get_operator", json!({})), json!("李四"));

    // Health: the quick check made at open, a full check, and repair on a healthy folder.
    assert_eq!(desk.ok("get_health", json!({}))["ok"], json!(true));
    let full = desk.ok("check_data", json!({ "full": true }));
    assert_eq!(
        (full["ok"].clone(), full["full"].clone()),
        (json!(true), json!(true))
    );
    assert!(has_cjk(full["summary"].as_str().unwrap_or("")), "{full}");
    assert_eq!(desk.ok("repair_data", json!({}))["ok"], json!(true));

    // A backup started as a job (id + progress channel, as api.ts sends it), then listed.
    let b = desk.ok(
        "backup_now",
        json!({ "job": "job-1", "progress": "__CHANNEL__:4242" }),
    );
    assert_eq!(b["operator"], json!("李四"));
    let backups = desk.ok("list_backups", json!({}));
    assert!(
        backups
            .as_array()
            .expect("backups")
            .iter()
            .any(|x| x["id"] == b["id"]),
        "{backups}"
    );
    // The job is gone once it ended: 取消 then finds nothing to stop.
    assert_eq!(
        desk.ok("cancel_job", json!({ "job": "job-1" })),
        json!(false)
    );

    // To a folder the user picked (a USB disk), and to a folder that is not there.
    let usb = desk.dir.path().join("U盘 备份");
    std::fs::create_dir_all(&usb).expect("usb");
    let copy = desk.ok(
        "backup_to_folder",
        json!({ "folder": usb.display().to_string() }),
    );
    assert!(std::path::Path::new(copy["path"].as_str().expect("path")).is_file());
    let gone = desk.err(
        "backup_to_folder",
        json!({ "folder": desk.dir.path().join("拔出的U盘").display().to_string() }),
    );
    assert!(has_cjk(gone["message"].as_str().unwrap_or("")), "{gone}");

    // Restore: preview first, then restore with a safety backup of the current state.
    let pv = desk.ok("preview_restore", json!({ "source": b["id"] }));
    assert_eq!(pv["canRestore"], json!(true));
    assert_eq!(
        pv["backup"]["summary"]["campaigns"],
        json!(["曾都区法治政府建设示范创建（省级）"])
    );
    let r = desk.ok(
        "apply_restore",
        json!({ "source": b["id"], "job": "job-2" }),
    );
    assert!(has_cjk(r["message"].as_str().unwrap_or("")));
    assert_ne!(r["safetyBackup"]["id"], b["id"]);
    // A restore is not an import: nothing to 撤销, and asking anyway is a Chinese refusal.
    assert_eq!(desk.ok("preview_undo", json!({})), Value::Null);
    let e = desk.err("apply_undo", json!({ "job": "job-u" }));
    assert_eq!(e["kind"], json!("invalid"));

    // 操作日志: filtered by action and exported to Excel.
    let log = desk.ok("list_oplog", json!({ "filter": {} }));
    assert!(log["total"].as_i64().unwrap_or(0) >= 2, "{log}");
    assert!(
        log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["operator"] == json!("李四"))
    );
    let action = log["entries"][0]["action"].clone();
    let only = desk.ok("list_oplog", json!({ "filter": { "action": action } }));
    assert!(
        only["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["action"] == action)
    );
    let xlsx = desk.dir.path().join("操作日志.xlsx");
    desk.ok(
        "export_oplog",
        json!({ "filter": {}, "path": xlsx.display().to_string() }),
    );
    assert!(std::fs::read(&xlsx).expect("oplog xlsx").starts_with(b"PK"));

    // Hand-over: exported here, verified and imported on a "new PC" (that a folder with
    // real campaigns refuses it is tested in the core's safety tests).
    let file = desk.dir.path().join("交接 2026.shifan");
    let m = desk.ok(
        "export_handover",
        json!({ "path": file.display().to_string(), "job": "job-3" }),
    );
    assert_eq!(m["operator"], json!("李四"));
    let pc2 = Desk::new();
    let check = pc2.ok(
        "preview_handover_import",
        json!({ "path": file.display().to_string() }),
    );
    assert_eq!(
        (check["databaseOk"].clone(), check["canImport"].clone()),
        (json!(true), json!(true))
    );
    let done = pc2.ok(
        "apply_handover_import",
        json!({ "path": file.display().to_string() }),
    );
    assert_eq!(done["imported"], json!(true));
    let status = pc2.ok("app_status", json!({}));
    assert_eq!(status["campaigns"].as_array().map(Vec::len), Some(1));
}

#[test]
fn cancel_reaches_the_running_job_and_only_while_it_runs() {
    use shifan_app::jobs::Jobs;
    let jobs = Jobs::default();
    let guard = jobs.start(Some("job-7".into()));
    assert!(!jobs.cancel("job-8"), "another id stops nothing");
    assert!(!guard.cancel.is_cancelled());
    assert!(jobs.cancel("job-7"));
    assert!(guard.cancel.is_cancelled());
    drop(guard);
    assert!(!jobs.cancel("job-7"), "ended jobs are forgotten");
    let anonymous = jobs.start(None);
    assert!(!anonymous.cancel.is_cancelled());
}

/// The TypeScript bindings of the IPC surface: written to `ui/src/gen/commands.ts` like ts-rs
/// writes the types (the bindings check of `make test` then fails when they are stale), and
/// checked against the handler so that no command is missing from either.
#[test]
fn the_ipc_surface_is_generated_for_typescript() {
    let specs = shifan_app::commands::surface();
    let kinds: Vec<&str> = shifan_core::error::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    let ts = shifan_app::surface::typescript(&specs, &kinds);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen");
    std::fs::create_dir_all(&dir).expect("gen dir");
    std::fs::write(dir.join("commands.ts"), &ts).expect("write commands.ts");

    // Every declared command answers through the real handler (an unknown one is refused).
    let desk = Desk::new();
    let mut names = std::collections::HashSet::new();
    for s in &specs {
        assert!(names.insert(s.name), "{} declared twice", s.name);
        if let Err(e) = desk.invoke(s.name, json!({})) {
            let text = e.to_string();
            assert!(
                !text.contains("not found"),
                "{} is declared but not handled: {text}",
                s.name
            );
        }
        // Every type the bindings name is imported.
        for i in &s.imports {
            assert!(
                ts.contains(&format!("import type {{ {i} }} from './{i}'")),
                "{i}"
            );
        }
    }
    let unknown = desk
        .invoke("no_such_command", json!({}))
        .expect_err("refused");
    assert!(unknown.to_string().contains("not found"), "{unknown}");
    assert!(
        ts.contains(
            "export function previewUnitsImport(path: string, choices: Array<NameChoice>): Promise<UnitsImportPreview>"
        )
    );
    assert!(ts.contains("preview_tasks_import: '读取任务分解表'"));
    assert!(ts.contains("'notFound'") && ts.contains("'internal'"));
}

/// A damaged data file at start: no workspace, the recovery state instead. The UI's start
/// screen reads `recovery_status` (backups from their manifests), restores with
/// `apply_recovery`, and from then on every command works on the restored data.
#[test]
fn a_damaged_data_folder_starts_on_the_recovery_screen_and_a_restore_opens_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let backup = {
        let mut ws = Workspace::open(&data).expect("opens");
        ws.create_campaign(&shifan_core::model::NewCampaign {
            district: "曾都区".into(),
            name: None,
            level: None,
            system_key: Some("demo".into()),
            system_file: None,
        })
        .expect("campaign");
        ws.backup_now(
            shifan_core::model::BackupReason::Manual,
            &shifan_core::Job::quiet(),
        )
        .expect("backup")
    };
    let damaged = b"this was overwritten by something else".to_vec();
    std::fs::write(data.join("shifan.db"), &damaged).expect("damage");

    let app = shifan_app::builder(mock_builder())
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    match shifan_core::recovery::open_or_recover(&data, shifan_core::lock::Program::Desktop)
        .expect("opening does not fail")
    {
        shifan_core::recovery::Opened::Recovery(r) => {
            app.manage(shifan_app::commands::RecoveryState::new(Some(r)));
        }
        shifan_core::recovery::Opened::Workspace(_) => panic!("a damaged file opened"),
    }
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    let desk = Desk {
        window,
        dir,
        _app: app,
    };

    // Every other command says what is wrong, in Chinese, with its own kind.
    let e = desk.err("app_status", json!({}));
    assert_error(&e, "damaged");

    let s = desk.ok("recovery_status", json!({}));
    assert_eq!(s["state"], json!("notDatabase"));
    assert_eq!(s["newestGood"], json!(backup.id));
    let message = s["message"].as_str().expect("message");
    assert!(
        message.contains("shifan.db") && message.contains(&backup.id),
        "{message}"
    );
    assert_eq!(s["backups"][0]["id"], json!(backup.id));
    assert!(
        s["backups"][0]["summary"]["campaigns"][0]
            .as_str()
            .is_some_and(|c| c.contains("曾都区"))
    );

    // A wrong id changes nothing and keeps the start screen.
    let e = desk.err("apply_recovery", json!({ "source": "没有这份备份" }));
    assert_error(&e, "notFound");
    assert_eq!(
        std::fs::read(data.join("shifan.db")).expect("db"),
        damaged,
        "untouched"
    );

    let r = desk.ok("apply_recovery", json!({ "source": backup.id }));
    assert_eq!(r["restored"]["id"], json!(backup.id));
    let kept = r["kept"][0].as_str().expect("kept path");
    assert!(kept.contains("shifan.db.damaged-"), "{kept}");
    assert_eq!(std::fs::read(kept).expect("kept"), damaged);
    assert!(r["message"].as_str().is_some_and(has_cjk));

    let status = desk.ok("app_status", json!({}));
    assert_eq!(status["active"]["district"], json!("曾都区"));
    assert_eq!(desk.ok("recovery_status", json!({})), Value::Null);
    let e = desk.err("apply_recovery", json!({ "source": backup.id }));
    assert_error(&e, "invalid");
}

fn fixture(rel: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// The evidence pages' data through IPC: add (preview, apply) a unit's Windows zip, the list
/// and the 待归类 queue, filing, editing, review, completeness, the 退回清单, verification,
/// the file for the viewer, search, and the archive export.
#[test]
fn the_evidence_library_reaches_the_ui() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let before = desk.ok("list_evidence", json!({ "filter": {} }));
    let n0 = before.as_array().map(Vec::len).expect("array");
    assert!(n0 >= 15, "the demo evidence");

    let zip = fixture("evidence/区司法局-佐证材料.zip");
    let p = desk.ok(
        "preview_evidence_add",
        json!({ "paths": [zip], "options": { "unit": "区司法局", "indicatorNos": [] } }),
    );
    assert_eq!(p["canApply"], json!(true));
    assert_eq!(p["fileCount"], json!(6));
    assert_eq!(p["groups"][0]["unitFrom"], json!("given"));
    assert_eq!(
        desk.ok("list_evidence", json!({ "filter": {} }))
            .as_array()
            .map(Vec::len),
        Some(n0),
        "a preview stores nothing"
    );
    let a = desk.ok(
        "apply_evidence_add",
        json!({ "paths": [zip], "options": { "unit": "区司法局" }, "job": "job-1" }),
    );
    assert_eq!(a["applied"], json!(true));
    let added = a["newCount"].as_i64().expect("n");
    assert!(added >= 5, "{a}");

    let queue = desk.ok("list_evidence", json!({ "filter": { "queue": true } }));
    let ids: Vec<Value> = queue
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert!(!ids.is_empty());
    let n = desk.ok(
        "assign_evidence",
        json!({ "input": { "ids": ids, "indicatorNos": [12], "replace": false } }),
    );
    assert_eq!(n, json!(ids.len()));
    let one = ids[0].clone();
    let it = desk.ok(
        "update_evidence",
        json!({ "id": one, "edit": { "formedOn": "2025年4月15日", "method": "网络检索", "url": "https://www.example.gov.cn/a" } }),
    );
    assert_eq!(it["formedOn"], json!("2025-04-15"));
    let e = desk.err(
        "update_evidence",
        json!({ "id": one, "edit": { "category": "杂项" } }),
    );
    assert_error(&e, "invalid");
    let d = desk.ok("evidence_detail", json!({ "id": one }));
    assert!(!d["sources"].as_array().expect("sources").is_empty());

    let r = desk.ok(
        "review_evidence",
        json!({ "input": { "ids": [one], "decision": "return", "reason": "截图不清晰" } }),
    );
    assert_eq!(r, json!(1));
    let e = desk.err(
        "review_evidence",
        json!({ "input": { "ids": [one], "decision": "return", "reason": "" } }),
    );
    assert_error(&e, "invalid");
    let c = desk.ok("evidence_completeness", json!({}));
    assert_eq!(c["indicators"].as_array().map(Vec::len), Some(100));
    assert!(c["summary"].as_str().is_some_and(|s| s.contains("待归类")));
    let unit = desk.ok("list_units", json!({}));
    let sfj = unit
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["name"] == json!("区司法局"))
        .expect("区司法局")["id"]
        .clone();
    let list = desk.dir.path().join("退回清单.xlsx");
    let written = desk.ok(
        "export_return_list",
        json!({ "unitId": sfj, "path": list.display().to_string() }),
    );
    assert!(std::path::Path::new(written.as_str().expect("path")).is_file());

    let v = desk.ok("verify_evidence", json!({}));
    assert_eq!(v["ok"], json!(true));
    let f = desk.ok("evidence_file", json!({ "id": one }));
    assert!(f["path"].as_str().is_some_and(|p| p.contains("evidence")));
    assert!(f["mime"].as_str().is_some_and(|m| m.contains('/')));
    let e = desk.err("evidence_file", json!({ "id": 999_999 }));
    assert_error(&e, "notFound");
    let e = desk.err("relink_evidence", json!({ "hash": "xyz", "path": zip }));
    assert_error(&e, "invalid");

    let hits = desk.ok("search", json!({ "query": "复议" }));
    let hits = hits.as_array().expect("hits");
    assert!(hits.iter().any(|h| h["kind"] == json!("indicator")));
    assert!(hits.iter().any(|h| h["kind"] == json!("evidence")));

    let plan = desk.ok("archive_plan", json!({ "level": null }));
    assert_eq!(plan["volumes"].as_array().map(Vec::len), Some(24));
    let out = desk.dir.path().join("案卷.zip");
    let report = desk.ok(
        "export_archive",
        json!({ "target": out.display().to_string(), "plan": plan, "job": "job-2" }),
    );
    assert_eq!(report["volumes"].as_array().map(Vec::len), Some(25));
    assert!(std::fs::read(&out).expect("zip").starts_with(b"PK"));
    let removed = desk.ok("remove_evidence", json!({ "ids": [one] }));
    assert_eq!(removed, json!(1));
}

/// The 模拟评估 page's data through IPC on the demo campaign: rounds, the grid with experts side
/// by side, a mark in half points, a score above the 分值 refused as `{kind, message}`, the
/// results and trend, the scoring sheets out to a zip and previewed back, the problem drafts.
#[test]
fn evaluation_rounds_grid_marks_results_and_scoring_sheets_reach_the_ui() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let rounds = desk.ok("eval_rounds", json!({}));
    let rounds = rounds.as_array().expect("array");
    assert_eq!(rounds.len(), 2);
    let r1 = rounds[0]["id"].clone();
    let r2 = rounds[1]["id"].clone();

    let grid = desk.ok("eval_grid", json!({ "roundId": r1 }));
    assert_eq!(grid["experts"].as_array().map(Vec::len), Some(3));
    let rows = grid["rows"].as_array().expect("rows");
    let overlap = rows
        .iter()
        .find(|r| r["no"] == json!(36))
        .expect("indicator 36");
    assert_eq!(
        overlap["marks"].as_array().map(Vec::len),
        Some(2),
        "side by side"
    );
    let three = rows.iter().find(|r| r["no"] == json!(3)).expect("3");
    assert_eq!(three["max"], json!(10.5));

    let row = desk.ok(
        "save_mark",
        json!({ "input": {
            "roundId": r2, "indicatorId": three["indicatorId"], "expertId": null,
            "score": 9.5, "reason": "依法治区办复核"
        }}),
    );
    assert_eq!(row["score"], json!(9.5));
    assert_eq!(row["source"], json!("office"));
    let e = desk.err(
        "save_mark",
        json!({ "input": {
            "roundId": r2, "indicatorId": three["indicatorId"], "score": 11
        }}),
    );
    assert_error(&e, "invalid");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("超过该指标的分值 10.5"))
    );

    let res = desk.ok("eval_results", json!({ "roundId": r2 }));
    assert_eq!(res["total"]["max"], json!(1000));
    assert_eq!(res["previous"]["roundId"], r1);
    assert_eq!(res["reference"], json!(true));
    assert_eq!(res["lostRanking"][0]["no"], json!(50));
    let trend = desk.ok("eval_trend", json!({}));
    assert_eq!(trend.as_array().map(Vec::len), Some(2));
    let drafts = desk.ok("deductions_for_problems", json!({ "roundId": r2 }));
    assert!(drafts.as_array().is_some_and(|d| !d.is_empty()));

    let zip = desk.dir.path().join("专家评分表.zip");
    let out = desk.ok(
        "export_score_sheets",
        json!({ "roundId": r2, "target": zip.display().to_string() }),
    );
    assert_eq!(out["expertCount"], json!(3));
    let back = desk.ok(
        "preview_score_collect",
        json!({ "path": zip.display().to_string() }),
    );
    assert_eq!(back["canApply"], json!(true), "{}", back["issues"]);
    assert_eq!(back["changeCount"], json!(0));

    let model = desk.ok("scoring_model", json!({}));
    assert_eq!(model["officeTotal"], json!(1000));
    assert_eq!(
        model["weights"]["written"],
        Value::Null,
        "weights blank by default"
    );
}
