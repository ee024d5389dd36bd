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

/** Who besides the holder, the issuer and administrators may see a credential: the learner's choice (credentials keeps it, learners keeps the default). */
export enum CredentialVisibility {
  PRIVATE = 'PRIVATE',
  EMPLOYERS = 'EMPLOYERS',
  PUBLIC = 'PUBLIC',
}
registerEnumType(CredentialVisibility, {
  name: 'CredentialVisibility',
  description: "Who besides the holder, the issuer and administrators may see a credential: the learner's choice.",
  valuesConfig: {
    PRIVATE: { description: 'Nobody else.' },
    EMPLOYERS: { description: 'Employers and the partner systems acting for them.' },
    PUBLIC: { description: 'Anyone, without an account (for sharing a verification link).' },
  },
});
