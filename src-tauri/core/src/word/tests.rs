//! Tests read the produced package back (zip + XML) and assert what Word and LibreOffice read.
//! `SHIFAN_WORD_SAMPLES=/some/dir cargo test -p shifan-core word::` also writes the three
//! sample documents there for the visual check in docs/gongwen.md.

use std::io::Read;

use chrono::NaiveDate;

use super::spec::{Role, Spec, mm};
use super::*;

fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut v = Vec::new();
            f.read_to_end(&mut v).expect("read");
            (f.name().expect("entry name").to_string(), v)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    let (_, v) = parts(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no part {name}"));
    String::from_utf8(v).expect("utf-8")
}

/// Every XML part must be well-formed (Word refuses the whole file otherwise).
fn assert_well_formed(bytes: &[u8]) {
    for (name, v) in parts(bytes) {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let text = String::from_utf8(v).expect("utf-8");
        let mut r = quick_xml::Reader::from_str(&text);
        let mut depth = 0i64;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::GeneralRef(r)) => {
                    let name = r.xml10_content().into_owned();
                    assert!(
                        ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_str()),
                        "{name}: unknown entity &{name};"
                    );
                }
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
            assert!(depth >= 0, "{name}: unbalanced");
        }
        assert_eq!(depth, 0, "{name}: unclosed elements");
    }
}

/// The order ECMA-376 (transitional) prescribes for the children of the elements we write;
/// Word refuses a file whose children are out of order, LibreOffice does not.
const SCHEMA_ORDER: &[(&str, &[&str])] = &[
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:rPr",
        &[
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
        ],
    ),
    (
        "w:sectPr",
        &[
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
        ],
    ),
    (
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        ],
    ),
    (
        "w:tblBorders",
        &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:insideH",
            "w:insideV",
        ],
    ),
    ("w:tblCellMar", &["w:top", "w:left", "w:bottom", "w:right"]),
    (
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
    ),
    ("w:tbl", &["w:tblPr", "w:tblGrid", "w:tr"]),
    ("w:tr", &["w:trPr", "w:tc"]),
    ("w:tc", &["w:tcPr", "w:p", "w:tbl"]),
    ("w:body", &["w:p", "w:sectPr"]),
    ("w:docDefaults", &["w:rPrDefault", "w:pPrDefault"]),
    (
        "w:style",
        &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
        ],
    ),
    (
        "w:settings",
        &[
            "w:zoom",
            "w:defaultTabStop",
            "w:evenAndOddHeaders",
            "w:characterSpacingControl",
            "w:compat",
            "w:themeFontLang",
            "w:decimalSymbol",
            "w:listSeparator",
        ],
    ),
    (
        "w:font",
        &[
            "w:altName",
            "w:panose1",
            "w:charset",
            "w:family",
            "w:notTrueType",
            "w:pitch",
        ],
    ),
    (
        "wp:inline",
        &[
            "wp:extent",
            "wp:effectExtent",
            "wp:docPr",
            "wp:cNvGraphicFramePr",
            "a:graphic",
        ],
    ),
];

/// Every element listed in `SCHEMA_ORDER` has its children in that order (a table may be
/// followed by paragraphs in the body: `w:tbl` ranks with `w:p` there).
fn assert_schema_order(bytes: &[u8]) {
    for (name, v) in parts(bytes) {
        if !name.ends_with(".xml") {
            continue;
        }
        let text = String::from_utf8(v).expect("utf-8");
        let mut r = quick_xml::Reader::from_str(&text);
        // (element name, rank of the last child seen)
        let mut stack: Vec<(String, usize)> = Vec::new();
        let check = |stack: &mut Vec<(String, usize)>, child: &str| {
            let Some((parent, last)) = stack.last_mut() else {
                return;
            };
            let child = if parent == "w:body" && child == "w:tbl" {
                "w:p"
            } else {
                child
            };
            if let Some((_, order)) = SCHEMA_ORDER.iter().find(|(p, _)| p == parent) {
                let rank = order
                    .iter()
                    .position(|c| *c == child)
                    .unwrap_or_else(|| panic!("{name}: {child} is not expected in {parent}"));
                assert!(
                    rank >= *last,
                    "{name}: {child} after a later child of {parent}"
                );
                *last = rank;
            }
        };
        loop {
            match r.read_event().expect("well-formed") {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) => {
                    let n = e.name().as_ref().to_string();
                    check(&mut stack, &n);
                    stack.push((n, 0));
                }
                quick_xml::events::Event::Empty(e) => {
                    let n = e.name().as_ref().to_string();
                    check(&mut stack, &n);
                }
                quick_xml::events::Event::End(_) => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
}

#[test]
fn every_part_follows_the_schema_order_word_insists_on() {
    let with_break = Doc::new()
        .with(Block::Para("正文".into()))
        .with(Block::PageBreak)
        .with(Block::Signature(Signature {
            org: "区司法局".into(),
            date: date(2023, 4, 14),
        }))
        .with(Block::PageBreak)
        .with(Block::Image(Image {
            png: chart_png(200, 100),
            width_mm: 40.0,
            caption: Some("图".into()),
        }))
        .with(Block::PageBreak)
        .with(Block::Title("标题".into()));
    for (doc, layout) in [
        (feedback_letter(), Layout::Gongwen),
        (progress_report(), Layout::Gongwen),
        (volume_index(30), Layout::Table),
        (with_break.clone(), Layout::Gongwen),
        (with_break, Layout::Table),
    ] {
        assert_schema_order(&render(&doc, layout).expect("render"));
    }
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A small PNG: a bar chart drawn in pixels (no text).
fn chart_png(w: u32, h: u32) -> Vec<u8> {
    let mut data = vec![255u8; (w * h * 3) as usize];
    let mut put = |x: u32, y: u32, rgb: [u8; 3]| {
        if x < w && y < h {
            let i = ((y * w + x) * 3) as usize;
            data[i..i + 3].copy_from_slice(&rgb);
        }
    };
    // axes
    for x in 40..w - 20 {
        put(x, h - 40, [0, 0, 0]);
    }
    for y in 20..h - 40 {
        put(40, y, [0, 0, 0]);
    }
    let values = [0.92, 0.75, 0.60, 0.83, 0.45, 0.70, 0.55, 0.88];
    let slot = (w - 80) / values.len() as u32;
    for (i, v) in values.iter().enumerate() {
        let x0 = 50 + i as u32 * slot;
        let top = (h - 40) - ((h - 80) as f64 * v) as u32;
        for x in x0..x0 + slot * 2 / 3 {
            for y in top..h - 40 {
                put(x, y, [0x2f, 0x5d, 0x9e]);
            }
        }
    }
    let mut buf = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut buf, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().expect("png header");
        wr.write_image_data(&data).expect("png data");
    }
    buf
}

const FEEDBACK_TITLE: &str = "关于曾都区司法局法治政府建设示范创建专项督察发现问题的反馈函";

/// The 督察问题反馈函 of the visual check.
fn feedback_letter() -> Doc {
    let problems = [
        (
            "制度建设",
            "第15项",
            "2022年以来制定的行政规范性文件中，有3件未按规定进行合法性审核即印发，审核意见书缺少审核人员签名。",
            "立即开展自查，对未经审核的文件进行补审；建立“一文一审”登记表，做到应审必审。",
            "2023年5月31日前",
        ),
        (
            "行政决策",
            "第21项",
            "重大行政决策事项目录未向社会公开，决策过程中公众参与、专家论证、风险评估等程序记录不完整。",
            "编制并公开年度重大行政决策事项目录，完善决策程序台账，逐项补齐程序性材料。",
            "2023年6月30日前",
        ),
        (
            "行政执法",
            "第37项",
            "行政执法“三项制度”落实不到位，部分执法案卷缺少法制审核意见，执法全过程记录资料归档不及时。",
            "组织开展执法案卷评查，补齐法制审核意见；明确音像记录归档时限并落实到人。",
            "2023年6月30日前",
        ),
        (
            "执法监督",
            "第45项",
            "行政执法人员持证上岗和资格管理制度执行不严，有2名执法人员执法证件过期未及时换领。",
            "全面清理执法证件，对过期证件限期换领；过期期间不得安排其独立从事执法工作。",
            "2023年5月15日前",
        ),
        (
            "矛盾化解",
            "第58项",
            "行政复议案件办理超期，1件案件未在法定期限内作出决定，也未依法办理延期手续。",
            "建立复议案件办理时限预警机制，每月通报案件办理进度，杜绝超期办理。",
            "长期坚持",
        ),
        (
            "权力监督",
            "第66项",
            "政府信息主动公开不全面，部分栏目更新不及时，政策解读材料与政策文件未同步发布。",
            "梳理主动公开事项清单，落实栏目专人维护；政策文件与解读材料同步起草、同步审签、同步发布。",
            "2023年5月31日前",
        ),
        (
            "法治宣传",
            "第82项",
            "“谁执法谁普法”普法责任清单未及时更新，以案释法典型案例发布数量不足。",
            "更新普法责任清单并向社会公布，每季度至少发布1个以案释法典型案例。",
            "每季度",
        ),
        (
            "组织保障",
            "第95项",
            "党政主要负责人履行推进法治建设第一责任人职责述法工作未列入年终述职内容，年度法治政府建设情况报告未按时公开。",
            "将述法纳入年终述职，按时通过门户网站公开年度法治政府建设情况报告。",
            "2023年12月31日前",
        ),
    ];
    let mut table = Table::new([
        "序号",
        "问题类型",
        "所涉指标",
        "问题描述",
        "整改要求",
        "整改时限",
    ])
    .widths_mm(&[12.0, 15.0, 15.0, 49.0, 45.0, 20.0]);
    for (i, (kind, ind, desc, req, when)) in problems.iter().enumerate() {
        table = table.row([
            (i + 1).to_string(),
            kind.to_string(),
            ind.to_string(),
            desc.to_string(),
            req.to_string(),
            when.to_string(),
        ]);
    }
    Doc::new()
        .with(Block::DocNo("曾法办函〔2023〕5号".into()))
        .with(Block::Title(FEEDBACK_TITLE.into()))
        .with(Block::Addressee("区司法局：".into()))
        .with(Block::Para(
            "根据《曾都区法治政府建设示范创建工作方案》安排，区委全面依法治区委员会办公室于2023年3月20日至3月31日对你单位法治政府建设示范创建工作开展了专项督察。督察组通过听取汇报、查阅资料、个别谈话、实地查看等方式，对照《市县法治政府建设示范指标体系》逐项进行了核查。现将督察发现的问题反馈如下，请认真抓好整改落实。"
                .into(),
        ))
        .with(Block::Heading1("一、督察发现的主要问题".into()))
        .with(Block::Para(
            "督察组共梳理出问题8个，涉及制度建设、行政决策、行政执法等8个方面，具体如下表。"
                .into(),
        ))
        .with(Block::Table(table))
        .with(Block::Heading1("二、整改要求".into()))
        .with(Block::Heading2("（一）提高思想认识，压实整改责任".into()))
        .with(Block::Para(
            "你单位要高度重视督察发现的问题，主要负责人要切实履行推进法治建设第一责任人职责，亲自研究部署整改工作，明确分管领导和具体责任人，做到问题不查清不放过、整改不到位不放过。"
                .into(),
        ))
        .with(Block::Heading2("（二）建立整改台账，实行销号管理".into()))
        .with(Block::Para(
            "对照问题清单逐项制定整改措施，明确整改目标、责任人和完成时限，建立整改台账，实行“对账销号”。能够立即整改的要立行立改；需要较长时间整改的，要制定阶段性目标，持续推进。"
                .into(),
        ))
        .with(Block::Heading2("（三）按时报送整改情况".into()))
        .with(Block::Heading3("1. 报送整改方案。".into()))
        .with(Block::Para(
            "请于2023年4月28日前将整改方案报送区委依法治区办。".into(),
        ))
        .with(Block::Heading3("2. 报送整改情况报告。".into()))
        .with(Block::Para(
            "请于2023年5月31日前将整改情况报告（加盖公章）及佐证材料报送区委依法治区办，电子版发送至 fzb@zengdu.example.gov.cn。逾期未整改或整改不到位的，将按照有关规定予以通报。"
                .into(),
        ))
        .with(Block::Para(
            "联系人：张明，联系电话：0722-3588123。".into(),
        ))
        .with(Block::Signature(Signature {
            org: "曾都区委全面依法治区委员会办公室".into(),
            date: date(2023, 4, 14),
        }))
}

/// The 进展情况报告 of the visual check: headings, a table, a chart and a landscape 附表.
fn progress_report() -> Doc {
    let levels = [
        ("一、政府职能依法全面履行", 14, 11, 3, 0),
        ("二、依法行政制度体系完善", 12, 9, 2, 1),
        ("三、重大行政决策科学民主合法", 10, 6, 3, 1),
        ("四、行政执法严格规范公正文明", 19, 16, 3, 0),
        ("五、行政权力制约和监督科学有效", 13, 7, 5, 1),
        ("六、社会矛盾纠纷依法有效化解", 12, 8, 4, 0),
        (
            "七、政府工作人员法治思维和依法行政能力全面提高",
            10,
            5,
            4,
            1,
        ),
        ("八、法治政府建设组织领导落实到位", 10, 8, 2, 0),
    ];
    let mut table = Table::new([
        "一级指标",
        "三级指标数",
        "已完成",
        "推进中",
        "未启动",
        "完成率",
    ]);
    for (name, n, done, doing, todo) in levels {
        table = table.row([
            name.to_string(),
            n.to_string(),
            done.to_string(),
            doing.to_string(),
            todo.to_string(),
            format!("{:.1}%", done as f64 * 100.0 / n as f64),
        ]);
    }
    let long = "各牵头单位按照任务分解表要求，对照指标逐项梳理工作举措，建立周调度、月通报工作机制，定期召开推进会，及时协调解决创建工作中遇到的困难和问题，确保各项任务按时保质完成。";
    let mut wide = Table::new([
        "序号",
        "三级指标",
        "牵头单位",
        "责任单位",
        "工作措施",
        "完成时限",
        "进展情况",
        "存在问题",
        "下一步措施",
        "备注",
    ])
    .widths_mm(&[10.0, 30.0, 20.0, 22.0, 35.0, 18.0, 30.0, 25.0, 25.0, 10.0]);
    for i in 1..=6 {
        wide = wide.row([
            i.to_string(),
            "行政规范性文件合法性审核全覆盖".into(),
            "区司法局".into(),
            "区直各部门、各街道".into(),
            "建立“一文一审”登记表，每季度开展文件清理".into(),
            "2023年9月底前".into(),
            "已审核文件56件，审核率100%".into(),
            "部分单位报送不及时".into(),
            "纳入月度通报".into(),
            String::new(),
        ]);
    }
    Doc::new()
        .with(Block::Title(
            "曾都区法治政府建设示范创建工作进展情况报告".into(),
        ))
        .with(Block::Addressee("区委全面依法治区委员会：".into()))
        .with(Block::Para(
            "今年以来，我区坚持以习近平法治思想为指导，对标《市县法治政府建设示范指标体系》，扎实推进法治政府建设示范创建各项工作。现将工作进展情况报告如下。".into(),
        ))
        .with(Block::Heading1("一、总体进展情况".into()))
        .with(Block::Para(format!("{long}\n{long}")))
        .with(Block::Heading2("（一）任务完成情况".into()))
        .with(Block::Para(
            "截至4月底，100项三级指标中已完成70项、推进中26项、未启动4项，总体完成率70.0%。各一级指标完成情况见下表。".into(),
        ))
        .with(Block::Table(table))
        .with(Block::Heading2("（二）完成率对比".into()))
        .with(Block::Para("各一级指标任务完成率如下图所示。".into()))
        .with(Block::Image(Image {
            png: chart_png(640, 360),
            width_mm: 140.0,
            caption: Some("图1  各一级指标任务完成率".into()),
        }))
        .with(Block::Heading1("二、存在的问题".into()))
        .with(Block::Para(format!("{long}\n{long}")))
        .with(Block::Heading1("三、下一步工作打算".into()))
        .with(Block::Para(format!("{long}\n{long}\n{long}")))
        .with(Block::Signature(Signature {
            org: "区司法局".into(),
            date: date(2023, 5, 8),
        }))
        .with(Block::Landscape(vec![
            Block::Heading1("附表：重点任务推进情况".into()),
            Block::Table(wide),
        ]))
}

/// The 卷内目录 of the visual check: 60 rows, so the header row repeats.
fn volume_index(rows: usize) -> Doc {
    let units = [
        "区司法局",
        "区政府办",
        "区市场监管局",
        "区政务服务和数据管理局",
    ];
    let mut t = Table::new([
        "序号",
        "材料名称",
        "责任单位",
        "形成日期",
        "文号",
        "页数",
        "备注",
    ])
    .widths_mm(&[10.0, 44.0, 22.0, 23.0, 27.0, 10.0, 10.0]);
    for i in 1..=rows {
        let name = if i % 5 == 0 {
            format!(
                "关于印发《曾都区行政规范性文件合法性审核工作规程（第{i}次修订）》的通知及起草说明"
            )
        } else {
            format!("规范性文件合法性审核意见书（第{i}件）")
        };
        t = t.row([
            i.to_string(),
            name,
            units[i % units.len()].to_string(),
            format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            format!("曾司审〔2023〕{i}号"),
            (1 + i % 9).to_string(),
            String::new(),
        ]);
    }
    Doc::new()
        .with(Block::Title("卷内目录".into()))
        .with(Block::Para(
            "案卷题名：行政规范性文件合法性审核　　卷号：017　　保管期限：长期".into(),
        ))
        .with(Block::Table(t))
}

/// Body text only, for counting the lines of a full page.
fn full_pages() -> Doc {
    let para = "各牵头单位按照任务分解表要求，对照指标逐项梳理工作举措，建立周调度、月通报工作机制，定期召开推进会，及时协调解决创建工作中遇到的困难和问题，确保各项任务按时保质完成。";
    let mut doc = Doc::new().with(Block::Title(
        "关于做好法治政府建设示范创建工作的通知".into(),
    ));
    for (i, n) in ["一", "二", "三"].iter().enumerate() {
        doc.push(Block::Heading1(format!("{n}、第{}部分", i + 1)));
        doc.push(Block::Para([para; 8].join("\n")));
    }
    doc
}

#[test]
fn samples_for_the_visual_check() {
    let feedback = render(&feedback_letter(), Layout::Gongwen).expect("letter");
    let report = render(&progress_report(), Layout::Gongwen).expect("report");
    let index = render(&volume_index(60), Layout::Table).expect("index");
    for b in [&feedback, &report, &index] {
        assert_well_formed(b);
    }
    if let Ok(dir) = std::env::var("SHIFAN_WORD_SAMPLES") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).expect("samples folder");
        for (name, doc, layout) in [
            ("feedback-letter.docx", feedback_letter(), Layout::Gongwen),
            ("progress-report.docx", progress_report(), Layout::Gongwen),
            ("volume-index.docx", volume_index(60), Layout::Table),
            ("full-pages.docx", full_pages(), Layout::Gongwen),
        ] {
            save(&doc, layout, &dir.join(name)).expect("saved");
        }
    }
}

#[test]
fn gongwen_page_is_a4_with_the_gbt9704_text_block() {
    // Word's own cm → twip rounding (567 per cm).
    assert_eq!((mm(37), mm(28), mm(35), mm(26)), (2098, 1588, 1985, 1474));
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let doc = part(&bytes, "word/document.xml");
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#),
        "{doc}"
    );
    assert!(doc.contains(
        r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1985" w:left="1588" w:header="851" w:footer="1418" w:gutter="0"/>"#
    ));
    // 版心 156 × 225 mm.
    let spec = Layout::Gongwen.spec();
    assert_eq!(spec.text_width(), 8844); // 156.0 mm
    assert_eq!(spec.text_height(), 12755); // 225.0 mm
}

#[test]
fn document_grid_gives_22_lines_of_28_characters() {
    let spec = Layout::Gongwen.spec();
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let doc = part(&bytes, "word/document.xml");
    assert!(
        doc.contains(r#"<w:docGrid w:type="lines" w:linePitch="579" w:charSpace="-849"/>"#),
        "{doc}"
    );
    // 22 lines fit the 版心, 23 do not.
    assert!(22 * 579 <= spec.text_height() && 23 * 579 > spec.text_height());
    // charSpace is 1/4096 pt relative to the 16 pt body font: 28 grid cells fill 156 mm.
    let pitch_pt: f64 = 16.0 + -849.0 / 4096.0;
    let line_tw = pitch_pt * 28.0 * 20.0;
    assert!((line_tw - 8844.0).abs() < 1.0, "{line_tw}");
    // Body paragraphs: exactly the grid pitch, so 22 lines a page also where the grid is
    // ignored.
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains(r#"w:line="579" w:lineRule="exact""#));
    // 28 characters a line: 16 pt characters 0.25 pt condensed (28 × 15.75 pt ≤ 442.2 pt) in
    // every 16 pt style on the grid, none in the title, tables or the footer.
    assert_eq!(spec.condense(spec.style(Role::Body)), Some(-5));
    let line_pt = spec.text_width() as f64 / 20.0;
    let condensed_pt = 16.0 + f64::from(spec.condense(spec.style(Role::Body)).unwrap_or(0)) / 20.0;
    assert!(28.0 * condensed_pt <= line_pt && 28.0 * 16.0 > line_pt);
    for role in [
        Role::Title,
        Role::TableText,
        Role::PageNumber,
        Role::Caption,
    ] {
        assert_eq!(spec.condense(spec.style(role)), None, "{role:?}");
    }
    assert_eq!(count(&styles, r#"<w:spacing w:val="-5"/>"#), 8);
    assert!(styles.contains(r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#));
    assert_eq!(
        Layout::Table
            .spec()
            .condense(Layout::Table.spec().style(Role::Body)),
        None
    );
}

#[test]
fn fonts_are_named_as_on_office_pcs_with_fallbacks() {
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let styles = part(&bytes, "word/styles.xml");
    let style = |id: &str| -> String {
        let start = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("style {id}"));
        let end = styles[start..].find("</w:style>").expect("end") + start;
        styles[start..end].to_string()
    };
    let normal = style("Normal");
    assert!(normal.contains(r#"w:eastAsia="仿宋_GB2312""#), "{normal}");
    assert!(normal.contains(r#"w:hint="eastAsia""#));
    assert!(normal.contains(r#"<w:sz w:val="32"/>"#));
    let title = style("DocTitle");
    assert!(
        title.contains(r#"w:eastAsia="方正小标宋简体""#) && title.contains(r#"<w:sz w:val="44"/>"#)
    );
    assert!(title.contains(r#"<w:jc w:val="center"/>"#));
    assert!(style("Heading1").contains(r#"w:eastAsia="黑体""#));
    assert!(style("Heading2").contains(r#"w:eastAsia="楷体_GB2312""#));
    assert!(style("Heading3").contains(r#"w:eastAsia="仿宋_GB2312""#));
    let body = style("BodyText");
    assert!(body.contains(r#"w:firstLineChars="200""#), "{body}");
    let page = style("PageNumber");
    assert!(page.contains(r#"w:eastAsia="宋体""#) && page.contains(r#"<w:sz w:val="28"/>"#));
    // Language: Chinese for East-Asian text.
    assert!(styles.contains(r#"w:eastAsia="zh-CN""#));
    let fonts = part(&bytes, "word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong"/>"#));
    assert!(fonts.contains(r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体,KaiTi"/>"#));
    assert!(fonts.contains(r#"w:name="方正小标宋简体""#));
}

#[test]
fn page_numbers_have_dashes_odd_right_even_left() {
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let odd = part(&bytes, "word/footer1.xml");
    let even = part(&bytes, "word/footer2.xml");
    for f in [&odd, &even] {
        assert!(
            f.contains(r#"<w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> —</w:t>"#),
            "{f}"
        );
    }
    assert!(odd.contains(r#"<w:ind w:right="280" w:rightChars="100"/><w:jc w:val="right"/>"#));
    assert!(even.contains(r#"<w:ind w:left="280" w:leftChars="100"/><w:jc w:val="left"/>"#));
    let settings = part(&bytes, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains(r#"<w:footerReference w:type="default" r:id="rIdFtr1"/><w:footerReference w:type="even" r:id="rIdFtr2"/>"#));
    let rels = part(&bytes, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Id="rIdFtr2""#) && rels.contains(r#"Target="footer2.xml""#));
    let types = part(&bytes, "[Content_Types].xml");
    assert!(types.contains(r#"PartName="/word/footer2.xml""#));
    // No field anywhere in the body: user text is text.
    assert_eq!(count(&doc, "fldSimple"), 0);
    assert_eq!(count(&doc, "instrText"), 0);
}

#[test]
fn header_row_repeats_and_the_table_fits_the_text_block() {
    let bytes = render(&volume_index(60), Layout::Table).expect("render");
    let doc = part(&bytes, "word/document.xml");
    assert_eq!(count(&doc, "<w:tblHeader/>"), 1);
    let first_row = doc.find("<w:tr>").expect("a row");
    let header = doc.find("<w:tblHeader/>").expect("header");
    let second_row = doc[first_row + 1..].find("<w:tr>").expect("row 2") + first_row + 1;
    assert!(first_row < header && header < second_row);
    assert_eq!(count(&doc, "<w:tr>"), 61);
    // Grid columns add up to no more than the text width (11906 − 2 × 1800).
    let spec = Layout::Table.spec();
    let total: u32 = doc
        .match_indices(r#"<w:gridCol w:w=""#)
        .map(|(i, m)| {
            let rest = &doc[i + m.len()..];
            rest[..rest.find('"').expect("quote")]
                .parse::<u32>()
                .expect("number")
        })
        .sum();
    assert!(
        total <= spec.text_width() && total > spec.text_width() - 300,
        "{total}"
    );
    // The table layout: normal margins, page x of y, no odd/even footers.
    assert!(doc.contains(r#"w:top="1440" w:right="1800" w:bottom="1440" w:left="1800""#));
    let footer = part(&bytes, "word/footer1.xml");
    assert!(footer.contains(r#"w:instr=" NUMPAGES ""#) && footer.contains("第 "));
    assert!(!part(&bytes, "word/settings.xml").contains("evenAndOddHeaders"));
    assert!(parts(&bytes).iter().all(|(n, _)| n != "word/footer2.xml"));
}

#[test]
fn our_own_reader_reads_the_table_back() {
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let grids = crate::sheet::docx::read_tables("反馈函.docx", &bytes).expect("read back");
    assert_eq!(grids.len(), 1);
    let g = &grids[0];
    assert_eq!(g.rows.len(), 9);
    assert_eq!(g.rows[0][3].text, "问题描述");
    assert_eq!(g.rows[8][5].text, "2023年12月31日前");
    assert!(
        g.caption
            .iter()
            .any(|c| c.contains("督察组共梳理出问题8个"))
    );
}

#[test]
fn the_date_is_written_in_arabic_numerals_without_padding() {
    assert_eq!(chinese_date(date(2023, 4, 14)), "2023年4月14日");
    assert_eq!(chinese_date(date(2023, 10, 1)), "2023年10月1日");
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains(">2023年4月14日</w:t>"));
    assert!(!doc.contains("二〇二三"));
}

#[test]
fn the_signature_sits_over_the_date_four_characters_in() {
    // A short name is centred over the date, the date 右空四字.
    let (org, date_r) = body::signature_indents(4.0, 6.5, 4.0, 2.0);
    assert_eq!((org, date_r), (5.25, 4.0));
    // A name longer than the date: 右空二字, the date centred under it.
    let (org, date_r) = body::signature_indents(16.0, 6.5, 4.0, 2.0);
    assert_eq!((org, date_r), (2.0, 6.75));
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains(r#"<w:ind w:right="632" w:rightChars="200"/></w:pPr><w:r><w:t xml:space="preserve">曾都区委全面依法治区委员会办公室"#), "{doc}");
    assert!(doc.contains(r#"<w:ind w:right="2132" w:rightChars="675"/></w:pPr><w:r><w:t xml:space="preserve">2023年4月14日"#));
    // The paragraph before the 落款 keeps with it, so it never stands alone on a page.
    let sig = doc
        .find("曾都区委全面依法治区委员会办公室<")
        .expect("signature");
    let before = &doc[..sig];
    let contact = before.rfind("联系人").expect("contact line");
    let para_start = before[..contact].rfind("<w:p>").expect("p");
    assert!(before[para_start..contact].contains("<w:keepNext/>"));
}

#[test]
fn special_characters_are_escaped_and_forbidden_ones_dropped() {
    let text = "A&B <c> \"d\" 'e' 😀 \u{1}x\u{FFFE}y\u{b} 𠀀";
    let doc = Doc::new()
        .with(Block::Title(text.into()))
        .with(Block::Para(text.into()))
        .with(Block::Table(Table::new([text]).row([text])))
        .with(Block::Signature(Signature {
            org: text.into(),
            date: date(2024, 1, 2),
        }));
    let bytes = render(&doc, Layout::Gongwen).expect("render");
    assert_well_formed(&bytes);
    let xml = part(&bytes, "word/document.xml");
    let want = "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos; 😀 xy 𠀀";
    assert_eq!(count(&xml, want), 5, "{xml}");
    assert!(!xml.contains('\u{1}') && !xml.contains('\u{FFFE}') && !xml.contains('\u{b}'));
    // The title is also the document's title property.
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains(&format!("<dc:title>{want}</dc:title>")));
}

#[test]
fn user_text_that_looks_like_a_field_stays_text() {
    let doc = Doc::new().with(Block::Para("{ PAGE } =SUM(A1) <w:fldSimple/>".into()));
    let bytes = render(&doc, Layout::Gongwen).expect("render");
    let xml = part(&bytes, "word/document.xml");
    assert!(xml.contains("{ PAGE } =SUM(A1) &lt;w:fldSimple/&gt;"));
    assert_eq!(count(&xml, "<w:fldSimple"), 0);
}

#[test]
fn line_breaks_make_paragraphs_in_text_and_lines_in_cells() {
    let doc = Doc::new()
        .with(Block::Para(
            "第一段\r\n\n　　第二段（带全角空格缩进）\n".into(),
        ))
        .with(Block::Table(Table::new(["甲"]).row(["一行\n二行"])));
    let bytes = render(&doc, Layout::Gongwen).expect("render");
    let xml = part(&bytes, "word/document.xml");
    assert_eq!(count(&xml, r#"<w:pStyle w:val="BodyText"/>"#), 2);
    assert!(xml.contains(">第二段（带全角空格缩进）<"));
    assert!(xml.contains(r#">一行</w:t><w:br/><w:t xml:space="preserve">二行<"#));
}

#[test]
fn long_titles_break_between_words_into_a_trapezoid() {
    assert_eq!(
        title::lines(FEEDBACK_TITLE, 20.0),
        vec![
            "关于曾都区司法局法治政府建设",
            "示范创建专项督察发现问题的反馈函"
        ]
    );
    assert_eq!(title::lines("卷内目录", 20.0), vec!["卷内目录"]);
    assert_eq!(
        title::lines("第一行\n第二行", 20.0),
        vec!["第一行", "第二行"]
    );
    // Never a line starting with 的 or a closing bracket, never a cut inside a number.
    for t in [
        "关于印发《曾都区2023年法治政府建设示范创建工作要点》的通知",
        "曾都区委全面依法治区委员会办公室关于开展2023年度法治督察工作的通知",
        "关于进一步做好迎接全国法治政府建设示范地区第三方评估实地核查工作的通知",
    ] {
        let lines = title::lines(t, 20.0);
        assert_eq!(lines.concat(), t);
        assert!(lines.iter().all(|l| xml::em_width(l) <= 20.0), "{lines:?}");
        for l in &lines[1..] {
            assert!(!l.starts_with(['的', '》', '）', '，']), "{lines:?}");
        }
        for w in lines.windows(2) {
            let (a, b) = (w[0].chars().last(), w[1].chars().next());
            assert!(
                !(a.is_some_and(|c| c.is_ascii_digit()) && b.is_some_and(|c| c.is_ascii_digit())),
                "{lines:?}"
            );
        }
    }
    let bytes = render(&feedback_letter(), Layout::Gongwen).expect("render");
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains("关于曾都区司法局法治政府建设</w:t><w:br/><w:t xml:space=\"preserve\">示范创建专项督察发现问题的反馈函"));
}

#[test]
fn pictures_are_embedded_and_bad_ones_refused_in_chinese() {
    let png = chart_png(200, 100);
    let doc = Doc::new().with(Block::Image(Image {
        png: png.clone(),
        width_mm: 500.0, // wider than the 版心: capped
        caption: Some("图1 完成率".into()),
    }));
    let bytes = render(&doc, Layout::Gongwen).expect("render");
    assert_well_formed(&bytes);
    let media = parts(&bytes)
        .into_iter()
        .find(|(n, _)| n == "word/media/image1.png")
        .expect("picture part");
    assert_eq!(media.1, png);
    let xml = part(&bytes, "word/document.xml");
    // 156 mm wide (capped to the 版心), 78 mm high (2:1); 36 000 EMU a millimetre.
    let at = xml.find("<wp:extent cx=\"").expect("extent") + 15;
    let nums: Vec<f64> = xml[at..]
        .split('"')
        .step_by(2)
        .take(2)
        .map(|n| n.parse::<f64>().expect("number") / 36000.0)
        .collect();
    assert!(
        (nums[0] - 156.0).abs() < 0.1 && (nums[1] - 78.0).abs() < 0.1,
        "{nums:?}"
    );
    assert!(xml.contains(r#"r:embed="rIdImg1""#) && xml.contains(">图1 完成率<"));
    assert!(part(&bytes, "[Content_Types].xml").contains(r#"Extension="png""#));
    assert!(part(&bytes, "word/_rels/document.xml.rels").contains(r#"Target="media/image1.png""#));

    let bad = Doc::new().with(Block::Image(Image {
        png: b"GIF89a not a png".to_vec(),
        width_mm: 50.0,
        caption: None,
    }));
    let err = render(&bad, Layout::Gongwen).expect_err("refused");
    assert_eq!(err.kind(), "invalid");
    assert!(err.to_string().contains("PNG"), "{err}");
}

#[test]
fn a_landscape_section_turns_the_page_and_portrait_resumes() {
    let doc = Doc::new()
        .with(Block::Para("竖排".into()))
        .with(Block::Landscape(vec![Block::Table(
            Table::new(["甲", "乙"]).row(["1", "2"]),
        )]))
        .with(Block::Para("又竖排".into()));
    let bytes = render(&doc, Layout::Gongwen).expect("render");
    let xml = part(&bytes, "word/document.xml");
    assert_eq!(count(&xml, "<w:sectPr>"), 3);
    let land = xml.find(r#"w:orient="landscape""#).expect("landscape");
    assert!(xml[..land].contains("竖排") && xml[land..].contains("又竖排"));
    assert!(xml.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#));
    // The 版心 turned: 订口 28 mm on top.
    assert!(xml.contains(r#"<w:pgMar w:top="1588" w:right="2098" w:bottom="1474" w:left="1985""#));
    // The table takes the width of the turned 版心 (225 mm = 12 755 twips), not 156 mm.
    let grid_total: u32 = xml
        .match_indices(r#"<w:gridCol w:w=""#)
        .map(|(i, m)| {
            let rest = &xml[i + m.len()..];
            rest[..rest.find('"').expect("quote")]
                .parse::<u32>()
                .expect("number")
        })
        .sum();
    assert_eq!(grid_total, 12755);
    // The body ends with the portrait section.
    assert!(xml.ends_with(r#"</w:sectPr></w:body></w:document>"#));
    let last = xml.rfind("<w:sectPr>").expect("last");
    assert!(xml[last..].contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
}

#[test]
fn page_breaks_start_the_next_paragraph_on_a_new_page() {
    let doc = Doc::new()
        .with(Block::PageBreak) // at the start: nothing to break
        .with(Block::Para("一".into()))
        .with(Block::PageBreak)
        .with(Block::Para("二".into()))
        .with(Block::PageBreak)
        .with(Block::Table(Table::new(["甲"])));
    let bytes = render(&doc, Layout::Gongwen).expect("render");
    let xml = part(&bytes, "word/document.xml");
    assert_eq!(count(&xml, "<w:pageBreakBefore/>"), 1);
    let two = xml.find(">二<").expect("二");
    assert!(xml[..two].rfind("<w:pageBreakBefore/>").is_some());
    assert_eq!(count(&xml, r#"<w:br w:type="page"/>"#), 1);
}

#[test]
fn rows_longer_than_the_header_are_refused_in_chinese() {
    let doc = Doc::new().with(Block::Table(
        Table::new(["甲", "乙"])
            .row(["1", "2"])
            .row(["1", "2", "3"]),
    ));
    let err = render(&doc, Layout::Gongwen).expect_err("refused");
    assert_eq!(err.kind(), "invalid");
    assert!(err.to_string().contains("表格第2行有3个单元格"), "{err}");
    // Shorter rows are padded.
    let ok = Doc::new().with(Block::Table(Table::new(["甲", "乙"]).row(["1"])));
    let xml = part(
        &render(&ok, Layout::Gongwen).expect("render"),
        "word/document.xml",
    );
    assert_eq!(count(&xml, "<w:tc>"), 4);
}

#[test]
fn automatic_widths_give_short_columns_their_text_and_the_rest_to_long_ones() {
    let t = Table::new(["序号", "材料名称", "页数"]).row([
        "1",
        "关于印发《曾都区行政规范性文件合法性审核工作规程》的通知",
        "12",
    ]);
    let w = body::column_widths(&t, 3, 8306, 210.0, 85);
    assert_eq!(w.iter().sum::<u32>(), 8306);
    assert!(w[1] > w[0] * 4 && w[1] > w[2] * 4, "{w:?}");
    assert_eq!(
        body::column_aligns(&t, 3),
        vec![Align::Center, Align::Left, Align::Center]
    );
    // Given widths wider than the text block are scaled down to it.
    let t = Table::new(["a", "b"]).widths_mm(&[200.0, 100.0]);
    let w = body::column_widths(&t, 2, 8844, 240.0, 85);
    assert!(
        w.iter().sum::<u32>() <= 8844 && w[0] == 2 * w[1] + w[0] % 2,
        "{w:?}"
    );
}

#[test]
fn a_table_of_ten_thousand_rows_renders() {
    let mut t = Table::new([
        "序号",
        "材料名称",
        "责任单位",
        "形成日期",
        "文号",
        "页数",
        "备注",
    ]);
    t.rows = (1..=10_000)
        .map(|i| {
            vec![
                i.to_string(),
                format!("规范性文件合法性审核意见书（第{i}件）"),
                "区司法局".into(),
                "2023-04-14".into(),
                format!("曾司审〔2023〕{i}号"),
                "3".into(),
                String::new(),
            ]
        })
        .collect();
    let doc = Doc::new()
        .with(Block::Title("卷内目录".into()))
        .with(Block::Table(t));
    let bytes = render(&doc, Layout::Table).expect("render");
    let xml = part(&bytes, "word/document.xml");
    assert_eq!(count(&xml, "<w:tr>"), 10_001);
}

#[test]
fn save_writes_the_file_whole_and_replaces_an_old_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("反馈函.docx");
    std::fs::write(&path, b"old").expect("old file");
    let written = save(&feedback_letter(), Layout::Gongwen, &path).expect("saved");
    assert_eq!(written, path);
    let bytes = std::fs::read(&path).expect("read");
    assert_well_formed(&bytes);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.path() != path)
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A folder that does not exist: a Chinese message naming the file.
    let err = save(
        &feedback_letter(),
        Layout::Gongwen,
        &dir.path().join("无此文件夹").join("a.docx"),
    )
    .expect_err("refused");
    assert!(err.to_string().contains("a.docx"), "{err}");
}

#[test]
fn every_layout_has_a_style_for_every_role_and_ids_are_unique() {
    for layout in [Layout::Gongwen, Layout::Table] {
        let spec = layout.spec();
        let mut ids = Vec::new();
        for role in Spec::roles() {
            let found = spec.styles.iter().find(|(r, _)| r == role);
            assert!(found.is_some(), "{layout:?} lacks {role:?}");
            ids.push(spec.style(*role).id);
        }
        let mut dedup = ids.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), ids.len(), "{layout:?}: {ids:?}");
        assert_eq!(spec.style(Role::Normal).id, "Normal");
    }
}

#[test]
fn an_empty_document_is_still_a_valid_package() {
    let bytes = render(&Doc::new(), Layout::Gongwen).expect("render");
    assert_well_formed(&bytes);
    let xml = part(&bytes, "word/document.xml");
    assert!(
        xml.contains(r#"<w:body><w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr></w:p><w:sectPr>"#)
    );
}

#[test]
fn a_page_break_before_the_signature_drops_the_seal_gap() {
    let doc = Doc::new()
        .with(Block::Para("正文".into()))
        .with(Block::PageBreak)
        .with(Block::Signature(Signature {
            org: "区司法局".into(),
            date: date(2023, 4, 14),
        }));
    let xml = part(
        &render(&doc, Layout::Gongwen).expect("render"),
        "word/document.xml",
    );
    assert!(
        xml.contains(r#"<w:pStyle w:val="Signature"/><w:keepNext/><w:pageBreakBefore/><w:ind "#),
        "{xml}"
    );
    assert_eq!(count(&xml, r#"<w:pStyle w:val="Normal"/>"#), 0);
}

#[test]
fn the_header_row_repeats_only_when_asked() {
    let mut t = Table::new(["甲", "乙"]).row(["1", "2"]);
    t.header_repeat = false;
    let xml = part(
        &render(&Doc::new().with(Block::Table(t)), Layout::Table).expect("render"),
        "word/document.xml",
    );
    assert_eq!(count(&xml, "<w:tblHeader/>"), 0);
    assert_eq!(count(&xml, "<w:cantSplit/>"), 2);
}

#[test]
fn a_pasted_essay_as_title_is_left_to_word_and_renders_at_once() {
    let essay = "法治政府建设示范创建".repeat(1000);
    assert_eq!(title::lines(&essay, 20.0), vec![essay.clone()]);
    let doc = Doc::new().with(Block::Title(essay));
    let xml = part(
        &render(&doc, Layout::Gongwen).expect("render"),
        "word/document.xml",
    );
    assert_eq!(count(&xml, "<w:br/>"), 0);
    // Up to six lines are still broken at words.
    let six = "关于进一步做好迎接全国法治政府建设示范地区第三方评估实地核查工作的通知".repeat(3);
    let lines = title::lines(&six, 20.0);
    assert!(
        lines.len() >= 5 && lines.iter().all(|l| xml::em_width(l) <= 20.0),
        "{lines:?}"
    );
}
