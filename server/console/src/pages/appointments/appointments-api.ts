/** The 预约登记 page's calls to the centre, each built with the contract's schema. */
import {
  APPOINTMENT_ROUTES,
  AppointmentMarkBody,
  AppointmentOpinionBody,
  AppointmentQuery,
  NewAppointmentBody,
  type AppointmentChoices,
  type AppointmentList,
  type AppointmentRow,
} from '../../../../../src/shared/console/appointments-contract';
import { CONSOLE_API } from '../../../../../src/shared/console/contract';
import type { z } from 'zod';
import { build, call } from '../../api';
import { checkingPhone } from '../../refusals/registers';

export const appointmentsApi = {
  list: async (query: z.input<typeof AppointmentQuery>) => call<AppointmentList>('GET', APPOINTMENT_ROUTES.appointments, { query: build(AppointmentQuery, query) }),
  choices: async () => call<AppointmentChoices>('GET', APPOINTMENT_ROUTES.appointmentChoices),
  create: async (body: z.input<typeof NewAppointmentBody>) => call<AppointmentRow>('POST', APPOINTMENT_ROUTES.appointments, { body: checkingPhone('appointments.phone_invalid', () => build(NewAppointmentBody, body)) }),
  opinion: async (id: number, opinion: string) =>
    call<AppointmentRow>('PUT', APPOINTMENT_ROUTES.appointmentOpinion.replace(':id', String(id)), { body: build(AppointmentOpinionBody, { opinion }) }),
  mark: async (id: number, body: z.input<typeof AppointmentMarkBody>) =>
    call<AppointmentRow>('POST', APPOINTMENT_ROUTES.appointmentMark.replace(':id', String(id)), { body: build(AppointmentMarkBody, body) }),
  /** The CSV is a plain GET the browser downloads with the session cookie. */
  csvHref: (query: z.input<typeof AppointmentQuery>) => {
    const q = build(AppointmentQuery, query);
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return `${CONSOLE_API}${APPOINTMENT_ROUTES.appointmentsCsv}?${params.toString()}`;
  },
};
