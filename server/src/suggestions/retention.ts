/**
 * A suggestion's reply phone is kept as long as a callback phone is: the retention days after
 * the suggestion was closed, it goes from the suggestion and from the window's record it came
 * in (masked, sealed and keyed hash alike); the suggestion and its answer stay.
 */
import type { Sql } from '../db/sql';

/** Erases the phones of suggestions closed more than `days` days before `now`; returns how many. */
export async function sweepSuggestionPhones(db: Sql, now: number, days: number): Promise<number> {
  const swept = await db.query<{ source_key: string }>(
    `UPDATE suggestions SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL
     WHERE status = 'closed' AND closed_at < $1 AND phone_sealed IS NOT NULL RETURNING source_key`,
    [now - days * 86_400_000],
  );
  if (swept.length > 0) {
    await db.query(
      `UPDATE records r SET phone_masked = NULL, phone_sealed = NULL, phone_key = NULL
       WHERE r.kind = 'suggestion' AND r.phone_sealed IS NOT NULL
         AND 'kiosk:' || r.terminal_id || ':' || (r.payload->>'suggestionId') IN (SELECT value FROM json_array_elements_text($1::json))`,
      [JSON.stringify(swept.map((s) => s.source_key))],
    );
  }
  return swept.length;
}
