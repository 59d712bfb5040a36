/**
 * The PBX extensions with presence and the CRM user each is assigned to (the settings page's extension list).
 */
import type { ExtensionAssignmentRepository, ZadarmaAccount } from '../ports.js';
import { requireZadarmaClient } from './require-zadarma-client.js';

export interface ExtensionItem {
  readonly extension: string;
  /** Null when Zadarma did not say (status call failed). */
  readonly online: boolean | null;
  readonly userId: string | null;
  readonly userName: string | null;
}

export interface ListExtensionsOptions {
  readonly zadarma: ZadarmaAccount;
  readonly assignments: Pick<ExtensionAssignmentRepository, 'listHoldings'>;
}

/**
 * Lists `GET /v1/pbx/internal/` with `<ext>/status` for each, merged with the assignments; SDK errors of the list
 * propagate (the route maps them). Why: admins assign extensions knowing which phones are registered; one failed
 * status must not hide the list.
 */
export async function listExtensions(options: ListExtensionsOptions): Promise<ExtensionItem[]> {
  const client = await requireZadarmaClient(options.zadarma);
  const { numbers } = await client.getPbxInternal();
  const [statuses, holdings] = await Promise.all([
    Promise.all(
      numbers.map((ext) =>
        client.getPbxInternalStatus(ext).then(
          (s) => s.is_online,
          () => null,
        ),
      ),
    ),
    options.assignments.listHoldings(),
  ]);
  const byExtension = new Map(holdings.map((h) => [h.extension, h]));
  return numbers.map((extension, i) => {
    const holder = byExtension.get(extension);
    return {
      extension,
      online: statuses[i] ?? null,
      userId: holder?.userId ?? null,
      userName: holder?.userName ?? null,
    };
  });
}
