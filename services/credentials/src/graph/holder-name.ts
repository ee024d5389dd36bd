import { Unavailable } from '@tauliah/core';
import type { Context } from '../context.ts';

/**
 * The holder's name as they publish it (making a credential PUBLIC, or a
 * share link), read through the graph as the holder themselves. Best effort:
 * when the learners service cannot be reached the credential is published
 * without a name (its page then says the name is not shown), rather than
 * the holder's choice failing on a courtesy.
 */
export async function holderNameToPublish({ loaders, log }: Context, holderId: string): Promise<string | null> {
  try {
    return (await loaders.learnerName.load(holderId))?.fullName ?? null;
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    log.warn({ err: error }, "published a credential without its holder's name: the learners service could not be reached");
    return null;
  }
}
