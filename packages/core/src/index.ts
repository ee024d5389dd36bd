import 'reflect-metadata';

export * from './config.ts';
export * from './context.ts';
export * from './database.ts';

export * from './errors.ts';
export * from './events/index.ts';
export * from './federation.ts';
export * from './gateway-trust.ts';
export * from './http-server.ts';
export * from './identity.ts';
export * from './internal-graph.ts';
export * from './graph-reads.ts';
export * from './loaders.ts';
export * from './logger.ts';
export * from './migrate.ts';
export * from './pagination.ts';
export * from './request-log.ts';
export * from './service.ts';
export * from './staff-gate.ts';
export * from './main.ts';
export * from './validation.ts';
export * from './vocabulary.ts';
