import { BadInput, decodeCursor, Forbidden, isRole, NotFound, pageSize, parseInput, requirePrincipal, rules, toConnection, type Connection } from '@tauliah/core';
import { and, asc, eq } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { webhookEndpoint } from '../db/schema.ts';
import { actingOrganisation } from '../webhooks/access.ts';
import type { WebhookContext } from '../webhooks/context.ts';
import { createEndpoint, deleteEndpoint, disableEndpoint, enableEndpoint, rotateSecret, updateEndpoint } from '../webhooks/endpoints.ts';
import { webhookConfigOf } from '../webhooks/settings.ts';
import { OrganisationKind } from './application.ts';
import {
  CreatedWebhookEndpoint,
  RotatedWebhookSecret,
  toWebhookDelivery,
  toWebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookSigningSecret,
} from './webhook.ts';
import { disableReasonSchema, idempotencyKeySchema, UpdateWebhookEndpointInput, validChanges, validEndpoint, webhookId, WebhookEndpointInput } from './webhook.inputs.ts';

const endpointId = webhookId('webhook endpoint id');
const organisationId = rules.uuid('organisation id');
/** Deliveries are listed newest first, by the exact creation time (microseconds, UTC) and id. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** Who may act on webhooks, by role: the people and systems acting for an organisation. */
const MANAGERS = ['PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER'] as const;
const KEY_ARG = { nullable: true, description: 'A key of your choosing: a retry with it answers the first call, which was done once.' } as const;

/**
 * Partners' webhook endpoints. An organisation's ADMIN staff and its partner
 * system register and manage them (webhooks/access.ts); platform
 * administrators read them. Another organisation's endpoint is NOT_FOUND, so
 * not even its existence is told.
 */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Authorized()
  @Query(() => [WebhookEndpoint], {
    description:
      "Your organisation's webhook endpoints, oldest first: for its ADMIN staff and partner system. Platform administrators name the organisation (organisationKind and organisationId).",
  })
  async webhookEndpoints(
    @Arg('organisationKind', () => OrganisationKind, { nullable: true }) kind: OrganisationKind | null,
    @Arg('organisationId', () => ID, { nullable: true }) named: string | null,
    @Ctx() { viewer, db, loaders }: WebhookContext,
  ): Promise<WebhookEndpoint[]> {
    let owner: { kind: string; id: string };
    if (isRole(viewer, 'ADMIN')) {
      if (!kind || !named) throw new BadInput('A platform administrator names the organisation: organisationKind and organisationId.', { field: 'organisationId' });
      owner = { kind, id: parseInput(organisationId, named, 'organisationId') };
    } else {
      owner = await loaders.webhooks.managedOrganisation();
      const asked: string | null = kind;
      if ((asked && asked !== owner.kind) || (named && named !== owner.id)) {
        throw new Forbidden(`Your token acts for ${owner.kind.toLowerCase()} ${owner.id}: you read only its webhook endpoints.`);
      }
    }
    const rows = await db
      .select()
      .from(webhookEndpoint)
      .where(and(eq(webhookEndpoint.organisationKind, owner.kind), eq(webhookEndpoint.organisationId, owner.id)))
      .orderBy(asc(webhookEndpoint.createdAt), asc(webhookEndpoint.id));
    return rows.map(toWebhookEndpoint);
  }

  @Authorized()
  @Query(() => WebhookEndpoint, { description: "One webhook endpoint: for its organisation's ADMIN staff and partner system, and platform administrators; NOT_FOUND for anyone else." })
  async webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() context: WebhookContext): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await readableEndpoint(context, parseInput(endpointId, id, 'id'), id));
  }

  @FieldResolver(() => [WebhookSigningSecret], { description: 'The secrets signing its deliveries now, newest first: one, or two during a rotation.' })
  async signingSecrets(@Root() endpoint: WebhookEndpoint, @Ctx() { loaders }: WebhookContext): Promise<WebhookSigningSecret[]> {
    return loaders.webhooks.signingSecretsOf.load(endpoint.id);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Its deliveries, newest first, optionally of one status, paged (first: 1–100, default 20).' })
  async deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Ctx() { loaders }: WebhookContext,
  ): Promise<Connection<WebhookDelivery>> {
    const limit = pageSize(first);
    const cursor = deliveryCursor(after);
    const [rows, total] = await Promise.all([loaders.webhooks.deliveryPage({ limit, after: cursor, status }).load(endpoint.id), loaders.webhooks.deliveryCount(status).load(endpoint.id)]);
    return toConnection(rows, limit, total?.n ?? 0, (row) => [row.at, row.id], toWebhookDelivery);
  }

  @Authorized(MANAGERS)
  @Mutation(() => CreatedWebhookEndpoint, {
    description:
      "Registers a webhook endpoint for your organisation (its ADMIN staff or partner system) and answers its signing secret, this once. The URL is refused (BAD_USER_INPUT, saying why) unless https (plain http outside production) and public: no private, loopback (allowed outside production) or link-local address. Pass an idempotencyKey so a retry answers the same endpoint and secret.",
  })
  async createWebhookEndpoint(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Arg('idempotencyKey', () => String, KEY_ARG) rawKey: string | null,
    @Ctx() { viewer, db, loaders, config }: WebhookContext,
  ): Promise<CreatedWebhookEndpoint> {
    const settings = webhookConfigOf(config);
    const owner = await loaders.webhooks.managedOrganisation();
    const values = validEndpoint(input, settings.policy, owner.kind);
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    const created = await createEndpoint(db, owner, requirePrincipal(viewer), values, key, settings.secretKey);
    return { ...created, endpoint: toWebhookEndpoint(created.endpoint) };
  }

  @Authorized(MANAGERS)
  @Mutation(() => WebhookEndpoint, { description: 'Changes the URL, event types or description given; the URL is checked as when registering.' })
  async updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() { db, loaders, config }: WebhookContext,
  ): Promise<WebhookEndpoint> {
    const valid = parseInput(endpointId, id, 'id');
    const owner = await loaders.webhooks.managedOrganisation();
    return toWebhookEndpoint(await updateEndpoint(db, owner, valid, validChanges(input, webhookConfigOf(config).policy, owner.kind)));
  }

  @Authorized(MANAGERS)
  @Mutation(() => WebhookEndpoint, {
    description: 'Stops deliveries to the endpoint until it is enabled; what waits for it waits. Disabling a disabled endpoint changes nothing.',
  })
  async disableWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true, description: 'Why, for your records (at most 500 characters).' }) reason: string | null,
    @Ctx() { viewer, db, loaders }: WebhookContext,
  ): Promise<WebhookEndpoint> {
    const valid = parseInput(endpointId, id, 'id');
    const why = reason == null ? null : parseInput(disableReasonSchema, reason, 'reason');
    const owner = await loaders.webhooks.managedOrganisation();
    return toWebhookEndpoint(await disableEndpoint(db, owner, valid, requirePrincipal(viewer), why));
  }

  @Authorized(MANAGERS)
  @Mutation(() => WebhookEndpoint, {
    description:
      'Delivers to the endpoint again, disabled by you or after failing for days: its failure run starts afresh and what waited for it is sent now. Events from while it was disabled were not kept for it.',
  })
  async enableWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() { db, loaders }: WebhookContext): Promise<WebhookEndpoint> {
    const valid = parseInput(endpointId, id, 'id');
    return toWebhookEndpoint(await enableEndpoint(db, await loaders.webhooks.managedOrganisation(), valid));
  }

  @Authorized(MANAGERS)
  @Mutation(() => RotatedWebhookSecret, {
    description:
      'Gives the endpoint a new signing secret, answered this once. The previous one keeps signing beside it for 24 hours (each delivery carries both signatures), so the receiver switches without missing one. Pass an idempotencyKey so a retry answers the same secret rather than rotating again.',
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', () => String, KEY_ARG) rawKey: string | null,
    @Ctx() { db, loaders, config }: WebhookContext,
  ): Promise<RotatedWebhookSecret> {
    const valid = parseInput(endpointId, id, 'id');
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    const rotated = await rotateSecret(db, await loaders.webhooks.managedOrganisation(), valid, key, webhookConfigOf(config).secretKey);
    return { ...rotated, endpoint: toWebhookEndpoint(rotated.endpoint) };
  }

  @Authorized(MANAGERS)
  @Mutation(() => ID, { description: 'Deletes the endpoint with its secrets and its deliveries; answers its id. One already deleted is NOT_FOUND.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() { db, loaders }: WebhookContext): Promise<string> {
    const valid = parseInput(endpointId, id, 'id');
    return deleteEndpoint(db, await loaders.webhooks.managedOrganisation(), valid);
  }
}

/**
 * An endpoint the caller may read: any, for platform administrators; their
 * own organisation's, for its ADMIN staff and partner system. Another
 * organisation's is NOT_FOUND, before any question of role.
 */
export async function readableEndpoint({ viewer, loaders }: WebhookContext, id: string, asGiven: string) {
  const row = await loaders.webhooks.endpoint.load(id);
  if (isRole(viewer, 'ADMIN') && row) return row;
  const acting = actingOrganisation(viewer);
  if (!row || !acting || row.organisationKind !== acting.kind || row.organisationId !== acting.id) throw new NotFound('WebhookEndpoint', asGiven);
  await loaders.webhooks.managedOrganisation();
  return row;
}

function deliveryCursor(after: string | null): [string, string] | null {
  const key = decodeCursor(after, ['string', 'string']) as [string, string] | null;
  if (key && (!CURSOR_TIME.test(key[0]) || !rules.uuid().safeParse(key[1]).success)) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return key;
}
