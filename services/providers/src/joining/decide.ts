import { Conflict, NotFound, organisationApprovedEvent, recordEvent, requirePrincipal, type EventData, type Principal, type Transaction } from '@tauliah/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createHash, randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import { organisationApplication, outbox, provider, type OrganisationApplicationRow, type tables } from '../db/schema.ts';
import { OrganisationApplicationDecision } from '../graph/application.ts';
import { registeredOrganisation } from '../graph-reads.ts';
import { providerStaffAccounts } from '../staff/accounts.ts';
import { approvedTwin, registeredProvider } from './apply.ts';

type Tx = Transaction<typeof tables>;
type Approved = EventData<typeof organisationApprovedEvent>;

const statusOf = (decision: OrganisationApplicationDecision) => (decision === OrganisationApplicationDecision.APPROVE ? 'APPROVED' : 'REJECTED');

/**
 * A platform administrator approves or rejects a pending application, with a
 * reason. The decision is final: the same decision again answers the
 * application as decided, a different one is a CONFLICT. The application
 * leaves PENDING by a conditional update, so of two racing decisions one
 * wins and the other finds it decided.
 *
 * Approving a PROVIDER creates the provider, in good standing, and its first
 * ADMIN staff account in the same transaction. Approving an EMPLOYER or a
 * FUNDER gives it an id and records organisation.approved in the same
 * transaction; its owning service creates it. Either way an organisation
 * already on the platform is not made twice: CONFLICT naming it, and the
 * application stays PENDING for the administrator to reject.
 */
export async function decideApplication(context: Context, id: string, decision: OrganisationApplicationDecision, reason: string): Promise<OrganisationApplicationRow> {
  const { db, graph, viewer } = context;
  const admin = requirePrincipal(viewer);
  const existing = await applicationById(db, id);
  if (!existing) throw new NotFound('OrganisationApplication', id);
  if (existing.status !== 'PENDING') return alreadyDecided(existing, decision);
  const approving = decision === OrganisationApplicationDecision.APPROVE;
  // Asked before the transaction opens: a graph read must not hold it open.
  if (approving && (existing.kind === 'EMPLOYER' || existing.kind === 'FUNDER')) {
    const registered = await registeredOrganisation(graph, existing.kind, existing.registrationNumber!);
    if (registered) throw alreadyJoined(existing, registered.id, `${registered.name}, registered in the ${existing.kind === 'EMPLOYER' ? 'employers' : 'funding'} service`);
  }
  return db.transaction(async (tx) => {
    const [decided] = await tx
      .update(organisationApplication)
      .set({ status: statusOf(decision), reason, decidedBy: admin.subject, decidedAt: sql`now()`, organisationId: approving ? randomUUID() : null })
      .where(and(eq(organisationApplication.id, existing.id), eq(organisationApplication.status, 'PENDING')))
      .returning();
    if (!decided) return alreadyDecided((await applicationById(tx, existing.id))!, decision);
    if (approving) await admit(tx, decided, admin);
    return decided;
  });
}

/** The organisation an approval makes: a provider here, or the event its owning service makes it from. */
async function admit(tx: Tx, application: OrganisationApplicationRow, admin: Principal): Promise<void> {
  if (application.kind === 'PROVIDER') return createProvider(tx, application, admin);
  const twin = await approvedTwin(tx, application, application.id);
  if (twin) throw alreadyJoined(application, twin.organisationId, 'approved from an earlier application');
  await recordEvent(tx, outbox, organisationApprovedEvent, {
    applicationId: application.id,
    kind: application.kind as Approved['kind'],
    organisationId: application.organisationId!,
    name: application.name,
    registrationNumber: application.registrationNumber!,
    state: application.state as Approved['state'],
    employer:
      application.kind === 'EMPLOYER'
        ? {
            sector: application.sector!,
            size: application.size as NonNullable<Approved['employer']>['size'],
            employeeCount: application.employeeCount!,
            hrdCorpEmployerNumber: application.hrdCorpEmployerNumber,
          }
        : null,
    administrator: { subject: application.administratorSubject, name: application.administratorName, email: application.administratorEmail },
  });
}

/**
 * The provider, in good standing, and its first ADMIN staff account, added
 * by the deciding administrator through the staff store (a savepoint of this
 * transaction). The unique indexes on MQA and HRD Corp numbers guard a
 * provider registered meanwhile.
 */
async function createProvider(tx: Tx, application: OrganisationApplicationRow, admin: Principal): Promise<void> {
  const registered = await registeredProvider(tx, application);
  if (registered) throw alreadyJoined(application, registered.id, registered.name);
  await tx.insert(provider).values({
    id: application.organisationId!,
    slug: await freeSlug(tx, application.name),
    name: application.name,
    kind: application.providerKind!,
    state: application.state,
    website: application.website,
    mqaRegistration: application.mqaRegistration,
    hrdCorpRegistration: application.hrdCorpTrainingProviderNumber,
    inGoodStanding: true,
  });
  await providerStaffAccounts.add({ viewer: admin, db: tx }, application.organisationId, {
    subject: application.administratorSubject,
    name: application.administratorName,
    email: application.administratorEmail,
    kind: 'PERSON',
    role: 'ADMIN',
  });
}

/** How many numbered slugs (name-2 … name-50) are tried before a random suffix. */
const NUMBERED_SLUGS = 50;

/**
 * A slug from the provider's name ("Akademi Digital Sabah" → "akademi-digital-sabah"),
 * with the first free number appended when it is taken. Approvals of
 * providers with the same name take the same lock, so they pick in turn.
 */
async function freeSlug(tx: Tx, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'provider';
  const lock = createHash('sha256').update(`providers.slug\0${base}`).digest().readBigInt64BE(0).toString();
  await tx.execute(sql`select pg_advisory_xact_lock(${lock}::bigint)`);
  const candidates = [base, ...Array.from({ length: NUMBERED_SLUGS - 1 }, (_, i) => `${base}-${i + 2}`)];
  const taken = new Set((await tx.select({ slug: provider.slug }).from(provider).where(inArray(provider.slug, candidates))).map((row) => row.slug));
  return candidates.find((slug) => !taken.has(slug)) ?? `${base}-${randomUUID().slice(0, 8)}`;
}

function applicationById(reader: Pick<Tx, 'select'>, id: string): Promise<OrganisationApplicationRow | undefined> {
  return reader
    .select()
    .from(organisationApplication)
    .where(eq(organisationApplication.id, id))
    .then(([row]) => row);
}

/** A decided application: the same decision again is answered with it; another decision is refused. */
function alreadyDecided(row: OrganisationApplicationRow, decision: OrganisationApplicationDecision): OrganisationApplicationRow {
  if (row.status === statusOf(decision)) return row;
  throw new Conflict(`This application was already ${row.status} and decisions are final: the organisation applies again with a new application.`, { status: row.status });
}

function alreadyJoined(application: OrganisationApplicationRow, organisationId: string, what: string): Conflict {
  const noun = application.kind.toLowerCase();
  return new Conflict(
    `This ${noun} is already on the platform as ${noun} ${organisationId} (${what}): approving would make it twice. Reject this application, giving that as the reason.`,
    { organisationId },
  );
}
