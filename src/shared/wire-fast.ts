/**
 * A fast acceptance check compiled from a contract schema, for the centre's hot path: it
 * only ever says "certainly valid", and anything it is unsure of goes to zod, which gives
 * the sentence. It understands the few schema parts the wire contract uses; any other
 * part makes it decline (return null), never guess.
 */
import type { z } from 'zod';

type Accept = (value: unknown) => boolean;

interface Def {
  type: string;
  format?: string;
  check?: string;
  checks?: { _zod: { def: Def } }[];
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  entries?: Record<string, string>;
  values?: unknown[];
  maximum?: number;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
  pattern?: RegExp;
}

function checksOf(def: Def): Def[] {
  return (def.checks ?? []).map((c) => c._zod.def);
}

function lengthTest(checks: Def[]): ((n: number) => boolean) | null {
  let min = 0;
  let max = Infinity;
  for (const c of checks) {
    if (c.check === 'max_length') max = Math.min(max, c.maximum!);
    else if (c.check === 'min_length') min = Math.max(min, c.minimum!);
    else return null;
  }
  return (n) => n >= min && n <= max;
}

function compile(def: Def): Accept | null {
  switch (def.type) {
    case 'string': {
      const checks = checksOf(def);
      const patterns = checks.filter((c) => c.check === 'string_format' && c.format === 'regex').map((c) => c.pattern!);
      const length = lengthTest(checks.filter((c) => !(c.check === 'string_format' && c.format === 'regex')));
      if (!length) return null;
      return (v) => typeof v === 'string' && length(v.length) && patterns.every((p) => p.test(v));
    }
    case 'number': {
      let safeint = def.format === 'safeint';
      let min = -Infinity;
      let max = Infinity;
      for (const c of checksOf(def)) {
        if (c.check === 'number_format' && c.format === 'safeint') safeint = true;
        else if (c.check === 'greater_than' && c.inclusive) min = Math.max(min, c.value!);
        else if (c.check === 'less_than' && c.inclusive) max = Math.min(max, c.value!);
        else return null;
      }
      if (!safeint) return null;
      return (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
    }
    case 'boolean':
      return checksOf(def).length === 0 ? (v) => typeof v === 'boolean' : null;
    case 'enum': {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => typeof v === 'string' && allowed.has(v);
    }
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType!._zod.def);
      return inner ? (v) => v === null || inner(v) : null;
    }
    case 'optional': {
      const inner = compile(def.innerType!._zod.def);
      return inner ? (v) => v === undefined || inner(v) : null;
    }
    case 'array': {
      const element = compile(def.element!._zod.def);
      const length = lengthTest(checksOf(def));
      if (!element || !length) return null;
      return (v) => Array.isArray(v) && length(v.length) && v.every(element);
    }
    case 'object': {
      if (checksOf(def).length > 0) return null;
      const fields: [string, Accept][] = [];
      for (const [key, schema] of Object.entries(def.shape!)) {
        const accept = compile(schema._zod.def);
        if (!accept) return null;
        fields.push([key, accept]);
      }
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        const o = v as Record<string, unknown>;
        for (const [key, accept] of fields) if (!accept(o[key])) return false;
        return true;
      };
    }
    default:
      return null;
  }
}

/** A predicate that is true only for values the schema accepts unchanged, or null when the schema is beyond it. */
export function compileAccept(schema: z.ZodType): Accept | null {
  return compile((schema as unknown as { _zod: { def: Def } })._zod.def);
}
