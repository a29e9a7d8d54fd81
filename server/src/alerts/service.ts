/**
 * The alert rules at work beside the centre: after each committed upload it checks the
 * burst rule for the windows that got poor ratings; every minute (and at start) it sweeps
 * the deadlines on the centre's clock; each alert raised is stored, queued to the webhooks
 * and published on the bus. Integrity alerts heard on the bus are queued to the webhooks
 * that take them. Nothing here runs inside an upload's request: a slow database query or a
 * dead webhook never holds an upload back.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { LiveEvent, RuleAlert } from '../../../src/shared/console/live-contract';
import { redact } from '../../../src/shared/privacy';
import type { Sql } from '../db/sql';
import type { CentreBus } from '../live/bus';
import { burstCandidates, type PoorRating } from './burst';
import { deadlineCandidates } from './deadlines';
import type { WebhookDeliverer } from './deliver';
import { queueDeliveries, raiseAlerts } from './raise';
import { loadAlertRules } from './rules';

export const SWEEP_EVERY_MS = 60_000;

export function ruleAlertEvent(a: RuleAlert): LiveEvent {
  return { type: 'rule_alert', alertId: a.id, rule: a.rule, departmentCode: a.departmentCode, windowNo: a.windowNo, followUpId: a.followUpId, detail: a.detail, raisedAt: a.raisedAt };
}

export class AlertService {
  private readonly pending = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<RuleAlert[]> | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;

  constructor(
    private readonly db: Sql,
    private readonly bus: CentreBus,
    private readonly now: () => number,
    readonly deliverer: WebhookDeliverer,
    private readonly log: FastifyBaseLogger,
    private readonly sweepEveryMs = SWEEP_EVERY_MS,
  ) {}

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.type === 'integrity_alert') this.track('queue an integrity alert', this.queueIntegrity(event));
    });
    this.deliverer.start();
    this.track('sweep the deadlines', this.sweep());
    this.sweepTimer = setInterval(() => this.track('sweep the deadlines', this.sweep()), this.sweepEveryMs);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.unsubscribe?.();
    await this.idle();
    await this.deliverer.stop();
  }

  /** Resolves once the checks already started have finished (tests, and an orderly stop). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** After a committed upload: the poor ratings it brought, for the burst rule. */
  afterIngest(poor: PoorRating[]): void {
    if (poor.length === 0 || this.stopped) return;
    this.track('check the burst rule', this.checkBursts(poor));
  }

  async checkBursts(poor: PoorRating[]): Promise<RuleAlert[]> {
    const rules = await loadAlertRules(this.db);
    const raised = await this.db.transaction(async (tx) => raiseAlerts(tx, await burstCandidates(tx, rules.poorBurst, poor), this.now()));
    this.announce(raised);
    return raised;
  }

  /** One sweep of the deadline rules; a sweep asked for while one runs shares it. */
  sweep(): Promise<RuleAlert[]> {
    this.sweeping ??= (async () => {
      try {
        const rules = await loadAlertRules(this.db);
        const now = this.now();
        const raised = await this.db.transaction(async (tx) => raiseAlerts(tx, await deadlineCandidates(tx, rules, now), now));
        this.announce(raised);
        return raised;
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  private announce(raised: RuleAlert[]): void {
    if (raised.length === 0) return;
    for (const alert of raised) this.bus.publish(ruleAlertEvent(alert));
    this.deliverer.kick();
  }

  private async queueIntegrity(event: Extract<LiveEvent, { type: 'integrity_alert' }>): Promise<void> {
    const alert = { id: event.alertId, terminalId: event.terminalId, windowNo: event.windowNo, kind: event.kind, detectedAt: event.detectedAt };
    const queued = await queueDeliveries(this.db, 'integrity', [{ id: event.alertId, event: 'integrity_alert', body: JSON.stringify(alert) }], this.now());
    if (queued > 0) this.deliverer.kick();
  }

  private track(what: string, work: Promise<unknown>): void {
    const job = work.catch((err: unknown) => {
      this.log.warn({ err: { message: redact(err instanceof Error ? err.message : String(err)) } }, `alert rules: could not ${what}; the next upload or sweep tries again`);
    });
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }
}
