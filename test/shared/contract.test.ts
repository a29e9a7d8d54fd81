import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/shared/contract';
import { maskPhone, redact } from '../../src/shared/privacy';
import { canonicalJson } from '../../src/shared/canonical-json';

describe('kiosk API contract', () => {
  it('accepts a well-formed command', () => {
    const r = parseCommand({ type: 'openCase', itemCode: '340104-SJ-001', ticketNo: 'A012' });
    expect(r.ok).toBe(true);
  });

  it('names the unknown command', () => {
    const r = parseCommand({ type: 'setRating', level: 'very_satisfied' });
    expect(r).toEqual({ ok: false, error: { code: 'invalid_command', message: 'unknown command "setRating"' } });
  });

  it('says which field is wrong', () => {
    const r = parseCommand({ type: 'signInPin', staffNo: '1001', pin: '12a4' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('signInPin: pin: PIN is 4 to 12 digits');
  });

  it('refuses extra fields, so nothing unvalidated crosses the boundary', () => {
    expect(parseCommand({ type: 'signOut', staffNo: '1001' }).ok).toBe(false);
  });

  it('requires the missing materials for 一次告知', () => {
    const r = parseCommand({ type: 'finishCase', outcome: 'notified_missing' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('一次告知 needs the list of missing materials');
    expect(parseCommand({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['营业执照副本'] }).ok).toBe(true);
  });

  it('requires consent before a callback number is taken', () => {
    const base = { type: 'addRatingDetails', ratingId: '6f1c2b9e-2a51-4c1e-9a77-0b6f3f1d2e11', reasonCodes: ['R01'] };
    expect(parseCommand({ ...base, callbackPhone: '13812345678' }).ok).toBe(false);
    expect(parseCommand({ ...base, callbackPhone: '13812345678', callbackConsent: true }).ok).toBe(true);
  });

  it('refuses non-objects', () => {
    for (const bad of [null, 42, 'signOut', []]) expect(parseCommand(bad).ok).toBe(false);
  });
});

describe('privacy', () => {
  it('masks phone numbers for display', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0551-62345678')).toBe('055****5678');
  });

  it('redacts phone and ID numbers in free text', () => {
    expect(redact('callback 13812345678 for 340104199001011234')).toBe('callback 138****5678 for 340***********1234');
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});
