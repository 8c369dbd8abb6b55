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
    OplogPage, RestorePreview, RestoreReport, UndoInfo,
};
use shifan_core::progress::Progress;
use tauri::ipc::JavaScriptChannelId;
use tauri::{AppHandle, Manager, Runtime, State, Webview};

use crate::jobs::{Jobs, channel_progress};

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

/// Runs `f` with the workspace on a blocking thread. Every command that takes the workspace
/// lock goes through here, never through a sync command: sync commands run on the UI thread,
/// which would freeze (progress window and 取消 included) while a long job holds the lock.
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

/// Like [`blocking`], for long work: `job` is the UI's id for `cancel_job`, `progress` the
/// channel its reports go to. Both are optional, so a plain `invoke` still works.
async fn blocking_job<R, T, F>(
    app: AppHandle<R>,
    webview: Webview<R>,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
    f: F,
) -> CmdResult<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(
            &mut Workspace,
            &dyn Progress,
            &shifan_core::progress::Cancel,
        ) -> shifan_core::Result<T>
        + Send
        + 'static,
{
    let jobs_app = app.clone();
    blocking(app, move |ws| {
        let jobs = jobs_app.state::<Jobs>();
        let guard = jobs.start(job);
        let sink = channel_progress(progress.map(|id| id.channel_on(webview)));
        f(ws, &sink, &guard.cancel)
    })
    .await
}

/// Asks the running job `job` to stop; it stops between two steps and changes nothing. False
/// when no such job is running (it may just have finished).
#[tauri::command]
pub fn cancel_job(jobs: State<'_, Jobs>, job: String) -> bool {
    jobs.cancel(&job)
}

#[tauri::command]
pub async fn app_status<R: Runtime>(app: AppHandle<R>) -> CmdResult<AppStatus> {
    blocking(app, |ws| ws.status()).await
}

#[tauri::command]
pub async fn list_systems<R: Runtime>(app: AppHandle<R>) -> CmdResult<Vec<SystemInfo>> {
    blocking(app, |ws| ws.list_systems()).await
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
pub async fn switch_campaign<R: Runtime>(app: AppHandle<R>, id: i64) -> CmdResult<CampaignInfo> {
    blocking(app, move |ws| ws.switch_campaign(id)).await
}

#[tauri::command]
pub async fn set_campaign_system<R: Runtime>(
    app: AppHandle<R>,
    system_id: i64,
) -> CmdResult<CampaignInfo> {
    blocking(app, move |ws| ws.set_campaign_system(system_id)).await
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
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<IndicatorImportPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.preview_indicator_import_with(&PathBuf::from(path), p, c)
    })
    .await
}

#[tauri::command]
pub async fn apply_indicator_import<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    bind: bool,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<SystemInfo> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.apply_indicator_import_with(&PathBuf::from(path), bind, p, c)
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
pub async fn list_units<R: Runtime>(app: AppHandle<R>) -> CmdResult<Vec<UnitInfo>> {
    blocking(app, |ws| ws.list_units()).await
}

#[tauri::command]
pub async fn save_unit<R: Runtime>(app: AppHandle<R>, input: UnitInput) -> CmdResult<UnitInfo> {
    blocking(app, move |ws| ws.save_unit(&input)).await
}

#[tauri::command]
pub async fn delete_unit<R: Runtime>(app: AppHandle<R>, id: i64) -> CmdResult<()> {
    blocking(app, move |ws| ws.delete_unit(id)).await
}

#[tauri::command]
pub async fn roster<R: Runtime>(
    app: AppHandle<R>,
    unit_id: Option<i64>,
) -> CmdResult<Vec<RosterMember>> {
    blocking(app, move |ws| ws.roster(unit_id)).await
}

#[tauri::command]
pub async fn set_roster<R: Runtime>(
    app: AppHandle<R>,
    unit_id: i64,
    members: Vec<RosterInput>,
) -> CmdResult<Vec<RosterMember>> {
    blocking(app, move |ws| ws.set_roster(unit_id, &members)).await
}

#[tauri::command]
pub async fn roster_check<R: Runtime>(app: AppHandle<R>) -> CmdResult<Vec<RosterShortfall>> {
    blocking(app, |ws| ws.roster_check()).await
}

#[tauri::command]
pub async fn list_assignments<R: Runtime>(
    app: AppHandle<R>,
    filter: AssignmentFilter,
) -> CmdResult<Vec<Assignment>> {
    blocking(app, move |ws| ws.list_assignments(&filter)).await
}

#[tauri::command]
pub async fn unit_task_summary<R: Runtime>(app: AppHandle<R>) -> CmdResult<Vec<UnitTaskSummary>> {
    blocking(app, |ws| ws.unit_task_summary()).await
}

#[tauri::command]
pub async fn import_units_preview<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<UnitsImportPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.preview_units_import_with(&PathBuf::from(path), p, c)
    })
    .await
}

#[tauri::command]
pub async fn apply_units_import<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<UnitsImportPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.apply_units_import_with(&PathBuf::from(path), p, c)
    })
    .await
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
    webview: Webview<R>,
    path: String,
    options: TasksImportOptions,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<TasksImportPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.preview_tasks_import_with(&PathBuf::from(path), options, p, c)
    })
    .await
}

#[tauri::command]
pub async fn apply_tasks_import<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    options: TasksImportOptions,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<TasksImportPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.apply_tasks_import_with(&PathBuf::from(path), options, p, c)
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
    webview: Webview<R>,
    target: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<UnitSheetsExport> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.export_unit_sheets_with(&PathBuf::from(target), p, c)
    })
    .await
}

/// `path` is a folder, a .zip or one returned .xlsx.
#[tauri::command]
pub async fn preview_collect<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<CollectPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.preview_collect_with(&PathBuf::from(path), p, c)
    })
    .await
}

#[tauri::command]
pub async fn apply_collect<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<CollectPreview> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.apply_collect_with(&PathBuf::from(path), p, c)
    })
    .await
}

// ----- Data safety: backups, hand-over, 操作日志, integrity ---------------------------------

/// Result of the quick check made when the data folder was opened (or of the last check).
#[tauri::command]
pub async fn get_health<R: Runtime>(app: AppHandle<R>) -> CmdResult<HealthReport> {
    blocking(app, |ws| Ok(ws.health().clone())).await
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
pub async fn get_operator<R: Runtime>(app: AppHandle<R>) -> CmdResult<String> {
    blocking(app, |ws| Ok(ws.operator())).await
}

#[tauri::command]
pub async fn set_operator<R: Runtime>(app: AppHandle<R>, name: String) -> CmdResult<String> {
    blocking(app, move |ws| ws.set_operator(&name)).await
}

#[tauri::command]
pub async fn list_backups<R: Runtime>(app: AppHandle<R>) -> CmdResult<Vec<BackupInfo>> {
    blocking(app, |ws| ws.list_backups()).await
}

#[tauri::command]
pub async fn backup_now<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<BackupInfo> {
    blocking_job(app, webview, job, progress, |ws, p, c| {
        ws.backup_with_progress(BackupReason::Manual, p, c)
    })
    .await
}

/// Back up into a folder the user picked (e.g. a USB disk).
#[tauri::command]
pub async fn backup_to_folder<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    folder: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<BackupInfo> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.backup_to_folder(&PathBuf::from(folder), p, c)
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
    webview: Webview<R>,
    source: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<RestoreReport> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.restore_backup(&source, p, c)
    })
    .await
}

/// The last import that 撤销 would take back, or null.
#[tauri::command]
pub async fn undo_info<R: Runtime>(app: AppHandle<R>) -> CmdResult<Option<UndoInfo>> {
    blocking(app, |ws| ws.undo_info()).await
}

#[tauri::command]
pub async fn undo_last_import<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<RestoreReport> {
    blocking_job(app, webview, job, progress, |ws, p, c| {
        ws.undo_last_import(p, c)
    })
    .await
}

#[tauri::command]
pub async fn export_handover<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<HandoverManifest> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.export_handover(&PathBuf::from(path), p, c)
    })
    .await
}

#[tauri::command]
pub async fn preview_handover<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<HandoverReport> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.preview_handover(&PathBuf::from(path), p, c)
    })
    .await
}

#[tauri::command]
pub async fn import_handover<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    path: String,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
) -> CmdResult<HandoverReport> {
    blocking_job(app, webview, job, progress, move |ws, p, c| {
        ws.import_handover(&PathBuf::from(path), p, c)
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
