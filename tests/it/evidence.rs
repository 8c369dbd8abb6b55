//! The evidence library (佐证材料库), as the office uses it: units' packages added (a zip made
//! by Windows with GBK names, a folder full of Windows junk, a single file), filed under
//! indicators, edited, reviewed and returned, answered by the next package, counted against
//! the 任务分解, searched, verified, backed up and handed over, and bound as the archive.
//! Fixtures: tests/fixtures/evidence/ (fixtures/make/make_evidence_fixtures.py).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use shifan_core::evidence::archive::ArchivePlan;
use shifan_core::evidence::completeness::CompletenessState;
use shifan_core::evidence::{
    EvidenceAddOptions, EvidenceAddPreview, EvidenceAssign, EvidenceEdit, EvidenceFilter,
    EvidenceIntake, EvidenceItem, EvidenceReview, ReviewDecision,
};
use shifan_core::progress::{Cancel, Progress};
use shifan_core::{Job, Workspace};
use shifan_tests::{fingerprint, fixture, with_tasks};

fn ev(rel: &str) -> PathBuf {
    fixture(&format!("evidence/{rel}"))
}

fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(ev("manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("json")
}

/// The first packages: the 司法局's Windows zip, the 财政局's junk folder, a single file.
fn first_drop() -> Vec<PathBuf> {
    vec![
        ev("区司法局-佐证材料.zip"),
        ev("区财政局"),
        ev("法治政府建设年度报告（2025年）.pdf"),
    ]
}

fn preview(ws: &Workspace, paths: &[PathBuf]) -> EvidenceAddPreview {
    ws.preview(
        &EvidenceIntake::new(paths.to_vec(), EvidenceAddOptions::default()),
        &Job::quiet(),
    )
    .expect("preview")
}

fn add(ws: &mut Workspace, paths: &[PathBuf]) -> EvidenceAddPreview {
    ws.apply(
        &EvidenceIntake::ingesting(paths.to_vec(), EvidenceAddOptions::default()),
        &Job::quiet(),
    )
    .expect("apply")
}

fn all(ws: &Workspace) -> Vec<EvidenceItem> {
    ws.list_evidence(&EvidenceFilter::default()).expect("list")
}

fn by_name<'a>(items: &'a [EvidenceItem], name: &str) -> &'a EvidenceItem {
    items
        .iter()
        .find(|i| i.file_name == name)
        .unwrap_or_else(|| {
            panic!(
                "no item {name}: {:?}",
                items.iter().map(|i| &i.file_name).collect::<Vec<_>>()
            )
        })
}

fn nos(i: &EvidenceItem) -> Vec<i64> {
    i.indicators.iter().map(|m| m.no).collect()
}

#[test]
fn a_zip_holding_several_units_folders_shows_each_unit_with_its_files_and_names_the_loose_ones() {
    let (d, ws) = with_tasks();
    // The office gathers the units' folders into one zip, plus a file left at the top.
    let path = d.path().join("第一批 佐证材料汇总.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
        for (name, body) in [
            ("区司法局/指标1 权责清单.pdf", "a"),
            ("区财政局/第2项 预算公开.pdf", "b"),
            ("区财政局/第3项 资金管理办法.pdf", "c"),
            ("说明.pdf", "d"),
        ] {
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("start");
            std::io::Write::write_all(&mut z, body.as_bytes()).expect("write");
        }
        z.finish().expect("finish");
    }
    let p = preview(&ws, &[path]);
    let rows: Vec<(String, i64, String)> = p
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.files, g.unit_name.clone()))
        .collect();
    let zip = "第一批 佐证材料汇总.zip".to_string();
    assert_eq!(
        rows,
        [
            (zip.clone(), 1, "区司法局".to_string()),
            (zip.clone(), 2, "区财政局".to_string()),
            (zip.clone(), 1, String::new()),
        ],
        "{:?}",
        p.groups
    );
    assert_eq!(p.groups[0].note, "单位取自其中的“区司法局”");
    // Each file keeps its own unit; the loose one is named in a warning, not given a unit.
    let unit_of = |name: &str| {
        p.files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.unit_name.clone())
            .expect("file")
    };
    assert_eq!(unit_of("第3项 资金管理办法.pdf"), "区财政局");
    assert_eq!(unit_of("说明.pdf"), "");
    let said = p
        .issues
        .iter()
        .find(|i| i.message.contains("不在以单位命名的文件夹中"))
        .unwrap_or_else(|| panic!("{:?}", p.issues));
    assert!(
        said.message.contains("分属“区司法局”、“区财政局”") && said.message.contains("有 1 个文件"),
        "{}",
        said.message
    );
    assert!(p.can_apply);
}

/// A library after the first packages.
fn library() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_tasks();
    add(&mut ws, &first_drop());
    (d, ws)
}

fn object_path(ws: &Workspace, hash: &str) -> PathBuf {
    ws.data_dir()
        .join("evidence/objects")
        .join(&hash[..2])
        .join(&hash[2..])
}

#[test]
fn a_windows_zip_a_junk_folder_and_a_single_file_are_previewed_exactly_then_stored_once_per_content()
 {
    let (_d, mut ws) = with_tasks();
    let m = manifest();
    let before = fingerprint(&ws);
    let p = preview(&ws, &first_drop());
    assert_eq!(fingerprint(&ws), before, "a preview stores nothing");
    assert!(
        !ws.data_dir().join("evidence/objects").exists()
            || std::fs::read_dir(ws.data_dir().join("evidence/objects"))
                .expect("ls")
                .count()
                == 0
    );

    // Units from the zip and folder names; junk skipped and counted, never an error.
    let zip = &m["区司法局-佐证材料.zip"];
    let folder = &m["区财政局"];
    assert_eq!(p.groups.len(), 3);
    assert_eq!(p.groups[0].unit_name, zip["unit"].as_str().expect("unit"));
    assert_eq!(p.groups[0].files, zip["files"].as_i64().expect("n"));
    assert_eq!(
        p.groups[1].unit_name,
        folder["unit"].as_str().expect("unit")
    );
    assert_eq!(p.groups[2].unit_from, "none", "a single file names no unit");
    assert_eq!(
        p.junk_skipped,
        zip["junk"].as_i64().expect("j") + folder["junk"].as_i64().expect("j")
    );
    assert!(
        p.issues
            .iter()
            .all(|i| i.severity == shifan_core::model::Severity::Warning),
        "{:?}",
        p.issues
    );
    // GBK names decoded; indicators from the folder and file names as units write them.
    for (name, want) in zip["indicators"]
        .as_object()
        .expect("map")
        .iter()
        .chain(folder["indicators"].as_object().expect("map"))
    {
        let f = p
            .files
            .iter()
            .find(|f| f.name == *name)
            .unwrap_or_else(|| panic!("{name} in preview"));
        let got: Vec<i64> = f.indicators.iter().map(|m| m.no).collect();
        let want: Vec<i64> = want
            .as_array()
            .expect("nos")
            .iter()
            .filter_map(|v| v.as_i64())
            .collect();
        assert_eq!(got, want, "{name}: {}", f.queue_note);
        if want.is_empty() {
            assert!(!f.queue_note.is_empty(), "{name} says why it waits");
        } else {
            assert!(
                f.indicators
                    .iter()
                    .all(|m| m.confidence >= 80 && !m.reason.is_empty())
            );
        }
    }
    let review = p
        .files
        .iter()
        .find(|f| {
            f.location.starts_with("区司法局-佐证材料.zip/")
                && f.name.starts_with("合法性审核意见书")
        })
        .expect("审核意见书");
    assert_eq!(review.doc_no, "曾司审〔2025〕12号");
    assert_eq!(review.category, "审核");
    let scan = p
        .files
        .iter()
        .find(|f| f.name.starts_with("扫描全能王"))
        .expect("scan");
    assert_eq!(scan.formed_on.as_deref(), Some("2025-04-15"));
    // The 财政局 sent the same bytes as the 司法局: found in the preview already.
    let dup = p
        .files
        .iter()
        .find(|f| f.location.starts_with("区财政局/") && f.name.starts_with("合法性审核意见书"))
        .expect("dup");
    assert_eq!(dup.state, "repeat");
    assert!(
        dup.same_as.contains("区司法局-佐证材料.zip"),
        "{}",
        dup.same_as
    );
    assert_eq!(p.file_count, 12);
    assert_eq!(p.new_count, 11);

    let done = add(&mut ws, &first_drop());
    assert!(done.applied);
    assert_eq!(done.new_count, 11);
    assert_eq!(done.sources_added, 12);
    let items = all(&ws);
    assert_eq!(items.len(), 11, "one item per content");
    let it = by_name(&items, "合法性审核意见书（曾司审〔2025〕12号）.pdf");
    assert_eq!(it.source_count, 2);
    assert_eq!(it.unit_name, "区司法局", "the first sender is the 责任单位");
    assert_eq!(nos(it), vec![16]);
    let d = ws.evidence_detail(it.id).expect("detail");
    let units: Vec<&str> = d.sources.iter().map(|s| s.unit_name.as_str()).collect();
    assert_eq!(units, vec!["区司法局", "区财政局"]);
    assert!(
        d.sources
            .iter()
            .all(|s| !s.added_at.is_empty() && !s.operator.is_empty())
    );
    assert!(d.sources[1].original_path.starts_with("区财政局/"));
    // Stored under the hash of the content, whole.
    let bytes = std::fs::read(object_path(&ws, &it.hash)).expect("object");
    // (the 财政局's copy has the same bytes as the entry in the zip)
    let orig =
        std::fs::read(ev("区财政局/合法性审核意见书（曾司审〔2025〕12号）.pdf")).expect("orig");
    assert_eq!(bytes, orig);
    assert_eq!(it.size as usize, orig.len());
    assert_eq!(it.status, "待审核");
    let queue = ws
        .list_evidence(&EvidenceFilter {
            queue: true,
            ..Default::default()
        })
        .expect("queue");
    assert_eq!(
        queue.len(),
        4,
        "{:?}",
        queue.iter().map(|i| &i.file_name).collect::<Vec<_>>()
    );
    assert!(queue.iter().all(|i| i.in_queue && !i.queue_note.is_empty()));
}

#[test]
fn the_same_package_again_changes_nothing_and_the_same_bytes_from_another_unit_add_a_source() {
    let (_d, mut ws) = library();
    let before = all(&ws);
    let again = add(&mut ws, &[ev("区司法局-佐证材料.zip")]);
    assert_eq!(again.new_count, 0);
    assert_eq!(again.known_count, 6);
    assert_eq!(again.sources_added, 0);
    assert_eq!(all(&ws), before, "re-adding the same package is harmless");
    // The same photo, now from the 财政局 (given in the dialog): one more source.
    let (tmp, photo) = {
        let t = tempfile::tempdir().expect("tmp");
        let p = t.path().join("现场照片.jpg");
        let z = std::fs::File::open(ev("区司法局-佐证材料.zip")).expect("zip");
        let mut z = zip::ZipArchive::new(z).expect("zip");
        let mut bytes = Vec::new();
        for i in 0..z.len() {
            let mut e = z.by_index(i).expect("entry");
            if e.name_raw().ends_with(b"1.jpg") {
                std::io::Read::read_to_end(&mut e, &mut bytes).expect("read");
            }
        }
        std::fs::write(&p, &bytes).expect("write");
        (t, p)
    };
    let p = ws
        .apply(
            &EvidenceIntake::ingesting(
                [photo.clone()],
                EvidenceAddOptions {
                    unit: Some("财政局".into()),
                    ..Default::default()
                },
            ),
            &Job::quiet(),
        )
        .expect("add");
    assert_eq!(p.new_count, 0);
    assert_eq!(p.known_count, 1);
    assert_eq!(p.files[0].unit_name, "区财政局");
    let it = by_name(&all(&ws), "照片1.jpg").clone();
    assert_eq!(it.source_count, 2);
    let d = ws.evidence_detail(it.id).expect("detail");
    assert_eq!(d.sources[1].original_name, "现场照片.jpg");
    assert_eq!(d.sources[1].unit_name, "区财政局");
    drop(tmp);
    // A unit that does not exist is refused before anything is read.
    let e = ws
        .preview(
            &EvidenceIntake::new(
                [ev("法治政府建设年度报告（2025年）.pdf")],
                EvidenceAddOptions {
                    unit: Some("区不存在局".into()),
                    ..Default::default()
                },
            ),
            &Job::quiet(),
        )
        .expect_err("unknown unit");
    assert!(e.to_string().contains("区不存在局"), "{e}");
}

#[test]
fn the_queue_is_filed_in_bulk_and_one_item_may_support_several_indicators() {
    let (_d, mut ws) = library();
    let queue = ws
        .list_evidence(&EvidenceFilter {
            queue: true,
            ..Default::default()
        })
        .expect("queue");
    let ids: Vec<i64> = queue.iter().map(|i| i.id).collect();
    let before = fingerprint(&ws);
    let e = ws
        .assign_evidence(&EvidenceAssign {
            ids: ids.clone(),
            indicator_nos: vec![101],
            ..Default::default()
        })
        .expect_err("no such indicator");
    assert!(e.to_string().contains("101"), "{e}");
    assert_eq!(
        fingerprint(&ws),
        before,
        "a refused assignment changes nothing"
    );
    let n = ws
        .assign_evidence(&EvidenceAssign {
            ids: ids.clone(),
            indicator_nos: vec![12, 13],
            ..Default::default()
        })
        .expect("assign");
    assert_eq!(n, ids.len() as i64);
    let q = ws
        .list_evidence(&EvidenceFilter {
            queue: true,
            ..Default::default()
        })
        .expect("queue");
    assert!(q.is_empty(), "the queue is empty: {q:?}");
    let on12 = ws
        .list_evidence(&EvidenceFilter {
            indicator_no: Some(12),
            ..Default::default()
        })
        .expect("12");
    assert!(
        on12.len() > ids.len(),
        "the 负面清单 PDF and the queue items"
    );
    let one = on12.iter().find(|i| ids.contains(&i.id)).expect("one");
    assert_eq!(nos(one), vec![12, 13]);
    assert!(
        one.indicators
            .iter()
            .all(|m| m.confidence == 100 && m.reason == "人工归类")
    );
    // Replacing, then taking one indicator off: back to the queue when none is left.
    ws.assign_evidence(&EvidenceAssign {
        ids: vec![one.id],
        indicator_nos: vec![40],
        replace: true,
        ..Default::default()
    })
    .expect("replace");
    let it = ws.evidence_detail(one.id).expect("d").item;
    assert_eq!(nos(&it), vec![40]);
    ws.unassign_evidence(&EvidenceAssign {
        ids: vec![one.id],
        indicator_nos: vec![40],
        ..Default::default()
    })
    .expect("unassign");
    let it = ws.evidence_detail(one.id).expect("d").item;
    assert!(it.in_queue && it.queue_note.contains("取消"), "{it:?}");
    let log = ws
        .list_oplog(&shifan_core::model::OplogFilter::default())
        .expect("log");
    assert!(log.entries.iter().any(|e| e.action == "归类佐证材料"));
}

#[test]
fn what_an_item_is_can_be_edited_and_wrong_values_are_refused_in_chinese() {
    let (_d, mut ws) = library();
    let items = all(&ws);
    let shot = by_name(&items, "公示平台截图.jpg").clone();
    let page = by_name(&items, "1.2025年度重大行政决策事项目录.pdf").clone();
    assert_eq!(
        page.title, "2025年度重大行政决策事项目录",
        "the serial is not part of the title"
    );
    let it = ws
        .update_evidence(
            page.id,
            &EvidenceEdit {
                title: Some("曾都区2025年度重大行政决策事项目录".into()),
                formed_on: Some("2025年3月1日".into()),
                doc_no: Some("曾政办发〔2025〕3号".into()),
                category: Some("公示".into()),
                method: Some("网络检索".into()),
                url: Some("https://www.zengdu.gov.cn/zwgk/jcml/2025.html".into()),
                keywords: Some("重大行政决策 目录".into()),
                captured_on: Some("2025-03-05".into()),
                screenshot_id: Some(shot.id),
                ..Default::default()
            },
        )
        .expect("edit");
    assert_eq!(it.formed_on.as_deref(), Some("2025-03-01"));
    assert_eq!(it.captured_on.as_deref(), Some("2025-03-05"));
    assert_eq!(it.screenshot_id, Some(shot.id));
    assert_eq!(
        (it.category.as_str(), it.method.as_str()),
        ("公示", "网络检索")
    );
    let case = by_name(&items, "行政复议决定书.docx").clone();
    let it = ws
        .update_evidence(
            case.id,
            &EvidenceEdit {
                method: Some("案卷评查".into()),
                case_no: Some("曾司复〔2025〕第8号".into()),
                case_type: Some("行政复议".into()),
                ..Default::default()
            },
        )
        .expect("case");
    assert_eq!(it.case_no, "曾司复〔2025〕第8号");
    let before = fingerprint(&ws);
    for (edit, words) in [
        (
            EvidenceEdit {
                category: Some("杂项".into()),
                ..Default::default()
            },
            "材料类别",
        ),
        (
            EvidenceEdit {
                method: Some("实地查看".into()),
                ..Default::default()
            },
            "评估方式",
        ),
        (
            EvidenceEdit {
                formed_on: Some("去年春天".into()),
                ..Default::default()
            },
            "日期",
        ),
        (
            EvidenceEdit {
                url: Some("zengdu.gov.cn".into()),
                ..Default::default()
            },
            "http",
        ),
        (
            EvidenceEdit {
                title: Some("  ".into()),
                ..Default::default()
            },
            "不能为空",
        ),
        (
            EvidenceEdit {
                screenshot_id: Some(page.id),
                ..Default::default()
            },
            "材料本身",
        ),
    ] {
        let e = ws.update_evidence(page.id, &edit).expect_err("refused");
        assert!(e.to_string().contains(words), "{e}");
    }
    assert_eq!(fingerprint(&ws), before, "refused edits change nothing");
    // An empty date clears it.
    let it = ws
        .update_evidence(
            page.id,
            &EvidenceEdit {
                formed_on: Some(String::new()),
                ..Default::default()
            },
        )
        .expect("clear");
    assert_eq!(it.formed_on, None);
}

#[test]
fn returned_items_go_on_the_units_return_list_and_its_next_package_answers_them() {
    let (d, mut ws) = library();
    let items = all(&ws);
    let decision = by_name(&items, "行政复议决定书.docx").clone();
    let e = ws
        .review_evidence(&EvidenceReview {
            ids: vec![decision.id],
            decision: ReviewDecision::Return,
            reason: " ".into(),
        })
        .expect_err("a reason is required");
    assert!(e.to_string().contains("退回原因"), "{e}");
    ws.review_evidence(&EvidenceReview {
        ids: vec![decision.id],
        decision: ReviewDecision::Return,
        reason: "缺少盖章页，请补充盖章后的决定书".into(),
    })
    .expect("return");
    let others: Vec<i64> = items
        .iter()
        .filter(|i| i.id != decision.id)
        .map(|i| i.id)
        .collect();
    ws.review_evidence(&EvidenceReview {
        ids: others,
        decision: ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let returned = ws
        .list_evidence(&EvidenceFilter {
            status: Some("退回".into()),
            ..Default::default()
        })
        .expect("returned");
    assert_eq!(returned.len(), 1);
    assert_eq!(
        returned[0].return_reason,
        "缺少盖章页，请补充盖章后的决定书"
    );
    assert!(!returned[0].reviewer.is_empty() && returned[0].reviewed_at.is_some());

    // The 退回清单 the office sends back.
    let sfj = ws.unit_id_by_name("区司法局").expect("unit");
    let file = d.path().join("区司法局-退回清单.xlsx");
    ws.export_return_list(sfj, &file).expect("return list");
    let rows = sheet_rows(&file);
    assert!(
        rows[0][0].contains("区司法局") && rows[0][0].contains("退回清单"),
        "{:?}",
        rows[0]
    );
    assert_eq!(
        rows[1],
        vec![
            "序号",
            "材料名称",
            "原文件名",
            "对应指标",
            "退回原因",
            "退回时间",
            "审核人"
        ]
    );
    assert_eq!(rows.len(), 3, "one returned item: {rows:?}");
    assert_eq!(rows[2][1], "行政复议决定书");
    assert!(rows[2][3].contains("指标69"), "{:?}", rows[2]);
    assert_eq!(rows[2][4], "缺少盖章页，请补充盖章后的决定书");
    let cz = ws.unit_id_by_name("区财政局").expect("unit");
    let e = ws
        .export_return_list(cz, &d.path().join("空.xlsx"))
        .expect_err("nothing returned");
    assert!(e.to_string().contains("没有被退回"), "{e}");
    assert!(!d.path().join("空.xlsx").exists());

    // The next package: the preview says which returned item the corrected file answers.
    let next = [ev("区司法局-补充材料.zip")];
    let p = preview(&ws, &next);
    assert_eq!(p.answers.len(), 1, "{:?}", p.answers);
    assert_eq!(p.answers[0].returned_title, "行政复议决定书");
    assert_eq!(
        p.answers[0].return_reason,
        "缺少盖章页，请补充盖章后的决定书"
    );
    assert!(
        p.answers[0]
            .location
            .ends_with("行政复议决定书（修改后）.pdf")
    );
    let photo = p
        .files
        .iter()
        .find(|f| f.name == "照片1.jpg")
        .expect("photo");
    assert_eq!(photo.state, "known", "sent before: {}", photo.same_as);
    let done = add(&mut ws, &next);
    assert_eq!(done.new_count, 2);
    let fixed = by_name(&all(&ws), "行政复议决定书（修改后）.pdf").clone();
    assert_eq!(fixed.answers_id, Some(decision.id));
    assert_eq!(fixed.status, "待审核");
    assert_eq!(nos(&fixed), vec![69]);
    let old = ws.evidence_detail(decision.id).expect("d").item;
    assert_eq!(old.answered_by, Some(fixed.id));
    let e = ws
        .export_return_list(sfj, &d.path().join("再次.xlsx"))
        .expect_err("answered");
    assert!(e.to_string().contains("没有被退回"), "{e}");
}

fn sheet_rows(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).expect("open");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
        .collect()
}

#[test]
fn completeness_counts_the_required_lines_against_approved_items_with_empty_indicators_first() {
    let (_d, mut ws) = library();
    let tasks = ws
        .list_assignments(&shifan_core::tasks::AssignmentFilter::default())
        .expect("tasks");
    let need: HashMap<i64, usize> = tasks
        .iter()
        .map(|a| (a.no, a.evidence.len().max(1)))
        .collect();
    let r = ws.evidence_completeness().expect("report");
    assert_eq!(r.indicators.len(), 100);
    assert_eq!(r.items, 11);
    assert_eq!(r.pending, 11);
    assert_eq!(r.queue, 4);
    let states: Vec<CompletenessState> = r.indicators.iter().map(|i| i.state).collect();
    let first_partial = states
        .iter()
        .position(|s| *s != CompletenessState::None)
        .expect("some");
    assert!(
        states[..first_partial]
            .iter()
            .all(|s| *s == CompletenessState::None),
        "nothing yet first"
    );
    assert!(
        states[first_partial..]
            .iter()
            .all(|s| *s != CompletenessState::None)
    );
    let i27 = r.indicators.iter().find(|i| i.no == 27).expect("27");
    assert_eq!(
        (i27.present, i27.approved, i27.state),
        (1, 0, CompletenessState::Partial)
    );
    assert_eq!(i27.required_count as usize, need[&27]);
    assert_eq!(
        i27.required.len(),
        tasks
            .iter()
            .find(|a| a.no == 27)
            .expect("27")
            .evidence
            .len()
    );

    // Approve enough items under 69 to cover its lines (the decision, plus assigned ones).
    let extra: Vec<i64> = all(&ws)
        .iter()
        .filter(|i| i.in_queue)
        .map(|i| i.id)
        .collect();
    ws.assign_evidence(&EvidenceAssign {
        ids: extra.clone(),
        indicator_nos: vec![69],
        ..Default::default()
    })
    .expect("assign");
    let on69: Vec<i64> = ws
        .list_evidence(&EvidenceFilter {
            indicator_no: Some(69),
            ..Default::default()
        })
        .expect("69")
        .iter()
        .map(|i| i.id)
        .collect();
    assert!(
        on69.len() >= need[&69],
        "{} items for {} lines",
        on69.len(),
        need[&69]
    );
    ws.review_evidence(&EvidenceReview {
        ids: on69,
        decision: ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let r = ws.evidence_completeness().expect("report");
    let i69 = r.indicators.iter().find(|i| i.no == 69).expect("69");
    assert_eq!(i69.state, CompletenessState::Complete);
    assert_eq!(r.indicators.last().map(|i| i.no), Some(69), "complete last");
    assert_eq!(r.complete, 1);
    assert_eq!(r.complete + r.partial + r.none, 100);
    // Roll-ups: per aspect sums to the whole, per unit counts what it sent.
    assert_eq!(r.aspects.iter().map(|a| a.indicators).sum::<i64>(), 100);
    let sfj = r
        .units
        .iter()
        .find(|u| u.unit_name == "区司法局")
        .expect("unit");
    assert_eq!(sfj.items, 6);
    assert!(sfj.leads > 0);
    assert_eq!(sfj.complete + sfj.partial + sfj.none, sfj.leads);
    assert!(r.summary.contains("材料齐全 1 项"), "{}", r.summary);
}

#[test]
fn one_search_finds_indicators_units_and_evidence_by_any_part_of_their_chinese_text() {
    let (_d, mut ws) = library();
    fn found(ws: &Workspace, q: &str) -> Vec<(String, String)> {
        ws.search(q)
            .expect("search")
            .into_iter()
            .map(|h| (h.kind, h.title))
            .collect()
    }
    let kinds = |q: &str| found(&ws, q);
    // Two characters, in indicator texts and in evidence names.
    let hits = kinds("复议");
    assert!(
        hits.iter()
            .any(|(k, t)| k == "indicator" && t.starts_with("指标69")),
        "{hits:?}"
    );
    assert!(
        hits.iter()
            .any(|(k, t)| k == "evidence" && t == "行政复议决定书"),
        "{hits:?}"
    );
    assert!(
        hits.iter()
            .any(|(k, t)| k == "evidence" && t == "2025年行政复议案件统计表")
    );
    let order: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|k| {
        ["indicator", "unit", "evidence"]
            .iter()
            .position(|x| x == k)
    });
    assert_eq!(order, sorted, "indicators, then units, then evidence");
    // A unit by part of its name or its alias.
    assert!(
        kinds("财政")
            .iter()
            .any(|(k, t)| k == "unit" && t == "区财政局")
    );
    assert!(
        kinds("依法治区办")
            .iter()
            .any(|(k, t)| k == "unit" && t == "区司法局")
    );
    // Three characters and more through the index, a 文号, several words.
    assert!(kinds("曾司审").iter().any(|(k, _)| k == "evidence"));
    let both = kinds("审核 意见书");
    assert_eq!(
        both.iter().filter(|(k, _)| k == "evidence").count(),
        1,
        "{both:?}"
    );
    assert!(
        kinds("指标27")
            .iter()
            .any(|(k, t)| k == "indicator" && t.starts_with("指标27"))
    );
    assert!(kinds("没有这样的材料名称").is_empty());
    // The index follows edits and removals.
    let it = by_name(&all(&ws), "照片1.jpg").clone();
    ws.update_evidence(
        it.id,
        &EvidenceEdit {
            title: Some("普法宣传活动现场照片".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    assert!(
        found(&ws, "普法宣传")
            .iter()
            .any(|(k, t)| k == "evidence" && t == "普法宣传活动现场照片")
    );
    ws.remove_evidence(&[it.id]).expect("remove");
    assert!(!found(&ws, "普法宣传").iter().any(|(k, _)| k == "evidence"));
    assert!(ws.search("  ").is_err());
}

#[test]
fn verify_reports_missing_and_altered_files_and_relinks_only_the_original_content() {
    let (d, mut ws) = library();
    let r = ws.verify_evidence(&Job::quiet()).expect("verify");
    assert!(r.ok, "{r:?}");
    assert_eq!(r.checked, 11);
    let items = all(&ws);
    let gone = by_name(&items, "负面清单落实情况.pdf").clone();
    let changed = by_name(&items, "预算公开台账.xlsx").clone();
    std::fs::remove_file(object_path(&ws, &gone.hash)).expect("rm");
    let p = object_path(&ws, &changed.hash);
    let mut bytes = std::fs::read(&p).expect("read");
    bytes[100] ^= 0xFF;
    std::fs::write(&p, &bytes).expect("alter");
    let r = ws.verify_evidence(&Job::quiet()).expect("verify");
    assert!(!r.ok);
    assert_eq!(r.intact, 9);
    let missing = r
        .problems
        .iter()
        .find(|p| p.problem == shifan_core::evidence::store_check::ObjectFault::Missing)
        .expect("missing");
    assert_eq!(missing.hash, gone.hash);
    assert!(
        missing.message.contains("负面清单落实情况") && missing.message.contains("不见了"),
        "{}",
        missing.message
    );
    let altered = r
        .problems
        .iter()
        .find(|p| p.problem == shifan_core::evidence::store_check::ObjectFault::Altered)
        .expect("altered");
    assert!(altered.message.contains("预算公开台账") && altered.message.contains("改动"));
    // The viewer gets no path for a missing file.
    let e = ws.evidence_file(gone.id).expect_err("missing");
    assert!(e.to_string().contains("校验证据库"), "{e}");
    // Another file is refused; the original is taken back.
    let before = fingerprint(&ws);
    let e = ws
        .relink_evidence(&gone.hash, &ev("法治政府建设年度报告（2025年）.pdf"))
        .expect_err("not the same content");
    assert!(e.to_string().contains("不一致"), "{e}");
    assert_eq!(fingerprint(&ws), before);
    ws.relink_evidence(
        &gone.hash,
        &ev("区财政局/指标12 市场准入负面清单/负面清单落实情况.pdf"),
    )
    .expect("relink missing");
    ws.relink_evidence(&changed.hash, &ev("区财政局/预算公开台账.xlsx"))
        .expect("relink altered");
    assert!(
        ws.data_dir()
            .join("evidence/damaged")
            .read_dir()
            .expect("kept")
            .count()
            == 1
    );
    let r = ws.verify_evidence(&Job::quiet()).expect("verify");
    assert!(r.ok, "{r:?}");
    let f = ws.evidence_file(gone.id).expect("file");
    assert_eq!(f.mime, "application/pdf");
    assert!(Path::new(&f.path).starts_with(ws.data_dir().join("evidence/objects")));
    drop(d);
}

#[cfg(unix)]
#[test]
fn the_viewer_is_given_only_files_inside_the_store() {
    let (_d, ws) = library();
    let it = by_name(&all(&ws), "公示平台截图.jpg").clone();
    let f = ws.evidence_file(it.id).expect("file");
    assert_eq!(f.mime, "image/jpeg");
    assert_eq!(f.name, "公示平台截图.jpg");
    let p = object_path(&ws, &it.hash);
    std::fs::remove_file(&p).expect("rm");
    std::os::unix::fs::symlink("/etc/passwd", &p).expect("link");
    let e = ws.evidence_file(it.id).expect_err("outside the store");
    assert!(e.to_string().contains("不在证据库中"), "{e}");
}

/// A progress sink that cancels its job after `after` reports.
struct CancelAfter {
    seen: AtomicU64,
    after: u64,
    cancel: Cancel,
}

impl Progress for CancelAfter {
    fn report(&self, _: u64, _: u64, _: &str) {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
            self.cancel.cancel();
        }
    }
}

#[test]
fn a_cancelled_intake_records_nothing_and_running_it_again_completes_it() {
    let (_d, mut ws) = with_tasks();
    let before = fingerprint(&ws);
    for after in [1, 3, 6, 12] {
        let cancel = Cancel::new();
        let p = CancelAfter {
            seen: AtomicU64::new(0),
            after,
            cancel: cancel.clone(),
        };
        let r = ws.apply(
            &EvidenceIntake::ingesting(first_drop(), EvidenceAddOptions::default()),
            &Job::new(&p, cancel),
        );
        assert!(
            matches!(r, Err(shifan_core::Error::Cancelled)),
            "after {after}: {r:?}"
        );
        assert_eq!(fingerprint(&ws), before, "cancelled after {after} reports");
    }
    let done = add(&mut ws, &first_drop());
    assert_eq!(done.new_count, 11);
    assert!(ws.verify_evidence(&Job::quiet()).expect("verify").ok);
    // And an ingest interrupted by a crash after its copies leaves only objects nothing uses.
    let r = ws.verify_evidence(&Job::quiet()).expect("verify");
    assert_eq!(r.checked, 11);
}

#[test]
fn the_archive_is_numbered_volumes_with_indexes_page_counts_merged_pdfs_and_a_total_index() {
    let (d, mut ws) = library();
    let ids: Vec<i64> = all(&ws).iter().map(|i| i.id).collect();
    ws.review_evidence(&EvidenceReview {
        ids,
        decision: ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let plan = ws.archive_plan(None).expect("plan");
    assert_eq!(plan.volumes.len(), 24, "the demo system's 二级 headings");
    let out = d.path().join("案卷");
    let r = ws
        .export_archive(&out, &plan, &Job::quiet())
        .expect("export");
    assert_eq!(r.volumes.len(), 25, "24 + 1 综合卷");
    assert_eq!(
        r.items, 11,
        "every approved item once (the queue ones in the 综合卷)"
    );
    let general = r.volumes.last().expect("general");
    assert_eq!(general.title, "综合卷");
    assert_eq!(general.items, 4);
    assert!(out.join("总目录.xlsx").is_file() && out.join("总目录.docx").is_file());
    // The volume of 指标27 (三、（一）决策程序制度落实 in the demo system).
    let v = r
        .volumes
        .iter()
        .find(|v| v.indicator_nos.contains(&27))
        .expect("volume of 27");
    let folder = out.join(&v.folder);
    let names: Vec<String> = std::fs::read_dir(&folder)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let item = format!("{:02}-027-01-1.2025年度重大行政决策事项目录.pdf", v.no);
    assert!(names.contains(&item), "{names:?}");
    let pages =
        manifest()["区司法局-佐证材料.zip"]["pdf_pages"]["1.2025年度重大行政决策事项目录.pdf"]
            .as_i64()
            .expect("pages");
    let index = sheet_rows(&folder.join(format!("{:02}-卷内目录.xlsx", v.no)));
    assert_eq!(
        index[1],
        vec![
            "序号",
            "材料名称",
            "责任单位",
            "形成日期",
            "文号",
            "页数",
            "备注"
        ]
    );
    let row = index
        .iter()
        .find(|r| r[1] == "2025年度重大行政决策事项目录")
        .expect("row");
    assert_eq!(row[2], "区司法局");
    assert_eq!(row[5], pages.to_string(), "页数 read from the PDF");
    assert!(
        row[6].contains("指标27") && row[6].contains("合订本第 1–2 页"),
        "{row:?}"
    );
    let merged = std::fs::read(folder.join(format!("{:02}-合订本.pdf", v.no))).expect("merged");
    let titles = shifan_core::evidence::pdf::outline_titles(&merged).expect("bookmarks");
    assert_eq!(
        titles,
        vec![format!("{:02}-027-01 2025年度重大行政决策事项目录", v.no)]
    );
    assert_eq!(
        shifan_core::evidence::pdf::page_count(&merged).expect("pages") as i64,
        pages
    );
    // The docx 卷内目录 is a Word document with the same rows.
    let docx = std::fs::read(folder.join(format!("{:02}-卷内目录.docx", v.no))).expect("docx");
    let xml = {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx zip");
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").expect("doc"), &mut s)
            .expect("read");
        s
    };
    assert!(xml.contains("卷内目录") && xml.contains("2025年度重大行政决策事项目录"));
    // The JPEG with EXIF orientation went into its volume's merged PDF as one page.
    let v43 = r
        .volumes
        .iter()
        .find(|v| v.indicator_nos.contains(&43))
        .expect("43");
    assert_eq!(v43.skipped, Vec::<String>::new());
    assert!(!v43.merged.is_empty());
    // 总目录 lists every volume.
    let total = sheet_rows(&out.join("总目录.xlsx"));
    assert_eq!(total.len(), 2 + 25);
    assert_eq!(total[1][0], "卷号");
    // Exported again into the same folder: replaced whole. A foreign folder: refused.
    let again = ws
        .export_archive(&out, &plan, &Job::quiet())
        .expect("again");
    assert_eq!(again.items, 11);
    let foreign = d.path().join("别的文件夹");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("我的文件.docx"), b"mine").expect("w");
    let e = ws
        .export_archive(&foreign, &plan, &Job::quiet())
        .expect_err("not ours");
    assert!(e.to_string().contains("不是空文件夹"), "{e}");
    assert_eq!(std::fs::read_dir(&foreign).expect("ls").count(), 1);
    // A zip holds the same files.
    let zip_path = d.path().join("案卷.zip");
    let rz = ws
        .export_archive(&zip_path, &plan, &Job::quiet())
        .expect("zip");
    assert_eq!(rz.items, 11);
    let z = zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("open")).expect("zip");
    let zipped: Vec<String> = z
        .file_names()
        .map(|n| n.expect("name").into_owned())
        .collect();
    assert!(
        zipped.contains(&format!("{}/{item}", v.folder)),
        "{zipped:?}"
    );
    assert_eq!(z.len() as i64, rz.files);
}

#[test]
fn a_cancelled_archive_export_leaves_nothing_under_the_target_name() {
    let (d, mut ws) = library();
    let ids: Vec<i64> = all(&ws).iter().map(|i| i.id).collect();
    ws.review_evidence(&EvidenceReview {
        ids,
        decision: ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let plan = ws.archive_plan(None).expect("plan");
    for (target, after) in [("案卷", 2), ("案卷", 9), ("案卷.zip", 4)] {
        let out = d.path().join(target);
        let cancel = Cancel::new();
        let p = CancelAfter {
            seen: AtomicU64::new(0),
            after,
            cancel: cancel.clone(),
        };
        let r = ws.export_archive(&out, &plan, &Job::new(&p, cancel));
        assert!(matches!(r, Err(shifan_core::Error::Cancelled)), "{r:?}");
        assert!(!out.exists(), "{target} after {after} reports");
        let left: Vec<String> = std::fs::read_dir(d.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".shifan"))
            .collect();
        assert!(left.is_empty(), "temp files left: {left:?}");
    }
}

#[test]
fn a_plan_defined_by_the_user_is_checked_and_exported_as_given() {
    let (d, mut ws) = library();
    let ids: Vec<i64> = all(&ws).iter().map(|i| i.id).collect();
    ws.review_evidence(&EvidenceReview {
        ids,
        decision: ReviewDecision::Approve,
        reason: String::new(),
    })
    .expect("approve");
    let leaves = ws.indicator_leaves(None, None).expect("leaves");
    let id = |no: i64| leaves.iter().find(|l| l.no == no).expect("leaf").id;
    let plan = ArchivePlan {
        volumes: vec![
            shifan_core::evidence::archive::VolumeSpec {
                title: "行政复议与应诉".into(),
                indicator_ids: vec![id(68), id(69)],
                context: String::new(),
            },
            shifan_core::evidence::archive::VolumeSpec {
                title: "决策：目录/公开*（2025）".into(),
                indicator_ids: vec![id(27)],
                context: String::new(),
            },
        ],
        general_volume: false,
        include_pending: false,
        merge_pdf: false,
        level: 0,
    };
    let out = d.path().join("自定义案卷");
    let r = ws
        .export_archive(&out, &plan, &Job::quiet())
        .expect("export");
    assert_eq!(r.volumes.len(), 2);
    assert_eq!(r.volumes[0].items, 2);
    assert!(
        r.volumes.iter().all(|v| v.merged.is_empty()),
        "no merged PDF asked for"
    );
    // Characters Windows refuses are replaced in the folder name.
    assert!(
        !r.volumes[1].folder.contains(['/', ':', '*']),
        "{}",
        r.volumes[1].folder
    );
    assert!(
        out.join(&r.volumes[1].folder).is_dir(),
        "{}",
        r.volumes[1].folder
    );
    let mut twice = plan.clone();
    twice.volumes[1].indicator_ids.push(id(68));
    let e = ws
        .export_archive(&d.path().join("重复"), &twice, &Job::quiet())
        .expect_err("twice");
    assert!(e.to_string().contains("指标68"), "{e}");
}

#[test]
fn backups_record_the_evidence_and_the_hand_over_file_carries_it_rehashed() {
    let (d, ws) = library();
    let b = ws
        .backup_now(shifan_core::model::BackupReason::Manual, &Job::quiet())
        .expect("backup");
    assert_eq!(b.evidence.len(), 11);
    for e in &b.evidence {
        assert!(e.path.starts_with("objects/") && e.path.replace('/', "").ends_with(&e.hash[2..]));
        let p = ws.data_dir().join("evidence").join(&e.path);
        assert_eq!(std::fs::metadata(&p).expect("object").len() as i64, e.size);
    }
    let listed = ws.list_backups().expect("list");
    assert_eq!(
        listed[0].evidence, b.evidence,
        "the manifest on disk says the same"
    );

    let file = d.path().join("交接.shifan");
    let m = ws.export_handover(&file, &Job::quiet()).expect("handover");
    assert_eq!(m.evidence.len(), 11);
    // Into a new PC: the objects arrive and verify.
    let pc2 = tempfile::tempdir().expect("pc2");
    let mut ws2 = Workspace::open(&pc2.path().join("数据")).expect("open");
    let r = ws2.preview_handover(&file, &Job::quiet()).expect("preview");
    assert_eq!(r.evidence_checked, 11);
    assert!(r.evidence_bad.is_empty() && r.can_import, "{r:?}");
    ws2.import_handover(&file, &Job::quiet()).expect("import");
    assert_eq!(all(&ws2).len(), 11);
    let v = ws2.verify_evidence(&Job::quiet()).expect("verify");
    assert!(v.ok && v.checked == 11, "{v:?}");
    // A hand-over file whose evidence was damaged on the way is refused.
    let bad = d.path().join("损坏.shifan");
    {
        let src = zip::ZipArchive::new(std::fs::File::open(&file).expect("open"));
        let mut src = src.expect("zip");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&bad).expect("create"));
        let mut hit = false;
        for i in 0..src.len() {
            let mut e = src.by_index(i).expect("entry");
            let name = e.name().expect("name").into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut bytes).expect("read");
            if name.starts_with("evidence/") && !hit {
                bytes[10] ^= 0x55;
                hit = true;
            }
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("start");
            std::io::Write::write_all(&mut z, &bytes).expect("write");
        }
        z.finish().expect("finish");
    }
    let pc3 = tempfile::tempdir().expect("pc3");
    let mut ws3 = Workspace::open(&pc3.path().join("数据")).expect("open");
    let r = ws3.preview_handover(&bad, &Job::quiet()).expect("preview");
    assert_eq!(r.evidence_bad.len(), 1);
    assert!(!r.can_import);
    assert!(ws3.import_handover(&bad, &Job::quiet()).is_err());
}

#[test]
fn an_intake_can_be_undone_like_any_import() {
    let (_d, mut ws) = with_tasks();
    let before = fingerprint(&ws);
    add(&mut ws, &first_drop());
    let u = ws
        .undo_info()
        .expect("undo")
        .expect("an intake can be undone");
    assert_eq!(u.action, "添加佐证材料");
    ws.undo_last_import(&Job::quiet()).expect("undo");
    assert!(all(&ws).is_empty());
    let _ = before;
    // The objects stay (content-addressed, unreferenced); adding again is quick and complete.
    assert_eq!(add(&mut ws, &first_drop()).new_count, 11);
}

#[test]
fn the_drawer_previews_an_image_in_the_app_and_says_what_a_pdf_or_a_docx_is() {
    let d = tempfile::tempdir().expect("tmp");
    let mut ws = Workspace::open(&d.path().join("演示")).expect("open");
    shifan_core::demo::create(&mut ws).expect("demo");
    let items = all(&ws);
    let of = |ext: &str| items.iter().find(|i| i.ext == ext).expect(ext);
    let png = ws.evidence_preview(of("png").id).expect("png");
    let url = png.data_url.as_deref().expect("an image is shown");
    // The PNG signature, base64: the file's own bytes, not a re-encoding.
    assert!(
        url.starts_with("data:image/png;base64,iVBORw0KGgo"),
        "{}",
        &url[..40]
    );
    let stored = std::fs::read(ws.evidence_file(of("png").id).expect("file").path).expect("read");
    assert_eq!(
        url.len() - "data:image/png;base64,".len(),
        stored.len().div_ceil(3) * 4
    );
    let pdf = ws.evidence_preview(of("pdf").id).expect("pdf");
    // "%PDF-" in base64: the PDF goes to the in-app viewer as it is stored.
    assert!(
        pdf.data_url
            .as_deref()
            .is_some_and(|u| u.starts_with("data:application/pdf;base64,JVBERi0"))
    );
    assert!(pdf.pages.is_some_and(|n| n >= 1));
    assert!(pdf.note.contains("页"), "{}", pdf.note);
    let docx = ws.evidence_preview(of("docx").id).expect("docx");
    assert!(
        docx.data_url.is_none() && docx.note.contains("docx"),
        "{}",
        docx.note
    );
    // Opening with the system's program goes through a read-only copy under the item's own
    // name, never the store's object itself.
    let view = ws.evidence_view_copy(of("docx").id).expect("copy");
    let stored = ws.evidence_file(of("docx").id).expect("file");
    assert_ne!(view.path, stored.path);
    assert!(view.path.ends_with(&of("docx").file_name), "{}", view.path);
    assert_eq!(
        std::fs::read(&view.path).expect("copy"),
        std::fs::read(&stored.path).expect("object")
    );
    assert!(
        std::fs::metadata(&view.path)
            .expect("meta")
            .permissions()
            .readonly()
    );
    assert_eq!(
        ws.evidence_view_copy(of("docx").id).expect("again").path,
        view.path
    );
    // A missing file is an error in Chinese, not an empty preview.
    std::fs::remove_file(ws.evidence_file(of("png").id).expect("file").path).expect("rm");
    let e = ws.evidence_preview(of("png").id).expect_err("missing");
    assert!(e.to_string().contains("不在证据库中"), "{e}");
}

#[test]
fn the_demo_has_a_realistic_evidence_set() {
    let d = tempfile::tempdir().expect("tmp");
    let mut ws = Workspace::open(&d.path().join("演示")).expect("open");
    shifan_core::demo::create(&mut ws).expect("demo");
    let items = all(&ws);
    assert!(items.len() >= 15, "{}", items.len());
    let status = |s: &str| items.iter().filter(|i| i.status == s).count();
    assert!(status("已通过") >= 5 && status("待审核") >= 3 && status("退回") == 2);
    assert!(items.iter().any(|i| i.in_queue), "some wait in the queue");
    assert!(
        items.iter().any(|i| i.source_count == 2),
        "one sent by two units"
    );
    assert!(
        items.iter().any(|i| i.answers_id.is_some()),
        "one answers a returned item"
    );
    for ext in ["pdf", "png", "docx", "xlsx"] {
        assert!(items.iter().any(|i| i.ext == ext), "{ext}");
    }
    assert!(ws.verify_evidence(&Job::quiet()).expect("verify").ok);
    // Some indicators have their whole set approved, in more than one aspect.
    let comp = ws.evidence_completeness().expect("completeness");
    assert!(comp.complete >= 8, "{} complete", comp.complete);
    assert!(comp.partial > 0 && comp.none > 0);
    let pdf = items.iter().find(|i| i.ext == "pdf").expect("pdf");
    let f = ws.evidence_file(pdf.id).expect("file");
    let bytes = std::fs::read(&f.path).expect("read");
    assert!(shifan_core::evidence::pdf::page_count(&bytes).expect("a real PDF") >= 1);
    assert!(
        !d.path()
            .join("演示")
            .read_dir()
            .expect("ls")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".tmp-demo"))
    );
}
