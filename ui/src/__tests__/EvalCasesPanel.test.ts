// 案卷评查: the reviewed case files of a round with their score on the checklist; a score above
// the checklist's 满分 is refused in Chinese instead of being saved as full marks.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import EvalCasesPanel from '../components/EvalCasesPanel.vue'
import type { CaseFile } from '../gen/CaseFile'
import { settle } from '../test/fixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null

function inputOf(testid: string): HTMLInputElement {
  const box = el(testid)!
  return (box instanceof HTMLInputElement ? box : box.querySelector('input')) as HTMLInputElement
}

async function type(testid: string, v: string) {
  const input = inputOf(testid)
  input.value = v
  input.dispatchEvent(new Event('input'))
  await settle()
  input.dispatchEvent(new Event('change'))
  await settle()
}

function caseFile(overrides: Partial<CaseFile> = {}): CaseFile {
  return {
    id: 1,
    roundId: 2,
    unitId: 3,
    unitName: '区市场监管局',
    caseNo: '曾市监罚决字〔2025〕12号',
    caseType: '行政处罚',
    score: 72,
    full: 100,
    rate: 72,
    problems: '未告知陈述申辩权利',
    indicatorId: 103,
    indicatorNo: 3,
    reviewer: '王教授',
    ...overrides,
  }
}

async function mountPanel(cases: CaseFile[] = [caseFile()]) {
  const w = mount(EvalCasesPanel, {
    props: { roundId: 2, cases, units: [], indicators: [] },
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

describe('案卷评查', () => {
  it('lists the case files with their checklist score, rate and problems found', async () => {
    await mountPanel()
    const table = el('cases-table')!.textContent ?? ''
    expect(table).toContain('曾市监罚决字〔2025〕12号')
    expect(table).toContain('72 / 100')
    expect(table).toContain('72%')
    expect(table).toContain('未告知陈述申辩权利')
  })

  it('refuses a score above the 满分 and saves a valid one as typed', async () => {
    vi.mocked(api.saveCaseFile).mockResolvedValue(caseFile({ id: 2, caseNo: '曾司复决字〔2025〕3号' }))
    const w = await mountPanel([])
    el('btn-add-case')!.click()
    await settle()
    const no = inputOf('case-no')
    no.value = '曾司复决字〔2025〕3号'
    no.dispatchEvent(new Event('input'))
    await type('case-full', '90')
    await type('case-score', '95')
    el('btn-save-case')!.click()
    await settle()
    expect(api.saveCaseFile).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('评查得分 95 超过满分 90，未保存。')

    await type('case-score', '85.5')
    el('btn-save-case')!.click()
    await settle()
    expect(api.saveCaseFile).toHaveBeenCalledWith(
      expect.objectContaining({ id: null, roundId: 2, caseNo: '曾司复决字〔2025〕3号', caseType: '行政处罚', score: 85.5, full: 90 }),
    )
    expect(w.emitted('changed')).toHaveLength(1)
  })
})
