import {
  baseConfigSchema,
  devSigningKeyPath,
  loadConfigOrExit,
  ORGANISATIONS,
  ROLES,
  signToken,
  staffKindFor,
  TokenLifetimeError,
  type DevSigningKey,
  type Role,
  type TokenClaims,
} from '@tauliah/core';
import { personas } from '@tauliah/demo-data';
import { readFile } from 'node:fs/promises';

export interface TokenArgs {
  role?: string;
  sub?: string;
  org?: string;
  employer?: string;
  expires?: string;
}

/** The claims for `tauliah token`: the role's demo persona unless --sub/--org say otherwise. */
export function claimsFor(args: TokenArgs): TokenClaims {
  const role = args.role?.toUpperCase();
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}${args.role ? `; got ${args.role}` : ''}.`);
  }
  const persona = personas[role as Role];
  const claims: TokenClaims = {
    role: role as Role,
    sub: args.sub ?? persona.sub,
    providerId: persona.providerId,
    employerId: persona.employerId,
    funderId: persona.funderId,
  };
  if (args.org || args.employer) {
    delete claims.providerId;
    delete claims.employerId;
    delete claims.funderId;
    if (args.employer) claims.employerId = args.employer;
    else if (role === 'PROVIDER_STAFF' || role === 'PARTNER') claims.providerId = args.org;
    else if (role === 'EMPLOYER') claims.employerId = args.org;
    else if (role === 'FUNDER') claims.funderId = args.org;
    else throw new UsageError(`--org does not apply to role ${role}.`);
  }
  return claims;
}

export class UsageError extends Error {}

export async function token(args: TokenArgs): Promise<void> {
  const config = loadConfigOrExit(baseConfigSchema);
  const claims = claimsFor(args);
  let key: DevSigningKey;
  try {
    key = JSON.parse(await readFile(devSigningKeyPath(config), 'utf8')) as DevSigningKey;
  } catch {
    throw new UsageError(
      `No local signing key in ${devSigningKeyPath(config)}: start the embedded graph once with "npm start" (tokens are only minted locally in embedded mode).`,
    );
  }
  let signed: string;
  try {
    signed = await signToken(key, claims, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      expiresIn: args.expires,
      maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME_SECONDS,
    });
  } catch (error) {
    if (error instanceof TokenLifetimeError) throw new UsageError(`--expires ${args.expires}: ${error.message}`);
    // jose's words for a duration it cannot read.
    if (args.expires && error instanceof TypeError) throw new UsageError(`--expires ${args.expires}: give a duration such as 90m, 8h or 1d.`);
    throw error;
  }
  process.stdout.write(`${signed}\n`);
  const note = staffAccountNote(claims, args);
  if (note) process.stderr.write(`${note}\n`);
}

/**
 * A token acting for a provider, employer or funder works only while its
 * subject is a staff account there; the demo personas are, anyone else must
 * be added first. Printed on stderr, so `TOKEN=$(tauliah token ...)` still
 * captures the token alone.
 */
export function staffAccountNote(claims: TokenClaims, args: TokenArgs): string | undefined {
  if (!args.sub && !args.org && !args.employer) return undefined;
  const principal = { kind: 'principal', subject: claims.sub, role: claims.role, providerId: claims.providerId, employerId: claims.employerId, funderId: claims.funderId } as const;
  for (const { actingFor, noun, mutations } of Object.values(ORGANISATIONS)) {
    const organisationId = actingFor(principal);
    if (!organisationId) continue;
    const kind = staffKindFor(principal);
    return (
      `Note: this token acts for ${noun} ${organisationId} only while "${claims.sub}" is a ${kind} staff account there. ` +
      `An admin of that ${noun} (or a platform ADMIN, naming ${noun}Id) adds it with ${mutations.add}(input: { subject: "${claims.sub}", kind: ${kind}, ... }).`
    );
  }
  return undefined;
}
