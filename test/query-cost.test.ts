import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../src/server/admission/cost.js';
import { schema } from '../src/schema/index.js';
import { createTestDatabase, recordStatements } from './helpers/database.js';
import { createTestGateway } from './helpers/gateway.js';

const LIMITS = { maxCost: 200_000, defaultPageSize: 20, maxPageSize: 100, maxSeriesBuckets: 2_000 };

// The attack: 30 aliases of three nested pages, the sizes sent as variables.
const NESTED = `query($a: Int, $b: Int, $c: Int) {
  ${Array.from({ length: 30 }, (_, i) => `t${i}: topics(first: $a) { edges { node { periods(first: $b) { edges { node { contents(first: $c) { edges { node { textSnapshot } } } } } } } } }`).join('\n  ')}
}`;

describe('query cost with page sizes from variables', async () => {
  const db = await createTestDatabase();
  const gateway = createTestGateway(db);

  it('counts a variable page size with its value, a missing one as the default page and one that cannot be known as the maximum', () => {
    const one = parse(`query($n: Int) { topics(first: $n) { edges { node { id } } } }`);
    // (2 topics + (2 edges + (2 node + 1 id))) × page size
    expect(estimateCost(schema, one, null, { n: 7 }, LIMITS).cost).toBe(7 * 7);
    expect(estimateCost(schema, one, null, {}, LIMITS).cost).toBe(20 * 7);
    expect(estimateCost(schema, parse(`{ topics(first: 7) { edges { node { id } } } }`), null, {}, LIMITS).cost).toBe(7 * 7);
    expect(estimateCost(schema, parse(`{ topics { edges { node { id } } } }`), null, {}, LIMITS).cost).toBe(20 * 7);
  });

  it('refuses the nested aliases with sizes as variables, before any SQL, as it refuses them as literals', async () => {
    const { result, statements } = await recordStatements(db.pool, () => gateway.execute(NESTED, { a: 100, b: 100, c: 100 }));
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', maxCost: 200_000 });
    expect(statements).toEqual([]);
    const literal = await gateway.execute(NESTED.replace('query($a: Int, $b: Int, $c: Int)', 'query').replace(/\$[abc]\b/g, '100'));
    expect(literal.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED' });
  });

  it('runs an operation at the limit and refuses one just over it', async () => {
    const query = `query($n: Int) { topics(first: $n) { edges { node { id } } } }`;
    const atLimit = createTestGateway(db, { MAX_QUERY_COST: String(7 * 7) });
    expect((await atLimit.execute(query, { n: 7 })).errors).toBeUndefined();
    const over = await atLimit.execute(query, { n: 8 });
    expect(over.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 8 * 7 });
  });
});
