import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSourceIp, compileIpPolicy, ipInCidrs, resolveClientAddress } from './ip-policy.js';

describe('ipInCidrs', () => {
  it('accepts exactly 185.45.152.40–43 for the default /30', () => {
    const cidrs = ['185.45.152.40/30'];
    expect(
      ['185.45.152.40', '185.45.152.41', '185.45.152.42', '185.45.152.43'].map((a) => ipInCidrs(a, cidrs)),
    ).toEqual([true, true, true, true]);
    expect(ipInCidrs('185.45.152.39', cidrs)).toBe(false);
    expect(ipInCidrs('185.45.152.44', cidrs)).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 socket address as its IPv4 address', () => {
    expect(ipInCidrs('::ffff:185.45.152.42', ['185.45.152.40/30'])).toBe(true);
    expect(ipInCidrs('::ffff:b92d:982a', ['185.45.152.40/30'])).toBe(true);
    expect(ipInCidrs('::FFFF:185.45.152.44', ['185.45.152.40/30'])).toBe(false);
    expect(ipInCidrs('185.45.152.42', ['::ffff:185.45.152.40/126'])).toBe(true);
  });

  it('matches IPv6 blocks, including compressed forms and zone ids', () => {
    expect(ipInCidrs('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipInCidrs('2001:0db8:0000:0000:0000:0000:0000:0001', ['2001:db8::1/128'])).toBe(true);
    expect(ipInCidrs('2001:db9::1', ['2001:db8::/32'])).toBe(false);
    expect(ipInCidrs('fe80::1%eth0', ['fe80::/10'])).toBe(true);
    expect(ipInCidrs('::1', ['::1'])).toBe(true);
  });

  it('never lets an IPv6 address match an IPv4 block or the reverse', () => {
    expect(ipInCidrs('::b92d:982a', ['185.45.152.40/30'])).toBe(false);
    expect(ipInCidrs('185.45.152.42', ['::/0'])).toBe(false);
  });

  it('refuses things that are not addresses', () => {
    for (const bad of [
      '',
      'localhost',
      '185.45.152',
      '185.45.152.042',
      '256.1.1.1',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      expect(ipInCidrs(bad, ['0.0.0.0/0', '::/0'])).toBe(false);
    }
  });

  it('throws at compile time for a malformed CIDR, naming it', () => {
    expect(() => compileIpPolicy({ allow: ['185.45.152.40/33'] })).toThrow(/185\.45\.152\.40\/33/);
    expect(() => compileIpPolicy({ allow: ['not-an-ip/8'] })).toThrow(/not-an-ip/);
    expect(() => compileIpPolicy({ trustedProxies: ['10.0.0.0/x'] })).toThrow(/10\.0\.0\.0\/x/);
  });
});

describe('ipInCidrs against node:net BlockList as an oracle', () => {
  it('agrees on random IPv4 addresses and blocks', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (address, base, prefix) => {
        const oracle = new BlockList();
        oracle.addSubnet(base, prefix, 'ipv4');
        expect(ipInCidrs(address, [`${base}/${prefix}`])).toBe(oracle.check(address, 'ipv4'));
        expect(ipInCidrs(`::ffff:${address}`, [`${base}/${prefix}`])).toBe(oracle.check(address, 'ipv4'));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees on random IPv6 addresses and blocks (IPv4-mapped ones aside)', () => {
    const notMapped = (a: string) => !/^(0{0,4}:){0,5}:?ffff:/i.test(a) && !a.includes('.');
    fc.assert(
      fc.property(
        fc.ipV6().filter(notMapped),
        fc.ipV6().filter(notMapped),
        fc.integer({ min: 0, max: 128 }),
        (address, base, prefix) => {
          const oracle = new BlockList();
          oracle.addSubnet(base, prefix, 'ipv6');
          expect(ipInCidrs(address, [`${base}/${prefix}`])).toBe(oracle.check(address, 'ipv6'));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('resolveClientAddress and checkSourceIp', () => {
  const direct = compileIpPolicy();
  const proxied = compileIpPolicy({ trustedProxies: ['10.0.0.0/8', '::1'] });

  it('ignores X-Forwarded-For when the socket is not a trusted proxy (spoofing attempt)', () => {
    const input = { remoteAddress: '203.0.113.9', forwardedFor: '185.45.152.42' };
    expect(resolveClientAddress(input, direct)).toBe('203.0.113.9');
    expect(checkSourceIp(input, direct)).toMatchObject({ ok: false, address: '203.0.113.9' });
  });

  it('accepts a direct connection from Zadarma', () => {
    expect(checkSourceIp({ remoteAddress: '::ffff:185.45.152.41' }, direct)).toEqual({
      ok: true,
      address: '::ffff:185.45.152.41',
    });
  });

  it('behind a trusted proxy takes the right-most untrusted X-Forwarded-For entry', () => {
    const input = { remoteAddress: '10.1.2.3', forwardedFor: '185.45.152.42, 203.0.113.9, 10.0.0.7' };
    // 203.0.113.9 is who connected to our proxy; the left-most value was written by that client.
    expect(resolveClientAddress(input, proxied)).toBe('203.0.113.9');
    expect(checkSourceIp(input, proxied).ok).toBe(false);
    expect(
      checkSourceIp({ remoteAddress: '::1', forwardedFor: ['203.0.113.9', '185.45.152.42'] }, proxied),
    ).toEqual({
      ok: true,
      address: '185.45.152.42',
    });
  });

  it('refuses a trusted proxy hop list that contains garbage', () => {
    const input = { remoteAddress: '10.1.2.3', forwardedFor: '185.45.152.42, unknown' };
    expect(resolveClientAddress(input, proxied)).toBeNull();
    expect(checkSourceIp(input, proxied).ok).toBe(false);
  });

  it('uses the proxy itself when it forwards no header, which is then not allowed', () => {
    expect(checkSourceIp({ remoteAddress: '10.1.2.3' }, proxied)).toMatchObject({
      ok: false,
      address: '10.1.2.3',
    });
  });

  it('refuses a request without a socket address', () => {
    expect(checkSourceIp({ remoteAddress: undefined }, direct)).toMatchObject({ ok: false, address: null });
  });
});
