/**
 * A process of SSE subscribers for bench/subscriptions.ts: opens `count` periodCreated
 * subscriptions on the gateway (node:http, no fetch, the period id picked out of each event
 * without parsing the rest: a client as light as it can be, so the figures are the gateway's),
 * tells its parent when all are open, on "count" how many events it has received, and on
 * "report" sends, per period id, the absolute times (ms) it was received.
 */
import { request } from 'node:http';

const [port, count] = [Number(process.argv[2]), Number(process.argv[3])];
const query = JSON.stringify({ query: 'subscription { periodCreated { id periodNumber summary entity { name } } }' });
const received: Record<string, number[]> = {};
const ID = /"periodCreated":\{"id":"([0-9a-f-]{36})"/g;
const now = () => performance.timeOrigin + performance.now();

function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(query) } }, (res) => {
      res.setEncoding('utf8');
      res.once('data', () => resolve());
      res.on('data', (chunk: string) => {
        const at = now();
        for (const match of chunk.matchAll(ID)) (received[match[1]!] ??= []).push(at);
      });
    });
    req.on('error', reject);
    req.end(query);
  });
}

for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, open));
process.send!({ ready: true });
process.on('message', (message: { report?: boolean; count?: boolean }) => {
  if (message.count) process.send!({ count: Object.values(received).reduce((sum, times) => sum + times.length, 0) });
  if (message.report) process.send!({ received }, () => process.exit(0));
});
