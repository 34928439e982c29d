import type pg from 'pg';
import type { GatewayConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Change } from '../changeFeed/changes.js';
import { metricsTrendFreshness, refreshMetricsTrend, type RefreshOutcome } from './trendRefresh.js';

/**
 * Keeps mv_period_metrics_trend fresh from inside the server: a refresh shortly after periods
 * join a timeline, whoever wrote them (the change feed tells: debounced, so a burst costs one
 * refresh), and a periodic check that catches what the feed does not carry (a delta recomputed,
 * a period edited in place). Calls within this process share one refresh; refreshMetricsTrend()
 * makes sure instances do not run two at once either.
 */
export class TrendRefresher {
  private inFlight: Promise<RefreshOutcome> | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private intervalTimer: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: GatewayConfig['trendRefresh'],
    private readonly logger: Logger,
  ) {}

  /** Refresh now (or join the refresh already running in this process). */
  refresh(): Promise<RefreshOutcome> {
    this.inFlight ??= refreshMetricsTrend(this.pool, { timeoutMs: this.settings.timeoutMs }).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Periods changed: refresh once the writes have been quiet for the debounce delay. */
  periodsChanged(): void {
    if (!this.settings.enabled) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.refreshInBackground('periods written');
    }, this.settings.debounceMs);
    this.debounceTimer.unref();
  }

  /** Starts the periodic check and, given the change feed, follows the periods joining timelines. */
  start(feed?: { watch(accepts: (change: Change) => boolean, onChange: (change: Change) => void): () => void }): void {
    if (!this.settings.enabled || this.intervalTimer) return;
    this.intervalTimer = setInterval(() => void this.refreshIfStale(), this.settings.intervalMs);
    this.intervalTimer.unref();
    this.unwatch = feed?.watch((change) => change.kind === 'period_created', () => this.periodsChanged()) ?? null;
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    this.unwatch = null;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    this.debounceTimer = this.intervalTimer = null;
    await this.inFlight?.catch(() => undefined);
  }

  async refreshIfStale(): Promise<void> {
    try {
      if ((await metricsTrendFreshness(this.pool)).stale) await this.refreshInBackground('stale');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not check the metrics trend freshness');
    }
  }

  private async refreshInBackground(reason: string): Promise<void> {
    try {
      const outcome = await this.refresh();
      this.logger.info({ reason, durationMs: outcome.durationMs, refreshed: outcome.refreshed }, 'metrics trend refreshed');
    } catch (error) {
      this.logger.warn({ err: error, reason }, 'metrics trend refresh failed');
    }
  }
}
