/**
 * Click-to-call (docs/zadarma-protocol.md §4.2): the PBX rings the user's extension first, then the client's
 * number. Never retried (a retry would ring twice). The request is remembered so the callback legs'
 * NOTIFY_OUT_* reach the user as `callback.status` and the call is linked.
 */
import { type Actor, refuseApiClient } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import { newId } from '../../../platform/ids.js';
import type {
  CallbackRequestLog,
  CallerContact,
  Clock,
  ContactLookup,
  ExtensionDirectory,
  TelephonyProvider,
  TelephonySettingsReader,
} from '../ports.js';

export interface ClickToCallInput {
  readonly phone: string;
  readonly contactId?: string | undefined;
  readonly confirmDoNotCall?: boolean | undefined;
}

export interface ClickToCallResult {
  readonly requestId: string;
  readonly from: string;
  readonly to: string;
}

/** What click-to-call runs on. */
export interface ClickToCallPorts {
  readonly directory: Pick<ExtensionDirectory, 'extensionOf'>;
  readonly settings: Pick<TelephonySettingsReader, 'defaultCountry'>;
  readonly contacts: Pick<ContactLookup, 'e164Of' | 'findCaller' | 'findContact'>;
  readonly callbacks: Pick<CallbackRequestLog, 'remember'>;
  readonly provider: TelephonyProvider;
  readonly clock: Clock;
}

/**
 * Places the callback for `actor` (a signed-in user: the call rings their extension) or throws the contract's
 * error (no extension, invalid number, unknown contact, do-not-call, not configured, Zadarma's).
 * Why: every phone number in the app is a call button.
 */
export async function clickToCall(
  options: ClickToCallPorts & { readonly actor: Actor; readonly input: ClickToCallInput },
): Promise<ClickToCallResult> {
  const { actor, input } = options;
  refuseApiClient(actor, 'place calls');
  const extension = actor.kind === 'user' ? await options.directory.extensionOf(actor.id) : null;
  if (actor.kind !== 'user' || !extension) {
    throw new AppError(
      'SB_ERR_NO_EXTENSION',
      'you have no PBX extension: ask an administrator to assign one in the telephony settings',
    );
  }
  const country = await options.settings.defaultCountry();
  const to = options.contacts.e164Of(input.phone, country);
  if (!to) {
    throw new AppError('SB_ERR_VALIDATION', `"${input.phone}" is not a valid phone number`, [
      { path: 'phone', message: 'not a valid phone number' },
    ]);
  }
  let contact: CallerContact | null;
  if (input.contactId) {
    contact = await options.contacts.findContact(input.contactId);
    if (!contact) {
      throw new AppError('SB_ERR_NOT_FOUND', `no contact ${input.contactId}`);
    }
  } else {
    contact = (await options.contacts.findCaller(to, country)).contact;
  }
  if (contact?.doNotCall && !input.confirmDoNotCall) {
    throw new AppError(
      'SB_ERR_DO_NOT_CALL',
      `${contact.displayName} is marked "do not call": confirm to call anyway (confirmDoNotCall)`,
    );
  }
  const dialer = await options.provider.callbackDialer();
  if (!dialer) {
    throw new AppError(
      'SB_ERR_TELEPHONY_NOT_CONFIGURED',
      'telephony is not configured: an administrator must enter the Zadarma key and secret',
    );
  }
  const requestId = newId();
  // Remember first: the first leg's notification can arrive before Zadarma's answer does.
  await options.callbacks.remember({
    requestId,
    userId: actor.id,
    extension,
    to,
    contactId: contact?.id ?? null,
    at: new Date(options.clock.now()).toISOString(),
  });
  await dialer.requestCallback({ from: extension, to });
  return { requestId, from: extension, to };
}
