// One formatter for the process: building one per call (as toLocaleString does) costs more than the formatting.
const GROUPED = new Intl.NumberFormat('en-MY');

/** An amount kept in sen, as people read it: "RM 1,234.50". Exact: whole ringgit and sen are formatted apart, never through a float. */
export function formatRinggit(sen: number): string {
  const sign = sen < 0 ? '-' : '';
  const whole = Math.abs(Math.trunc(sen));
  return `${sign}RM ${GROUPED.format(Math.trunc(whole / 100))}.${String(whole % 100).padStart(2, '0')}`;
}
