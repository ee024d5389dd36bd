// Webhooks to partner systems: Standard Webhooks signatures, the SSRF guard,
// one delivery attempt, the retry schedule and the delivery settings. The
// outbox, the broker and the deliveries record they run on belong to the
// service that delivers.
export * from './address-ranges.ts';
export * from './deliver.ts';
export * from './destination.ts';
export * from './schedule.ts';
export * from './settings.ts';
export * from './signing.ts';
