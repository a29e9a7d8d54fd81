/**
 * Turns what the centre just committed into live events on the bus, off the request path:
 * the upload has already been answered, or is answered without waiting for this. A failed
 * look-up is logged and dropped, since every event is also a fact on a page.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { LiveEvent } from '../../../src/shared/console/live-contract';
import type { Sql } from '../db/sql';
import { redact } from '../../../src/shared/privacy';
import type { Alert } from '../ingest/alerts';
import type { CentreBus } from './bus';
import { integrityEventsOf } from './integrity';

export class CentreNews {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Sql,
    private readonly bus: CentreBus,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Runs work after the commit; its events go on the bus in order. */
  later(what: string, work: () => Promise<LiveEvent[]>): void {
    const job: Promise<void> = work().then(
      (events) => {
        for (const event of events) this.bus.publish(event);
      },
      (err: unknown) => {
        this.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, `live news: ${what} could not be read`);
      },
    );
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  /** Integrity alerts a batch (or a refused batch, or the quarantine) stored for a terminal. */
  integrityAlerts(terminalId: string, alerts: Pick<Alert, 'epoch' | 'seqFrom' | 'kind'>[]): void {
    if (alerts.length === 0) return;
    this.later('integrity alerts', () => integrityEventsOf(this.db, terminalId, alerts));
  }

  /** Waits for the news still being read, so the database can close under none. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
