//! 操作 (Action): every kind of change the engine records in the 操作日志, typed. The store
//! keeps the stable `code` beside the Chinese `label`, so what a change *was* (for 撤销, for
//! filters) never depends on matching Chinese text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One kind of recorded change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Action {
    /// 载入内置指标体系 (the embedded systems, at first open or after an update).
    LoadEmbeddedSystem,
    /// 新建创建项目.
    CreateCampaign,
    /// 切换创建项目.
    SwitchCampaign,
    /// 更换指标体系.
    SetCampaignSystem,
    /// 导入指标体系.
    ImportIndicators,
    /// 导入单位名单.
    ImportUnits,
    /// 导入任务分解表.
    ImportTasks,
    /// 收回各单位工作表.
    CollectUnitSheets,
    /// 导出各单位工作表 (records the export revisions).
    ExportUnitSheets,
    /// 新增单位.
    AddUnit,
    /// 修改单位.
    EditUnit,
    /// 删除单位.
    DeleteUnit,
    /// 修改明白人名单.
    SetRoster,
    /// 恢复备份 (also the way 撤销 works).
    RestoreBackup,
    /// 导入交接文件.
    ImportHandover,
    /// 修复数据.
    Repair,
    /// 设置操作人.
    SetOperator,
    /// 修改设置 (campaign settings such as the 明白人 numbers).
    SetSetting,
    /// 建立演示数据.
    CreateDemo,
    /// 修改创建阶段 (dates, the current phase, the work of a phase, the gates).
    SetPhases,
    /// 强制进入阶段 (past a failing gate, with the reason).
    OverridePhaseGate,
    /// 添加佐证材料 (an evidence intake: files, folders, zips).
    AddEvidence,
    /// 归类佐证材料 (indicators assigned or removed by hand).
    AssignEvidence,
    /// 修改佐证材料 (title, 形成日期, 文号, category, method …).
    EditEvidence,
    /// 审核佐证材料 (已通过 / 退回 / back to 待审核).
    ReviewEvidence,
    /// 删除佐证材料.
    RemoveEvidence,
    /// 重新关联证据文件 (a missing or altered object restored from a file).
    RelinkEvidence,
    /// 新增督察轮次.
    AddRound,
    /// 修改督察轮次.
    EditRound,
    /// 删除督察轮次.
    DeleteRound,
    /// 导入问题清单.
    ImportProblems,
    /// 新增问题.
    AddProblem,
    /// 修改问题.
    EditProblem,
    /// 更新整改状态.
    SetProblemStatus,
    /// 问题销号.
    CloseProblem,
    /// 导出问题整改表.
    ExportProblemSheets,
    /// 收回问题整改表.
    CollectProblemSheets,
    /// 生成反馈函.
    IssueLetters,
    /// 修改自查评价.
    SetSelfAssessment,
    /// 审核自查评价.
    ReviewSelfAssessment,
    /// 新增、修改或删除评估轮次（模拟评估一、二……）.
    EditEvalRound,
    /// 新增、修改或删除评估专家.
    EditExperts,
    /// 分配专家评分的指标.
    AssignExperts,
    /// 录入、删除评分，确定采用的评分.
    EnterScores,
    /// 修改评分方案（分值、评分方式、评分标准、权重）.
    EditScoringModel,
    /// 导入分值表.
    ImportScale,
    /// 录入案卷评查.
    EditCaseFiles,
    /// 修改否决项清单或标记触发.
    EditVeto,
    /// 修改附加项.
    EditBonus,
    /// 导出专家评分表 (records the export revisions).
    ExportScoreSheets,
    /// 收回专家评分表.
    CollectScoreSheets,
}

impl Action {
    /// Every action, in the order the 操作日志 filter lists them.
    pub const ALL: &'static [Action] = &[
        Action::ImportIndicators,
        Action::ImportUnits,
        Action::ImportTasks,
        Action::CollectUnitSheets,
        Action::ExportUnitSheets,
        Action::CreateCampaign,
        Action::SwitchCampaign,
        Action::SetCampaignSystem,
        Action::AddUnit,
        Action::EditUnit,
        Action::DeleteUnit,
        Action::SetRoster,
        Action::RestoreBackup,
        Action::ImportHandover,
        Action::Repair,
        Action::SetOperator,
        Action::SetSetting,
        Action::AddEvidence,
        Action::AssignEvidence,
        Action::EditEvidence,
        Action::ReviewEvidence,
        Action::RemoveEvidence,
        Action::RelinkEvidence,
        Action::CreateDemo,
        Action::SetPhases,
        Action::OverridePhaseGate,
        Action::LoadEmbeddedSystem,
        Action::AddRound,
        Action::EditRound,
        Action::DeleteRound,
        Action::ImportProblems,
        Action::AddProblem,
        Action::EditProblem,
        Action::SetProblemStatus,
        Action::CloseProblem,
        Action::ExportProblemSheets,
        Action::CollectProblemSheets,
        Action::IssueLetters,
        Action::SetSelfAssessment,
        Action::ReviewSelfAssessment,
        Action::EditEvalRound,
        Action::EditExperts,
        Action::AssignExperts,
        Action::EnterScores,
        Action::EditScoringModel,
        Action::ImportScale,
        Action::EditCaseFiles,
        Action::EditVeto,
        Action::EditBonus,
        Action::ExportScoreSheets,
        Action::CollectScoreSheets,
    ];

    /// The Chinese name shown in the 操作日志.
    pub fn label(self) -> &'static str {
        match self {
            Action::LoadEmbeddedSystem => "载入内置指标体系",
            Action::CreateCampaign => "新建创建项目",
            Action::SwitchCampaign => "切换创建项目",
            Action::SetCampaignSystem => "更换指标体系",
            Action::ImportIndicators => "导入指标体系",
            Action::ImportUnits => "导入单位名单",
            Action::ImportTasks => "导入任务分解表",
            Action::CollectUnitSheets => "收回各单位工作表",
            Action::ExportUnitSheets => "导出各单位工作表",
            Action::AddUnit => "新增单位",
            Action::EditUnit => "修改单位",
            Action::DeleteUnit => "删除单位",
            Action::SetRoster => "修改明白人名单",
            Action::RestoreBackup => "恢复备份",
            Action::ImportHandover => "导入交接文件",
            Action::Repair => "修复数据",
            Action::SetOperator => "设置操作人",
            Action::SetSetting => "修改设置",
            Action::CreateDemo => "建立演示数据",
            Action::SetPhases => "修改创建阶段",
            Action::OverridePhaseGate => "强制进入阶段",
            Action::AddEvidence => "添加佐证材料",
            Action::AssignEvidence => "归类佐证材料",
            Action::EditEvidence => "修改佐证材料",
            Action::ReviewEvidence => "审核佐证材料",
            Action::RemoveEvidence => "删除佐证材料",
            Action::RelinkEvidence => "重新关联证据文件",
            Action::AddRound => "新增督察轮次",
            Action::EditRound => "修改督察轮次",
            Action::DeleteRound => "删除督察轮次",
            Action::ImportProblems => "导入问题清单",
            Action::AddProblem => "新增问题",
            Action::EditProblem => "修改问题",
            Action::SetProblemStatus => "更新整改状态",
            Action::CloseProblem => "问题销号",
            Action::ExportProblemSheets => "导出问题整改表",
            Action::CollectProblemSheets => "收回问题整改表",
            Action::IssueLetters => "生成反馈函",
            Action::SetSelfAssessment => "修改自查评价",
            Action::ReviewSelfAssessment => "审核自查评价",
            Action::EditEvalRound => "修改评估轮次",
            Action::EditExperts => "修改专家组",
            Action::AssignExperts => "分配评分指标",
            Action::EnterScores => "录入评分",
            Action::EditScoringModel => "修改评分方案",
            Action::ImportScale => "导入分值表",
            Action::EditCaseFiles => "录入案卷评查",
            Action::EditVeto => "修改否决项",
            Action::EditBonus => "修改附加项",
            Action::ExportScoreSheets => "导出专家评分表",
            Action::CollectScoreSheets => "收回专家评分表",
        }
    }

    /// The stable code stored in `oplog.code` (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Action::LoadEmbeddedSystem => "loadEmbeddedSystem",
            Action::CreateCampaign => "createCampaign",
            Action::SwitchCampaign => "switchCampaign",
            Action::SetCampaignSystem => "setCampaignSystem",
            Action::ImportIndicators => "importIndicators",
            Action::ImportUnits => "importUnits",
            Action::ImportTasks => "importTasks",
            Action::CollectUnitSheets => "collectUnitSheets",
            Action::ExportUnitSheets => "exportUnitSheets",
            Action::AddUnit => "addUnit",
            Action::EditUnit => "editUnit",
            Action::DeleteUnit => "deleteUnit",
            Action::SetRoster => "setRoster",
            Action::RestoreBackup => "restoreBackup",
            Action::ImportHandover => "importHandover",
            Action::Repair => "repair",
            Action::SetOperator => "setOperator",
            Action::SetSetting => "setSetting",
            Action::CreateDemo => "createDemo",
            Action::SetPhases => "setPhases",
            Action::OverridePhaseGate => "overridePhaseGate",
            Action::AddEvidence => "addEvidence",
            Action::AssignEvidence => "assignEvidence",
            Action::EditEvidence => "editEvidence",
            Action::ReviewEvidence => "reviewEvidence",
            Action::RemoveEvidence => "removeEvidence",
            Action::RelinkEvidence => "relinkEvidence",
            Action::AddRound => "addRound",
            Action::EditRound => "editRound",
            Action::DeleteRound => "deleteRound",
            Action::ImportProblems => "importProblems",
            Action::AddProblem => "addProblem",
            Action::EditProblem => "editProblem",
            Action::SetProblemStatus => "setProblemStatus",
            Action::CloseProblem => "closeProblem",
            Action::ExportProblemSheets => "exportProblemSheets",
            Action::CollectProblemSheets => "collectProblemSheets",
            Action::IssueLetters => "issueLetters",
            Action::SetSelfAssessment => "setSelfAssessment",
            Action::ReviewSelfAssessment => "reviewSelfAssessment",
            Action::EditEvalRound => "editEvalRound",
            Action::EditExperts => "editExperts",
            Action::AssignExperts => "assignExperts",
            Action::EnterScores => "enterScores",
            Action::EditScoringModel => "editScoringModel",
            Action::ImportScale => "importScale",
            Action::EditCaseFiles => "editCaseFiles",
            Action::EditVeto => "editVeto",
            Action::EditBonus => "editBonus",
            Action::ExportScoreSheets => "exportScoreSheets",
            Action::CollectScoreSheets => "collectScoreSheets",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.code() == code)
    }

    /// Imports: preceded by an automatic backup, so 撤销上一次导入 can restore it.
    pub fn is_import(self) -> bool {
        matches!(
            self,
            Action::ImportIndicators
                | Action::ImportUnits
                | Action::ImportTasks
                | Action::CollectUnitSheets
                | Action::AddEvidence
                | Action::ImportProblems
                | Action::CollectProblemSheets
                | Action::ImportScale
                | Action::CollectScoreSheets
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_serde_names_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            let json = serde_json::to_string(a).expect("json");
            assert_eq!(json.trim_matches('"'), a.code());
            assert!(seen.insert(a.code()), "{a:?} listed twice");
            assert_eq!(Action::from_code(a.code()), Some(*a));
            assert!(seen.len() <= Action::ALL.len());
        }
    }
}
