//! `shifan units …` and `shifan roster …`.

use std::path::PathBuf;

use clap::Subcommand;
use shifan_core::{Error, UnitsImport, Workspace};

use crate::{Out, import, issue_lines, out};

#[derive(Subcommand)]
pub enum UnitsCmd {
    /// 从 Excel 导入单位名单（可含“明白人名单”工作表）。
    Import {
        file: PathBuf,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
    },
    /// 导出单位名单和明白人名单（.xlsx）。
    Export { file: PathBuf },
    /// 列出当前项目的单位。
    List,
}

#[derive(Subcommand)]
pub enum RosterCmd {
    /// 检查明白人人数（行政执法单位不少于3人、非行政执法单位不少于2人），列出不足的单位。
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
        UnitsCmd::Import { file, preview } => {
            let p = import(ws, &UnitsImport::new(&file), preview)?;
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
            text.push_str(&issue_lines(&p.issues));
            let failed = !p.can_apply;
            let mut o = out(&p, text);
            o.failed = failed;
            o
        }
    })
}

pub fn roster(ws: &mut Workspace, cmd: RosterCmd) -> Result<Out, Error> {
    Ok(match cmd {
        RosterCmd::Check => {
            let v = ws.roster_check()?;
            let text = if v.is_empty() {
                "所有单位的明白人人数均符合要求。".to_string()
            } else {
                let mut t = format!("{} 个单位明白人人数不足：", v.len());
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
