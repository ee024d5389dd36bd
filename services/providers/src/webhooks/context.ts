import type { ServiceContext } from '@tauliah/core';
import type { tables } from '../db/schema.ts';
import type { Loaders } from '../loaders.ts';
import type { WebhookLoaders } from './loaders.ts';

/** What the webhook resolvers see: the service's request context, with the webhooks capability's loaders beside its own (index.ts adds them). */
export type WebhookContext = ServiceContext<typeof tables, Loaders & { webhooks: WebhookLoaders }>;
