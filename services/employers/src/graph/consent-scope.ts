import { registerEnumType } from 'type-graphql';

/**
 * The learners service's `ConsentScope`, declared here with the same values
 * because employers reads `Learner.consentedScopes` through `@requires`
 * (the enum is merged by name across subgraphs).
 */
export enum ConsentScope {
  PROFILE = 'PROFILE',
  CONTACT = 'CONTACT',
  PERSONAL = 'PERSONAL',
  CREDENTIALS = 'CREDENTIALS',
  ELIGIBILITY = 'ELIGIBILITY',
}
registerEnumType(ConsentScope, { name: 'ConsentScope', description: 'What a consent covers.' });
