//! The exported 指标体系表: what an office prints and sends to units.
use calamine::{Data, Reader, Xlsx, open_workbook};
use shifan_tests::{fixture, with_demo_campaign, xlsx_part};

fn sheet_xml(path: &std::path::Path) -> (String, String) {
    (
        xlsx_part(path, "xl/worksheets/sheet1.xml"),
        xlsx_part(path, "xl/workbook.xml"),
    )
}

#[test]
fn export_has_title_header_merged_hierarchy_and_print_setup() {
    let (d, ws) = with_demo_campaign();
    let out = d.path().join("导出 结果").join("指标体系表.xlsx");
    std::fs::create_dir_all(out.parent().expect("parent")).expect("dir");
    ws.export_indicators(None, &out).expect("exports");

    let mut wb: Xlsx<_> = open_workbook(&out).expect("opens");
    let range = wb.worksheet_range("指标体系").expect("sheet");
    let header: Vec<String> = (0..6)
        .map(|c| {
            range
                .get_value((1, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        header,
        vec![
            "序号",
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "评估方式"
        ]
    );
    assert!(
        range
            .get_value((0, 0))
            .is_some_and(|v| v.to_string().contains("演示")),
        "title names the demo system"
    );
    assert_eq!(range.get_value((2, 0)), Some(&Data::Float(1.0)));
    assert_eq!(range.get_value((101, 0)), Some(&Data::Float(100.0)));
    let merges = wb.merge_cells_by_sheet_name("指标体系").expect("merges");
    let col1 = merges
        .iter()
        .filter(|m| m.start.1 == 1 && m.end.1 == 1)
        .count();
    let col2 = merges
        .iter()
        .filter(|m| m.start.1 == 2 && m.end.1 == 2)
        .count();
    assert_eq!(col1, 8, "each 一级 merged over its rows");
    assert!(col2 >= 20, "二级 merged ({col2})");

    let (xml, wbxml) = sheet_xml(&out);
    assert!(
        xml.contains("ySplit=\"2\"") && xml.contains("state=\"frozen\""),
        "header frozen"
    );
    assert!(
        xml.contains("orientation=\"landscape\"") && xml.contains("paperSize=\"9\""),
        "A4 landscape"
    );
    assert!(
        wbxml.contains("_xlnm.Print_Titles"),
        "header repeated on every printed page"
    );
    // The indicator text column is wide enough for Chinese text (≥ 30 characters).
    let width = xml
        .split("<col ")
        .filter(|c| c.contains("min=\"4\""))
        .find_map(|c| {
            c.split("width=\"")
                .nth(1)
                .and_then(|w| w.split('"').next())
                .and_then(|w| w.parse::<f64>().ok())
        });
    assert!(
        width.is_some_and(|w| w >= 30.0),
        "text column width {width:?}"
    );
}

#[test]
fn an_exported_system_imports_back_to_the_same_tree() {
    let (d, mut ws) = with_demo_campaign();
    let out = d.path().join("往返.xlsx");
    ws.export_indicators(None, &out).expect("exports");
    let original = ws.indicator_leaves(None, None).expect("leaves");
    let s = ws
        .apply(
            &shifan_core::IndicatorImport::new(&out, false),
            &shifan_core::Job::quiet(),
        )
        .expect("imports back");
    let back = ws.indicator_leaves(Some(s.id), None).expect("leaves");
    let key = |v: &[shifan_core::model::IndicatorLeaf]| {
        v.iter()
            .map(|l| (l.no, l.text.clone(), l.path.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&back), key(&original));
    assert_eq!(s.level_names, vec!["一级指标", "二级指标", "三级指标"]);
}

#[test]
fn four_level_and_two_level_systems_export_with_their_own_columns() {
    for (file, cols) in [
        ("four-level.xlsx", 4usize),
        ("hubei-style-9-aspects.xlsx", 2),
    ] {
        let (d, mut ws) = with_demo_campaign();
        let s = ws
            .apply(
                &shifan_core::IndicatorImport::new(fixture(&format!("indicators/{file}")), false),
                &shifan_core::Job::quiet(),
            )
            .expect(file);
        let out = d.path().join("x.xlsx");
        ws.export_indicators(Some(s.id), &out).expect("exports");
        let mut wb: Xlsx<_> = open_workbook(&out).expect("opens");
        let range = wb.worksheet_range("指标体系").expect("sheet");
        let header: Vec<String> = (0..(cols as u32 + 3))
            .map(|c| {
                range
                    .get_value((1, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(header[0], "序号");
        assert_eq!(&header[1..=cols], &s.level_names[..], "{file}");
        assert_eq!(header[cols + 1], "分值", "{file}");
    }
}

#[test]
fn export_to_a_missing_folder_fails_cleanly_in_chinese() {
    let (d, ws) = with_demo_campaign();
    let err = ws
        .export_indicators(None, &d.path().join("不存在").join("a.xlsx"))
        .expect_err("fails");
    assert!(err.to_string().contains("不存在"), "{err}");
}
