import { BadInput } from '@tauliah/core';

export interface Problem {
  field: string;
  message: string;
}

/** Problems found beyond the input's shape (unknown courses, skills, credits): one BAD_USER_INPUT listing each, as parseInput does. */
export function assertNoProblems(problems: Problem[]): void {
  if (problems.length) throw new BadInput(`Invalid input: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, { problems });
}
