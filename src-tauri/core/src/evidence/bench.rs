//! For the benchmark (`tests/benches/evidence.rs`), not used by the app: a library of `n`
//! items recorded directly (plausible titles, units, one or two indicators each, a tenth in the
//! 待归类 queue, mixed review states), with no files behind them, so listing, filtering,
//! completeness and search can be timed at 50 000 items without copying 50 000 files.

use rusqlite::params;

use super::cas::ContentHash;
use crate::action::Action;
use crate::campaign;
use crate::error::Result;
use crate::indicators;
use crate::workspace::Workspace;

const WORDS: &[&str] = &[
    "规范性文件合法性审核意见书",
    "行政复议决定书",
    "重大行政决策事项目录",
    "常务会议纪要",
    "行政执法人员培训签到表",
    "政务公开网站截图",
    "法律顾问聘用合同",
    "双随机一公开抽查计划",
    "行政处罚案卷评查表",
    "公平竞争审查台账",
    "领导干部学法记录",
    "信访事项办理台账",
    "应急预案演练记录",
    "行政应诉案件统计表",
];

/// Records `n` items in the active campaign (one transaction).
#[doc(hidden)]
pub fn seed_items(ws: &mut Workspace, n: usize) -> Result<()> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let leaves = indicators::leaves(&indicators::load_tree(conn, c.system_id)?);
    let units: Vec<i64> = crate::units::list(conn, c.id)?
        .iter()
        .map(|u| u.id)
        .collect();
    let now = crate::store::now();
    ws.store_mut().write(
        Action::AddEvidence,
        |_| format!("基准测试：{n} 份材料"),
        |tx| {
            let mut obj = tx.prepare(
                "INSERT OR IGNORE INTO evidence_object (hash, size, stored_at) VALUES (?1, ?2, ?3)",
            )?;
            let mut item = tx.prepare(
                "INSERT INTO evidence (campaign_id, hash, title, file_name, unit_id, formed_on, doc_no,
                   status, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut link = tx.prepare(
                "INSERT OR IGNORE INTO evidence_link (evidence_id, indicator_id, confidence, reason)
                 VALUES (?1, ?2, 90, '基准测试')",
            )?;
            let mut source = tx.prepare(
                "INSERT INTO evidence_source (evidence_id, unit_id, unit_name, original_name,
                   original_path, added_at, operator) VALUES (?1, ?2, '', ?3, ?4, ?5, '基准测试')",
            )?;
            for i in 0..n {
                let hash = ContentHash::of_bytes(&(i as u64).to_le_bytes()).to_hex();
                obj.execute(params![hash, 100_000 + (i % 977) as i64 * 1000, now])?;
                let title = format!("{}（第{}件）", WORDS[i % WORDS.len()], i / WORDS.len() + 1);
                let file = format!("{title}.pdf");
                let unit = units.get(i % units.len().max(1)).copied();
                let status = match i % 10 {
                    0..=5 => "已通过",
                    6..=8 => "待审核",
                    _ => "退回",
                };
                let date = format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
                let doc_no = if i % 4 == 0 {
                    format!("曾政办发〔2025〕{}号", i % 300 + 1)
                } else {
                    String::new()
                };
                item.execute(params![c.id, hash, title, file, unit, date, doc_no, status, now])?;
                let id = tx.last_insert_rowid();
                if i % 10 != 3 && !leaves.is_empty() {
                    link.execute(params![id, leaves[(i * 7) % leaves.len()].id])?;
                    if i % 5 == 0 {
                        link.execute(params![id, leaves[(i * 13 + 1) % leaves.len()].id])?;
                    }
                }
                source.execute(params![id, unit, file, format!("基准/{file}"), now])?;
            }
            Ok(())
        },
    )
}
