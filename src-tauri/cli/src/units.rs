//! `shifan units …` and `shifan roster …`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use shifan_core::units::{ChosenName, NameAction, NameChoice, RosterRule};
use shifan_core::{Error, UnitsImport, Workspace};

use crate::preview::{checked, guess_lines, unknown_lines};
use crate::{Out, import, issue_lines, out};

#[derive(Subcommand)]
pub enum UnitsCmd {
    /// 从 Excel 导入单位名单（可含“明白人名单”工作表）。
    Import {
        file: PathBuf,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
        #[command(flatten)]
        names: NameChoiceArgs,
    },
    /// 导出单位名单和明白人名单（.xlsx）。
    Export { file: PathBuf },
    /// 列出当前项目的单位。
    List,
}

/// The user's choices for names the import did not match exactly (see the preview's [推测] and
/// [未知单位] lines).
#[derive(Args, Default)]
pub struct NameChoiceArgs {
    /// 把表中的写法对应到名单中的单位：旧名=单位名（可重复）；导入时把旧名保存为该单位的别名。
    #[arg(long = "map", value_name = "旧名=单位名")]
    map: Vec<String>,
    /// 把表中的写法新建为单位（可重复）。
    #[arg(long = "create-name", value_name = "名称")]
    create: Vec<String>,
    /// 不接受表中的这个写法（可重复）：导入被拒绝，直到修改文件或改作其他选择。
    #[arg(long = "refuse-name", value_name = "名称")]
    refuse: Vec<String>,
}

impl NameChoiceArgs {
    pub fn choices(&self) -> Result<Vec<NameChoice>, Error> {
        let mut v = Vec::new();
        for m in &self.map {
            let Some((written, unit)) = m.split_once('=').or_else(|| m.split_once('＝')) else {
                return Err(Error::Invalid(format!(
                    "--map “{m}”格式不对，应写作“旧名=单位名”，如 --map 区法院=区人民法院。"
                )));
            };
            if written.trim().is_empty() || unit.trim().is_empty() {
                return Err(Error::Invalid(format!(
                    "--map “{m}”缺少旧名或单位名，应写作“旧名=单位名”。"
                )));
            }
            v.push(NameChoice {
                written: written.trim().to_string(),
                action: NameAction::Map,
                unit: unit.trim().to_string(),
            });
        }
        for (names, action) in [
            (&self.create, NameAction::Create),
            (&self.refuse, NameAction::Refuse),
        ] {
            v.extend(names.iter().map(|n| NameChoice {
                written: n.trim().to_string(),
                action,
                unit: String::new(),
            }));
        }
        Ok(v)
    }
}

/// The preview's lines for the choices it applied.
pub fn chosen_lines(chosen: &[ChosenName]) -> String {
    chosen
        .iter()
        .map(|c| {
            let what = match c.action {
                NameAction::Map => format!("对应到“{}”（导入后保存为其别名）", c.unit_name),
                NameAction::Create => "新建为单位".to_string(),
                NameAction::Refuse => "不接受".to_string(),
            };
            format!("\n[已选择] “{}” {what}：{}", c.written, c.places.join("、"))
        })
        .collect()
}

#[derive(Subcommand)]
pub enum RosterCmd {
    /// 检查明白人人数（按本项目的明白人规则，默认行政执法单位和乡镇街道不少于3人、非行政执法单位不少于2人），列出不足的单位。
    Check,
    /// 列出明白人名单。
    List,
}

pub fn units(ws: &mut Workspace, cmd: UnitsCmd) -> Result<Out, Error> {
    Ok(match cmd {
        UnitsCmd::List => {
            let v = ws.list_units()?;
            let text = v
                .iter()
                .map(|u| {
                    format!(
                        "{}\t{}\t{}\t明白人 {} 人\t牵头 {} 项、参与 {} 项",
                        u.id, u.name, u.kind, u.roster_count, u.lead_count, u.support_count
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        UnitsCmd::Export { file } => {
            let p = ws.export_units(&file)?;
            out(
                &serde_json::json!({ "path": p.display().to_string() }),
                format!("已导出单位名单：{}", p.display()),
            )
        }
        UnitsCmd::Import {
            file,
            preview,
            names,
        } => {
            let p = import(
                ws,
                &UnitsImport::with_choices(&file, names.choices()?),
                preview,
            )?;
            let mut text = format!(
                "{}“{}”：新增 {} 个单位，更新 {} 个，未变 {} 个；明白人 {} 个单位共 {} 人。",
                if preview { "预览" } else { "已导入" },
                p.file_name,
                p.created.len(),
                p.updated.len(),
                p.unchanged,
                p.roster_units,
                p.roster_members
            );
            for n in &p.created {
                text.push_str(&format!("\n[新增] {n}"));
            }
            for u in &p.updated {
                text.push_str(&format!("\n[更新] {}：{}", u.name, u.changes.join("；")));
            }
            text.push_str(&guess_lines(&p.guesses));
            text.push_str(&unknown_lines(&p.unknown_units, false));
            text.push_str(&chosen_lines(&p.chosen));
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
    })
}

pub fn roster(ws: &mut Workspace, cmd: RosterCmd) -> Result<Out, Error> {
    Ok(match cmd {
        RosterCmd::Check => {
            let v = ws.roster_check()?;
            let rule = ws.roster_rule()?.text();
            let text = if v.is_empty() {
                format!("所有单位的明白人人数均符合要求（{rule}）。")
            } else {
                let mut t = format!("{} 个单位明白人人数不足（{rule}）：", v.len());
                for s in &v {
                    t.push_str(&format!(
                        "\n{}（{}）：现有 {} 人，应不少于 {} 人，缺 {} 人",
                        s.unit_name, s.kind, s.count, s.required, s.missing
                    ));
                }
                t
            };
            out(&v, text)
        }
        RosterCmd::List => {
            let v = ws.roster(None)?;
            let text = v
                .iter()
                .map(|m| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        m.unit_name, m.role, m.name, m.title, m.office_phone, m.mobile
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
    })
}

/// `shifan settings roster-rule`: show the 明白人 rule, or set the numbers given.
#[derive(Args)]
pub struct RosterRuleArgs {
    /// 行政执法单位至少几人。
    #[arg(long)]
    enforcement: Option<i64>,
    /// 非行政执法单位至少几人。
    #[arg(long)]
    non_enforcement: Option<i64>,
    /// 乡镇街道至少几人（默认按行政执法单位：3人）。
    #[arg(long)]
    town: Option<i64>,
    /// 其他单位（法院、检察院、学校等）至少几人（默认不要求）。
    #[arg(long)]
    other: Option<i64>,
}

pub fn roster_rule(ws: &mut Workspace, a: RosterRuleArgs) -> Result<Out, Error> {
    let mut rule = ws.roster_rule()?;
    let change = a.enforcement.is_some()
        || a.non_enforcement.is_some()
        || a.town.is_some()
        || a.other.is_some();
    if change {
        rule = RosterRule {
            enforcement: a.enforcement.unwrap_or(rule.enforcement),
            other_dept: a.non_enforcement.unwrap_or(rule.other_dept),
            town: a.town.unwrap_or(rule.town),
            other: a.other.unwrap_or(rule.other),
        };
        rule = ws.set_roster_rule(&rule)?;
    }
    let text = format!(
        "{}明白人规则：{}。",
        if change { "已设置" } else { "" },
        rule.text()
    );
    Ok(out(&rule, text))
}
