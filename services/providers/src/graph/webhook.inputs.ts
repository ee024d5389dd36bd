import { checkWebhookUrl, ForbiddenDestination, parseInput, rules, type DestinationPolicy, type OrganisationKind } from '@tauliah/core';
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import type { EndpointValues } from '../webhooks/endpoints.ts';
import { RECEIVED_BY } from '../webhooks/event-types.ts';
import { assertNoProblems, type Problem } from './problems.ts';
import { WebhookEventType } from './webhook.ts';

@InputType({ description: 'Where to send which events.' })
export class WebhookEndpointInput {
  @Field(() => String, {
    description: 'The receiver: https (plain http only outside production), no user name or password, and never a private, loopback or link-local address (checked again at every delivery).',
  })
  url!: string;

  @Field(() => [WebhookEventType], { description: 'The events to receive: at least one, each one your kind of organisation is sent.' })
  eventTypes!: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'What it is for, for your own records (at most 500 characters).' })
  description?: string | null;
}

@InputType({ description: 'What to change on an endpoint: the fields given.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  eventTypes?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true, description: 'An empty string removes it.' })
  description?: string | null;
}

const eventTypes = z
  .array(z.nativeEnum(WebhookEventType))
  .min(1, 'must name at least one event type')
  .transform((types) => [...new Set(types)]);
const description = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .transform((text) => (text === '' ? null : text));

const endpointSchema = z.object({ url: z.string().trim().min(1, 'must not be empty'), eventTypes, description: description.nullish() });
const changesSchema = z.object({ url: endpointSchema.shape.url.nullish(), eventTypes: eventTypes.nullish(), description: description.nullish() });

export const idempotencyKeySchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const disableReasonSchema = rules.nonEmpty(500);
export const webhookId = (what: string) => rules.uuid(what);

/** The URL as it will be called, or a problem saying why it may not be (the SSRF rules of core's checkWebhookUrl). */
function checkedUrl(url: string, policy: DestinationPolicy, problems: Problem[]): string {
  try {
    return checkWebhookUrl(url, policy).href;
  } catch (error) {
    if (!(error instanceof ForbiddenDestination)) throw error;
    problems.push({ field: 'input.url', message: error.message });
    return url;
  }
}

/** Event types this kind of organisation is never sent: subscribing to them would wait forever. */
function checkReceivable(types: readonly WebhookEventType[], kind: OrganisationKind, problems: Problem[]): void {
  const never = types.filter((type) => !RECEIVED_BY[kind].includes(type));
  if (never.length > 0) {
    problems.push({
      field: 'input.eventTypes',
      message: `names events ${kind.toLowerCase()}s are never sent (${never.join(', ')}); a ${kind.toLowerCase()} receives ${RECEIVED_BY[kind].join(', ')}`,
    });
  }
}

/** A new endpoint's input, validated: every problem in one BAD_USER_INPUT. */
export function validEndpoint(input: WebhookEndpointInput, policy: DestinationPolicy, kind: OrganisationKind): EndpointValues {
  const valid = parseInput(endpointSchema, input);
  const problems: Problem[] = [];
  const url = checkedUrl(valid.url, policy, problems);
  checkReceivable(valid.eventTypes, kind, problems);
  assertNoProblems(problems);
  return { url, eventTypes: valid.eventTypes, description: valid.description ?? null };
}

/** The changes asked for, validated like a new endpoint's. */
export function validChanges(input: UpdateWebhookEndpointInput, policy: DestinationPolicy, kind: OrganisationKind): Partial<EndpointValues> {
  const valid = parseInput(changesSchema, input);
  const problems: Problem[] = [];
  const changes: Partial<EndpointValues> = {};
  if (valid.url != null) changes.url = checkedUrl(valid.url, policy, problems);
  if (valid.eventTypes != null) {
    checkReceivable(valid.eventTypes, kind, problems);
    changes.eventTypes = valid.eventTypes;
  }
  if (valid.description !== undefined) changes.description = valid.description;
  assertNoProblems(problems);
  return changes;
}
