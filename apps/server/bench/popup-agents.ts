/**
 * What the popup benches share: agents seeded with an extension and a session each, their SSE streams, and
 * signed webhooks posted over a keep-alive agent (telephony-ingest.bench.ts (b), popup-duel.bench.ts). The
 * seeding takes the tree's own functions: the duel seeds another checkout's server with that checkout's modules.
 */
import { type Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { webhookSignature } from '@switchboard/zadarma';
import type { Kysely } from 'kysely';
import type { Database } from '../src/platform/db/schema.js';
import { insertTestUser } from '../src/test-support/insert-user.js';

export interface BenchAgent {
  readonly id: string;
  readonly extension: string;
  /** The session's cookies, as the browser sends them. */
  readonly cookie: string;
}

/** The functions seeding needs, from the tree whose server it seeds. */
export interface AgentSeeding {
  readonly assign: (extension: string, userId: string) => Promise<unknown>;
  readonly createSession: (
    db: Kysely<Database>,
    userId: string,
    now: Date,
  ) => Promise<{ readonly token: string; readonly csrfToken: string }>;
}

/** `count` agents: the first on extension 101, the others on 1001, 1002…, each signed in. */
export async function seedAgents(
  db: Kysely<Database>,
  count: number,
  seeding: AgentSeeding,
): Promise<BenchAgent[]> {
  const agents: BenchAgent[] = [];
  for (let i = 0; i < count; i++) {
    const id = await insertTestUser(db, `Agent ${i}`);
    const extension = String(i === 0 ? 101 : 1000 + i);
    await seeding.assign(extension, id);
    const session = await seeding.createSession(db, id, new Date());
    agents.push({ id, extension, cookie: `sb_session=${session.token}; sb_csrf=${session.csrfToken}` });
  }
  return agents;
}

/** Opens an agent's event stream; `onFrame` gets each frame's event and data. Resolves with its closer. */
export function openSse(
  base: string,
  cookie: string,
  onFrame: (event: string, data: string) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/events`, { headers: { cookie, accept: 'text/event-stream' } });
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE ${res.statusCode}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) {
            onFrame(event, data);
          }
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', reject);
    req.end();
  });
}

/** Posts `fields` to `/zadarma` as Zadarma does (form body, signed with `secret`); resolves with the status. */
export function postWebhook(
  base: string,
  fields: Record<string, string>,
  secret: string,
  agent: Agent,
): Promise<number> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/zadarma`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        signature: webhookSignature(fields, secret),
      },
      agent,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
