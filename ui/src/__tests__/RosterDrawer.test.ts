import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'

import * as api from '../api'
import RosterDrawer from '../components/RosterDrawer.vue'
import { settle } from '../test/fixtures'
import { member, unit } from '../test/unitFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

function nameInputs(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="roster-name"]')].map((e) =>
    e instanceof HTMLInputElement ? e : (e.querySelector('input') as HTMLInputElement),
  )
}

describe('RosterDrawer', () => {
  it('keeps rows being typed when the page refreshes its unit list behind the open drawer', async () => {
    vi.mocked(api.roster).mockResolvedValue([member(1, 3, '张三')])
    const w = mount(RosterDrawer, {
      props: { unit: unit(3, '区市场监管局'), modelValue: true },
      ...withUi,
    })
    await settle()
    await vi.waitFor(() => expect(nameInputs().map((i) => i.value)).toEqual(['张三']))
    ;(document.querySelector('[data-testid="roster-add"]') as HTMLButtonElement).click()
    await settle()
    const added = nameInputs()[1]
    added.value = '王五'
    added.dispatchEvent(new Event('input'))
    await settle()
    // The page reloads its units (after a save elsewhere): the same unit, a new object.
    await w.setProps({ unit: unit(3, '区市场监管局', { rosterCount: 1 }) })
    await nextTick()
    await settle()
    expect(nameInputs().map((i) => i.value)).toEqual(['张三', '王五'])
    expect(api.roster).toHaveBeenCalledTimes(1)
    // Another unit does reload.
    await w.setProps({ unit: unit(4, '区教育局') })
    await settle()
    expect(api.roster).toHaveBeenCalledTimes(2)
    w.unmount()
  })
})
