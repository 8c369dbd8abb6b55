// 评分方案's 否决项: the office's own list, which of them the selected round triggered, and
// marking one triggered (with what happened) or not.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import EvalModelPanel from '../components/EvalModelPanel.vue'
import type { EvalRound } from '../gen/EvalRound'
import type { VetoHit } from '../gen/VetoHit'
import { settle } from '../test/fixtures'
import { evalRound, scoringModel } from '../test/evalFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const checkbox = (id: number) => el(`veto-hit-${id}`)!.querySelector('input') as HTMLInputElement

async function mountPanel(round: EvalRound | null, hits: VetoHit[]) {
  const w = mount(EvalModelPanel, {
    props: { model: scoringModel(), round, hits, bonus: [] },
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

describe('否决项', () => {
  it('shows which 否决项 the round triggered and marks another with its note', async () => {
    vi.mocked(api.setVetoHit).mockResolvedValue([])
    const w = await mountPanel(evalRound({ id: 4 }), [{ vetoId: 1, text: '发生重大违法行政决策事件', note: '某街道征收决定被确认违法' }])
    expect(el('veto-card')?.textContent).toContain('发生重大违法行政决策事件')
    expect(el('veto-card')?.textContent).toContain('行政机关负责人出庭应诉率低于 90%')
    expect(checkbox(1).checked).toBe(true)
    expect(checkbox(2).checked).toBe(false)

    const notes = el('veto-card')!.querySelectorAll('.note input')
    const note = notes[1] as HTMLInputElement
    note.value = '出庭应诉率 86%'
    note.dispatchEvent(new Event('input'))
    await settle()
    checkbox(2).click()
    await settle()
    expect(api.setVetoHit).toHaveBeenCalledWith(4, 2, true, '出庭应诉率 86%')
    expect(w.emitted('changed')).toHaveLength(1)

    checkbox(1).click()
    await settle()
    expect(api.setVetoHit).toHaveBeenLastCalledWith(4, 1, false, '')
  })

  it('cannot mark a 否决项 triggered without a round', async () => {
    await mountPanel(null, [])
    expect(checkbox(1).disabled).toBe(true)
    checkbox(1).click()
    await settle()
    expect(api.setVetoHit).not.toHaveBeenCalled()
  })

  it('adds a 否决项 to the office list, keeping the others', async () => {
    vi.mocked(api.saveVetoes).mockResolvedValue([])
    await mountPanel(evalRound(), [])
    const input = el('veto-text')!.querySelector('input') ?? (el('veto-text') as HTMLInputElement)
    ;(input as HTMLInputElement).value = '发生重大行政执法过错责任事件'
    input.dispatchEvent(new Event('input'))
    await settle()
    el('btn-add-veto')!.click()
    await settle()
    expect(api.saveVetoes).toHaveBeenCalledWith([
      { id: 1, text: '发生重大违法行政决策事件', indicatorId: null, note: '' },
      { id: 2, text: '行政机关负责人出庭应诉率低于 90%', indicatorId: null, note: '' },
      { id: null, text: '发生重大行政执法过错责任事件', indicatorId: null, note: '' },
    ])
  })
})
