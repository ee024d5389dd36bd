import { Citizenship, CredentialVisibility } from '@tauliah/core';
import { Directive, Field, ID, ObjectType, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Context } from '../context.ts';
import type { LearnerRow } from '../db/schema.ts';
import { assertScope, type LearnerScope } from '../policy.ts';

/** The scopes the request's viewer holds for one learner, from its grants and enrolment, worked out for all learners of the request at once (consent/access.ts). */
export function viewerScopes({ loaders }: Pick<Context, 'loaders'>, learnerId: string): ReadonlySet<LearnerScope> | Promise<ReadonlySet<LearnerScope>> {
  return loaders.viewerAccess.read(learnerId, (access) => access.scopes);
}

export { Citizenship, CredentialVisibility };

/** Guards a Learner field: the viewer needs `scope` for this learner (see policy.ts). */
export function Visible(scope: LearnerScope) {
  const guard: MiddlewareFn<Context> = async ({ root, context, info }, next) => {
    const learner = root as LearnerRow;
    assertScope(await viewerScopes(context, learner.id), scope, info.fieldName);
    return next() as Promise<unknown>;
  };
  return UseMiddleware(guard);
}

@ObjectType({ description: 'A person who earns credentials. Each field is shown only to viewers the learner allowed.' })
@Directive('@key(fields: "id")')
export class Learner {
  // Read as it is: the one field every batch asks of every learner (up to 10,000 a query) needs no resolver of its own.
  @Field(() => ID, { simple: true })
  id!: string;

  @Field(() => String, { nullable: true })
  @Visible('PROFILE')
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'Malaysian state or federal territory of residence.' })
  @Visible('PROFILE')
  state!: string | null;

  @Field(() => String, { nullable: true })
  @Visible('CONTACT')
  email!: string;

  @Field(() => String, { nullable: true })
  @Visible('CONTACT')
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD). Never shown to employers.' })
  @Visible('PERSONAL')
  dateOfBirth!: string;

  @Field(() => Citizenship, { nullable: true })
  @Visible('PERSONAL')
  citizenship!: Citizenship;

  @Field(() => String, {
    nullable: true,
    description: "A non-citizen's nationality: the ISO 3166-1 alpha-3 code of the state that issued their passport (null for citizens and permanent residents). Never shown to employers.",
  })
  @Visible('PERSONAL')
  nationality!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether employers may find this learner by their state of residence in talent search (talentSearch(state:)). Off until the learner turns it on (updateMyProfile). While on, any employer searching talent can learn which state the learner lives in, even without their PROFILE consent; while off, the learner is still found by their skills but never under a state filter, not even their own state. Only the learner and administrators see it.',
  })
  @Visible('IDENTITY')
  shareStateInTalentSearch!: boolean;

  @Field(() => CredentialVisibility, {
    nullable: true,
    description:
      'Who may see credentials issued to this learner from now on: PRIVATE until the learner chooses otherwise (updateMyProfile). Issuers never choose it; each credential keeps the visibility it was issued with until its holder changes it. Only the learner and administrators see it.',
  })
  @Visible('IDENTITY')
  credentialVisibility!: CredentialVisibility;

  @Field(() => Date, { nullable: true })
  @Visible('PROFILE')
  createdAt!: Date;
}

/** Rows become Learner objects; the NRIC's hash and sealed digits never leave the service (nricMasked is resolved from them). */
export function toLearner(row: LearnerRow): Learner & LearnerRow {
  // The row as it is, not a copy per learner (10,000 of them for a funder's batch): the database's check constraints keep
  // citizenship and credential_visibility to the enums' values, so only their types change.
  return row as LearnerRow & { citizenship: Citizenship; credentialVisibility: CredentialVisibility };
}
