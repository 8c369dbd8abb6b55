import { describe, expect, it } from 'vitest'

import { radarOption, wrapName } from '../lib/evalCharts'
import { evalResults } from '../test/evalFixtures'

describe('模拟评估 charts', () => {
  it('the radar shows each aspect’s 得分率 and marks an aspect with nothing scored as 未评, not as 0%', () => {
    const r = evalResults()
    r.aspects[1] = { ...r.aspects[1], rate: null, scored: 0 }
    const o = radarOption(r, [])
    const names = o.radar.indicator.map((i) => i.name)
    expect(names[0]).not.toContain('未评')
    expect(names[1]).toMatch(/（未评）$/)
    expect(o.series[0].data[0].value[0]).toBe(r.aspects[0].rate)
  })

  it('wraps a long axis name so it stays inside the card', () => {
    expect(wrapName('法治政府建设组织保障有力（未评）')).toBe('法治政府建设组织保\n障有力（未评）')
    expect(wrapName('政务公开')).toBe('政务公开')
  })
})
