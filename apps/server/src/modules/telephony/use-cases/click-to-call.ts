/**
 * Click-to-call (docs/zadarma-protocol.md §4.2): `/v1/request/callback/` from the user's extension to the client's number —
 * the agent's phone rings first, then the client. Never retried (a retry would ring twice). The request is
 * remembered so the callback legs' NOTIFY_OUT_* reach the user as `callback.status` and the call is linked.
 */

import { AppError } from '../../../platform/errors/errors.js';
import { newId } from '../../../platform/ids.js';
import { findContactByPhone } from '../../crm/contacts/find-contact-by-phone.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import { callZadarma } from '../adapters/zadarma/zadarma-errors.js';
import type { TelephonyServices } from '../telephony-services.js';

export interface ClickToCallInput {
  readonly userId: string;
  readonly phone: string;
  readonly contactId?: string | undefined;
  readonly confirmDoNotCall?: boolean | undefined;
}

export interface ClickToCallResult {
  readonly requestId: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Places the callback or throws the contract's error (no extension, do-not-call, not configured, Zadarma's).
 * Why: every phone number in the app is a call button.
 */
export async function clickToCall(
  services: TelephonyServices,
  input: ClickToCallInput,
): Promise<ClickToCallResult> {
  const extension = await services.assignments.findExtension(input.userId);
  if (!extension) {
    throw new AppError(
      'SB_ERR_NO_EXTENSION',
      'you have no PBX extension: ask an administrator to assign one in the telephony settings',
    );
  }
  const country = await services.defaultCountry();
  const to = normalizePhone(input.phone, country);
  if (!to) {
    throw new AppError('SB_ERR_VALIDATION', `"${input.phone}" is not a valid phone number`, [
      { path: 'phone', message: 'not a valid phone number' },
    ]);
  }
  let contact: { id: string; doNotCall: boolean; name: string } | null = null;
  if (input.contactId) {
    const row = await services.db
      .selectFrom('contacts')
      .select(['id', 'display_name', 'do_not_call'])
      .where('id', '=', input.contactId)
      .executeTakeFirst();
    if (!row) {
      throw new AppError('SB_ERR_NOT_FOUND', `no contact ${input.contactId}`);
    }
    contact = { id: row.id, doNotCall: row.do_not_call === 1, name: row.display_name };
  } else {
    const match = await findContactByPhone(services.database, to, country);
    contact = match ? { id: match.id, doNotCall: match.doNotCall, name: match.displayName } : null;
  }
  if (contact?.doNotCall && !input.confirmDoNotCall) {
    throw new AppError(
      'SB_ERR_DO_NOT_CALL',
      `${contact.name} is marked "do not call": confirm to call anyway (confirmDoNotCall)`,
    );
  }
  const client = await services.runtime.client();
  if (!client) {
    throw new AppError(
      'SB_ERR_TELEPHONY_NOT_CONFIGURED',
      'telephony is not configured: an administrator must enter the Zadarma key and secret',
    );
  }
  const settings = await services.runtime.settings();
  const requestId = newId();
  const at = new Date().toISOString();
  // Remember first: the first leg's notification can arrive before Zadarma's answer does.
  await services.callbacks.remember({
    requestId,
    userId: input.userId,
    extension,
    to,
    contactId: contact?.id ?? null,
    at,
  });
  await callZadarma(() =>
    client.requestCallback({
      from: extension,
      to,
      sip: extension,
      ...(settings.predictedCallback ? { predicted: true } : {}),
    }),
  );
  return { requestId, from: extension, to };
}
