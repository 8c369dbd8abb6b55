//! The demo campaign's 专项督察 (see `crate::demo`): one round whose dates lie two months back,
//! 8 共性 problems given to many units and 30 个性 problems, in every status, some overdue, with
//! their history; 反馈函 settings; 自查 self-assessments for most indicators (some reviewed,
//! some sent back) and units' returned reports for others. Demo text, not real findings.

use chrono::{Days, NaiveDate};
use rusqlite::params;

use super::{Event, RoundInput, insert_round, record, set_indicators};
use crate::action::Action;
use crate::error::Result;
use crate::model::CampaignInfo;
use crate::store::set_setting;
use crate::tasks::date_text;
use crate::workspace::Workspace;

const COMMON: &[(&str, &str, &str, &str)] = &[
    (
        "行政执法",
        "第37项",
        "行政执法“三项制度”落实不到位，部分执法案卷缺少法制审核意见，执法全过程记录资料归档不及时。",
        "组织开展执法案卷自查，补齐法制审核意见；明确音像记录归档时限并落实到人。",
    ),
    (
        "制度建设",
        "第15、16项",
        "部分行政规范性文件未经合法性审核即印发，审核意见书缺少审核人员签名。",
        "对未经审核的文件进行补审；建立“一文一审”登记表，做到应审必审。",
    ),
    (
        "政务公开",
        "第66项",
        "政府信息主动公开不全面，部分栏目更新不及时，政策解读与政策文件未同步发布。",
        "梳理主动公开事项清单，落实栏目专人维护；政策文件与解读材料同步发布。",
    ),
    (
        "法治宣传",
        "指标82",
        "“谁执法谁普法”普法责任清单未及时更新，以案释法典型案例发布数量不足。",
        "更新普法责任清单并向社会公布，每季度至少发布1个以案释法典型案例。",
    ),
    (
        "执法监督",
        "第45项",
        "行政执法人员资格管理不严，个别执法人员执法证件过期未及时换领。",
        "全面清理执法证件，对过期证件限期换领，过期期间不得独立从事执法工作。",
    ),
    (
        "组织保障",
        "第95项",
        "年度法治政府建设情况报告未按时向社会公开，主要负责人述法未列入年终述职。",
        "按时通过门户网站公开年度报告，将述法纳入年终述职。",
    ),
    (
        "行政决策",
        "第21、22项",
        "重大行政决策事项目录未公开，公众参与、专家论证、风险评估等程序记录不完整。",
        "编制并公开年度重大行政决策事项目录，逐项补齐程序性材料。",
    ),
    (
        "矛盾化解",
        "第58项",
        "行政复议、行政应诉案件台账不完整，败诉案件未开展原因分析。",
        "完善复议应诉案件台账，对败诉案件逐件分析原因并制定改进措施。",
    ),
];

const SINGLE: &[(&str, &str)] = &[
    (
        "第5项",
        "权责清单未根据机构改革情况动态调整，部分事项仍沿用旧的实施主体。",
    ),
    (
        "第9项",
        "“双随机、一公开”抽查计划未按时公示，抽查结果未录入监管平台。",
    ),
    (
        "第12项",
        "政务服务事项办事指南要素不全，部分事项未标注承诺办结时限。",
    ),
    ("第18项", "合法性审查台账不规范，审查意见未全部归档。"),
    ("第24项", "政府法律顾问参与重大事项论证记录不完整。"),
    (
        "第30项",
        "行政执法公示平台信息更新滞后，执法结果未在规定时限内公示。",
    ),
    (
        "第33项",
        "行政处罚自由裁量基准未细化，个别案件裁量理由说明不充分。",
    ),
    ("第40项", "重大执法决定法制审核目录清单未公布。"),
    ("第48项", "执法人员年度培训学时未达到要求。"),
    ("第52项", "涉企行政检查未实行备案管理，存在重复检查现象。"),
    ("第55项", "行政复议决定书未按规定公开。"),
    (
        "第60项",
        "人民调解组织台账资料不全，调解协议履行情况未跟踪。",
    ),
    ("第63项", "信访事项办理超期，个别事项未在法定期限内答复。"),
    ("第70项", "审计发现问题整改台账未及时更新销号情况。"),
    ("第74项", "统计数据质量核查记录不完整。"),
    ("第78项", "领导干部应知应会法律法规清单未制定。"),
    ("第85项", "法治文化阵地建设滞后，宣传栏内容长期未更新。"),
    ("第88项", "基层法律服务工作站值班记录缺失。"),
    ("第91项", "法治督察发现问题整改报告未按时报送。"),
    ("第98项", "法治政府建设年度工作要点未经常务会议研究。"),
];

/// Statuses in turn, with how many days after the round's end a part closes.
const CYCLE: &[&str] = &[
    "待整改",
    "整改中",
    "已整改待核验",
    "已销号",
    "整改中",
    "已销号",
    "待整改",
    "已整改待核验",
];

fn unit_ids(tx: &rusqlite::Transaction<'_>, campaign_id: i64) -> Result<Vec<(i64, String)>> {
    let mut st =
        tx.prepare("SELECT id, name FROM unit WHERE campaign_id = ?1 ORDER BY position, id")?;
    let v = st
        .query_map([campaign_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

fn indicator_ids(tx: &rusqlite::Transaction<'_>, system_id: i64, nos: &[i64]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    let mut st =
        tx.prepare("SELECT id FROM indicator WHERE system_id = ?1 AND no = ?2 AND is_leaf = 1")?;
    for n in nos {
        if let Ok(id) = st.query_row(params![system_id, n], |r| r.get(0)) {
            out.push(id);
        }
    }
    Ok(out)
}

fn ymd(d: NaiveDate) -> String {
    date_text(Some(d)).unwrap_or_default()
}

fn cn(d: NaiveDate) -> String {
    crate::word::chinese_date(d)
}

/// Seed the demo round, its problems, the letter settings and the self-assessments.
pub(crate) fn seed(ws: &mut Workspace, c: &CampaignInfo) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let start = today - Days::new(62);
    let end = today - Days::new(55);
    let campaign_id = c.id;
    let system_id = c.system_id;
    ws.store_mut().write(
        Action::CreateDemo,
        |_| "演示专项督察、问题整改和自查评价".to_string(),
        |tx| {
            let units = unit_ids(tx, campaign_id)?;
            let round_id = insert_round(
                tx,
                campaign_id,
                &RoundInput {
                    id: None,
                    name: format!("{}年法治政府建设示范创建专项督察", chrono::Datelike::year(&start)),
                    kind: "专项督察".into(),
                    start_date: Some(ymd(start)),
                    end_date: Some(ymd(end)),
                    team: "依法治区办 王晓明（组长）、李丽华、张建国".into(),
                    note: "演示数据".into(),
                    unit_ids: units.iter().take(69).map(|u| u.0).collect(),
                },
            )?;
            let who = "演示数据";
            let at = crate::store::now();
            let mut seq = 0i64;
            let deadlines = [
                (cn(end + Days::new(20)) + "前", Some(end + Days::new(20))),
                ("立行立改".to_string(), Some(end)),
                (cn(today + Days::new(40)) + "前", Some(today + Days::new(40))),
                ("长期坚持".to_string(), None),
                (cn(end + Days::new(35)) + "前", Some(end + Days::new(35))),
            ];
            let mut add = |tx: &rusqlite::Transaction<'_>,
                           kind: &str,
                           category: &str,
                           ind: &str,
                           desc: &str,
                           req: &str,
                           parts: &[i64],
                           k: usize|
             -> Result<()> {
                seq += 1;
                let (dtext, ddate) = &deadlines[k % deadlines.len()];
                let dkind = match dtext.as_str() {
                    "立行立改" => "immediate",
                    "长期坚持" => "standing",
                    _ => "date",
                };
                tx.execute(
                    "INSERT INTO problem (round_id, seq, kind, category, source_no, description,
                       indicators_text, requirement, deadline_text, deadline_date, deadline_kind,
                       note, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '', ?12, ?12)",
                    params![
                        round_id,
                        seq,
                        kind,
                        category,
                        seq.to_string(),
                        desc,
                        ind,
                        req,
                        dtext,
                        ddate.map(ymd),
                        dkind,
                        at
                    ],
                )?;
                let pid = tx.last_insert_rowid();
                let nos = crate::text::number_refs(ind);
                set_indicators(tx, pid, &indicator_ids(tx, system_id, &nos)?)?;
                record(
                    tx,
                    who,
                    &at,
                    &Event {
                        problem_id: pid,
                        unit_id: None,
                        field: "created",
                        old: "",
                        new: "演示数据",
                        note: "",
                        source: "demo",
                    },
                )?;
                for (i, u) in parts.iter().enumerate() {
                    let status = CYCLE[(k * 3 + i) % CYCLE.len()];
                    let closed = (status == "已销号").then(|| ymd(end + Days::new(25 + (i % 9) as u64)));
                    let (measures, progress) = match status {
                        "待整改" => ("", ""),
                        "整改中" => ("制定整改方案，明确责任科室和完成时限。", "已完成自查，正在逐项整改。"),
                        _ => ("制定整改方案，明确责任科室和完成时限。", "已按要求整改到位，相关材料已归档。"),
                    };
                    tx.execute(
                        "INSERT INTO problem_unit (problem_id, unit_id, position, status, measures,
                           progress, completion, closed_on, close_note, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        params![
                            pid,
                            u,
                            i as i64,
                            status,
                            measures,
                            progress,
                            if status == "已销号" || status == "已整改待核验" { "已完成整改" } else { "" },
                            closed,
                            if status == "已销号" { "经依法治区办核验，整改到位，同意销号。" } else { "" },
                            at
                        ],
                    )?;
                    if status != "待整改" {
                        record(
                            tx,
                            who,
                            &at,
                            &Event {
                                problem_id: pid,
                                unit_id: Some(*u),
                                field: if status == "已销号" { "close" } else { "status" },
                                old: "待整改",
                                new: status,
                                note: "",
                                source: "demo",
                            },
                        )?;
                    }
                }
                Ok(())
            };
            // 共性: each to a band of units (8 to 20).
            for (k, (cat, ind, desc, req)) in COMMON.iter().enumerate() {
                let n = 8 + (k * 5) % 13;
                let parts: Vec<i64> = (0..n).map(|i| units[(k * 7 + i * 3) % units.len().min(69)].0).collect();
                let mut dedup: Vec<i64> = Vec::new();
                for p in parts {
                    if !dedup.contains(&p) {
                        dedup.push(p);
                    }
                }
                add(tx, "共性", cat, ind, desc, req, &dedup, k)?;
            }
            // 个性: one unit each (some units get two).
            let n = units.len().min(69);
            for j in 0..30usize {
                let (ind, desc) = SINGLE[j % SINGLE.len()];
                let u = units[(j * 11 + (j / SINGLE.len()) * 5) % n].0;
                add(
                    tx,
                    "个性",
                    "",
                    ind,
                    desc,
                    "对照问题逐项整改，建立台账，按时报送整改情况。",
                    &[u],
                    j + 1,
                )?;
            }
            // 反馈函 settings.
            for (f, v) in [
                ("doc_prefix", "演法办函"),
                ("first_number", "5"),
                ("contact", "王晓明"),
                ("phone", "0722-3000001"),
            ] {
                set_setting(tx, &format!("campaign.{campaign_id}.letter.{f}"), v)?;
            }
            // 自查: most indicators assessed; some returned reports only.
            let mut st = tx.prepare(
                "SELECT a.id, a.indicator_id, i.no, (SELECT unit_id FROM assignment_unit x
                   WHERE x.assignment_id = a.id AND x.role = 'lead' ORDER BY position LIMIT 1)
                 FROM assignment a JOIN indicator i ON i.id = a.indicator_id
                 WHERE a.campaign_id = ?1 ORDER BY i.no",
            )?;
            let rows: Vec<(i64, i64, i64, Option<i64>)> = st
                .query_map([campaign_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            drop(st);
            let ratings = ["达标", "达标", "基本达标", "达标", "未达标", "达标", "基本达标", "不适用"];
            for (aid, ind, no, lead) in rows {
                let rating = ratings[(no as usize) % ratings.len()];
                if no % 7 == 3 {
                    // Reported on the per-unit sheet, not yet confirmed by the office.
                    if let Some(u) = lead {
                        tx.execute(
                            "INSERT OR IGNORE INTO unit_report (assignment_id, unit_id, status, explanation,
                               evidence_dir, contact, updated_at)
                             VALUES (?1, ?2, '推进中', ?3, ?4, '', ?5)",
                            params![
                                aid,
                                u,
                                "已制定工作方案，相关制度正在起草，预计按期完成。",
                                "工作方案\n会议纪要",
                                at
                            ],
                        )?;
                    }
                    continue;
                }
                if no % 11 == 0 {
                    continue; // not assessed yet
                }
                let (review, note, reviewed) = match no % 5 {
                    0 => ("退回", "说明过于简单，请补充具体数据和佐证材料。", true),
                    1 | 2 => ("同意", "", true),
                    _ => ("", "", false),
                };
                tx.execute(
                    "INSERT INTO self_assessment (campaign_id, indicator_id, rating, score, explanation,
                       evidence, review, review_note, reviewed_at, updated_at)
                     VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        campaign_id,
                        ind,
                        rating,
                        format!("对照第{no}项指标要求逐项自查，相关工作已按计划推进，台账资料齐全。"),
                        "工作方案或制度文件\n工作台账及相关记录",
                        review,
                        note,
                        reviewed.then(|| at.clone()),
                        at
                    ],
                )?;
            }
            Ok(())
        },
    )
}
