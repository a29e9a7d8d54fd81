/** POST /v1/admin/backup: a consistent snapshot of the embedded database while the centre runs (cli/backup.ts). */
import type { FastifyInstance } from 'fastify';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import type { Auth } from '../http/auth';
import { BACKUP_ROUTE } from './backup';

export function registerBackupRoute(app: FastifyInstance, deps: { db: CentreDb; auth: Auth }): void {
  app.post(BACKUP_ROUTE, { onRequest: deps.auth.userHook('admin') }, async (_request, reply) => {
    if (!deps.db.snapshot) {
      throw new Refusal(409, 'wrong-state', 'this centre runs on a PostgreSQL server: back it up with pg_dump (docs/data-protection.md)');
    }
    const bytes = await deps.db.snapshot();
    return reply.type('application/gzip').header('content-disposition', 'attachment; filename="centre-backup.tar.gz"').send(bytes);
  });
}
