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
