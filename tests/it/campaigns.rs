//! First start, several campaigns, switching systems.

use shifan_core::model::NewCampaign;
use shifan_tests::{fingerprint, fixture, fresh};

fn new(district: &str, key: Option<&str>, file: Option<&std::path::Path>) -> NewCampaign {
    NewCampaign {
        district: district.into(),
        name: None,
        level: None,
        system_key: key.map(Into::into),
        system_file: file.map(|p| p.display().to_string()),
    }
}

#[test]
fn first_start_has_the_demo_system_and_no_campaign() {
    let (_d, ws) = fresh();
    let st = ws.status().expect("status");
    assert!(st.active.is_none() && st.campaigns.is_empty());
    let systems = ws.list_systems().expect("systems");
    let demo = systems
        .iter()
        .find(|s| s.key == "demo")
        .expect("demo embedded");
    assert!(demo.is_demo && demo.embedded);
    assert_eq!(demo.leaf_count, 100);
    assert_eq!(demo.branch_count, 32);
    assert!(
        !systems
            .iter()
            .any(|s| s.name.contains("2021") && s.leaf_count < 100),
        "the incomplete national text is not offered"
    );
}

#[test]
fn a_campaign_from_an_official_file_is_bound_to_it_and_reopens() {
    let (d, mut ws) = fresh();
    let c = ws
        .create_campaign(&new(
            "曾都区",
            None,
            Some(&fixture("indicators/official-table-gridspan.docx")),
        ))
        .expect("creates");
    assert_eq!(c.district, "曾都区");
    assert!(!c.system_is_demo);
    assert_eq!(c.name, "曾都区法治政府建设示范创建（省级）");
    let dir = ws.data_dir().to_path_buf();
    drop(ws);
    let ws = shifan_core::Workspace::open(&dir).expect("reopens");
    let st = ws.status().expect("status");
    assert_eq!(st.active.as_ref().map(|a| a.id), Some(c.id));
    assert_eq!(ws.indicator_leaves(None, None).expect("leaves").len(), 100);
    drop(d);
}

#[test]
fn several_campaigns_can_be_switched_and_rebound() {
    let (_d, mut ws) = fresh();
    let a = ws
        .create_campaign(&new("曾都区", Some("demo"), None))
        .expect("a");
    let mut n = new("曾都区", Some("demo"), None);
    n.level = Some("全国".into());
    let b = ws.create_campaign(&n).expect("b");
    assert_eq!(
        ws.status().expect("s").active.map(|c| c.id),
        Some(b.id),
        "the new campaign is active"
    );
    let a2 = ws.switch_campaign(a.id).expect("switch");
    assert!(a2.active);
    let s = ws
        .apply(
            &shifan_core::IndicatorImport::new(fixture("indicators/national-104.xlsx"), false),
            &shifan_core::Job::quiet(),
        )
        .expect("import");
    let a3 = ws.set_campaign_system(s.id).expect("rebind");
    assert_eq!(a3.system_id, s.id);
    assert_eq!(ws.indicator_leaves(None, None).expect("l").len(), 104);
    ws.switch_campaign(b.id).expect("switch");
    assert_eq!(
        ws.indicator_leaves(None, None).expect("l").len(),
        100,
        "the other campaign keeps its system"
    );
}

#[test]
fn invalid_input_is_refused_in_chinese_and_stores_nothing() {
    let (_d, mut ws) = fresh();
    let before = fingerprint(&ws);
    let e = ws
        .create_campaign(&new("  ", Some("demo"), None))
        .expect_err("empty district");
    assert_eq!(e.kind(), "invalid");
    assert!(e.to_string().contains("区（县）名称"));
    let e = ws
        .create_campaign(&new("曾都区", Some("nope"), None))
        .expect_err("unknown system");
    assert_eq!(e.kind(), "notFound");
    let e = ws
        .create_campaign(&new(
            "曾都区",
            None,
            Some(&fixture("indicators/duplicate-numbers.xlsx")),
        ))
        .expect_err("bad file");
    assert_eq!(e.kind(), "import");
    assert!(e.to_string().contains("重复"));
    let e = ws.switch_campaign(99).expect_err("missing");
    assert_eq!(e.kind(), "notFound");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn every_change_is_in_the_operation_log() {
    let (_d, mut ws) = fresh();
    ws.create_campaign(&new("曾都区", Some("demo"), None))
        .expect("a");
    ws.apply(
        &shifan_core::IndicatorImport::new(fixture("indicators/four-level.xlsx"), false),
        &shifan_core::Job::quiet(),
    )
    .expect("import");
    let actions: Vec<String> = ws
        .list_oplog(&Default::default())
        .expect("log")
        .entries
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"新建创建项目".to_string())
            && actions.contains(&"导入指标体系".to_string()),
        "{actions:?}"
    );
}
