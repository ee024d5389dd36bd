import { Conflict, idempotentWrite, isUniqueViolation, type Database, type Principal } from '@tauliah/core';
import { and, eq, ne, or, type SQL } from 'drizzle-orm';
import { organisationApplication, provider, type OrganisationApplicationRow, type tables } from '../db/schema.ts';
import type { ValidApplication } from '../graph/application.inputs.ts';

type Db = Database<typeof tables>;
/** A database or a transaction: the reads below run in either. */
type Reader = Pick<Db, 'select'>;

/** What an application's input fills in, as stored. */
export type ApplicationValues = ReturnType<typeof applicationValues>;

export function applicationValues(valid: ValidApplication) {
  return {
    kind: valid.kind as string,
    name: valid.name,
    state: valid.state as string,
    website: valid.website ?? null,
    providerKind: valid.providerKind ?? null,
    mqaRegistration: valid.mqaRegistration ?? null,
    hrdCorpTrainingProviderNumber: valid.hrdCorpTrainingProviderNumber ?? null,
    registrationNumber: valid.registrationNumber ?? null,
    sector: valid.sector ?? null,
    size: valid.size ?? null,
    employeeCount: valid.employeeCount ?? null,
    hrdCorpEmployerNumber: valid.hrdCorpEmployerNumber ?? null,
    administratorSubject: valid.administrator.subject,
    administratorName: valid.administrator.name,
    administratorEmail: valid.administrator.email,
  };
}

/** The constraints that keep one pending application per organisation (db/schema.ts), and the number each one is about. */
const PENDING_KEYS = {
  organisation_application_pending_registration_key: 'registrationNumber',
  organisation_application_pending_mqa_key: 'mqaRegistration',
  organisation_application_pending_hrd_corp_key: 'hrdCorpTrainingProviderNumber',
} as const;

/**
 * Records an application to join, once per idempotency key: a retry answers
 * the first application. An organisation already registered (a provider by
 * its MQA or HRD Corp number; an employer or funder approved here before) or
 * with an application pending (guarded by partial unique indexes) is a CONFLICT.
 */
export async function applyToJoin(db: Db, applicant: Principal, values: ApplicationValues, idempotencyKey: string | null): Promise<OrganisationApplicationRow> {
  const key = idempotencyKey ? { scope: 'providers.applyToJoin', owner: applicant.subject, key: idempotencyKey } : null;
  const { result } = await idempotentWrite(db, key, {
    replay: (reader) => (idempotencyKey ? retried(reader, applicant.subject, idempotencyKey, values) : Promise.resolve(undefined)),
    async write(tx) {
      await assertNotJoined(tx, values);
      try {
        const [row] = await tx
          .insert(organisationApplication)
          .values({ ...values, applicantSubject: applicant.subject, idempotencyKey })
          .returning();
        return row!;
      } catch (error) {
        for (const [constraint, field] of Object.entries(PENDING_KEYS)) {
          if (isUniqueViolation(error, constraint)) {
            throw new Conflict(`An application for ${values.kind} ${field} ${values[field]} is already pending: wait for its decision before applying again.`, {
              field: `input.${field}`,
            });
          }
        }
        throw error;
      }
    },
  });
  return result;
}

/** The applicant's application made with this key; the key used for a different application is a CONFLICT. */
async function retried(reader: Reader, applicantSubject: string, idempotencyKey: string, values: ApplicationValues): Promise<OrganisationApplicationRow | undefined> {
  const [previous] = await reader
    .select()
    .from(organisationApplication)
    .where(and(eq(organisationApplication.applicantSubject, applicantSubject), eq(organisationApplication.idempotencyKey, idempotencyKey)));
  if (!previous) return undefined;
  const differs = (Object.keys(values) as Array<keyof ApplicationValues>).some((field) => previous[field] !== values[field]);
  if (differs) throw new Conflict(`The idempotency key ${idempotencyKey} was already used for another application: use a new key for a new application.`, { field: 'idempotencyKey' });
  return previous;
}

/** The registration numbers that say which organisation an application is. */
export type Registration = Pick<ApplicationValues, 'kind' | 'mqaRegistration' | 'hrdCorpTrainingProviderNumber' | 'registrationNumber'>;

/** A provider holding the application's MQA registration or HRD Corp training-provider number, and which of the two it holds. */
export async function registeredProvider(reader: Reader, values: Registration): Promise<{ id: string; name: string; field: keyof Registration } | undefined> {
  const same: SQL[] = [];
  if (values.mqaRegistration) same.push(eq(provider.mqaRegistration, values.mqaRegistration));
  if (values.hrdCorpTrainingProviderNumber) same.push(eq(provider.hrdCorpRegistration, values.hrdCorpTrainingProviderNumber));
  if (same.length === 0) return undefined;
  const [registered] = await reader
    .select({ id: provider.id, name: provider.name, mqaRegistration: provider.mqaRegistration })
    .from(provider)
    .where(or(...same))
    .limit(1);
  if (!registered) return undefined;
  const field = values.mqaRegistration && registered.mqaRegistration === values.mqaRegistration ? 'mqaRegistration' : 'hrdCorpTrainingProviderNumber';
  return { id: registered.id, name: registered.name, field };
}

/** The organisation an earlier approved application of the same kind and registration number made (its owning service may not have created it yet). */
export async function approvedTwin(reader: Reader, values: Registration, except?: string): Promise<{ organisationId: string } | undefined> {
  if (!values.registrationNumber) return undefined;
  const [approved] = await reader
    .select({ organisationId: organisationApplication.organisationId })
    .from(organisationApplication)
    .where(
      and(
        eq(organisationApplication.kind, values.kind),
        eq(organisationApplication.registrationNumber, values.registrationNumber),
        eq(organisationApplication.status, 'APPROVED'),
        except ? ne(organisationApplication.id, except) : undefined,
      ),
    )
    .limit(1);
  return approved?.organisationId ? { organisationId: approved.organisationId } : undefined;
}

/** Refuses an application from an organisation already on the platform, as far as this service knows. */
async function assertNotJoined(reader: Reader, values: Registration): Promise<void> {
  const registered = await registeredProvider(reader, values);
  if (registered) {
    const { field } = registered;
    throw new Conflict(`${field} ${values[field]} is already registered to provider ${registered.id} (${registered.name}): its ADMIN staff add accounts for new staff instead of joining again.`, {
      field: `input.${field}`,
      organisationId: registered.id,
    });
  }
  const twin = await approvedTwin(reader, values);
  if (twin) {
    throw new Conflict(`${values.kind} registration number ${values.registrationNumber} has already joined, as ${values.kind.toLowerCase()} ${twin.organisationId}.`, {
      field: 'input.registrationNumber',
      organisationId: twin.organisationId,
    });
  }
}
