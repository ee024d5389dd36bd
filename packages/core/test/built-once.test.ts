import { describe, expect, it } from 'vitest';
import { openPglite } from '../src/index.ts';
import { BoundValues, builtOnce, builtOncePerShape } from '../src/database.ts';
import { sql } from 'drizzle-orm';

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

describe('builtOncePerShape', () => {
  it('builds a statement once per shape of its bound values, and runs it with each request\'s own values', async () => {
    const connection = await openPglite();
    try {
      const { db } = connection.drizzle({});
      const builds: string[] = [];
      const statement = builtOncePerShape<object, { execute(values: Record<string, unknown>): Promise<unknown[]> }>(2);
      // A filter with an optional lower bound: the bound's presence is the shape, its value is not.
      const numbersFrom = async (from: number | null, upTo: number) => {
        const values = new BoundValues();
        const conditions = [sql`n <= ${values.bind('upTo', upTo)}`];
        if (from !== null) conditions.push(sql`n >= ${values.bind('from', from)}`);
        const built = statement(db, values.shape, () => {
          builds.push(values.shape);
          return db
            .select({ n: sql<number>`n` })
            .from(sql`generate_series(1, 10) n`)
            .where(sql.join(conditions, sql` and `))
            .orderBy(sql`n`)
            .prepare('numbers');
        });
        return ((await built.execute(values.values)) as Array<{ n: number }>).map((row) => row.n);
      };
      expect(await numbersFrom(null, 3)).toEqual([1, 2, 3]);
      expect(await numbersFrom(null, 5)).toEqual([1, 2, 3, 4, 5]);
      expect(await numbersFrom(4, 6)).toEqual([4, 5, 6]);
      expect(await numbersFrom(8, 9)).toEqual([8, 9]);
      expect(builds).toEqual(['upTo', 'upTo from']);
    } finally {
      await connection.close();
    }
  });

  it('keeps at most its number of shapes, forgetting the least recently used', () => {
    const builds: string[] = [];
    const statement = builtOncePerShape<object, string>(2);
    const db = {};
    const use = (shape: string) => statement(db, shape, () => (builds.push(shape), shape));
    ['a', 'b', 'a', 'c', 'a', 'b'].forEach(use);
    // c evicts b (a was used after b), then b evicts c.
    expect(builds).toEqual(['a', 'b', 'c', 'b']);
  });

  it('names the values and the choices that make a shape', () => {
    const values = new BoundValues();
    values.bind('text', '%python%');
    values.mark('credit-bearing');
    values.bind('limit', 21);
    expect(values.shape).toBe('text credit-bearing limit');
    expect(values.values).toEqual({ text: '%python%', limit: 21 });
  });
});
