/**
 * Test child (journal-inbox.test.ts): opens the database file given as argument, appends the webhook bodies
 * read from stdin (one JSON `NewInboxEntry` a line) through the durable inbox, prints `acked <n>` once they are
 * all acknowledged, then hangs until killed — a server killed after acknowledging events it had only journaled.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../platform/db/database.js';
import type { NewInboxEntry } from '../ports.js';
import { createDurableInbox } from './journal-inbox.js';
import { createGroupCommitInbox } from './kysely-inbox-repository.js';

const file = process.argv[2];
if (!file) {
  throw new Error('usage: journal-and-hang.child.ts <database file>');
}
const database = openDatabase({ dialect: 'sqlite', file }, { checkpointMs: 0 });
const inbox = createDurableInbox(createGroupCommitInbox(database), database);
const entries: NewInboxEntry[] = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== '') {
    entries.push(JSON.parse(line) as NewInboxEntry);
  }
}
await Promise.all(entries.map((entry) => inbox.append(entry)));
process.stdout.write(`acked ${entries.length} journaled ${inbox.journaled()}\n`);
setInterval(() => {}, 60_000);
