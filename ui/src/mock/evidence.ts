// Dev-only evidence library for the mock backend (screenshots, browser e2e): made-up but
// plausible items over the units and 任务分解 of mock/units.ts — some approved, some returned,
// some in the 待归类 queue, one sent twice.
import type { Assignment } from '../gen/Assignment'
import type { ArchivePlan } from '../gen/ArchivePlan'
import type { ArchiveReport } from '../gen/ArchiveReport'
import type { ErrorKind } from '../gen/commands'
import type { CompletenessReport } from '../gen/CompletenessReport'
import type { EvidenceAddFile } from '../gen/EvidenceAddFile'
import type { EvidenceAddOptions } from '../gen/EvidenceAddOptions'
import type { EvidenceAddPreview } from '../gen/EvidenceAddPreview'
import type { EvidenceAssign } from '../gen/EvidenceAssign'
import type { EvidenceDetail } from '../gen/EvidenceDetail'
import type { EvidenceEdit } from '../gen/EvidenceEdit'
import type { EvidenceFile } from '../gen/EvidenceFile'
import type { EvidencePreview } from '../gen/EvidencePreview'
import type { EvidenceFilter } from '../gen/EvidenceFilter'
import type { EvidenceItem } from '../gen/EvidenceItem'
import type { EvidenceMatch } from '../gen/EvidenceMatch'
import type { EvidenceReview } from '../gen/EvidenceReview'
import type { EvidenceSource } from '../gen/EvidenceSource'
import type { EvidenceVerifyReport } from '../gen/EvidenceVerifyReport'
import type { IndicatorCompleteness } from '../gen/IndicatorCompleteness'
import type { SearchHit } from '../gen/SearchHit'
import type { UnitInfo } from '../gen/UnitInfo'

function fail(kind: ErrorKind, message: string): never {
  throw { kind, message }
}

const STORE = 'C:\\Users\\演示用户\\AppData\\Roaming\\cn.gov.shifan\\data\\evidence\\objects'
const KINDS = ['工作方案', '会议纪要', '实施意见', '工作总结', '台账', '公示截图']

function hashOf(n: number): string {
  return (n * 2654435761).toString(16).padStart(8, '0').repeat(8).slice(0, 64)
}

export function createEvidenceStore(units: () => UnitInfo[], assignments: () => Assignment[]) {
  const items: EvidenceItem[] = []
  const sources = new Map<number, EvidenceSource[]>()
  let nextId = 1

  function unitName(id: number | null): string {
    return units().find((u) => u.id === id)?.name ?? ''
  }
  function match(a: Assignment, reason: string, confidence = 95): EvidenceMatch {
    return { indicatorId: a.indicatorId, no: a.no, confidence, reason }
  }
  function add(title: string, unitId: number | null, inds: EvidenceMatch[], extra: Partial<EvidenceItem> = {}, path = ''): EvidenceItem {
    const id = nextId++
    const ext = extra.ext ?? 'pdf'
    const fileName = `${title}.${ext}`
    const it: EvidenceItem = {
      id,
      title,
      fileName,
      ext,
      size: 80000 + ((id * 7919) % 900000),
      hash: hashOf(id),
      unitId,
      unitName: unitName(unitId),
      formedOn: `2023-${String(1 + (id % 11)).padStart(2, '0')}-${String(1 + (id % 27)).padStart(2, '0')}`,
      docNo: id % 3 === 0 ? `曾法办〔2023〕${id}号` : '',
      category: ['记录', '审核', '公示'][id % 3],
      method: '材料查证',
      url: '',
      keywords: '',
      capturedOn: null,
      screenshotId: null,
      caseNo: '',
      caseType: '',
      note: '',
      status: '待审核',
      returnReason: '',
      reviewedAt: null,
      reviewer: '',
      indicators: inds,
      inQueue: inds.length === 0,
      queueNote: inds.length ? '' : '名称中没有指标序号',
      sourceCount: 1,
      addedAt: '2023-05-10T09:30:00+08:00',
      answersId: null,
      answeredBy: null,
      ...extra,
    }
    items.push(it)
    sources.set(id, [
      {
        unitId,
        unitName: it.unitName,
        originalName: fileName,
        originalPath: path || `${it.unitName || '未知单位'}.zip/${inds.length ? `指标${inds[0].no}/` : ''}${fileName}`,
        addedAt: it.addedAt,
        operator: '演示用户',
      },
    ])
    return it
  }

  function seed() {
    const list = assignments().filter((a) => a.leads.length)
    list.forEach((a, i) => {
      // Every fourth indicator has nothing yet.
      if (i % 4 === 3) return
      const lead = a.leads[0].id
      const n = 1 + (i % 3)
      for (let k = 0; k < n; k++) {
        const base = `2023年${a.text.replace(/[，。；].*$/, '').slice(0, 12)}${a.evidence[k] ?? KINDS[(i + k) % KINDS.length]}`
        const it = add(base, lead, [match(a, k ? `文件名“${a.no}-”` : `文件夹名“指标${a.no}”`)])
        if ((i + k) % 3 === 0) Object.assign(it, { status: '已通过', reviewer: '演示用户', reviewedAt: '2023-05-20T10:00:00+08:00' })
        if ((i + k) % 7 === 5)
          Object.assign(it, { status: '退回', returnReason: '缺少盖章页，请补充后重新报送', reviewer: '演示用户', reviewedAt: '2023-05-21T15:00:00+08:00' })
      }
    })
    // Sent twice: one item, two sources.
    const twice = items[1]
    if (twice) {
      const u2 = units().find((u) => u.id !== twice.unitId)
      twice.sourceCount = 2
      sources.get(twice.id)?.push({
        unitId: u2?.id ?? null,
        unitName: u2?.name ?? '',
        originalName: `${twice.title}（转发）.pdf`,
        originalPath: `${u2?.name ?? ''}材料/${twice.title}（转发）.pdf`,
        addedAt: '2023-05-12T14:00:00+08:00',
        operator: '演示用户',
      })
    }
    // The 待归类 queue.
    const u = units()
    add('照片1', u[0]?.id ?? null, [], { ext: 'jpg', fileName: 'IMG_20230415.jpg' }, `${u[0]?.name ?? ''}.zip/IMG_20230415.jpg`)
    add('附件2 会议签到表', u[1]?.id ?? null, [])
    const amb = add('第3项工作总结', u[2]?.id ?? null, [])
    amb.queueNote = '“第3项”可能是指标3或指标30'
    add('2023年法治宣传活动照片', u[3]?.id ?? null, [], { ext: 'jpg' })
  }

  function candidatesOf(it: EvidenceItem): EvidenceMatch[] {
    if (!it.inQueue) return []
    const m = /第(\d+)项/.exec(it.title)
    const as = assignments()
    if (m) {
      const n = Number(m[1])
      return as.filter((a) => a.no === n || a.no === n * 10).map((a) => match(a, `“第${n}项”`, a.no === n ? 55 : 35))
    }
    const words = it.title.replace(/\d+|照片|附件|年/g, '')
    return as
      .filter((a) => words.length >= 2 && [...words].filter((c) => a.text.includes(c)).length >= 3)
      .slice(0, 3)
      .map((a) => match(a, '与指标文字相近', 30))
  }

  function byId(id: number): EvidenceItem {
    return items.find((i) => i.id === id) ?? fail('notFound', `佐证材料（编号 ${id}）不存在。`)
  }

  function list(f: EvidenceFilter): EvidenceItem[] {
    if (!items.length) seed()
    const text = (f.text ?? '').trim()
    const out = items.filter(
      (i) =>
        (!f.queue || i.inQueue) &&
        (f.indicatorId == null || i.indicators.some((m) => m.indicatorId === f.indicatorId)) &&
        (f.indicatorNo == null || i.indicators.some((m) => m.no === f.indicatorNo)) &&
        (f.unitId == null || (sources.get(i.id) ?? []).some((s) => s.unitId === f.unitId)) &&
        (!f.status || i.status === f.status) &&
        (!text || i.title.includes(text) || i.fileName.includes(text) || i.docNo.includes(text)),
    )
    return out.slice(f.offset ?? 0, (f.offset ?? 0) + (f.limit ?? out.length))
  }

  function detail(id: number): EvidenceDetail {
    const it = byId(id)
    return {
      item: it,
      sources: sources.get(id) ?? [],
      candidates: candidatesOf(it),
      answersTitle: it.answersId ? byId(it.answersId).title : '',
    }
  }

  function update(id: number, e: EvidenceEdit): EvidenceItem {
    const it = byId(id)
    if (e.title !== undefined) {
      if (!e.title.trim()) fail('invalid', '材料名称不能为空。')
      it.title = e.title
    }
    if (e.formedOn !== undefined) {
      const m = /^(\d{4})[-年.](\d{1,2})[-月.](\d{1,2})日?$/.exec(e.formedOn.trim())
      if (e.formedOn.trim() && !m) fail('invalid', `形成日期“${e.formedOn}”无法识别，请写成 2023-04-15 或 2023年4月15日。`)
      it.formedOn = m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : null
    }
    for (const k of ['docNo', 'category', 'method', 'url', 'keywords', 'caseNo', 'caseType', 'note'] as const) {
      if (e[k] !== undefined) it[k] = e[k] as string
    }
    if (e.capturedOn !== undefined) it.capturedOn = e.capturedOn || null
    if (e.unitId !== undefined) {
      it.unitId = e.unitId || null
      it.unitName = unitName(it.unitId)
    }
    return it
  }

  function assign(input: EvidenceAssign, remove = false): number {
    const as = assignments()
    const ids = [...input.indicatorIds, ...as.filter((a) => input.indicatorNos.includes(a.no)).map((a) => a.indicatorId)]
    let n = 0
    for (const id of input.ids) {
      const it = byId(id)
      if (remove) it.indicators = it.indicators.filter((m) => !ids.includes(m.indicatorId))
      else {
        if (input.replace) it.indicators = []
        for (const ind of ids) {
          const a = as.find((x) => x.indicatorId === ind) ?? fail('notFound', `指标（编号 ${ind}）不存在。`)
          if (!it.indicators.some((m) => m.indicatorId === ind)) it.indicators.push(match(a, '人工归类', 100))
        }
      }
      it.inQueue = it.indicators.length === 0
      it.queueNote = it.inQueue ? it.queueNote || '已取消全部指标' : ''
      n++
    }
    return n
  }

  function review(r: EvidenceReview): number {
    if (r.decision === 'return' && !r.reason.trim()) fail('invalid', '退回时请写明退回原因。')
    for (const id of r.ids) {
      const it = byId(id)
      it.status = r.decision === 'approve' ? '已通过' : r.decision === 'return' ? '退回' : '待审核'
      it.returnReason = r.decision === 'return' ? r.reason.trim() : ''
      it.reviewer = r.decision === 'reset' ? '' : '演示用户'
      it.reviewedAt = r.decision === 'reset' ? null : new Date().toISOString()
    }
    return r.ids.length
  }

  function remove(ids: number[]): number {
    const before = items.length
    for (const id of ids) {
      const i = items.findIndex((x) => x.id === id)
      if (i >= 0) items.splice(i, 1)
    }
    return before - items.length
  }

  function completeness(): CompletenessReport {
    if (!items.length) seed()
    const as = assignments()
    const inds: IndicatorCompleteness[] = as.map((a) => {
      const mine = items.filter((i) => i.indicators.some((m) => m.indicatorId === a.indicatorId))
      const approved = mine.filter((i) => i.status === '已通过').length
      const required = a.evidence.map((text) => {
        const hit = mine.find((i) => i.title.includes(text))
        return { text, evidenceId: hit?.id ?? null, evidenceTitle: hit?.title ?? '', evidenceStatus: hit?.status ?? '' }
      })
      const need = Math.max(1, required.length)
      const state: IndicatorCompleteness['state'] = mine.length === 0 ? 'none' : approved >= need ? 'complete' : 'partial'
      return {
        indicatorId: a.indicatorId,
        no: a.no,
        text: a.text,
        path: a.path,
        leads: a.leads,
        required,
        requiredCount: required.length,
        present: mine.length,
        approved,
        pending: mine.filter((i) => i.status === '待审核').length,
        returned: mine.filter((i) => i.status === '退回').length,
        state,
      }
    })
    const order = { none: 0, partial: 1, complete: 2 }
    inds.sort((x, y) => order[x.state] - order[y.state] || x.no - y.no)
    const unitsOut = units().map((u) => {
      const led = inds.filter((i) => i.leads.some((l) => l.id === u.id))
      const sent = items.filter((i) => (sources.get(i.id) ?? []).some((s) => s.unitId === u.id))
      return {
        unitId: u.id,
        unitName: u.name,
        leads: led.length,
        complete: led.filter((i) => i.state === 'complete').length,
        partial: led.filter((i) => i.state === 'partial').length,
        none: led.filter((i) => i.state === 'none').length,
        items: sent.length,
        approved: sent.filter((i) => i.status === '已通过').length,
        pending: sent.filter((i) => i.status === '待审核').length,
        returned: sent.filter((i) => i.status === '退回').length,
      }
    })
    const aspects = [...new Set(inds.map((i) => i.path[0] ?? '其他'))].map((aspect) => {
      const of = inds.filter((i) => (i.path[0] ?? '其他') === aspect)
      return {
        aspect,
        indicators: of.length,
        complete: of.filter((i) => i.state === 'complete').length,
        partial: of.filter((i) => i.state === 'partial').length,
        none: of.filter((i) => i.state === 'none').length,
        items: of.reduce((n, i) => n + i.present, 0),
      }
    })
    const count = (s: string) => items.filter((i) => i.status === s).length
    const complete = inds.filter((i) => i.state === 'complete').length
    const partial = inds.filter((i) => i.state === 'partial').length
    const none = inds.length - complete - partial
    return {
      indicators: inds,
      units: unitsOut,
      aspects,
      complete,
      partial,
      none,
      items: items.length,
      approved: count('已通过'),
      pending: count('待审核'),
      returned: count('退回'),
      queue: items.filter((i) => i.inQueue).length,
      summary: `${inds.length} 项指标：齐全 ${complete} 项，部分齐全 ${partial} 项，尚无材料 ${none} 项；材料 ${items.length} 份。`,
    }
  }

  /** A plausible drop: a unit's zip with a folder per indicator, a copy, a photo and junk. */
  function addPreview(paths: string[], options: EvidenceAddOptions, apply: boolean): EvidenceAddPreview {
    const names = paths.map((p) => p.split(/[\\/]/).pop() ?? p)
    const as = assignments()
    const issues: EvidenceAddPreview['issues'] = []
    const groups: EvidenceAddPreview['groups'] = []
    const files: EvidenceAddFile[] = []
    for (const name of names) {
      if (name.includes('error')) {
        issues.push({
          severity: 'error',
          message: `压缩包“${name}”中的条目“../../Windows/system.ini”指向压缩包之外，已拒收该压缩包。`,
          file: name,
          sheet: '../../Windows/system.ini',
          row: null,
          col: null,
        })
        groups.push({ name, files: 0, unitId: null, unitName: '', unitFrom: 'none', note: '已拒收' })
        continue
      }
      const given = options.unitId ? units().find((u) => u.id === options.unitId) : undefined
      const named = units().find((u) => name.includes(u.name) || (u.shortName && name.includes(u.shortName)))
      const unit = given ?? named ?? units()[0]
      const from = given ? 'given' : named ? 'exact' : 'guess'
      const chosen = as.filter((a) => options.indicatorIds.includes(a.indicatorId))
      const picks = as.slice(4, 7)
      const base = name.replace(/\.zip$/i, '')
      const mk = (location: string, inds: EvidenceMatch[], extra: Partial<EvidenceAddFile> = {}): EvidenceAddFile => {
        const fname = location.split('/').pop() ?? location
        return {
          location,
          name: fname,
          size: 120000 + files.length * 3571,
          unitId: unit?.id ?? null,
          unitName: unit?.name ?? '',
          title: fname.replace(/\.[^.]+$/, ''),
          docNo: '',
          formedOn: null,
          category: '',
          method: '材料查证',
          indicators: chosen.length ? chosen.map((a) => match(a, '添加时所选', 100)) : inds,
          candidates: [],
          verdict: chosen.length ? 'given' : inds.length ? 'sure' : 'none',
          queueNote: chosen.length || inds.length ? '' : '名称中没有指标序号',
          state: 'new',
          sameAs: '',
          evidenceId: null,
          answersId: null,
          answersTitle: '',
          ...extra,
        }
      }
      const before = files.length
      for (const a of picks) files.push(mk(`${name}/指标${a.no}/${a.text.slice(0, 10)}工作方案.pdf`, [match(a, `文件夹名“指标${a.no}”`)]))
      if (picks[0]) {
        const first = `${name}/指标${picks[0].no}/${picks[0].text.slice(0, 10)}工作方案.pdf`
        files.push(mk(`${name}/指标${picks[0].no}/${picks[0].text.slice(0, 10)}工作方案 - 副本.pdf`, [match(picks[0], `文件夹名“指标${picks[0].no}”`)], { state: 'repeat', sameAs: first }))
      }
      const known = items.find((i) => !i.inQueue)
      if (known) files.push(mk(`${name}/${known.fileName}`, known.indicators, { state: 'known', sameAs: known.title, evidenceId: known.id }))
      files.push(mk(`${name}/照片/IMG_20230415.jpg`, []))
      const amb = as.find((a) => a.no === 3)
      const amb30 = as.find((a) => a.no === 30)
      if (amb)
        files.push(
          mk(`${name}/第3项落实情况.docx`, [], {
            verdict: chosen.length ? 'given' : 'ambiguous',
            candidates: [match(amb, '“第3项”', 55), ...(amb30 ? [match(amb30, '“第3项”与指标30相近', 35)] : [])],
            queueNote: chosen.length ? '' : '“第3项”可能是指标3或指标30',
          }),
        )
      groups.push({ name: base === name ? name : name, files: files.length - before, unitId: unit?.id ?? null, unitName: unit?.name ?? '', unitFrom: from, note: '' })
    }
    const fresh = files.filter((f) => f.state === 'new')
    const queueCount = fresh.filter((f) => !f.indicators.length).length
    const preview: EvidenceAddPreview = {
      source: names.length > 1 ? `${names[0]} 等 ${names.length} 项` : (names[0] ?? ''),
      groups,
      files,
      fileCount: files.length,
      newCount: fresh.length,
      knownCount: files.filter((f) => f.state === 'known').length,
      repeatCount: files.filter((f) => f.state === 'repeat').length,
      failedCount: 0,
      junkSkipped: files.length ? 3 : 0,
      totalBytes: files.reduce((n, f) => n + f.size, 0),
      queueCount,
      answers: [],
      issues,
      canApply: fresh.length > 0 || files.some((f) => f.state === 'known'),
      applied: false,
      sourcesAdded: 0,
      summary: fresh.length ? `将新增 ${fresh.length} 份材料（${queueCount} 份进入待归类），${files.filter((f) => f.state === 'known').length} 个文件已在库中。` : '没有可以添加的材料。',
    }
    if (!apply) return preview
    if (!preview.canApply) fail('import', `“${preview.source}”没有可以添加的材料，未做任何改动。`)
    for (const f of fresh) {
      const it = add(f.title, f.unitId, f.indicators, { ext: f.name.split('.').pop() ?? '', fileName: f.name, addedAt: new Date().toISOString() }, f.location)
      if (f.verdict === 'ambiguous') it.queueNote = f.queueNote
      f.evidenceId = it.id
    }
    return { ...preview, applied: true, sourcesAdded: files.length - preview.repeatCount, summary: `已新增 ${fresh.length} 份材料，${queueCount} 份进入待归类。` }
  }

  function verify(): EvidenceVerifyReport {
    const lost = items[2]
    const bytes = items.reduce((n, i) => n + i.size, 0)
    return {
      checked: items.length,
      intact: items.length - (lost ? 1 : 0),
      bytes,
      problems: lost
        ? [{ hash: lost.hash, size: lost.size, problem: 'missing', foundHash: '', items: [], message: `“${lost.title}”的文件不见了（证据库中的文件已被删除或移走），请找到原文件重新关联。` }]
        : [],
      unreferenced: 1,
      ok: !lost,
      summary: lost ? `检查 ${items.length} 个文件：${items.length - 1} 个完好，1 个缺失。` : `检查 ${items.length} 个文件：全部完好。`,
    }
  }

  function archivePlan(): ArchivePlan {
    const as = assignments()
    const groups = new Map<string, Assignment[]>()
    for (const a of as) {
      const key = a.path[a.path.length - 1] ?? '其他'
      groups.set(key, [...(groups.get(key) ?? []), a])
    }
    return {
      volumes: [...groups.entries()].map(([title, list]) => ({ title, indicatorIds: list.map((a) => a.indicatorId), context: list[0]?.path[0] ?? '' })),
      generalVolume: true,
      includePending: false,
      mergePdf: true,
      level: 2,
    }
  }

  function exportArchive(target: string, plan: ArchivePlan): ArchiveReport {
    const take = (i: EvidenceItem) => i.status === '已通过' || (plan.includePending && i.status === '待审核')
    const volumes = plan.volumes.map((v, k) => {
      const of = items.filter((i) => take(i) && i.indicators.some((m) => v.indicatorIds.includes(m.indicatorId)))
      const folder = `${String(k + 1).padStart(2, '0')}-${v.title}`
      return {
        no: k + 1,
        title: v.title,
        indicatorNos: assignments().filter((a) => v.indicatorIds.includes(a.indicatorId)).map((a) => a.no),
        folder,
        items: of.length,
        pages: of.length * 3,
        merged: plan.mergePdf && of.length ? [`${folder}/${folder}.pdf`] : [],
        skipped: of.filter((i) => i.ext === 'docx').map((i) => `${i.title}（Word 文件不并入合并 PDF）`),
      }
    })
    if (plan.generalVolume) volumes.push({ no: volumes.length + 1, title: '综合卷', indicatorNos: [], folder: `${String(volumes.length + 1).padStart(2, '0')}-综合卷`, items: 0, pages: 0, merged: [], skipped: [] })
    const n = volumes.reduce((s, v) => s + v.items, 0)
    const pages = volumes.reduce((s, v) => s + v.pages, 0)
    return {
      target,
      volumes,
      items: n,
      files: n + volumes.length * 2 + 1,
      bytes: n * 300000,
      pages,
      warnings: [],
      summary: `已导出 ${volumes.length} 卷、${n} 份材料，共 ${pages} 页。`,
    }
  }

  function file(id: number): EvidenceFile {
    const it = byId(id)
    return { id, path: `${STORE}\\${it.hash.slice(0, 2)}\\${it.hash.slice(2)}`, mime: it.ext === 'jpg' ? 'image/jpeg' : 'application/pdf', name: it.fileName, size: it.size }
  }

  /** A grey 4×3 PNG stands for every image; PDFs say their pages. */
  function preview(id: number): EvidencePreview {
    const f = file(id)
    if (f.mime.startsWith('image/'))
      return { id, name: f.name, mime: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAAAAAC3YhnGAAAAEUlEQVR4nGM4c+bMfwYGBgYAGPYD/+jC4dUAAAAASUVORK5CYII=', pages: null, note: '' }
    return { id, name: f.name, mime: f.mime, dataUrl: null, pages: 3, note: 'PDF 文件较大（共 3 页），不在程序内预览；请用 PDF 阅读器打开。' }
  }

  function search(query: string): SearchHit[] {
    const q = query.trim()
    if (!q) return []
    const hits: SearchHit[] = []
    for (const a of assignments()) if (a.text.includes(q)) hits.push({ kind: 'indicator', kindLabel: '指标', id: a.indicatorId, title: `指标${a.no} ${a.text}`, detail: a.path.join(' / '), snippet: a.text })
    for (const u of units()) if (u.name.includes(q)) hits.push({ kind: 'unit', kindLabel: '单位', id: u.id, title: u.name, detail: u.kind, snippet: u.name })
    for (const i of items) if (i.title.includes(q)) hits.push({ kind: 'evidence', kindLabel: '佐证材料', id: i.id, title: i.title, detail: i.unitName, snippet: i.title })
    return hits.slice(0, 50)
  }

  return { list, detail, update, assign, review, remove, completeness, addPreview, verify, archivePlan, exportArchive, file, preview, search }
}
