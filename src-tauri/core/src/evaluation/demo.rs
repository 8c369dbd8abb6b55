//! The demo campaign's two mock evaluations (演示数据): a 1000-point office scale with some
//! half points, a few deduction rules, three experts (two overlapping ranges, so marks sit side
//! by side), 案卷评查 counted into indicators 49 and 50, a 否决项 triggered in the first round
//! only, satisfaction and 实地评估 scores, a 附加项 in the second round. The story: the second
//! round is better, and two indicators — 50 (行政执法案卷评查) and 68 (行政复议按期审结) — still
//! lose the most.

use rusqlite::params;

use super::compute::{Grade, RuleUse, parse_rule_text};
use super::model::{ModelInput, PointsSource, ScoringMethod, put_model, put_points, put_rules};
use super::points::Points;
use super::{EntryKind, MarkSource, StoredMark, put_mark};
use crate::action::Action;
use crate::error::Result;
use crate::model::CampaignInfo;
use crate::workspace::Workspace;

/// 分值 of the demo scale: 10 each, with pairs that keep the total at 1000.
fn points_of(no: i64) -> Points {
    match no {
        3 | 27 | 44 => Points::from_tenths(105),
        4 | 28 | 45 => Points::from_tenths(95),
        50 | 68 => Points::whole(15),
        51 | 69 => Points::whole(5),
        _ => Points::whole(10),
    }
}

const RULES: &[(i64, &str)] = &[
    (23, "法定主动公开内容每缺一项扣0.5分，扣完为止"),
    (31, "每发现1件未经合法性审查的扣2分；累计扣分不超过6分"),
    (43, "未按规定公示的每项扣0.5分，扣完为止"),
    (
        50,
        "未开展案卷评查的不得分；评查发现不合格案卷每件扣1分，扣完为止；其他问题酌情扣分",
    ),
    (68, "超期审结每件扣1.5分，扣完为止"),
    (
        71,
        "负责人出庭应诉率每低于要求1个百分点扣0.5分；累计扣分不超过5分",
    ),
];

const EXPERTS: &[(&str, &str, &str)] = &[
    ("陈立新", "演示大学法学院", "行政法学 教授"),
    ("刘思远", "演示律师事务所", "行政诉讼 律师"),
    ("赵明华", "演示市委党校", "法治政府 研究员"),
];

/// (indicator, round 1 loss, round 2 loss, reason)
const LOSSES: &[(i64, &str, &str, &str)] = &[
    (
        50,
        "7",
        "5.5",
        "抽查行政处罚案卷20卷，不合格6卷，文书说理不充分、证据链不完整",
    ),
    (
        68,
        "6",
        "4.5",
        "行政复议案件超期审结4件，个别案件未按期送达",
    ),
    (31, "4", "2", "抽查规范性文件，2件未见合法性审查意见"),
    (
        44,
        "3",
        "1.5",
        "执法记录仪使用不规范，部分现场执法无音像记录",
    ),
    (71, "3", "1", "负责人出庭应诉率未达100%"),
    (23, "2.5", "0.5", "主动公开目录缺少财政预决算栏目"),
    (93, "2", "0", "法治政府建设年度报告公开晚于规定时间"),
    (36, "2", "1", "部分部门未聘请法律顾问"),
    (57, "1.5", "1", "投诉件办结超期"),
    (83, "1.5", "0.5", "审计整改台账不完整"),
    (9, "1", "0", "权责清单未动态调整"),
    (62, "1", "0.5", "应急物资储备目录未更新"),
    (96, "1", "0", "学法考法参考率不足"),
];

fn p(s: &str) -> Points {
    Points::parse(s).unwrap_or_default()
}

/// Add the two mock rounds to the demo campaign (one transaction, logged as 建立演示数据).
pub(crate) fn seed(ws: &mut Workspace, c: &CampaignInfo) -> Result<()> {
    let leaves = ws.indicator_leaves(Some(c.system_id), None)?;
    let campaign_id = c.id;
    let unit_of = |name: &str| -> Option<i64> {
        ws.list_units()
            .ok()?
            .into_iter()
            .find(|u| u.name == name)
            .map(|u| u.id)
    };
    let units: Vec<(Option<i64>, &str)> = ["区市场监督管理局", "区城市管理执法局", "区应急管理局"]
        .into_iter()
        .map(|n| (unit_of(n), n))
        .collect();
    let now = crate::store::now();
    ws.store_mut().write(
        Action::CreateDemo,
        |_| "演示模拟评估（两轮）".to_string(),
        |tx| {
            let id_of = |no: i64| leaves.iter().find(|l| l.no == no).map(|l| l.id);
            put_points(
                tx,
                campaign_id,
                &leaves
                    .iter()
                    .map(|l| (l.id, Some(points_of(l.no))))
                    .collect::<Vec<_>>(),
            )?;
            put_model(
                tx,
                campaign_id,
                &ModelInput {
                    points_source: PointsSource::Office,
                    method: ScoringMethod::Points,
                    grade_shares: Default::default(),
                    bonus_cap: Some(Points::whole(30)),
                    weights: Default::default(),
                },
            )?;
            for (no, text) in RULES {
                if let Some(id) = id_of(*no) {
                    let rules: Vec<super::model::RuleInput> = parse_rule_text(text)
                        .into_iter()
                        .map(|r| super::model::RuleInput {
                            id: None,
                            kind: r.kind,
                            text: r.text,
                            amount: r.amount,
                            cap: r.cap,
                        })
                        .collect();
                    put_rules(tx, campaign_id, id, *no, &rules)?;
                }
            }
            for (pos, text) in [
                "发生因违法行政引发的重大群体性事件或造成恶劣社会影响",
                "行政机关负责人出庭应诉率未达到上级要求且无正当理由",
            ]
            .iter()
            .enumerate()
            {
                tx.execute(
                    "INSERT INTO eval_veto (campaign_id, text, note, position) VALUES (?1, ?2, '演示数据', ?3)",
                    params![campaign_id, text, pos as i64],
                )?;
            }
            let veto_id: i64 = tx.query_row(
                "SELECT id FROM eval_veto WHERE campaign_id = ?1 ORDER BY position LIMIT 1 OFFSET 1",
                [campaign_id],
                |r| r.get(0),
            )?;
            let mut experts = Vec::new();
            for (pos, (name, org, field)) in EXPERTS.iter().enumerate() {
                tx.execute(
                    "INSERT INTO eval_expert (campaign_id, name, org, field, note, position)
                     VALUES (?1, ?2, ?3, ?4, '演示数据', ?5)",
                    params![campaign_id, name, org, field, pos as i64],
                )?;
                experts.push(tx.last_insert_rowid());
            }
            // Who scores what: 1–40, 35–75, 70–100 (overlaps scored twice).
            let ranges = [(1, 40), (35, 75), (70, 100)];
            let rounds = [
                ("模拟评估一", "2025年6月", Some("82"), "86.4", 1200, "12340 电话调查", "2025年5月20日—6月10日"),
                ("模拟评估二", "2025年10月", Some("88.5"), "91.2", 1500, "12340 电话调查＋入户问卷", "2025年9月15日—10月10日"),
            ];
            for (k, (name, held, site, sat, sample, method, period)) in rounds.iter().enumerate() {
                tx.execute(
                    "INSERT INTO eval_round (campaign_id, name, kind, position, held_on, note, site_score,
                       site_note, sat_rate, sat_sample, sat_method, sat_period, created_at)
                     VALUES (?1, ?2, 'mock', ?3, ?4, '演示数据', ?5, '评估组实地查看 8 个单位', ?6, ?7, ?8, ?9, ?10)",
                    params![
                        campaign_id,
                        name,
                        k as i64 + 1,
                        held,
                        site.map(|s| p(s).hundredths()),
                        p(sat).hundredths(),
                        sample,
                        method,
                        period,
                        now
                    ],
                )?;
                let round_id = tx.last_insert_rowid();
                for (e, (a, b)) in experts.iter().zip(ranges) {
                    for no in a..=b {
                        if let Some(i) = id_of(no) {
                            tx.execute(
                                "INSERT INTO eval_assign (round_id, expert_id, indicator_id) VALUES (?1, ?2, ?3)",
                                params![round_id, e, i],
                            )?;
                        }
                    }
                }
                for l in &leaves {
                    // Indicator 49 is scored from its case files in round one.
                    if k == 0 && l.no == 49 {
                        continue;
                    }
                    let max = points_of(l.no);
                    let loss = LOSSES.iter().find(|x| x.0 == l.no);
                    let (lost, reason) = match loss {
                        Some((_, a, b, why)) => (p(if k == 0 { a } else { b }), *why),
                        // Small scattered losses in round one, fewer in round two.
                        None if (l.no * 7 + k as i64 * 3) % 9 == 0 && k == 0 => {
                            (Points::from_tenths(5), "佐证材料不够完整")
                        }
                        None => (Points::ZERO, ""),
                    };
                    for (j, (a, b)) in ranges.iter().enumerate() {
                        if l.no < *a || l.no > *b {
                            continue;
                        }
                        // The second expert of an overlap sees it a little differently in
                        // round one; the office picks or averages.
                        let overlap_second = ranges.iter().take(j).any(|(x, y)| l.no >= *x && l.no <= *y);
                        let d = if overlap_second && k == 0 && l.no % 2 == 0 {
                            (lost + Points::from_tenths(5)).min(max)
                        } else {
                            lost
                        };
                        let rules: Vec<RuleUse> = Vec::new();
                        let (entry, value, grade): (EntryKind, Option<Points>, Option<Grade>) = if d.is_zero() {
                            (EntryKind::Score, Some(max), None)
                        } else {
                            (EntryKind::Deduction, Some(d), None)
                        };
                        put_mark(
                            tx,
                            round_id,
                            &StoredMark {
                                id: 0,
                                indicator_id: l.id,
                                expert_id: Some(experts[j]),
                                entry,
                                value,
                                grade,
                                rules,
                                reason: if d.is_zero() { String::new() } else { reason.to_string() },
                                method: if l.no == 50 { "案卷评查".into() } else { "材料查证、网络检索".into() },
                                evidence: format!("{}-{:02}", l.no, 1 + j),
                                note: String::new(),
                                source: MarkSource::App,
                                updated_at: String::new(),
                            },
                            &now,
                        )?;
                    }
                }
                // The office averages the overlaps of round one, except where it picks.
                if k == 0 {
                    for no in (35..=40).chain(70..=75) {
                        if let Some(i) = id_of(no) {
                            let pick: Option<i64> = if no == 36 { Some(experts[0]) } else { None };
                            if no != 38 {
                                tx.execute(
                                    "INSERT INTO eval_pick (round_id, indicator_id, expert_id) VALUES (?1, ?2, ?3)",
                                    params![round_id, i, pick],
                                )?;
                            }
                        }
                    }
                    tx.execute(
                        "INSERT INTO eval_veto_hit (round_id, veto_id, note) VALUES (?1, ?2, ?3)",
                        params![round_id, veto_id, "抽查发现 2 个部门负责人未出庭应诉，且无正当理由（演示数据）"],
                    )?;
                } else {
                    tx.execute(
                        "INSERT INTO eval_bonus (round_id, text, points, note) VALUES (?1, ?2, ?3, '演示数据')",
                        params![round_id, "“府院联动”化解行政争议经验被省级推广", Points::whole(2).hundredths()],
                    )?;
                }
                // 案卷评查: into indicators 50 (执法案卷) and 49 (执法文书).
                let scores: [&[&str]; 2] = [
                    &["72", "65", "88", "58", "81", "76"],
                    &["84", "79", "91", "70", "88", "86"],
                ];
                for (n, s) in scores[k].iter().enumerate() {
                    let (unit_id, unit_name) = units[n % units.len()];
                    let no = if n % 2 == 0 { 50 } else { 49 };
                    tx.execute(
                        "INSERT INTO eval_case (round_id, unit_id, unit_name, case_no, case_type, score, full,
                           problems, indicator_id, reviewer, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 10000, ?7, ?8, ?9, ?10)",
                        params![
                            round_id,
                            unit_id,
                            unit_name,
                            format!("演罚决字〔2025〕{}号", 10 + n + k * 20),
                            if n % 3 == 2 { "行政强制" } else { "行政处罚" },
                            p(s).hundredths(),
                            if p(s) < Points::whole(80) { "证据不充分，文书说理不足" } else { "" },
                            id_of(no),
                            EXPERTS[1].0,
                            n as i64
                        ],
                    )?;
                }
            }
            Ok(())
        },
    )
}
