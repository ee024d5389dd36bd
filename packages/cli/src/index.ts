export * from './compose.ts';
export * from './config.ts';
export * from './graph.ts';
export * from './seed.ts';
export * from './services.ts';
export * from './token.ts';
export * from './national/index.ts';
