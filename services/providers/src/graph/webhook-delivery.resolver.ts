import { parseInput } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { WebhookContext } from '../webhooks/context.ts';
import { redeliver, replaySince } from '../webhooks/endpoints.ts';
import { toWebhookDelivery, toWebhookDeliveryAttempt, toWebhookEndpoint, WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint, WebhookReplay } from './webhook.ts';
import { webhookId } from './webhook.inputs.ts';
import { readableEndpoint } from './webhook.resolver.ts';

const deliveryId = webhookId('webhook delivery id');
const endpointId = webhookId('webhook endpoint id');

/**
 * The record of deliveries, and sending again: one delivery
 * (redeliverWebhookEvent) or everything an endpoint was sent since a time
 * (replayWebhookEvents), with the events' own webhook-ids, so a receiver
 * that dedupes applies each once. For the organisation's ADMIN staff and
 * partner system.
 */
@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => [WebhookDeliveryAttempt], { description: 'Every attempt, first to last: when, the answer, how long it took, why it failed.' })
  async history(@Root() delivery: WebhookDelivery, @Ctx() { loaders }: WebhookContext): Promise<WebhookDeliveryAttempt[]> {
    return (await loaders.webhooks.attemptsOf.load(delivery.id)).map(toWebhookDeliveryAttempt);
  }

  @FieldResolver(() => WebhookEndpoint)
  async endpoint(@Root() delivery: WebhookDelivery, @Ctx() context: WebhookContext): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await readableEndpoint(context, delivery.endpointId, delivery.endpointId));
  }

  @Authorized(['PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER'])
  @Mutation(() => WebhookDelivery, {
    description:
      'Sends one delivery again, delivered, failed or waiting, with a whole retry schedule ahead; to a disabled endpoint once it is enabled. One with an attempt under way is answered as it stands.',
  })
  async redeliverWebhookEvent(@Arg('deliveryId', () => ID) id: string, @Ctx() { db, loaders }: WebhookContext): Promise<WebhookDelivery> {
    const valid = parseInput(deliveryId, id, 'deliveryId');
    return toWebhookDelivery(await redeliver(db, await loaders.webhooks.managedOrganisation(), valid));
  }

  @Authorized(['PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER'])
  @Mutation(() => WebhookReplay, {
    description: 'Sends again every event the endpoint was sent since a time (delivered or not), each with its own webhook-id; answers how many were queued.',
  })
  async replayWebhookEvents(
    @Arg('endpointId', () => ID) id: string,
    @Arg('since', () => Date, { description: 'Deliveries queued at or after this time.' }) since: Date,
    @Ctx() { db, loaders }: WebhookContext,
  ): Promise<WebhookReplay> {
    const valid = parseInput(endpointId, id, 'endpointId');
    const replay = await replaySince(db, await loaders.webhooks.managedOrganisation(), valid, since);
    return { ...replay, endpoint: toWebhookEndpoint(replay.endpoint) };
  }
}
