import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import ProblemsImportDialog from '../components/ProblemsImportDialog.vue'
import type { ProblemsImportOptions } from '../gen/ProblemsImportOptions'
import { chooseName, settle } from '../test/fixtures'
import { importPreview } from '../test/problemFixtures'
import { UNITS } from '../test/unitFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const PATH = 'D:\\督察\\问题清单.xlsx'
const LENIENT: ProblemsImportOptions = { strict: false, createUnits: false, nameChoices: [] }
/** What the dialog sends with no round chosen. */
const SENT = { round: undefined, ...LENIENT }

/** A list naming 区大数据中心 (not in the roster) on row 9. */
const blocked = () =>
  importPreview({
    unknownUnits: [{ name: '区大数据中心', kind: '其他', places: ['工作表“问题清单”第9行 E列'] }],
    issues: [
      {
        severity: 'error',
        file: '问题清单.xlsx',
        sheet: '问题清单',
        row: 9,
        col: 'E',
        message: '单位“区大数据中心”不在单位名单中。',
      },
    ],
    canApply: false,
  })

async function mountDialog() {
  const w = mount(ProblemsImportDialog, {
    props: { modelValue: true, path: PATH, preview: blocked(), options: LENIENT, rounds: [] },
    ...withUi,
  })
  await settle()
  return w
}

const applyButton = () => document.querySelector('[data-testid="btn-apply-problems-import"]') as HTMLButtonElement

beforeEach(() => {
  vi.mocked(api.listUnits).mockResolvedValue(UNITS)
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('导入问题清单: a choice per unit name the list writes otherwise', () => {
  it('maps an unknown unit to a roster unit, previews again and applies with that choice', async () => {
    await mountDialog()
    expect(api.listUnits).toHaveBeenCalled()
    expect(document.querySelector('[data-testid="name-choice-区大数据中心"]')?.textContent).toContain('未处理（不能导入）')
    expect(applyButton().disabled).toBe(true)

    vi.mocked(api.previewProblemsImport).mockResolvedValue(
      importPreview({
        chosen: [{ written: '区大数据中心', action: 'map', unitName: '区教育局', places: ['工作表“问题清单”第9行 E列'] }],
      }),
    )
    await chooseName('区大数据中心', '对应到：区教育局')
    const mapped = [{ written: '区大数据中心', action: 'map', unit: '区教育局' }]
    expect(api.previewProblemsImport).toHaveBeenLastCalledWith(PATH, { ...SENT, nameChoices: mapped })
    const chosen = document.querySelector('[data-testid="problems-import-chosen"]')?.textContent ?? ''
    expect(chosen).toContain('对应到“区教育局”（导入后保存为其别名）')
    expect(chosen).toContain('第9行 E列')
    expect(document.querySelector('[data-testid="problems-import-unknown"]')).toBeNull()

    vi.mocked(api.applyProblemsImport).mockResolvedValue(importPreview({ round: { ...importPreview().round, id: 3 } }))
    expect(applyButton().disabled).toBe(false)
    applyButton().click()
    await settle()
    expect(api.applyProblemsImport).toHaveBeenCalledWith(PATH, { ...SENT, nameChoices: mapped })
  })

  it('a guessed name can be created as a unit of its own instead', async () => {
    await mountDialog()
    vi.mocked(api.previewProblemsImport).mockResolvedValue(
      importPreview({
        guesses: [],
        chosen: [{ written: '曾都区信访局', action: 'create', unitName: '', places: ['工作表“问题清单”第13行 E列'] }],
      }),
    )
    await chooseName('曾都区信访局', '新建为新单位')
    expect(api.previewProblemsImport).toHaveBeenLastCalledWith(PATH, {
      ...SENT,
      nameChoices: [{ written: '曾都区信访局', action: 'create', unit: '' }],
    })
    expect(document.querySelector('[data-testid="problems-import-chosen"]')?.textContent).toContain('新建为新单位')
  })
})
