import { openTestDatabase } from '@tauliah/testing';
import { pgSchema, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAccounts, staffAccountTable, type Database, type DatabaseConnection, type NewStaffAccount, type Principal, type Viewer } from '../src/index.ts';

/** Two throwaway owning services, each with its organisations and their staff table, made as a service's schema.ts makes them. */
const providers = pgSchema('staff_demo_providers');
const provider = providers.table('provider', { id: uuid('id').primaryKey() });
const providerStaff = staffAccountTable(providers, 'PROVIDER', () => provider.id);
const funding = pgSchema('staff_demo_funding');
const funder = funding.table('funder', { id: uuid('id').primaryKey() });
const funderStaff = staffAccountTable(funding, 'FUNDER', () => funder.id);

const providerAccounts = new StaffAccounts({ kind: 'PROVIDER', table: providerStaff, organisations: provider });
const funderAccounts = new StaffAccounts({ kind: 'FUNDER', table: funderStaff, organisations: funder });

let connection: DatabaseConnection;
let db: Database;
let statements: () => number;

const ids = {
  one: '11111111-1111-4111-8111-111111111111',
  two: '22222222-2222-4222-8222-222222222222',
  funder: '33333333-3333-4333-8333-333333333333',
  nowhere: '44444444-4444-4444-8444-444444444444',
};
const platformAdmin: Principal = { kind: 'principal', role: 'ADMIN', subject: 'admin:platform' };
const staffOf = (subject: string, providerId = ids.one): Principal => ({ kind: 'principal', role: 'PROVIDER_STAFF', subject, providerId });
const systemOf = (subject: string): Principal => ({ kind: 'principal', role: 'PARTNER', subject, providerId: ids.one });
const officer = (subject: string): Principal => ({ kind: 'principal', role: 'FUNDER', subject, funderId: ids.funder });
const person = (subject: string, role: NewStaffAccount['role'] = 'STAFF', over: Partial<NewStaffAccount> = {}): NewStaffAccount => ({
  subject,
  name: 'Aida binti Rahman',
  email: 'aida@example.my',
  kind: 'PERSON',
  role,
  ...over,
});
const as = (viewer: Viewer) => ({ viewer, db });

/** The error a call fails with, as `CODE: message`. */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const { extensions, message } = error as { extensions?: { code?: string }; message: string };
    return `${extensions?.code}: ${message}`;
  }
  throw new Error('the call succeeded');
}

async function rolesAt(accounts: StaffAccounts, organisationId: string): Promise<string[]> {
  const rows = await accounts.loaders(db).staffPage(100, null).load(organisationId);
  return rows.map((row) => `${row.subject} ${row.role}`);
}

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  await connection.transaction(async (tx) => {
    for (const [schema, organisations, column, kinds] of [
      ['staff_demo_providers', 'provider', 'provider_id', `'PERSON', 'SYSTEM'`],
      ['staff_demo_funding', 'funder', 'funder_id', `'PERSON'`],
    ]) {
      await tx.exec(`create schema ${schema}`);
      await tx.exec(`create table ${schema}.${organisations} (id uuid primary key)`);
      await tx.exec(`create table ${schema}.staff_account (
        ${column} uuid not null references ${schema}.${organisations}(id) on delete cascade,
        subject text not null, name text not null, email text not null,
        kind text not null check (kind in (${kinds})), role text not null check (role in ('ADMIN', 'STAFF')),
        added_by text not null, added_at timestamptz not null default now(),
        primary key (${column}, subject))`);
    }
    await tx.exec(`insert into staff_demo_providers.provider (id) values ('${ids.one}'), ('${ids.two}')`);
    await tx.exec(`insert into staff_demo_funding.funder (id) values ('${ids.funder}')`);
  });
  const drizzle = connection.drizzle({});
  db = drizzle.db;
  statements = () => drizzle.statements.count;
  // Each organisation's first ADMIN comes from a platform administrator.
  await providerAccounts.add(as(platformAdmin), ids.one, person('staff:one:admin', 'ADMIN'));
  await providerAccounts.add(as(platformAdmin), ids.two, person('staff:two:admin', 'ADMIN'));
  await funderAccounts.add(as(platformAdmin), ids.funder, person('officer:admin', 'ADMIN'));
});
afterAll(() => connection?.close());

describe('the check of the owning service', () => {
  it('admits an account of the right kind in one statement, and refuses anyone else with the remedy in its own words', async () => {
    const check = providerAccounts.check(db).PROVIDER!;
    const before = statements();
    expect(await check(staffOf('staff:one:admin'), ids.one)).toBeUndefined();
    expect(statements() - before).toBe(1);
    expect(await check(staffOf('staff:unknown'), ids.one)).toBe(
      `The token's subject "staff:unknown" is not a staff account of provider ${ids.one}; an admin of that provider can add it with addProviderStaff.`,
    );
    expect(await check(systemOf('system:unknown'), ids.one)).toBe(
      `The token's subject "system:unknown" is not a staff account of provider ${ids.one}; an admin of that provider can add it with addProviderStaff (kind SYSTEM).`,
    );
    expect(await check(systemOf('staff:one:admin'), ids.one)).toMatch(/is a PERSON staff account of provider .* a token with role PARTNER needs a SYSTEM account; .* addProviderStaff \(kind SYSTEM\)/);
    // An account at one provider does not act for another.
    expect(await check(staffOf('staff:one:admin', ids.two), ids.two)).toMatch(/is not a staff account of provider/);
    expect(Object.keys(funderAccounts.check(db))).toEqual(['FUNDER']);
    expect(await funderAccounts.check(db).FUNDER!(officer('officer:nobody'), ids.funder)).toBe(
      `The token's subject "officer:nobody" is not a staff account of funder ${ids.funder}; an admin of that funder can add it with addFunderStaff.`,
    );
  });

  it("answers the caller's own account, and refuses one that does not act for the kind", async () => {
    expect(await providerAccounts.mine(staffOf('staff:one:admin'), db)).toMatchObject({ organisationId: ids.one, subject: 'staff:one:admin', role: 'ADMIN', kind: 'PERSON', addedBy: 'admin:platform' });
    expect(await failure(providerAccounts.mine(officer('officer:admin'), db))).toBe('FORBIDDEN: Only a token acting for a provider has a staff account there.');
    expect(await failure(funderAccounts.mine(staffOf('staff:one:admin'), db))).toBe('FORBIDDEN: Only a token acting for a funder has a staff account there.');
  });
});

describe('managing staff', () => {
  it('adds an account; the same account again is a retry, other details a CONFLICT', async () => {
    const first = await providerAccounts.add(as(staffOf('staff:one:admin')), null, person('staff:one:clerk'));
    expect(first).toMatchObject({ organisationId: ids.one, subject: 'staff:one:clerk', role: 'STAFF', addedBy: 'staff:one:admin' });
    expect(await providerAccounts.add(as(staffOf('staff:one:admin')), null, person('staff:one:clerk'))).toEqual(first);
    for (const other of [{ role: 'ADMIN' as const }, { name: 'Someone Else' }, { email: 'other@example.my' }, { kind: 'SYSTEM' as const }]) {
      const wanted = { ...person('staff:one:clerk'), ...other };
      expect(await failure(providerAccounts.add(as(staffOf('staff:one:admin')), null, wanted)), JSON.stringify(other)).toMatch(
        /^CONFLICT: "staff:one:clerk" is already a staff account of provider .* change its role with changeProviderStaffRole, or remove it and add it again\.$/,
      );
    }
    expect(await rolesAt(providerAccounts, ids.one)).toEqual(['staff:one:admin ADMIN', 'staff:one:clerk STAFF']);
  });

  it('adds SYSTEM accounts only where partner systems act: a funder has officers only', async () => {
    expect(await providerAccounts.add(as(staffOf('staff:one:admin')), null, person('system:one:records', 'STAFF', { kind: 'SYSTEM' }))).toMatchObject({ kind: 'SYSTEM' });
    expect(await failure(funderAccounts.add(as(officer('officer:admin')), null, person('system:funder', 'STAFF', { kind: 'SYSTEM' })))).toMatch(
      /^BAD_USER_INPUT: input.kind: funder staff accounts are PERSON; no partner system acts for a funder\.$/,
    );
  });

  it('lets only ADMIN accounts and platform administrators manage, each where it may', async () => {
    expect(await failure(providerAccounts.add(as(staffOf('staff:one:clerk')), null, person('staff:x')))).toBe(
      `FORBIDDEN: Your staff account at provider ${ids.one} has role STAFF: only its ADMIN staff accounts may add, change or remove staff. Ask one of its admins.`,
    );
    expect(await failure(providerAccounts.add(as(staffOf('staff:one:admin')), ids.two, person('staff:x')))).toBe(
      `FORBIDDEN: Your token acts for provider ${ids.one}; you may manage only its staff accounts.`,
    );
    expect(await failure(providerAccounts.add(as(officer('officer:admin')), ids.one, person('staff:x')))).toBe(
      "FORBIDDEN: Only a provider's ADMIN staff accounts and platform administrators may add, change or remove staff accounts.",
    );
    // A platform administrator is no organisation's ADMIN: it names the organisation, which must exist.
    expect(await failure(providerAccounts.add(as(platformAdmin), null, person('staff:x')))).toBe(
      'BAD_USER_INPUT: providerId: a platform administrator names the provider whose staff to change.',
    );
    expect(await failure(funderAccounts.remove(as(platformAdmin), ids.nowhere, 'officer:admin'))).toBe(`NOT_FOUND: Funder ${ids.nowhere} does not exist.`);
    expect(await providerAccounts.add(as(platformAdmin), ids.two, person('staff:two:clerk'))).toMatchObject({ addedBy: 'admin:platform' });
    // A token whose account went between the per-request check and the lock.
    expect(await failure(providerAccounts.add(as(staffOf('staff:gone')), null, person('staff:x')))).toBe(`FORBIDDEN: "staff:gone" is no longer a staff account of provider ${ids.one}.`);
    expect(await rolesAt(providerAccounts, ids.two)).toEqual(['staff:two:admin ADMIN', 'staff:two:clerk STAFF']);
  });

  it('never demotes or removes the last ADMIN, whoever asks', async () => {
    for (const viewer of [officer('officer:admin'), platformAdmin]) {
      const named = viewer === platformAdmin ? ids.funder : null;
      expect(await failure(funderAccounts.changeRole(as(viewer), named, 'officer:admin', 'STAFF'))).toBe(
        `CONFLICT: "officer:admin" is the last ADMIN staff account of funder ${ids.funder} and cannot be made STAFF: make another account ADMIN first.`,
      );
      expect(await failure(funderAccounts.remove(as(viewer), named, 'officer:admin'))).toBe(
        `CONFLICT: "officer:admin" is the last ADMIN staff account of funder ${ids.funder} and cannot be removed: make another account ADMIN first.`,
      );
    }
    await funderAccounts.add(as(officer('officer:admin')), null, person('officer:deputy'));
    expect(await funderAccounts.changeRole(as(officer('officer:admin')), null, 'officer:deputy', 'ADMIN')).toMatchObject({ role: 'ADMIN' });
    expect(await funderAccounts.changeRole(as(officer('officer:deputy')), null, 'officer:admin', 'STAFF')).toMatchObject({ role: 'STAFF' });
    expect(await failure(funderAccounts.remove(as(officer('officer:deputy')), null, 'officer:deputy'))).toMatch(/^CONFLICT: .* last ADMIN/);
    expect(await funderAccounts.remove(as(officer('officer:deputy')), null, 'officer:admin')).toMatchObject({ subject: 'officer:admin', role: 'STAFF' });
    expect(await failure(funderAccounts.remove(as(officer('officer:deputy')), null, 'officer:admin'))).toBe('NOT_FOUND: FunderStaffAccount officer:admin does not exist.');
    expect(await rolesAt(funderAccounts, ids.funder)).toEqual(['officer:deputy ADMIN']);
  });

  it('keeps one ADMIN when two admins remove each other at the same time', async () => {
    await providerAccounts.add(as(platformAdmin), ids.two, person('staff:two:second', 'ADMIN'));
    const outcomes = await Promise.allSettled([
      providerAccounts.remove(as(staffOf('staff:two:admin', ids.two)), null, 'staff:two:second'),
      providerAccounts.remove(as(staffOf('staff:two:second', ids.two)), null, 'staff:two:admin'),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((await rolesAt(providerAccounts, ids.two)).filter((r) => r.endsWith(' ADMIN'))).toHaveLength(1);
  });
});

describe('staff lists', () => {
  it('pages the staff of many organisations by name in one statement, and counts them in another', async () => {
    const loaders = providerAccounts.loaders(db);
    const before = statements();
    const [one, two, countOne, countTwo] = await Promise.all([
      loaders.staffPage(1, null).load(ids.one),
      loaders.staffPage(1, null).load(ids.two),
      loaders.staffCount.load(ids.one),
      loaders.staffCount.load(ids.two),
    ]);
    expect(statements() - before).toBe(2);
    // limit + 1 rows: the extra one says there is a next page.
    expect(one.map((row) => row.subject)).toEqual(['staff:one:admin', 'staff:one:clerk']);
    expect(two).toHaveLength(2);
    expect([countOne?.count, countTwo?.count]).toEqual([3, 2]);
    const after = await loaders.staffPage(10, [one[0]!.name, one[0]!.subject]).load(ids.one);
    expect(after.map((row) => row.subject)).toEqual(['staff:one:clerk', 'system:one:records']);
  });
});
