/**
 * The server's configuration: read once from the environment at boot, validated, frozen.
 * Every problem is listed at once so an operator fixes them in one go.
 */

import { resolve } from 'node:path';
import { compileIpPolicy } from '@switchboard/zadarma';
import { z } from 'zod';
import { parseSecretKey } from '../crypto/secret-box.js';
import type { ErrorCode } from '../errors/errors.js';
import { serverPackage } from './server-package.js';

/** `undefined` when unset (or empty): the server decides (demo on an empty database). */
const triStateFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''], { message: 'must be 1 or 0 (or true/false, yes/no)' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === '1' || v === 'true' || v === 'yes'));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  WEB_DIST_DIR: z.string().optional(),
  DEMO: triStateFlag,
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const proxies = trustedProxiesOf(v);
      try {
        compileIpPolicy({ trustedProxies: proxies });
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message}: use IP addresses or CIDRs` });
      }
      return proxies;
    }),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  SECRET_KEY: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine((v) => v === undefined || isSecretKey(v), {
      message: 'must be 32 bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)',
    }),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
});

/**
 * The names proxy-addr (Fastify's `trustProxy`) understands, as CIDRs. Why: `/zadarma`'s IP policy (the SDK)
 * takes CIDRs only, and both must trust exactly the same addresses.
 */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `TRUST_PROXY` as a list of CIDRs/addresses (named ranges expanded); empty when unset. */
function trustedProxiesOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .flatMap((s) => NAMED_RANGES[s.toLowerCase()] ?? [s]);
}

function isSecretKey(value: string): boolean {
  try {
    parseSecretKey(value);
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database:
    | { readonly dialect: 'sqlite'; readonly file: string }
    | { readonly dialect: 'postgres'; readonly url: string };
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly publicBaseUrl: string;
  readonly webDistDir: string;
  /**
   * Demo mode in effect. `loadConfig` sets it from `DEMO`; when `DEMO` is unset, `startServer` turns it on
   * for a database without users (or one seeded as demo before) — see `demoWhenEmpty`.
   */
  readonly demo: boolean;
  /** True when `DEMO` is unset: demo mode follows the database (empty → seed demo data). */
  readonly demoWhenEmpty: boolean;
  /** Sign-in attempts allowed per minute for one (IP address, email) pair (`LOGIN_RATE_LIMIT`, default 10). */
  readonly loginAttemptsPerMinute: number;
  /**
   * `false`, or the proxy addresses/CIDRs whose X-Forwarded-For is believed (`TRUST_PROXY`; `loopback`,
   * `linklocal`, `uniquelocal` expanded): the one source for Fastify and for `/zadarma`'s IP policy.
   */
  readonly trustProxy: false | readonly string[];
  /**
   * `SECRET_KEY`: the 32-byte key (hex/base64) that encrypts secrets at rest (the Zadarma API secret). Required
   * outside demo mode (startServer says so); in demo mode one is generated under DATA_DIR when absent.
   */
  readonly secretKey: string | null;
  /** Where demo mode's built-in Zadarma simulator listens (`SIMULATOR_HOST`, `SIMULATOR_PORT`; 0 = any free port). */
  readonly simulator: { readonly host: string; readonly port: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Catalogue code: a server that is misconfigured cannot serve (start-up refuses it before any request). */
  readonly code: ErrorCode = 'SB_ERR_UNAVAILABLE';
}

/** Validates the environment; throws a ConfigError listing every invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { dialect: 'postgres' as const, url: e.DATABASE_URL }
      : { dialect: 'sqlite' as const, file: resolve(dataDir, 'switchboard.sqlite') },
    logLevel: e.LOG_LEVEL,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://${e.HOST}:${e.PORT}`,
    webDistDir: resolve(e.WEB_DIST_DIR ?? resolve(serverPackage().dir, '../web/dist')),
    demo: e.DEMO === true,
    demoWhenEmpty: e.DEMO === undefined,
    loginAttemptsPerMinute: e.LOGIN_RATE_LIMIT,
    trustProxy: e.TRUST_PROXY.length > 0 ? Object.freeze(e.TRUST_PROXY) : false,
    secretKey: e.SECRET_KEY ?? null,
    simulator: Object.freeze({ host: e.SIMULATOR_HOST, port: e.SIMULATOR_PORT }),
  });
}
