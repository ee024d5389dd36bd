import { learnerByKey } from '@tauliah/demo-data';
import { codesOf, type GraphClient } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Leak 6: a token without `exp` was accepted forever. Every token must say when it was
// issued and when it expires, and live no longer than MAX_TOKEN_LIFETIME_SECONDS (24 h by
// default), at the gateway and at every subgraph reached around it.

let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const ME = '{ me { fullName } }';

/** Where a token is checked: the gateway, and a subgraph called directly, as an outsider would. */
const edges = (): Array<[string, GraphClient]> => [
  ['the gateway', graph.gateway],
  ['the learners subgraph called directly', graph.subgraph.learners],
];

describe('token lifetime', () => {
  const refused: Array<[string, () => { iat?: number; exp?: number }, RegExp]> = [
    ['without exp (it would never expire)', () => ({ iat: now() }), /no expiry \(exp claim\)/],
    ['without iat', () => ({ exp: now() + HOUR }), /no issue time \(iat claim\)/],
    ['living longer than the 24 h maximum', () => ({ iat: now(), exp: now() + 25 * HOUR }), /lifetime is too long: it lives 90000 s \(exp - iat\), at most 86400 s/],
    ['issued in the future', () => ({ iat: now() + HOUR, exp: now() + 2 * HOUR }), /issued in the future/],
    ['without any time claim', () => ({}), /no expiry \(exp claim\)/],
  ];

  for (const [what, times, message] of refused) {
    it(`refuses a token ${what} with 401 UNAUTHENTICATED, at the gateway and at a subgraph`, async () => {
      const token = graph.tokens.tokenWithTimes('LEARNER', times());
      for (const [edge, client] of edges()) {
        const answer = await client.query(ME, { token });
        expect({ edge, status: answer.status, codes: codesOf(answer), data: answer.data ?? null }).toEqual({
          edge,
          status: 401,
          codes: ['UNAUTHENTICATED'],
          data: null,
        });
        expect(answer.errors?.[0]?.message).toMatch(message);
      }
    });
  }

  it('accepts a token within the limit, up to exactly the maximum, and the tokens the tools mint', async () => {
    const tokens = [
      graph.tokens.tokenWithTimes('LEARNER', { iat: now(), exp: now() + HOUR }),
      graph.tokens.tokenWithTimes('LEARNER', { iat: now() - 60, exp: now() - 60 + 24 * HOUR }),
      await graph.tokens.tokenFor('LEARNER'),
    ];
    for (const token of tokens) {
      for (const [edge, client] of edges()) {
        const answer = await client.query(ME, { token });
        expect({ edge, status: answer.status, errors: answer.errors ?? [] }).toEqual({ edge, status: 200, errors: [] });
        expect(answer.data?.me).toEqual({ fullName: aisyah.fullName });
      }
    }
  });

  it('refuses a token from the moment it expires, at the gateway and at a subgraph, though both accepted it before', async () => {
    // Both remember a token they verified (rememberingVerifier), but never past its exp, beyond which the clock tolerance of 5 s applies.
    const exp = now() - 3;
    const token = graph.tokens.tokenWithTimes('LEARNER', { iat: exp - HOUR, exp });
    for (const [edge, client] of edges()) {
      const answer = await client.query(ME, { token });
      expect({ edge, status: answer.status, me: answer.data?.me }).toEqual({ edge, status: 200, me: { fullName: aisyah.fullName } });
    }
    await new Promise((resolve) => setTimeout(resolve, (exp + 5 + 1) * 1000 - Date.now()));
    for (const [edge, client] of edges()) {
      const answer = await client.query(ME, { token });
      expect({ edge, status: answer.status, codes: codesOf(answer) }).toEqual({ edge, status: 401, codes: ['UNAUTHENTICATED'] });
    }
  });
});
