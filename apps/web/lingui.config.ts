import { defineConfig } from '@lingui/cli';
import { formatter } from '@lingui/format-po';

// Messages use explicit ids (`contacts.title`) with the runtime API, so no Babel/SWC macro plugin is needed
// with Vite 8 (rolldown). `en` is the source locale: an id present in en.po but untranslated in fr.po or
// ru.po makes `lingui compile --strict` fail.
export default defineConfig({
  sourceLocale: 'en',
  locales: ['en', 'fr', 'ru'],
  catalogs: [{ path: '<rootDir>/src/locales/{locale}', include: ['<rootDir>/src'] }],
  format: formatter({ lineNumbers: false }),
  compileNamespace: 'ts',
});
