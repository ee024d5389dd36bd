import { Cacheable, NotFound, parseInput, selectsPath, selectsTotalCount } from '@tauliah/core';
import { asc, isNull } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { skill as skillTable, type SkillRow } from '../db/schema.ts';
import { addSkill, retiredAlready, retireSkill, updateSkill } from '../taxonomy/editing.ts';
import { CourseConnection, type CoursePage } from './course.ts';
import { skillCode } from './course.inputs.ts';
import { Skill, toSkill } from './skill.ts';
import { AddSkillInput, newSkillSchema, skillSchema, UpdateSkillInput } from './skill.inputs.ts';

@Resolver(() => Skill)
export class SkillResolver {
  @Cacheable()
  @Query(() => Skill, { description: 'One skill of the taxonomy, retired or in use.' })
  async skill(@Arg('code', () => String) code: string, @Ctx() { loaders }: Context): Promise<Skill> {
    return toSkill(await skillByCode(code, 'code', loaders));
  }

  @Cacheable()
  @Query(() => [Skill], { description: 'The skills taxonomy, by code: the skills in use, and the retired ones too when asked.' })
  async skills(
    @Arg('includeRetired', () => Boolean, { defaultValue: false, description: 'Also list retired skills (each names its successor).' }) includeRetired: boolean,
    @Ctx() { db }: Context,
  ): Promise<Skill[]> {
    const rows = await db
      .select()
      .from(skillTable)
      .where(includeRetired ? undefined : isNull(skillTable.retiredAt))
      .orderBy(asc(skillTable.code));
    return rows.map(toSkill);
  }

  @FieldResolver(() => Skill, { nullable: true, description: 'The skill it was retired in favour of: credentials proving this one count for that one. Null while in use.' })
  async successor(@Root() skill: Skill, @Ctx() { loaders }: Context): Promise<Skill | null> {
    if (!skill.successorCode) return null;
    const row = await loaders.skill.load(skill.successorCode);
    return row && toSkill(row);
  }

  @FieldResolver(() => CourseConnection, { description: 'Published courses that teach this skill, by code.' })
  async courses(
    @Root() skill: Skill,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CoursePage> {
    return loaders.coursesOfSkill(skill.code, first, after, { total: selectsTotalCount(info), providers: selectsPath(info, ['edges', 'node', 'provider']) });
  }

  @Authorized('ADMIN')
  @Mutation(() => Skill, {
    description: 'Adds a skill to the taxonomy, optionally with its external framework reference. A code already in the taxonomy (in use or retired) is a CONFLICT. Platform administrators only.',
  })
  async addSkill(@Arg('input', () => AddSkillInput) input: AddSkillInput, @Ctx() { db }: Context): Promise<Skill> {
    const { code, ...valid } = parseInput(newSkillSchema, input);
    return toSkill(await addSkill(db, code, valid));
  }

  @Authorized('ADMIN')
  @Mutation(() => Skill, {
    description:
      'Renames or re-describes a skill in use, or sets or removes its framework reference; fields left out keep their value. A retired skill no longer changes (CONFLICT). Platform administrators only.',
  })
  async updateSkill(@Arg('code', () => String) code: string, @Arg('input', () => UpdateSkillInput) input: UpdateSkillInput, @Ctx() { db, loaders }: Context): Promise<Skill> {
    const existing = await skillByCode(code, 'code', loaders);
    if (existing.retiredAt) throw retiredAlready(existing.code);
    const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    const valid = parseInput(skillSchema, { ...existing, ...given }, 'input');
    return toSkill(await updateSkill(db, existing, valid));
  }

  @Authorized('ADMIN')
  @Mutation(() => Skill, {
    description:
      'Retires a skill in favour of a successor in use (not retired, not itself): courses no longer newly teach it, and credentials proving it count for the successor in talent search, skills gaps and progress. Retiring it again for the same successor changes nothing; for another is a CONFLICT. Platform administrators only.',
  })
  async retireSkill(@Arg('code', () => String) code: string, @Arg('successorCode', () => String) successorCode: string, @Ctx() { db }: Context): Promise<Skill> {
    return toSkill(await retireSkill(db, parseInput(skillCode, code, 'code'), parseInput(skillCode, successorCode, 'successorCode')));
  }
}

/** A skill by the code a client gave (any case), or NOT_FOUND. */
async function skillByCode(code: string, field: string, loaders: Context['loaders']): Promise<SkillRow> {
  const row = await loaders.skill.load(parseInput(skillCode, code, field));
  if (!row) throw new NotFound('Skill', code);
  return row;
}

export const skillReference = {
  Skill: {
    __resolveReference: async ({ code }: { code: string }, { loaders }: Context) => {
      const row = await loaders.skill.load(code);
      return row && toSkill(row);
    },
  },
};
