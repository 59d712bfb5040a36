/** Server paths → contact form paths: a phone's number is `raw` in the form; an issue on a whole item goes to its input. */
export function contactErrorPath(path: string): string {
  return path
    .replace(/^phones\.(\d+)\.(number|e164)$/, 'phones.$1.raw')
    .replace(/^phones\.(\d+)$/, 'phones.$1.raw')
    .replace(/^emails\.(\d+)$/, 'emails.$1.email');
}
