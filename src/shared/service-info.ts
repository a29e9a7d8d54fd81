/**
 * What a citizen should know about a service item before and while it is handled (办事公开,
 * standard 10.7): the materials to bring, the promised time, the fees and where to ask. The
 * centre keeps it per item and sends it to the windows with their config; the citizen screen
 * shows it while a case of that item is open. Every part is optional, so items of a centre
 * that never filled it in still work.
 */
import { z } from 'zod';

/** 原件 or 复印件. */
export const MATERIAL_FORMS = ['original', 'copy'] as const;
export type MaterialForm = (typeof MATERIAL_FORMS)[number];

export const MATERIALS_MAX = 40;
export const WORKING_DAYS_MAX = 365;

// One line each: a window sends a material's name back in its 一次告知 record, and refuses control characters there.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;
const oneLine = (what: string) => `${what} holds a control character (a tab, a line break or the like); keep it to one line of plain text`;
const line = (max: number, what: string) =>
  z
    .string({ error: `${what} is text` })
    .trim()
    .min(1, `${what} is needed`)
    .max(max, `${what} has at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), oneLine(what));
const optionalLine = (max: number, what: string) =>
  z
    .string({ error: `${what} is text` })
    .trim()
    .max(max, `${what} has at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), oneLine(what))
    .nullish()
    .transform((v) => (v ? v : null));

export const Material = z
  .object({
    name: line(100, 'a material name'),
    form: z.enum(MATERIAL_FORMS, { error: 'a material is either an original or a copy (form "original" or "copy")' }),
    count: z
      .number({ error: 'the count of a material is a whole number from 1 to 99' })
      .int('the count of a material is a whole number from 1 to 99')
      .min(1, 'the count of a material is a whole number from 1 to 99')
      .max(99, 'the count of a material is a whole number from 1 to 99')
      .default(1),
    notes: optionalLine(200, 'a material note'),
  })
  .strict();
export type Material = z.infer<typeof Material>;

/** 即办 (on the spot), or 承诺 N working days. */
export const PromisedTime = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('on_the_spot') }).strict(),
    z
      .object({
        kind: z.literal('working_days'),
        days: z
          .number({ error: `the promised time is a whole number of working days from 1 to ${WORKING_DAYS_MAX}` })
          .int(`the promised time is a whole number of working days from 1 to ${WORKING_DAYS_MAX}`)
          .min(1, `the promised time is a whole number of working days from 1 to ${WORKING_DAYS_MAX}`)
          .max(WORKING_DAYS_MAX, `the promised time is a whole number of working days from 1 to ${WORKING_DAYS_MAX}`),
      })
      .strict(),
  ],
  { error: 'the promised time is either { kind: "on_the_spot" } or { kind: "working_days", days: N }' },
);
export type PromisedTime = z.infer<typeof PromisedTime>;

export const ServiceInfo = z
  .object({
    materials: z.array(Material).max(MATERIALS_MAX, `an item lists at most ${MATERIALS_MAX} materials`).default([]),
    promisedTime: PromisedTime.nullish().transform((v) => v ?? null),
    fees: optionalLine(200, 'the fees'),
    whereToAsk: optionalLine(200, 'where to ask'),
  })
  .strict();
export type ServiceInfo = z.infer<typeof ServiceInfo>;

/** True when there is nothing to show: kept as no service information at all. */
export function isEmptyServiceInfo(info: ServiceInfo): boolean {
  return info.materials.length === 0 && info.promisedTime === null && info.fees === null && info.whereToAsk === null;
}

/** The form a config or a body carries: an object, or null/absent for none. Empty is stored as none. */
export const OptionalServiceInfo = ServiceInfo.nullish().transform((v) => (v && !isEmptyServiceInfo(v) ? v : null));

/**
 * Control characters in received text, each run made one space: information saved at a centre
 * before it refused them (a tab pasted into a material's name) still reaches the citizen, and
 * a material's name the window sends back in a 一次告知 record is one line.
 */
function withoutControls(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CONTROL_RUNS, ' ').trim();
  if (Array.isArray(value)) return value.map(withoutControls);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutControls(v)]));
  return value;
}
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RUNS = /[\u0000-\u001F\u007F]+/g;

/**
 * As a window reads it from the centre's config: parts it does not know are dropped, control
 * characters become spaces, and information it cannot read counts as none, so a newer centre
 * never stops a window taking the rest of its config.
 */
export const ReceivedServiceInfo = z.preprocess(
  withoutControls,
  z
    .object({
      materials: z.array(Material.strip()).max(MATERIALS_MAX).default([]),
      promisedTime: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('on_the_spot') }), z.object({ kind: z.literal('working_days'), days: z.number().int().min(1).max(WORKING_DAYS_MAX) })])
        .nullish()
        .transform((v) => v ?? null),
      fees: z.string().max(200).nullish().transform((v) => v || null),
      whereToAsk: z.string().max(200).nullish().transform((v) => v || null),
    })
    .nullish()
    .catch(null)
    .transform((v): ServiceInfo | null => (v && !isEmptyServiceInfo(v) ? v : null)),
);
