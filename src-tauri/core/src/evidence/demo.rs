//! The demo campaign's evidence: packages as units send them (folders and a zip with
//! plausible names, small generated PDFs with Chinese text, PNG screenshots, Word and Excel
//! files, Windows junk), added through the real intake, then partly reviewed: most approved,
//! some waiting, two returned — one of them answered by a corrected file in a second package —
//! one file sent by two units, and a few names that file under no indicator (the 待归类 queue).

use std::io::Write;
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use super::add::{EvidenceAddOptions, EvidenceIntake};
use super::library::{EvidenceFilter, EvidenceReview, ReviewDecision};
use crate::error::{Error, Result};
use crate::progress::Job;
use crate::sheet::write::Book;
use crate::word::{self, Block, Doc, Layout};
use crate::workspace::Workspace;

/// A PDF of `pages` A4 pages with Chinese text (the standard STSong-Light font, which every
/// PDF reader provides, so nothing is embedded).
pub fn demo_pdf(title: &str, lines: &[&str], pages: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let descriptor = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(b"STSong-Light".to_vec())),
        ("Flags", Object::Integer(6)),
        (
            "FontBBox",
            Object::Array(vec![(-25).into(), (-254).into(), 1000.into(), 880.into()]),
        ),
        ("ItalicAngle", Object::Integer(0)),
        ("Ascent", Object::Integer(880)),
        ("Descent", Object::Integer(-120)),
        ("CapHeight", Object::Integer(880)),
        ("StemV", Object::Integer(93)),
    ]));
    let cid = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType0".to_vec())),
        ("BaseFont", Object::Name(b"STSong-Light".to_vec())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                (
                    "Registry",
                    Object::String(b"Adobe".to_vec(), StringFormat::Literal),
                ),
                (
                    "Ordering",
                    Object::String(b"GB1".to_vec(), StringFormat::Literal),
                ),
                ("Supplement", Object::Integer(2)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("DW", Object::Integer(1000)),
        // ASCII (CIDs 1–95 of Adobe-GB1) is half width.
        ("W", Object::Array(vec![1.into(), 95.into(), 500.into()])),
    ]));
    let font = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(b"STSong-Light".to_vec())),
        ("Encoding", Object::Name(b"UniGB-UCS2-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid)]),
        ),
    ]));
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let ucs2 = |s: &str| -> String {
        s.encode_utf16()
            .map(|u| format!("{u:04X}"))
            .collect::<String>()
    };
    let mut kids = Vec::new();
    for p in 0..pages.max(1) {
        let mut text = format!("BT /F1 20 Tf 90 760 Td <{}> Tj ET\n", ucs2(title));
        for (i, l) in lines.iter().enumerate() {
            text.push_str(&format!(
                "BT /F1 12 Tf 72 {} Td <{}> Tj ET\n",
                720 - 22 * i as i64,
                ucs2(l)
            ));
        }
        text.push_str(&format!(
            "BT /F1 10 Tf 280 40 Td <{}> Tj ET\n",
            ucs2(&format!("第 {} 页 共 {} 页", p + 1, pages.max(1)))
        ));
        let content = doc.add_object(Stream::new(Dictionary::new(), text.into_bytes()));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages_id));
        page.set("Contents", Object::Reference(content));
        page.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        );
        page.set("Resources", Object::Dictionary(resources.clone()));
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", Object::Name(b"Pages".to_vec()));
    pages_dict.set("Count", Object::Integer(kids.len() as i64));
    pages_dict.set("Kids", Object::Array(kids));
    doc.objects.insert(pages_id, Object::Dictionary(pages_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let mut out = Vec::new();
    // Saving a document we built cannot fail on a Vec; an empty result is caught by the caller.
    let _ = doc.save_to(&mut out);
    out
}

/// A PNG "screenshot": a page-like picture with a title bar and text lines as bars, its
/// colours from `seed` (so different screenshots have different bytes).
pub fn demo_png(seed: u32, w: u32, h: u32) -> Vec<u8> {
    let mut data = vec![255u8; (w * h * 3) as usize];
    let hue = [(seed * 53) % 200, (seed * 97) % 200, (seed * 31) % 200];
    for y in 0..h {
        for x in 0..w {
            let i = ((y * w + x) * 3) as usize;
            let px = if y < h / 8 {
                [hue[0] as u8, hue[1] as u8, 160]
            } else if (y / 14) % 2 == 0 && x > w / 10 && x < w - w / 10 - (y * 7 + seed) % (w / 3) {
                [200, 200, 205]
            } else {
                [250, 250, 250]
            };
            data[i..i + 3].copy_from_slice(&px);
        }
    }
    let mut buf = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut buf, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        if let Ok(mut wr) = enc.write_header() {
            let _ = wr.write_image_data(&data);
        }
    }
    buf
}

fn docx(title: &str, paras: &[&str]) -> Result<Vec<u8>> {
    let mut d = Doc::new().with(Block::Title(title.into()));
    for p in paras {
        d.push(Block::Para((*p).into()));
    }
    word::render(&d, Layout::Gongwen)
}

fn xlsx(title: &str, rows: &[[&str; 4]]) -> Result<Vec<u8>> {
    use crate::sheet::layout::Column;
    const COLS: &[Column] = &[
        Column::new("seq", "序号", &[], 6.0),
        Column::new("a", "事项", &[], 30.0),
        Column::new("b", "承办单位", &[], 18.0),
        Column::new("c", "办理日期", &[], 14.0),
        Column::new("d", "备注", &[], 20.0),
    ];
    let rows: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            std::iter::once((i + 1).to_string())
                .chain(r.iter().map(|s| s.to_string()))
                .collect()
        })
        .collect();
    let mut b = Book::new(title);
    super::returns::table_sheet(&mut b, "台账", title, COLS, &rows, true)?;
    b.to_bytes()
}

fn put(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).map_err(|e| Error::io("创建演示文件夹", d, &e))?;
    }
    std::fs::write(&p, bytes).map_err(|e| Error::io("写入演示文件", &p, &e))
}

const LINES: &[&str] = &[
    "一、基本情况",
    "按照区委、区政府关于法治政府建设示范创建工作的部署，我单位对照指标要求逐项落实。",
    "二、主要做法",
    "建立工作台账，明确责任人和完成时限，定期调度推进。",
    "三、下一步工作",
    "持续巩固创建成果，确保各项工作常态长效。",
    "（演示数据，非真实文件）",
];

/// The indicators the demo files a full, approved set of material for.
const COMPLETE_SETS: &[u32] = &[3, 8, 17, 30, 41, 50, 60, 70, 82, 95];

/// The first package of each unit, written under `root`; returns the dropped items.
fn first_packages(root: &Path) -> Result<Vec<PathBuf>> {
    let sfj = root.join("区司法局-佐证材料");
    let pdf = |t: &str, n: usize| demo_pdf(t, LINES, n);
    put(
        &sfj,
        "指标15、16/规范性文件合法性审核台账.xlsx",
        &xlsx(
            "2025年规范性文件合法性审核台账",
            &[
                [
                    "关于印发演示区公平竞争审查办法的通知",
                    "区市场监管局",
                    "2025-03-12",
                    "已审核",
                ],
                ["演示区城市道路管理规定", "区城管局", "2025-04-02", "已审核"],
                [
                    "演示区政府信息公开工作规程",
                    "区政数局",
                    "2025-05-20",
                    "修改后通过",
                ],
            ],
        )?,
    )?;
    put(
        &sfj,
        "第十六项 合法性审核/合法性审核意见书（演司审〔2025〕12号）.pdf",
        &pdf("合法性审核意见书", 2),
    )?;
    put(
        &sfj,
        "27.重大行政决策事项目录/2025年度重大行政决策事项目录.pdf",
        &pdf("2025年度重大行政决策事项目录", 3),
    )?;
    put(
        &sfj,
        "（六十九）复议决定履行/行政复议决定书.pdf",
        &pdf("行政复议决定书", 4),
    )?;
    put(
        &sfj,
        "行政复议/2025年行政复议案件统计表.xlsx",
        &xlsx(
            "2025年行政复议案件统计表",
            &[
                ["不服行政处罚申请复议", "区司法局", "2025-02-11", "维持"],
                ["不服行政强制申请复议", "区司法局", "2025-06-08", "撤销"],
            ],
        )?,
    )?;
    put(
        &sfj,
        "法律顾问/（三十六）法律顾问聘用合同.pdf",
        &pdf("法律顾问聘用合同", 2),
    )?;
    // A full set (方案, 台账, 公开截图: the three lines each demo task asks for) for one or two
    // indicators of every aspect, so that 材料齐全 and its chart are not all zero.
    for (k, n) in COMPLETE_SETS.iter().enumerate() {
        let dir = format!("指标{n}");
        put(
            &sfj,
            &format!("{dir}/指标{n}工作方案.pdf"),
            &pdf(&format!("指标{n}相关工作方案"), 1),
        )?;
        put(
            &sfj,
            &format!("{dir}/指标{n}工作台账.pdf"),
            &pdf(&format!("指标{n}工作台账及相关记录"), 2),
        )?;
        put(
            &sfj,
            &format!("{dir}/指标{n}公开网址截图.png"),
            &demo_png(100 + k as u32, 320, 200),
        )?;
    }
    put(&sfj, "培训照片.png", &demo_png(1, 480, 320))?;
    put(&sfj, "Thumbs.db", b"\0\0junk")?;
    put(&sfj, "~$合法性审核意见书.docx", b"owner file")?;

    // A zip made on a Windows PC, with the same 审核意见书 the 司法局 sent (sent by both).
    let zip_path = root.join("区市场监督管理局.zip");
    {
        let f = std::fs::File::create(&zip_path)
            .map_err(|e| Error::io("写入演示文件", &zip_path, &e))?;
        let mut z = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default();
        let mut add = |name: &str, bytes: &[u8]| -> Result<()> {
            z.start_file(name, o)
                .map_err(|e| Error::Io(format!("生成演示压缩包失败（{e}）")))?;
            z.write_all(bytes)
                .map_err(|e| Error::Io(format!("生成演示压缩包失败（{e}）")))
        };
        add(
            "区市场监管局/5.双随机一公开抽查计划.pdf",
            &pdf("2025年双随机一公开抽查计划", 2),
        )?;
        add(
            "区市场监管局/双随机一公开/抽查结果公示截图.png",
            &demo_png(2, 640, 400),
        )?;
        add(
            "区市场监管局/公平竞争审查台账.xlsx",
            &xlsx(
                "公平竞争审查台账",
                &[["招商引资优惠政策", "区商务局", "2025-01-15", "已审查"]],
            )?,
        )?;
        add(
            "区市场监管局/第十六项 合法性审核/合法性审核意见书（演司审〔2025〕12号）.pdf",
            &pdf("合法性审核意见书", 2),
        )?;
        add("__MACOSX/._抽查结果公示截图.png", b"mac junk")?;
        z.finish()
            .map_err(|e| Error::Io(format!("生成演示压缩包失败（{e}）")))?;
    }

    let zfb = root.join("区政府办公室");
    put(
        &zfb,
        "92/常务会议纪要（第5次）.pdf",
        &pdf("区政府常务会议纪要（第5次）", 3),
    )?;
    put(
        &zfb,
        "领导干部会前学法记录.docx",
        &docx(
            "区政府常务会议会前学法记录",
            &[
                "2025年3月14日，区政府第5次常务会议会前学法，学习《中华人民共和国行政复议法》。",
                "（演示数据）",
            ],
        )?,
    )?;
    put(&zfb, "会议签到表.png", &demo_png(3, 420, 600))?;
    put(&zfb, "desktop.ini", b"[.ShellClassInfo]")?;

    let rsj = root.join("区人力资源和社会保障局");
    put(&rsj, "行政执法人员培训签到表.png", &demo_png(4, 600, 420))?;
    put(&rsj, "政务服务事项清单公开截图.png", &demo_png(5, 640, 400))?;
    put(
        &rsj,
        "关于成立示范创建工作领导小组的通知.pdf",
        &pdf("关于成立示范创建工作领导小组的通知", 1),
    )?;

    let office = root.join("综合材料");
    put(
        &office,
        "法治政府建设年度报告（2025年）.pdf",
        &pdf("演示区2025年法治政府建设年度报告", 5),
    )?;
    put(
        &office,
        "示范创建工作整改台账.xlsx",
        &xlsx(
            "示范创建工作整改台账",
            &[["行政执法公示不及时", "区城管局", "2025-07-01", "已整改"]],
        )?,
    )?;
    Ok(vec![sfj, zip_path, zfb, rsj, office])
}

/// Adds the demo evidence to the active (demo) campaign.
pub fn seed(ws: &mut Workspace) -> Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-demo-evidence-")
        .tempdir_in(ws.data_dir())
        .map_err(|e| Error::io("创建演示文件夹", ws.data_dir(), &e))?;
    let dropped = first_packages(tmp.path())?;
    ws.apply(
        &EvidenceIntake::ingesting(dropped, EvidenceAddOptions::default()),
        &Job::quiet(),
    )?;
    // Review: approve what is filed, except a few left waiting; return two with reasons.
    let items = ws.list_evidence(&EvidenceFilter::default())?;
    let find = |w: &str| items.iter().find(|i| i.file_name.contains(w)).map(|i| i.id);
    let returned: Vec<(i64, &str)> = [
        (
            find("抽查结果公示截图"),
            "截图未显示网址和截图日期，请重新截图",
        ),
        (find("常务会议纪要"), "缺少盖章页，请补充完整的会议纪要"),
    ]
    .into_iter()
    .filter_map(|(id, why)| id.map(|id| (id, why)))
    .collect();
    let waiting = [find("法律顾问聘用合同"), find("行政复议案件统计表")];
    let approve: Vec<i64> = items
        .iter()
        .filter(|i| !i.in_queue)
        .map(|i| i.id)
        .filter(|id| !returned.iter().any(|r| r.0 == *id) && !waiting.contains(&Some(*id)))
        .collect();
    if !approve.is_empty() {
        ws.review_evidence(&EvidenceReview {
            ids: approve,
            decision: ReviewDecision::Approve,
            reason: String::new(),
        })?;
    }
    for (id, why) in &returned {
        ws.review_evidence(&EvidenceReview {
            ids: vec![*id],
            decision: ReviewDecision::Return,
            reason: (*why).into(),
        })?;
    }
    // The 市场监管局's corrected screenshot arrives in a second package.
    let second = tmp.path().join("区市场监督管理局（补充材料）");
    put(
        &second,
        "抽查结果公示截图（修改后）.png",
        &demo_png(6, 640, 420),
    )?;
    ws.apply(
        &EvidenceIntake::ingesting([second], EvidenceAddOptions::default()),
        &Job::quiet(),
    )?;
    Ok(())
}
