// 单位: what the unit form and the delete confirmation need to know.
import type { UnitInfo } from '../gen/UnitInfo'

/** Unit kinds, generated from shifan_core::units::KINDS (the database accepts only these). */
export { UNIT_KINDS } from '../gen/vocabulary'

/** Aliases as saved: trimmed, without blanks, repeats or the unit's own name. */
export function cleanAliases(aliases: string[], name: string): string[] {
  const out: string[] = []
  for (const a of aliases.map((x) => x.trim())) {
    if (a && a !== name.trim() && !out.includes(a)) out.push(a)
  }
  return out
}

/**
 * What deleting `u` takes with it, as the core does it: its 简称/别名 and 明白人, and the
 * records of per-unit sheets sent to it and of what it reported back (ON DELETE CASCADE).
 * A unit still named in the 任务分解 is refused by the core; `blocked` says so beforehand.
 */
export function deleteConsequences(u: UnitInfo): { goes: string[]; blocked: string | null } {
  const goes: string[] = []
  const names = [u.shortName, ...u.aliases].filter((x) => x)
  if (names.length) goes.push(`简称和别名（${names.join('、')}）`)
  goes.push(u.rosterCount ? `明白人名单（${u.rosterCount} 人）` : '明白人名单（目前没有）')
  goes.push('导出给该单位的工作表记录和已收回的完成情况（如有）')
  const tasks = u.leadCount + u.supportCount
  const blocked = tasks
    ? `该单位仍承担 ${tasks} 项任务（牵头 ${u.leadCount} 项、参与 ${u.supportCount} 项），须先在任务分解中调整，否则不能删除。`
    : null
  return { goes, blocked }
}
