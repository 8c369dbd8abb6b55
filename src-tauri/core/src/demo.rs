//! The demo campaign (`shifan demo`, `make demo`): a realistic district on the embedded demo
//! system, for trying the app and for screenshots. It lives in its own data folder: the
//! function refuses a folder that already holds a user's campaigns, so demo data never mixes
//! with real work. Later features add their demo data here.
//!
//! The campaign this action makes is marked as demo data (`campaign.demo_data`), in the same
//! transaction as its units and tasks. Only a marked campaign is demo data — what a hand-over
//! import may replace; a campaign the user created, even on the embedded demo *system* (the
//! wizard's 使用演示指标体系), is real work.

use rusqlite::{Connection, OptionalExtension};

use crate::action::Action;
use crate::error::{Error, Result};
use crate::model::{CampaignInfo, NewCampaign};
use crate::tasks::{
    self,
    import::{AssignmentFields, store_row},
};
use crate::units::{self, KIND_ENFORCEMENT, KIND_OTHER_DEPT, KIND_TOWN, UnitInput};
use crate::workspace::Workspace;

/// District name used by the demo.
pub const DEMO_DISTRICT: &str = "演示区";
/// Name of the demo campaign.
pub const DEMO_NAME: &str = "演示区法治政府建设示范创建（演示数据）";

/// Ids of the campaigns made by the demo action (marked `demo_data`).
pub fn demo_campaign_ids(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT id FROM campaign WHERE demo_data = 1 ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Whether campaign `id` was made by the demo action.
pub fn is_demo_campaign(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT demo_data FROM campaign WHERE id = ?1", [id], |r| {
            r.get::<_, bool>(0)
        })
        .optional()?
        .unwrap_or(false))
}

impl Workspace {
    /// Whether campaign `id` is the demo campaign of `shifan demo` (演示数据), not real work.
    pub fn is_demo_campaign(&self, id: i64) -> Result<bool> {
        is_demo_campaign(self.store().conn(), id)
    }
}

pub fn create(ws: &mut Workspace) -> Result<CampaignInfo> {
    let existing = ws.list_campaigns()?;
    let demo = demo_campaign_ids(ws.store().conn())?;
    // A campaign made by an earlier run that stopped between creating the campaign and filling
    // it (its own transaction): unmarked, the demo's name, nothing in it yet. It is finished.
    let unit_count = |id: i64| -> Result<i64> {
        Ok(ws.store().conn().query_row(
            "SELECT count(*) FROM unit WHERE campaign_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    };
    let mut unfinished = None;
    for c in &existing {
        if demo.contains(&c.id) {
            continue;
        }
        if unfinished.is_none()
            && c.district == DEMO_DISTRICT
            && c.name == DEMO_NAME
            && unit_count(c.id)? == 0
        {
            unfinished = Some(c.clone());
            continue;
        }
        return Err(Error::Invalid(format!(
            "数据文件夹“{}”中已有正式创建项目，演示数据不能混入。请用 --data-dir 指定一个新的文件夹存放演示项目。",
            ws.data_dir().display()
        )));
    }
    if let Some(c) = existing.iter().find(|c| demo.contains(&c.id)) {
        return ws.switch_campaign(c.id);
    }
    let c = match unfinished {
        Some(c) => ws.switch_campaign(c.id)?,
        None => ws.create_campaign(&NewCampaign {
            district: DEMO_DISTRICT.into(),
            name: Some(DEMO_NAME.into()),
            level: Some("省级".into()),
            system_key: Some("demo".into()),
            system_file: None,
        })?,
    };
    seed_units_and_tasks(ws, &c)?;
    crate::phases::seed_demo(ws, crate::store::today())?;
    crate::evidence::demo::seed(ws)?;
    crate::problems::demo::seed(ws, &c)?;
    crate::evaluation::demo::seed(ws, &c)?;
    Ok(c)
}

/// The ~17 牵头 区直部门 of a typical district (name, short name, kind).
const LEADS: &[(&str, &str, &str)] = &[
    ("区司法局", "司法局", KIND_ENFORCEMENT),
    ("区政务服务和数据管理局", "区政数局", KIND_OTHER_DEPT),
    ("区市场监督管理局", "区市场监管局", KIND_ENFORCEMENT),
    ("区人力资源和社会保障局", "区人社局", KIND_ENFORCEMENT),
    ("区发展和改革局", "区发改局", KIND_ENFORCEMENT),
    ("区财政局", "", KIND_ENFORCEMENT),
    ("区政府办公室", "区政府办", KIND_OTHER_DEPT),
    ("区应急管理局", "区应急局", KIND_ENFORCEMENT),
    ("区城市管理执法局", "区城管局", KIND_ENFORCEMENT),
    ("区生态环境分局", "", KIND_ENFORCEMENT),
    ("区住房和城乡建设局", "区住建局", KIND_ENFORCEMENT),
    ("区信访局", "", KIND_OTHER_DEPT),
    ("区审计局", "", KIND_ENFORCEMENT),
    ("区委组织部", "", KIND_OTHER_DEPT),
    ("区委宣传部", "", KIND_OTHER_DEPT),
    ("区公安分局", "", KIND_ENFORCEMENT),
    ("区教育局", "", KIND_ENFORCEMENT),
];

/// Other 区直部门 (kind by whether they hold enforcement powers).
const OTHERS: &[(&str, bool)] = &[
    ("区卫生健康局", true),
    ("区交通运输局", true),
    ("区农业农村局", true),
    ("区水利局", true),
    ("区自然资源和规划分局", true),
    ("区文化和旅游局", true),
    ("区商务局", true),
    ("区民政局", true),
    ("区退役军人事务局", true),
    ("区医疗保障局", true),
    ("区林业局", true),
    ("区统计局", true),
    ("区科技和经济信息化局", true),
    ("区粮食和物资储备局", true),
    ("区人防办", true),
    ("区档案馆", true),
    ("区税务局", true),
    ("区消防救援大队", true),
    ("区气象局", true),
    ("区烟草专卖局", true),
    ("区住房公积金管理部", true),
    ("区行政审批局", true),
    ("区国有资产管理中心", false),
    ("区委办公室", false),
    ("区人大常委会办公室", false),
    ("区政协办公室", false),
    ("区纪委监委", false),
    ("区委统战部", false),
    ("区委政法委", false),
    ("区委编办", false),
    ("区委党校", false),
    ("区委网信办", false),
    ("区总工会", false),
    ("团区委", false),
    ("区妇联", false),
    ("区残联", false),
    ("区工商联", false),
    ("区法院", false),
    ("区检察院", false),
    ("区融媒体中心", false),
    ("区机关事务服务中心", false),
    ("区投资促进中心", false),
    ("区公共资源交易中心", false),
    ("区政府研究室", false),
    ("区史志研究中心", false),
    ("区供销社", false),
    ("区红十字会", false),
    ("区科协", false),
    ("区社保中心", false),
    ("区12345热线办", false),
];

const TOWNS: &[&str] = &[
    "东城街道办事处",
    "西城街道办事处",
    "南郊街道办事处",
    "北郊街道办事处",
    "新城街道办事处",
    "府河镇",
    "万店镇",
    "何店镇",
    "洛阳镇",
    "淅河镇",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: &[&str] = &[
    "晓明", "丽华", "建国", "敏", "海燕", "志强", "静", "伟", "红梅", "磊", "娟", "军",
];

fn seed_units_and_tasks(ws: &mut Workspace, c: &CampaignInfo) -> Result<()> {
    let leaves = ws.indicator_leaves(Some(c.system_id), None)?;
    let campaign_id = c.id;
    ws.store_mut().write(
        Action::CreateDemo,
        |_| "演示单位、明白人和任务分解".to_string(),
        |tx| {
            tx.execute(
                "UPDATE campaign SET demo_data = 1 WHERE id = ?1",
                [campaign_id],
            )?;
            let mut all: Vec<(i64, &str, &str)> = Vec::new();
            let add = |name: &str, short: &str, kind: &'static str| -> Result<i64> {
                units::insert(
                    tx,
                    campaign_id,
                    &UnitInput {
                        id: None,
                        name: name.into(),
                        short_name: short.into(),
                        aliases: Vec::new(),
                        kind: kind.into(),
                        contact: String::new(),
                        phone: String::new(),
                        leader: String::new(),
                        note: "演示数据".into(),
                    },
                )
            };
            for (n, s, k) in LEADS {
                all.push((add(n, s, k)?, n, k));
            }
            for (n, enf) in OTHERS {
                let k = if *enf { KIND_ENFORCEMENT } else { KIND_OTHER_DEPT };
                all.push((add(n, "", k)?, n, k));
            }
            for n in TOWNS {
                all.push((add(n, "", KIND_TOWN)?, n, KIND_TOWN));
            }
            // Roster: the rule for most units, a few one short so the check shows something.
            let short_of_rule = ["区统计局", "区委宣传部", "万店镇", "区档案馆"];
            for (i, (id, name, kind)) in all.iter().enumerate() {
                let mut n = units::required_roster(kind).max(2);
                if short_of_rule.contains(name) {
                    n -= 1;
                }
                for j in 0..n {
                    let k = i * 3 + j as usize;
                    let person = format!("{}{}", SURNAMES[k % SURNAMES.len()], GIVEN[(k / 7 + j as usize) % GIVEN.len()]);
                    let (role, title) = match j {
                        0 => ("分管领导", "副局长"),
                        1 => ("联络员", "法规科科长"),
                        _ => ("明白人", "科员"),
                    };
                    tx.execute(
                        "INSERT INTO roster_member (unit_id, name, title, office_phone, mobile, role, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        rusqlite::params![id, person, title, format!("0722-3{:06}", k), format!("138{:08}", k * 7919 % 100_000_000), role, j],
                    )?;
                }
            }
            let deadlines = ["2025年9月底前", "长期坚持", "2025年6月底前", "持续推进", "2025年12月31日前", "每季度"];
            let towns: Vec<i64> = all.iter().filter(|u| u.2 == KIND_TOWN).map(|u| u.0).collect();
            for (i, l) in leaves.iter().enumerate() {
                let lead = all[i % LEADS.len()].0;
                let mut supports = vec![all[LEADS.len() + (i * 7) % OTHERS.len()].0, all[(i + 5) % LEADS.len()].0];
                if i % 4 == 0 {
                    supports.extend(&towns);
                }
                supports.retain(|s| *s != lead);
                supports.dedup();
                let deadline = deadlines[i % deadlines.len()];
                let date = tasks::date_text(tasks::parse_deadline(deadline, None));
                let evidence = "工作方案或制度文件\n工作台账及相关记录\n公开网址截图或新闻报道";
                store_row(
                    tx,
                    campaign_id,
                    l.id,
                    &AssignmentFields {
                        task: "对照指标要求逐项落实，形成台账",
                        deadline_text: deadline,
                        deadline_date: date.as_deref(),
                        evidence,
                        ..AssignmentFields::default()
                    },
                    &[lead],
                    &supports,
                )?;
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migration_recognises_old_demo_campaigns_by_the_demo_s_own_district_and_name() {
        let m = crate::store::MIGRATIONS
            .iter()
            .find(|m| m.contains("demo_data INTEGER"))
            .expect("the migration that adds the mark");
        assert!(m.contains(&format!("district = '{DEMO_DISTRICT}'")), "{m}");
        assert!(m.contains(&format!("name = '{DEMO_NAME}'")), "{m}");
        assert!(
            m.contains(&format!("code = '{}'", Action::CreateDemo.code())),
            "{m}"
        );
    }
}
