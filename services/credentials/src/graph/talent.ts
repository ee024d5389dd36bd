import { ConnectionType } from '@tauliah/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Credential } from './credential.ts';
import { Learner, Skill } from './references.ts';

export enum TalentSkillMatch {
  ALL = 'ALL',
  ANY = 'ANY',
}
registerEnumType(TalentSkillMatch, {
  name: 'TalentSkillMatch',
  description: 'How many of the requested skills a candidate must prove.',
  valuesConfig: { ALL: { description: 'Every requested skill.' }, ANY: { description: 'At least one; more rank higher.' } },
});

@ObjectType({ description: 'A learner who proves some of the requested skills with active credentials they shared with employers.' })
export class TalentCandidate {
  @Field(() => Learner, { description: 'The learner; the learners service decides which profile fields you see.' })
  learner!: Learner;

  @Field(() => [Skill], { description: 'The requested skills this learner proves, by code: a retired skill asked for is named by the skill in use that replaced it.' })
  matchedSkills!: Skill[];

  @Field(() => [Credential], { description: 'The active, employer-visible credentials that prove them, latest first.' })
  credentials!: Credential[];

  @Field(() => Float, { description: 'Coverage of the requested skills, 0 to 1: the first ranking key (recency is the second).' })
  score!: number;

  @Field(() => Int, { description: 'How many of the requested skills this learner proves.' })
  matchedCount!: number;
}

export const TalentCandidateConnection = ConnectionType('TalentCandidate', TalentCandidate);
