//! 工作台总览: every figure is the number the list behind it shows, judged on the given day;
//! a module with nothing stored is hidden (None), not zero.

use chrono::NaiveDate;
use shifan_core::Workspace;
use shifan_core::dashboard::Dashboard;
use shifan_core::problems::{ProblemFilter, STATUS_DOING, STATUS_TODO};
use shifan_core::tasks::AssignmentFilter;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn problems_on(ws: &Workspace, today: &str) -> Vec<shifan_core::problems::ProblemInfo> {
    ws.list_problems(&ProblemFilter {
        today: Some(today.into()),
        ..ProblemFilter::default()
    })
    .expect("problems")
}

/// The ledger figures recomputed from `list_problems` on `today`.
fn check_problems(ws: &Workspace, d: &Dashboard, today: &str) {
    let list = problems_on(ws, today);
    let p = d.problems.as_ref().expect("problem figures");
    assert_eq!(p.total, list.len() as i64);
    let open = list
        .iter()
        .filter(|p| {
            p.units
                .iter()
                .any(|u| u.status == STATUS_TODO || u.status == STATUS_DOING)
        })
        .count() as i64;
    assert_eq!(p.open, open);
    assert_eq!(p.done, p.total - p.open);
    let overdue = ws
        .list_problems(&ProblemFilter {
            today: Some(today.into()),
            overdue_only: Some(true),
            ..ProblemFilter::default()
        })
        .expect("overdue");
    assert_eq!(p.overdue, overdue.len() as i64);
    let parts: i64 = list
        .iter()
        .flat_map(|p| &p.units)
        .filter(|u| u.overdue)
        .count() as i64;
    assert_eq!(p.overdue_parts, parts);
    let league = ws.problem_league(None, Some(today)).expect("league");
    assert_eq!(d.units, league);
    assert_eq!(
        d.units.iter().map(|u| u.overdue).sum::<i64>(),
        p.overdue_parts
    );
}

#[test]
fn the_demo_campaign_shows_the_figures_of_every_module() {
    let (_d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let today = "2031-01-01";
    let d = ws.dashboard(day(today)).expect("dashboard");
    assert_eq!(d.today, today);
    // The timed load (the benchmark's) is the same dashboard, and names the queries it ran.
    let (timed, parts) = ws.dashboard_timed(day(today)).expect("timed");
    assert_eq!(timed, d);
    let names: Vec<&str> = parts.iter().map(|p| p.0).collect();
    for q in ["evidence_completeness", "problems::load", "eval_results"] {
        assert!(names.contains(&q), "{q} in {names:?}");
    }

    // The phase the demo is in.
    let phases = ws.list_phases().expect("phases");
    let current = phases.iter().find(|p| p.current).expect("a current phase");
    assert_eq!(d.phase.as_ref().map(|p| p.key), Some(current.key));

    // 任务分解: indicators with a 牵头单位.
    let tasks = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("tasks");
    let a = d.assigned.expect("assigned");
    assert_eq!(a.total, tasks.len() as i64);
    assert_eq!(d.indicator_count, tasks.len() as i64);
    assert_eq!(
        a.done,
        tasks.iter().filter(|t| !t.leads.is_empty()).count() as i64
    );

    // 材料齐全: the completeness report's own counts.
    let comp = ws.evidence_completeness().expect("completeness");
    let e = d.evidence.as_ref().expect("evidence figures");
    assert_eq!(e.complete.done, comp.complete);
    assert_eq!(e.complete.total, comp.indicators.len() as i64);
    assert_eq!(e.none, comp.none);
    assert_eq!(e.items, comp.items);

    // 自查: indicators with a rating.
    let sa = ws.list_self_assessments().expect("self");
    let s = d.self_check.expect("self check");
    assert_eq!(s.total, sa.len() as i64);
    assert_eq!(
        s.done,
        sa.iter().filter(|x| !x.rating.is_empty()).count() as i64
    );
    assert!(s.done > 0 && s.done <= s.total);

    check_problems(&ws, &d, today);
    assert!(d.problems.as_ref().is_some_and(|p| p.overdue > 0));

    // The latest round of 模拟评估, its total and 否决项.
    let rounds = ws.eval_rounds().expect("rounds");
    let last = rounds.last().expect("a round");
    let res = ws.eval_results(last.id).expect("results");
    let ev = d.evaluation.as_ref().expect("evaluation");
    assert_eq!(ev.round_name, last.name);
    assert_eq!(ev.score, Some(res.total.score));
    assert_eq!(ev.max, res.total.max);
    assert_eq!(ev.flagged, res.flagged);
    assert_eq!(ev.vetoes.len(), res.vetoes.len());

    // Points at risk: the round's ranking, most lost first.
    assert!(!d.risks.is_empty());
    let expect: Vec<i64> = res
        .lost_ranking
        .iter()
        .filter(|l| !l.lost.is_zero())
        .take(d.risks.len())
        .map(|l| l.no)
        .collect();
    assert_eq!(d.risks.iter().map(|r| r.no).collect::<Vec<_>>(), expect);
    assert!(d.risks.windows(2).all(|w| w[0].lost >= w[1].lost));

    // Per aspect: every indicator once, and the parts add up to the headline figures.
    assert_eq!(
        d.aspects.iter().map(|x| x.indicators).sum::<i64>(),
        d.indicator_count
    );
    assert_eq!(
        d.aspects.iter().filter_map(|x| x.assigned).sum::<i64>(),
        a.done
    );
    assert_eq!(
        d.aspects
            .iter()
            .filter_map(|x| x.evidence_complete)
            .sum::<i64>(),
        e.complete.done
    );
    assert_eq!(
        d.aspects.iter().filter_map(|x| x.self_checked).sum::<i64>(),
        s.done
    );
    for x in &d.aspects {
        let r = res
            .aspects
            .iter()
            .find(|r| r.label == x.aspect)
            .expect("aspect in the results");
        assert_eq!(x.max, Some(r.max), "{}", x.aspect);
    }
    // Open problems of an aspect: those listed by an indicator of it.
    let first = &d.aspects[0];
    let nos: Vec<i64> = tasks
        .iter()
        .filter(|t| t.path.first() == Some(&first.aspect))
        .map(|t| t.no)
        .collect();
    let open_here = problems_on(&ws, today)
        .iter()
        .filter(|p| {
            p.units
                .iter()
                .any(|u| u.status == STATUS_TODO || u.status == STATUS_DOING)
        })
        .filter(|p| p.indicator_nos.iter().any(|n| nos.contains(n)))
        .count() as i64;
    assert_eq!(first.open_problems, Some(open_here));

    // Per indicator: every leaf once, in order, with what each module stored for it.
    assert_eq!(d.indicators.len() as i64, d.indicator_count);
    assert!(d.indicators.windows(2).all(|w| w[0].no < w[1].no));
    let complete = d
        .indicators
        .iter()
        .filter(|i| i.evidence_label.as_deref() == Some("齐全"))
        .count() as i64;
    assert_eq!(complete, comp.complete);
    assert!(
        complete > 0,
        "the demo has indicators with all their material"
    );
    for i in &d.indicators {
        let t = tasks
            .iter()
            .find(|t| t.indicator_id == i.indicator_id)
            .expect("task");
        assert_eq!(i.leads.len(), t.leads.len(), "指标{}", i.no);
        let r = res
            .aspects
            .iter()
            .flat_map(|a| &a.indicators)
            .find(|r| r.indicator_id == i.indicator_id)
            .expect("result");
        assert_eq!(i.score, r.score, "指标{}", i.no);
        let rating = sa
            .iter()
            .find(|x| x.indicator_id == i.indicator_id)
            .map(|x| x.rating.clone());
        assert_eq!(
            i.self_rating,
            Some(rating.unwrap_or_default()),
            "指标{}",
            i.no
        );
    }
    assert_eq!(
        d.indicators
            .iter()
            .filter(|i| i.aspect == first.aspect)
            .map(|i| i.open_problems.expect("problems exist"))
            .sum::<i64>(),
        d.aspects[0].open_problems.expect("problems exist")
    );

    // The headline lines name what exists, with the overdue figure flagged.
    let h = d.headlines();
    let overdue = h
        .iter()
        .find(|x| x.label == "逾期问题")
        .expect("overdue line");
    assert!(overdue.alert);
    assert_eq!(
        overdue.value,
        d.problems.as_ref().expect("p").overdue.to_string()
    );
}

#[test]
fn a_new_campaign_hides_every_figure_it_has_no_data_for() {
    let (_d, ws) = shifan_tests::with_demo_campaign();
    let d = ws.dashboard(day("2023-06-01")).expect("dashboard");
    assert!(d.phase.is_none());
    assert!(d.assigned.is_none());
    assert!(d.evidence.is_none());
    assert!(d.self_check.is_none());
    assert!(d.problems.is_none());
    assert!(d.evaluation.is_none());
    assert!(d.units.is_empty() && d.risks.is_empty());
    assert_eq!(d.indicator_count, 100);
    assert!(d.aspects.iter().all(|a| a.assigned.is_none()
        && a.evidence_complete.is_none()
        && a.open_problems.is_none()
        && a.score.is_none()));
    assert!(d.headlines().is_empty());
}

#[test]
fn the_ledger_figures_follow_the_day_they_are_judged_on() {
    let (_d, ws) = shifan_tests::with_problems();
    let early = ws.dashboard(day("2000-01-01")).expect("dashboard");
    let p = early.problems.as_ref().expect("problems");
    assert_eq!(p.overdue, 0);
    assert!(p.open > 0);
    check_problems(&ws, &early, "2000-01-01");
    let late = ws.dashboard(day("2031-01-01")).expect("dashboard");
    check_problems(&ws, &late, "2031-01-01");
    assert!(late.problems.as_ref().expect("p").overdue > 0);
    // Only the ledger is there: no 任务分解, evidence or evaluation figures.
    assert!(late.assigned.is_none() && late.evidence.is_none() && late.evaluation.is_none());
}

#[test]
fn tasks_alone_show_the_assignment_share() {
    let (_d, ws) = shifan_tests::with_tasks();
    let d = ws.dashboard(day("2023-06-01")).expect("dashboard");
    let tasks = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("tasks");
    let a = d.assigned.expect("assigned");
    assert_eq!(
        a.done,
        tasks.iter().filter(|t| !t.leads.is_empty()).count() as i64
    );
    assert_eq!(a.total, 100);
    assert!(d.problems.is_none());
}

/// The text of a .docx body, tags removed.
fn docx_text(path: &std::path::Path) -> String {
    let xml = shifan_tests::xlsx_part(path, "word/document.xml");
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn media_count(path: &std::path::Path) -> usize {
    let f = std::fs::File::open(path).expect("open");
    let z = zip::ZipArchive::new(f).expect("zip");
    z.file_names()
        .filter_map(|n| n.ok())
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .count()
}

struct CancelAfter {
    seen: std::sync::atomic::AtomicU64,
    after: u64,
    cancel: shifan_core::progress::Cancel,
}

impl shifan_core::progress::Progress for CancelAfter {
    fn report(&self, _: u64, _: u64, _: &str) {
        if self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 >= self.after {
            self.cancel.cancel();
        }
    }
}

#[test]
fn the_report_carries_the_dashboard_figures_tables_and_charts() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let today = day("2031-01-01");
    let dash = ws.dashboard(today).expect("dashboard");
    let path = d.path().join("报告.docx");
    let r = ws
        .export_report(&path, today, &shifan_core::Job::quiet())
        .expect("report");
    let text = docx_text(&path);
    assert!(text.contains("工作进展情况报告"), "{text}");
    assert!(text.contains("2031年1月1日"));
    let a = dash.assigned.expect("assigned");
    assert!(text.contains(&format!(
        "{} 项指标中已有 {} 项明确牵头单位",
        a.total, a.done
    )));
    let p = dash.problems.as_ref().expect("problems");
    assert!(text.contains(&format!(
        "督察发现问题 {} 项，已整改 {} 项，尚未完成 {} 项，其中逾期 {} 项",
        p.total, p.done, p.open, p.overdue
    )));
    let e = dash.evaluation.as_ref().expect("evaluation");
    assert!(
        text.contains(&format!("{} 分（满分 {}）", e.score.expect("score"), e.max))
            || text.contains(&format!("{}分（满分 {}）", e.score.expect("score"), e.max))
    );
    // One row per aspect, the top risks by number, the longest-overdue problem.
    for x in &dash.aspects {
        assert!(text.contains(&x.aspect), "{}", x.aspect);
    }
    for risk in dash.risks.iter().take(10) {
        assert!(text.contains(&format!("第{}项", risk.no)), "{}", risk.no);
    }
    let worst = dash.units.first().expect("a unit");
    assert!(text.contains(&worst.unit_name));
    let overdue = ws
        .list_problems(&ProblemFilter {
            today: Some("2031-01-01".into()),
            overdue_only: Some(true),
            ..ProblemFilter::default()
        })
        .expect("overdue");
    let longest = overdue
        .iter()
        .max_by_key(|p| (p.overdue_days, std::cmp::Reverse(p.id)))
        .expect("overdue problem");
    assert!(text.contains(&longest.description));
    assert_eq!(r.sections.len(), 5, "{:?}", r.sections);
    assert_eq!(media_count(&path) as i64, r.charts);
    assert_eq!(r.charts, 3);
    assert!(text.contains("特此报告"));
}

#[test]
fn a_cancelled_report_leaves_the_old_file_and_a_new_campaign_still_gets_one() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let path = d.path().join("报告.docx");
    std::fs::write(&path, b"old").expect("old");
    for after in 1..=4 {
        let cancel = shifan_core::progress::Cancel::new();
        let p = CancelAfter {
            seen: Default::default(),
            after,
            cancel: cancel.clone(),
        };
        let r = ws.export_report(&path, day("2031-01-01"), &shifan_core::Job::new(&p, cancel));
        assert!(
            matches!(r, Err(shifan_core::Error::Cancelled)),
            "{after}: {r:?}"
        );
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
    }
    // Nothing beside the old file (no temp file left behind).
    let mut names: Vec<String> = std::fs::read_dir(d.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["报告.docx", "数据 文件夹"]);

    let (d2, ws2) = shifan_tests::with_demo_campaign();
    let p2 = d2.path().join("空.docx");
    let r = ws2
        .export_report(&p2, day("2023-06-01"), &shifan_core::Job::quiet())
        .expect("report of an empty campaign");
    assert_eq!(r.charts, 0);
    assert!(docx_text(&p2).contains("暂无可报告的进展"));
}

#[test]
fn the_summary_image_is_a_phone_width_png_of_the_headline_figures() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let today = day("2031-01-01");
    let dash = ws.dashboard(today).expect("dashboard");
    let path = d.path().join("一图读懂.png");
    let r = ws.export_summary_image(&path, today).expect("image");
    let png = std::fs::read(&path).expect("read");
    assert_eq!(&png[1..4], b"PNG");
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    assert_eq!((be(16), be(20)), (1080, r.height));
    // Every headline but the phase (drawn apart) is a card; the SVG names the worst unit.
    assert_eq!(r.figures as usize, dash.headlines().len() - 1);
    let (svg, _) = shifan_core::summary::svg(&dash);
    let worst = dash
        .units
        .iter()
        .find(|u| u.overdue > 0)
        .expect("overdue unit");
    assert!(svg.contains(&worst.unit_name));
    assert!(svg.contains(&dash.phase.as_ref().expect("phase").label));
}

#[test]
fn the_package_holds_the_archive_self_table_report_and_index_in_a_folder_or_a_zip() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let today = day("2031-01-01");
    let q = shifan_core::Job::quiet();
    let zip_path = d.path().join("申报材料.zip");
    let r = ws
        .export_package(&zip_path, today, &q)
        .expect("zip package");
    let f = std::fs::File::open(&zip_path).expect("open");
    let z = zip::ZipArchive::new(f).expect("zip");
    let names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(String::from))
        .collect();
    for top in [
        shifan_core::package::INDEX,
        shifan_core::package::SELF_TABLE,
        shifan_core::package::REPORT,
    ] {
        assert!(names.iter().any(|n| n == top), "{top} in {names:?}");
    }
    let archive = format!("{}/", shifan_core::package::ARCHIVE_DIR);
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&archive) && n.ends_with("总目录.xlsx"))
    );
    assert_eq!(r.entries.len(), 4);

    // The folder form: the same files; the self table lists every indicator with its rating.
    let dir = d.path().join("申报材料");
    ws.export_package(&dir, today, &q).expect("folder package");
    let sheet = shifan_tests::xlsx_part(
        &dir.join(shifan_core::package::SELF_TABLE),
        "xl/sharedStrings.xml",
    );
    let sa = ws.list_self_assessments().expect("self");
    let rated = sa.iter().find(|a| !a.rating.is_empty()).expect("rated");
    assert!(sheet.contains(&rated.text));
    let index = docx_text(&dir.join(shifan_core::package::INDEX));
    assert!(index.contains(shifan_core::package::REPORT) && index.contains("自查评价表"));
    let report = docx_text(&dir.join(shifan_core::package::REPORT));
    assert!(report.contains("2031年1月1日"));

    // Cancelled at any step: nothing new beside the targets.
    let before: Vec<_> = std::fs::read_dir(d.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name())
        .collect();
    for after in [1, 5, 20, 60] {
        let cancel = shifan_core::progress::Cancel::new();
        let p = CancelAfter {
            seen: Default::default(),
            after,
            cancel: cancel.clone(),
        };
        let r = ws.export_package(
            &d.path().join("另一个.zip"),
            today,
            &shifan_core::Job::new(&p, cancel),
        );
        assert!(
            matches!(r, Err(shifan_core::Error::Cancelled)),
            "{after}: {r:?}"
        );
        let now: Vec<_> = std::fs::read_dir(d.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name())
            .collect();
        assert_eq!(now.len(), before.len(), "{after}: {now:?}");
    }
}

#[test]
fn a_package_run_removes_the_temp_tree_a_killed_run_left_but_not_a_live_runs() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let out = d.path().join("申报");
    std::fs::create_dir_all(&out).expect("mkdir");
    // A killed run's tree (an hour old, a half-copied archive in it) and a live run's (now).
    let dead = out.join(".shifan-package-dead1");
    let live = out.join(".shifan-package-live1");
    for dir in [&dead, &live] {
        std::fs::create_dir_all(dir.join(shifan_core::package::ARCHIVE_DIR)).expect("mkdir");
        std::fs::write(dir.join(shifan_core::package::REPORT), b"PK half").expect("w");
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(&dead)
        .expect("open dir")
        .set_modified(hour_ago)
        .expect("age");
    ws.export_package(
        &out.join("申报材料.zip"),
        day("2031-01-01"),
        &shifan_core::Job::quiet(),
    )
    .expect("package");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".shifan-package-live1", "申报材料.zip"]);
}
