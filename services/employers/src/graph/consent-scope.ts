/** The learners service's consent vocabulary; employers reads `Learner.consentedScopes` through `@requires`. */
export { ConsentScope } from '@tauliah/core';
