// Built once: constructing a DateTimeFormat costs far more than formatting with one (10,000 learners per request).
const MALAYSIAN_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kuala_Lumpur', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today's date in Malaysia (UTC+8), YYYY-MM-DD. Dates of the domain are
 * Malaysian calendar days: a scheme's window, a learner's age, a levy month,
 * the first and last day of employment. In UTC it is still yesterday until 08:00.
 */
export const todayInMalaysia = (now = new Date()): string => MALAYSIAN_DATE.format(now);
