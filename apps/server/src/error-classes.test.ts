/**
 * Every error class of the server leaves through the catalogue (platform/errors): a route that lets one escape
 * answers its own code and a 4xx/5xx status, never an anonymous SB_ERR_INTERNAL. The classes are found by
 * reading the sources, so a new one fails here until it names its code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ShortRecordingError } from './modules/telephony/adapters/disk-recording-store.js';
import { TelephonySettingsError } from './modules/telephony/adapters/kysely-telephony-settings-repository.js';
import { BadHistoryPageError } from './modules/telephony/adapters/zadarma/zadarma-call-history-source.js';
import { CallEventRefusedError } from './modules/telephony/domain/call-event.js';
import { BadHistoryRowError } from './modules/telephony/domain/call-history.js';
import { ZadarmaDateTimeError } from './modules/telephony/domain/zadarma-date-time.js';
import { DecisionBudgetSpentError } from './modules/telephony/ports/decision-budget.js';
import { InboxNotStoredError } from './modules/telephony/ports/inbox-errors.js';
import { RecordingSourceError } from './modules/telephony/ports/recording-errors.js';
import { TranscriptNotReadyError } from './modules/telephony/use-cases/fetch-call-transcript.js';
import { ConfigError } from './platform/config/config.js';
import { SecretBoxError } from './platform/crypto/secret-box.js';
import { CsvParseError } from './platform/csv/csv-format.js';
import { registerErrorHandler } from './platform/errors/error-handler.js';
import { AppError } from './platform/errors/errors.js';
import { IncompleteFileError } from './platform/files/file-store.js';
import { SettingValueError } from './platform/settings/settings-storage.js';

/** One instance of each error class, by class name. */
const INSTANCES: Record<string, () => Error> = {
  ShortRecordingError: () => new ShortRecordingError('cut at 1,024 of 48,044 bytes'),
  RecordingSourceError: () => new RecordingSourceError('expired', 'recording download answered 410'),
  TranscriptNotReadyError: () => new TranscriptNotReadyError('not recognised yet'),
  AppError: () => new AppError('SB_ERR_CONFLICT', 'taken'),
  CallEventRefusedError: () => new CallEventRefusedError('conflicts with the call’s signed identity'),
  ZadarmaDateTimeError: () => new ZadarmaDateTimeError('not a date-time'),
  InboxNotStoredError: () => new InboxNotStoredError('neither the database nor the journal'),
  DecisionBudgetSpentError: () => new DecisionBudgetSpentError(300),
  TelephonySettingsError: () => new TelephonySettingsError('timezone: unreadable'),
  ConfigError: () => new ConfigError('SECRET_KEY: required'),
  SecretBoxError: () => new SecretBoxError('cannot open the sealed value'),
  CsvParseError: () => new CsvParseError('unterminated quoted field'),
  SettingValueError: () => new SettingValueError('telephony.returnTimeout', 'must be 0 or from 3 to 600'),
  BadHistoryRowError: () => new BadHistoryRowError('row 1.2 of call in_1: no disposition'),
  BadHistoryPageError: () => new BadHistoryPageError('the page of … could not be read'),
  IncompleteFileError: () => new IncompleteFileError(1024, 48_044),
};

/** `class X extends Error` in the server's sources (tests and test support aside). */
function declaredErrorClasses(): string[] {
  const root = import.meta.dirname;
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const match of readFileSync(full, 'utf8').matchAll(/class (\w+) extends Error\b/g)) {
          names.push(`${match[1]} (${relative(root, full)})`);
        }
      }
    }
  };
  walk(root);
  return names.sort();
}

describe('every error class of the server', () => {
  it('is covered here', () => {
    const declared = declaredErrorClasses().map((d) => d.split(' ')[0]);
    expect(declared.sort()).toEqual(Object.keys(INSTANCES).sort());
  });

  it.each(Object.keys(INSTANCES))(
    '%s reaches a route as a catalogue code, not SB_ERR_INTERNAL',
    async (name) => {
      const app = Fastify({ logger: false });
      registerErrorHandler(app);
      app.get('/fails', async () => {
        throw INSTANCES[name]?.();
      });
      const res = await app.inject({ method: 'GET', url: '/fails' });
      await app.close();
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.json().error.code).toMatch(/^SB_ERR_/);
      expect(res.json().error.code).not.toBe('SB_ERR_INTERNAL');
    },
  );

  it('keeps the internals of a server-side failure out of the answer', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/fails', async () => {
      throw new ConfigError('SECRET_KEY: must be 32 bytes');
    });
    const res = await app.inject({ method: 'GET', url: '/fails' });
    await app.close();
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toEqual({
      code: 'SB_ERR_UNAVAILABLE',
      message: 'the server cannot serve this now; it has been logged, try again later',
    });
  });
});
