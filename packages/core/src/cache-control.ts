import { Directive } from 'type-graphql';

/**
 * The `@cacheControl` hint a subgraph puts on the types and fields of what it
 * publishes to everyone (the catalogue, pathways, job roles, schemes). Each
 * subgraph's server works out from the hints how long its answer may be kept
 * (the least of the hints of every object it returned; a field returning
 * objects without a hint, or any error, makes the answer one never kept) and
 * says so in its Cache-Control header; the gateway keeps an answer only when
 * every subgraph that made it said so (gateway/src/response-cache).
 *
 * Only `maxAge` and `inheritMaxAge` are declared: `scope` is not, because the
 * gateway keeps each answer for the token that asked it (or for callers
 * without one), never for another viewer, whatever a hint says.
 */
export const CACHE_CONTROL_DIRECTIVE = 'directive @cacheControl(maxAge: Int, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION';

/**
 * How long an answer made of published data may be kept: a write through the
 * graph to the subgraph that owns it ends it at once (the gateway sees every
 * write), so this bounds only changes made otherwise (an event applied, a
 * scheme's dates passing).
 */
export const PUBLISHED_MAX_AGE_SECONDS = 60;

/** On a type or field of published data: an answer of it may be kept `maxAge` seconds. */
export const Cacheable = (maxAge: number = PUBLISHED_MAX_AGE_SECONDS) => Directive(`@cacheControl(maxAge: ${maxAge})`);

/** On a wrapper type (a connection, an edge, a page): kept as long as the field that returned it. */
export const InheritsCacheHint = () => Directive('@cacheControl(inheritMaxAge: true)');
