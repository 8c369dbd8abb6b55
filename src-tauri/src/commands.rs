//! The IPC commands, declared once (see `surface.rs`). Each line names a command, its
//! arguments and result, and the one core call it makes; the macro writes the Tauri command
//! (lock the workspace on a blocking thread, call, map the error), the handler list and the
//! TypeScript bindings. Names follow one pattern: `preview_X` / `apply_X` for every operation
//! that is previewed before it is applied.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use shifan_core::dashboard::Dashboard;
use shifan_core::evaluation::collect::ScoreCollectPreview;
use shifan_core::evaluation::model::{
    DeductionRule, ModelInput, PointsInput, RuleInput, ScoringModel,
};
use shifan_core::evaluation::results::{DeductionProblems, GridRow, ScoreGrid, TrendPoint};
use shifan_core::evaluation::scale::{ScaleImportOptions, ScaleImportPreview};
use shifan_core::evaluation::sheets::ScoreSheetsExport;
use shifan_core::evaluation::{
    BonusInput, BonusItem, CaseFile, CaseInput, EvalResults, EvalRound, EvalRoundInput, Expert,
    ExpertAssignment, ExpertInput, MarkInput, PickInput, Points, ProblemDraft, VetoHit, VetoInput,
    VetoItem,
};
use shifan_core::evidence::archive::{ArchivePlan, ArchiveReport};
use shifan_core::evidence::completeness::CompletenessReport;
use shifan_core::evidence::search::SearchHit;
use shifan_core::evidence::store_check::{
    EvidenceFile, EvidencePreview, EvidenceVerifyReport, RelinkResult,
};
use shifan_core::evidence::{
    EvidenceAddOptions, EvidenceAddPreview, EvidenceAssign, EvidenceDetail, EvidenceEdit,
    EvidenceFilter, EvidenceIntake, EvidenceItem, EvidenceReview,
};
use shifan_core::model::{
    AppStatus, BackupInfo, BackupReason, CampaignInfo, HandoverManifest, HandoverReport,
    HealthReport, IndicatorImportPreview, IndicatorTree, NewCampaign, OplogFilter, OplogPage,
    RestorePreview, RestoreReport, SystemInfo, UndoInfo,
};
use shifan_core::package::PackageReport;
use shifan_core::phases::{GateKind, Phase, PhaseEventInput, PhaseInput, PhaseKey, PhaseMove};
use shifan_core::problems::collect::ProblemsCollectPreview;
use shifan_core::problems::import::{ProblemsImportOptions, ProblemsImportPreview};
use shifan_core::problems::letters::{LetterSettings, LettersExport};
use shifan_core::problems::remind::{RemindOptions, RemindResult};
use shifan_core::problems::selfcheck::{SelfAssessment, SelfAssessmentInput};
use shifan_core::problems::unit_sheets::ProblemSheetsExport;
use shifan_core::problems::{
    PartEdit, ProblemDetail, ProblemEdit, ProblemFilter, ProblemInfo, ProblemInput, RoundInfo,
    RoundInput, StatusChange, UnitStanding,
};
use shifan_core::recovery::{Recovery, RecoveryReport, RecoveryStatus};
use shifan_core::report::ReportInfo;
use shifan_core::summary::SummaryImage;
use shifan_core::tasks::collect::{CollectOptions, CollectPreview};
use shifan_core::tasks::import::{TasksImportOptions, TasksImportPreview};
use shifan_core::tasks::unit_sheets::UnitSheetsExport;
use shifan_core::tasks::{Assignment, AssignmentFilter, UnitTaskSummary};
use shifan_core::units::book::UnitsImportPreview;
use shifan_core::units::{
    NameChoice, RosterInput, RosterMember, RosterRule, RosterShortfall, UnitInfo, UnitInput,
};
use shifan_core::{
    CollectImport, Error, IndicatorImport, Job, ProblemsCollect, ProblemsImport, ScaleImport,
    ScoreSheetsImport, TasksImport, UnitsImport, Workspace,
};
use tauri::ipc::JavaScriptChannelId;
use tauri::{AppHandle, Manager, Runtime, State, Webview};

use crate::error::{CmdError, CmdResult};
use crate::jobs::{Jobs, paced_progress};

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
pub async fn blocking<R, T, F>(app: AppHandle<R>, f: F) -> CmdResult<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Workspace) -> shifan_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let Some(state) = app.try_state::<WorkspaceState>() else {
            return Err(if app.try_state::<RecoveryState>().is_some() {
                CmdError::from(Error::Damaged(
                    "数据文件已损坏或不见了，请先在启动页面从备份恢复。".into(),
                ))
            } else {
                CmdError::internal("数据文件夹尚未打开")
            });
        };
        let mut ws = lock(&state);
        f(&mut ws).map_err(CmdError::from)
    })
    .await
    .map_err(CmdError::internal)?
}

/// Like [`blocking`], for long work: `job` is the UI's id for `cancel_job`, `progress` the
/// channel its reports go to. Both are optional, so a plain `invoke` still works.
pub async fn blocking_job<R, T, F>(
    app: AppHandle<R>,
    webview: Webview<R>,
    job: Option<String>,
    progress: Option<JavaScriptChannelId>,
    f: F,
) -> CmdResult<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Workspace, &Job) -> shifan_core::Result<T> + Send + 'static,
{
    let jobs_app = app.clone();
    blocking(app, move |ws| {
        let jobs = jobs_app.state::<Jobs>();
        let guard = jobs.start(job);
        let sink = paced_progress(
            progress.map(|id| id.channel_on(webview)),
            guard.cancel.clone(),
        );
        f(ws, &Job::new(&sink, guard.cancel.clone()))
    })
    .await
}

/// Asks the running job `job` to stop; it stops between two steps and changes nothing. False
/// when no such job is running (it may just have finished). Sync on purpose: it must not wait
/// for the workspace lock the job holds.
#[tauri::command]
pub fn cancel_job(jobs: State<'_, Jobs>, job: String) -> bool {
    jobs.cancel(&job)
}

/// The data folder held for recovery while its data file is damaged or missing: managed
/// instead of a [`WorkspaceState`] at start, emptied once the workspace is open.
pub type RecoveryState = Mutex<Option<Recovery>>;

fn lock_recovery(state: &RecoveryState) -> MutexGuard<'_, Option<Recovery>> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Opens the workspace of a recovered folder (keeping its lock) and manages it, so every other
/// command works from now on. On failure the folder is held for recovery again.
fn open_recovered<R: Runtime>(app: &AppHandle<R>, slot: &mut Option<Recovery>) -> CmdResult<()> {
    let Some(r) = slot.take() else {
        return Ok(());
    };
    let dir = r.data_dir().to_path_buf();
    match r.into_workspace() {
        Ok(ws) => {
            app.manage(Mutex::new(ws));
            Ok(())
        }
        Err(e) => {
            *slot = Recovery::open(&dir, shifan_core::lock::Program::Desktop).ok();
            Err(e.into())
        }
    }
}

/// Why the data folder could not be opened (its data file damaged or missing while backups
/// exist) and the backups to restore from; null when the folder is open. Works without a
/// workspace.
#[tauri::command]
pub async fn recovery_status<R: Runtime>(app: AppHandle<R>) -> CmdResult<Option<RecoveryStatus>> {
    tauri::async_runtime::spawn_blocking(move || {
        if app.try_state::<WorkspaceState>().is_some() {
            return Ok(None);
        }
        let Some(state) = app.try_state::<RecoveryState>() else {
            return Ok(None);
        };
        let mut slot = lock_recovery(&state);
        let Some(r) = slot.as_ref() else {
            return Ok(None);
        };
        match r.status()? {
            Some(s) => Ok(Some(s)),
            // Sound again: open it, as after a restore.
            None => open_recovered(&app, &mut slot).map(|()| None),
        }
    })
    .await
    .map_err(CmdError::internal)?
}

/// Runs one recovery step on the held folder, then opens its workspace.
async fn recover<R, F>(app: AppHandle<R>, f: F) -> CmdResult<RecoveryReport>
where
    R: Runtime,
    F: FnOnce(&mut Recovery) -> shifan_core::Result<RecoveryReport> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let not_needed =
            || CmdError::from(Error::Invalid("数据文件夹已正常打开，不需要恢复。".into()));
        if app.try_state::<WorkspaceState>().is_some() {
            return Err(not_needed());
        }
        let state = app.try_state::<RecoveryState>().ok_or_else(not_needed)?;
        let mut slot = lock_recovery(&state);
        let r = slot.as_mut().ok_or_else(not_needed)?;
        let report = f(r)?;
        open_recovered(&app, &mut slot)?;
        Ok(report)
    })
    .await
    .map_err(CmdError::internal)?
}

/// Restores `source` (a backup id from `recovery_status`, or the path of a backup file) into
/// the damaged data folder, keeping the damaged file as `shifan.db.damaged-<time>`; then the
/// folder opens normally.
#[tauri::command]
pub async fn apply_recovery<R: Runtime>(
    app: AppHandle<R>,
    source: String,
) -> CmdResult<RecoveryReport> {
    recover(app, move |r| r.restore(&source, &Job::quiet())).await
}

/// Starts with empty data, keeping the damaged file as `shifan.db.damaged-<time>` (the backups
/// stay); for a folder without a usable backup.
#[tauri::command]
pub async fn apply_fresh_start<R: Runtime>(app: AppHandle<R>) -> CmdResult<RecoveryReport> {
    recover(app, |r| r.start_fresh()).await
}

fn shown(p: PathBuf) -> String {
    p.display().to_string()
}

crate::commands! {
    raw {
        /// 取消正在进行的操作（在两步之间停止，不做任何修改）。
        cancel_job(job: String) -> bool;
        /// 数据文件损坏或不见了时：原因和可用于恢复的备份；数据文件夹正常打开时为 null。
        recovery_status() -> Option<RecoveryStatus>;
        /// 从备份（编号或备份文件路径）恢复损坏的数据文件夹，损坏的文件改名保留。
        apply_recovery(source: String) -> RecoveryReport;
        /// 不恢复备份，以空白数据重新开始（损坏的文件改名保留，备份都还在）。
        apply_fresh_start() -> RecoveryReport;
    }

    // ----- Campaigns and indicator systems ----------------------------------------------
    /// 数据文件夹与当前创建项目。
    call app_status() -> AppStatus => |ws| ws.status();
    call list_systems() -> Vec<SystemInfo> => |ws| ws.list_systems();
    /// May import `input.systemFile`, so it runs off the UI thread like every command.
    call create_campaign(input: NewCampaign) -> CampaignInfo => |ws| ws.create_campaign(&input);
    call switch_campaign(id: i64) -> CampaignInfo => |ws| ws.switch_campaign(id);
    call set_campaign_system(system_id: i64) -> CampaignInfo => |ws| ws.set_campaign_system(system_id);
    /// `systemId` null: the active campaign's system.
    call indicator_tree(system_id: Option<i64>) -> IndicatorTree => |ws| ws.indicator_tree(system_id);
    job "读取指标体系文件"
    preview_indicator_import(path: PathBuf) -> IndicatorImportPreview
        => |ws, job| ws.preview(&IndicatorImport::new(path, false), job);
    /// `bind` also makes the imported system the active campaign's system.
    job "导入指标体系"
    apply_indicator_import(path: PathBuf, bind: bool) -> SystemInfo
        => |ws, job| ws.apply(&IndicatorImport::new(path, bind), job);
    /// Returns the path actually written.
    call export_indicators(path: PathBuf, system_id: Option<i64>) -> String
        => |ws| ws.export_indicators(system_id, &path).map(shown);

    // ----- Units, 明白人 and 任务分解 ------------------------------------------------------
    call list_units() -> Vec<UnitInfo> => |ws| ws.list_units();
    call save_unit(input: UnitInput) -> UnitInfo => |ws| ws.save_unit(&input);
    call delete_unit(id: i64) -> () => |ws| ws.delete_unit(id);
    /// `unitId` null: every unit's members.
    call roster(unit_id: Option<i64>) -> Vec<RosterMember> => |ws| ws.roster(unit_id);
    /// Replaces the roster of one unit.
    call set_roster(unit_id: i64, members: Vec<RosterInput>) -> Vec<RosterMember>
        => |ws| ws.set_roster(unit_id, &members);
    call roster_check() -> Vec<RosterShortfall> => |ws| ws.roster_check();
    /// The 明白人 rule of the active campaign (members required per kind).
    call roster_rule() -> RosterRule => |ws| ws.roster_rule();
    call set_roster_rule(rule: RosterRule) -> RosterRule => |ws| ws.set_roster_rule(&rule);
    call list_assignments(filter: AssignmentFilter) -> Vec<Assignment> => |ws| ws.list_assignments(&filter);
    call unit_task_summary() -> Vec<UnitTaskSummary> => |ws| ws.unit_task_summary();
    /// `choices`: the user's choice for each name that did not match exactly.
    job "读取单位名单"
    preview_units_import(path: PathBuf, choices: Vec<NameChoice>) -> UnitsImportPreview
        => |ws, job| ws.preview(&UnitsImport::with_choices(path, choices), job);
    job "导入单位名单"
    apply_units_import(path: PathBuf, choices: Vec<NameChoice>) -> UnitsImportPreview
        => |ws, job| ws.apply(&UnitsImport::with_choices(path, choices), job);
    call export_units(path: PathBuf) -> String => |ws| ws.export_units(&path).map(shown);
    job "读取任务分解表"
    preview_tasks_import(path: PathBuf, options: TasksImportOptions) -> TasksImportPreview
        => |ws, job| ws.preview(&TasksImport::new(path, options), job);
    job "导入任务分解表"
    apply_tasks_import(path: PathBuf, options: TasksImportOptions) -> TasksImportPreview
        => |ws, job| ws.apply(&TasksImport::new(path, options), job);
    call export_tasks(path: PathBuf) -> String => |ws| ws.export_tasks(&path).map(shown);
    /// `target` is a folder (one .xlsx per unit) or a path ending in .zip.
    job "导出各单位工作表"
    export_unit_sheets(target: PathBuf) -> UnitSheetsExport
        => |ws, job| ws.export_unit_sheets(&target, job);
    /// `path` is a folder, a .zip or one returned .xlsx; `options` the user's choices in the
    /// preview (which of a unit's several sheets, which unit a file naming several is for).
    job "读取各单位交回的工作表"
    preview_collect(path: PathBuf, options: CollectOptions) -> CollectPreview
        => |ws, job| ws.preview(&CollectImport::with(path, options), job);
    job "收回各单位工作表"
    apply_collect(path: PathBuf, options: CollectOptions) -> CollectPreview
        => |ws, job| ws.apply(&CollectImport::with(path, options), job);

    // ----- 创建阶段 ----------------------------------------------------------------------
    call list_phases() -> Vec<Phase> => |ws| ws.list_phases();
    call save_phases(input: Vec<PhaseInput>) -> Vec<Phase> => |ws| ws.save_phases(&input);
    /// Planned dates of every phase from M, the month the 申报 window opens ("2023-05").
    call plan_phases(apply_month: String) -> Vec<Phase> => |ws| ws.plan_phases(&apply_month);
    /// Which configured gates entering `to` meets today.
    call preview_phase_move(to: PhaseKey) -> PhaseMove
        => |ws| ws.preview_phase_move(to, shifan_core::store::today());
    /// `overrideReason` enters past failing gates (logged with the reasons).
    call apply_phase_move(to: PhaseKey, override_reason: Option<String>) -> Vec<Phase>
        => |ws| ws.apply_phase_move(to, shifan_core::store::today(), override_reason.as_deref());
    call set_phase_gates(to: PhaseKey, gates: Vec<GateKind>) -> Vec<Phase> => |ws| ws.set_phase_gates(to, &gates);
    call save_phase_event(input: PhaseEventInput) -> Vec<Phase> => |ws| ws.save_phase_event(&input);
    call delete_phase_event(id: i64) -> Vec<Phase> => |ws| ws.delete_phase_event(id);

    // ----- 工作台总览, the leadership report, the one-image summary, the 申报 package --------
    /// The figures judged on today; a module with nothing stored gives null.
    call dashboard() -> Dashboard => |ws| ws.dashboard(shifan_core::store::today());
    job "生成创建工作进展情况报告"
    export_report(path: PathBuf) -> ReportInfo
        => |ws, job| ws.export_report(&path, shifan_core::store::today(), job);
    call export_summary_image(path: PathBuf) -> SummaryImage
        => |ws| ws.export_summary_image(&path, shifan_core::store::today());
    /// `target`: a folder or a path ending in .zip.
    job "生成申报材料包"
    export_package(target: PathBuf) -> PackageReport
        => |ws, job| ws.export_package(&target, shifan_core::store::today(), job);

    // ----- Evidence (佐证材料库) and the one search ---------------------------------------
    /// `paths`: files, folders and zips dropped or picked. Reads names and sizes (hashing only
    /// possible duplicates); nothing is stored.
    job "清点佐证材料"
    preview_evidence_add(paths: Vec<PathBuf>, options: EvidenceAddOptions) -> EvidenceAddPreview
        => |ws, job| ws.preview(&EvidenceIntake::new(paths, options), job);
    /// Copies the content into the evidence store (both cores), then records items and sources
    /// in one transaction.
    job "添加佐证材料"
    apply_evidence_add(paths: Vec<PathBuf>, options: EvidenceAddOptions) -> EvidenceAddPreview
        => |ws, job| ws.apply(&EvidenceIntake::ingesting(paths, options), job);
    /// `filter.queue`: the 待归类 queue.
    call list_evidence(filter: EvidenceFilter) -> Vec<EvidenceItem> => |ws| ws.list_evidence(&filter);
    call evidence_detail(id: i64) -> EvidenceDetail => |ws| ws.evidence_detail(id);
    call update_evidence(id: i64, edit: EvidenceEdit) -> EvidenceItem
        => |ws| ws.update_evidence(id, &edit);
    /// 归类 many items at once; returns how many changed.
    call assign_evidence(input: EvidenceAssign) -> i64 => |ws| ws.assign_evidence(&input);
    call unassign_evidence(input: EvidenceAssign) -> i64 => |ws| ws.unassign_evidence(&input);
    /// 审核: approve, return (with a reason) or reset; returns how many changed.
    call review_evidence(input: EvidenceReview) -> i64 => |ws| ws.review_evidence(&input);
    call remove_evidence(ids: Vec<i64>) -> i64 => |ws| ws.remove_evidence(&ids);
    call evidence_completeness() -> CompletenessReport => |ws| ws.evidence_completeness();
    /// Returns the path actually written.
    call export_return_list(unit_id: i64, path: PathBuf) -> String
        => |ws| ws.export_return_list(unit_id, &path).map(shown);
    job "校验证据库" verify_evidence() -> EvidenceVerifyReport => |ws, job| ws.verify_evidence(job);
    /// `path` must hold the original content (same content hash).
    call relink_evidence(hash: String, path: PathBuf) -> RelinkResult
        => |ws| ws.relink_evidence(&hash, &path);
    /// The default volumes; `level` null: the deepest heading level giving at most 41.
    call archive_plan(level: Option<i64>) -> ArchivePlan => |ws| ws.archive_plan(level);
    /// `target`: a folder (new, empty, or an earlier archive) or a path ending in .zip.
    job "导出案卷"
    export_archive(target: PathBuf, plan: ArchivePlan) -> ArchiveReport
        => |ws, job| ws.export_archive(&target, &plan, job);
    /// An item's file for the viewer: its path (always inside the evidence store) and MIME type.
    call evidence_file(id: i64) -> EvidenceFile => |ws| ws.evidence_file(id);
    /// What the drawer shows of an item: an image or a PDF itself, or why not.
    call evidence_preview(id: i64) -> EvidencePreview => |ws| ws.evidence_preview(id);
    /// Opens a read-only copy of the item under its own name with the system's program;
    /// returns the copy's path.
    call open_evidence(id: i64) -> String => |ws| {
        let f = ws.evidence_view_copy(id)?;
        crate::system_open::open_with_system(std::path::Path::new(&f.path))?;
        Ok(f.path)
    };
    /// Indicators, units and evidence by any part of their text.
    call search(query: String) -> Vec<SearchHit> => |ws| ws.search(&query);

    // ----- 督察 rounds, the 问题清单/整改台账, 反馈函, 催办 and 自查 ---------------------------
    call list_rounds() -> Vec<RoundInfo> => |ws| ws.list_rounds();
    /// New when `input.id` is null.
    call save_round(input: RoundInput) -> RoundInfo => |ws| ws.save_round(&input);
    call delete_round(id: i64) -> () => |ws| ws.delete_round(id);
    /// 逾期 first; `filter.today` null: today.
    call list_problems(filter: ProblemFilter) -> Vec<ProblemInfo> => |ws| ws.list_problems(&filter);
    /// A problem with its history, newest first.
    call problem_detail(id: i64) -> ProblemDetail => |ws| ws.problem_detail(id, None);
    call add_problem(input: ProblemInput) -> ProblemInfo => |ws| ws.add_problem(&input);
    call edit_problem(edit: ProblemEdit) -> ProblemInfo => |ws| ws.edit_problem(&edit);
    /// 整改措施 / 整改进展 / 完成情况 / evidence of one unit's part.
    call edit_problem_part(edit: PartEdit) -> ProblemInfo => |ws| ws.edit_problem_part(&edit);
    /// Status of one unit's part (or of every part); 已销号 with its date; reopening recorded.
    call set_problem_status(change: StatusChange) -> ProblemInfo => |ws| ws.set_problem_status(&change);
    /// `roundId` null: every round.
    call problem_league(round_id: Option<i64>) -> Vec<UnitStanding> => |ws| ws.problem_league(round_id, None);
    job "读取问题清单"
    preview_problems_import(path: PathBuf, options: ProblemsImportOptions) -> ProblemsImportPreview
        => |ws, job| ws.preview(&ProblemsImport::new(path, options), job);
    job "导入问题清单"
    apply_problems_import(path: PathBuf, options: ProblemsImportOptions) -> ProblemsImportPreview
        => |ws, job| ws.apply(&ProblemsImport::new(path, options), job);
    /// The 反馈意见整改表 of a round; returns the path written.
    call export_problems(round_id: i64, path: PathBuf) -> String
        => |ws| ws.export_problems(round_id, &path).map(shown);
    /// `target` is a folder (one .xlsx per unit) or a path ending in .zip.
    job "导出各单位问题整改表"
    export_problem_sheets(round_id: i64, target: PathBuf) -> ProblemSheetsExport
        => |ws, job| ws.export_problem_sheets(round_id, &target, job);
    job "读取各单位交回的问题整改表"
    preview_problems_collect(path: PathBuf) -> ProblemsCollectPreview
        => |ws, job| ws.preview(&ProblemsCollect::new(path), job);
    job "收回问题整改表"
    apply_problems_collect(path: PathBuf) -> ProblemsCollectPreview
        => |ws, job| ws.apply(&ProblemsCollect::new(path), job);
    call letter_settings() -> LetterSettings => |ws| ws.letter_settings();
    call set_letter_settings(settings: LetterSettings) -> LetterSettings
        => |ws| ws.set_letter_settings(&settings);
    /// One .docx per unit into a folder, or a path ending in .zip.
    job "生成反馈函"
    export_letters(round_id: i64, target: PathBuf) -> LettersExport
        => |ws, job| ws.export_letters(round_id, &target, job);
    /// 催办 messages ready to paste.
    call remind(options: RemindOptions) -> RemindResult => |ws| ws.remind(&options);
    call list_self_assessments() -> Vec<SelfAssessment> => |ws| ws.list_self_assessments();
    call save_self_assessment(input: SelfAssessmentInput) -> SelfAssessment
        => |ws| ws.save_self_assessment(&input);

    // ----- 模拟评估 ------------------------------------------------------------------------
    call eval_rounds() -> Vec<EvalRound> => |ws| ws.eval_rounds();
    /// `input.id` null: a new round.
    call save_eval_round(input: EvalRoundInput) -> EvalRound => |ws| ws.save_eval_round(&input);
    call delete_eval_round(id: i64) -> () => |ws| ws.delete_eval_round(id);
    call eval_experts() -> Vec<Expert> => |ws| ws.eval_experts();
    call save_expert(input: ExpertInput) -> Expert => |ws| ws.save_expert(&input);
    call delete_expert(id: i64) -> () => |ws| ws.delete_expert(id);
    call eval_assignments(round_id: i64) -> Vec<ExpertAssignment> => |ws| ws.eval_assignments(round_id);
    /// Replaces the indicators the expert scores in the round.
    call assign_expert(round_id: i64, expert_id: i64, indicator_ids: Vec<i64>) -> ExpertAssignment
        => |ws| ws.assign_expert(round_id, expert_id, &indicator_ids);
    /// The same by indicator numbers as the office writes them ("1-40,55", "全部").
    call assign_expert_nos(round_id: i64, expert_id: i64, nos: String) -> ExpertAssignment
        => |ws| ws.assign_expert_nos(round_id, expert_id, &nos);
    /// Per indicator, the experts' marks side by side.
    call eval_grid(round_id: i64) -> ScoreGrid => |ws| ws.eval_grid(round_id);
    /// `input.expertId` null: the office's own mark. Returns the indicator's row again.
    call save_mark(input: MarkInput) -> GridRow => |ws| ws.save_mark(&input);
    call delete_mark(round_id: i64, indicator_id: i64, expert_id: Option<i64>) -> ()
        => |ws| ws.delete_mark(round_id, indicator_id, expert_id);
    call pick_mark(input: PickInput) -> GridRow => |ws| ws.pick_mark(&input);
    call eval_results(round_id: i64) -> EvalResults => |ws| ws.eval_results(round_id);
    call eval_trend() -> Vec<TrendPoint> => |ws| ws.eval_trend();
    /// Drafts for the 整改台账 (inserted by the problem ledger once it exists).
    call deductions_for_problems(round_id: i64) -> Vec<ProblemDraft> => |ws| ws.deductions_for_problems(round_id);
    /// 扣分生成问题: the deductions written into the 整改台账 (a round of kind 模拟评估).
    call create_problems_from_deductions(round_id: i64) -> DeductionProblems
        => |ws| ws.create_problems_from_deductions(round_id);
    call scoring_model() -> ScoringModel => |ws| ws.scoring_model();
    call save_scoring_model(input: ModelInput) -> ScoringModel => |ws| ws.save_scoring_model(&input);
    call set_indicator_points(items: Vec<PointsInput>) -> ScoringModel => |ws| ws.set_indicator_points(&items);
    call distribute_points(total: Points) -> ScoringModel => |ws| ws.distribute_points(total);
    /// The office scale from the 分值 of the system's headings (a group's points spread over
    /// its indicators).
    call distribute_heading_points() -> ScoringModel => |ws| ws.distribute_heading_points();
    call save_rules(indicator_id: i64, rules: Vec<RuleInput>) -> Vec<DeductionRule>
        => |ws| ws.save_rules(indicator_id, &rules);
    call save_vetoes(items: Vec<VetoInput>) -> Vec<VetoItem> => |ws| ws.save_vetoes(&items);
    call eval_veto_hits(round_id: i64) -> Vec<VetoHit> => |ws| ws.eval_veto_hits(round_id);
    call set_veto_hit(round_id: i64, veto_id: i64, hit: bool, note: String) -> Vec<VetoHit>
        => |ws| ws.set_veto_hit(round_id, veto_id, hit, &note);
    call eval_bonus(round_id: i64) -> Vec<BonusItem> => |ws| ws.eval_bonus(round_id);
    call save_bonus(input: BonusInput) -> Vec<BonusItem> => |ws| ws.save_bonus(&input);
    call delete_bonus(id: i64) -> () => |ws| ws.delete_bonus(id);
    call case_files(round_id: i64) -> Vec<CaseFile> => |ws| ws.case_files(round_id);
    call save_case_file(input: CaseInput) -> CaseFile => |ws| ws.save_case_file(&input);
    call delete_case_file(id: i64) -> () => |ws| ws.delete_case_file(id);
    /// `target` is a folder (one .xlsx per expert) or a path ending in .zip.
    job "导出专家评分表"
    export_score_sheets(round_id: i64, target: PathBuf) -> ScoreSheetsExport
        => |ws, job| ws.export_score_sheets(round_id, &target, job);
    /// `path` is a folder, a .zip or one returned .xlsx.
    job "读取专家交回的评分表"
    preview_score_collect(path: PathBuf) -> ScoreCollectPreview
        => |ws, job| ws.preview(&ScoreSheetsImport::new(path), job);
    job "收回专家评分表"
    apply_score_collect(path: PathBuf) -> ScoreCollectPreview
        => |ws, job| ws.apply(&ScoreSheetsImport::new(path), job);
    job "读取分值表"
    preview_scale_import(path: PathBuf, options: ScaleImportOptions) -> ScaleImportPreview
        => |ws, job| ws.preview(&ScaleImport::new(path, options), job);
    job "导入分值表"
    apply_scale_import(path: PathBuf, options: ScaleImportOptions) -> ScaleImportPreview
        => |ws, job| ws.apply(&ScaleImport::new(path, options), job);
    call export_scale(path: PathBuf) -> String => |ws| ws.export_scale(&path).map(shown);

    // ----- Data safety: backups, hand-over, 操作日志, integrity --------------------------
    /// Result of the quick check made when the data folder was opened (or of the last check).
    call get_health() -> HealthReport => |ws| Ok(ws.health().clone());
    /// `full`: also re-hash every backup.
    call check_data(full: bool) -> HealthReport
        => |ws| if full { ws.check_full() } else { ws.check_quick() };
    call repair_data() -> HealthReport => |ws| ws.repair();
    call get_operator() -> String => |ws| Ok(ws.operator());
    call set_operator(name: String) -> String => |ws| ws.set_operator(&name);
    call list_backups() -> Vec<BackupInfo> => |ws| ws.list_backups();
    job "备份" backup_now() -> BackupInfo => |ws, job| ws.backup_now(BackupReason::Manual, job);
    /// Back up into a folder the user picked (e.g. a USB disk).
    job "备份到指定文件夹"
    backup_to_folder(folder: PathBuf) -> BackupInfo => |ws, job| ws.backup_to_folder(&folder, job);
    /// `source`: a backup id from `list_backups`, or the path of a backup file.
    call preview_restore(source: String) -> RestorePreview => |ws| ws.preview_restore(&source);
    job "从备份恢复" apply_restore(source: String) -> RestoreReport => |ws, job| ws.restore_backup(&source, job);
    /// The last import that 撤销 would take back, or null.
    call preview_undo() -> Option<UndoInfo> => |ws| ws.undo_info();
    job "撤销上一次导入" apply_undo() -> RestoreReport => |ws, job| ws.undo_last_import(job);
    job "导出交接文件"
    export_handover(path: PathBuf) -> HandoverManifest => |ws, job| ws.export_handover(&path, job);
    job "校验交接文件"
    preview_handover_import(path: PathBuf) -> HandoverReport => |ws, job| ws.preview_handover(&path, job);
    job "导入交接文件"
    apply_handover_import(path: PathBuf) -> HandoverReport => |ws, job| ws.import_handover(&path, job);
    call list_oplog(filter: OplogFilter) -> OplogPage => |ws| ws.list_oplog(&filter);
    /// Returns the path actually written.
    call export_oplog(filter: OplogFilter, path: PathBuf) -> String
        => |ws| ws.export_oplog(&filter, &path).map(shown);
}
