import { Forbidden } from '@tauliah/core';
import { GraphQLJSON } from 'graphql-scalars';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { isHolder } from '../policy.ts';
import { exportLearnerRecord } from '../record/learner-record.ts';
import { Learner } from './references.ts';

@Resolver(() => Learner)
export class LearnerRecordResolver {
  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description:
      "Everything the learner holds, as one 1EdTech CLR 2.0 `ClrCredential` (JSON-LD) signed by the platform (Data Integrity, eddsa-rdfc-2022): " +
      'each credential that is ACTIVE now (not suspended, revoked, expired or replaced by a renewal) as its issuer signed it, their achievements, ' +
      'and `isPartOf` associations from micro-credentials to the stacked awards they earned. Verify it with verifyCredentialDocument. ' +
      'A new record on every request, never stored. Only the learner themselves may ask (FORBIDDEN for anyone else); null when they hold no such credential.',
  })
  async learnerRecord(@Root() learner: Learner, @Ctx() context: Context): Promise<object | null> {
    // Not administrators either: a record is signed for its learner, and holds every credential whatever its visibility.
    if (!isHolder(context.viewer, { holderId: learner.id })) {
      throw new Forbidden("Only the learner themselves may export their learner record: it holds every credential they hold, whatever its visibility.");
    }
    return exportLearnerRecord(context, learner.id);
  }
}
