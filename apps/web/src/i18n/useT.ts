import { useLingui } from '@lingui/react';
import type { Locale } from '../api/types.js';

/** Translation and the active locale for a component. Why: re-renders the component when the language changes. */
export function useT(): { t: (id: string, values?: Record<string, unknown>) => string; locale: Locale } {
  const { i18n } = useLingui();
  return { t: (id, values) => i18n._(id, values), locale: i18n.locale as Locale };
}
