import { NotFound, parseInput } from '@tauliah/core';
import { asc } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { skill as skillTable } from '../db/schema.ts';
import { CourseConnection } from './course.ts';
import { skillCode } from './course.inputs.ts';
import { Skill } from './skill.ts';

@Resolver(() => Skill)
export class SkillResolver {
  @Query(() => Skill, { description: 'One skill of the taxonomy.' })
  async skill(@Arg('code', () => String) code: string, @Ctx() { loaders }: Context): Promise<Skill> {
    const row = await loaders.skill.load(parseInput(skillCode, code, 'code'));
    if (!row) throw new NotFound('Skill', code);
    return row;
  }

  @Query(() => [Skill], { description: 'The whole skills taxonomy, by code.' })
  async skills(@Ctx() { db }: Context): Promise<Skill[]> {
    return db.select().from(skillTable).orderBy(asc(skillTable.code));
  }

  @FieldResolver(() => CourseConnection, { description: 'Published courses that teach this skill, by code.' })
  async courses(
    @Root() skill: Skill,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<CourseConnection> {
    return loaders.coursesOfSkill(skill.code, first, after);
  }
}

export const skillReference = {
  Skill: {
    __resolveReference: ({ code }: { code: string }, { loaders }: Context) => loaders.skill.load(code),
  },
};
