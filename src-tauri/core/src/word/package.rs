//! The .docx package: content types, relationships, styles, settings, font table, footers and
//! document properties around the body.

use std::fmt::Write as _;
use std::io::Write as _;

use super::body::{Body, NS};
use super::spec::{FONT_TABLE, Face, Footer, Line, Role, Spec, Style};
use super::xml::{escape_into, escaped};
use crate::error::{Error, Result};

const XML_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
const APP: &str = "示范创建工作台";

pub fn zip_parts(spec: &Spec, body: Body) -> Result<Vec<u8>> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            content_types(spec, &body).into(),
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core_props(&body).into()),
        ("docProps/app.xml".into(), app_props().into()),
        ("word/document.xml".into(), body.xml.into_bytes()),
        (
            "word/_rels/document.xml.rels".into(),
            document_rels(spec, body.images.len()).into(),
        ),
        ("word/styles.xml".into(), styles(spec).into()),
        ("word/settings.xml".into(), settings(spec).into()),
        ("word/fontTable.xml".into(), font_table().into()),
    ];
    for (i, f) in footers(spec).into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f.into()));
    }
    for (i, png) in body.images.into_iter().enumerate() {
        parts.push((format!("word/media/image{}.png", i + 1), png));
    }

    let fail = |e: &dyn std::fmt::Display| Error::Io(format!("生成 Word 文档失败：{e}。"));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in &parts {
            // PNG data is compressed already.
            let opts = if name.ends_with(".png") {
                stored
            } else {
                deflate
            };
            z.start_file(name.as_str(), opts).map_err(|e| fail(&e))?;
            z.write_all(bytes).map_err(|e| fail(&e))?;
        }
        z.finish().map_err(|e| fail(&e))?;
    }
    Ok(buf.into_inner())
}

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>"
);

fn content_types(spec: &Spec, body: &Body) -> String {
    let mut s = String::from(XML_HEAD);
    s.push_str(concat!(
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    ));
    if !body.images.is_empty() {
        s.push_str(r#"<Default Extension="png" ContentType="image/png"/>"#);
    }
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    for (part, kind) in [
        ("document", "document.main"),
        ("styles", "styles"),
        ("settings", "settings"),
        ("fontTable", "fontTable"),
    ] {
        let _ = write!(
            s,
            r#"<Override PartName="/word/{part}.xml" ContentType="{wml}.{kind}+xml"/>"#
        );
    }
    for i in 1..=footers(spec).len() {
        let _ = write!(
            s,
            r#"<Override PartName="/word/footer{i}.xml" ContentType="{wml}.footer+xml"/>"#
        );
    }
    s.push_str(concat!(
        r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
        r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
        "</Types>"
    ));
    s
}

fn document_rels(spec: &Spec, images: usize) -> String {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = String::from(XML_HEAD);
    s.push_str(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (id, kind, target) in [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdFonts", "fontTable", "fontTable.xml"),
    ] {
        let _ = write!(
            s,
            r#"<Relationship Id="{id}" Type="{rel}/{kind}" Target="{target}"/>"#
        );
    }
    for i in 1..=footers(spec).len() {
        let _ = write!(
            s,
            r#"<Relationship Id="rIdFtr{i}" Type="{rel}/footer" Target="footer{i}.xml"/>"#
        );
    }
    for i in 1..=images {
        let _ = write!(
            s,
            r#"<Relationship Id="rIdImg{i}" Type="{rel}/image" Target="media/image{i}.png"/>"#
        );
    }
    s.push_str("</Relationships>");
    s
}

fn core_props(body: &Body) -> String {
    let mut s = String::from(XML_HEAD);
    s.push_str(concat!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
        r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    ));
    if let Some(t) = &body.title {
        s.push_str("<dc:title>");
        escape_into(&mut s, t);
        s.push_str("</dc:title>");
    }
    let _ = write!(s, "<dc:creator>{APP}</dc:creator></cp:coreProperties>");
    s
}

fn app_props() -> String {
    format!(
        concat!(
            "{}",
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#,
            "<Application>{}</Application></Properties>"
        ),
        XML_HEAD, APP
    )
}

fn rfonts(face: Face) -> String {
    format!(
        r#"<w:rFonts w:ascii="{l}" w:eastAsia="{e}" w:hAnsi="{l}" w:cs="{l}" w:hint="eastAsia"/>"#,
        l = escaped(face.latin),
        e = escaped(face.east_asia)
    )
}

fn style_xml(s: &mut String, spec: &Spec, role: Role, st: &Style) {
    let default = if role == Role::Normal {
        r#" w:default="1""#
    } else {
        ""
    };
    let _ = write!(
        s,
        r#"<w:style w:type="paragraph"{default} w:styleId="{}"><w:name w:val="{}"/>"#,
        st.id,
        escaped(st.name)
    );
    if role != Role::Normal {
        s.push_str(r#"<w:basedOn w:val="Normal"/>"#);
        if matches!(role, Role::Heading1 | Role::Heading2 | Role::Heading3) {
            let _ = write!(s, r#"<w:next w:val="{}"/>"#, spec.style(Role::Body).id);
        }
    }
    if matches!(role, Role::SectionEnd) {
        s.push_str("<w:semiHidden/>");
    } else {
        s.push_str("<w:qFormat/>");
    }
    // pPr children in schema order.
    s.push_str("<w:pPr>");
    if st.keep_next {
        s.push_str("<w:keepNext/>");
    }
    s.push_str(r#"<w:widowControl w:val="0"/>"#);
    if !st.snap_to_grid {
        s.push_str(r#"<w:snapToGrid w:val="0"/>"#);
    }
    let (line, rule) = match st.line {
        Line::Exact(tw) => (tw, "exact"),
        Line::Single => (240, "auto"),
    };
    let _ = write!(
        s,
        r#"<w:spacing w:before="{}" w:after="{}" w:line="{line}" w:lineRule="{rule}"/>"#,
        st.space_before, st.space_after
    );
    if st.first_line_chars > 0 {
        let tw = (st.first_line_chars as f64 * spec.char_width()).round() as u32;
        let _ = write!(
            s,
            r#"<w:ind w:firstLine="{tw}" w:firstLineChars="{}"/>"#,
            st.first_line_chars * 100
        );
    }
    let _ = write!(s, r#"<w:jc w:val="{}"/>"#, st.jc.val());
    if let Some(l) = st.outline_level {
        let _ = write!(s, r#"<w:outlineLvl w:val="{l}"/>"#);
    }
    s.push_str("</w:pPr><w:rPr>");
    s.push_str(&rfonts(st.face));
    if st.bold {
        s.push_str("<w:b/><w:bCs/>");
    }
    if let Some(v) = spec.condense(st) {
        let _ = write!(s, r#"<w:spacing w:val="{v}"/>"#);
    }
    let _ = write!(
        s,
        r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/></w:rPr></w:style>"#,
        st.size
    );
}

fn styles(spec: &Spec) -> String {
    let normal = spec.style(Role::Normal);
    let mut s = String::from(XML_HEAD);
    let _ = write!(s, "<w:styles {W_NS}>");
    let _ = write!(
        s,
        concat!(
            "<w:docDefaults><w:rPrDefault><w:rPr>{}",
            r#"<w:sz w:val="{}"/><w:szCs w:val="{}"/>"#,
            r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>"#,
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
            // No extra space between Chinese and Latin/digits: it breaks the 28-per-line count.
            r#"<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#,
            r#"<w:jc w:val="both"/>"#,
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
        rfonts(normal.face),
        normal.size,
        normal.size
    );
    for role in Spec::roles() {
        style_xml(&mut s, spec, *role, spec.style(*role));
    }
    s.push_str(concat!(
        r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">"#,
        r#"<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>"#,
        r#"<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>"#,
        r#"<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>"#,
        r#"<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        "</w:styles>"
    ));
    s
}

fn settings(spec: &Spec) -> String {
    let mut s = String::from(XML_HEAD);
    let _ = write!(
        s,
        r#"<w:settings {W_NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>"#
    );
    if spec.footer == Footer::GongwenPageNumber {
        // Odd pages use the default footer, even pages the "even" one.
        s.push_str("<w:evenAndOddHeaders/>");
    }
    s.push_str(concat!(
        r#"<w:characterSpacingControl w:val="doNotCompress"/>"#,
        r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
        r#"<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>"#,
        r#"<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>"#
    ));
    s
}

fn font_table() -> String {
    let mut s = String::from(XML_HEAD);
    let _ = write!(s, "<w:fonts {W_NS}>");
    for (name, alt, panose, pitch) in FONT_TABLE {
        let _ = write!(
            s,
            concat!(
                r#"<w:font w:name="{}"><w:altName w:val="{}"/><w:panose1 w:val="{}"/>"#,
                r#"<w:charset w:val="86"/><w:family w:val="{}"/><w:pitch w:val="{}"/></w:font>"#
            ),
            escaped(name),
            escaped(alt),
            panose,
            if *pitch == "fixed" { "modern" } else { "roman" },
            pitch
        );
    }
    s.push_str("</w:fonts>");
    s
}

/// A simple field (`w:fldSimple`) showing `shown` until the reader computes it.
fn field(s: &mut String, instr: &str, shown: &str) {
    let _ = write!(
        s,
        r#"<w:fldSimple w:instr=" {instr} "><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>"#
    );
}

fn text_run(s: &mut String, text: &str) {
    s.push_str(r#"<w:r><w:t xml:space="preserve">"#);
    escape_into(s, text);
    s.push_str("</w:t></w:r>");
}

/// Footer parts: 公文 "— 1 —" odd (right, one character in) and even (left, one character
/// in); forms "第 1 页 共 N 页" centred.
fn footers(spec: &Spec) -> Vec<String> {
    let style = spec.style(Role::PageNumber);
    let one_char = style.size * 10; // one character of the page-number font, twips
    let open = |ppr: &str| {
        format!(
            r#"{XML_HEAD}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="{}"/>{ppr}</w:pPr>"#,
            style.id
        )
    };
    let close = "</w:p></w:ftr>";
    match spec.footer {
        Footer::GongwenPageNumber => {
            let number = |ppr: String| {
                let mut s = open(&ppr);
                // 一字线 (U+2014, full width in 宋体 through w:hint="eastAsia") on each side.
                text_run(&mut s, "— ");
                field(&mut s, "PAGE", "1");
                text_run(&mut s, " —");
                s.push_str(close);
                s
            };
            vec![
                number(format!(
                    r#"<w:ind w:right="{one_char}" w:rightChars="100"/><w:jc w:val="right"/>"#
                )),
                number(format!(
                    r#"<w:ind w:left="{one_char}" w:leftChars="100"/><w:jc w:val="left"/>"#
                )),
            ]
        }
        Footer::PageOfPages => {
            let mut s = open(r#"<w:jc w:val="center"/>"#);
            text_run(&mut s, "第 ");
            field(&mut s, "PAGE", "1");
            text_run(&mut s, " 页 共 ");
            field(&mut s, "NUMPAGES", "1");
            text_run(&mut s, " 页");
            s.push_str(close);
            vec![s]
        }
    }
}
