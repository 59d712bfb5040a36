/** The server's limit for an import body (API contract: ≤ 5 MB). Checked before upload to fail fast. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** One preview cell whether the server sends rows as objects (by column) or arrays (by position). */
export function previewCell(row: Record<string, string> | string[], column: string, index: number): string {
  const value = Array.isArray(row) ? row[index] : row[column];
  return value === undefined || value === null ? '' : String(value);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The rejected-rows report as CSV (row, message). Why: the user fixes those rows in their spreadsheet. */
export function rejectedRowsCsv(rejected: readonly { row: number; message: string }[]): string {
  return ['row,message', ...rejected.map((r) => `${r.row},${csvField(r.message)}`)].join('\r\n');
}
