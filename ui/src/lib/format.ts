// Display formatting shared by views.

/** "2025-11-23T09:04:00+08:00" → "2025-11-23 09:04"; anything unparsable is shown as is. */
export function formatDateTime(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(s)
  if (m) return `${m[1]} ${m[2]}`
  return s
}

export function formatDate(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s)
  return m ? m[1] : s
}

/**
 * Full-width digits and Latin letters as ordinary ones, for display in narrow columns
 * ("２０２５年１０月底前" → "2025年10月底前"); Chinese punctuation is left as written.
 */
export function foldWidth(s: string): string {
  return s.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}
