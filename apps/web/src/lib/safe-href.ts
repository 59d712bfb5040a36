/** Link targets built from stored text. */

/**
 * The URL when it is an absolute http(s) address, else undefined (render the text without a link).
 * Why: a website saved before the server checked it could be `javascript:` or `data:`, which runs on click.
 */
export function webHref(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
