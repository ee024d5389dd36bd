import type { z } from 'zod';
import { baseConfigSchema, DEFAULT_PORTS, portSchema } from '@tauliah/core';


/** `tauliah up`: the base settings plus a port for the gateway and each subgraph. */
export const embeddedConfigSchema = baseConfigSchema.extend(
  {
    GATEWAY_PORT: portSchema.default(DEFAULT_PORTS.gateway),
    LEARNERS_PORT: portSchema.default(DEFAULT_PORTS.learners),
    PROVIDERS_PORT: portSchema.default(DEFAULT_PORTS.providers),
    EMPLOYERS_PORT: portSchema.default(DEFAULT_PORTS.employers),
    FUNDING_PORT: portSchema.default(DEFAULT_PORTS.funding),
    CREDENTIALS_PORT: portSchema.default(DEFAULT_PORTS.credentials),
  },
);
export type EmbeddedConfig = z.infer<typeof embeddedConfigSchema>;
