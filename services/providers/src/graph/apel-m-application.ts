import { ConnectionType } from '@tauliah/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ApelMApplicationEventRow, ApelMApplicationRow, ApelMEvidenceEntry } from '../db/schema.ts';

export enum ApelMApplicationStatus {
  PENDING = 'PENDING',
  ADMITTED = 'ADMITTED',
  REFUSED = 'REFUSED',
}
registerEnumType(ApelMApplicationStatus, {
  name: 'ApelMApplicationStatus',
  description: 'Where an APEL.M application stands. A decision is final.',
  valuesConfig: {
    PENDING: { description: "Submitted; the pathway's provider has not decided." },
    ADMITTED: { description: 'Admitted to the target programme, with creditsTransferred.' },
    REFUSED: { description: 'Refused, with a reason. The learner may apply again, with a new application.' },
  },
});

export enum ApelMDecision {
  ADMIT = 'ADMIT',
  REFUSE = 'REFUSE',
}
registerEnumType(ApelMDecision, { name: 'ApelMDecision', description: "The pathway provider's decision on an APEL.M application." });

export enum ApelMApplicationAction {
  SUBMITTED = 'SUBMITTED',
  ADMITTED = 'ADMITTED',
  REFUSED = 'REFUSED',
}
registerEnumType(ApelMApplicationAction, { name: 'ApelMApplicationAction', description: 'A change in an APEL.M application’s state.' });

export enum ApelMActorRole {
  LEARNER = 'LEARNER',
  PROVIDER_STAFF = 'PROVIDER_STAFF',
  PARTNER = 'PARTNER',
}
registerEnumType(ApelMActorRole, {
  name: 'ApelMActorRole',
  description: 'Who changed an APEL.M application: the learner, or the provider through its staff or its partner system.',
});

/** A learner, owned by the learners service, declared by its key (no description: the owner's is the supergraph's); providers adds their APEL.M applications. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Learner {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "One course's credits counted in an APEL.M application, as the learner's progress counted them when they applied." })
export class ApelMEvidence {
  @Field(() => ID, { description: 'The learner’s credential that earned them.' })
  credentialId!: string;

  /** The pathway's course; resolved (or hidden) by the field resolver. */
  courseId!: string;

  @Field(() => Int)
  credits!: number;

  /** The other provider's course recognised as `courseId`, if that is how it was earned. */
  recognisedCourseId!: string | null;
}

@ObjectType({ description: 'One change in an APEL.M application’s state: what, by whom, when.' })
export class ApelMApplicationEvent {
  @Field(() => ApelMApplicationAction)
  action!: ApelMApplicationAction;

  @Field(() => String, { description: 'The `sub` of the token that made it: the learner’s id, or the provider’s staff account or partner system.' })
  by!: string;

  @Field(() => ApelMActorRole)
  byRole!: ApelMActorRole;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({
  description:
    "A learner's application for APEL.M entry to a pathway's target programme, with the evidence as it stood when they applied, and the pathway provider's decision. For the learner, the pathway provider's staff and partner systems, and platform administrators.",
})
export class ApelMApplication {
  @Field(() => ID)
  id!: string;

  /** Resolved to the pathway and the learner by the field resolvers. */
  pathwayId!: string;
  learnerId!: string;

  @Field(() => ApelMApplicationStatus)
  status!: ApelMApplicationStatus;

  @Field(() => String, { description: 'The programme applied for, as the pathway named it when the learner applied.' })
  targetProgramme!: string;

  @Field(() => Int, { description: "The programme's total credits when the learner applied." })
  programmeCredits!: number;

  @Field(() => Int, { description: "The pathway's APEL.M threshold when the learner applied, in percent of programmeCredits (at least MQA's 50)." })
  thresholdPercent!: number;

  @Field(() => Int, { description: 'The credits APEL.M needed: thresholdPercent of programmeCredits, rounded up.' })
  creditsNeeded!: number;

  @Field(() => Int, { description: "The credits the learner's micro-credentials earned on the pathway when they applied (at least creditsNeeded)." })
  creditsEarned!: number;

  @Field(() => [ApelMEvidence], { description: 'The credits counted, course by course, and the credential that earned each.' })
  evidence!: ApelMEvidence[];

  @Field(() => Int, { nullable: true, description: 'ADMITTED: the programme credits the learner is credited with, from creditsNeeded to creditsEarned (and at most programmeCredits).' })
  creditsTransferred!: number | null;

  @Field(() => String, { nullable: true, description: "The provider's reason: always given on refusal." })
  reason!: string | null;

  @Field(() => Date)
  submittedAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;
}

export const ApelMApplicationConnection = ConnectionType('ApelMApplication', ApelMApplication);

export function toApelMApplication(row: ApelMApplicationRow): ApelMApplication {
  return {
    id: row.id,
    pathwayId: row.pathwayId,
    learnerId: row.learnerId,
    status: row.status as ApelMApplicationStatus,
    targetProgramme: row.targetProgramme,
    programmeCredits: row.programmeCredits,
    thresholdPercent: row.thresholdPercent,
    creditsNeeded: row.creditsNeeded,
    creditsEarned: row.creditsEarned,
    evidence: row.evidence.map((entry: ApelMEvidenceEntry) => ({ ...entry })),
    creditsTransferred: row.creditsTransferred,
    reason: row.reason,
    submittedAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

export function toApelMApplicationEvent(row: ApelMApplicationEventRow): ApelMApplicationEvent {
  return { action: row.action as ApelMApplicationAction, by: row.actorSubject, byRole: row.actorRole as ApelMActorRole, at: row.at };
}
