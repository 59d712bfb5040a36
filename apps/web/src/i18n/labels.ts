const KNOWN_LABELS = new Set(['mobile', 'work', 'home', 'other']);

/** Translates a phone/email label we know (`mobile`), and shows any other one (from an import) as written. */
export function labelText(t: (id: string) => string, label: string): string {
  return KNOWN_LABELS.has(label) ? t(`label.${label}`) : label;
}
