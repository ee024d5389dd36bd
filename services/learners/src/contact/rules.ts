/** A learner who declined an employer's request is not asked again by that employer for this long (issue 14). */
export const DECLINE_BLOCK_DAYS = 90;

/** How long a learner has to answer a request: a request about a job role months old is no longer about a vacancy. */
export const ANSWER_DAYS = 30;

/** How long the consent an accepted request grants lasts unless the learner chooses (at most MAX_CONSENT_DAYS, as grantConsent). */
export const DEFAULT_CONSENT_DAYS = 90;

/** The window of the per-employer rate limit (CONTACT_REQUESTS_PER_EMPLOYER_PER_DAY), rolling. */
export const RATE_WINDOW_HOURS = 24;

export const MAX_MESSAGE_CHARACTERS = 1_000;
