import { GatewayError } from '../../errors.js';
import { timeoutAt, type LongTimeout } from '../../timers.js';
import type { Change } from './changes.js';

/** A change as one subscriber receives it: with its cursor, and the page it was read in. */
export interface ChangeDelivery {
  change: Change;
  cursor: string;
  /**
   * One object per page read, shared by every delivery of that page on this instance: what is
   * loaded for the page's changes (the schema layer keys its loaders on it) is loaded once,
   * whatever the number of subscribers.
   */
  page: object;
}

/** The last item of a stream that ends on an error (a slow subscriber, an expired token): the stream completes after it. */
export interface EndDelivery {
  error: GatewayError;
}

export type Delivery = ChangeDelivery | EndDelivery;

/**
 * One subscriber's stream: what its filter accepts, after any replay, in the reader's order.
 * Ending it (the client left, the server stops) releases everything it holds at once, including
 * a pending next() (an async generator could not: it stays suspended in its await).
 */
export class FeedSubscription implements AsyncIterableIterator<Delivery> {
  private queue: Delivery[] = [];
  private pending: ((result: IteratorResult<Delivery>) => void) | null = null;
  /** No more changes are taken; the stream completes once the queue is drained. */
  private ended = false;
  private replaying: AsyncGenerator<ChangeDelivery[]> | null = null;
  /** Live changes that arrive while the replay is read: delivered after it. */
  private held: Delivery[] | null = null;
  private timer: LongTimeout | undefined;

  constructor(
    private readonly reader: { remove(subscription: FeedSubscription): void },
    private readonly accepts: (change: Change) => boolean,
    private readonly maxQueued: number,
    resuming: boolean,
    private readonly endAt: { at: number; error: GatewayError } | undefined,
    /** The error that ends the stream when its replay cannot be read. */
    private readonly replayFailure: () => GatewayError,
  ) {
    // A resumed stream holds live changes from its registration on, until its replay is read.
    if (resuming) this.held = [];
  }

  /** Ended (by its client, the server, or an error): the reader no longer serves it. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Called once the reader serves it: from then on it ends by itself at `endAt` (the caller's token expires). */
  started(): void {
    const endAt = this.endAt;
    if (endAt && !this.ended) this.timer = timeoutAt(endAt.at, () => this.fail(endAt.error));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Delivery> {
    return this;
  }

  replay(segments: AsyncGenerator<ChangeDelivery[]>): void {
    this.replaying = segments;
  }

  offer(delivery: ChangeDelivery): void {
    if (this.ended || !this.accepts(delivery.change)) return;
    if (this.held) this.held.push(delivery);
    else if (!this.deliver(delivery)) this.queue.push(delivery);
    if (this.queue.length + (this.held?.length ?? 0) > this.maxQueued) {
      this.fail(new GatewayError('SUBSCRIBER_TOO_SLOW', `more than ${this.maxQueued} changes were waiting for this subscriber: subscribe again with the last cursor received`));
    }
  }

  async next(): Promise<IteratorResult<Delivery>> {
    while (this.replaying && this.queue.length === 0) {
      let segment: IteratorResult<ChangeDelivery[]>;
      try {
        segment = await this.replaying.next();
      } catch {
        // The reader's connection went while the replay was read: the client resumes from its last cursor.
        this.fail(this.replayFailure());
        break;
      }
      if (segment.done || !this.replaying) {
        this.replaying = null;
        this.queue.push(...(this.held ?? []));
        this.held = null;
      } else {
        this.queue.push(...segment.value.filter((delivery) => this.accepts(delivery.change)));
      }
    }
    if (this.queue.length > 0) return { value: this.queue.shift()!, done: false };
    if (this.ended) return { value: undefined, done: true };
    return new Promise((resolve) => (this.pending = resolve));
  }

  /** The client left: everything is released now. */
  async return(): Promise<IteratorResult<Delivery>> {
    this.queue = [];
    this.finish();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<Delivery>> {
    await this.return();
    throw error;
  }

  /** Takes no more changes; the stream completes after what is queued (the server stops). */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.timer?.clear();
    this.reader.remove(this);
    void this.replaying?.return(undefined);
    this.replaying = null;
    this.held = null;
    this.pending?.({ value: undefined, done: true });
    this.pending = null;
  }

  /** Ends the stream with `error` as its last item, dropping what was waiting. */
  private fail(error: GatewayError): void {
    if (this.ended) return;
    this.queue = [];
    if (!this.deliver({ error })) this.queue.push({ error });
    this.finish();
  }

  /** Hands `delivery` to a next() that is waiting, if there is one. */
  private deliver(delivery: Delivery): boolean {
    if (!this.pending) return false;
    const resolve = this.pending;
    this.pending = null;
    resolve({ value: delivery, done: false });
    return true;
  }
}
