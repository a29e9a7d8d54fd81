/**
 * One error path for every route: a Refusal becomes its status and JSON body; framework
 * errors (body too large, wrong media type) become the matching refusal; anything else is
 * a 500. Every refusal is logged with its code and reason, never with the body (phone
 * numbers live in bodies), and messages pass through redact() all the same.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redact } from '../../../src/shared/privacy';
import { Refusal, tooLarge } from '../errors';

function toRefusal(err: FastifyError | Error, url: string | undefined): Refusal | null {
  if (err instanceof Refusal) return err;
  const e = err as FastifyError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge(url, 'the body is larger than this endpoint takes');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Refusal(415, 'unsupported-media-type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Refusal(400, 'body-not-json', 'the body is empty');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new Refusal(e.statusCode, 'invalid-request', e.message);
  }
  return null;
}

export function sendRefusal(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): FastifyReply {
  request.log.warn({ refusal: refusal.code, status: refusal.status, terminal: request.terminalId ?? null, url: request.routeOptions.url ?? request.url }, redact(refusal.message));
  return reply.code(refusal.status).headers(refusal.headers).send(refusal.body());
}

export function registerRefusals(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const refusal = toRefusal(err, request.routeOptions.url);
    if (refusal) return sendRefusal(request, reply, refusal);
    request.log.error({ err: { message: redact(err.message), code: (err as FastifyError).code } }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'the centre could not complete this request; try again, and tell IT if it keeps happening' } });
  });
  app.setNotFoundHandler((request, reply) => sendRefusal(request, reply, new Refusal(404, 'not-found', `there is no ${request.method} ${request.url.split('?')[0]}`)));
}

/**
 * Fastify's own answers before any route is found (an address that does not decode, a part
 * of it longer than the router takes): the same refusal shape as every other, and never the
 * address echoed back. Passed to Fastify as `frameworkErrors`.
 */
export function refuseFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let refusal: Refusal;
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    refusal = new Refusal(414, 'invalid-request', 'a part of this address is longer than any name the centre keeps; check the address, or reload the page');
  } else if (err.code === 'FST_ERR_BAD_URL') {
    refusal = new Refusal(400, 'invalid-request', 'this address does not decode (a % must be followed by two hexadecimal digits); check the address, or reload the page');
  } else {
    request.log.error({ err: { message: redact(err.message), code: err.code } }, 'request failed before routing');
    void reply.code(500).send({ error: { code: 'internal', message: 'the centre could not complete this request; try again, and tell IT if it keeps happening' } });
    return;
  }
  void sendRefusal(request, reply, refusal);
}
