import { describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/services/seed/demoSeed.js';
import { createTestDatabase } from './helpers/database.js';
import { createTestGateway } from './helpers/gateway.js';

describe('the GraphQL server', async () => {
  const db = await createTestDatabase();
  await seedDemoData(db.pool, { anchor: new Date('2026-06-01T00:00:00Z') });
  const gateway = createTestGateway(db);

  it('answers a topics query from demo data', async () => {
    const result = await gateway.execute<{ topics: { totalCount: number; edges: { node: { name: string; totalPeriods: number } }[] } }>(
      `{ topics(first: 3) { totalCount edges { node { name totalPeriods } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const expected = await db.pool.query(`SELECT name, total_periods FROM topics ORDER BY is_pinned DESC, position, name, id LIMIT 3`);
    expect(result.data!.topics.totalCount).toBe(7);
    expect(result.data!.topics.edges.map((e) => e.node)).toEqual(expected.rows.map((r) => ({ name: r.name, totalPeriods: r.total_periods })));
  });

  it('serves GraphiQL to a browser, and the health probes', async () => {
    const page = await gateway.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Crosshot temporal gateway');
    expect((await gateway.yoga.fetch('http://gateway.test/healthz')).status).toBe(200);
    const ready = await gateway.yoga.fetch('http://gateway.test/readyz');
    expect(ready.status).toBe(200);
  });

  it('is not ready while migrations are pending, and says which', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    const notMigrated = createTestGateway(fresh);
    const response = await notMigrated.yoga.fetch('http://gateway.test/readyz');
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/^migrations pending: 0000_base_tables, .*0012_index_entity_list_order; run npm run db -- migrate$/);
  });
});
