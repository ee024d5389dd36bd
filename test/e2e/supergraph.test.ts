import { composeFromServices, SUPERGRAPH_PATH } from '@tauliah/cli';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('the checked-in supergraph', () => {
  it('is what the five subgraph schemas compose to today (run "npm run compose" when this fails)', async () => {
    const checkedIn = await readFile(SUPERGRAPH_PATH, 'utf8');
    expect(checkedIn).toBe(await composeFromServices());
  });
});
