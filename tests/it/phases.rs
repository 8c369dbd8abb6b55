//! 创建阶段: the six phases planned from the 申报 month, their work, and the gates before
//! 集中申报 with an explicit, logged override.

use chrono::NaiveDate;
use shifan_core::phases::{GateKind, PhaseEventInput, PhaseInput, PhaseKey};
use shifan_tests::{fingerprint, with_demo_campaign};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[test]
fn phases_are_planned_from_the_apply_month_and_keep_their_work() {
    let (_d, mut ws) = with_demo_campaign();
    let v = ws.list_phases().expect("phases");
    assert_eq!(
        v.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(),
        [
            "宣传动员",
            "自查自纠",
            "整改提升",
            "模拟评估",
            "集中申报",
            "迎接验收"
        ]
    );
    assert!(v.iter().all(|p| p.planned_start.is_none() && !p.current));
    let v = ws.plan_phases("2023-05").expect("plan");
    assert_eq!(v[0].planned_start.as_deref(), Some("2022-11-01"));
    assert_eq!(v[4].planned_start.as_deref(), Some("2023-05-01"));
    // A meeting plan: 7 推进会 and 7 专题培训 over the year.
    for i in 0..7 {
        for (kind, phase) in [
            ("推进会", PhaseKey::Rectify),
            ("专题培训", PhaseKey::SelfCheck),
        ] {
            ws.save_phase_event(&PhaseEventInput {
                id: None,
                phase,
                kind: kind.into(),
                date: format!("2023-0{}-1{}", 1 + i % 4, i),
                title: format!("第{}次{kind}", i + 1),
                attendees: "各责任单位分管领导、联络员".into(),
                file: String::new(),
                note: String::new(),
            })
            .expect("event");
        }
    }
    let v = ws.list_phases().expect("phases");
    let rectify = v
        .iter()
        .find(|p| p.key == PhaseKey::Rectify)
        .expect("rectify");
    assert_eq!(rectify.events.len(), 7);
    assert!(
        rectify.events.windows(2).all(|w| w[0].date <= w[1].date),
        "by date"
    );
    // Re-planning from another month keeps actual dates and notes.
    ws.save_phases(&[PhaseInput {
        key: PhaseKey::Mobilize,
        planned_start: v[0].planned_start.clone(),
        planned_end: v[0].planned_end.clone(),
        actual_start: Some("2022-11-10".into()),
        actual_end: None,
        note: "召开动员大会".into(),
    }])
    .expect("save");
    let v = ws.plan_phases("2023-06").expect("replan");
    assert_eq!(v[0].planned_start.as_deref(), Some("2022-12-01"));
    assert_eq!(v[0].actual_start.as_deref(), Some("2022-11-10"));
    assert_eq!(v[0].note, "召开动员大会");
}

#[test]
fn bad_dates_and_kinds_are_refused_in_chinese_and_change_nothing() {
    let (_d, mut ws) = with_demo_campaign();
    let before = fingerprint(&ws);
    let e = ws
        .save_phases(&[PhaseInput {
            key: PhaseKey::Apply,
            planned_start: Some("2023-06-30".into()),
            planned_end: Some("2023-06-01".into()),
            ..PhaseInput::default()
        }])
        .expect_err("end before start");
    assert!(
        e.to_string().contains("集中申报") && e.to_string().contains("早于"),
        "{e}"
    );
    let e = ws
        .save_phases(&[PhaseInput {
            key: PhaseKey::Apply,
            planned_start: Some("2023年6月".into()),
            ..PhaseInput::default()
        }])
        .expect_err("format");
    assert!(e.to_string().contains("2023-03-15"), "{e}");
    let e = ws
        .save_phase_event(&PhaseEventInput {
            id: None,
            phase: PhaseKey::Apply,
            kind: "聚餐".into(),
            date: "2023-05-01".into(),
            title: "x".into(),
            attendees: String::new(),
            file: String::new(),
            note: String::new(),
        })
        .expect_err("kind");
    assert!(e.to_string().contains("推进会"), "{e}");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn entering_a_phase_sets_its_dates_and_gates_are_configurable() {
    let (_d, mut ws) = with_demo_campaign();
    ws.plan_phases("2023-05").expect("plan");
    let v = ws
        .apply_phase_move(PhaseKey::SelfCheck, day("2023-01-05"), None)
        .expect("enter");
    let sc = v.iter().find(|p| p.current).expect("current");
    assert_eq!(sc.key, PhaseKey::SelfCheck);
    assert_eq!(sc.actual_start.as_deref(), Some("2023-01-05"));
    let v = ws
        .apply_phase_move(PhaseKey::Rectify, day("2023-02-01"), None)
        .expect("next");
    let prev = v
        .iter()
        .find(|p| p.key == PhaseKey::SelfCheck)
        .expect("prev");
    assert_eq!(
        prev.actual_end.as_deref(),
        Some("2023-02-01"),
        "the phase before ends"
    );
    // By default the three gates guard 集中申报 and nothing else.
    let apply = v.iter().find(|p| p.key == PhaseKey::Apply).expect("apply");
    assert_eq!(apply.gates, GateKind::ALL.to_vec());
    assert!(
        v.iter()
            .filter(|p| p.key != PhaseKey::Apply)
            .all(|p| p.gates.is_empty())
    );
    let v = ws
        .set_phase_gates(PhaseKey::Apply, &[GateKind::OverdueProblems])
        .expect("gates");
    let apply = v.iter().find(|p| p.key == PhaseKey::Apply).expect("apply");
    assert_eq!(apply.gates, vec![GateKind::OverdueProblems]);
    let log = ws.list_oplog(&Default::default()).expect("log");
    assert!(
        log.entries
            .iter()
            .any(|e| e.action == "修改创建阶段" && e.detail.contains("进入“整改提升”阶段"))
    );
}

#[test]
fn the_gates_before_jizhong_shenbao_read_the_ledger_and_the_evidence_library() {
    let (_d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    // The demo's 专项督察 has parts still open after their deadlines, and most indicators
    // have no approved evidence: both gates fail, each with its reason.
    let far = day("2031-01-01");
    let m = ws
        .preview_phase_move(PhaseKey::Apply, far)
        .expect("preview");
    assert!(!m.can_enter);
    let reason = |g: GateKind| {
        m.failures
            .iter()
            .find(|f| f.gate == g)
            .map(|f| f.reason.clone())
    };
    let overdue = reason(GateKind::OverdueProblems).expect("overdue gate");
    assert!(overdue.contains("逾期"), "{overdue}");
    let evidence = reason(GateKind::IndicatorWithoutEvidence).expect("evidence gate");
    assert!(evidence.contains("尚无已通过的佐证材料"), "{evidence}");
    // Long before any deadline nothing is overdue yet.
    let early = ws
        .preview_phase_move(PhaseKey::Apply, day("2000-01-01"))
        .expect("preview");
    assert!(
        early
            .failures
            .iter()
            .all(|f| f.gate != GateKind::OverdueProblems),
        "{:?}",
        early.failures
    );
}
