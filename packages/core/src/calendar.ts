// Built once: constructing a DateTimeFormat costs far more than formatting with one (10,000 learners per request).
const MALAYSIAN_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kuala_Lumpur', year: 'numeric', month: '2-digit', day: '2-digit' });

const DAY_MS = 86_400_000;
/** The day last read and the instants it spans: Malaysia keeps UTC+8 all year, so a day is 24 hours. */
let current: { today: string; from: number; until: number } | undefined;

/**
 * Today's date in Malaysia (UTC+8), YYYY-MM-DD, or the date at `now`. Dates
 * of the domain are Malaysian calendar days: a scheme's window, a learner's
 * age, a levy month, the first and last day of employment. In UTC it is
 * still yesterday until 08:00. Today is formatted again only once the clock
 * leaves the day last read: a funder's batch asks it for 10,000 learners.
 */
export function todayInMalaysia(now?: Date): string {
  if (now) return MALAYSIAN_DATE.format(now);
  const instant = Date.now();
  if (!current || instant < current.from || instant >= current.until) {
    const today = MALAYSIAN_DATE.format(new Date(instant));
    const from = Date.parse(`${today}T00:00:00+08:00`);
    current = { today, from, until: from + DAY_MS };
  }
  return current.today;
}
