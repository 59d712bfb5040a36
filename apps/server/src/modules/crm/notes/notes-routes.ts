/** `POST /api/notes {subjectType, subjectId, body}`: notes appear on the record's timeline. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { addNote, Note, NoteCreate } from './add-note.js';

/** Registers the note routes. Why: one plugin per area. */
export async function noteRoutes(app: FastifyInstance, options: { database: DatabaseHandle }): Promise<void> {
  const { db } = options.database;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/notes',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['notes'],
        summary: 'Add a note to a record',
        body: NoteCreate,
        response: { 201: Note },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addNote({ db, actor: actorOf(request), input: request.body })),
  );
}
