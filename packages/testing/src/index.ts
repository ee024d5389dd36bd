export * from './client.ts';
export * from './config.ts';
export * from './database.ts';
export * from './events.ts';
export * from './subgraph.ts';
export * from './throwaway-postgres.ts';
export * from './tokens.ts';
