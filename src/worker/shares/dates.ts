/** Dates in share titles: the day in UTC (the server has no viewer's time zone), e.g. "2026-12-06 07:15 UTC". */
export function fmtShareDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
