//! The IPC commands. Each one locks the workspace, calls one function of `shifan_core` and maps
//! the error; nothing else. Commands that read or write user files are `async` and do their work
//! on a blocking thread, because sync commands run on the UI thread.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use shifan_core::Workspace;
use shifan_core::model::{
    AppStatus, CampaignInfo, IndicatorImportPreview, IndicatorTree, NewCampaign, SystemInfo,
};
use shifan_core::model::{
    BackupInfo, BackupReason, HandoverManifest, HandoverReport, HealthReport, OplogFilter,
    OplogPage, RestorePreview, RestoreReport,
};
use shifan_core::progress::{Cancel, NoProgress};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::{CmdError, CmdResult};
use shifan_core::tasks::collect::CollectPreview;
use shifan_core::tasks::import::{TasksImportOptions, TasksImportPreview};
use shifan_core::tasks::unit_sheets::UnitSheetsExport;
use shifan_core::tasks::{Assignment, AssignmentFilter, UnitTaskSummary};
use shifan_core::units::{
    RosterInput, RosterMember, RosterShortfall, UnitInfo, UnitInput, UnitsImportPreview,
};

/// The managed state: the one open data folder.
pub type WorkspaceState = Mutex<Workspace>;

fn lock(state: &WorkspaceState) -> MutexGuard<'_, Workspace> {
    // A panic while the lock was held is a bug; the SQLite store is transactional, so carry on
    // rather than turning every later command into an error.
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs `f` with the workspace on a blocking thread.
async fn blocking<R, T, F>(app: AppHandle<R>, f: F) -> CmdResult<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Workspace) -> shifan_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let state = app
            .try_state::<WorkspaceState>()
            .ok_or_else(|| CmdError::internal("数据文件夹尚未打开"))?;
        let mut ws = lock(&state);
        f(&mut ws).map_err(CmdError::from)
    })
    .await
    .map_err(CmdError::internal)?
}

#[tauri::command]
pub fn app_status(state: State<'_, WorkspaceState>) -> CmdResult<AppStatus> {
    Ok(lock(&state).status()?)
}

#[tauri::command]
pub fn list_systems(state: State<'_, WorkspaceState>) -> CmdResult<Vec<SystemInfo>> {
    Ok(lock(&state).list_systems()?)
}

/// May import `input.system_file`, so it runs off the UI thread.
#[tauri::command]
pub async fn create_campaign<R: Runtime>(
    app: AppHandle<R>,
    input: NewCampaign,
) -> CmdResult<CampaignInfo> {
    blocking(app, move |ws| ws.create_campaign(&input)).await
}

#[tauri::command]
pub fn switch_campaign(state: State<'_, WorkspaceState>, id: i64) -> CmdResult<CampaignInfo> {
    Ok(lock(&state).switch_campaign(id)?)
}

#[tauri::command]
pub fn set_campaign_system(
    state: State<'_, WorkspaceState>,
    system_id: i64,
) -> CmdResult<CampaignInfo> {
    Ok(lock(&state).set_campaign_system(system_id)?)
}

#[tauri::command]
pub async fn indicator_tree<R: Runtime>(
    app: AppHandle<R>,
    system_id: Option<i64>,
) -> CmdResult<IndicatorTree> {
    blocking(app, move |ws| ws.indicator_tree(system_id)).await
}

#[tauri::command]
pub async fn preview_indicator_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<IndicatorImportPreview> {
    blocking(app, move |ws| {
        ws.preview_indicator_import(&PathBuf::from(path))
    })
    .await
}

#[tauri::command]
pub async fn apply_indicator_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    bind: bool,
) -> CmdResult<SystemInfo> {
    blocking(app, move |ws| {
        ws.apply_indicator_import(&PathBuf::from(path), bind)
    })
    .await
}

/// Returns the path actually written.
#[tauri::command]
pub async fn export_indicators<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    system_id: Option<i64>,
) -> CmdResult<String> {
    blocking(app, move |ws| {
        ws.export_indicators(system_id, &PathBuf::from(path))
    })
    .await
    .map(|p| p.display().to_string())
}

// --- Units, 明白人 and 任务分解 --------------------------------------------------------------

#[tauri::command]
pub fn list_units(state: State<'_, WorkspaceState>) -> CmdResult<Vec<UnitInfo>> {
    Ok(lock(&state).list_units()?)
}

#[tauri::command]
pub fn save_unit(state: State<'_, WorkspaceState>, input: UnitInput) -> CmdResult<UnitInfo> {
    Ok(lock(&state).save_unit(&input)?)
}

#[tauri::command]
pub fn delete_unit(state: State<'_, WorkspaceState>, id: i64) -> CmdResult<()> {
    Ok(lock(&state).delete_unit(id)?)
}

#[tauri::command]
pub fn roster(
    state: State<'_, WorkspaceState>,
    unit_id: Option<i64>,
) -> CmdResult<Vec<RosterMember>> {
    Ok(lock(&state).roster(unit_id)?)
}

#[tauri::command]
pub fn set_roster(
    state: State<'_, WorkspaceState>,
    unit_id: i64,
    members: Vec<RosterInput>,
) -> CmdResult<Vec<RosterMember>> {
    Ok(lock(&state).set_roster(unit_id, &members)?)
}

#[tauri::command]
pub fn roster_check(state: State<'_, WorkspaceState>) -> CmdResult<Vec<RosterShortfall>> {
    Ok(lock(&state).roster_check()?)
}

#[tauri::command]
pub fn list_assignments(
    state: State<'_, WorkspaceState>,
    filter: AssignmentFilter,
) -> CmdResult<Vec<Assignment>> {
    Ok(lock(&state).list_assignments(&filter)?)
}

#[tauri::command]
pub fn unit_task_summary(state: State<'_, WorkspaceState>) -> CmdResult<Vec<UnitTaskSummary>> {
    Ok(lock(&state).unit_task_summary()?)
}

#[tauri::command]
pub async fn import_units_preview<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<UnitsImportPreview> {
    blocking(app, move |ws| ws.preview_units_import(&PathBuf::from(path))).await
}

#[tauri::command]
pub async fn apply_units_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<UnitsImportPreview> {
    blocking(app, move |ws| ws.apply_units_import(&PathBuf::from(path))).await
}

#[tauri::command]
pub async fn export_units<R: Runtime>(app: AppHandle<R>, path: String) -> CmdResult<String> {
    blocking(app, move |ws| ws.export_units(&PathBuf::from(path)))
        .await
        .map(|p| p.display().to_string())
}

#[tauri::command]
pub async fn preview_tasks_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    options: TasksImportOptions,
) -> CmdResult<TasksImportPreview> {
    blocking(app, move |ws| {
        ws.preview_tasks_import(&PathBuf::from(path), options)
    })
    .await
}

#[tauri::command]
pub async fn apply_tasks_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    options: TasksImportOptions,
) -> CmdResult<TasksImportPreview> {
    blocking(app, move |ws| {
        ws.apply_tasks_import(&PathBuf::from(path), options)
    })
    .await
}

#[tauri::command]
pub async fn export_tasks<R: Runtime>(app: AppHandle<R>, path: String) -> CmdResult<String> {
    blocking(app, move |ws| ws.export_tasks(&PathBuf::from(path)))
        .await
        .map(|p| p.display().to_string())
}

/// `target` is a folder (one .xlsx per unit) or a path ending in .zip.
#[tauri::command]
pub async fn export_unit_sheets<R: Runtime>(
    app: AppHandle<R>,
    target: String,
) -> CmdResult<UnitSheetsExport> {
    blocking(app, move |ws| ws.export_unit_sheets(&PathBuf::from(target))).await
}

/// `path` is a folder, a .zip or one returned .xlsx.
#[tauri::command]
pub async fn preview_collect<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<CollectPreview> {
    blocking(app, move |ws| ws.preview_collect(&PathBuf::from(path))).await
}

#[tauri::command]
pub async fn apply_collect<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<CollectPreview> {
    blocking(app, move |ws| ws.apply_collect(&PathBuf::from(path))).await
}

// ----- Data safety: backups, hand-over, 操作日志, integrity ---------------------------------

/// Result of the quick check made when the data folder was opened (or of the last check).
#[tauri::command]
pub fn get_health(state: State<'_, WorkspaceState>) -> CmdResult<HealthReport> {
    Ok(lock(&state).health().clone())
}

/// `full`: also re-hash every backup (and, later, every evidence file).
#[tauri::command]
pub async fn check_data<R: Runtime>(app: AppHandle<R>, full: bool) -> CmdResult<HealthReport> {
    blocking(app, move |ws| {
        if full {
            ws.check_full()
        } else {
            ws.check_quick()
        }
    })
    .await
}

#[tauri::command]
pub async fn repair_data<R: Runtime>(app: AppHandle<R>) -> CmdResult<HealthReport> {
    blocking(app, |ws| ws.repair()).await
}

#[tauri::command]
pub fn get_operator(state: State<'_, WorkspaceState>) -> CmdResult<String> {
    Ok(lock(&state).operator())
}

#[tauri::command]
pub fn set_operator(state: State<'_, WorkspaceState>, name: String) -> CmdResult<String> {
    Ok(lock(&state).set_operator(&name)?)
}

#[tauri::command]
pub async fn list_backups<R: Runtime>(app: AppHandle<R>) -> CmdResult<Vec<BackupInfo>> {
    blocking(app, |ws| ws.list_backups()).await
}

#[tauri::command]
pub async fn backup_now<R: Runtime>(app: AppHandle<R>) -> CmdResult<BackupInfo> {
    blocking(app, |ws| ws.backup_now(BackupReason::Manual)).await
}

/// Back up into a folder the user picked (e.g. a USB disk).
#[tauri::command]
pub async fn backup_to_folder<R: Runtime>(
    app: AppHandle<R>,
    folder: String,
) -> CmdResult<BackupInfo> {
    blocking(app, move |ws| {
        ws.backup_to_folder(&PathBuf::from(folder), &NoProgress, &Cancel::new())
    })
    .await
}

/// `source`: a backup id from `list_backups`, or the path of a backup file.
#[tauri::command]
pub async fn preview_restore<R: Runtime>(
    app: AppHandle<R>,
    source: String,
) -> CmdResult<RestorePreview> {
    blocking(app, move |ws| ws.preview_restore(&source)).await
}

#[tauri::command]
pub async fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    source: String,
) -> CmdResult<RestoreReport> {
    blocking(app, move |ws| {
        ws.restore_backup(&source, &NoProgress, &Cancel::new())
    })
    .await
}

#[tauri::command]
pub async fn export_handover<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<HandoverManifest> {
    blocking(app, move |ws| {
        ws.export_handover(&PathBuf::from(path), &NoProgress, &Cancel::new())
    })
    .await
}

#[tauri::command]
pub async fn preview_handover<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<HandoverReport> {
    blocking(app, move |ws| {
        ws.preview_handover(&PathBuf::from(path), &NoProgress, &Cancel::new())
    })
    .await
}

#[tauri::command]
pub async fn import_handover<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CmdResult<HandoverReport> {
    blocking(app, move |ws| {
        ws.import_handover(&PathBuf::from(path), &NoProgress, &Cancel::new())
    })
    .await
}

#[tauri::command]
pub async fn list_oplog<R: Runtime>(
    app: AppHandle<R>,
    filter: OplogFilter,
) -> CmdResult<OplogPage> {
    blocking(app, move |ws| ws.list_oplog(&filter)).await
}

/// Returns the path actually written.
#[tauri::command]
pub async fn export_oplog<R: Runtime>(
    app: AppHandle<R>,
    filter: OplogFilter,
    path: String,
) -> CmdResult<String> {
    blocking(app, move |ws| {
        ws.export_oplog(&filter, &PathBuf::from(path))
    })
    .await
    .map(|p| p.display().to_string())
}
