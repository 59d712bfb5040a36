/** Tables of the agent's call workspace beyond `call_wrap_ups` (migration 0020). */

/** A wrap-up card the user has open on a call: restored to every tab of theirs until `closed_at`. */
interface CallWrapUpCardsTable {
  call_id: string;
  user_id: string;
  opened_at: string;
  closed_at: string | null;
}

export interface CallWorkspaceTables {
  call_wrap_up_cards: CallWrapUpCardsTable;
}
