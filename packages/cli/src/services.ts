import type { ServiceDefinition, ServiceName } from '@tauliah/core';
import { credentialsService } from '@tauliah/credentials';
import { employersService } from '@tauliah/employers';
import { fundingService } from '@tauliah/funding';
import { learnersService } from '@tauliah/learners';
import { providersService } from '@tauliah/providers';

/** The five subgraphs, in the order they are migrated, seeded, started and stopped (learners, which publishes events, before credentials, which consumes them). */
export const services = [learnersService, providersService, employersService, fundingService, credentialsService] as unknown as Array<
  ServiceDefinition & { name: ServiceName }
>;
