//! 模拟评估 as an office runs it: a provincial 1000-point system with half points scored by
//! three experts on scoring sheets they fill offline (fixtures made by openpyxl from real
//! exports, tests/fixtures/make/make_eval_fixtures.py) and collected back; two experts on one
//! indicator side by side; the office's own scale for a system without 分值 (参考); rules with
//! caps and 扣完为止; grades; 案卷评查 counted into indicators; 否决项 flagging a round; 附加项
//! apart; the three-part composite; where the points are lost and who must fix it; the demo's
//! two rounds.

use shifan_core::Job;
use shifan_core::evaluation::compute::RuleKind;
use shifan_core::evaluation::model::{ModelInput, PointsSource, RuleInput, ScoringMethod};
use shifan_core::evaluation::scale::ScaleImportOptions;
use shifan_core::evaluation::{
    BonusInput, CaseInput, EvalRoundInput, Grade, MarkInput, PickInput, Points, RuleUse,
    ScoreSource, VetoInput,
};
use shifan_core::model::MatchedBy;
use shifan_core::{ScaleImport, ScoreSheetsImport, Workspace};
use shifan_tests::{
    EVAL_EXPERTS, EVAL_ROUND, eval_exported, eval_setup, fingerprint, fixture, with_demo_campaign,
};

fn p(s: &str) -> Points {
    Points::parse(s).expect("points")
}

/// The 分值 of the provincial fixture (make_eval_fixtures.py `points`).
fn max_of(no: i64) -> Points {
    match no {
        3 | 17 | 33 | 51 => p("10.5"),
        4 | 18 | 34 | 52 => p("9.5"),
        60 => p("12"),
        61 => p("8"),
        _ => p("10"),
    }
}

/// What expert `i` of the fixtures gave indicator `no` (make_eval_fixtures.py `fill`).
fn filled(i: i64, no: i64) -> Points {
    let m = max_of(no);
    match (no * 7 + i * 3) % 10 {
        0 => m - p("1.5"),
        3 => m - p("0.5"),
        6 => m - p("2.25"),
        _ => m,
    }
}

fn experts_of(no: i64) -> Vec<i64> {
    let mut v = Vec::new();
    for (i, (_, _, _, r)) in EVAL_EXPERTS.iter().enumerate() {
        let (a, b) = r.split_once('-').expect("range");
        let (a, b): (i64, i64) = (a.parse().expect("a"), b.parse().expect("b"));
        if no >= a && no <= b {
            v.push(i as i64);
        }
    }
    v
}

fn collect(ws: &mut Workspace, rel: &str) -> shifan_core::evaluation::collect::ScoreCollectPreview {
    ws.apply(&ScoreSheetsImport::new(fixture(rel)), &Job::quiet())
        .unwrap_or_else(|e| panic!("collect {rel}: {e}"))
}

fn round_id(ws: &Workspace) -> i64 {
    ws.eval_round_by_key(EVAL_ROUND).expect("round").id
}

fn indicator(ws: &Workspace, no: i64) -> i64 {
    ws.indicator_leaves(None, None)
        .expect("leaves")
        .into_iter()
        .find(|l| l.no == no)
        .expect("indicator")
        .id
}

#[test]
fn a_provincial_1000_point_system_is_scored_on_its_own_points_from_the_experts_sheets() {
    let (_d, mut ws) = eval_exported();
    let model = ws.scoring_model().expect("model");
    assert_eq!(model.points_source, PointsSource::System);
    assert!(!model.reference, "published 分值: not labelled 参考");
    assert_eq!(model.system_total, Points::whole(1000));
    assert_eq!(model.missing, 0);
    let half = model.indicators.iter().find(|i| i.no == 3).expect("no 3");
    assert_eq!(half.points, Some(p("10.5")), "half points kept exactly");

    let before = fingerprint(&ws);
    let preview = ws
        .preview(
            &ScoreSheetsImport::new(fixture("eval/collect")),
            &Job::quiet(),
        )
        .expect("preview");
    assert!(preview.can_apply, "{:#?}", preview.issues);
    assert_eq!(fingerprint(&ws), before, "a preview stores nothing");
    assert_eq!(preview.sheets.len(), 3);
    assert!(
        preview
            .sheets
            .iter()
            .all(|s| s.matched_by == MatchedBy::Stamp)
    );
    assert_eq!(
        preview.sheets.iter().map(|s| s.rows).sum::<i64>(),
        40 + 41 + 31
    );
    collect(&mut ws, "eval/collect");

    let r = ws.eval_results(round_id(&ws)).expect("results");
    assert_eq!(r.score_label, "得分");
    assert_eq!(r.total.count, 100);
    assert_eq!(r.total.scored, 100);
    assert_eq!(r.total.max, Points::whole(1000));
    // Every indicator's score is what the experts wrote, or the average of two, to 0.01.
    let mut expected_total = Points::ZERO;
    let mut unconfirmed = 0;
    for a in &r.aspects {
        for i in &a.indicators {
            let marks: Vec<Points> = experts_of(i.no).iter().map(|e| filled(*e, i.no)).collect();
            let want = Points::mean(&marks).expect("scored");
            assert_eq!(i.score, Some(want), "indicator {}", i.no);
            assert_eq!(i.max, Some(max_of(i.no)));
            if marks.len() == 2 && marks[0] != marks[1] {
                assert_eq!(i.source, ScoreSource::Unconfirmed, "indicator {}", i.no);
                unconfirmed += 1;
            }
            expected_total += want;
        }
    }
    assert_eq!(r.total.score, expected_total);
    assert_eq!(r.total.score + r.total.lost, r.total.max);
    assert_eq!(r.unconfirmed, unconfirmed);
    assert!(unconfirmed > 0, "the overlaps differ somewhere");
    // Nine aspects, their sums exact.
    assert_eq!(r.aspects.len(), 9);
    assert_eq!(
        r.aspects.iter().map(|a| a.score).sum::<Points>(),
        r.total.score
    );
    // The lost points ranked, with the lead unit of the 任务分解.
    let top = &r.lost_ranking[0];
    assert!(r.lost_ranking.windows(2).all(|w| w[0].lost >= w[1].lost));
    assert!(!top.leads.is_empty(), "lead unit from the 任务分解");
    assert!(!top.reasons.is_empty(), "扣分理由 kept");

    // Two experts on indicator 36 side by side; the office picks one, then the average.
    let rid = round_id(&ws);
    let grid = ws.eval_grid(rid).expect("grid");
    let row = grid.rows.iter().find(|x| x.no == 36).expect("36");
    assert_eq!(row.marks.len(), 2);
    assert_eq!(row.assigned.len(), 2);
    let li = ws.eval_expert_by_key("李敏").expect("expert").id;
    let picked = ws
        .pick_mark(&PickInput {
            round_id: rid,
            indicator_id: row.indicator_id,
            choice: Some("expert".into()),
            expert_id: Some(li),
        })
        .expect("pick");
    assert_eq!(picked.source, ScoreSource::Picked);
    assert_eq!(picked.score, Some(filled(1, 36)));
    let avg = ws
        .pick_mark(&PickInput {
            round_id: rid,
            indicator_id: row.indicator_id,
            choice: Some("average".into()),
            expert_id: None,
        })
        .expect("average");
    assert_eq!(avg.source, ScoreSource::Average);
    assert_eq!(avg.score, Points::mean(&[filled(0, 36), filled(1, 36)]));
}

#[test]
fn collecting_again_changes_nothing_and_the_office_edits_since_the_export_win_as_conflicts() {
    let (_d, mut ws) = eval_exported();
    let rid = round_id(&ws);
    // The office enters 张卫东's mark for indicator 1 itself after sending the sheet.
    let zw = ws.eval_expert_by_key("张卫东").expect("e").id;
    let one = indicator(&ws, 1);
    ws.save_mark(&MarkInput {
        round_id: rid,
        indicator_id: one,
        expert_id: Some(zw),
        score: Some(p("7")),
        reason: "电话核实后录入".into(),
        ..Default::default()
    })
    .expect("office edit");
    let p1 = collect(&mut ws, "eval/collect/模拟评估一-张卫东-评分表.xlsx");
    let sheet = &p1.sheets[0];
    let c = sheet
        .conflicts
        .iter()
        .find(|c| c.no == 1 && c.field == "评分")
        .expect("conflict on indicator 1");
    assert_eq!((c.office.as_str(), c.sent.as_str()), ("7分", "（空）"));
    let grid = ws.eval_grid(rid).expect("grid");
    let row = grid.rows.iter().find(|r| r.no == 1).expect("1");
    assert_eq!(row.marks[0].score, Some(p("7")), "the office's value kept");
    // The same file again: nothing left to change.
    let before = fingerprint(&ws);
    let again = ws
        .preview(
            &ScoreSheetsImport::new(fixture("eval/collect/模拟评估一-张卫东-评分表.xlsx")),
            &Job::quiet(),
        )
        .expect("again");
    assert_eq!(again.change_count, 0, "{:?}", again.sheets[0].changes);
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_re_export_carries_the_marks_and_reads_back_unchanged() {
    let (d, mut ws) = eval_exported();
    collect(&mut ws, "eval/collect");
    let rid = round_id(&ws);
    let out = d.path().join("再次导出");
    let e = ws
        .export_score_sheets(rid, &out, &Job::quiet())
        .expect("export");
    assert_eq!(e.expert_count, 3);
    let back = ws
        .preview(&ScoreSheetsImport::new(&out), &Job::quiet())
        .expect("preview");
    assert!(back.can_apply, "{:#?}", back.issues);
    assert_eq!(back.change_count, 0, "what was sent reads back as sent");
    assert!(back.sheets.iter().all(|s| s.revision == Some(2)));
    // The sheet is the 自查评分表 shape: locked office columns, unlocked score cells limited to
    // the 分值.
    let sheet = shifan_tests::xlsx_part(&out.join(&e.files[0]), "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection"), "protected");
    assert!(sheet.contains("type=\"decimal\""), "score cells validated");
    assert!(
        sheet.contains("<formula2>10.5</formula2>"),
        "limited to a half-point 分值"
    );
}

#[test]
fn bad_scoring_sheets_are_refused_with_their_place_and_nothing_applied() {
    let (_d, mut ws) = eval_exported();
    for (file, words) in [
        ("text-in-score-张卫东.xlsx", "第8行 H列：评分“良好”不是数字"),
        ("score-above-max-张卫东.xlsx", "超过该指标的分值 10"),
        (
            "locked-points-edited-张卫东.xlsx",
            "第4行 E列：锁定栏目“分值”",
        ),
        ("wrong-expert-title-张卫东.xlsx", "标题写的是“李敏”"),
    ] {
        let before = fingerprint(&ws);
        let e = ws
            .apply(
                &ScoreSheetsImport::new(fixture(&format!("hostile/eval/{file}"))),
                &Job::quiet(),
            )
            .expect_err(file);
        let all: String = e
            .issues()
            .iter()
            .map(|i| i.message.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(all.contains(words), "{file}: {all}");
        assert!(all.contains(file), "{file}: names the file");
        assert_eq!(fingerprint(&ws), before, "{file}: nothing applied");
    }
}

#[test]
fn an_office_scale_for_a_system_without_points_is_labelled_reference() {
    let (_d, mut ws) = with_demo_campaign();
    let m = ws.scoring_model().expect("model");
    assert_eq!(
        m.points_source,
        PointsSource::Office,
        "the demo system has no 分值"
    );
    assert!(m.reference);
    assert_eq!(m.missing, 100);
    assert!(
        ws.save_scoring_model(&ModelInput {
            points_source: PointsSource::System,
            method: ScoringMethod::Points,
            grade_shares: Default::default(),
            bonus_cap: None,
            weights: Default::default(),
        })
        .is_err(),
        "no system 分值 to use"
    );
    // Spread 1000 exactly, then import a 分值表 with half points and 评分标准.
    let m = ws.distribute_points(Points::whole(1000)).expect("spread");
    assert_eq!(m.office_total, Points::whole(1000));
    let imp = ScaleImport::new(
        fixture("eval/scale-points.xlsx"),
        ScaleImportOptions::default(),
    );
    let prev = ws.preview(&imp, &Job::quiet()).expect("preview");
    assert!(prev.can_apply, "{:#?}", prev.issues);
    assert_eq!(prev.total, Points::whole(1000));
    assert_eq!(
        prev.rows.len(),
        100,
        "the 合计 and 注 rows are not indicators"
    );
    ws.apply(&imp, &Job::quiet()).expect("apply");
    let m = ws.scoring_model().expect("model");
    let i3 = m.indicators.iter().find(|i| i.no == 3).expect("3");
    assert_eq!(i3.office_points, Some(p("10.5")));
    let i31 = m.indicators.iter().find(|i| i.no == 31).expect("31");
    assert_eq!(i31.rules.len(), 1);
    assert_eq!(
        (i31.rules[0].kind, i31.rules[0].amount, i31.rules[0].cap),
        (RuleKind::PerItem, Some(p("2")), Some(p("6")))
    );
    let i50 = m.indicators.iter().find(|i| i.no == 50).expect("50");
    let kinds: Vec<RuleKind> = i50.rules.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, vec![RuleKind::Zero, RuleKind::Discretion]);
    // By 权重: spread over 1000 exactly.
    let w = ws
        .preview(
            &ScaleImport::new(
                fixture("eval/scale-weights.xlsx"),
                ScaleImportOptions {
                    total: Some(Points::whole(1000)),
                },
            ),
            &Job::quiet(),
        )
        .expect("weights");
    assert_eq!(w.basis, "权重");
    assert_eq!(w.total, Points::whole(1000));
    assert_eq!(w.rows[0].new, p("15"));
    // A text in a 分值 cell: refused with its place.
    let before = fingerprint(&ws);
    let e = ws
        .apply(
            &ScaleImport::new(
                fixture("eval/scale-text-in-points.xlsx"),
                ScaleImportOptions::default(),
            ),
            &Job::quiet(),
        )
        .expect_err("text");
    assert!(
        e.issues()
            .iter()
            .any(|i| i.message.contains("第13行 C列") && i.message.contains("“十分”不是数字")),
        "{e}"
    );
    assert_eq!(fingerprint(&ws), before);
    // Results on it are 参考.
    let r = ws
        .save_eval_round(&EvalRoundInput::named("自查"))
        .expect("round");
    let res = ws.eval_results(r.id).expect("results");
    assert_eq!(res.score_label, "自评分（参考）");
    assert!(res.notes.iter().any(|n| n.contains("参考")));
}

/// A system whose 分值 sit on its 二级 groups (merged over their indicators), none on the
/// indicators: the office scale is taken from the groups, each group's points spread over its
/// own indicators, adding up to the group exactly, and labelled 参考.
#[test]
fn a_system_scored_by_group_gives_the_office_scale_each_groups_points() {
    let (_d, mut ws) = shifan_tests::fresh();
    ws.create_campaign(&shifan_core::model::NewCampaign {
        district: "曾都区".into(),
        name: None,
        level: Some("省级".into()),
        system_key: None,
        system_file: Some(
            fixture("fidelity-habits/indicators/score-merged-per-group.xlsx")
                .display()
                .to_string(),
        ),
    })
    .expect("campaign on a system scored by group");
    let before = ws.scoring_model().expect("model");
    assert!(!before.system_has_points, "no indicator carries a 分值");
    assert!(before.heading_groups > 1, "{}", before.heading_groups);
    assert!(
        before.heading_notes.is_empty(),
        "{:?}",
        before.heading_notes
    );
    assert_eq!(before.missing, before.indicators.len() as i64);

    let m = ws.distribute_heading_points().expect("spread by groups");
    assert_eq!(m.points_source, PointsSource::Office);
    assert!(
        m.reference,
        "the split inside a group is not official: 参考"
    );
    assert_eq!(m.missing, 0);
    assert_eq!(
        m.office_total,
        Points::whole(100),
        "the groups' points, no more"
    );
    // Each scored group's indicators add up to its 分值.
    let tree = ws.indicator_tree(None).expect("tree");
    let office: std::collections::HashMap<i64, Points> = m
        .indicators
        .iter()
        .filter_map(|i| Some((i.indicator_id, i.office_points?)))
        .collect();
    let mut groups = 0;
    shifan_core::indicators::walk(&tree.roots, &mut |n, _| {
        let Some(score) = n.score.filter(|_| !n.is_leaf) else {
            return;
        };
        groups += 1;
        let sum: Points = n.children.iter().map(|c| office[&c.id]).sum();
        assert_eq!(sum, Points::from_f64(score).expect("points"), "{}", n.title);
    });
    assert_eq!(groups, before.heading_groups);
    // On the demo system, whose headings carry no 分值, it is refused in Chinese.
    let (_d2, mut demo) = with_demo_campaign();
    let err = demo
        .distribute_heading_points()
        .expect_err("no heading points");
    assert!(err.to_string().contains("各级标题都没有分值"), "{err}");
}

#[test]
fn rules_caps_floors_grades_and_case_files_through_the_workspace() {
    let (_d, mut ws) = eval_setup();
    let rid = round_id(&ws);
    let zw = ws.eval_expert_by_key("张卫东").expect("e").id;
    // Indicator 3 is worth 10.5.
    let ind = indicator(&ws, 3);
    let rules = ws
        .save_rules(
            ind,
            &[
                RuleInput {
                    id: None,
                    kind: RuleKind::PerItem,
                    text: "每少一次扣0.3分，累计扣分不超过1.2分".into(),
                    amount: Some(p("0.3")),
                    cap: Some(p("1.2")),
                },
                RuleInput {
                    id: None,
                    kind: RuleKind::Fixed,
                    text: "未成立领导小组的扣0.5分".into(),
                    amount: Some(p("0.5")),
                    cap: None,
                },
                RuleInput {
                    id: None,
                    kind: RuleKind::Zero,
                    text: "未开展的不得分".into(),
                    amount: None,
                    cap: None,
                },
            ],
        )
        .expect("rules");
    let mark = |ws: &mut Workspace, uses: Vec<RuleUse>| {
        ws.save_mark(&MarkInput {
            round_id: rid,
            indicator_id: ind,
            expert_id: Some(zw),
            rules: uses,
            reason: "按评分标准扣分".into(),
            ..Default::default()
        })
        .expect("mark")
    };
    let use_ = |i: usize, count: i64| RuleUse {
        rule_id: rules[i].id,
        count,
        amount: None,
    };
    // Five misses at 0.3 capped at 1.2, plus 0.5: 10.5 − 1.7.
    let row = mark(&mut ws, vec![use_(0, 5), use_(1, 1)]);
    assert_eq!(row.marks[0].deduction, Some(p("1.7")));
    assert_eq!(row.score, Some(p("8.8")));
    // 不得分 with the rest: never below zero (扣完为止).
    let row = mark(&mut ws, vec![use_(0, 5), use_(2, 1)]);
    assert_eq!(
        (row.score, row.marks[0].deduction),
        (Some(Points::ZERO), Some(p("10.5")))
    );
    // A rule in use cannot be removed.
    let e = ws.save_rules(ind, &[]).expect_err("in use");
    assert!(e.to_string().contains("已被 1 条评分使用"), "{e}");
    // A score above the 分值 is refused in the app too.
    let e = ws
        .save_mark(&MarkInput {
            round_id: rid,
            indicator_id: ind,
            expert_id: Some(zw),
            score: Some(p("11")),
            ..Default::default()
        })
        .expect_err("above");
    assert!(e.to_string().contains("超过该指标的分值 10.5"), "{e}");
    // Grade scoring: 基本达标 is 60% of 10.5.
    let m = ws.scoring_model().expect("model");
    ws.save_scoring_model(&ModelInput {
        points_source: m.points_source,
        method: ScoringMethod::Grade,
        grade_shares: m.grade_shares,
        bonus_cap: m.bonus_cap,
        weights: m.weights,
    })
    .expect("grade");
    let row = ws
        .save_mark(&MarkInput {
            round_id: rid,
            indicator_id: ind,
            expert_id: Some(zw),
            grade: Some(Grade::Basic),
            ..Default::default()
        })
        .expect("grade mark");
    assert_eq!(row.score, Some(p("6.3")));
    // Case files count into an indicator nobody marked: mean 得分率 × 分值.
    let five = indicator(&ws, 5);
    for (no, s) in [("曾罚决字〔2025〕1号", "92"), ("曾罚决字〔2025〕2号", "80")] {
        ws.save_case_file(&CaseInput {
            id: None,
            round_id: rid,
            unit_id: None,
            case_no: no.into(),
            case_type: "行政处罚".into(),
            score: p(s),
            full: None,
            problems: "文书说理不足".into(),
            indicator_id: Some(five),
            reviewer: "李敏".into(),
        })
        .expect("case");
    }
    let r = ws.eval_results(rid).expect("results");
    let i5 = r
        .aspects
        .iter()
        .flat_map(|a| &a.indicators)
        .find(|i| i.no == 5)
        .expect("5");
    assert_eq!((i5.source, i5.score), (ScoreSource::Cases, Some(p("8.6"))));
    assert_eq!(i5.case_count, 2);
}

#[test]
fn a_triggered_veto_flags_the_round_and_bonus_and_composite_stay_apart() {
    let (_d, mut ws) = eval_exported();
    collect(&mut ws, "eval/collect");
    let rid = round_id(&ws);
    let base = ws.eval_results(rid).expect("results");
    assert!(!base.flagged);
    let vetoes = ws
        .save_vetoes(&[VetoInput {
            id: None,
            text: "发生重大违法行政决策事件".into(),
            indicator_id: None,
            note: String::new(),
        }])
        .expect("veto list");
    ws.set_veto_hit(rid, vetoes[0].id, true, "某部门未经合法性审查作出决策")
        .expect("hit");
    let flagged = ws.eval_results(rid).expect("results");
    assert!(flagged.flagged);
    assert_eq!(flagged.total, base.total, "a veto changes no number");
    assert!(
        ws.save_vetoes(&[]).is_err(),
        "a triggered veto cannot silently disappear"
    );
    // 附加项 outside the base total, within the cap.
    let m = ws.scoring_model().expect("model");
    ws.save_scoring_model(&ModelInput {
        points_source: m.points_source,
        method: m.method,
        grade_shares: m.grade_shares,
        bonus_cap: Some(Points::whole(3)),
        weights: m.weights,
    })
    .expect("cap");
    for (t, v) in [("获评省级示范项目", "2"), ("经验被推广", "2")] {
        ws.save_bonus(&BonusInput {
            id: None,
            round_id: rid,
            text: t.into(),
            points: p(v),
            note: String::new(),
        })
        .expect("bonus");
    }
    let r = ws.eval_results(rid).expect("results");
    assert_eq!(r.total, base.total, "附加项 kept apart from the base total");
    assert_eq!((r.bonus.raw, r.bonus.applied), (p("4"), p("3")));
    assert_eq!(r.total_with_bonus, r.total.score + p("3"));
    // The composite: blank weights give no total; set weights and parts give their sum.
    assert_eq!(r.composite.total, None);
    assert!(r.composite.note.contains("权重未设置"));
    let mut round = ws.eval_round_by_key(EVAL_ROUND).expect("round");
    round.site_score = Some(p("88"));
    round.satisfaction.rate = Some(p("91.09"));
    round.satisfaction.sample = Some(1200);
    round.satisfaction.method = "12340 电话调查".into();
    ws.save_eval_round(&EvalRoundInput {
        id: Some(round.id),
        name: round.name.clone(),
        kind: round.kind,
        held_on: round.held_on.clone(),
        note: round.note.clone(),
        site_score: round.site_score,
        site_note: String::new(),
        satisfaction: round.satisfaction.clone(),
    })
    .expect("round");
    let m = ws.scoring_model().expect("model");
    let mut weights = m.weights;
    weights.written = Some(p("50"));
    weights.site = Some(p("30"));
    weights.satisfaction = Some(p("20"));
    ws.save_scoring_model(&ModelInput {
        points_source: m.points_source,
        method: m.method,
        grade_shares: m.grade_shares,
        bonus_cap: m.bonus_cap,
        weights,
    })
    .expect("weights");
    let r = ws.eval_results(rid).expect("results");
    let parts: Vec<Points> = r
        .composite
        .parts
        .iter()
        .map(|x| x.contribution.expect("part"))
        .collect();
    assert_eq!(r.composite.total, Some(parts.iter().copied().sum()));
    assert_eq!(parts[1], p("26.4"));
    assert_eq!(parts[2], p("18.22"));
    assert!(r.composite.parts[2].detail.contains("样本 1200 个"));
}

#[test]
fn each_deduction_becomes_a_problem_draft_for_the_lead_unit_with_the_reason() {
    let (_d, mut ws) = eval_exported();
    collect(&mut ws, "eval/collect");
    let rid = round_id(&ws);
    let r = ws.eval_results(rid).expect("results");
    let drafts = ws.deductions_for_problems(rid).expect("drafts");
    assert_eq!(drafts.len(), r.lost_ranking.len());
    assert_eq!(drafts.iter().map(|d| d.lost).sum::<Points>(), r.total.lost);
    let tasks = ws
        .list_assignments(&Default::default())
        .expect("assignments");
    for d in &drafts {
        let a = tasks.iter().find(|a| a.no == d.no).expect("assignment");
        let leads: Vec<String> = a.leads.iter().map(|u| u.name.clone()).collect();
        assert_eq!(d.lead_units, leads, "indicator {}", d.no);
        assert!(
            d.requirement.contains(&format!("指标{}", d.no)),
            "{}",
            d.requirement
        );
        assert!(d.description.starts_with(EVAL_ROUND));
    }
}

#[test]
fn the_demo_tells_a_story_the_second_round_better_two_indicators_still_losing_most() {
    let (_d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let rounds = ws.eval_rounds().expect("rounds");
    assert_eq!(rounds.len(), 2);
    let r1 = ws.eval_results(rounds[0].id).expect("r1");
    let r2 = ws.eval_results(rounds[1].id).expect("r2");
    assert!(r2.total.score > r1.total.score);
    assert!(
        r1.flagged && !r2.flagged,
        "the veto of round one is cleared"
    );
    for r in [&r1, &r2] {
        let top: Vec<i64> = r.lost_ranking.iter().take(2).map(|l| l.no).collect();
        assert_eq!(top, vec![50, 68], "{}", r.round.name);
        assert!(r.reference);
    }
    assert_eq!(r2.previous.as_ref().map(|p| p.round_id), Some(rounds[0].id));
    let trend = ws.eval_trend().expect("trend");
    assert_eq!(trend.len(), 2);
    assert!(trend[1].total.rate > trend[0].total.rate);
    assert!(!ws.case_files(rounds[0].id).expect("cases").is_empty());
}

/// Random marks through the workspace (stored, read back, valued): every total is the sum of
/// its parts, exactly.
#[test]
fn random_marks_through_the_store_add_up_exactly() {
    let (_d, mut ws) = eval_setup();
    let rid = round_id(&ws);
    let experts: Vec<i64> = ws
        .eval_experts()
        .expect("experts")
        .iter()
        .map(|e| e.id)
        .collect();
    let leaves = ws.indicator_leaves(None, None).expect("leaves");
    let mut seed: u64 = 0x5EED_0013;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for l in leaves.iter().take(60) {
        let max = max_of(l.no).hundredths() as u64;
        for e in &experts {
            if next(3) == 0 {
                continue;
            }
            let v = Points::from_hundredths(next(max + 1) as i64);
            let input = if next(2) == 0 {
                MarkInput {
                    score: Some(v),
                    ..Default::default()
                }
            } else {
                MarkInput {
                    deduction: Some(v),
                    reason: "随机扣分".into(),
                    ..Default::default()
                }
            };
            ws.save_mark(&MarkInput {
                round_id: rid,
                indicator_id: l.id,
                expert_id: Some(*e),
                ..input
            })
            .expect("mark");
        }
    }
    let r = ws.eval_results(rid).expect("results");
    let mut total = Points::ZERO;
    for a in &r.aspects {
        let s: Points = a.indicators.iter().filter_map(|i| i.score).sum();
        let lost: Points = a.indicators.iter().filter_map(|i| i.lost).sum();
        assert_eq!((a.score, a.lost), (s, lost), "{}", a.label);
        total += s;
    }
    assert_eq!(r.total.score, total);
    assert_eq!(r.total.score + r.total.lost, r.total.max);
    let json = serde_json::to_value(&r).expect("json");
    assert!(json["total"]["score"].is_number());
    assert!(json["aspects"][0]["indicators"][0].get("lost").is_some());
}

#[test]
fn an_expert_with_marks_cannot_be_deleted_and_a_round_needs_assignments_to_export() {
    let (d, mut ws) = eval_exported();
    collect(&mut ws, "eval/collect");
    let zw = ws.eval_expert_by_key("张卫东").expect("e").id;
    let e = ws.delete_expert(zw).expect_err("has marks");
    assert!(e.to_string().contains("已有 40 条评分"), "{e}");
    let r2 = ws
        .save_eval_round(&EvalRoundInput::named("模拟评估二"))
        .expect("round 2");
    let e = ws
        .export_score_sheets(r2.id, &d.path().join("二"), &Job::quiet())
        .expect_err("no assignments");
    assert!(
        e.to_string().contains("还没有为任何专家分配评分指标"),
        "{e}"
    );
    assert!(
        ws.save_eval_round(&EvalRoundInput::named("模拟评估二"))
            .is_err(),
        "names are unique"
    );
}

#[test]
fn an_experts_corrected_sheet_with_written_deductions_replaces_the_experts_first_return() {
    let (d, mut ws) = eval_exported();
    let first = fixture("eval/collect/模拟评估一-张卫东-评分表.xlsx");
    collect(&mut ws, "eval/collect/模拟评估一-张卫东-评分表.xlsx");
    let again = d.path().join("模拟评估一-张卫东-评分表（修改）.xlsx");
    shifan_tests::rewrite_returned(
        &first,
        &again,
        |sheet, r, c, _| match (sheet, r, c) {
            ("评分表", 3, 7) => Some("扣2分".into()),
            ("评分表", 3, 10) => Some("窗口事项未全部进驻。".into()),
            ("评分表", 4, 7) => Some(String::new()),
            ("评分表", 4, 8) => Some("扣 1 分".into()),
            ("评分表", 5, 7) => Some("满分".into()),
            _ => None,
        },
        &[],
    );
    let pv = ws
        .preview(&ScoreSheetsImport::new(&again), &Job::quiet())
        .expect("preview");
    assert!(pv.can_apply, "{:?}", pv.issues);
    let s = &pv.sheets[0];
    assert!(
        s.conflicts.is_empty(),
        "its own first return: {:?}",
        s.conflicts
    );
    let scores: Vec<(i64, &str)> = s
        .changes
        .iter()
        .filter(|c| c.field == "评分")
        .map(|c| (c.no, c.new.as_str()))
        .collect();
    assert_eq!(scores, [(1, "8分"), (2, "9分")], "{:?}", s.changes);
    assert!(
        pv.issues.iter().any(|i| i.row == Some(4)
            && i.col.as_deref() == Some("H")
            && i.message.contains("减 2 记为 8 分")),
        "{:?}",
        pv.issues
    );
    ws.apply(&ScoreSheetsImport::new(&again), &Job::quiet())
        .expect("apply");
    let grid = ws.eval_grid(round_id(&ws)).expect("grid");
    let row = |no: i64| grid.rows.iter().find(|r| r.no == no).expect("row");
    assert_eq!(row(1).marks[0].score, Some(p("8")));
    assert_eq!(row(2).marks[0].score, Some(p("9")));
}
