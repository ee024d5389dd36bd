/**
 * The demo data set: fictional but realistic, deterministic, shared by every
 * service's seed (each writes its own slice) and by the tests.
 */
export * from './catalogue.ts';
export * from './enrolments.ts';
export * from './ids.ts';
export * from './organisations.ts';
export * from './pathways.ts';
export * from './people.ts';
export * from './personas.ts';
export * from './staff.ts';
export * from './funding.ts';
