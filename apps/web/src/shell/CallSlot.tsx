/**
 * Where the live call popup / banner will render (telephony issue). Kept in the shell now so that adding it later
 * changes no layout: it sits above the page content on every screen and is empty while there is no call.
 */
export function CallSlot() {
  return <div id="sb-call-slot" data-testid="call-slot" />;
}
