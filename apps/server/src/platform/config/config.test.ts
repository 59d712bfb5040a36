import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('lists every invalid variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db',
        DEMO: 'maybe',
        LOGIN_RATE_LIMIT: '0',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe('invalid configuration:');
    for (const name of ['PORT', 'DATABASE_URL', 'DEMO', 'LOGIN_RATE_LIMIT', 'LOG_LEVEL']) {
      expect(message).toMatch(new RegExp(`^  ${name}: `, 'm'));
    }
    expect(message).toContain('DEMO: must be 1 or 0 (or true/false, yes/no)');
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
  });

  it('defaults to SQLite in ./data on 127.0.0.1:3000, demo decided by the database', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      demo: false,
      demoWhenEmpty: true,
      loginAttemptsPerMinute: 10,
    });
    expect(config.database).toEqual({
      dialect: 'sqlite',
      file: expect.stringMatching(/data\/switchboard\.sqlite$/),
    });
    expect(config.webDistDir).toMatch(/apps\/web\/dist$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads DEMO as forced on, forced off, or unset', () => {
    expect(loadConfig({ DEMO: '1' })).toMatchObject({ demo: true, demoWhenEmpty: false });
    expect(loadConfig({ DEMO: 'yes' })).toMatchObject({ demo: true, demoWhenEmpty: false });
    expect(loadConfig({ DEMO: '0' })).toMatchObject({ demo: false, demoWhenEmpty: false });
    expect(loadConfig({ DEMO: '' })).toMatchObject({ demo: false, demoWhenEmpty: true });
  });

  it('switches to PostgreSQL with DATABASE_URL and honours PORT, HOST and LOGIN_RATE_LIMIT', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/crm',
      PORT: '8080',
      HOST: '0.0.0.0',
      LOGIN_RATE_LIMIT: '5',
    });
    expect(config).toMatchObject({
      database: { dialect: 'postgres', url: 'postgres://u@db/crm' },
      port: 8080,
      host: '0.0.0.0',
      loginAttemptsPerMinute: 5,
      publicBaseUrl: 'http://0.0.0.0:8080',
    });
  });
});

describe('TRUST_PROXY', () => {
  it('is the list of proxies, named ranges expanded to the CIDRs Fastify means by them', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5 , loopback,192.168.0.0/16' }).trustProxy).toEqual([
      '10.0.0.5',
      '127.0.0.0/8',
      '::1/128',
      '192.168.0.0/16',
    ]);
  });

  it('refuses an entry that is neither an address nor a CIDR, naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.internal' })).toThrow(
      /TRUST_PROXY: .*proxy\.internal.*: use IP addresses or CIDRs/,
    );
  });
});
