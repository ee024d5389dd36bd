import { Cacheable } from '@tauliah/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ProviderRow } from '../db/schema.ts';

export enum ProviderKind {
  ODL_UNIVERSITY = 'ODL_UNIVERSITY',
  PUBLIC_UNIVERSITY = 'PUBLIC_UNIVERSITY',
  PRIVATE_UNIVERSITY = 'PRIVATE_UNIVERSITY',
  TRAINING_PROVIDER = 'TRAINING_PROVIDER',
  INDUSTRY_ACADEMY = 'INDUSTRY_ACADEMY',
}
registerEnumType(ProviderKind, {
  name: 'ProviderKind',
  description: 'What kind of institution issues the micro-credentials.',
  valuesConfig: {
    ODL_UNIVERSITY: { description: 'An open and distance learning university.' },
    PUBLIC_UNIVERSITY: { description: 'A public higher education provider (HEP).' },
    PRIVATE_UNIVERSITY: { description: 'A private higher education provider (HEP).' },
    TRAINING_PROVIDER: { description: 'A training provider, usually registered with HRD Corp.' },
    INDUSTRY_ACADEMY: { description: "A company's or industry body's own academy." },
  },
});

@ObjectType({ description: 'An institution that publishes micro-credential courses and pathways and issues credentials.' })
@Directive('@key(fields: "id")')
@Cacheable()
export class Provider {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Short stable name used in URLs, e.g. "utn".' })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ProviderKind)
  kind!: ProviderKind;

  @Field(() => String, { description: 'Malaysian state or federal territory of the main campus.' })
  state!: string;

  @Field(() => String, { nullable: true })
  website!: string | null;

  @Field(() => String, { nullable: true, description: 'Registration with the Malaysian Qualifications Agency, if any.' })
  mqaRegistration!: string | null;

  @Field(() => String, { nullable: true, description: 'Registration as an HRD Corp training provider, if any.' })
  hrdCorpRegistration!: string | null;

  @Field(() => Boolean, {
    description: 'False while the provider is suspended: it issues no credentials, publishes no courses and grants no credit; what it issued before stays valid.',
  })
  inGoodStanding!: boolean;

  /** Exposed, to its own staff and administrators only, by the standing resolver. */
  suspendedAt!: Date | null;
  suspensionReason!: string | null;
}

export const toProvider = (row: ProviderRow): Provider => ({ ...row, kind: row.kind as ProviderKind });
