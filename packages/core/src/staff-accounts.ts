import type DataLoader from 'dataloader';
import { and, asc, count, eq, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { isRole, requirePrincipal } from './context.ts';
import type { Database } from './database.ts';
import { BadInput, Conflict, Forbidden, NotFound } from './errors.ts';
import type { Principal, Viewer } from './identity.ts';
import { rowLoader, rowsLoader, anyUuid } from './loaders.ts';
import { ORGANISATIONS, staffKindFor, type Organisation, type OrganisationStaffCheck, type StaffCheck } from './staff-gate.ts';
import type { OrganisationKind, StaffKind, StaffRole } from './staff-table.ts';

/**
 * Staff accounts, kept by the service that owns the organisation: one table
 * per owning service, one mechanism for every organisation kind. Who may act
 * for an organisation is checked per request by staff-gate.ts; this is how
 * the accounts are read and changed. ADMIN accounts manage the others; an
 * organisation never loses its last ADMIN (guarded under a lock on its row);
 * adding the same account again is a retry, not a conflict.
 */
export interface StaffAccount {
  organisationId: string;
  /** The `sub` of the person's or partner system's token. */
  subject: string;
  name: string;
  email: string;
  kind: StaffKind;
  role: StaffRole;
  /** The subject of whoever added the account. */
  addedBy: string;
  addedAt: Date;
}

/** What an ADMIN (or a platform administrator) asks for when adding an account, validated. */
export type NewStaffAccount = Pick<StaffAccount, 'subject' | 'name' | 'email' | 'kind' | 'role'>;

/** The columns of a staff-account table (staff-table.ts). */
export interface StaffAccountColumns {
  organisationId: PgColumn;
  subject: PgColumn;
  name: PgColumn;
  email: PgColumn;
  kind: PgColumn;
  role: PgColumn;
  addedBy: PgColumn;
  addedAt: PgColumn;
}

/** Where an owning service keeps one organisation kind's accounts. */
export interface StaffAccountsStore {
  kind: OrganisationKind;
  /** The accounts table, made by staffAccountTable. */
  table: PgTable & StaffAccountColumns;
  /** The organisations' table: its row is locked while its staff change. */
  organisations: PgTable & { id: PgColumn };
}

/** What reads and writes of accounts need of a database or transaction. */
type Executor = Pick<Database, 'select' | 'insert' | 'update' | 'delete'>;

/** A staff list page: `limit + 1` rows after the cursor (name, subject), per organisation. */
export interface StaffLoaders {
  staffPage(limit: number, after: readonly [string, string] | null): DataLoader<string, StaffAccount[]>;
  staffCount: DataLoader<string, { organisationId: string; count: number } | null>;
}

/** The rules of one organisation kind's staff accounts: who acts for it, who manages them, in its own words. */
export class StaffAccounts {
  readonly organisation: Organisation;
  private readonly table: PgTable;
  private readonly columns: StaffAccountColumns;
  private readonly organisations: StaffAccountsStore['organisations'];
  /** Where the accounts are kept (for admitApprovedOrganisation, which creates an organisation's first). */
  readonly store: StaffAccountsStore;

  constructor(store: StaffAccountsStore) {
    const { kind, table, organisations } = store;
    this.store = store;
    this.organisation = ORGANISATIONS[kind];
    this.table = table;
    const { organisationId, subject, name, email, kind: accountKind, role, addedBy, addedAt } = table;
    this.columns = { organisationId, subject, name, email, kind: accountKind, role, addedBy, addedAt };
    this.organisations = organisations;
  }

  /** Every account column, under the names of StaffAccount. */
  private get selection() {
    return { ...this.columns };
  }

  /** A subject's account at an organisation, or undefined: one statement on the primary key, in a transaction or not. */
  async account(db: Executor, organisationId: string, subject: string): Promise<StaffAccount | undefined> {
    const [row] = await this.accountStatement(db).execute({ organisationId, subject });
    return row;
  }

  /** The statement reading one subject's account at one organisation, with both as bind parameters. */
  private accountStatement(db: Executor) {
    const { organisationId, subject } = this.columns;
    return db
      .select(this.selection)
      .from(this.table)
      .where(and(eq(organisationId, sql.placeholder('organisationId')), eq(subject, sql.placeholder('subject'))))
      .prepare(`staff_account_of_${this.organisation.noun}`) as { execute(values: { organisationId: string; subject: string }): Promise<StaffAccount[]> };
  }

  /** Why a principal acting for the organisation is refused, with the remedy, or undefined when its account lets it act. */
  refusal(principal: Principal, organisationId: string, account: Pick<StaffAccount, 'kind'> | undefined | null): string | undefined {
    const { noun, mutations } = this.organisation;
    const needed = staffKindFor(principal);
    if (!account) {
      return `The token's subject "${principal.subject}" is not a staff account of ${noun} ${organisationId}; an admin of that ${noun} can add it with ${mutations.add}${needed === 'SYSTEM' ? ' (kind SYSTEM)' : ''}.`;
    }
    if (account.kind !== needed) {
      return `The token's subject "${principal.subject}" is a ${account.kind} staff account of ${noun} ${organisationId}, but a token with role ${principal.role} needs a ${needed} account; an admin of that ${noun} can remove it and add it again with ${mutations.add} (kind ${needed}).`;
    }
    return undefined;
  }

  /** The check every request acting for this organisation kind passes in the owning service: one statement, built once. */
  check(db: Executor): StaffCheck {
    const statement = this.accountStatement(db);
    const check: OrganisationStaffCheck = async (principal, organisationId) => {
      const [account] = await statement.execute({ organisationId, subject: principal.subject });
      return this.refusal(principal, organisationId, account);
    };
    return { [this.organisation.kind]: check };
  }

  /** The caller's own account at the organisation its token acts for (my<Type>Account). */
  async mine(viewer: Viewer, db: Executor): Promise<StaffAccount> {
    const principal = requirePrincipal(viewer);
    const { article, noun } = this.organisation;
    const organisationId = this.organisation.actingFor(principal);
    if (!organisationId) throw new Forbidden(`Only a token acting for ${article} ${noun} has a staff account there.`);
    const account = await this.account(db, organisationId, principal.subject);
    // Removed since this request began: the same refusal the next request gets.
    if (!account) throw new Forbidden(this.refusal(principal, organisationId, null));
    return account;
  }

  /** The organisation's own staff and platform administrators read its staff list. */
  readsStaffOf(viewer: Viewer, organisationId: string): boolean {
    return this.organisation.actingFor(viewer) === organisationId || isRole(viewer, 'ADMIN');
  }

  /**
   * The organisation whose staff the caller would change: a platform
   * administrator names any (that is how an organisation gets its first
   * ADMIN); staff act for their own. Whether their account is an ADMIN one
   * is checked under the organisation's row lock, with the change.
   */
  managementTarget(viewer: Viewer, named: string | null | undefined): { organisationId: string; asPlatformAdmin: boolean } {
    const { article, noun } = this.organisation;
    if (isRole(viewer, 'ADMIN')) {
      if (!named) throw new BadInput(`${noun}Id: a platform administrator names the ${noun} whose staff to change.`, { field: `${noun}Id` });
      return { organisationId: named, asPlatformAdmin: true };
    }
    const own = this.organisation.actingFor(viewer);
    if (!own) throw new Forbidden(`Only ${article} ${noun}'s ADMIN staff accounts and platform administrators may add, change or remove staff accounts.`);
    if (named && named !== own) throw new Forbidden(`Your token acts for ${noun} ${own}; you may manage only its staff accounts.`);
    return { organisationId: own, asPlatformAdmin: false };
  }

  /**
   * Locks the organisation's row, so changes to one organisation's staff run
   * one at a time, and checks under that lock that the caller may make them:
   * a platform administrator, or an ADMIN staff account there. One statement.
   */
  private async lockForManagement(tx: Executor, principal: Principal, organisationId: string, asPlatformAdmin: boolean): Promise<void> {
    const { noun, typeName } = this.organisation;
    // FOR UPDATE OF takes an unqualified name: the alias.
    const locked = alias(this.organisations, 'locked_organisation') as unknown as StaffAccountsStore['organisations'];
    const [row] = await tx
      .select({ id: locked.id, callerRole: this.columns.role })
      .from(locked)
      .leftJoin(this.table, and(eq(this.columns.organisationId, locked.id), eq(this.columns.subject, principal.subject)))
      .where(eq(locked.id, organisationId))
      .for('update', { of: locked });
    if (!row) throw new NotFound(typeName, organisationId);
    if (asPlatformAdmin || row.callerRole === 'ADMIN') return;
    if (!row.callerRole) throw new Forbidden(`"${principal.subject}" is no longer a staff account of ${noun} ${organisationId}.`);
    throw new Forbidden(
      `Your staff account at ${noun} ${organisationId} has role ${String(row.callerRole)}: only its ADMIN staff accounts may add, change or remove staff. Ask one of its admins.`,
    );
  }

  /** Resolves whose staff the caller changes, then runs the change in one transaction under that organisation's lock. */
  private async manage<T>(
    { viewer, db }: { viewer: Viewer; db: Database },
    named: string | null | undefined,
    change: (tx: Executor, organisationId: string, principal: Principal) => Promise<T>,
  ): Promise<T> {
    const principal = requirePrincipal(viewer);
    const { organisationId, asPlatformAdmin } = this.managementTarget(principal, named);
    return db.transaction(async (tx) => {
      await this.lockForManagement(tx, principal, organisationId, asPlatformAdmin);
      return change(tx, organisationId, principal);
    });
  }

  /** Another ADMIN of the organisation besides this subject: the condition that keeps an organisation from losing its last admin. */
  private anotherAdmin(organisationId: string, subject: string): SQL {
    const column = sql.identifier(this.columns.organisationId.name);
    return sql`exists (select 1 from ${this.table} other where other.${column} = ${organisationId} and other.role = 'ADMIN' and other.subject <> ${subject})`;
  }

  /** Why a guarded change touched no row: the account does not exist, or it is the last ADMIN. */
  private async explainUnchanged(tx: Executor, organisationId: string, subject: string, change: string): Promise<never> {
    const { noun, typeName } = this.organisation;
    if (!(await this.account(tx, organisationId, subject))) throw new NotFound(`${typeName}StaffAccount`, subject);
    throw new Conflict(`"${subject}" is the last ADMIN staff account of ${noun} ${organisationId} and cannot be ${change}: make another account ADMIN first.`, {
      [`${noun}Id`]: organisationId,
      subject,
    });
  }

  /** The organisation's own account, guarded against losing its last ADMIN unless it stays one. */
  private guarded(organisationId: string, subject: string, keepsAdmin: boolean): SQL | undefined {
    return and(
      eq(this.columns.organisationId, organisationId),
      eq(this.columns.subject, subject),
      keepsAdmin ? undefined : or(ne(this.columns.role, 'ADMIN'), this.anotherAdmin(organisationId, subject)),
    );
  }

  /** Adds an account; the same account again changes nothing (a retry), the same subject with other details is a CONFLICT. */
  async add(context: { viewer: Viewer; db: Database }, named: string | null | undefined, wanted: NewStaffAccount): Promise<StaffAccount> {
    const { noun, mutations } = this.organisation;
    if (!this.organisation.kinds.includes(wanted.kind)) {
      throw new BadInput(`input.kind: ${noun} staff accounts are ${this.organisation.kinds.join(' or ')}; no partner system acts for ${this.organisation.article} ${noun}.`, {
        field: 'input.kind',
      });
    }
    return this.manage(context, named, async (tx, organisationId, principal) => {
      const [added] = await tx
        .insert(this.table)
        // The table's type is generic here; its columns are StaffAccount's (staff-table.ts).
        .values({ ...wanted, organisationId, addedBy: principal.subject } as never)
        .onConflictDoNothing()
        .returning(this.selection);
      if (added) return added as StaffAccount;
      const existing = await this.account(tx, organisationId, wanted.subject);
      if (existing && sameAccount(existing, wanted)) return existing;
      throw new Conflict(
        `"${wanted.subject}" is already a staff account of ${noun} ${organisationId}, with other details (${existing?.kind} ${existing?.role}, ${existing?.name}, ${existing?.email}): change its role with ${mutations.changeRole}, or remove it and add it again.`,
        { [`${noun}Id`]: organisationId, subject: wanted.subject },
      );
    });
  }

  /** Makes an account ADMIN or STAFF; the last ADMIN cannot be made STAFF. */
  async changeRole(context: { viewer: Viewer; db: Database }, named: string | null | undefined, subject: string, role: StaffRole): Promise<StaffAccount> {
    return this.manage(context, named, async (tx, organisationId) => {
      const [changed] = await tx
        .update(this.table)
        .set({ role })
        .where(this.guarded(organisationId, subject, role === 'ADMIN'))
        .returning(this.selection);
      return changed ? (changed as StaffAccount) : this.explainUnchanged(tx, organisationId, subject, 'made STAFF');
    });
  }

  /** Removes an account (its tokens stop acting for the organisation); the last ADMIN cannot be removed. */
  async remove(context: { viewer: Viewer; db: Database }, named: string | null | undefined, subject: string): Promise<StaffAccount> {
    return this.manage(context, named, async (tx, organisationId) => {
      const [removed] = await tx.delete(this.table).where(this.guarded(organisationId, subject, false)).returning(this.selection);
      return removed ? (removed as StaffAccount) : this.explainUnchanged(tx, organisationId, subject, 'removed');
    });
  }

  /** This request's loaders of staff lists: one statement however many organisations a response lists. */
  loaders(db: Executor): StaffLoaders {
    const pages = new Map<string, DataLoader<string, StaffAccount[]>>();
    const { columns, table } = this;
    return {
      staffPage: (limit, after) => {
        const shape = JSON.stringify([limit, after]);
        let loader = pages.get(shape);
        if (!loader) pages.set(shape, (loader = this.pagesLoader(db, limit, after)));
        return loader;
      },
      staffCount: rowLoader(
        async (ids: readonly string[]) =>
          (await db
            .select({ organisationId: columns.organisationId, count: count() })
            .from(table)
            .where(anyUuid(columns.organisationId, ids))
            .groupBy(columns.organisationId)) as Array<{ organisationId: string; count: number }>,
        (row) => row.organisationId,
      ),
    };
  }

  /**
   * One page of each organisation's accounts, by (name, subject): a window
   * function numbers every organisation's accounts, so a response listing
   * the staff of many organisations still costs one statement.
   */
  private pagesLoader(db: Executor, limit: number, after: readonly [string, string] | null): DataLoader<string, StaffAccount[]> {
    const { columns, table } = this;
    return rowsLoader(
      async (ids: readonly string[]) => {
        const conditions: SQL[] = [anyUuid(columns.organisationId, ids)];
        if (after) conditions.push(sql`(${columns.name}, ${columns.subject}) > (${after[0]}, ${after[1]})`);
        const numbered = db
          .select({
            ...this.selection,
            position: sql<number>`row_number() over (partition by ${columns.organisationId} order by ${columns.name}, ${columns.subject})`.as('position'),
          })
          .from(table)
          .where(and(...conditions))
          .as('numbered');
        const rows = await db
          .select()
          .from(numbered)
          .where(lte(numbered.position, limit + 1))
          .orderBy(asc(numbered.organisationId), asc(numbered.name), asc(numbered.subject));
        return rows.map(({ position: _position, ...row }) => row as StaffAccount);
      },
      (row) => row.organisationId,
    );
  }
}

/** The account asked for is the one already there, detail for detail: adding it again is a retry, not a conflict. */
const sameAccount = (row: StaffAccount, wanted: NewStaffAccount) =>
  row.name === wanted.name && row.email === wanted.email && row.kind === wanted.kind && row.role === wanted.role;
