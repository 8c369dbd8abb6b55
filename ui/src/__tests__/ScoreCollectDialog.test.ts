// 收回专家评分表: the preview says which expert and round each returned sheet is and how it was
// recognised, counts what it would change, shows conflicts; any error blocks 应用 and is listed
// with its file, sheet, row and column; 应用 collects the same path.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import ScoreCollectDialog from '../components/ScoreCollectDialog.vue'
import type { ScoreCollectPreview } from '../gen/ScoreCollectPreview'
import { issue, settle } from '../test/fixtures'
import { LI, scoreCollectPreview, scoreSheet } from '../test/evalFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const PATH = 'D:\\收回评分表'
const WANG_FILE = '模拟评估一-王教授-专家评分表.xlsx'
const LI_FILE = '李副教授评分表（已填）.xlsx'

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => el(testid)?.textContent ?? ''
const applyButton = () => el('btn-apply-score-collect') as HTMLButtonElement

/** Two returned sheets: 王教授's by its export stamp with two changes, 李副教授's by its title with a conflict. */
function goodPreview(): ScoreCollectPreview {
  return scoreCollectPreview({
    sheets: [
      scoreSheet({
        file: WANG_FILE,
        changes: [
          { no: 1, indicator: '行政规范性文件合法性审核全覆盖', field: '评估组评分', old: '', new: '8.5' },
          { no: 1, indicator: '行政规范性文件合法性审核全覆盖', field: '扣分理由', old: '', new: '抽查10件，2件无合法性审核意见' },
        ],
      }),
      scoreSheet({
        file: LI_FILE,
        expertId: LI.id,
        expertName: LI.name,
        matchedBy: 'title',
        matchedByLabel: '按标题识别',
        revision: null,
        rows: 12,
        scored: 11,
        changes: [{ no: 3, indicator: '行政执法“三项制度”全面落实', field: '扣分', old: '', new: '1.5' }],
        conflicts: [{ no: 2, indicator: '重大行政决策目录化管理', field: '评估组评分', sent: '', office: '16', expert: '15' }],
      }),
    ],
    changeCount: 3,
    conflictCount: 1,
    issues: [issue({ severity: 'warning', message: `“${LI_FILE}”没有导出标记，按标题识别为“模拟评估一”李副教授的评分表。`, file: LI_FILE, sheet: null, row: null, col: null })],
  })
}

function badPreview(): ScoreCollectPreview {
  return scoreCollectPreview({
    sheets: [scoreSheet({ file: WANG_FILE })],
    canApply: false,
    issues: [
      issue({
        message: `“${WANG_FILE}”，工作表“专家评分表”，第 6 行 F 列：评估组评分 13 超过该指标的分值 12。`,
        file: WANG_FILE,
        sheet: '专家评分表',
        row: 6,
        col: 'F',
      }),
      issue({
        message: `“${WANG_FILE}”，工作表“专家评分表”，第 8 行 F 列：评估组评分“良好”不是数字，应填写数字。`,
        file: WANG_FILE,
        sheet: '专家评分表',
        row: 8,
        col: 'F',
      }),
      issue({
        severity: 'warning',
        message: `“${WANG_FILE}”：这是第 1 次导出的评分表，此后又导出过（最近为第 2 次），将按第 1 次导出时的内容比对。`,
        file: WANG_FILE,
        sheet: null,
        row: null,
        col: null,
      }),
    ],
  })
}

async function mountDialog(preview: ScoreCollectPreview) {
  const w = mount(ScoreCollectDialog, {
    props: { path: PATH, preview, modelValue: true },
    ...withUi,
  })
  await settle()
  return w
}

afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('收回专家评分表', () => {
  it('shows each sheet with its expert, how it was recognised and what it changes', async () => {
    await mountDialog(goodPreview())
    const body = text('score-collect-preview')
    expect(body).toContain('2 份')
    expect(body).toContain('修改3 处')
    expect(body).toContain('冲突1 处')
    const titles = [...document.querySelectorAll('.sheet-title')].map((t) => t.textContent ?? '')
    expect(titles).toHaveLength(2)
    expect(titles[0]).toContain('模拟评估一 · 王教授')
    expect(titles[0]).toContain('按导出标记识别')
    expect(titles[0]).toContain('40 行，已评 38 项')
    expect(titles[0]).toContain('修改 2 处')
    expect(titles[0]).not.toContain('冲突')
    expect(titles[1]).toContain('模拟评估一 · 李副教授')
    expect(titles[1]).toContain('按标题识别')
    expect(titles[1]).toContain('冲突 1 处')
    // The sheet with a conflict is opened: what was sent, what the office has now, what the expert wrote.
    const items = document.querySelectorAll('.el-collapse-item')
    expect(items[0].classList.contains('is-active')).toBe(false)
    expect(items[1].classList.contains('is-active')).toBe(true)
    const conflict = items[1].querySelector('.conflicts')?.textContent ?? ''
    expect(conflict).toContain('本办现在')
    expect(conflict).toContain('16')
    expect(conflict).toContain('15')
    // A warning does not block.
    expect(body).toContain('没有导出标记，按标题识别')
    expect(el('score-collect-blocked')).toBeNull()
    expect(applyButton().disabled).toBe(false)
  })

  it('errors block 应用 and are listed with file, sheet, row and column', async () => {
    await mountDialog(badPreview())
    expect(text('score-collect-blocked')).toContain('有 2 处错误')
    expect(text('score-collect-blocked')).toContain('未做任何修改')
    expect(applyButton().disabled).toBe(true)
    applyButton().click()
    await settle()
    expect(api.applyScoreCollect).not.toHaveBeenCalled()

    const rows = [...document.querySelectorAll('[data-testid="preview-issues"] .el-table__body-wrapper tr.el-table__row')].map(
      (r) => r.textContent ?? '',
    )
    expect(rows).toHaveLength(3)
    // Errors first, each with its place; the message names the file.
    expect(rows[0]).toContain('错误')
    expect(rows[0]).toContain('专家评分表，第 6 行，F 列')
    expect(rows[0]).toContain(WANG_FILE)
    expect(rows[0]).toContain('超过该指标的分值 12')
    expect(rows[1]).toContain('第 8 行，F 列')
    expect(rows[1]).toContain('不是数字')
    expect(rows[2]).toContain('警告')
  })

  it('应用 collects the same path and reports what was written', async () => {
    const done = goodPreview()
    vi.mocked(api.applyScoreCollect).mockResolvedValue(done)
    const w = await mountDialog(goodPreview())
    applyButton().click()
    await settle()
    expect(api.applyScoreCollect).toHaveBeenCalledWith(PATH)
    expect(w.emitted('applied')).toHaveLength(1)
    expect(w.emitted('update:modelValue')).toEqual([[false]])
    expect(document.body.textContent).toContain('已收回 2 份专家评分表，写入 3 处修改；1 处冲突未写入')
  })

  it('a failed apply keeps the dialog open and shows the reason', async () => {
    vi.mocked(api.applyScoreCollect).mockRejectedValue(
      new api.ApiError('invalid', `“${WANG_FILE}”在预览后被修改过，请重新选择后再收回；未做任何修改。`),
    )
    const w = await mountDialog(goodPreview())
    applyButton().click()
    await settle()
    expect(w.emitted('applied')).toBeUndefined()
    expect(w.emitted('update:modelValue')).toBeUndefined()
    expect(document.body.textContent).toContain('收回失败')
    expect(document.body.textContent).toContain('在预览后被修改过')
  })
})
