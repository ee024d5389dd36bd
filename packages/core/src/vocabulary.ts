import { registerEnumType } from 'type-graphql';

/**
 * Enums more than one subgraph speaks: the learners service owns their
 * meaning, others read them through `@requires`. Federation merges enums by
 * name, so they are declared once, here, and every subgraph shows the same.
 */
export enum ConsentScope {
  PROFILE = 'PROFILE',
  CONTACT = 'CONTACT',
  PERSONAL = 'PERSONAL',
  CREDENTIALS = 'CREDENTIALS',
  ELIGIBILITY = 'ELIGIBILITY',
}
registerEnumType(ConsentScope, {
  name: 'ConsentScope',
  description: 'What a consent covers.',
  valuesConfig: {
    PROFILE: { description: 'Name and state.' },
    CONTACT: { description: 'Email and phone.' },
    PERSONAL: { description: 'Date of birth and citizenship; never shown to employers.' },
    CREDENTIALS: { description: 'Credentials, including private ones.' },
    ELIGIBILITY: { description: "Funding eligibility checks that use the learner's data." },
  },
});

export enum Citizenship {
  MALAYSIAN = 'MALAYSIAN',
  PERMANENT_RESIDENT = 'PERMANENT_RESIDENT',
  NON_CITIZEN = 'NON_CITIZEN',
}
registerEnumType(Citizenship, { name: 'Citizenship' });
