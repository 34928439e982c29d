import { seedDemoData } from '../../src/services/seed/demoSeed.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTestGateway } from './gateway.js';

export const DEMO_ANCHOR = new Date('2026-06-01T00:00:00Z');

/** A test database with the demo data set (scale 1, fixed anchor) and a gateway over it. */
export async function demoGateway() {
  const db: TestDatabase = await createTestDatabase();
  await seedDemoData(db.pool, { anchor: DEMO_ANCHOR });
  const gateway = createTestGateway(db);
  const entityId = async (name: string, table: 'topics' | 'users' = 'topics'): Promise<string> => {
    const { rows } = await db.pool.query(`SELECT id FROM ${table} WHERE name = $1`, [name]);
    return rows[0].id;
  };
  return { db, gateway, entityId };
}
