/**
 * Personal data at the centre (docs/data-protection.md): at the first start after the
 * upgrade, phones an earlier version stored in clear are sealed; then, at start and every hour on the centre's clock,
 * the phones of follow-up records closed longer ago than the retention setting are erased.
 */
import type { FastifyInstance } from 'fastify';
import { redact } from '../../../src/shared/privacy';
import { sweepAppointmentPhones } from '../appointments/retention';
import { sweepSuggestionPhones } from '../suggestions/retention';
import type { CentreDb } from '../db/sql';
import type { ResolvedOptions } from '../options';
import { loadSettings } from '../settings';
import { sweepClosedPhones } from './erase';
import { registerPrivacyRoutes } from './routes';
import { sealLegacyPhones } from './seal';

export interface PrivacyService {
  /** Seals what is in clear, then erases what is due; returns how many follow-up records were swept. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

export function createPrivacy(app: FastifyInstance, deps: { db: CentreDb; options: ResolvedOptions; sweepMs?: number }): PrivacyService {
  const { db, options } = deps;
  registerPrivacyRoutes(app, { db, options });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  const sweep = (): Promise<number> => {
    running ??= (async () => {
      try {
        await sealLegacyPhones(db, options.now());
        const settings = await loadSettings(db);
        const swept = await sweepClosedPhones(db, options.now(), settings.privacy.phoneRetentionDays);
        await sweepAppointmentPhones(db, options.now(), settings.privacy.phoneRetentionDays, settings.utcOffset);
        await sweepSuggestionPhones(db, options.now(), settings.privacy.phoneRetentionDays);
        return swept;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const quietly = () => {
    sweep().catch((err: unknown) => app.log.error(`the phone retention sweep failed: ${redact(err instanceof Error ? err.message : String(err))}`));
  };
  return {
    sweep,
    start() {
      quietly();
      timer = setInterval(quietly, deps.sweepMs ?? HOUR);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
