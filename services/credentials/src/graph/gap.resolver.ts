import { actingEmployerId, BadInput, Forbidden, isRole, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { Arg, Ctx, Directive, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { scopesGranted } from './progress/access.ts';
import { maySeeCredential } from '../policy.ts';
import { countsNow, skillGap, type IssuerStanding } from '../talent/gap.ts';
import { toCredential } from './credential.ts';
import { JOB_ROLE_REQUIRES, JobRole, JobRoleSkillGap } from './gap.ts';

/** An issuer with no row here has issued nothing yet, so nothing of its can have lost standing. */
const GOOD_STANDING: IssuerStanding = { inGoodStanding: true, suspendedAt: null };

/**
 * Who may see a learner's gap for a role: the learner themselves for a
 * published role; the role's own employer (staff or partner) for a learner who
 * granted it CREDENTIALS. Consent is learned from the learners service.
 */
async function assertMayAsk(context: Context, role: JobRole, learnerId: string): Promise<void> {
  const viewer = requirePrincipal(context.viewer);
  if (isRole(viewer, 'LEARNER') && viewer.subject === learnerId && role.published) return;
  if (actingEmployerId(viewer) === role.employer.id) {
    if ((await scopesGranted(context.loaders.progress, learnerId)).includes('CREDENTIALS')) return;
  }
  throw new Forbidden("A skills gap is for the learner themselves, or the job role's employer when the learner granted it CREDENTIALS.");
}

@Resolver(() => JobRole)
export class JobRoleGapResolver {
  @Directive(`@requires(fields: "${JOB_ROLE_REQUIRES}")`)
  @FieldResolver(() => JobRoleSkillGap, {
    nullable: true,
    description:
      "The role's required skills this learner proves with active credentials (and which credential), and those missing. " +
      'A credential proving a retired skill meets a requirement of the skill in use that replaced it, and the other way round, at its own MQF level. ' +
      "For the learner (published roles) and the role's employer with the learner's CREDENTIALS consent. " +
      'Null, with SUBGRAPH_UNAVAILABLE, while the credentials service cannot answer: the job role itself still arrives.',
  })
  async gapFor(@Root() role: JobRole, @Arg('learnerId', () => ID) rawLearnerId: string, @Ctx() context: Context): Promise<JobRoleSkillGap> {
    const learnerId = parseInput(rules.uuid('learner id'), rawLearnerId, 'learnerId');
    if (!role.requiredSkills || !role.employer) throw new BadInput('A skills gap is resolved through the gateway, which supplies the job role.');
    await assertMayAsk(context, role, learnerId);
    const { loaders, viewer } = context;
    const now = new Date();
    // One statement each for the credentials, the required skills in use, the credentials' skills and their issuers,
    // whatever the number of roles asked.
    const [held, required] = await Promise.all([
      loaders.credentialsOfHolder.load(learnerId),
      Promise.all(role.requiredSkills.map((r) => loaders.skillInUse.load(r.skill.code))),
    ]);
    const rows = held.filter((row) => maySeeCredential(viewer, row));
    const issuers = await loaders.issuer.loadMany([...new Set(rows.map((r) => r.issuerId))]);
    const standing = new Map(issuers.flatMap((i) => (i && !(i instanceof Error) ? [[i.providerId, i] as const] : [])));
    const counting = rows.filter((row) => countsNow(row, standing.get(row.issuerId) ?? GOOD_STANDING, now));
    const skills = await loaders.skillsOfCredential.loadMany(counting.map((r) => r.id));
    const provenBy = new Map(required.map((skill) => [skill.code, skill.provenBy]));
    const gap = skillGap(
      role.requiredSkills.map((r) => ({ skillCode: r.skill.code, minimumLevel: r.minimumLevel })),
      counting.map((credential, i) => {
        const own = skills[i];
        return { credential, skills: own && !(own instanceof Error) ? own.map((s) => s.skillCode) : [] };
      }),
      (code) => provenBy.get(code) ?? [code],
    );
    return {
      learner: { id: learnerId },
      held: gap.held.map((h) => ({ skill: { code: h.skillCode }, minimumLevel: h.minimumLevel, level: h.level, credential: toCredential(h.credential, now) })),
      missing: gap.missing.map((m) => ({ skill: { code: m.skillCode }, minimumLevel: m.minimumLevel, heldLevel: m.heldLevel })),
      ready: gap.missing.length === 0,
    };
  }
}
