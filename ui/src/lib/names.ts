// How the choices for unit names an import did not match exactly are shown.
import type { ChosenName } from '../gen/ChosenName'
import type { RosterRule } from '../gen/RosterRule'

/** "对应到“区人民法院”（导入后保存为别名）", "新建为新单位", "不接受". */
export function choiceText(c: ChosenName): string {
  switch (c.action) {
    case 'map':
      return `对应到“${c.unitName}”（导入后保存为其别名）`
    case 'create':
      return '新建为新单位'
    default:
      return '不接受（需修改文件）'
  }
}


/** The rule in words, as RosterRule::text: "行政执法单位不少于3人、非行政执法单位不少于2人、乡镇街道不少于3人". */
export function ruleText(r: RosterRule): string {
  const parts = (
    [
      ['行政执法单位', r.enforcement],
      ['非行政执法单位', r.otherDept],
      ['乡镇街道', r.town],
      ['其他', r.other],
    ] as Array<[string, number]>
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}不少于${n}人`)
  return parts.length ? parts.join('、') : '不要求明白人人数'
}
