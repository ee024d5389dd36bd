import type { Logger } from 'pino';
import { actingEmployerId } from './context.ts';
import { Forbidden, Unavailable } from './errors.ts';
import { readOnce } from './graph-reads.ts';
import type { Principal, Viewer } from './identity.ts';
import type { InternalGraph } from './internal-graph.ts';

/**
 * Staff accounts are the authority for who acts for an organisation: a
 * token's organisation claim counts only while its subject has a staff
 * account there. The service owning the organisation keeps the accounts and
 * their wording; this is the mechanism every subgraph runs once per request,
 * when it builds the request's context.
 */
export const STAFF_ROLES = ['ADMIN', 'STAFF'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_KINDS = ['PERSON', 'SYSTEM'] as const;
export type StaffKind = (typeof STAFF_KINDS)[number];

/** A subject's staff account at one organisation, as far as access is concerned. */
export interface StaffStanding {
  role: StaffRole;
  kind: StaffKind;
}

/** People sign in with their organisation's role; partner systems as PARTNER, with a SYSTEM account. */
export const staffKindFor = (principal: Principal): StaffKind => (principal.role === 'PARTNER' ? 'SYSTEM' : 'PERSON');

/**
 * The owning service's own check, where the accounts are kept: why this
 * principal may not act for the organisation, in words a partner developer
 * can act on, or undefined when it may.
 */
export type StaffCheck = (principal: Principal, organisationId: string) => Promise<string | undefined>;

/**
 * Organisations whose staff accounts decide who acts for them: the token
 * claim that names one, and the field of the owning service that answers the
 * caller's own account (it refuses a non-member with FORBIDDEN and the
 * remedy, so other services pass that refusal on as it is).
 */
const ORGANISATIONS = [{ actingFor: actingEmployerId, accountField: 'myEmployerAccount' }] as const;

/**
 * A refusal of the whole request. Apollo Server answers an error thrown while
 * building the context with the HTTP status in its extensions, 500 when there
 * is none; a refusal is an ordinary GraphQL error, so it says 200. That also
 * lets the gateway pass the message on: it replaces a subgraph's 403 with a
 * generic one.
 */
export class NotStaff extends Forbidden {
  constructor(message: string) {
    super(message, 200);
  }
}

/** The staff accounts could not be read (their service is down, say): the request fails, and may be retried. */
export class StaffCheckUnavailable extends Unavailable {
  constructor(organisationId: string) {
    super(`Could not confirm that your token's subject is a staff account of ${organisationId}, the organisation it acts for: the service keeping its accounts did not answer. Try again shortly.`);
  }
}

export interface StaffGateOptions {
  /** Check the accounts directly (the owning service's own table); without it, ask the graph. */
  check?: StaffCheck;
  /** How long a confirmed account is trusted without asking again (default 30 s). */
  ttlMs?: number;
  /** The most confirmed accounts remembered at once (default 10,000); the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export interface StaffGate {
  /**
   * Lets the request through, or throws: FORBIDDEN for a token acting for an
   * organisation whose subject has no staff account there (of the right
   * kind). Tokens acting for no such organisation pass untouched.
   */
  admit(viewer: Viewer, request: { graph: InternalGraph; log: Logger }): Promise<void>;
}

/**
 * The check every subgraph makes when it builds a request's context. The
 * owning service checks its own table, one statement per request, so a
 * removed account is refused at once. Every other service asks the owner
 * through the graph with the caller's own token and remembers a confirmed
 * account for `ttlMs` (30 s): a removal takes effect there within that time.
 * Refusals are never remembered, so a newly added account works at once
 * everywhere.
 */
export function createStaffGate(options: StaffGateOptions = {}): StaffGate {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const confirmed = new Map<string, number>();
  const asking = new Map<string, Promise<void>>();

  const remembered = (key: string): boolean => {
    const until = confirmed.get(key);
    if (until !== undefined && until > now()) return true;
    if (until !== undefined) confirmed.delete(key);
    return false;
  };
  const remember = (key: string) => {
    confirmed.delete(key);
    // A Map iterates in insertion order: the first key is the oldest.
    while (confirmed.size >= maxEntries) confirmed.delete(confirmed.keys().next().value!);
    confirmed.set(key, now() + ttlMs);
  };

  async function askOwner(principal: Principal, organisationId: string, accountField: string, { graph, log }: { graph: InternalGraph; log: Logger }) {
    let standing: StaffStanding | null;
    try {
      standing = (await readOnce<Record<string, StaffStanding | null>>(graph, 'your staff account', `query StaffStanding { ${accountField} { role kind } }`))[accountField] ?? null;
    } catch (error) {
      // The owner refuses a non-member at its own context, with the reason and the remedy.
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (code === 'FORBIDDEN') throw new NotStaff((error as Error).message);
      log.error({ err: error, organisationId }, 'staff account check failed');
      throw new StaffCheckUnavailable(organisationId);
    }
    if (!standing) {
      log.error({ organisationId }, 'staff account check answered no account');
      throw new StaffCheckUnavailable(organisationId);
    }
    // The owner refuses the wrong kind itself; a remembered answer must not let a PARTNER's account serve a person's token.
    const needed = staffKindFor(principal);
    if (standing.kind !== needed) {
      throw new NotStaff(`The token's subject "${principal.subject}" is a ${standing.kind} staff account of ${organisationId}, but a token with role ${principal.role} needs a ${needed} account.`);
    }
  }

  return {
    async admit(viewer, request) {
      if (viewer.kind !== 'principal') return;
      for (const { actingFor, accountField } of ORGANISATIONS) {
        const organisationId = actingFor(viewer);
        if (!organisationId) continue;
        if (options.check) {
          let refusal: string | undefined;
          try {
            refusal = await options.check(viewer, organisationId);
          } catch (error) {
            // Apollo would answer a plain error from the context as "Context creation failed: <detail>"; log the detail, answer a code.
            request.log.error({ err: error, organisationId }, 'staff account check failed');
            throw new StaffCheckUnavailable(organisationId);
          }
          if (refusal) throw new NotStaff(refusal);
          continue;
        }
        const key = `${organisationId}\n${viewer.subject}\n${viewer.role}`;
        if (remembered(key)) continue;
        // Concurrent first requests with one token share a single question.
        let pending = asking.get(key);
        if (!pending) {
          pending = askOwner(viewer, organisationId, accountField, request).finally(() => asking.delete(key));
          asking.set(key, pending);
        }
        await pending;
        remember(key);
      }
    },
  };
}
