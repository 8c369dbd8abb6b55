//! Importing official indicator systems as offices make them, and refusing bad files cleanly.

use shifan_core::indicators::{self, walk};
use shifan_core::model::Severity;
use shifan_tests::{fingerprint, fixture, fresh, manifest, with_demo_campaign};

#[test]
fn every_good_fixture_previews_and_imports_with_the_right_shape() {
    let mut checked = 0;
    for e in manifest().iter().filter(|e| e["expect"] == "ok") {
        let file = e["file"].as_str().expect("file");
        let path = fixture(&format!("indicators/{file}"));
        let (_d, mut ws) = with_demo_campaign();
        let before = fingerprint(&ws);
        let p = ws
            .preview(
                &shifan_core::IndicatorImport::new(&path, false),
                &shifan_core::Job::quiet(),
            )
            .unwrap_or_else(|err| panic!("{file}: {err}"));
        assert_eq!(fingerprint(&ws), before, "{file}: a preview stores nothing");
        let errors: Vec<_> = p
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert!(p.can_apply && errors.is_empty(), "{file}: {errors:?}");
        assert_eq!(
            p.leaf_count,
            e["leaf_count"].as_i64().expect("n"),
            "{file}: indicator count"
        );
        assert_eq!(
            p.level_names.len() as i64,
            e["levels"].as_i64().expect("levels"),
            "{file}: levels {:?}",
            p.level_names
        );
        if let Some(lc) = e.get("level_counts") {
            let mut want: Vec<i64> = lc
                .as_array()
                .expect("arr")
                .iter()
                .map(|v| v.as_i64().expect("n"))
                .collect();
            want.pop();
            assert_eq!(p.branch_counts, want, "{file}: headings per level");
        }

        let s = ws
            .apply(
                &shifan_core::IndicatorImport::new(&path, true),
                &shifan_core::Job::quiet(),
            )
            .unwrap_or_else(|err| panic!("{file}: {err}"));
        assert_eq!(
            s.leaf_count, p.leaf_count,
            "{file}: stored what was previewed"
        );
        let leaves = ws.indicator_leaves(None, None).expect("leaves");
        let nos: Vec<i64> = leaves.iter().map(|l| l.no).collect();
        let (first, last) = (
            e["first_no"].as_i64().expect("first"),
            e["last_no"].as_i64().expect("last"),
        );
        assert_eq!(
            nos,
            (first..=last).collect::<Vec<_>>(),
            "{file}: numbers in order without gaps"
        );
        let needle = e["contains"].as_str().expect("contains");
        assert!(
            !ws.indicator_leaves(None, Some(needle))
                .expect("search")
                .is_empty(),
            "{file}: finds {needle}"
        );
        for l in &leaves {
            assert!(!l.text.trim().is_empty(), "{file}: no. {} has text", l.no);
            assert_eq!(
                l.path.len() + 1,
                p.level_names.len(),
                "{file}: no. {} sits at the leaf level",
                l.no
            );
        }
        if let Some(sum) = e.get("score_sum").and_then(|v| v.as_f64()) {
            let got: f64 = leaves.iter().filter_map(|l| l.score).sum();
            assert!((got - sum).abs() < 1e-6, "{file}: 分值 sum {got} != {sum}");
        }
        if let Some(bad) = e.get("must_not_contain").and_then(|v| v.as_str()) {
            assert!(
                leaves.iter().all(|l| !l.text.contains(bad)),
                "{file}: no {bad} in texts"
            );
        }
        if let Some(map) = e.get("text_of_lf").and_then(|v| v.as_object()) {
            for (no, want) in map {
                let l = leaves
                    .iter()
                    .find(|l| l.no.to_string() == *no)
                    .expect("leaf");
                assert_eq!(
                    l.text,
                    want.as_str().expect("s"),
                    "{file}: line breaks of no. {no}"
                );
            }
        }
        checked += 1;
    }
    assert!(
        checked >= 10,
        "manifest lists the good fixtures ({checked})"
    );
}

#[test]
fn every_bad_fixture_is_refused_with_its_place_and_changes_nothing() {
    let mut checked = 0;
    for e in manifest().iter().filter(|e| e["expect"] == "error") {
        let file = e["file"].as_str().expect("file");
        let path = fixture(&format!("indicators/{file}"));
        let (_d, mut ws) = with_demo_campaign();
        let before = fingerprint(&ws);
        // The preview either fails outright or shows errors that block applying.
        let message = match ws.preview(
            &shifan_core::IndicatorImport::new(&path, false),
            &shifan_core::Job::quiet(),
        ) {
            Err(err) => err.to_string(),
            Ok(p) => {
                assert!(!p.can_apply, "{file}: must not be applicable");
                p.issues
                    .iter()
                    .filter(|i| i.severity == Severity::Error)
                    .map(|i| i.message.clone())
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        };
        let applied = ws
            .apply(
                &shifan_core::IndicatorImport::new(&path, true),
                &shifan_core::Job::quiet(),
            )
            .expect_err(file)
            .to_string();
        for m in e["error_mentions"].as_array().expect("mentions") {
            let m = m.as_str().expect("s");
            assert!(
                message.contains(m),
                "{file}: preview message names {m}: {message}"
            );
            assert!(
                applied.contains(m) || applied.contains(file),
                "{file}: apply message: {applied}"
            );
        }
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{file}: Chinese message"
        );
        assert_eq!(fingerprint(&ws), before, "{file}: nothing changed");
        checked += 1;
    }
    assert!(checked >= 10, "manifest lists the bad fixtures ({checked})");
}

#[test]
fn reimporting_a_corrected_file_keeps_indicator_ids() {
    let (_d, mut ws) = with_demo_campaign();
    let path = fixture("indicators/official-merged-title-rows.xlsx");
    let s1 = ws
        .apply(
            &shifan_core::IndicatorImport::new(&path, true),
            &shifan_core::Job::quiet(),
        )
        .expect("first");
    let first = ws.indicator_leaves(None, None).expect("leaves");
    let s2 = ws
        .apply(
            &shifan_core::IndicatorImport::new(&path, true),
            &shifan_core::Job::quiet(),
        )
        .expect("again");
    assert_eq!(s1.id, s2.id, "same system updated in place, not duplicated");
    let again = ws.indicator_leaves(None, None).expect("leaves");
    assert_eq!(first, again, "ids, numbers and texts unchanged");
    assert_eq!(
        ws.list_systems().expect("systems").len(),
        2,
        "demo + the imported one"
    );
}

#[test]
fn a_system_can_come_from_a_word_table_or_a_legacy_sheet_with_the_same_result() {
    let (_d, ws) = fresh();
    let texts = |f: &str| -> Vec<(i64, String)> {
        let p = ws
            .preview(
                &shifan_core::IndicatorImport::new(fixture(&format!("indicators/{f}")), false),
                &shifan_core::Job::quiet(),
            )
            .expect(f);
        let mut out = Vec::new();
        walk(&p.roots, &mut |n, _| {
            if let Some(no) = n.no {
                out.push((no, n.title.clone()));
            }
        });
        out
    };
    let xlsx = texts("official-merged-title-rows.xlsx");
    assert_eq!(texts("libreoffice-made.xls"), xlsx);
    assert_eq!(texts("libreoffice-made.ods"), xlsx);
    let docx = texts("official-table.docx");
    assert_eq!(docx.len(), 100);
    assert_eq!(
        docx.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        (1..=100).collect::<Vec<_>>()
    );
}

#[test]
fn chinese_paths_with_spaces_work() {
    let (d, mut ws) = with_demo_campaign();
    let dir = d.path().join("依法治区办 文件").join("2025年 指标");
    std::fs::create_dir_all(&dir).expect("dir");
    let p = shifan_tests::copy_as(
        &fixture("indicators/official-table.docx"),
        &dir,
        "附件1 示范指标体系（2021年版）.docx",
    );
    let s = ws
        .apply(
            &shifan_core::IndicatorImport::new(&p, false),
            &shifan_core::Job::quiet(),
        )
        .expect("imports");
    assert_eq!(s.version, "2021年版", "version read from the file name");
    assert_eq!(s.leaf_count, 100);
}

#[test]
fn search_finds_any_substring_including_numbers_and_headings() {
    let (_d, ws) = with_demo_campaign();
    let tree = ws.indicator_tree(None).expect("tree");
    let hits = indicators::search(&tree, "重大行政决策");
    assert!(hits.len() >= 5, "{}", hits.len());
    assert!(
        hits.iter().all(|l| l.text.contains("重大行政决策")
            || l.path.iter().any(|p| p.contains("重大行政决策")))
    );
    let by_heading = indicators::search(&tree, "行政复议");
    assert!(
        by_heading
            .iter()
            .any(|l| l.path.iter().any(|p| p.contains("行政复议")))
    );
    assert_eq!(
        indicators::search(&tree, "67")
            .iter()
            .map(|l| l.no)
            .collect::<Vec<_>>(),
        vec![67]
    );
    assert!(indicators::search(&tree, "并不存在的文字").is_empty());
}

#[test]
fn the_tree_and_the_task_matrix_show_a_heading_the_same_way() {
    let (_d, ws) = with_demo_campaign();
    let tree = ws.indicator_tree(None).expect("tree");
    // Each node's label is the core's heading label, as the exports print it.
    let mut by_leaf: std::collections::HashMap<i64, Vec<String>> = Default::default();
    walk(&tree.roots, &mut |n, path| {
        assert_eq!(n.label, indicators::heading_label(n), "{}", n.uid);
        if let Some(no) = n.no {
            by_leaf.insert(no, path.iter().map(|p| p.label.clone()).collect());
        }
    });
    assert_eq!(tree.roots[0].label, "一、政府职能依法全面履行");
    assert!(tree.roots[0].children[0].label.starts_with("（一）"));
    // The task matrix names every indicator's headings with the very same labels.
    let rows = ws
        .list_assignments(&shifan_core::tasks::AssignmentFilter::default())
        .expect("assignments");
    assert_eq!(rows.len(), 100);
    for a in &rows {
        assert_eq!(Some(&a.path), by_leaf.get(&a.no), "indicator {}", a.no);
    }
    // And the label crosses to the UI.
    let json = serde_json::to_value(&tree).expect("json");
    assert_eq!(json["roots"][0]["label"], "一、政府职能依法全面履行");
}

/// A 分值 merged over the indicators of one group is that group's score, in every format:
/// the headings carry it after applying, the indicators carry none, and the scores of the
/// groups add up to what the file means (100), never a copy per indicator.
#[test]
fn a_score_merged_over_a_group_is_stored_on_the_group_in_every_format() {
    for file in [
        "score-merged-per-group.xlsx",
        "score-merged-per-group-libreoffice.xls",
        "score-merged-per-group-libreoffice.ods",
        "word-score-vmerged-per-group.docx",
    ] {
        let path = fixture(&format!("fidelity-habits/indicators/{file}"));
        let (_d, mut ws) = with_demo_campaign();
        let info = ws
            .apply(
                &shifan_core::IndicatorImport::new(&path, false),
                &shifan_core::Job::quiet(),
            )
            .unwrap_or_else(|err| panic!("{file}: {err}"));
        let tree = ws.indicator_tree(Some(info.id)).expect("tree");
        let (mut heading_sum, mut leaf_scores, mut first_group) = (0.0, 0, None);
        walk(&tree.roots, &mut |n, _| {
            if n.is_leaf {
                leaf_scores += usize::from(n.score.is_some());
            } else if let Some(s) = n.score {
                assert_eq!(n.depth, 1, "{file}: only 二级 headings carry a score");
                heading_sum += s;
                first_group.get_or_insert((n.title.clone(), s));
            }
        });
        assert_eq!(leaf_scores, 0, "{file}: no indicator has a copied score");
        assert!((heading_sum - 100.0).abs() < 1e-9, "{file}: {heading_sum}");
        assert_eq!(
            first_group,
            Some(("深化行政审批制度改革".to_string(), 4.0)),
            "{file}"
        );
    }
}
