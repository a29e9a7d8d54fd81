/**
 * A window reading service information from a centre's config: parts it does not know are
 * dropped, information it cannot read counts as none, and the rest of the config is taken.
 */
import { describe, expect, it } from 'vitest';
import { CentreConfig } from '../../src/core/sync/config-pull';

const config = (serviceInfo: unknown) => ({
  window: { windowNo: '1', departmentCode: null, departmentName: null, areaCode: null, closingTime: null, rating: { windowSeconds: 15, detailsSeconds: 60 } },
  ratingPolicy: { defaultRating: null },
  staff: [],
  items: [{ itemCode: 'A', itemVersion: '1', name: '事项', departmentCode: null, departmentName: null, serviceInfo }],
  reasons: [],
});

describe('service information as a window receives it', () => {
  it('drops parts it does not know and keeps the rest', () => {
    const parsed = CentreConfig.parse(config({ materials: [{ name: '身份证', form: 'original', count: 1, notes: null, scanned: true }], promisedTime: { kind: 'on_the_spot' }, fees: null, whereToAsk: null, qrCode: 'x' }));
    expect(parsed.items[0]?.serviceInfo).toEqual({ materials: [{ name: '身份证', form: 'original', count: 1, notes: null }], promisedTime: { kind: 'on_the_spot' }, fees: null, whereToAsk: null });
  });

  it('takes the config with no information for an item whose information it cannot read', () => {
    for (const unreadable of [{ promisedTime: { kind: 'hours', hours: 4 } }, { materials: 'ID card' }, 'text', { materials: [{ name: '身份证', form: 'scan' }] }]) {
      const parsed = CentreConfig.safeParse(config(unreadable));
      expect(parsed.success).toBe(true);
      expect(parsed.data?.items[0]).toMatchObject({ itemCode: 'A', name: '事项', serviceInfo: null });
    }
  });

  it('shows information saved before control characters were refused, with each run of them made a space', () => {
    const parsed = CentreConfig.parse(
      config({ materials: [{ name: '身份证\t原件', form: 'original', count: 1, notes: '正反面\r\n复印' }], promisedTime: null, fees: '免费\u0007', whereToAsk: '一楼\n咨询台' }),
    );
    expect(parsed.items[0]?.serviceInfo).toEqual({ materials: [{ name: '身份证 原件', form: 'original', count: 1, notes: '正反面 复印' }], promisedTime: null, fees: '免费', whereToAsk: '一楼 咨询台' });
  });

  it('counts information with nothing in it as none', () => {
    expect(CentreConfig.parse(config({ materials: [], fees: '' })).items[0]?.serviceInfo).toBeNull();
    expect(CentreConfig.parse(config(undefined)).items[0]?.serviceInfo).toBeNull();
  });
});
