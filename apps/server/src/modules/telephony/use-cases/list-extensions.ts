/**
 * The PBX extensions with presence and the CRM user each is assigned to (the settings page's extension list).
 */
import type { ZadarmaClient } from '@switchboard/zadarma';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';

export interface ExtensionItem {
  readonly extension: string;
  /** Null when Zadarma did not say (status call failed). */
  readonly online: boolean | null;
  readonly userId: string | null;
  readonly userName: string | null;
}

/**
 * Lists `GET /v1/pbx/internal/` with `<ext>/status` for each, merged with the assignments.
 * Why: admins assign extensions knowing which phones are registered; one failed status must not hide the list.
 */
export async function listExtensions(db: Kysely<Database>, client: ZadarmaClient): Promise<ExtensionItem[]> {
  const { numbers } = await client.getPbxInternal();
  const [statuses, assigned] = await Promise.all([
    Promise.all(
      numbers.map((ext) =>
        client.getPbxInternalStatus(ext).then(
          (s) => s.is_online,
          () => null,
        ),
      ),
    ),
    db
      .selectFrom('extension_assignments')
      .innerJoin('users', 'users.id', 'extension_assignments.user_id')
      .select(['extension_assignments.extension', 'users.id', 'users.name'])
      .execute(),
  ]);
  const byExtension = new Map(assigned.map((a) => [a.extension, a]));
  return numbers.map((extension, i) => {
    const holder = byExtension.get(extension);
    return {
      extension,
      online: statuses[i] ?? null,
      userId: holder?.id ?? null,
      userName: holder?.name ?? null,
    };
  });
}
