/** True when a database error is a unique violation of the named index (postgres.js and PGlite report it differently). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: name, constraint_name: pgName, message } = e as { code?: string; constraint?: string; constraint_name?: string; message?: string };
    if (code === '23505' && (name === constraint || pgName === constraint || !!message?.includes(constraint))) return true;
  }
  return false;
}
