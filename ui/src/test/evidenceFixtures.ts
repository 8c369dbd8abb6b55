// 佐证材料 fixtures for component tests.
import type { ArchivePlan } from '../gen/ArchivePlan'
import type { ArchiveReport } from '../gen/ArchiveReport'
import type { CompletenessReport } from '../gen/CompletenessReport'
import type { EvidenceAddFile } from '../gen/EvidenceAddFile'
import type { EvidenceAddPreview } from '../gen/EvidenceAddPreview'
import type { EvidenceDetail } from '../gen/EvidenceDetail'
import type { EvidenceItem } from '../gen/EvidenceItem'
import type { EvidenceVerifyReport } from '../gen/EvidenceVerifyReport'

export function item(id: number, title: string, overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  return {
    id,
    title,
    fileName: `${title}.pdf`,
    ext: 'pdf',
    size: 245760,
    hash: `${String(id).padStart(8, '0')}${'ab'.repeat(28)}`,
    unitId: 1,
    unitName: '区司法局',
    formedOn: '2023-04-15',
    docNo: '',
    category: '',
    method: '',
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
    indicators: [{ indicatorId: 127, no: 27, confidence: 95, reason: '文件夹名“指标27”' }],
    inQueue: false,
    queueNote: '',
    sourceCount: 1,
    addedAt: '2023-05-10T09:30:00+08:00',
    answersId: null,
    answeredBy: null,
    ...overrides,
  }
}

export const ITEMS: EvidenceItem[] = [
  item(1, '重大行政决策事项目录', { docNo: '曾法办〔2023〕5号', sourceCount: 2 }),
  item(2, '合法性审核意见书', { status: '已通过', unitId: 2, unitName: '区公安分局', indicators: [{ indicatorId: 115, no: 15, confidence: 100, reason: '人工归类' }] }),
  item(3, '执法案卷评查报告', { status: '退回', returnReason: '缺少盖章页', indicators: [{ indicatorId: 137, no: 37, confidence: 90, reason: '文件名“37-”' }] }),
]

export const QUEUE: EvidenceItem[] = [
  item(11, '照片1', { indicators: [], inQueue: true, queueNote: '名称中没有指标序号', fileName: 'IMG_20230415.jpg', ext: 'jpg' }),
  item(12, '第3项工作总结', { indicators: [], inQueue: true, queueNote: '“第3项”可能是指标3或指标30' }),
]

export function detail(it: EvidenceItem = ITEMS[0], overrides: Partial<EvidenceDetail> = {}): EvidenceDetail {
  return {
    item: it,
    sources: [
      { unitId: 1, unitName: '区司法局', originalName: '目录.pdf', originalPath: '区司法局.zip/指标27/目录.pdf', addedAt: '2023-05-10T09:30:00+08:00', operator: '张三' },
      { unitId: 2, unitName: '区公安分局', originalName: '决策目录.pdf', originalPath: '公安分局材料/决策目录.pdf', addedAt: '2023-05-12T14:00:00+08:00', operator: '李四' },
    ],
    candidates: [],
    answersTitle: '',
    ...overrides,
  }
}

export function completeness(overrides: Partial<CompletenessReport> = {}): CompletenessReport {
  return {
    indicators: [
      {
        indicatorId: 103, no: 3, text: '建立权责清单动态调整机制', path: ['一、政府职能依法全面履行'], leads: [{ id: 1, name: '区司法局' }],
        required: [{ text: '权责清单调整文件', evidenceId: null, evidenceTitle: '', evidenceStatus: '' }],
        requiredCount: 1, present: 0, approved: 0, pending: 0, returned: 0, state: 'none',
      },
      {
        indicatorId: 130, no: 30, text: '规范性文件备案审查', path: ['二、依法行政制度体系完善'], leads: [{ id: 1, name: '区司法局' }],
        required: [], requiredCount: 0, present: 0, approved: 0, pending: 0, returned: 0, state: 'none',
      },
      {
        indicatorId: 127, no: 27, text: '重大行政决策事项目录向社会公布', path: ['三、重大行政决策科学民主合法'], leads: [{ id: 1, name: '区司法局' }],
        required: [
          { text: '决策事项目录', evidenceId: 1, evidenceTitle: '重大行政决策事项目录', evidenceStatus: '待审核' },
          { text: '公布截图', evidenceId: null, evidenceTitle: '', evidenceStatus: '' },
        ],
        requiredCount: 2, present: 2, approved: 0, pending: 2, returned: 0, state: 'partial',
      },
      {
        indicatorId: 115, no: 15, text: '行政规范性文件合法性审核', path: ['二、依法行政制度体系完善'], leads: [{ id: 2, name: '区公安分局' }],
        required: [], requiredCount: 0, present: 1, approved: 1, pending: 0, returned: 0, state: 'complete',
      },
      {
        indicatorId: 137, no: 37, text: '行政执法案卷评查', path: ['四、行政执法严格规范公正文明'], leads: [{ id: 1, name: '区司法局' }],
        required: [], requiredCount: 0, present: 1, approved: 0, pending: 0, returned: 1, state: 'partial',
      },
    ],
    units: [
      { unitId: 1, unitName: '区司法局', leads: 4, complete: 0, partial: 2, none: 2, items: 3, approved: 0, pending: 2, returned: 1 },
      { unitId: 2, unitName: '区公安分局', leads: 1, complete: 1, partial: 0, none: 0, items: 1, approved: 1, pending: 0, returned: 0 },
    ],
    aspects: [
      { aspect: '一、政府职能依法全面履行', indicators: 1, complete: 0, partial: 0, none: 1, items: 0 },
      { aspect: '二、依法行政制度体系完善', indicators: 2, complete: 1, partial: 0, none: 1, items: 1 },
    ],
    complete: 1,
    partial: 2,
    none: 2,
    items: 5,
    approved: 1,
    pending: 3,
    returned: 1,
    queue: 2,
    summary: '5 项指标：齐全 1 项，部分齐全 2 项，尚无材料 2 项。',
    ...overrides,
  }
}

export function addFile(location: string, overrides: Partial<EvidenceAddFile> = {}): EvidenceAddFile {
  const name = location.split('/').pop() ?? location
  return {
    location,
    name,
    size: 102400,
    unitId: 1,
    unitName: '区司法局',
    title: name.replace(/\.[^.]+$/, ''),
    docNo: '',
    formedOn: null,
    category: '',
    method: '材料查证',
    indicators: [{ indicatorId: 127, no: 27, confidence: 95, reason: '文件夹名“指标27”' }],
    candidates: [],
    verdict: 'sure',
    queueNote: '',
    state: 'new',
    sameAs: '',
    evidenceId: null,
    answersId: null,
    answersTitle: '',
    ...overrides,
  }
}

export function addPreview(overrides: Partial<EvidenceAddPreview> = {}): EvidenceAddPreview {
  return {
    source: '区司法局.zip',
    groups: [{ name: '区司法局.zip', files: 3, unitId: 1, unitName: '区司法局', unitFrom: 'exact', note: '' }],
    files: [
      addFile('区司法局.zip/指标27/目录.pdf'),
      addFile('区司法局.zip/指标27/目录 - 副本.pdf', { state: 'repeat', sameAs: '区司法局.zip/指标27/目录.pdf' }),
      addFile('区司法局.zip/照片1.jpg', { indicators: [], verdict: 'none', queueNote: '名称中没有指标序号' }),
    ],
    fileCount: 3,
    newCount: 2,
    knownCount: 0,
    repeatCount: 1,
    failedCount: 0,
    junkSkipped: 2,
    totalBytes: 307200,
    queueCount: 1,
    answers: [],
    issues: [],
    canApply: true,
    applied: false,
    sourcesAdded: 0,
    summary: '将新增 2 份材料，1 份进入待归类。',
    ...overrides,
  }
}

/** A drop whose only zip is refused: nothing can be added. */
export function refusedPreview(): EvidenceAddPreview {
  return addPreview({
    source: '坏包.zip',
    groups: [{ name: '坏包.zip', files: 0, unitId: null, unitName: '', unitFrom: 'none', note: '' }],
    files: [],
    fileCount: 0,
    newCount: 0,
    repeatCount: 0,
    queueCount: 0,
    junkSkipped: 0,
    totalBytes: 0,
    issues: [
      {
        severity: 'error',
        message: '压缩包“坏包.zip”中的条目“../../Windows/evil.dll”指向压缩包之外，已拒收。',
        file: '坏包.zip',
        sheet: '../../Windows/evil.dll',
        row: null,
        col: null,
      },
    ],
    canApply: false,
    summary: '没有可以添加的材料。',
  })
}

export const VERIFY: EvidenceVerifyReport = {
  checked: 3,
  intact: 2,
  bytes: 737280,
  problems: [
    {
      hash: `deadbeef${'00'.repeat(28)}`,
      size: 245760,
      problem: 'missing',
      foundHash: '',
      items: [],
      message: '“重大行政决策事项目录”的文件不见了（证据库中的文件已被删除或移走）。',
    },
  ],
  unreferenced: 0,
  ok: false,
  summary: '检查 3 个文件：1 个缺失。',
}

export const PLAN: ArchivePlan = {
  volumes: [
    { title: '（一）重大行政决策', indicatorIds: [127], context: '三、重大行政决策科学民主合法' },
    { title: '（二）规范性文件', indicatorIds: [115, 130], context: '二、依法行政制度体系完善' },
  ],
  generalVolume: true,
  includePending: false,
  mergePdf: true,
  level: 2,
}

export const ARCHIVE: ArchiveReport = {
  target: 'D:\\案卷',
  volumes: [
    { no: 1, title: '（一）重大行政决策', indicatorNos: [27], folder: '01-（一）重大行政决策', items: 1, pages: 4, merged: ['01-（一）重大行政决策/合订本.pdf'], skipped: [] },
  ],
  items: 1,
  files: 5,
  bytes: 245760,
  pages: 4,
  warnings: [],
  summary: '已导出 3 卷、1 份材料，共 4 页。',
}
