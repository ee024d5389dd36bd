import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
  type ClassType,
} from 'type-graphql';
import { z } from 'zod';
import type { Database } from './database.ts';
import { Forbidden } from './errors.ts';
import type { Viewer } from './identity.ts';
import { ConnectionType, decodeCursor, pageSize, toConnection, type Connection } from './pagination.ts';
import type { StaffAccount, StaffAccounts, StaffLoaders } from './staff-accounts.ts';
import { STAFF_ROLES, type StaffKind, type StaffRole } from './staff-table.ts';
import { parseInput, rules } from './validation.ts';

/** A token's `sub` exactly as the identity provider writes it (OIDC: at most 255 ASCII characters). */
export const staffSubjectRule = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7E]*$/, "must be the token's sub exactly: printable ASCII, no spaces");

/** What the staff resolvers need of a service's request context. */
export interface StaffGraphContext {
  viewer: Viewer;
  db: Database;
  loaders: StaffLoaders;
}

export interface StaffGraphOptions<TOrganisation extends { id: string }, TContext extends StaffGraphContext> {
  accounts: StaffAccounts;
  /** The organisation's GraphQL type, which gets the `staff` list. */
  organisationType: ClassType<TOrganisation>;
  /** The organisation an account belongs to, as the service resolves it. */
  organisationOf(organisationId: string, context: TContext): Promise<TOrganisation>;
  /** What its STAFF accounts do for it, for the role's description: "job roles, endorsements, talent search". */
  staffWork: string;
  /** The kind of partner system that acts for it, for the kind's description: "an HR system". */
  systemExample?: string;
}

/**
 * The GraphQL side of one organisation kind's staff accounts, the same for
 * every kind: `<Type>StaffAccount`, `<Type>StaffRole`, `<Type>StaffKind`,
 * `<Type>StaffInput`, the `staff` list on the organisation, `my<Type>Account`
 * and the `add<Type>Staff`, `change<Type>StaffRole` and `remove<Type>Staff`
 * mutations (named after the organisation, since mutation names are unique
 * across the supergraph). A service lists the two resolvers it returns.
 */
export function staffGraph<TOrganisation extends { id: string }, TContext extends StaffGraphContext>(options: StaffGraphOptions<TOrganisation, TContext>) {
  const { accounts, organisationType } = options;
  const { typeName, noun, article, kinds, actingRoles, accountField, mutations, personRole } = accounts.organisation;
  const hasSystems = kinds.includes('SYSTEM');

  const StaffRoleEnum = { ADMIN: 'ADMIN', STAFF: 'STAFF' } as const;
  registerEnumType(StaffRoleEnum, {
    name: `${typeName}StaffRole`,
    description: `What a staff account may do for its ${noun}.`,
    valuesConfig: {
      ADMIN: { description: `Acts for the ${noun} and adds, changes and removes its staff accounts. ${capitalised(article)} ${noun} always keeps at least one.` },
      STAFF: { description: `Acts for the ${noun} (${options.staffWork}) but does not manage staff.` },
    },
  });
  const StaffKindEnum = Object.fromEntries(kinds.map((kind) => [kind, kind])) as Record<StaffKind, StaffKind>;
  registerEnumType(StaffKindEnum, {
    name: `${typeName}StaffKind`,
    description: 'Who signs in with the account.',
    valuesConfig: {
      PERSON: { description: `A person, with a token of role ${personRole}.` },
      ...(hasSystems ? { SYSTEM: { description: `A partner system (${options.systemExample ?? 'a system of its own'}, say), with a token of role PARTNER.` } } : {}),
    },
  });
  const who = hasSystems ? 'A person or partner system' : 'A person';

  @ObjectType(`${typeName}StaffAccount`, {
    description: `${who} acting for ${article} ${noun}. A token with ${article} ${noun}Id acts for that ${noun} only while its sub has a staff account there.`,
  })
  class StaffAccountType {
    @Field(() => String, { description: `The \`sub\` of the token the ${hasSystems ? 'person or system' : 'person'} signs in with.` })
    subject!: string;

    @Field(() => String)
    name!: string;

    @Field(() => String, { description: hasSystems ? 'Work email (for a system, whoever runs it).' : 'Work email.' })
    email!: string;

    @Field(() => StaffKindEnum)
    kind!: StaffKind;

    @Field(() => StaffRoleEnum)
    role!: StaffRole;

    @Field(() => String, { description: 'The subject of whoever added the account.' })
    addedBy!: string;

    @Field(() => Date)
    addedAt!: Date;
  }

  @InputType(`${typeName}StaffInput`, { description: `${who} to act for ${article} ${noun}.` })
  class StaffInput {
    @Field(() => String, { description: 'The `sub` of the token they sign in with, exactly as their identity provider writes it.' })
    subject!: string;

    @Field(() => String)
    name!: string;

    @Field(() => String, { description: hasSystems ? 'Work email (for a system, whoever runs it).' : 'Work email.' })
    email!: string;

    @Field(() => StaffKindEnum, {
      description: hasSystems ? `PERSON for ${personRole} tokens, SYSTEM for PARTNER tokens.` : `PERSON, for ${personRole} tokens: no partner system acts for ${article} ${noun}.`,
    })
    kind!: StaffKind;

    @Field(() => StaffRoleEnum)
    role!: StaffRole;
  }

  const StaffAccountConnection = ConnectionType(`${typeName}StaffAccount`, StaffAccountType);
  const inputSchema = z.object({
    subject: staffSubjectRule,
    name: rules.nonEmpty(200),
    email: rules.email,
    kind: z.enum(kinds as [StaffKind, ...StaffKind[]]),
    role: z.enum(STAFF_ROLES),
  });
  const organisationIdRule = rules.uuid(`${noun} id`).nullish();
  const idArgument = `${noun}Id`;
  const ID_ARG = { nullable: true, description: `The ${noun}, for platform administrators; staff always act for their own.` } as const;
  const namedOrganisation = (named: string | null) => parseInput(organisationIdRule, named, idArgument);

  @Resolver(() => organisationType)
  class OrganisationStaffResolver {
    @FieldResolver(() => StaffAccountConnection, {
      name: 'staff',
      nullable: true,
      description: `The ${hasSystems ? 'people and partner systems' : 'people'} acting for the ${noun}, by name. Only for the ${noun}'s own staff and administrators.`,
    })
    async staff(
      @Root() organisation: TOrganisation,
      @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
      @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
      @Ctx() { viewer, loaders }: StaffGraphContext,
    ): Promise<Connection<StaffAccount>> {
      if (!accounts.readsStaffOf(viewer, organisation.id)) throw new Forbidden(`Only the ${noun}'s own staff and administrators may read its staff accounts.`);
      const limit = pageSize(first);
      const cursor = decodeCursor(after, ['string', 'string']) as [string, string] | null;
      const [rows, total] = await Promise.all([loaders.staffPage(limit, cursor).load(organisation.id), loaders.staffCount.load(organisation.id)]);
      return toConnection(rows, limit, total?.count ?? 0, (row) => [row.name, row.subject], (row) => row);
    }
  }

  @Resolver(() => StaffAccountType)
  class StaffAccountResolver {
    @Authorized(actingRoles)
    @Query(() => StaffAccountType, { name: accountField, description: `Your own staff account at the ${noun} your token acts for: its role and kind.` })
    async mine(@Ctx() { viewer, db }: StaffGraphContext): Promise<StaffAccount> {
      return accounts.mine(viewer, db);
    }

    @FieldResolver(() => organisationType, { name: noun })
    async organisation(@Root() account: StaffAccount, @Ctx() context: TContext): Promise<TOrganisation> {
      return options.organisationOf(account.organisationId, context);
    }

    @Authorized([...actingRoles, 'ADMIN'])
    @Mutation(() => StaffAccountType, {
      name: mutations.add,
      description: `Adds ${hasSystems ? 'a person or partner system' : 'a person'} to act for your ${noun} (ADMIN staff only), or, for platform administrators, for the ${noun} named. Adding the same account again changes nothing; the same subject with other details is a CONFLICT.`,
    })
    async add(
      @Arg('input', () => StaffInput) input: StaffInput,
      @Arg(idArgument, () => ID, ID_ARG) named: string | null,
      @Ctx() context: StaffGraphContext,
    ): Promise<StaffAccount> {
      const values = parseInput(inputSchema, input, 'input');
      return accounts.add(context, namedOrganisation(named), values);
    }

    @Authorized([...actingRoles, 'ADMIN'])
    @Mutation(() => StaffAccountType, { name: mutations.changeRole, description: `Makes a staff account ADMIN or STAFF. The last ADMIN of ${article} ${noun} cannot be made STAFF.` })
    async changeRole(
      @Arg('subject', () => String) subject: string,
      @Arg('role', () => StaffRoleEnum) role: StaffRole,
      @Arg(idArgument, () => ID, ID_ARG) named: string | null,
      @Ctx() context: StaffGraphContext,
    ): Promise<StaffAccount> {
      return accounts.changeRole(context, namedOrganisation(named), parseInput(staffSubjectRule, subject, 'subject'), role);
    }

    @Authorized([...actingRoles, 'ADMIN'])
    @Mutation(() => StaffAccountType, {
      name: mutations.remove,
      description: `Removes a staff account: its tokens stop acting for the ${noun}. Returns the account removed. The last ADMIN of ${article} ${noun} cannot be removed.`,
    })
    async remove(
      @Arg('subject', () => String) subject: string,
      @Arg(idArgument, () => ID, ID_ARG) named: string | null,
      @Ctx() context: StaffGraphContext,
    ): Promise<StaffAccount> {
      return accounts.remove(context, namedOrganisation(named), parseInput(staffSubjectRule, subject, 'subject'));
    }
  }

  return { StaffAccountType, StaffInput, StaffRoleEnum, StaffKindEnum, OrganisationStaffResolver, StaffAccountResolver };
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
