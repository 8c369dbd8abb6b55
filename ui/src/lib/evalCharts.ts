// The ECharts options of the 模拟评估 results, as pure functions of what the engine computed
// (every number comes from the backend; the UI never adds scores up). Tested by snapshotting
// the option objects, not pixels.
import type { EvalResults } from '../gen/EvalResults'
import type { TrendPoint } from '../gen/TrendPoint'

/** "一、政府职能依法全面履行" → "政府职能依法全面履行" (radar axis names stay short). */
export function aspectName(label: string): string {
  return label.replace(/^[一二三四五六七八九十]+、/, '').replace(/（测试方面）$/, '')
}

/** Points as the office reads them: 10.5, 0.25, "—" for none. */
export function fmt(p: number | null | undefined): string {
  if (p == null) return '—'
  return String(p)
}

const palette = ['#2f6fb3', '#c0504d', '#9bbb59', '#8064a2', '#f79646']

/** A radar axis name in lines of at most nine characters. */
export function wrapName(name: string, width = 9): string {
  const chars = [...name]
  const lines: string[] = []
  for (let i = 0; i < chars.length; i += width) lines.push(chars.slice(i, i + width).join(''))
  return lines.join('\n')
}

/** 雷达图：各一级指标得分率（%），本轮与上一轮。 */
export function radarOption(results: EvalResults, trend: TrendPoint[]) {
  const aspects = results.aspects
  const prev = results.previous ? trend.find((t) => t.roundId === results.previous?.roundId) : undefined
  const series: { name: string; value: number[] }[] = [
    { name: results.round.name, value: aspects.map((a) => a.rate ?? 0) },
  ]
  if (prev) {
    series.push({
      name: prev.name,
      value: aspects.map((a) => prev.aspects.find((x) => x.label === a.label)?.rate ?? 0),
    })
  }
  return {
    color: palette,
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, data: series.map((s) => s.name) },
    radar: {
      radius: '58%',
      // An aspect with nothing scored yet sits at the centre like 0%: its axis says 未评.
      indicator: aspects.map((a) => ({ name: aspectName(a.label) + (a.rate == null ? '（未评）' : ''), max: 100 })),
      // Long aspect names wrap after nine characters, so the labels stay inside the card.
      axisName: { color: '#555', fontSize: 11, formatter: (name?: string) => wrapName(name ?? '') },
    },
    series: [
      {
        name: '得分率（%）',
        type: 'radar',
        data: series.map((s, i) => ({
          name: s.name,
          value: s.value,
          areaStyle: i === 0 ? { opacity: 0.15 } : undefined,
          lineStyle: i === 0 ? undefined : { type: 'dashed' },
        })),
      },
    ],
  }
}

/** 柱状图：各牵头单位失分（前 `top` 个）。 */
export function unitBarOption(results: EvalResults, top = 12) {
  const units = results.byUnit.filter((u) => u.lost > 0).slice(0, top).reverse()
  return {
    color: [palette[1]],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: '失分', minInterval: 0.5 },
    yAxis: { type: 'category', data: units.map((u) => u.unitName), axisLabel: { fontSize: 11 } },
    series: [
      {
        name: '失分',
        type: 'bar',
        data: units.map((u) => u.lost),
        label: { show: true, position: 'right', fontSize: 11 },
      },
    ],
  }
}

/** 折线图：各轮总得分率与满意率；触发否决项的轮次标红。 */
export function trendOption(trend: TrendPoint[]) {
  const values = trend.flatMap((t) => [t.total.rate, t.satisfaction]).filter((v): v is number => v != null)
  const low = values.length ? Math.max(0, Math.floor(Math.min(...values) / 5) * 5 - 5) : 0
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, data: ['总得分率（%）', '群众满意率（%）'] },
    grid: { left: 8, right: 24, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category', data: trend.map((t) => t.name) },
    yAxis: { type: 'value', min: low, max: 100 },
    series: [
      {
        name: '总得分率（%）',
        type: 'line',
        data: trend.map((t) => ({
          value: t.total.rate,
          itemStyle: t.flagged ? { color: '#d00' } : undefined,
          symbolSize: t.flagged ? 12 : 8,
        })),
        label: { show: true, fontSize: 11 },
      },
      {
        name: '群众满意率（%）',
        type: 'line',
        data: trend.map((t) => t.satisfaction),
        lineStyle: { type: 'dashed' },
      },
    ],
  }
}

/** 柱状图：失分最多的指标（前 `top` 项），本轮与上一轮。 */
export function lostBarOption(results: EvalResults, top = 10) {
  const items = results.lostRanking.slice(0, top).reverse()
  const series: object[] = [
    { name: results.round.name, type: 'bar', data: items.map((i) => i.lost) },
  ]
  if (results.previous) {
    series.push({ name: results.previous.name, type: 'bar', data: items.map((i) => i.prevLost) })
  }
  return {
    color: [palette[1], '#bbb'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: 'value', name: '失分' },
    yAxis: { type: 'category', data: items.map((i) => `指标${i.no}`) },
    series,
  }
}
