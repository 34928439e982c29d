import type { Queryable } from '../../db/queryable.js';
import { keepHistoryPartitionsAhead, type HistoryPartitioning } from '../../db/historyPartitions.js';
import type { Logger } from '../../logger.js';
import { maintainChangeFeed, type FeedRetentionSettings } from '../changeFeed/retention.js';

/**
 * The time partitions' upkeep, in every gateway instance (the database functions it calls let one
 * instance at a time do the work): the change feed's retention (its partitions made ahead, the
 * old ones dropped), and, where `db partition-dependents` partitioned analysis_periods'
 * dependents, their partitions made ahead. Runs at start and then every `maintenanceIntervalMs`,
 * logging what it did; a failed pass (the database away) is logged and tried again at the next.
 */
export class PartitionMaintenance {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly settings: { feed: FeedRetentionSettings & { maintenanceIntervalMs: number }; history: HistoryPartitioning },
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.maintain(), this.settings.feed.maintenanceIntervalMs).unref();
    void this.maintain();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass (joining the one under way, if any). */
  maintain(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      for (const done of await maintainChangeFeed(this.db, this.settings.feed)) {
        const postponed = done.action.endsWith('postponed');
        this.logger[postponed ? 'warn' : 'info'](
          { partition: done.partition, from: done.from, to: done.to, rows: done.rows },
          postponed ? `change feed: ${done.action} (a lock not had at once; tried again at the next pass)` : `change feed: partition ${done.action}`,
        );
      }
      for (const done of await keepHistoryPartitionsAhead(this.db, this.settings.history)) {
        this.logger[done.action === 'created' ? 'info' : 'warn']({ table: done.table, partition: done.partition }, `history: partition ${done.action}`);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'maintaining the time partitions failed; will try again');
    }
  }
}
