import type pg from 'pg';

/** Runs `work` on `client` inside BEGIN/COMMIT, rolling back on any error (which it rethrows). */
export async function withinTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Runs `work` on one connection of `pool` inside BEGIN/COMMIT, rolling back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await withinTransaction(client, () => work(client));
  } finally {
    client.release();
  }
}
