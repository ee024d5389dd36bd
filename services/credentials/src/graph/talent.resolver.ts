import { actingEmployerId, Forbidden, pageSize, parseInput, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { CredentialRow } from '../db/schema.ts';
import { MAX_TALENT_SKILLS as MAX_SKILLS, searchTalent, skillsOfMask, type TalentSkill } from '../talent/search.ts';
import { toCredential } from './credential.ts';
import { TalentCandidateConnection, TalentSkillMatch, type TalentCandidate } from './talent.ts';

const talentQuerySchema = z.object({
  skills: z
    .array(z.string().trim().toUpperCase().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'must be a skill code such as WEB-BACKEND'))
    .min(1, 'name at least one skill')
    .max(MAX_SKILLS, `name at most ${MAX_SKILLS} skills`)
    .transform((codes) => [...new Set(codes)]),
  match: z.nativeEnum(TalentSkillMatch),
  minLevel: z.number().int().min(1, 'must be an MQF level from 1 to 8').max(8, 'must be an MQF level from 1 to 8').nullish(),
  state: rules.malaysianState.nullish(),
  issuedAfter: z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a date').nullish(),
});

@Resolver()
export class TalentSearchResolver {
  @Authorized('EMPLOYER', 'PARTNER')
  @Query(() => TalentCandidateConnection, {
    description:
      'Learners by verified skill, for employers and partner systems acting for one. Only ACTIVE credentials count that are unexpired, not replaced by a renewal, ' +
      'issued by a provider in good standing and shared by the learner with employers. Ranked by coverage of the skills, then the latest proof.',
  })
  async talentSearch(
    @Arg('skills', () => [String], {
      description:
        'Skill codes, e.g. ["WEB-BACKEND", "DATABASES"]. A retired skill stands for the skill in use that replaced it (following successors to the last): ' +
        'asking for either finds the same learners, credentials naming either prove it, and the two asked together count as one skill.',
    })
    skills: string[],
    @Arg('match', () => TalentSkillMatch, { defaultValue: TalentSkillMatch.ALL }) match: TalentSkillMatch,
    @Arg('minLevel', () => Int, { nullable: true, description: 'Lowest MQF level (1–8) of a proving credential.' }) minLevel: number | null,
    @Arg('state', () => String, {
      nullable: true,
      description:
        'Only learners who chose to be found by their state of residence (Learner.shareStateInTalentSearch) and live in this state or federal territory, e.g. "Selangor". A learner who does not share their state is never found under any state, not even their own, though searches without this argument still find them. Follows where the learner lives now, moments after they move or change their choice.',
    })
    state: string | null,
    @Arg('issuedAfter', () => Date, { nullable: true, description: 'Only credentials issued at or after this time.' }) issuedAfter: Date | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { viewer, db, loaders }: Context,
  ) {
    if (!actingEmployerId(viewer)) throw new Forbidden('Talent search is for employers and partner systems acting for an employer.');
    const query = parseInput(talentQuerySchema, { skills, match, minLevel, state, issuedAfter }, 'arguments');
    // Each code as the skill in use it stands for, with the codes that prove it (one small statement); codes that
    // stand for the same skill (a retired one and its successor) are one skill, asked once.
    const inUse = await Promise.all(query.skills.map((code) => loaders.skillInUse.load(code)));
    const wanted: TalentSkill[] = [...new Map(inUse.map((skill) => [skill.current, { code: skill.current, provenBy: skill.provenBy }])).values()];
    const page = await searchTalent(
      db,
      { ...query, skills: wanted, minLevel: query.minLevel ?? null, state: query.state ?? null, issuedAfter: query.issuedAfter ?? null },
      pageSize(first),
      after,
    );
    // Every proving credential of the page in one statement.
    const rows = await loaders.credential.loadMany(page.edges.flatMap((e) => e.node.credentialIds));
    const byId = new Map(rows.filter((r): r is CredentialRow => r !== null && !(r instanceof Error)).map((r) => [r.id, r]));
    const now = new Date();
    return {
      pageInfo: page.pageInfo,
      // Not spread: reading totalCount runs the count, which only a client that selects it should pay for.
      get totalCount() {
        return page.totalCount;
      },
      edges: page.edges.map(({ cursor, node }) => ({
        cursor,
        node: {
          learner: { id: node.holderId },
          matchedSkills: skillsOfMask(wanted, node.mask).sort().map((code) => ({ code })),
          credentials: [...new Set(node.credentialIds)]
            .map((id) => byId.get(id))
            .filter((r): r is CredentialRow => r !== undefined)
            .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime())
            .map((r) => toCredential(r, now)),
          score: node.matched / wanted.length,
          matchedCount: node.matched,
        } satisfies TalentCandidate,
      })),
    };
  }
}
