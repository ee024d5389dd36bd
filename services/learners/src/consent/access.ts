import { ConsentScope, isRole, type Viewer } from '@tauliah/core';
import DataLoader from 'dataloader';
import type { EnrolmentRow } from '../db/schema.ts';
import { consentedScopesOf, granteeOf, grantsTo, isSelf, learnerScopes, type GrantTerms, type LearnerScope } from '../policy.ts';

/**
 * What the request's viewer holds of one learner: the scopes that guard the
 * learner's fields (policy.ts) and the consent scopes other services read
 * through `consentedScopes` to honour consent.
 */
export interface ViewerAccess {
  scopes: ReadonlySet<LearnerScope>;
  consentedScopes: readonly ConsentScope[];
}

const EVERY_CONSENT_SCOPE: readonly ConsentScope[] = Object.freeze(Object.values(ConsentScope));

/** Where the access answers read the viewer's organisation's standing with each learner. */
export interface AccessSources {
  /** The consent grants the learners gave the viewer's organisation, revoked and expired ones included (policy.ts filters); none for a viewer acting for no organisation. */
  grantsToViewer(learnerIds: readonly string[]): Promise<GrantTerms[]>;
  /** Each learner's ACTIVE enrolment with the viewer's provider, in the order asked (null for a viewer acting for no provider). */
  enrolmentsWithViewer(learnerIds: readonly string[]): Promise<Array<EnrolmentRow | null | Error>>;
}

/**
 * The viewer's access to the learners of one request, worked out a batch at
 * a time: one read of the grants (and, for a provider, of its enrolments), one
 * clock reading, and the policy applied once per distinct standing, so 10,000
 * learners who gave the viewer the same consent share one answer. A list of
 * learners prepares its whole batch before its fields are resolved; each
 * field then reads its learner's answer at once, without waiting.
 */
export class ViewerAccesses {
  readonly #viewer: Viewer;
  readonly #sources: AccessSources;
  readonly #known = new Map<string, ViewerAccess>();
  readonly #loader: DataLoader<string, ViewerAccess>;

  constructor(viewer: Viewer, sources: AccessSources) {
    this.#viewer = viewer;
    this.#sources = sources;
    this.#loader = new DataLoader((learnerIds) => this.#workOut(learnerIds), { maxBatchSize: 10_000 });
  }

  /** `read` of the viewer's access to the learner: at once when it is known already, else once it is. */
  read<T>(learnerId: string, read: (access: ViewerAccess) => T): T | Promise<T> {
    const known = this.#known.get(learnerId);
    return known ? read(known) : this.#loader.load(learnerId).then(read);
  }

  /** Works out the access to all these learners at once, ahead of their fields. */
  async prepare(learnerIds: readonly string[]): Promise<void> {
    const missing = [...new Set(learnerIds)].filter((id) => !this.#known.has(id));
    if (missing.length > 0) await this.#workOut(missing);
  }

  async #workOut(learnerIds: readonly string[]): Promise<ViewerAccess[]> {
    const viewer = this.#viewer;
    const grantee = granteeOf(viewer);
    const admin = isRole(viewer, 'ADMIN');
    const everything = (id: string) => admin || isSelf(viewer, id);
    const standing = viewer.kind === 'principal' ? learnerIds.filter((id) => !everything(id)) : [];
    const [grants, enrolments] = standing.length
      ? await Promise.all([this.#sources.grantsToViewer(standing), this.#sources.enrolmentsWithViewer(standing)])
      : [[], []];
    const grantsOf = new Map<string, GrantTerms[]>();
    for (const grant of grants) {
      const held = grantsOf.get(grant.learnerId);
      if (held) held.push(grant);
      else grantsOf.set(grant.learnerId, [grant]);
    }
    const enrolmentOf = new Map<string, EnrolmentRow>();
    enrolments.forEach((enrolment, i) => {
      if (enrolment instanceof Error) throw enrolment;
      if (enrolment) enrolmentOf.set(standing[i]!, enrolment);
    });
    const now = new Date();
    const shared = new Map<string, ViewerAccess>();
    return learnerIds.map((id) => {
      const held = grantsOf.get(id) ?? [];
      const enrolment = enrolmentOf.get(id) ?? null;
      // What decides the answer besides the viewer: the learner's active grants' scopes and the enrolment's provider.
      const live = grantsTo(grantee, held, now);
      const key = everything(id) ? '*' : `${enrolment ? `${enrolment.providerId}:${enrolment.status}` : ''}|${live.map((g) => g.scopes.join(',')).join(';')}`;
      let access = shared.get(key);
      if (!access) {
        access = {
          scopes: learnerScopes(viewer, id, { grants: live, enrolment }, now),
          consentedScopes: everything(id) ? EVERY_CONSENT_SCOPE : consentedScopesOf(viewer, live, now),
        };
        shared.set(key, access);
      }
      this.#known.set(id, access);
      return access;
    });
  }
}
