import type { Logger } from 'pino';
import { actingEmployerId } from './context.ts';
import { Forbidden, Unavailable } from './errors.ts';
import type { Principal, Viewer } from './identity.ts';
import type { InternalGraph } from './internal-graph.ts';

/**
 * Employer staff accounts are the authority for who acts for an employer: a
 * token's `employerId` claim counts only while its subject has a staff
 * account at that employer. The employers service keeps the accounts; every
 * subgraph checks each request once, when it builds the request's context.
 */
export const STAFF_ROLES = ['ADMIN', 'STAFF'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_KINDS = ['PERSON', 'SYSTEM'] as const;
export type StaffKind = (typeof STAFF_KINDS)[number];

/** A subject's staff account at one employer, as far as access is concerned. */
export interface StaffStanding {
  role: StaffRole;
  kind: StaffKind;
}

/** Reads the staff account of a subject at an employer where the accounts are kept; null when there is none. */
export type StaffLookup = (employerId: string, subject: string) => Promise<StaffStanding | null>;

/** People sign in as EMPLOYER, partner systems as PARTNER; each needs an account of its kind. */
const KIND_OF_ROLE: Partial<Record<Principal['role'], StaffKind>> = { EMPLOYER: 'PERSON', PARTNER: 'SYSTEM' };

/**
 * A refusal of the whole request. Apollo Server answers an error thrown while
 * building the context with the HTTP status in its extensions, 500 when there
 * is none; a refusal is an ordinary GraphQL error, so it says 200. That also
 * lets the gateway pass the message on: it replaces a subgraph's 403 with a
 * generic one.
 */
export class NotEmployerStaff extends Forbidden {
  constructor(message: string) {
    super(message, 200);
  }
}

/** The staff accounts could not be read (the employers service is down, say): the request fails, and may be retried. */
export class StaffCheckUnavailable extends Unavailable {
  constructor(employerId: string) {
    super(`Could not confirm that your token's subject is a staff account of employer ${employerId}: the employers service did not answer. Try again shortly.`);
  }
}

/** Why a principal acting for an employer is refused, or undefined when its standing lets it act. */
export function staffRefusal(principal: Principal, employerId: string, standing: StaffStanding | null): string | undefined {
  const needed = KIND_OF_ROLE[principal.role] ?? 'PERSON';
  if (!standing) {
    return `The token's subject "${principal.subject}" is not a staff account of employer ${employerId}; an admin of that employer can add it with addEmployerStaff${needed === 'SYSTEM' ? ' (kind SYSTEM)' : ''}.`;
  }
  if (standing.kind !== needed) {
    return `The token's subject "${principal.subject}" is a ${standing.kind} staff account of employer ${employerId}, but a token with role ${principal.role} needs a ${needed} account; an admin of that employer can remove it and add it again with addEmployerStaff (kind ${needed}).`;
  }
  return undefined;
}

export interface StaffGateOptions {
  /** Read the accounts directly (the employers service's own table); without it, ask the graph. */
  lookup?: StaffLookup;
  /** How long a confirmed account is trusted without asking again (default 30 s). */
  ttlMs?: number;
  /** The most confirmed accounts remembered at once (default 10,000); the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export interface StaffGate {
  /**
   * Lets the request through, or throws: FORBIDDEN for a token acting for an
   * employer whose subject has no staff account there (of the right kind).
   * Tokens without an employer, and every other role, pass untouched.
   */
  admit(viewer: Viewer, request: { graph: InternalGraph; log: Logger }): Promise<void>;
}

const MY_ACCOUNT = 'query StaffStanding { myEmployerAccount { role kind } }';

/**
 * The check every subgraph makes when it builds a request's context. The
 * employers service reads its own table, one statement per request, so a
 * removed account is refused at once. Every other service asks the employers
 * subgraph through the graph with the caller's own token and remembers a
 * confirmed account for `ttlMs` (30 s): a removal takes effect there within
 * that time. Refusals are never remembered, so a newly added account works at
 * once everywhere.
 */
export function createStaffGate(options: StaffGateOptions = {}): StaffGate {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const confirmed = new Map<string, { standing: StaffStanding; until: number }>();
  const asking = new Map<string, Promise<StaffStanding>>();

  const remembered = (key: string): StaffStanding | undefined => {
    const entry = confirmed.get(key);
    if (entry && entry.until > now()) return entry.standing;
    if (entry) confirmed.delete(key);
    return undefined;
  };
  const remember = (key: string, standing: StaffStanding) => {
    confirmed.delete(key);
    // A Map iterates in insertion order: the first key is the oldest.
    while (confirmed.size >= maxEntries) confirmed.delete(confirmed.keys().next().value!);
    confirmed.set(key, { standing, until: now() + ttlMs });
  };

  async function askGraph(employerId: string, { graph, log }: { graph: InternalGraph; log: Logger }): Promise<StaffStanding> {
    let answer;
    try {
      answer = await graph.query<{ myEmployerAccount: StaffStanding | null }>(MY_ACCOUNT);
    } catch (error) {
      log.error({ err: error, employerId }, 'staff account check failed');
      throw new StaffCheckUnavailable(employerId);
    }
    // The employers service refuses a non-member at its own context, with the reason and the remedy.
    const refusal = answer.errors.find((e) => e.extensions?.code === 'FORBIDDEN');
    if (refusal) throw new NotEmployerStaff(refusal.message);
    const standing = answer.data?.myEmployerAccount;
    if (!standing || answer.errors.length > 0) {
      log.error({ errors: answer.errors, employerId }, 'staff account check failed');
      throw new StaffCheckUnavailable(employerId);
    }
    return standing;
  }

  return {
    async admit(viewer, request) {
      const employerId = actingEmployerId(viewer);
      if (!employerId || viewer.kind !== 'principal') return;
      let standing: StaffStanding | null;
      if (options.lookup) {
        try {
          standing = await options.lookup(employerId, viewer.subject);
        } catch (error) {
          // Apollo would answer a plain error from the context as "Context creation failed: <detail>"; log the detail, answer a code.
          request.log.error({ err: error, employerId }, 'staff account check failed');
          throw new StaffCheckUnavailable(employerId);
        }
      } else {
        const key = `${employerId}\n${viewer.subject}\n${viewer.role}`;
        standing = remembered(key) ?? null;
        if (!standing) {
          // Concurrent first requests with one token share a single question.
          let pending = asking.get(key);
          if (!pending) {
            pending = askGraph(employerId, request).finally(() => asking.delete(key));
            asking.set(key, pending);
          }
          standing = await pending;
          remember(key, standing);
        }
      }
      const refusal = staffRefusal(viewer, employerId, standing);
      if (refusal) throw new NotEmployerStaff(refusal);
    },
  };
}
