import { actingEmployerId, Forbidden, pageSize, parseInput, requirePrincipal, type Connection, type Principal } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { answerContactRequest } from '../contact/answer.ts';
import { employerContactRequests, toPage } from '../contact/list.ts';
import { requestContact } from '../contact/request.ts';
import { ANSWER_DAYS, DECLINE_BLOCK_DAYS, DEFAULT_CONSENT_DAYS, MAX_MESSAGE_CHARACTERS } from '../contact/rules.ts';
import type { Context } from '../context.ts';
import type { LearnerRow } from '../db/schema.ts';
import { EMPLOYER_REQUESTABLE_SCOPES, learnerScopes, assertScope } from '../policy.ts';
import { ConsentGrant, ConsentScope } from './consent.ts';
import { toConsentGrant } from './consent.resolver.ts';
import { ContactRequest, ContactRequestConnection, ContactRequestStatus, toContactRequest } from './contact-request.ts';
import { acceptExpirySchema, contactRequestIdSchema, requestContactSchema } from './contact-request.inputs.ts';
import { idempotencyKeySchema } from './enrolment.inputs.ts';
import { Learner, toLearner } from './learner.ts';

const DAY_MS = 86_400_000;
const PAGE = { nullable: true, description: 'Page size, 1 to 100 (default 20).' } as const;
const AFTER = { nullable: true, description: 'The endCursor of the previous page.' } as const;

/** The employer the caller acts for: its staff, or a partner system acting for it. */
function requestingEmployer(principal: Principal): string {
  const employerId = actingEmployerId(principal);
  if (!employerId) throw new Forbidden('Only staff of an employer, or a partner system acting for one, may send and read contact requests: your token acts for no employer.');
  return employerId;
}

/**
 * Employers reaching candidates: an employer asks a learner who opted in to
 * being found (a talent headline) for named consent about one of its job
 * roles; the learner accepts (granting it) or declines; both follow the answer.
 */
@Resolver(() => ContactRequest)
export class ContactRequestResolver {
  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => ContactRequest, {
    description: `Sends a learner who opted in to being found (Learner.talentHeadline) a contact request about one of your employer's published job roles: a message (plain text, at most ${MAX_MESSAGE_CHARACTERS} characters) and the consent you ask for (${EMPLOYER_REQUESTABLE_SCOPES.join(', ')}). The learner has ${ANSWER_DAYS} days to accept or decline. A learner who is not opted in is NOT_FOUND, as an unknown one; one who declined your employer's request within ${DECLINE_BLOCK_DAYS} days, or has one of its requests waiting, is a CONFLICT. Your employer may send at most CONTACT_REQUESTS_PER_EMPLOYER_PER_DAY (50 by default) in any 24 hours: past that, RATE_LIMITED with retryAfterSeconds. Pass an idempotencyKey so a retry answers the first request.`,
  })
  async requestContact(
    @Arg('learnerId', () => ID) learnerId: string,
    @Arg('jobRoleId', () => ID) jobRoleId: string,
    @Arg('message', () => String) message: string,
    @Arg('scopes', () => [ConsentScope]) scopes: ConsentScope[],
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of your choosing: a retry with it answers the first call, which was done once.' })
    rawKey: string | null,
    @Ctx() { viewer, db, loaders, config }: Context,
  ): Promise<ContactRequest> {
    const principal = requirePrincipal(viewer);
    const employerId = requestingEmployer(principal);
    const values = parseInput(requestContactSchema, { learnerId, jobRoleId, message, scopes }, 'input');
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    const row = await requestContact(
      { db, loaders, perDay: config.CONTACT_REQUESTS_PER_EMPLOYER_PER_DAY },
      { employerId, subject: principal.subject },
      values,
      key,
    );
    return toContactRequest(row);
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Query(() => ContactRequestConnection, {
    description: "The contact requests your employer sent (its staff's and partner systems' alike), newest first, optionally by status: each with the learner's answer and, once accepted, the consent it granted.",
  })
  async myContactRequests(
    @Arg('status', () => ContactRequestStatus, { nullable: true }) status: ContactRequestStatus | null,
    @Arg('first', () => Int, PAGE) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() { viewer, db }: Context,
  ): Promise<Connection<ContactRequest, Promise<number>>> {
    const employerId = requestingEmployer(requirePrincipal(viewer));
    return employerContactRequests(db, employerId, { status: status ?? null, limit: pageSize(first), after: after ?? null });
  }

  @Authorized('LEARNER')
  @Mutation(() => ContactRequest, {
    description: `The signed-in learner accepts a contact request sent to them: the employer is granted the consent it asked for, until expiresAt (default ${DEFAULT_CONSENT_DAYS} days; at most two years), exactly as grantConsent would, and can read those parts of your profile from now on. Revoke it any time (revokeConsent). Accepting again answers the request as it is; a declined or expired request cannot be accepted (CONFLICT).`,
  })
  async acceptContactRequest(
    @Arg('id', () => ID) id: string,
    @Arg('expiresAt', () => Date, { nullable: true, description: `When the consent you grant lapses; ${DEFAULT_CONSENT_DAYS} days from now unless you choose.` }) expiresAt: Date | null,
    @Ctx() { viewer, db }: Context,
  ): Promise<ContactRequest> {
    const { subject } = requirePrincipal(viewer);
    const requestId = parseInput(contactRequestIdSchema, id, 'id');
    const consentExpiresAt = parseInput(acceptExpirySchema, expiresAt, 'expiresAt') ?? new Date(Date.now() + DEFAULT_CONSENT_DAYS * DAY_MS);
    return toContactRequest(await answerContactRequest(db, subject, requestId, { accept: true, consentExpiresAt }));
  }

  @Authorized('LEARNER')
  @Mutation(() => ContactRequest, {
    description: `The signed-in learner declines a contact request sent to them: the employer is told, and may not ask you again for ${DECLINE_BLOCK_DAYS} days. Declining again answers the request as it is; an accepted or expired request cannot be declined (CONFLICT).`,
  })
  async declineContactRequest(@Arg('id', () => ID) id: string, @Ctx() { viewer, db }: Context): Promise<ContactRequest> {
    const { subject } = requirePrincipal(viewer);
    return toContactRequest(await answerContactRequest(db, subject, parseInput(contactRequestIdSchema, id, 'id'), { accept: false }));
  }

  @FieldResolver(() => Learner, { description: "The learner asked. Which of their fields the employer sees follows their consent, as anywhere: what accepting granted, for one." })
  async learner(@Root() request: ContactRequest, @Ctx() { loaders }: Context): Promise<Learner> {
    // A request's learner exists: the row references it, and deleting a learner deletes their requests.
    return toLearner((await loaders.learner.load(request.learnerId))!);
  }

  @FieldResolver(() => ConsentGrant, { nullable: true, description: 'The consent accepting granted (still shown once it expires or is revoked: see active); null unless ACCEPTED.' })
  async consent(@Root() request: ContactRequest, @Ctx() { loaders }: Context): Promise<ConsentGrant | null> {
    const row = request.consentId ? await loaders.consentGrant.load(request.consentId) : null;
    return row && toConsentGrant(row);
  }
}

@Resolver(() => Learner)
export class LearnerContactRequestsResolver {
  @FieldResolver(() => ContactRequestConnection, {
    nullable: true,
    description: 'Contact requests employers sent the learner, newest first, optionally by status. Only the learner and administrators see them.',
  })
  async contactRequests(
    @Root() learner: LearnerRow,
    @Arg('status', () => ContactRequestStatus, { nullable: true }) status: ContactRequestStatus | null,
    @Arg('first', () => Int, PAGE) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() { viewer, loaders }: Context,
  ): Promise<Connection<ContactRequest, Promise<number>>> {
    // Whom the learner is being courted by is theirs alone, like their consents (IDENTITY).
    assertScope(learnerScopes(viewer, learner.id, { grants: [], enrolment: null }), 'IDENTITY', 'contactRequests');
    const page = { status: status ?? null, limit: pageSize(first), after: after ?? null };
    const rows = await loaders.contactRequestsOfLearner(page).load(learner.id);
    return toPage(rows, page.limit, async () => (await loaders.contactRequestCount(page.status).load(learner.id))?.n ?? 0);
  }
}
