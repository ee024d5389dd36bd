import { describe, expect, it } from 'vitest';
import { builtOnce } from '../src/database.ts';

describe('builtOnce', () => {
  it('builds a statement once per database handle, and separately for each handle', () => {
    const builds: object[] = [];
    const statement = builtOnce((db: { name: string }) => {
      builds.push(db);
      return { for: db.name };
    });
    const [requests, worker] = [{ name: 'requests' }, { name: 'worker' }];
    expect(statement(requests)).toBe(statement(requests));
    expect(statement(worker)).toEqual({ for: 'worker' });
    expect(statement(worker)).not.toBe(statement(requests));
    expect(builds).toEqual([requests, worker]);
  });
});
