// The collect preview's choices: which of a unit's several returned sheets to collect, which
// unit a file naming two units is for (or to leave it out). Each choice previews again with
// every choice made so far, and 应用 applies with the same choices.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import CollectDialog from '../components/CollectDialog.vue'
import type { CollectedSheet } from '../gen/CollectedSheet'
import type { CollectPreview } from '../gen/CollectPreview'
import { issue, settle } from '../test/fixtures'
import { collectPreview } from '../test/unitFixtures'
import { withUi } from '../test/ui'
import { MATCHED_BY_LABELS } from '../gen/vocabulary'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const DRAFT = '区司法局-创建任务工作表.xlsx'
const RETURNED = '收回/区司法局-创建任务工作表.xlsx'
const COLLEAGUE = '区审计局-创建任务工作表.xlsx'

function sheet(file: string, overrides: Partial<CollectedSheet> = {}): CollectedSheet {
  return {
    file,
    path: file,
    folder: file.includes('/') ? file.split('/')[0] : '',
    modified: '2025-09-05 17:30',
    unitId: 1,
    unitName: '区司法局',
    matchedBy: 'stamp',
    matchedByLabel: MATCHED_BY_LABELS.stamp,
    revision: 1,
    rows: 26,
    changes: [],
    conflicts: [],
    insertedRows: [],
    ...overrides,
  }
}

/** A collect of 区司法局's two returns and a colleague's file; `chosen` is the 区司法局 file collected. */
function preview(chosen: string, colleague: { unitId: number | null; skipped: boolean }): CollectPreview {
  const sheets = [sheet(chosen)]
  if (colleague.unitId != null) {
    sheets.push(sheet(COLLEAGUE, { unitId: colleague.unitId, unitName: '区审计局', matchedBy: 'choice', matchedByLabel: MATCHED_BY_LABELS.choice }))
  }
  const blocked = colleague.unitId == null && !colleague.skipped
  return collectPreview({
    source: '回收',
    sheets,
    duplicates: [
      {
        unitId: 1,
        unitName: '区司法局',
        files: [
          { file: DRAFT, path: DRAFT, folder: '', modified: '2025-08-20 10:00', revision: 1, rows: 26, changes: 0, conflicts: 0 },
          { file: RETURNED, path: RETURNED, folder: '收回', modified: '2025-09-03 16:45', revision: 1, rows: 26, changes: 52, conflicts: 0 },
        ],
        chosen,
        reason: chosen === RETURNED ? 'newest' : 'choice',
        reasonLabel: chosen === RETURNED ? '默认收回最近修改的一份' : '按您的选择',
      },
    ],
    mismatches: [
      {
        file: COLLEAGUE,
        path: COLLEAGUE,
        folder: '',
        units: [
          { unitId: 5, unitName: '区财政局', places: ['导出标记'] },
          { unitId: 6, unitName: '区审计局', places: ['填报单位', '标题', '文件名'] },
        ],
        chosenUnitId: colleague.unitId,
        skipped: colleague.skipped,
      },
    ],
    issues: blocked
      ? [issue({ severity: 'error', message: `“${COLLEAGUE}”：导出标记表明这是发给“区财政局”的工作表，但填报单位、标题、文件名写的是“区审计局”。` })]
      : [],
    canApply: !blocked,
  })
}

function radio(testid: string, nth = 0): HTMLInputElement {
  return document.querySelectorAll(`[data-testid="${testid}"] input`)[nth] as HTMLInputElement
}

function applyButton(): HTMLButtonElement {
  return document.querySelector('[data-testid="btn-apply-collect"]') as HTMLButtonElement
}

function text(testid: string): string {
  return [...document.querySelectorAll(`[data-testid="${testid}"]`)].map((e) => e.textContent ?? '').join(' ')
}

async function mountDialog(p: CollectPreview) {
  const w = mount(CollectDialog, {
    props: { path: 'D:\\回收', preview: p, modelValue: true },
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

describe('CollectDialog: choosing what comes back wrong', () => {
  it('shows both returns with their folders and times, the colleague file blocked, and applies the choices made', async () => {
    await mountDialog(preview(RETURNED, { unitId: null, skipped: false }))

    // Two returns of one unit: each with its folder and time, the newer one chosen.
    const dup = text('collect-duplicate')
    expect(dup).toContain('区司法局')
    expect(dup).toContain('默认收回最近修改的一份')
    expect(dup).toContain(DRAFT)
    expect(dup).toContain(RETURNED)
    expect(dup).toContain('文件夹：收回')
    expect(dup).toContain('修改于 2025-08-20 10:00')
    expect(radio('duplicate-file', 1).checked).toBe(true)
    expect(radio('duplicate-file', 0).checked).toBe(false)

    // The colleague's file: both units and where each is written; nothing chosen, apply blocked.
    const mis = text('collect-mismatch')
    expect(mis).toContain('收回为“区财政局”的工作表')
    expect(mis).toContain('导出标记')
    expect(mis).toContain('收回为“区审计局”的工作表')
    expect(mis).toContain('填报单位、标题、文件名')
    expect(radio('mismatch-unit-5').checked || radio('mismatch-unit-6').checked).toBe(false)
    expect(applyButton().disabled).toBe(true)
    expect(text('collect-blocked')).toContain('1 个文件写的单位不一致')

    // Take the older return instead: previewed again with that choice.
    vi.mocked(api.previewCollect).mockResolvedValueOnce(preview(DRAFT, { unitId: null, skipped: false }))
    radio('duplicate-file', 0).click()
    await settle()
    expect(api.previewCollect).toHaveBeenLastCalledWith('D:\\回收', {
      choices: [{ file: DRAFT, unitId: null, skip: false }],
    })
    expect(radio('duplicate-file', 0).checked).toBe(true)
    expect(text('collect-duplicate')).toContain('按您的选择')

    // Say the colleague's file is 区审计局's: both choices go with the next preview.
    vi.mocked(api.previewCollect).mockResolvedValueOnce(preview(DRAFT, { unitId: 6, skipped: false }))
    radio('mismatch-unit-6').click()
    await settle()
    expect(api.previewCollect).toHaveBeenLastCalledWith('D:\\回收', {
      choices: [
        { file: DRAFT, unitId: null, skip: false },
        { file: COLLEAGUE, unitId: 6, skip: false },
      ],
    })
    expect(radio('mismatch-unit-6').checked).toBe(true)
    expect(applyButton().disabled).toBe(false)
    expect(text('collect-preview')).toContain('按您的选择')

    // Changing one's mind replaces the earlier choice for that file.
    vi.mocked(api.previewCollect).mockResolvedValueOnce(preview(RETURNED, { unitId: 6, skipped: false }))
    radio('duplicate-file', 1).click()
    await settle()
    expect(api.previewCollect).toHaveBeenLastCalledWith('D:\\回收', {
      choices: [
        { file: COLLEAGUE, unitId: 6, skip: false },
        { file: RETURNED, unitId: null, skip: false },
      ],
    })

    vi.mocked(api.applyCollect).mockResolvedValueOnce(preview(RETURNED, { unitId: 6, skipped: false }))
    applyButton().click()
    await settle()
    expect(api.applyCollect).toHaveBeenCalledWith('D:\\回收', {
      choices: [
        { file: COLLEAGUE, unitId: 6, skip: false },
        { file: RETURNED, unitId: null, skip: false },
      ],
    })
  })

  it('says how each sheet was matched in the words the core sends', async () => {
    // A label the dialog could not make up from the key: it must show the core's.
    const p = preview(RETURNED, { unitId: 6, skipped: false })
    p.sheets[0] = { ...p.sheets[0], matchedBy: 'name', matchedByLabel: '按单位名称识别（核心）' }
    await mountDialog(p)
    const shown = text('collect-preview')
    expect(shown).toContain('按单位名称识别（核心）')
    expect(shown).toContain('按您的选择')
  })

  it('can leave the colleague file out', async () => {
    await mountDialog(preview(RETURNED, { unitId: null, skipped: false }))
    vi.mocked(api.previewCollect).mockResolvedValueOnce(preview(RETURNED, { unitId: null, skipped: true }))
    radio('mismatch-skip').click()
    await settle()
    expect(api.previewCollect).toHaveBeenLastCalledWith('D:\\回收', {
      choices: [{ file: COLLEAGUE, unitId: null, skip: true }],
    })
    expect(radio('mismatch-skip').checked).toBe(true)
    expect(applyButton().disabled).toBe(false)
  })

  it('lists the rows a unit inserted with their place, text and what became of them', async () => {
    await mountDialog(
      collectPreview({
        sheets: [
          sheet('区住房和城乡建设局-创建任务工作表.xlsx', {
            unitName: '区住房和城乡建设局',
            insertedRows: [
              { sheet: '任务清单', row: 6, col: 'I', belowIndicator: 5, field: '自评说明', text: '补充说明：9月底前完成验收。', attached: true },
              { sheet: '任务清单', row: 12, col: 'C', belowIndicator: 20, field: '指标内容', text: '单位自行增加的工作', attached: false },
            ],
          }),
        ],
      }),
    )
    const rows = text('collect-inserted-rows')
    expect(rows).toContain('第6行 I列')
    expect(rows).toContain('补充说明：9月底前完成验收。')
    expect(rows).toContain('并入上方指标的同一栏')
    expect(rows).toContain('单位自行增加的工作')
    expect(rows).toContain('未收回')
  })
})
