/**
 * Test child (refused-call-crash.test.ts): the webhook path of a server over the DATA_DIR given as argument,
 * which answers the one signed notification read from stdin (`{"body","signature"}`), prints the reply, and
 * then hangs until killed without processing it — a server killed between its reply and processing.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../platform/config/config.js';
import { createSecretBox } from '../../platform/crypto/secret-box.js';
import { openDatabase } from '../../platform/db/database.js';
import { createInProcessEventBus } from '../../platform/events/in-process-event-bus.js';
import { processScopedId } from '../../platform/instances/process-identity.js';
import { createTelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import { createTelephonyAdapters } from './telephony-module.js';
import { createIngest } from './use-cases/receive-webhook.js';
import { createWebhookPorts } from './webhook-ports.js';

const dataDir = process.argv[2];
const secretKey = process.argv[3];
if (!dataDir || !secretKey) {
  throw new Error('usage: refuse-and-die.child.ts <data dir> <secret key>');
}
const config = loadConfig({ DATA_DIR: dataDir, DEMO: '0', SECRET_KEY: secretKey, LOG_LEVEL: 'silent' });
if (config.database.dialect !== 'sqlite') {
  throw new Error('refuse-and-die.child.ts runs on SQLite');
}
const database = openDatabase({ dialect: 'sqlite', file: config.database.file });
const bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
const runtime = createTelephonyRuntime({
  db: database.db,
  box: createSecretBox(secretKey),
  config,
  instanceId: processScopedId(),
});
// A generous budget: this child answers its very first request cold (statements prepared, settings read), which on
// a loaded machine can outlast the 300 ms of production and turn the refusal into `{}`. The budget has its own tests
// (webhook-routes.test.ts); what this child shows is that a refusal given is a refusal kept.
const ingest = createIngest(createWebhookPorts(createTelephonyAdapters({ database, runtime, bus })), {
  startBudgetMs: 10_000,
});
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') {
    continue;
  }
  const { body, signature } = JSON.parse(line) as { body: string; signature: string };
  const outcome = await ingest.handle({
    method: 'POST',
    query: '',
    headers: { signature },
    body: Buffer.from(body),
    contentType: 'application/x-www-form-urlencoded',
    remoteAddress: '185.45.152.42',
  });
  // The reply has left; `outcome.after` (processing) is never called: the kill comes first.
  process.stdout.write(
    `${JSON.stringify(outcome.kind === 'accepted' ? { reply: outcome.reply } : outcome)}\n`,
  );
  break;
}
setInterval(() => {}, 60_000);
