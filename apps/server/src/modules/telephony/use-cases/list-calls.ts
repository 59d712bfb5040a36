/** A numbered page of the calls an actor may read (`GET /api/calls`), as the API shows calls. */
import type { Actor } from '../../../platform/auth/actor.js';
import type {
  CallListPageQuery,
  CallListPages,
  CallReadModel,
  CallRepository,
  StoredCall,
} from '../ports.js';
import { type CallView, toCallViews } from './call-view.js';
import { callReadScope } from './call-visibility.js';

export interface ListCallsPorts {
  readonly pages: CallListPages;
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly readModel: CallReadModel;
}

export interface CallsPage {
  readonly items: CallView[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export async function listCalls(
  ports: ListCallsPorts,
  actor: Actor,
  query: CallListPageQuery,
): Promise<CallsPage> {
  const { ids, total } = await ports.pages.page(callReadScope(actor), query);
  const found = await Promise.all(ids.map((id) => ports.calls.getById(id)));
  return {
    // A call deleted between the two reads (a contact's erasure) is left out, not shown half.
    items: await toCallViews(
      ports.readModel,
      found.filter((c): c is StoredCall => c !== null),
    ),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
