/**
 * `zadarma webhook-signature`: the `Signature` header Zadarma sends for a notification (docs/zadarma-protocol.md §5.4),
 * to test a receiver by hand (`curl -H "Signature: …"`) or to check a logged request.
 */
import { parseArgs } from 'node:util';
import { decodeUrlEncoded, foldFields, phpArrayToObject } from '../form-decode.js';
import { isSignedEventName, SIGNED_FIELDS, webhookSignature } from '../webhook-signature.js';
import { type CliIo, CliUsageError, parseKeyValue, resolveSecret, runCommand } from './sign.js';

const WEBHOOK_SIGNATURE_HELP = `Usage: zadarma webhook-signature [--secret <secret>] (--field key=value... | --body <urlencoded>)

Prints the Signature header value Zadarma sends with a notification. The "event" field decides which
fields are signed (missing ones count as empty):
${Object.entries(SIGNED_FIELDS)
  .map(([event, fields]) => `  ${event.padEnd(19)} ${fields.join(' . ')}`)
  .join('\n')}

Options:
  --secret <secret>     API secret; defaults to $ZADARMA_SECRET
  --field key=value     one notification field, repeatable (raw decoded value, e.g. call_start=2024-05-14 10:15:30)
  --body <urlencoded>   the whole form body instead, e.g. 'event=NOTIFY_RECORD&pbx_call_id=…'
  -h, --help            show this help

Example:
  zadarma webhook-signature --field event=NOTIFY_START --field caller_id=442037691880 \\
    --field called_did=442037691999 --field "call_start=2024-05-14 10:15:30"
`;

/** `zadarma webhook-signature …`; returns the exit code. */
export function runWebhookSignature(argv: readonly string[], io: CliIo): number {
  return runCommand(io, WEBHOOK_SIGNATURE_HELP, () => {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        secret: { type: 'string' },
        field: { type: 'string', multiple: true },
        body: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout.write(WEBHOOK_SIGNATURE_HELP);
      return;
    }
    if (values.body !== undefined && values.field !== undefined) {
      throw new CliUsageError('give either --field options or --body, not both');
    }
    const secret = resolveSecret(values.secret, io);
    const array =
      values.body !== undefined
        ? decodeUrlEncoded(values.body)
        : foldFields((values.field ?? []).map((f) => parseKeyValue(f, '--field')));
    const fields = phpArrayToObject(array);
    const event = fields.event;
    if (typeof event !== 'string' || event === '') {
      throw new CliUsageError('an "event" field is required (it decides which fields are signed)');
    }
    if (!isSignedEventName(event)) {
      throw new CliUsageError(`event "${event}" is unknown; known: ${Object.keys(SIGNED_FIELDS).join(', ')}`);
    }
    io.stdout.write(`${webhookSignature(fields, secret)}\n`);
  });
}
