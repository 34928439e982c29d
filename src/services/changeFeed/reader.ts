import pg from 'pg';
import type { Queryable } from '../../db/queryable.js';
import type { Logger } from '../../logger.js';
import { GatewayError } from '../../errors.js';
import { FeedSubscription, type ChangeDelivery, type Delivery } from './subscription.js';
import {
  assertResumable,
  currentSnapshot,
  decodeFeedCursor,
  encodeFeedCursor,
  isNotNewer,
  positionAt,
  readChanges,
  type Change,
  type FeedPosition,
  type Snapshot,
} from './changes.js';

export type { ChangeDelivery, Delivery, EndDelivery } from './subscription.js';

export const CHANGE_FEED_CHANNEL = 'crosshot_change_feed';

/** The reader lost its database connection while a subscription needed it (it reconnects by itself). */
export function feedUnavailable(): GatewayError {
  return new GatewayError('DATABASE_UNAVAILABLE', 'the change feed lost its database connection: subscribe again shortly with the last cursor received', {
    http: { status: 503 },
  });
}

/** Rows read per statement; a bigger batch is read page by page. */
const PAGE_SIZE = 500;
const RECONNECT_FIRST_MS = 250;
/**
 * After a wake-up the reader reads again this soon (then at doubling intervals while it finds
 * nothing), while it finds changes or sees writers still running: the writers that did not send
 * a wake-up of their own (one per 10 ms slot, see change_feed_wake) are read when they commit.
 * Longer than the slot, so that the first follow-up comes after every writer of the slot wrote.
 */
const FOLLOW_UP_FIRST_MS = 20;
const RECONNECT_MAX_MS = 10_000;
/** How long a new subscription waits for a reader that cannot reach the database before it is refused (DATABASE_UNAVAILABLE). */
const REGISTER_TIMEOUT_MS = 15_000;

export interface ChangeFeedOptions {
  connectionString: string;
  pollIntervalMs: number;
  maxSubscribers: number;
  maxQueuedPerSubscriber: number;
  /** Subscriptions one client may have open (0 or absent: no limit). */
  maxSubscriptionsPerClient?: number;
  logger: Logger;
}

export interface SubscribeOptions {
  accepts: (change: Change) => boolean;
  /** Who subscribes (the admission's client key): what CLIENT_MAX_SUBSCRIPTIONS counts. */
  client: string;
  /** Resume after this cursor (replaying what came after it), else start at the reader's position. */
  after?: string | null;
  /** The argument the cursor came from, for the error messages. */
  argument?: string;
  /** End the stream at this time (ms since the epoch) with this error: the caller's token expires. */
  endAt?: { at: number; error: GatewayError };
}

/**
 * One reader of the change feed per gateway instance, on a connection of its own outside the
 * pool (LISTEN needs a session; the pool may sit behind a transaction-mode pooler). It reads
 * when NOTIFY wakes it and every pollIntervalMs, delivers each change to the subscribers whose
 * filter accepts it, and after a lost connection reconnects with backoff and reads on from its
 * last snapshot, so an outage delays changes but loses none. Database work per change does not
 * depend on the number of subscribers: the feed is read once here, and filtering is in memory.
 */
export class ChangeFeedReader {
  private client: pg.Client | null = null;
  private position: FeedPosition | null = null;
  private readonly subscribers = new Set<FeedSubscription>();
  /** The instance's own listeners (the trend refresher): called for each change they accept, for as long as they watch. */
  private readonly watchers = new Set<{ accepts: (change: Change) => boolean; onChange: (change: Change) => void }>();
  /** Who each subscription is for, and how many each client has open (CLIENT_MAX_SUBSCRIPTIONS). */
  private readonly clientOf = new Map<FeedSubscription, string>();
  private readonly openPerClient = new Map<string, number>();
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private stopped = false;
  private reconnectDelayMs = RECONNECT_FIRST_MS;
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();
  private progressWaiters: (() => void)[] = [];
  /** Follow-up reads after a wake-up: the next delay and how many were made (null: none pending). */
  private followUp: { delayMs: number; count: number } | null = null;
  private followUpTimer: NodeJS.Timeout | undefined;
  /** Seconds from a change's recording to its delivery, for the last page read. */
  lagSeconds = 0;

  constructor(private readonly options: ChangeFeedOptions) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /**
   * Connects (once; the first subscription does it) and reads from then on while there are
   * subscribers. If the database cannot be reached, keeps trying in the background.
   */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.timers.push(setInterval(() => this.requestRead(), this.options.pollIntervalMs).unref());
    void this.connect();
  }

  /** Ends every subscription (their streams complete) and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    clearTimeout(this.followUpTimer);
    for (const subscription of [...this.subscribers]) subscription.finish();
    this.progressWaiters.splice(0).forEach((resolve) => resolve());
    await this.reading;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Reads now (coalesced with a read in progress). */
  requestRead(): void {
    // With no subscriber (and none arriving) there is nobody to read for: idle subscriptions cost the database nothing.
    if (this.stopped || !this.client || (this.subscribers.size === 0 && this.watchers.size === 0 && this.progressWaiters.length === 0)) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = null;
      if (this.readAgain) {
        this.readAgain = false;
        this.requestRead();
      }
    });
  }

  async subscribe(options: SubscribeOptions): Promise<AsyncIterableIterator<Delivery>> {
    const argument = options.argument ?? 'after';
    const resumeFrom = options.after ? decodeFeedCursor(options.after, argument) : null;
    if (this.stopped) throw new GatewayError('SHUTTING_DOWN', 'this instance is shutting down: subscribe again (with your last cursor) to another one');
    if (this.subscribers.size >= this.options.maxSubscribers) {
      throw new GatewayError('TOO_MANY_SUBSCRIPTIONS', `this instance serves at most ${this.options.maxSubscribers} subscriptions: retry later or on another instance`, {
        http: { status: 503 },
      });
    }
    const perClient = this.options.maxSubscriptionsPerClient ?? 0;
    if (perClient > 0 && (this.openPerClient.get(options.client) ?? 0) >= perClient) {
      throw new GatewayError('RATE_LIMITED', `this client already has ${perClient} subscriptions open (CLIENT_MAX_SUBSCRIPTIONS): end one before starting another`, {
        maxSubscriptions: perClient,
        http: { status: 429 },
      });
    }
    this.start();
    const subscription = new FeedSubscription(this, options.accepts, this.options.maxQueuedPerSubscriber, resumeFrom !== null, options.endAt, feedUnavailable);
    const position = await this.register(subscription, options.client, resumeFrom, argument);
    if (resumeFrom) subscription.replay(this.replaySegments(resumeFrom, position));
    return subscription;
  }

  /**
   * Calls `onChange` for every change `accepts` keeps, from now on, until the returned function is
   * called: the instance's own use of the feed (the trend refresher learns of new periods, whoever
   * wrote them). It keeps the reader reading while no client subscribes; an outage delays
   * changes, as for subscribers.
   */
  watch(accepts: (change: Change) => boolean, onChange: (change: Change) => void): () => void {
    const watcher = { accepts, onChange };
    this.watchers.add(watcher);
    this.start();
    this.requestRead();
    return () => {
      this.watchers.delete(watcher);
      if (this.subscribers.size === 0 && this.watchers.size === 0) this.position = null;
    };
  }

  /** @internal */
  remove(subscription: FeedSubscription): void {
    if (!this.subscribers.delete(subscription)) return;
    const client = this.clientOf.get(subscription)!;
    this.clientOf.delete(subscription);
    const open = (this.openPerClient.get(client) ?? 1) - 1;
    if (open > 0) this.openPerClient.set(client, open);
    else this.openPerClient.delete(client);
    // Nobody left to deliver to: the next subscriber starts from the present (or its cursor).
    if (this.subscribers.size === 0 && this.watchers.size === 0) this.position = null;
  }

  /**
   * What lies between a client's cursor and this reader's position, as the batches the reader
   * would have delivered: the rest of the cursor's batch, what the cursor's batch had not seen
   * and the reader had, and the part of the reader's current batch it has delivered.
   */
  private async *replaySegments(from: FeedPosition, to: FeedPosition): AsyncGenerator<ChangeDelivery[]> {
    const segments: [Snapshot, Snapshot, bigint, bigint | null][] = [[from.seen, from.batch, from.position, null]];
    if (from.batch.text !== to.seen.text) segments.push([from.batch, to.seen, 0n, null]);
    if (to.position > 0n) segments.push([to.seen, to.batch, 0n, to.position]);
    for (const [seen, batch, start, end] of segments) {
      let after = start;
      for (;;) {
        const page = await readChanges(this.connection(), seen, batch, after, PAGE_SIZE);
        const changes = end === null ? page.changes : page.changes.filter((c) => BigInt(c.position) <= end);
        const pageToken = {};
        yield changes.map((change) => ({ change, cursor: encodeFeedCursor({ seen, batch, position: BigInt(change.position) }), page: pageToken }));
        if (page.changes.length < PAGE_SIZE || changes.length < page.changes.length) break;
        after = BigInt(page.changes.at(-1)!.position);
      }
    }
  }

  /**
   * The reader's connection, one statement at a time (the reads and replays of this
   * instance queue for it; pg would interleave them on one connection).
   */
  private connection(): Queryable {
    const client = this.client;
    if (!client) throw feedUnavailable();
    return {
      query: ((...args: Parameters<pg.Client['query']>) => {
        const run = this.queue.then(() => (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args));
        this.queue = run.catch(() => undefined);
        return run;
      }) as Queryable['query'],
    };
  }

  /**
   * Adds the subscription once the reader is connected and has seen at least the cursor's
   * snapshot (checked first against the database: a cursor ahead of it, or past the feed's
   * retention, is refused), and returns the position it was added at: changes after it reach the
   * subscription live (in the same synchronous step, so none falls between the two). Waits at
   * most REGISTER_TIMEOUT_MS for a reader that cannot reach the database.
   */
  private async register(subscription: FeedSubscription, client: string, resumeFrom: FeedPosition | null, argument: string): Promise<FeedPosition> {
    const deadline = Date.now() + REGISTER_TIMEOUT_MS;
    let checked = resumeFrom === null;
    for (;;) {
      if (this.stopped) throw new GatewayError('SHUTTING_DOWN', 'this instance is shutting down: subscribe again to another one');
      const connected = this.client;
      if (connected && !checked) {
        try {
          await assertResumable(this.connection(), resumeFrom!, argument);
          checked = true;
          continue;
        } catch (error) {
          if (error instanceof GatewayError && error.code !== 'DATABASE_UNAVAILABLE') throw error;
          // The connection went: wait below for the reconnection.
        }
      }
      if (connected && !this.position) {
        try {
          const now = positionAt(await currentSnapshot(this.connection()));
          if (this.client === connected) this.position ??= now;
          continue;
        } catch {
          // The connection went: wait below for the reconnection.
        }
      }
      const position = this.position;
      // Once checked, the cursor is no newer than the database was: one read brings the reader past it.
      if (checked && position && connected && (!resumeFrom || isNotNewer(resumeFrom.batch, position.seen))) {
        this.subscribers.add(subscription);
        this.clientOf.set(subscription, client);
        this.openPerClient.set(client, (this.openPerClient.get(client) ?? 0) + 1);
        subscription.started();
        return position;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw feedUnavailable();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.progressWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        this.requestRead();
      });
    }
  }

  private async readAll(): Promise<void> {
    try {
      for (;;) {
        const client = this.client;
        if (client && !this.position && this.watchers.size > 0) {
          // Watchers start at the present.
          const now = positionAt(await currentSnapshot(this.connection()));
          if (this.client === client) this.position ??= now;
        }
        const at = this.position;
        if (!client || !at) return;
        const inBatch = at.seen.text !== at.batch.text || at.position > 0n;
        const page = await readChanges(this.connection(), at.seen, inBatch ? at.batch : null, at.position, PAGE_SIZE);
        // Stopped, or every subscriber left while the page was read (the position was reset).
        if (this.stopped || this.position !== at) return;
        const pageToken = {};
        const now = Date.now();
        for (const change of page.changes) {
          const delivery: ChangeDelivery = { change, cursor: encodeFeedCursor({ seen: at.seen, batch: page.upTo, position: BigInt(change.position) }), page: pageToken };
          for (const subscription of this.subscribers) subscription.offer(delivery);
          for (const watcher of this.watchers) if (watcher.accepts(change)) watcher.onChange(change);
          this.lagSeconds = (now - change.recordedAt.getTime()) / 1000;
        }
        const full = page.changes.length === PAGE_SIZE;
        this.position = full ? { seen: at.seen, batch: page.upTo, position: BigInt(page.changes.at(-1)!.position) } : positionAt(page.upTo);
        if (!full) {
          if (page.changes.length === 0) this.lagSeconds = 0;
          this.scheduleFollowUp(page.changes.length > 0, page.upTo.running.size > 0);
          this.progressWaiters.splice(0).forEach((resolve) => resolve());
          return;
        }
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'reading the change feed failed: reconnecting');
      this.disconnected();
    }
  }

  /** One more read after a wake-up, and more while reads find changes or writers are still running (see FOLLOW_UP_FIRST_MS). */
  private scheduleFollowUp(found: boolean, writersRunning: boolean): void {
    const followUp = this.followUp;
    if (!followUp) return;
    if ((followUp.count > 0 && !found && !writersRunning) || followUp.delayMs > this.options.pollIntervalMs) {
      this.followUp = null; // caught up; the poll and the next wake-up take over
      return;
    }
    if (found) followUp.delayMs = FOLLOW_UP_FIRST_MS;
    const delay = followUp.delayMs;
    followUp.count++;
    if (!found) followUp.delayMs *= 2;
    clearTimeout(this.followUpTimer);
    this.followUpTimer = setTimeout(() => this.requestRead(), delay).unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'crosshot-gateway-change-feed' });
    client.on('error', () => this.disconnected(client));
    client.on('end', () => this.disconnected(client));
    client.on('notification', () => {
      this.followUp = { delayMs: FOLLOW_UP_FIRST_MS, count: 0 };
      this.requestRead();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_FEED_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.options.logger.warn({ err: error, retryInMs: this.reconnectDelayMs }, 'the change feed cannot reach the database yet');
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelayMs = RECONNECT_FIRST_MS;
    // A reconnection reads on from where the reader stopped; waiting subscriptions take their position.
    this.progressWaiters.splice(0).forEach((resolve) => resolve());
    this.requestRead();
  }

  private disconnected(client: pg.Client | null = this.client): void {
    if (!client || client !== this.client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, RECONNECT_MAX_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}
