/**
 * What the follow-up tells open consoles, after the transaction commits: a poor rating that
 * opened a record, and a record that moved on or whose reasons arrived.
 */
import type { CentreBus } from '../live/bus';
import type { IngestResult } from '../ingest/store';

export function publishIngestNews(bus: CentreBus, results: readonly Pick<IngestResult, 'opened' | 'detailed'>[], at: number): void {
  for (const result of results) {
    for (const o of result.opened) bus.publish({ type: 'poor_rating', ...o });
    for (const d of result.detailed) bus.publish({ type: 'follow_up', followUpId: d.followUpId, state: d.state, departmentCode: d.departmentCode, at });
  }
}

export function publishFollowUpChange(bus: CentreBus, change: { followUpId: number; state: string; departmentCode: string | null }, at: number): void {
  bus.publish({ type: 'follow_up', ...change, at });
}
