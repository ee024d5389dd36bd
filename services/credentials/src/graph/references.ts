import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities owned by other subgraphs, declared by their key only so a credential can point at them.
// No descriptions here: the owner's description is the one the supergraph should show.

/** Owned by learners; this service adds `credentials` (learner.resolver.ts). */
@ObjectType()
@Directive('@key(fields: "id")')
export class Learner {
  @Field(() => ID)
  id!: string;
}

/** Owned by providers. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Course {
  @Field(() => ID)
  id!: string;
}

/** Owned by providers: the issuer of a credential. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Provider {
  @Field(() => ID)
  id!: string;
}

/** Owned by providers: the skills taxonomy. */
@ObjectType()
@Directive('@key(fields: "code")')
export class Skill {
  @Field(() => String)
  code!: string;
}
