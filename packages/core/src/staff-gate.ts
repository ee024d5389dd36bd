import type { Logger } from 'pino';
import { actingEmployerId, actingProviderId, isRole } from './context.ts';
import { databaseFaultOf, SERVICE_UNAVAILABLE } from './database-faults.ts';
import { Forbidden, ServiceUnavailable, Unavailable } from './errors.ts';
import { readOnce } from './graph-reads.ts';
import type { Principal, Role, Viewer } from './identity.ts';
import type { InternalGraph } from './internal-graph.ts';
import { ACCOUNT_KINDS, type OrganisationKind, type StaffKind, type StaffRole } from './staff-table.ts';

/**
 * Staff accounts are the authority for who acts for an organisation: a
 * token's organisation claim (`providerId`, `employerId`, `funderId`) counts
 * only while its subject has a staff account there. The service owning the
 * organisation keeps the accounts (staff-table.ts, staff-accounts.ts); this is the check
 * every subgraph runs once per request, when it builds the request's context.
 */
/** A subject's staff account at one organisation, as far as access is concerned. */
export interface StaffStanding {
  role: StaffRole;
  kind: StaffKind;
}

/** People sign in with their organisation's role; partner systems as PARTNER, with a SYSTEM account. */
export const staffKindFor = (principal: Principal): StaffKind => (principal.role === 'PARTNER' ? 'SYSTEM' : 'PERSON');

/** The funder a principal acts for (one of its officers). */
export function actingFunderId(viewer: Viewer): string | undefined {
  return isRole(viewer, 'FUNDER') ? viewer.funderId : undefined;
}

/** An organisation kind whose staff accounts decide who acts for it, and the words its accounts are spoken of in. */
export interface Organisation {
  kind: OrganisationKind;
  /** Its GraphQL type, and the stem of its staff types and mutations: `add<Type>Staff`, `<Type>StaffRole`. */
  typeName: 'Provider' | 'Employer' | 'Funder';
  /** How messages name it: "employer 5389…". */
  noun: 'provider' | 'employer' | 'funder';
  /** "a provider's", "an employer's". */
  article: 'a' | 'an';
  /** The organisation a token acts for, from its claim (the role decides which claim counts). */
  actingFor: (viewer: Viewer) => string | undefined;
  /** The token role of the people acting for it. */
  personRole: Role;
  /** The token roles that act for it: its people's, and PARTNER where partner systems may. */
  actingRoles: readonly Role[];
  /** The account kinds it has: SYSTEM only where a partner system (a PARTNER token) may act for it. */
  kinds: readonly StaffKind[];
  /** The owning service's query answering the caller's own account (FORBIDDEN with the remedy for a non-member). */
  accountField: string;
  /** Its staff mutations: unique across the supergraph, so named after the organisation. */
  mutations: { add: string; changeRole: string; remove: string };
}

function organisation(kind: OrganisationKind, typeName: Organisation['typeName'], article: Organisation['article'], personRole: Role, actingFor: Organisation['actingFor']): Organisation {
  const kinds = ACCOUNT_KINDS[kind];
  return {
    kind,
    typeName,
    noun: typeName.toLowerCase() as Organisation['noun'],
    article,
    actingFor,
    personRole,
    actingRoles: kinds.includes('SYSTEM') ? [personRole, 'PARTNER'] : [personRole],
    kinds,
    accountField: `my${typeName}Account`,
    mutations: { add: `add${typeName}Staff`, changeRole: `change${typeName}StaffRole`, remove: `remove${typeName}Staff` },
  };
}

/** Every organisation kind; a PARTNER token acts for a provider or an employer, never for a funder. */
export const ORGANISATIONS: Readonly<Record<OrganisationKind, Organisation>> = {
  PROVIDER: organisation('PROVIDER', 'Provider', 'a', 'PROVIDER_STAFF', actingProviderId),
  EMPLOYER: organisation('EMPLOYER', 'Employer', 'an', 'EMPLOYER', actingEmployerId),
  FUNDER: organisation('FUNDER', 'Funder', 'a', 'FUNDER', actingFunderId),
};

/**
 * The owning service's own check, where the accounts are kept: why this
 * principal may not act for the organisation, in words a partner developer
 * can act on, or undefined when it may.
 */
export type OrganisationStaffCheck = (principal: Principal, organisationId: string) => Promise<string | undefined>;

/** The checks a service makes in its own tables, by the kind of organisation whose accounts it keeps; it asks the graph for the rest. */
export type StaffCheck = Readonly<Partial<Record<OrganisationKind, OrganisationStaffCheck>>>;

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
  /** The checks of the accounts this service keeps (its own tables); for every other organisation kind, ask the graph. */
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
   * kind). Tokens acting for no organisation pass untouched.
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

  async function askOwner(principal: Principal, organisationId: string, { noun, accountField }: Organisation, { graph, log }: { graph: InternalGraph; log: Logger }) {
    let standing: StaffStanding | null;
    try {
      standing = (await readOnce<Record<string, StaffStanding | null>>(graph, 'your staff account', `query StaffStanding { ${accountField} { role kind } }`))[accountField] ?? null;
    } catch (error) {
      // The owner refuses a non-member at its own context, with the reason and the remedy.
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (code === 'FORBIDDEN') throw new NotStaff((error as Error).message);
      // The owner could not read its accounts just now (its database restarting, say): its answer, retry later, passed on.
      if (code === SERVICE_UNAVAILABLE) throw new ServiceUnavailable((error as Error).message);
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
      throw new NotStaff(`The token's subject "${principal.subject}" is a ${standing.kind} staff account of ${noun} ${organisationId}, but a token with role ${principal.role} needs a ${needed} account.`);
    }
  }

  async function checkOwn(check: OrganisationStaffCheck, principal: Principal, organisationId: string, log: Logger) {
    let refusal: string | undefined;
    try {
      refusal = await check(principal, organisationId);
    } catch (error) {
      // Apollo would answer a plain error from the context as "Context creation failed: <detail>"; log the detail, answer a code.
      log.error({ err: error, organisationId }, 'staff account check failed');
      // The database restarting or timing out is answered as everywhere else: the service is unavailable, retry shortly.
      const fault = databaseFaultOf(error);
      if (fault) throw new ServiceUnavailable(fault.message, fault.retryAfterSeconds);
      throw new StaffCheckUnavailable(organisationId);
    }
    if (refusal) throw new NotStaff(refusal);
  }

  return {
    async admit(viewer, request) {
      if (viewer.kind !== 'principal') return;
      for (const organisation of Object.values(ORGANISATIONS)) {
        const organisationId = organisation.actingFor(viewer);
        if (!organisationId) continue;
        const own = options.check?.[organisation.kind];
        if (own) {
          await checkOwn(own, viewer, organisationId, request.log);
          continue;
        }
        const key = `${organisation.kind}\n${organisationId}\n${viewer.subject}\n${viewer.role}`;
        if (remembered(key)) continue;
        // Concurrent first requests with one token share a single question.
        let pending = asking.get(key);
        if (!pending) {
          pending = askOwner(viewer, organisationId, organisation, request).finally(() => asking.delete(key));
          asking.set(key, pending);
        }
        await pending;
        remember(key);
      }
    },
  };
}
