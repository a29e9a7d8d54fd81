/** The 考勤 page's call to the centre, its query built with the contract's schema. */
import { PUNCTUALITY_ROUTES, PunctualityQuery, type PunctualityReport } from '../../../../../src/shared/console/contract';
import { build, call } from '../../api';

export const punctualityApi = {
  report: async (query: { from: string; to: string; department?: string }) =>
    call<PunctualityReport>('GET', PUNCTUALITY_ROUTES.punctuality, { query: build(PunctualityQuery, query) }),
};
