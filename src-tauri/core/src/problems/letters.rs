//! One-to-one 督察问题反馈函: one .docx per unit of a round (into a folder or a zip, all or
//! none), laid out as a 公文 (`word::Layout::Gongwen`, GB/T 9704-2012): 发文字号 numbered per
//! unit (曾法办函〔2023〕5号, 6号 …; a unit keeps its number when the letters are made again),
//! title, 主送机关, the opening paragraph, the unit's problems as a table, the requirements
//! and the reply deadline, contact person and phone, issuing office and 成文日期.
//!
//! The fixed paragraphs are templates the office edits in 设置, stored with the campaign
//! (setting rows `campaign.<id>.letter.<field>`). Placeholders: {单位} {督察名称} {督察类型}
//! {督察时间} {发文机关} {项目名称} {问题数} {共性问题数} {个性问题数} {报送期限}.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{KIND_COMMON, ProblemInfo, RoundInfo, load, parse_day, round_head};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::CampaignInfo;
use crate::progress::Job;
use crate::sheet::stamp::{safe_file_name, write_bundle};
use crate::store::set_setting;
use crate::word::{Block, Doc, Layout, Signature, Table, chinese_date};
use crate::workspace::Workspace;

/// The editable parts of the 反馈函, stored with the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterSettings {
    /// 机关代字 of the 发文字号, e.g. "曾法办函".
    pub doc_prefix: String,
    /// The number of the first letter ever issued (later letters continue from the highest).
    #[ts(type = "number")]
    pub first_number: i64,
    /// 标题 template.
    pub title: String,
    /// 开头段 template.
    pub opening: String,
    /// 整改要求: one paragraph per line; a line starting "（一）" is a heading.
    pub requirements: String,
    /// 报送期限, e.g. "2023年5月31日"; empty: 30 days after the 成文日期.
    pub reply_by: String,
    /// 联系人 and 联系电话.
    pub contact: String,
    pub phone: String,
    /// 发文机关署名.
    pub office: String,
    /// 成文日期 ("2023-04-14"); empty: the day the letters are made.
    pub date: String,
}

const FIELDS: &[&str] = &[
    "doc_prefix",
    "first_number",
    "title",
    "opening",
    "requirements",
    "reply_by",
    "contact",
    "phone",
    "office",
    "date",
];

/// The defaults for a district: "曾都区" → 曾法办函, 中共曾都区委全面依法治区委员会办公室.
pub fn default_settings(district: &str) -> LetterSettings {
    let first: String = district.chars().take(1).collect();
    let level = if district.ends_with('县') {
        "县"
    } else if district.ends_with('市') {
        "市"
    } else {
        "区"
    };
    LetterSettings {
        doc_prefix: format!("{first}法办函"),
        first_number: 1,
        title: "关于{督察名称}发现问题的反馈函".into(),
        opening: "根据{项目名称}工作安排，{发文机关}于{督察时间}对你单位开展了{督察类型}。督察组通过听取汇报、查阅资料、个别谈话、实地查看等方式，对照指标体系逐项进行了核查。现将督察发现的问题反馈如下，请认真抓好整改落实。".into(),
        requirements: "（一）提高思想认识，压实整改责任\n你单位要高度重视督察发现的问题，主要负责人要切实履行推进法治建设第一责任人职责，明确分管领导和具体责任人，做到问题不查清不放过、整改不到位不放过。\n（二）建立整改台账，实行销号管理\n对照问题清单逐项制定整改措施，明确整改目标、责任人和完成时限，实行“对账销号”。能够立即整改的要立行立改；需要较长时间整改的，要制定阶段性目标，持续推进。\n（三）按时报送整改情况\n请于{报送期限}前将整改情况报告（含整改台账和佐证材料）报送{发文机关}。逾期未完成整改的，将予以通报。".into(),
        reply_by: String::new(),
        contact: String::new(),
        phone: String::new(),
        office: format!("中共{district}委全面依法治{level}委员会办公室"),
        date: String::new(),
    }
}

fn key(campaign_id: i64, field: &str) -> String {
    format!("campaign.{campaign_id}.letter.{field}")
}

pub(crate) fn load_settings(conn: &Connection, c: &CampaignInfo) -> Result<LetterSettings> {
    let mut s = default_settings(&c.district);
    let mut st = conn.prepare_cached("SELECT value FROM setting WHERE key = ?1")?;
    for f in FIELDS {
        let Some(v) = st
            .query_row([key(c.id, f)], |r| r.get::<_, String>(0))
            .optional()?
        else {
            continue;
        };
        match *f {
            "doc_prefix" => s.doc_prefix = v,
            "first_number" => s.first_number = v.parse().unwrap_or(1),
            "title" => s.title = v,
            "opening" => s.opening = v,
            "requirements" => s.requirements = v,
            "reply_by" => s.reply_by = v,
            "contact" => s.contact = v,
            "phone" => s.phone = v,
            "office" => s.office = v,
            _ => s.date = v,
        }
    }
    Ok(s)
}

fn field_value<'a>(s: &'a LetterSettings, f: &str, n: &'a str) -> &'a str {
    match f {
        "doc_prefix" => &s.doc_prefix,
        "first_number" => n,
        "title" => &s.title,
        "opening" => &s.opening,
        "requirements" => &s.requirements,
        "reply_by" => &s.reply_by,
        "contact" => &s.contact,
        "phone" => &s.phone,
        "office" => &s.office,
        _ => &s.date,
    }
}

/// What making the letters produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterInfo {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    pub doc_no: String,
    pub file: String,
    #[ts(type = "number")]
    pub problem_count: i64,
}

/// The letters of a round written to a folder or a zip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LettersExport {
    pub path: String,
    pub letters: Vec<LetterInfo>,
}

fn period(r: &RoundInfo) -> String {
    let d = |s: &Option<String>| s.as_deref().and_then(parse_day);
    match (d(&r.start_date), d(&r.end_date)) {
        (Some(a), Some(b)) if a != b => {
            if a.year() == b.year() {
                format!("{}至{}月{}日", chinese_date(a), b.month(), b.day())
            } else {
                format!("{}至{}", chinese_date(a), chinese_date(b))
            }
        }
        (Some(a), _) => chinese_date(a),
        _ => "近期".into(),
    }
}

/// Fill the placeholders of a template.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn is_sub_heading(line: &str) -> bool {
    let (code, rest) = crate::text::split_heading(line);
    code.starts_with('（') && !rest.is_empty() && line.chars().count() <= 40
}

/// The 反馈函 of one unit.
#[allow(clippy::too_many_arguments)]
pub(crate) fn letter(
    c: &CampaignInfo,
    round: &RoundInfo,
    s: &LetterSettings,
    unit: &str,
    doc_no: &str,
    date: NaiveDate,
    problems: &[&ProblemInfo],
) -> Doc {
    let common = problems.iter().filter(|p| p.kind == KIND_COMMON).count();
    let reply_by = if s.reply_by.trim().is_empty() {
        chinese_date(date + chrono::Days::new(30))
    } else {
        s.reply_by.trim().to_string()
    };
    let vars: Vec<(&str, String)> = vec![
        ("单位", unit.to_string()),
        ("督察名称", round.name.clone()),
        ("督察类型", round.kind.clone()),
        ("督察时间", period(round)),
        ("发文机关", s.office.clone()),
        ("项目名称", c.name.clone()),
        ("问题数", problems.len().to_string()),
        ("共性问题数", common.to_string()),
        ("个性问题数", (problems.len() - common).to_string()),
        ("报送期限", reply_by),
    ];
    let mut table = Table::new([
        "序号",
        "问题类型",
        "所涉指标",
        "问题描述",
        "整改要求",
        "完成时限",
    ])
    .widths_mm(&[11.0, 15.0, 17.0, 50.0, 43.0, 20.0]);
    for (i, p) in problems.iter().enumerate() {
        let indicators = if p.indicators_text.is_empty() {
            p.indicator_nos
                .iter()
                .map(|n| format!("第{n}项"))
                .collect::<Vec<_>>()
                .join("、")
        } else {
            p.indicators_text.clone()
        };
        let kind = if p.category.is_empty() {
            p.kind.clone()
        } else {
            format!("{}\n{}", p.kind, p.category)
        };
        table = table.row([
            (i + 1).to_string(),
            kind,
            indicators,
            p.description.clone(),
            p.requirement.clone(),
            p.deadline_text.clone(),
        ]);
    }
    let mut doc = Doc::new()
        .with(Block::DocNo(doc_no.to_string()))
        .with(Block::Title(fill(&s.title, &vars)))
        .with(Block::Addressee(format!("{unit}：")))
        .with(Block::Para(fill(&s.opening, &vars)))
        .with(Block::Heading1("一、督察发现的问题".into()))
        .with(Block::Para(if common > 0 {
            fill(
                "督察发现你单位存在问题{问题数}个（其中共性问题{共性问题数}个、个性问题{个性问题数}个），具体如下：",
                &vars,
            )
        } else {
            fill("督察发现你单位存在问题{问题数}个，具体如下：", &vars)
        }))
        .with(Block::Table(table))
        .with(Block::Heading1("二、整改要求".into()));
    for line in fill(&s.requirements, &vars)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        doc.push(if is_sub_heading(line) {
            Block::Heading2(line.to_string())
        } else {
            Block::Para(line.to_string())
        });
    }
    let contact = if s.contact.trim().is_empty() {
        "　　　　"
    } else {
        s.contact.trim()
    };
    let phone = if s.phone.trim().is_empty() {
        "　　　　　　"
    } else {
        s.phone.trim()
    };
    doc.push(Block::Para(format!(
        "联系人：{contact}，联系电话：{phone}。"
    )));
    doc.push(Block::Signature(Signature {
        org: s.office.clone(),
        date,
    }));
    doc
}

fn letter_file(unit: &str) -> String {
    format!("{}-督察问题反馈函.docx", safe_file_name(unit))
}

impl Workspace {
    /// The 反馈函 templates of the active campaign (the defaults where nothing was saved).
    pub fn letter_settings(&self) -> Result<LetterSettings> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        load_settings(conn, &c)
    }

    /// Save the 反馈函 templates of the active campaign.
    pub fn set_letter_settings(&mut self, s: &LetterSettings) -> Result<LetterSettings> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        if s.doc_prefix.trim().is_empty() {
            return Err(Error::Invalid(
                "请填写发文字号的机关代字，例如“曾法办函”。".into(),
            ));
        }
        if s.first_number < 1 {
            return Err(Error::Invalid("起始文号须为正整数。".into()));
        }
        if s.office.trim().is_empty() {
            return Err(Error::Invalid("请填写发文机关署名。".into()));
        }
        if !s.date.trim().is_empty() && parse_day(&s.date).is_none() {
            return Err(Error::Invalid(format!(
                "成文日期“{}”无效，请写作“2023-04-14”。",
                s.date
            )));
        }
        let n = s.first_number.to_string();
        let detail = format!("{}：反馈函模板", c.name);
        self.store_mut().write(
            Action::SetSetting,
            |_| detail,
            |tx| {
                for f in FIELDS {
                    set_setting(tx, &key(c.id, f), field_value(s, f, &n).trim())?;
                }
                Ok(())
            },
        )?;
        self.letter_settings()
    }

    /// Make the 反馈函 of every unit of a round: one .docx each into the folder `target`, or
    /// one zip when `target` ends in .zip (all or none). Each unit keeps the 文号 it was given
    /// the first time; new units continue the numbering. Reports each letter; a cancel before
    /// the files are written changes nothing.
    pub fn export_letters(
        &mut self,
        round_id: i64,
        target: &Path,
        job: &Job,
    ) -> Result<LettersExport> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let round = round_head(conn, c.id, round_id)?;
        let s = load_settings(conn, &c)?;
        let date = match s.date.trim() {
            "" => chrono::Local::now().date_naive(),
            d => parse_day(d).ok_or_else(|| {
                Error::Invalid(format!(
                    "成文日期“{d}”无效，请在设置中改为“2023-04-14”的写法。"
                ))
            })?,
        };
        let problems = load(
            conn,
            c.id,
            Some(round_id),
            chrono::Local::now().date_naive(),
        )?;
        let units = self.list_units()?;
        let conn = self.store().conn();
        let mut numbers: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        {
            let mut st =
                conn.prepare("SELECT unit_id, number FROM problem_letter WHERE round_id = ?1")?;
            for x in st.query_map([round_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })? {
                let (u, n) = x?;
                numbers.insert(u, n);
            }
        }
        let highest: Option<i64> = conn.query_row(
            "SELECT max(l.number) FROM problem_letter l JOIN round r ON r.id = l.round_id WHERE r.campaign_id = ?1",
            [c.id],
            |r| r.get(0),
        )?;
        let mut next = highest.map_or(s.first_number, |h| (h + 1).max(s.first_number));
        let busy: Vec<_> = units
            .iter()
            .filter(|u| {
                problems
                    .iter()
                    .any(|p| p.units.iter().any(|x| x.unit_id == u.id))
            })
            .collect();
        if busy.is_empty() {
            return Err(Error::Invalid(format!(
                "督察轮次“{}”还没有问题，不能生成反馈函。",
                round.name
            )));
        }
        let total = busy.len() as u64;
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut letters: Vec<LetterInfo> = Vec::new();
        let mut new_numbers: Vec<(i64, i64, String, String)> = Vec::new();
        for (i, u) in busy.into_iter().enumerate() {
            job.check()?;
            job.report(i as u64, total, &format!("正在生成“{}”的反馈函", u.name));
            let number = match numbers.get(&u.id) {
                Some(n) => *n,
                None => {
                    let n = next;
                    next += 1;
                    n
                }
            };
            let doc_no = format!("{}〔{}〕{}号", s.doc_prefix, date.year(), number);
            let mine: Vec<&ProblemInfo> = problems
                .iter()
                .filter(|p| p.units.iter().any(|x| x.unit_id == u.id))
                .collect();
            let doc = letter(&c, &round, &s, &u.name, &doc_no, date, &mine);
            let file = letter_file(&u.name);
            files.push((file.clone(), crate::word::render(&doc, Layout::Gongwen)?));
            new_numbers.push((u.id, number, doc_no.clone(), file.clone()));
            letters.push(LetterInfo {
                unit_id: u.id,
                unit_name: u.name.clone(),
                doc_no,
                file,
                problem_count: mine.len() as i64,
            });
        }
        write_bundle(target, &files, job)?;
        job.report(total, total, "反馈函已生成");
        let detail = format!(
            "“{}”：{} 份反馈函，保存到“{}”",
            round.name,
            letters.len(),
            target.display()
        );
        let now = crate::store::now();
        self.store_mut().write(Action::IssueLetters, |_| detail, |tx| {
            for (u, n, doc_no, file) in &new_numbers {
                tx.execute(
                    "INSERT INTO problem_letter (round_id, unit_id, number, doc_no, file_name, issued_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(round_id, unit_id) DO UPDATE SET doc_no = excluded.doc_no,
                       file_name = excluded.file_name, issued_at = excluded.issued_at",
                    params![round_id, u, n, doc_no, file, now],
                )?;
            }
            Ok(())
        })?;
        Ok(LettersExport {
            path: target.display().to_string(),
            letters,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_district() {
        let s = default_settings("曾都区");
        assert_eq!(s.doc_prefix, "曾法办函");
        assert_eq!(s.office, "中共曾都区委全面依法治区委员会办公室");
        assert_eq!(
            default_settings("郧西县").office,
            "中共郧西县委全面依法治县委员会办公室"
        );
        assert!(is_sub_heading("（一）提高思想认识，压实整改责任"));
        assert!(!is_sub_heading("你单位要高度重视督察发现的问题。"));
        assert_eq!(
            fill("请于{报送期限}前", &[("报送期限", "5月31日".into())]),
            "请于5月31日前"
        );
    }
}
