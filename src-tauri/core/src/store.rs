//! The SQLite store: one file `shifan.db` in the data folder.
//!
//! Opened with WAL, `foreign_keys=ON`, `synchronous=FULL` and a busy timeout. The schema is
//! migrated on `PRAGMA user_version`: `MIGRATIONS[i]` brings version `i` to `i + 1`, each in
//! its own transaction. Every change goes through [`Store::write`], which runs the change in one
//! transaction and appends an entry to the operation log (操作日志) in the same transaction.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::action::Action;
use crate::error::{Error, Result};

/// Schema migrations, oldest first. Never edit a released entry: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // v1: indicator systems, campaigns, settings, operation log.
    r#"
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE indicator_system (
        id            INTEGER PRIMARY KEY,
        key           TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        version       TEXT NOT NULL,
        issuer        TEXT NOT NULL DEFAULT '',
        is_demo       INTEGER NOT NULL DEFAULT 0,
        embedded      INTEGER NOT NULL DEFAULT 0,
        level_names   TEXT NOT NULL,          -- JSON array, top level first
        imported_from TEXT,
        imported_at   TEXT NOT NULL,
        source_sha256 TEXT
    );
    CREATE TABLE indicator (
        id        INTEGER PRIMARY KEY,
        system_id INTEGER NOT NULL REFERENCES indicator_system(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES indicator(id) ON DELETE CASCADE,
        uid       TEXT NOT NULL,
        depth     INTEGER NOT NULL,
        position  INTEGER NOT NULL,
        code      TEXT NOT NULL DEFAULT '',
        title     TEXT NOT NULL,
        is_leaf   INTEGER NOT NULL,
        no        INTEGER,
        score     REAL,
        methods   TEXT,
        veto      INTEGER NOT NULL DEFAULT 0,
        UNIQUE (system_id, uid)
    );
    CREATE INDEX indicator_parent ON indicator(parent_id);
    CREATE UNIQUE INDEX indicator_no ON indicator(system_id, no) WHERE no IS NOT NULL;
    CREATE TABLE campaign (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        district   TEXT NOT NULL,
        level      TEXT NOT NULL,
        system_id  INTEGER NOT NULL REFERENCES indicator_system(id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE oplog (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        operator TEXT NOT NULL,
        action   TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
    "#,
    // v2: units (单位) and their aliases, the 明白人 roster, 任务分解 (assignments with lead and
    // supporting units), per-unit work-sheet exports with a snapshot of what was sent, and what
    // units reported back. Units belong to a campaign; deleting a campaign deletes its units and
    // assignments. A unit still named in an assignment cannot be deleted (RESTRICT): the office
    // must reassign first. Deleting an indicator (a re-imported system dropping it) drops its
    // assignments.
    r#"
    CREATE TABLE unit (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        short_name  TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL CHECK (kind IN ('行政执法单位', '非行政执法单位', '乡镇街道', '其他')),
        contact     TEXT NOT NULL DEFAULT '',
        phone       TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        position    INTEGER NOT NULL DEFAULT 0,
        UNIQUE (campaign_id, name)
    );
    CREATE TABLE unit_alias (
        unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        alias   TEXT NOT NULL,
        PRIMARY KEY (unit_id, alias)
    );
    CREATE TABLE roster_member (
        id           INTEGER PRIMARY KEY,
        unit_id      INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        title        TEXT NOT NULL DEFAULT '',
        office_phone TEXT NOT NULL DEFAULT '',
        mobile       TEXT NOT NULL DEFAULT '',
        role         TEXT NOT NULL DEFAULT '明白人',
        position     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX roster_member_unit ON roster_member(unit_id);
    CREATE TABLE assignment (
        id            INTEGER PRIMARY KEY,
        campaign_id   INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        indicator_id  INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        task          TEXT NOT NULL DEFAULT '',
        leader        TEXT NOT NULL DEFAULT '',
        deadline_text TEXT NOT NULL DEFAULT '',
        deadline_date TEXT,
        evidence      TEXT NOT NULL DEFAULT '',
        note          TEXT NOT NULL DEFAULT '',
        updated_at    TEXT NOT NULL,
        UNIQUE (campaign_id, indicator_id)
    );
    CREATE TABLE assignment_unit (
        assignment_id INTEGER NOT NULL REFERENCES assignment(id) ON DELETE CASCADE,
        unit_id       INTEGER NOT NULL REFERENCES unit(id) ON DELETE RESTRICT,
        role          TEXT NOT NULL CHECK (role IN ('lead', 'support')),
        position      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (assignment_id, unit_id)
    );
    CREATE INDEX assignment_unit_unit ON assignment_unit(unit_id);
    CREATE TABLE unit_export (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        unit_id     INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        revision    INTEGER NOT NULL,
        file_name   TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        UNIQUE (unit_id, revision)
    );
    CREATE TABLE unit_export_row (
        export_id    INTEGER NOT NULL REFERENCES unit_export(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        role         TEXT NOT NULL,
        deadline     TEXT NOT NULL DEFAULT '',
        evidence     TEXT NOT NULL DEFAULT '',
        status       TEXT NOT NULL DEFAULT '',
        explanation  TEXT NOT NULL DEFAULT '',
        evidence_dir TEXT NOT NULL DEFAULT '',
        contact      TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (export_id, indicator_id)
    );
    CREATE TABLE unit_report (
        assignment_id INTEGER NOT NULL REFERENCES assignment(id) ON DELETE CASCADE,
        unit_id       INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        status        TEXT NOT NULL DEFAULT '',
        explanation   TEXT NOT NULL DEFAULT '',
        evidence_dir  TEXT NOT NULL DEFAULT '',
        contact       TEXT NOT NULL DEFAULT '',
        export_id     INTEGER REFERENCES unit_export(id) ON DELETE SET NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (assignment_id, unit_id)
    );
    "#,
    // v3: the 操作日志 records what kind of change each entry is as a stable code (the typed
    // `Action`), beside its Chinese label. Older entries get their code from their label.
    r#"
    ALTER TABLE oplog ADD COLUMN code TEXT NOT NULL DEFAULT '';
    UPDATE oplog SET code = CASE action
        WHEN '载入内置指标体系' THEN 'loadEmbeddedSystem'
        WHEN '新建创建项目' THEN 'createCampaign'
        WHEN '切换创建项目' THEN 'switchCampaign'
        WHEN '更换指标体系' THEN 'setCampaignSystem'
        WHEN '导入指标体系' THEN 'importIndicators'
        WHEN '导入单位名单' THEN 'importUnits'
        WHEN '导入任务分解表' THEN 'importTasks'
        WHEN '收回各单位工作表' THEN 'collectUnitSheets'
        WHEN '导出各单位工作表' THEN 'exportUnitSheets'
        WHEN '新增单位' THEN 'addUnit'
        WHEN '修改单位' THEN 'editUnit'
        WHEN '删除单位' THEN 'deleteUnit'
        WHEN '修改明白人名单' THEN 'setRoster'
        WHEN '恢复备份' THEN 'restoreBackup'
        WHEN '导入交接文件' THEN 'importHandover'
        WHEN '修复数据' THEN 'repair'
        WHEN '设置操作人' THEN 'setOperator'
        WHEN '建立演示数据' THEN 'createDemo'
        ELSE '' END;
    CREATE INDEX oplog_code ON oplog(code);
    "#,
    // v4 (phases): the six 创建阶段 of a campaign with planned/actual dates, and the work of each
    // (推进会, 专题培训, 通知 …). The current phase and the gates are settings.
    r#"
    CREATE TABLE phase (
        campaign_id   INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        key           TEXT NOT NULL,
        planned_start TEXT,
        planned_end   TEXT,
        actual_start  TEXT,
        actual_end    TEXT,
        note          TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (campaign_id, key)
    );
    CREATE TABLE phase_event (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        phase       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        date        TEXT NOT NULL,
        title       TEXT NOT NULL,
        attendees   TEXT NOT NULL DEFAULT '',
        file        TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX phase_event_campaign ON phase_event(campaign_id, date);
    "#,
    // v5: demo campaigns are marked. Only the campaign the demo action (`shifan demo`) made is
    // demo data that a hand-over may replace; a campaign a user created — also on the embedded
    // demo system — is real work. A demo campaign made before the mark existed is recognised
    // by what the demo action leaves: its district and fixed name, and a 建立演示数据 entry in
    // the 操作日志 (a test in demo.rs keeps these words equal to the demo's).
    r#"
    ALTER TABLE campaign ADD COLUMN demo_data INTEGER NOT NULL DEFAULT 0;
    UPDATE campaign SET demo_data = 1
     WHERE district = '演示区' AND name = '演示区法治政府建设示范创建（演示数据）'
       AND EXISTS (SELECT 1 FROM oplog WHERE code = 'createDemo');
    "#,
    // v6 (units): the 分管领导 of a unit, read from a 单位名单's 分管领导 column and kept with
    // the unit.
    r#"
    ALTER TABLE unit ADD COLUMN leader TEXT NOT NULL DEFAULT '';
    "#,
    // v7: the evidence library (佐证材料库). `evidence_object` describes every content stored
    // in the object store (`evidence/objects/`, named by BLAKE3); `evidence` is one item per
    // content per campaign (the same bytes sent twice or by two units are one item), with what
    // the office records about it (title, 形成日期, 文号, category, assessment method, review);
    // `evidence_source` every time it was sent (original name and path, unit, when, by whom);
    // `evidence_link` the indicators it supports (several allowed), `evidence_candidate` the
    // classifier's suggestions for items in the 待归类 queue. Deleting a unit keeps its items
    // (unit_id set to NULL, the source keeps the name); deleting an indicator drops its links
    // (the item goes back to the queue when it has no other).
    //
    // `search_index` is the one search (FTS5, trigram tokenizer: any 3+ characters of Chinese
    // text; shorter queries use LIKE on the same table) over indicators, units, unit aliases
    // and evidence, kept by triggers, so every writer of those tables keeps it current. Rows
    // have fixed rowids (kind << 40 | id). A later module joins the search by adding its own
    // kind and triggers (a migration recreating one of these tables must recreate its
    // triggers too).
    r#"
    CREATE TABLE evidence_object (
        hash      TEXT PRIMARY KEY,
        size      INTEGER NOT NULL,
        stored_at TEXT NOT NULL
    );
    CREATE TABLE evidence (
        id            INTEGER PRIMARY KEY,
        campaign_id   INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        hash          TEXT NOT NULL REFERENCES evidence_object(hash),
        title         TEXT NOT NULL,
        file_name     TEXT NOT NULL,
        unit_id       INTEGER REFERENCES unit(id) ON DELETE SET NULL,
        formed_on     TEXT,
        doc_no        TEXT NOT NULL DEFAULT '',
        category      TEXT NOT NULL DEFAULT '' CHECK (category IN ('', '记录', '审核', '公示')),
        method        TEXT NOT NULL DEFAULT '' CHECK (method IN ('', '材料查证', '网络检索', '案卷评查')),
        url           TEXT NOT NULL DEFAULT '',
        keywords      TEXT NOT NULL DEFAULT '',
        captured_on   TEXT,
        screenshot_id INTEGER REFERENCES evidence(id) ON DELETE SET NULL,
        case_no       TEXT NOT NULL DEFAULT '',
        case_type     TEXT NOT NULL DEFAULT '',
        note          TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL DEFAULT '待审核' CHECK (status IN ('待审核', '已通过', '退回')),
        return_reason TEXT NOT NULL DEFAULT '',
        reviewed_at   TEXT,
        reviewer      TEXT NOT NULL DEFAULT '',
        answers_id    INTEGER REFERENCES evidence(id) ON DELETE SET NULL,
        queue_note    TEXT NOT NULL DEFAULT '',
        added_at      TEXT NOT NULL,
        UNIQUE (campaign_id, hash)
    );
    CREATE INDEX evidence_unit ON evidence(unit_id);
    CREATE INDEX evidence_status ON evidence(campaign_id, status);
    CREATE INDEX evidence_answers ON evidence(answers_id);
    CREATE TABLE evidence_source (
        id            INTEGER PRIMARY KEY,
        evidence_id   INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        unit_id       INTEGER REFERENCES unit(id) ON DELETE SET NULL,
        unit_name     TEXT NOT NULL DEFAULT '',
        original_name TEXT NOT NULL,
        original_path TEXT NOT NULL,
        added_at      TEXT NOT NULL,
        operator      TEXT NOT NULL
    );
    CREATE UNIQUE INDEX evidence_source_once
        ON evidence_source(evidence_id, original_path, ifnull(unit_id, 0));
    CREATE INDEX evidence_source_unit ON evidence_source(unit_id);
    CREATE TABLE evidence_link (
        evidence_id  INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        confidence   INTEGER NOT NULL,
        reason       TEXT NOT NULL DEFAULT '',
        by_user      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (evidence_id, indicator_id)
    );
    CREATE INDEX evidence_link_indicator ON evidence_link(indicator_id);
    CREATE TABLE evidence_candidate (
        evidence_id  INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        confidence   INTEGER NOT NULL,
        reason       TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (evidence_id, indicator_id)
    );
    CREATE INDEX evidence_candidate_indicator ON evidence_candidate(indicator_id);

    CREATE VIRTUAL TABLE search_index USING fts5(
        kind UNINDEXED, ref_id UNINDEXED, scope UNINDEXED, text, tokenize = 'trigram'
    );
    CREATE TRIGGER search_indicator_ins AFTER INSERT ON indicator BEGIN
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((1 << 40) + new.id, 'indicator', new.id, new.system_id, new.title);
    END;
    CREATE TRIGGER search_indicator_upd AFTER UPDATE OF title, system_id ON indicator
    WHEN old.title IS NOT new.title OR old.system_id IS NOT new.system_id BEGIN
        DELETE FROM search_index WHERE rowid = (1 << 40) + old.id;
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((1 << 40) + new.id, 'indicator', new.id, new.system_id, new.title);
    END;
    CREATE TRIGGER search_indicator_del AFTER DELETE ON indicator BEGIN
        DELETE FROM search_index WHERE rowid = (1 << 40) + old.id;
    END;
    CREATE TRIGGER search_unit_ins AFTER INSERT ON unit BEGIN
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((2 << 40) + new.id, 'unit', new.id, new.campaign_id,
                new.name || ' ' || new.short_name);
    END;
    CREATE TRIGGER search_unit_upd AFTER UPDATE OF name, short_name, campaign_id ON unit
    WHEN old.name IS NOT new.name OR old.short_name IS NOT new.short_name
      OR old.campaign_id IS NOT new.campaign_id BEGIN
        DELETE FROM search_index WHERE rowid = (2 << 40) + old.id;
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((2 << 40) + new.id, 'unit', new.id, new.campaign_id,
                new.name || ' ' || new.short_name);
    END;
    CREATE TRIGGER search_unit_del AFTER DELETE ON unit BEGIN
        DELETE FROM search_index WHERE rowid = (2 << 40) + old.id;
    END;
    CREATE TRIGGER search_alias_ins AFTER INSERT ON unit_alias BEGIN
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        SELECT (4 << 40) + new.rowid, 'unit', new.unit_id, u.campaign_id, new.alias
        FROM unit u WHERE u.id = new.unit_id;
    END;
    CREATE TRIGGER search_alias_del AFTER DELETE ON unit_alias BEGIN
        DELETE FROM search_index WHERE rowid = (4 << 40) + old.rowid;
    END;
    CREATE TRIGGER search_evidence_ins AFTER INSERT ON evidence BEGIN
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((3 << 40) + new.id, 'evidence', new.id, new.campaign_id,
                new.title || ' ' || new.file_name || ' ' || new.doc_no || ' ' || new.keywords
                || ' ' || new.case_no || ' ' || new.note);
    END;
    CREATE TRIGGER search_evidence_upd
    AFTER UPDATE OF title, file_name, doc_no, keywords, case_no, note ON evidence
    WHEN old.title IS NOT new.title OR old.file_name IS NOT new.file_name
      OR old.doc_no IS NOT new.doc_no OR old.keywords IS NOT new.keywords
      OR old.case_no IS NOT new.case_no OR old.note IS NOT new.note BEGIN
        DELETE FROM search_index WHERE rowid = (3 << 40) + old.id;
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((3 << 40) + new.id, 'evidence', new.id, new.campaign_id,
                new.title || ' ' || new.file_name || ' ' || new.doc_no || ' ' || new.keywords
                || ' ' || new.case_no || ' ' || new.note);
    END;
    CREATE TRIGGER search_evidence_del AFTER DELETE ON evidence BEGIN
        DELETE FROM search_index WHERE rowid = (3 << 40) + old.id;
    END;
    INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        SELECT (1 << 40) + id, 'indicator', id, system_id, title FROM indicator;
    INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        SELECT (2 << 40) + id, 'unit', id, campaign_id, name || ' ' || short_name FROM unit;
    INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        SELECT (4 << 40) + a.rowid, 'unit', a.unit_id, u.campaign_id, a.alias
        FROM unit_alias a JOIN unit u ON u.id = a.unit_id;
    "#,
    // v8: 督察 rounds and their problems (问题清单/整改台账): a round of a campaign with the
    // units inspected; problems with the indicators they touch; one row per responsible unit
    // (a 共性 problem is tracked, and closed, unit by unit); the history of every change;
    // per-unit 问题整改表 exports with a snapshot of what was sent; the 文号 of the 反馈函
    // issued to each unit; the 自查 self-assessment of each indicator. A unit still named in a
    // problem cannot be deleted (RESTRICT).
    r#"
    CREATE TABLE round (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('专项督察', '实地督查', '自查', '模拟评估', '其他')),
        start_date  TEXT,
        end_date    TEXT,
        team        TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        UNIQUE (campaign_id, name)
    );
    CREATE TABLE round_unit (
        round_id INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
        unit_id  INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        PRIMARY KEY (round_id, unit_id)
    );
    CREATE TABLE problem (
        id              INTEGER PRIMARY KEY,
        round_id        INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('共性', '个性')),
        category        TEXT NOT NULL DEFAULT '',
        source_no       TEXT NOT NULL DEFAULT '',
        description     TEXT NOT NULL,
        indicators_text TEXT NOT NULL DEFAULT '',
        requirement     TEXT NOT NULL DEFAULT '',
        deadline_text   TEXT NOT NULL DEFAULT '',
        deadline_date   TEXT,
        deadline_kind   TEXT NOT NULL DEFAULT 'none'
                        CHECK (deadline_kind IN ('date', 'immediate', 'standing', 'text', 'none')),
        note            TEXT NOT NULL DEFAULT '',
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        UNIQUE (round_id, seq)
    );
    CREATE TABLE problem_indicator (
        problem_id   INTEGER NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        PRIMARY KEY (problem_id, indicator_id)
    );
    CREATE INDEX problem_indicator_indicator ON problem_indicator(indicator_id);
    CREATE TABLE problem_unit (
        id          INTEGER PRIMARY KEY,
        problem_id  INTEGER NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        unit_id     INTEGER NOT NULL REFERENCES unit(id) ON DELETE RESTRICT,
        position    INTEGER NOT NULL DEFAULT 0,
        status      TEXT NOT NULL DEFAULT '待整改'
                    CHECK (status IN ('待整改', '整改中', '已整改待核验', '已销号')),
        measures    TEXT NOT NULL DEFAULT '',
        progress    TEXT NOT NULL DEFAULT '',
        completion  TEXT NOT NULL DEFAULT '',
        evidence    TEXT NOT NULL DEFAULT '',
        closed_on   TEXT,
        close_note  TEXT NOT NULL DEFAULT '',
        updated_at  TEXT NOT NULL,
        UNIQUE (problem_id, unit_id)
    );
    CREATE INDEX problem_unit_unit ON problem_unit(unit_id);
    CREATE TABLE problem_event (
        id         INTEGER PRIMARY KEY,
        problem_id INTEGER NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        unit_id    INTEGER REFERENCES unit(id) ON DELETE CASCADE,
        at         TEXT NOT NULL,
        operator   TEXT NOT NULL,
        field      TEXT NOT NULL,
        old        TEXT NOT NULL DEFAULT '',
        new        TEXT NOT NULL DEFAULT '',
        note       TEXT NOT NULL DEFAULT '',
        source     TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX problem_event_problem ON problem_event(problem_id);
    CREATE TABLE problem_export (
        id          INTEGER PRIMARY KEY,
        round_id    INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
        unit_id     INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        revision    INTEGER NOT NULL,
        file_name   TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        UNIQUE (round_id, unit_id, revision)
    );
    CREATE TABLE problem_export_row (
        export_id       INTEGER NOT NULL REFERENCES problem_export(id) ON DELETE CASCADE,
        problem_unit_id INTEGER NOT NULL REFERENCES problem_unit(id) ON DELETE CASCADE,
        status          TEXT NOT NULL DEFAULT '',
        measures        TEXT NOT NULL DEFAULT '',
        progress        TEXT NOT NULL DEFAULT '',
        completion      TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (export_id, problem_unit_id)
    );
    CREATE TABLE problem_letter (
        round_id  INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
        unit_id   INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        number    INTEGER NOT NULL,
        doc_no    TEXT NOT NULL,
        file_name TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        PRIMARY KEY (round_id, unit_id)
    );
    CREATE TABLE self_assessment (
        campaign_id  INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        rating       TEXT NOT NULL DEFAULT ''
                     CHECK (rating IN ('', '达标', '基本达标', '未达标', '不适用')),
        score        REAL,
        explanation  TEXT NOT NULL DEFAULT '',
        evidence     TEXT NOT NULL DEFAULT '',
        review       TEXT NOT NULL DEFAULT '' CHECK (review IN ('', '同意', '退回')),
        review_note  TEXT NOT NULL DEFAULT '',
        reviewed_at  TEXT,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (campaign_id, indicator_id)
    );
    "#,
    // v9: 模拟评估. Per campaign: the scoring model (where the 分值 come from, grade shares,
    // 附加项 cap, composite weights), the office's own 分值, deduction rules per indicator, the
    // 否决项 list, the expert team. Per round: which expert scores which indicators, the marks
    // (expert_id NULL: entered by the office) with their rule uses, the office's pick among
    // several experts (expert_id NULL: the average), triggered 否决项, 附加项, reviewed case
    // files, and the per-expert scoring-sheet exports with a snapshot of what was sent. Scores
    // are integers in hundredths of a point (10.5 → 1050), never floats.
    r#"
    CREATE TABLE eval_model (
        campaign_id         INTEGER PRIMARY KEY REFERENCES campaign(id) ON DELETE CASCADE,
        points_source       TEXT NOT NULL CHECK (points_source IN ('system', 'office')),
        method              TEXT NOT NULL CHECK (method IN ('points', 'grade')),
        grade_full          INTEGER NOT NULL,
        grade_basic         INTEGER NOT NULL,
        grade_fail          INTEGER NOT NULL,
        bonus_cap           INTEGER,
        weight_written      INTEGER,
        weight_site         INTEGER,
        weight_satisfaction INTEGER
    );
    CREATE TABLE eval_points (
        campaign_id  INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        points       INTEGER NOT NULL CHECK (points >= 0),
        PRIMARY KEY (campaign_id, indicator_id)
    );
    CREATE TABLE eval_rule (
        id           INTEGER PRIMARY KEY,
        campaign_id  INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL CHECK (kind IN ('fixed', 'perItem', 'zero', 'discretion')),
        text         TEXT NOT NULL DEFAULT '',
        amount       INTEGER,
        cap          INTEGER,
        position     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX eval_rule_indicator ON eval_rule(campaign_id, indicator_id);
    CREATE TABLE eval_veto (
        id           INTEGER PRIMARY KEY,
        campaign_id  INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        text         TEXT NOT NULL,
        indicator_id INTEGER REFERENCES indicator(id) ON DELETE SET NULL,
        note         TEXT NOT NULL DEFAULT '',
        position     INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE eval_round (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('mock', 'official')),
        position    INTEGER NOT NULL,
        held_on     TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        site_score  INTEGER,
        site_note   TEXT NOT NULL DEFAULT '',
        sat_rate    INTEGER,
        sat_sample  INTEGER,
        sat_method  TEXT NOT NULL DEFAULT '',
        sat_period  TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        UNIQUE (campaign_id, name)
    );
    CREATE TABLE eval_expert (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        org         TEXT NOT NULL DEFAULT '',
        field       TEXT NOT NULL DEFAULT '',
        phone       TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        position    INTEGER NOT NULL DEFAULT 0,
        UNIQUE (campaign_id, name, org)
    );
    CREATE TABLE eval_assign (
        round_id     INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        expert_id    INTEGER NOT NULL REFERENCES eval_expert(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        PRIMARY KEY (round_id, expert_id, indicator_id)
    );
    CREATE INDEX eval_assign_expert ON eval_assign(expert_id);
    CREATE TABLE eval_mark (
        id           INTEGER PRIMARY KEY,
        round_id     INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        expert_id    INTEGER REFERENCES eval_expert(id) ON DELETE CASCADE,
        entry        TEXT NOT NULL CHECK (entry IN ('score', 'deduction', 'grade', 'rules')),
        value        INTEGER,
        grade        TEXT CHECK (grade IS NULL OR grade IN ('full', 'basic', 'fail')),
        reason       TEXT NOT NULL DEFAULT '',
        method       TEXT NOT NULL DEFAULT '',
        evidence     TEXT NOT NULL DEFAULT '',
        note         TEXT NOT NULL DEFAULT '',
        source       TEXT NOT NULL DEFAULT 'app' CHECK (source IN ('app', 'sheet')),
        updated_at   TEXT NOT NULL
    );
    CREATE UNIQUE INDEX eval_mark_one ON eval_mark(round_id, indicator_id, coalesce(expert_id, 0));
    CREATE INDEX eval_mark_expert ON eval_mark(expert_id);
    CREATE TABLE eval_mark_rule (
        mark_id INTEGER NOT NULL REFERENCES eval_mark(id) ON DELETE CASCADE,
        rule_id INTEGER NOT NULL REFERENCES eval_rule(id),
        count   INTEGER NOT NULL DEFAULT 1,
        amount  INTEGER,
        PRIMARY KEY (mark_id, rule_id)
    );
    CREATE INDEX eval_mark_rule_rule ON eval_mark_rule(rule_id);
    CREATE TABLE eval_pick (
        round_id     INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        expert_id    INTEGER REFERENCES eval_expert(id) ON DELETE CASCADE,
        PRIMARY KEY (round_id, indicator_id)
    );
    CREATE TABLE eval_veto_hit (
        round_id INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        veto_id  INTEGER NOT NULL REFERENCES eval_veto(id) ON DELETE CASCADE,
        note     TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (round_id, veto_id)
    );
    CREATE TABLE eval_bonus (
        id       INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        text     TEXT NOT NULL,
        points   INTEGER NOT NULL,
        note     TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE eval_case (
        id           INTEGER PRIMARY KEY,
        round_id     INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        unit_id      INTEGER REFERENCES unit(id) ON DELETE SET NULL,
        unit_name    TEXT NOT NULL DEFAULT '',
        case_no      TEXT NOT NULL,
        case_type    TEXT NOT NULL DEFAULT '',
        score        INTEGER NOT NULL,
        full         INTEGER NOT NULL DEFAULT 10000,
        problems     TEXT NOT NULL DEFAULT '',
        indicator_id INTEGER REFERENCES indicator(id) ON DELETE SET NULL,
        reviewer     TEXT NOT NULL DEFAULT '',
        position     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX eval_case_round ON eval_case(round_id);
    CREATE TABLE eval_export (
        id          INTEGER PRIMARY KEY,
        round_id    INTEGER NOT NULL REFERENCES eval_round(id) ON DELETE CASCADE,
        expert_id   INTEGER NOT NULL REFERENCES eval_expert(id) ON DELETE CASCADE,
        revision    INTEGER NOT NULL,
        file_name   TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        UNIQUE (round_id, expert_id, revision)
    );
    CREATE TABLE eval_export_row (
        export_id    INTEGER NOT NULL REFERENCES eval_export(id) ON DELETE CASCADE,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        points       INTEGER,
        text         TEXT NOT NULL DEFAULT '',
        entry        TEXT NOT NULL DEFAULT '',
        reason       TEXT NOT NULL DEFAULT '',
        method       TEXT NOT NULL DEFAULT '',
        evidence     TEXT NOT NULL DEFAULT '',
        note         TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (export_id, indicator_id)
    );
    "#,
    // v10: problems join the one search (`search_index`, kind 'problem', rowid 5 << 40 + id;
    // scope = the round's campaign), kept by triggers like the other kinds.
    r#"
    CREATE TRIGGER search_problem_ins AFTER INSERT ON problem BEGIN
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((5 << 40) + new.id, 'problem', new.id,
                (SELECT campaign_id FROM round WHERE id = new.round_id),
                new.description || ' ' || new.requirement || ' ' || new.indicators_text
                || ' ' || new.category || ' ' || new.note);
    END;
    CREATE TRIGGER search_problem_upd
    AFTER UPDATE OF description, requirement, indicators_text, category, note, round_id ON problem
    WHEN old.description IS NOT new.description OR old.requirement IS NOT new.requirement
      OR old.indicators_text IS NOT new.indicators_text OR old.category IS NOT new.category
      OR old.note IS NOT new.note OR old.round_id IS NOT new.round_id BEGIN
        DELETE FROM search_index WHERE rowid = (5 << 40) + old.id;
        INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        VALUES ((5 << 40) + new.id, 'problem', new.id,
                (SELECT campaign_id FROM round WHERE id = new.round_id),
                new.description || ' ' || new.requirement || ' ' || new.indicators_text
                || ' ' || new.category || ' ' || new.note);
    END;
    CREATE TRIGGER search_problem_del AFTER DELETE ON problem BEGIN
        DELETE FROM search_index WHERE rowid = (5 << 40) + old.id;
    END;
    INSERT INTO search_index (rowid, kind, ref_id, scope, text)
        SELECT (5 << 40) + p.id, 'problem', p.id, r.campaign_id,
               p.description || ' ' || p.requirement || ' ' || p.indicators_text
               || ' ' || p.category || ' ' || p.note
        FROM problem p JOIN round r ON r.id = p.round_id;
    "#,
    // v11: the 材料齐全 page and the dashboard count each unit's items by status: a covering index
    // (50 000 items: 100 ms of reading whole rows and sorting them become 4 ms).
    r#"
    CREATE INDEX evidence_unit_status ON evidence(campaign_id, unit_id, status);
    "#,
    // v12: problems leave the FTS index: the trigram index of 20 000 problems made a 问题清单
    // import four times slower than everything else it does. Search scans the problem rows of
    // the campaign instead (see `evidence::search`), which is a few milliseconds at that size.
    r#"
    DROP TRIGGER search_problem_ins;
    DROP TRIGGER search_problem_upd;
    DROP TRIGGER search_problem_del;
    DELETE FROM search_index WHERE rowid >= (5 << 40) AND rowid < (6 << 40);
    "#,
    // v13: every `CHECK (x IN ('a', 'b', …))` of a table becomes `x = 'a' OR x = 'b' …`, by
    // `rewrite_in_checks` after this (empty) SQL: see there.
    "",
];

/// The migration whose SQL is followed by [`rewrite_in_checks`].
const REWRITE_IN_CHECKS: usize = 13;

/// The same rules, checked without a temporary table: SQLite checks `x IN ('a', 'b', 'c')` by
/// building a temporary index of the list for every row it inserts or updates, which was a fifth
/// of the time of storing a 20 000-row 问题清单. Only the text of the constraints changes, no
/// stored row does, so the schema is edited in place the way SQLite's ALTER TABLE documentation
/// gives for such changes (writable_schema, schema_version + 1, then integrity_check), inside
/// the migration's transaction.
fn rewrite_in_checks(tx: &Transaction<'_>) -> Result<()> {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let changed: Vec<(String, String)> = tables
        .into_iter()
        .filter_map(|(name, sql)| {
            let new = in_lists_as_comparisons(&sql);
            (new != sql).then_some((name, new))
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let version: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    for (name, sql) in &changed {
        tx.execute(
            "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = ?2",
            params![sql, name],
        )?;
    }
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    let check: String = tx.pragma_query_value(None, "integrity_check", |r| r.get(0))?;
    if check != "ok" {
        return Err(Error::Db(format!("数据文件结构升级后检查未通过：{check}")));
    }
    Ok(())
}

/// `col IN ('a', 'b')` (a list of text literals only) as `(col = 'a' OR col = 'b')`; anything
/// else is kept as written.
fn in_lists_as_comparisons(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find(" IN (") {
        let before = &rest[..at];
        let col_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let col = &before[col_start..];
        let after = &rest[at + " IN (".len()..];
        match (col.is_empty(), literal_list(after)) {
            (false, Some((values, used))) => {
                out.push_str(&before[..col_start]);
                let terms: Vec<String> = values.iter().map(|v| format!("{col} = {v}")).collect();
                out.push('(');
                out.push_str(&terms.join(" OR "));
                out.push(')');
                rest = &after[used..];
            }
            _ => {
                out.push_str(&rest[..at + " IN (".len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The quoted literals of `'a', 'b')` and how many bytes they and the closing bracket take.
fn literal_list(s: &str) -> Option<(Vec<&str>, usize)> {
    let mut values = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i) != Some(&b'\'') {
            return None;
        }
        let close = i + 1 + s[i + 1..].find('\'')?;
        if b.get(close + 1) == Some(&b'\'') {
            return None; // an escaped quote: not ours, keep the list as written
        }
        values.push(&s[i..=close]);
        i = close + 1;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b')') => return (!values.is_empty()).then_some((values, i + 1)),
            _ => return None,
        }
    }
}

/// The database of one data folder.
pub struct Store {
    conn: Connection,
    /// Set when another process holds the data folder: writes are refused with this message.
    read_only: Option<String>,
}

/// Today on this PC's clock (deadlines, 逾期, phase dates are judged against it; core functions
/// take the day as an argument so tests are exact).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Current local time as stored: "2026-11-23 09:30:00".
pub fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

impl Store {
    /// Open (creating if needed) and migrate the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| match Error::from(e) {
            Error::Db(m) => Error::Io(format!("无法打开数据文件“{}”：{m}", path.display())),
            other => other,
        })?;
        Self::init(conn)
    }

    /// An in-memory store, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MB of page cache instead of SQLite's 2 MB: a large import (20 000 problems) then
        // builds its transaction in memory instead of spilling pages to the WAL and reading
        // them back while the B-trees grow.
        conn.pragma_update(None, "cache_size", -32_768)?;
        migrate(&mut conn)?;
        // Outside `write` the connection refuses every change: a query that tried to write
        // anywhere else in the engine fails instead of changing data without a log entry.
        conn.pragma_update(None, "query_only", true)?;
        Ok(Store {
            conn,
            read_only: None,
        })
    }

    /// The connection, for queries: it refuses changes outside [`Store::write`].
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run one change in a transaction and record it in the operation log as `action` with
    /// `detail` (what changed). Nothing is kept if `f` fails.
    pub fn write<T>(
        &mut self,
        action: Action,
        detail: impl FnOnce(&T) -> String,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Some(why) = &self.read_only {
            return Err(Error::Busy(why.clone()));
        }
        self.conn.pragma_update(None, "query_only", false)?;
        let out = Self::logged(&mut self.conn, action, detail, f);
        let locked = self.conn.pragma_update(None, "query_only", true);
        let out = out?;
        locked?;
        Ok(out)
    }

    fn logged<T>(
        conn: &mut Connection,
        action: Action,
        detail: impl FnOnce(&T) -> String,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        let operator: String = tx
            .query_row(
                "SELECT value FROM setting WHERE key = 'operator'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| "未设置".to_string());
        tx.execute(
            "INSERT INTO oplog (at, operator, action, detail, code) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now(), operator, action.label(), detail(&out), action.code()],
        )?;
        tx.commit()?;
        Ok(out)
    }

    /// Refuse every write from now on with `why` (the folder is held by another program).
    pub fn set_read_only(&mut self, why: Option<String>) {
        self.read_only = why;
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// Close the database, checkpointing the WAL into the main file first, so that the file
    /// can be replaced (restore, hand-over import).
    pub fn close(self) -> Result<()> {
        let _ = self.conn.pragma_update(None, "query_only", false);
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        self.conn.close().map_err(|(_, e)| Error::from(e))
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// The data tables, read from the schema (so a table added later cannot escape the checks that
/// compare "everything stored": fingerprints, the crash harness, backup previews).
pub fn table_names(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every row of every table as text, table by table: two equal dumps mean nothing changed.
pub fn dump(conn: &Connection) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for t in table_names(conn)? {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))?;
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut line = String::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{v:?}|"));
                }
                Ok(line)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.insert(t, rows);
    }
    Ok(out)
}

/// [`dump`] of a database file opened read-only, for checks made from outside the process that
/// owns it (the crash harness looks at the file a killed process left).
pub fn dump_file(path: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    dump(&conn)
}

/// Store a setting inside a write transaction.
pub fn set_setting(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Bring the schema to the latest version. A database from a newer app is refused rather than
/// damaged.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let latest = MIGRATIONS.len() as i64;
    if version > latest {
        return Err(Error::Invalid(format!(
            "数据文件来自更新版本的示范创建工作台（数据版本 {version}，本程序支持到 {latest}），请升级程序后再打开。"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i + 1 == REWRITE_IN_CHECKS {
            rewrite_in_checks(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_lists_become_comparisons_and_nothing_else_changes() {
        assert_eq!(
            in_lists_as_comparisons(
                "status TEXT NOT NULL DEFAULT '待整改'\n CHECK (status IN ('待整改', '整改中')),"
            ),
            "status TEXT NOT NULL DEFAULT '待整改'\n CHECK ((status = '待整改' OR status = '整改中')),"
        );
        assert_eq!(
            in_lists_as_comparisons("CHECK (grade IS NULL OR grade IN ('full', 'basic', ''))"),
            "CHECK (grade IS NULL OR (grade = 'full' OR grade = 'basic' OR grade = ''))"
        );
        for kept in [
            "CHECK (id IN (SELECT id FROM t))",
            "CHECK (n IN (1, 2))",
            "CHECK (x IN ('it''s'))",
            "name TEXT NOT NULL",
        ] {
            assert_eq!(in_lists_as_comparisons(kept), kept);
        }
    }

    /// After the migrations no table checks a list (SQLite would build a temporary index of it
    /// for every row), and the rules hold as before.
    #[test]
    fn check_lists_are_comparisons_and_still_refuse_other_values() {
        let s = Store::open_in_memory().expect("opens");
        let c = s.conn();
        c.pragma_update(None, "query_only", false)
            .expect("writable");
        let lists: Vec<String> = c
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (''%'")
            .expect("q")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("names");
        assert!(lists.is_empty(), "tables still checking a list: {lists:?}");
        let plan: Vec<String> = c
            .prepare(
                "EXPLAIN INSERT INTO problem_unit (problem_id, unit_id, status, updated_at)
                 VALUES (1, 1, '整改中', '')",
            )
            .expect("explain")
            .query_map([], |r| r.get(1))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("ops");
        assert!(!plan.iter().any(|op| op == "OpenEphemeral"), "{plan:?}");
        c.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO round (id, campaign_id, name, kind, created_at) VALUES (1, 1, 'r', '专项督察', '');",
        )
        .expect("a round");
        let bad = c.execute(
            "INSERT INTO round (campaign_id, name, kind, created_at) VALUES (1, 's', '巡视', '')",
            [],
        );
        assert!(bad.is_err(), "a kind outside the list is refused");
        let check: String = c
            .pragma_query_value(None, "integrity_check", |r| r.get(0))
            .expect("check");
        assert_eq!(check, "ok");
    }

    #[test]
    fn migrates_an_empty_database_to_latest() {
        let s = Store::open_in_memory().expect("opens");
        let v: i64 = s
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("v");
        assert_eq!(v, MIGRATIONS.len() as i64);
        let fk: i64 = s
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 1);
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let mut c = Connection::open_in_memory().expect("open");
        c.pragma_update(None, "user_version", 99).expect("set");
        let err = migrate(&mut c).expect_err("refused");
        assert!(err.to_string().contains("更新版本"));
    }

    #[test]
    fn outside_write_the_connection_refuses_changes() {
        let mut s = Store::open_in_memory().expect("opens");
        let e = s
            .conn()
            .execute("INSERT INTO setting (key, value) VALUES ('x', '1')", [])
            .expect_err("refused");
        assert!(e.to_string().contains("readonly"), "{e}");
        s.write(
            Action::SetOperator,
            |_| "x".into(),
            |tx| set_setting(tx, "x", "2"),
        )
        .expect("write works");
        assert_eq!(s.setting("x").expect("read").as_deref(), Some("2"));
        // A failed write locks the connection again too.
        let _ = s.write(
            Action::SetOperator,
            |_| String::new(),
            |_| -> Result<()> { Err(Error::Invalid("故意失败".into())) },
        );
        assert!(
            s.conn().execute("DELETE FROM setting", []).is_err(),
            "still read-only after a failed write"
        );
    }

    #[test]
    fn old_log_entries_get_their_action_code_from_the_label() {
        let mut c = Connection::open_in_memory().expect("open");
        c.execute_batch(MIGRATIONS[0]).expect("v1");
        c.execute_batch(MIGRATIONS[1]).expect("v2");
        c.pragma_update(None, "user_version", 2).expect("set");
        c.execute_batch(
            "INSERT INTO oplog (at, operator, action, detail) VALUES
               ('t', 'o', '导入任务分解表', 'd'), ('t', 'o', '随便什么', 'd');",
        )
        .expect("old rows");
        migrate(&mut c).expect("migrates");
        let codes: Vec<String> = c
            .prepare("SELECT code FROM oplog ORDER BY id")
            .expect("p")
            .query_map([], |r| r.get(0))
            .expect("q")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(codes, vec!["importTasks".to_string(), String::new()]);
        for a in Action::ALL {
            // Every label the v3 backfill knows maps to its action's code.
            let sql = MIGRATIONS[2];
            if sql.contains(a.label()) {
                assert!(sql.contains(&format!("'{}' THEN '{}'", a.label(), a.code())));
            }
        }
    }

    #[test]
    fn only_the_campaign_the_demo_action_made_is_marked_as_demo_on_upgrade() {
        let mut c = Connection::open_in_memory().expect("open");
        let v4 = MIGRATIONS
            .iter()
            .position(|m| m.contains("demo_data INTEGER"))
            .expect("the mark's migration");
        for m in &MIGRATIONS[..v4] {
            c.execute_batch(m).expect("older migrations");
        }
        c.pragma_update(None, "user_version", v4 as i64)
            .expect("set");
        c.execute_batch(
            "INSERT INTO indicator_system (key, name, version, level_names, imported_at, is_demo)
               VALUES ('demo', '演示体系', 'v', '[]', 'now', 1);
             INSERT INTO campaign (name, district, level, system_id, created_at) VALUES
               ('演示区法治政府建设示范创建（演示数据）', '演示区', '省级', 1, 'now'),
               ('曾都区法治政府建设示范创建（省级）', '曾都区', '省级', 1, 'now'),
               ('演示区法治政府建设示范创建（省级）', '演示区', '省级', 1, 'now');
             INSERT INTO oplog (at, operator, action, detail, code)
               VALUES ('t', 'o', '建立演示数据', 'd', 'createDemo');",
        )
        .expect("old data");
        migrate(&mut c).expect("migrates");
        let marked: Vec<i64> = c
            .prepare("SELECT id FROM campaign WHERE demo_data = 1")
            .expect("p")
            .query_map([], |r| r.get(0))
            .expect("q")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(
            marked,
            vec![1],
            "the user's campaigns, also on the demo system, are real"
        );

        // Without a 建立演示数据 entry nothing is demo, whatever its name.
        let mut c = Connection::open_in_memory().expect("open");
        for m in &MIGRATIONS[..v4] {
            c.execute_batch(m).expect("older migrations");
        }
        c.pragma_update(None, "user_version", v4 as i64)
            .expect("set");
        c.execute_batch(
            "INSERT INTO indicator_system (key, name, version, level_names, imported_at)
               VALUES ('demo', '演示体系', 'v', '[]', 'now');
             INSERT INTO campaign (name, district, level, system_id, created_at)
               VALUES ('演示区法治政府建设示范创建（演示数据）', '演示区', '省级', 1, 'now');",
        )
        .expect("old data");
        migrate(&mut c).expect("migrates");
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM campaign WHERE demo_data = 1",
                [],
                |r| r.get(0),
            )
            .expect("n");
        assert_eq!(n, 0);
    }

    #[test]
    fn a_failed_write_leaves_no_trace_and_no_log() {
        let mut s = Store::open_in_memory().expect("opens");
        let r: Result<()> = s.write(
            Action::SetOperator,
            |_| String::new(),
            |tx| {
                set_setting(tx, "x", "1")?;
                Err(Error::Invalid("故意失败".into()))
            },
        );
        assert!(r.is_err());
        assert_eq!(s.setting("x").expect("read"), None);
        let n: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM oplog", [], |r| r.get(0))
            .expect("n");
        assert_eq!(n, 0);
    }

    #[test]
    fn a_v1_database_with_a_campaign_migrates_to_the_latest_version() {
        let mut c = Connection::open_in_memory().expect("open");
        c.pragma_update(None, "foreign_keys", "ON").expect("fk");
        c.execute_batch(MIGRATIONS[0]).expect("v1");
        c.pragma_update(None, "user_version", 1).expect("set");
        c.execute_batch(
            "INSERT INTO indicator_system (key, name, version, level_names, imported_at)
               VALUES ('k', '体系', 'v', '[]', 'now');
             INSERT INTO campaign (name, district, level, system_id, created_at)
               VALUES ('曾都区创建', '曾都区', '省级', 1, 'now');",
        )
        .expect("v1 data");
        migrate(&mut c).expect("migrates");
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("v");
        assert_eq!(v, MIGRATIONS.len() as i64);
        c.execute(
            "INSERT INTO unit (campaign_id, name, kind) VALUES (1, '区司法局', '行政执法单位')",
            [],
        )
        .expect("unit in the old campaign");
        let bad = c.execute(
            "INSERT INTO unit (campaign_id, name, kind) VALUES (1, '区财政局', '机关')",
            [],
        );
        assert!(bad.is_err(), "kind is checked");
        c.execute("DELETE FROM campaign WHERE id = 1", [])
            .expect("cascade");
        let n: i64 = c
            .query_row("SELECT count(*) FROM unit", [], |r| r.get(0))
            .expect("n");
        assert_eq!(n, 0, "units go with their campaign");
    }
}
