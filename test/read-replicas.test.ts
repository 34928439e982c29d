import { describe, expect, it } from 'vitest';
import { createTestGateway, type GraphQLResponse } from './helpers/gateway.js';
import { startTestReplicatedCluster } from './helpers/replication.js';
import { waitFor } from './helpers/subscriptions.js';

const RECORD = `mutation($id: ID!, $title: String!) {
  recordTemporalEvent(input: { entityType: TOPIC, entityId: $id, eventType: "note", title: $title, description: "-" }) { id }
}`;
// A marker in the text, to find this query among the statements the replica logged.
const NEWEST = `query($id: ID!) { topic(id: $id) { name newest: events(first: 1) { edges { node { title } } } } }`;

describe('read replicas', async () => {
  const cluster = await startTestReplicatedCluster();
  const { database } = cluster;
  const gateway = createTestGateway(database, {
    DATABASE_READ_URLS: cluster.replicaUrl,
    READ_REPLICA_CHECK_INTERVAL_MS: '50',
    READ_REPLICA_MAX_LAG_MS: '500',
    READ_REPLICA_MAX_WAIT_MS: '2000',
    METRICS_ENABLED: 'true',
  });
  const { replicas } = gateway.services;
  const { rows } = await database.pool.query<{ id: string }>(`INSERT INTO topics (name) VALUES ('Replicated') RETURNING id`);
  const topicId = rows[0]!.id;

  async function call<T = Record<string, any>>(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T> & { extensions?: { consistencyToken?: string } };
  }
  /** How many statements `work` ran on the primary's pool. */
  async function onPrimary(work: () => Promise<unknown>): Promise<number> {
    let count = 0;
    const stop = database.pool.onStatement((sql) => void (sql.includes('temporal_events') || sql.includes('topics') ? count++ : undefined));
    try {
      await work();
    } finally {
      stop();
    }
    return count;
  }
  /** Until a check finds the replica in service and caught up with the primary as it is now. */
  async function inService(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await replicas.check();
      const [state] = replicas.states();
      if (state?.healthy && state.lagMs === 0) return;
      if (Date.now() > deadline) throw new Error(`the replica did not catch up: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('serves queries from the replica (counted on the replica), none on the primary', async () => {
    await inService();
    // The topic has reached the replica: the lag check says it has replayed everything.
    const before = cluster.statementsOnReplica('temporal_events');
    const primary = await onPrimary(async () => {
      for (let i = 0; i < 20; i++) expect((await call(NEWEST, { id: topicId })).data).toEqual({ topic: { name: 'Replicated', newest: { edges: [] } } });
    });
    expect(primary).toBe(0);
    // Counted from the replica's log, which arrives a moment after the answers.
    await expect.poll(() => cluster.statementsOnReplica('temporal_events') - before).toBeGreaterThanOrEqual(20);
  });

  it('reads its own writes: 200 mutate-then-read cycles with the consistency token all see their write', async () => {
    await inService();
    const before = cluster.statementsOnReplica('temporal_events');
    for (let i = 0; i < 200; i++) {
      const written = await call(RECORD, { id: topicId, title: `cycle ${i}` });
      expect(written.errors).toBeUndefined();
      const token = written.extensions?.consistencyToken;
      expect(token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const read = await call(NEWEST, { id: topicId }, { 'x-consistency-token': token! });
      expect(read.data?.topic.newest.edges[0]?.node.title).toBe(`cycle ${i}`);
    }
    // Most were served by the replica once it had replayed the write, not all sent to the primary.
    await expect.poll(() => cluster.statementsOnReplica('temporal_events') - before).toBeGreaterThan(100);
  }, 60_000);

  it('refuses a consistency token that is not one, saying what to send', async () => {
    const result = await call(NEWEST, { id: topicId }, { 'x-consistency-token': 'yesterday' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'X-Consistency-Token' });
    expect(result.errors?.[0]?.message).toMatch(/extensions\.consistencyToken/);
  });

  it('sends reads to the primary while the replica is behind the lag bound, and shows its lag', async () => {
    await inService();
    await cluster.onReplica('SELECT pg_wal_replay_pause()');
    try {
      await call(RECORD, { id: topicId, title: 'while paused' });
      await waitFor('the lag over the bound', () => ((replicas.states()[0]!.lagMs ?? 0) > 500 ? true : undefined), 10_000);
      const before = cluster.statementsOnReplica('temporal_events');
      // Without a token too: the replica is too far behind for any read.
      const primary = await onPrimary(async () => expect((await call(NEWEST, { id: topicId })).data?.topic.newest.edges[0].node.title).toBe('while paused'));
      expect(primary).toBeGreaterThan(0);
      expect(cluster.statementsOnReplica('temporal_events')).toBe(before);
      const ready = await (await gateway.yoga.fetch('http://gateway.test/readyz')).text();
      expect(ready).toMatch(/replica 127\.0\.0\.1:\d+: in service, lag \d+ ms/);
    } finally {
      await cluster.onReplica('SELECT pg_wal_replay_resume()');
    }
    await inService();
  });

  it('keeps answering reads while the replica is stopped (at most the one that found it fails, with a code), and takes it back', async () => {
    await inService();
    await cluster.stopReplica();
    const failures: string[] = [];
    for (let i = 0; i < 20; i++) {
      const result = await call(NEWEST, { id: topicId });
      if (result.errors) failures.push(String(result.errors[0]!.extensions?.code));
      else expect(result.data?.topic.name).toBe('Replicated');
    }
    expect(failures.length).toBeLessThanOrEqual(1);
    for (const code of failures) expect(code).toBe('DATABASE_UNAVAILABLE');
    expect(replicas.states()[0]).toMatchObject({ healthy: false });
    const metrics = await (await gateway.yoga.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toMatch(/crosshot_read_replica_in_service\{replica="127\.0\.0\.1:\d+"\} 0/);
    // The earlier tests' reads, counted where they went (the 200 cycles' reads mostly on the replica).
    expect(Number(/crosshot_read_routing_total\{target="replica"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(100);

    await cluster.startReplica();
    await inService();
    const before = cluster.statementsOnReplica('temporal_events');
    expect((await call(NEWEST, { id: topicId })).data?.topic.name).toBe('Replicated');
    await expect.poll(() => cluster.statementsOnReplica('temporal_events')).toBeGreaterThan(before);
  }, 30_000);
});
