import type { z } from 'zod';
import { baseConfigSchema, DEFAULT_PORTS, portSchema, subgraphSettings } from '@tauliah/core';
import { credentialsSettings } from '@tauliah/credentials';
import { explorerSettings, responseCacheSettingsSchema, subgraphFaultSettingsSchema } from '@tauliah/gateway';
import { learnersSettings } from '@tauliah/learners';
import { providersSettings } from '@tauliah/providers';

/**
 * Core's settings and every service's own: what a process that migrates,
 * seeds or serves all five services at once reads (`tauliah up`, `tauliah seed`).
 */
export const servicesConfigSchema = baseConfigSchema.merge(subgraphSettings).merge(learnersSettings).merge(credentialsSettings).merge(providersSettings);
export type ServicesConfig = z.infer<typeof servicesConfigSchema>;

/** The whole graph in one process (`tauliah up`, tests): every service's settings, the gateway's subgraph timeouts and breaker, and its response cache. */
export const graphConfigSchema = servicesConfigSchema.merge(subgraphFaultSettingsSchema).merge(responseCacheSettingsSchema);

/** `tauliah up`: the whole graph's settings, the explorer's (EXPLORER_ENABLED), and a port for the gateway and each subgraph. */
export const embeddedConfigSchema = graphConfigSchema.merge(explorerSettings).extend({
  GATEWAY_PORT: portSchema.default(DEFAULT_PORTS.gateway),
  LEARNERS_PORT: portSchema.default(DEFAULT_PORTS.learners),
  PROVIDERS_PORT: portSchema.default(DEFAULT_PORTS.providers),
  EMPLOYERS_PORT: portSchema.default(DEFAULT_PORTS.employers),
  FUNDING_PORT: portSchema.default(DEFAULT_PORTS.funding),
  CREDENTIALS_PORT: portSchema.default(DEFAULT_PORTS.credentials),
});
export type EmbeddedConfig = z.infer<typeof embeddedConfigSchema>;
