/**
 * Source-IP allow-listing for Zadarma notifications (docs/zadarma-protocol.md §7, §5.8): CIDR lists for IPv4 and IPv6,
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d`) treated as IPv4, and `X-Forwarded-For` honoured only behind a
 * proxy the operator explicitly trusts — the npm `zadarma` package trusts the raw header, which anyone
 * can forge (§8.9).
 */

/** The range Zadarma recommends for its webhook senders (docs/zadarma-protocol.md §7). */
export const ZADARMA_WEBHOOK_CIDRS: readonly string[] = Object.freeze(['185.45.152.40/30']);

export interface IpPolicy {
  /** Addresses or CIDR blocks allowed to send notifications; defaults to {@link ZADARMA_WEBHOOK_CIDRS}. */
  readonly allow?: readonly string[];
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed. Empty (the default) means the socket address is
   * the client, whatever the header says.
   */
  readonly trustedProxies?: readonly string[];
}

interface Block {
  readonly version: 4 | 6;
  readonly base: bigint;
  readonly mask: bigint;
}

/** A parsed address: IPv4-mapped IPv6 is folded into IPv4 so one rule covers both spellings. */
interface Address {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A policy with its CIDR lists parsed once; build it at boot with {@link compileIpPolicy}. */
export interface CompiledIpPolicy {
  readonly compiled: true;
  readonly allow: readonly Block[];
  readonly trustedProxies: readonly Block[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseIpv4(text: string): bigint | null {
  if (!IPV4.test(text)) {
    return null;
  }
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | null {
  let rest = text;
  // An embedded dotted IPv4 tail (`::ffff:1.2.3.4`) is rewritten as its two hex groups.
  const lastColon = rest.lastIndexOf(':');
  if (lastColon !== -1 && rest.includes('.', lastColon)) {
    const v4 = parseIpv4(rest.slice(lastColon + 1));
    if (v4 === null) {
      return null;
    }
    rest = `${rest.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) {
    return null;
  }
  const toGroups = (part: string): bigint[] | null => {
    if (part === '') {
      return [];
    }
    const groups = part.split(':');
    return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups.map((g) => BigInt(`0x${g}`)) : null;
  };
  const head = toGroups(halves[0] as string);
  const after = halves.length === 2 ? toGroups(halves[1] as string) : [];
  if (head === null || after === null) {
    return null;
  }
  let groups = head;
  if (halves.length === 2) {
    const explicit = head.length + after.length;
    if (explicit > 7) {
      return null;
    }
    groups = [...head, ...new Array<bigint>(8 - explicit).fill(0n), ...after];
  }
  if (groups.length !== 8) {
    return null;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** Parses an IPv4 or IPv6 address (zone id and brackets tolerated); `null` when it is not one. */
function parseAddress(raw: string): Address | null {
  let text = raw.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    text = text.slice(1, -1);
  }
  const zone = text.indexOf('%');
  if (zone !== -1) {
    text = text.slice(0, zone);
  }
  const v4 = parseIpv4(text);
  if (v4 !== null) {
    return { version: 4, value: v4 };
  }
  if (!text.includes(':')) {
    return null;
  }
  const v6 = parseIpv6(text);
  if (v6 === null) {
    return null;
  }
  if (v6 >> 32n === MAPPED_PREFIX >> 32n) {
    return { version: 4, value: v6 & 0xffffffffn };
  }
  return { version: 6, value: v6 };
}

function parseBlock(cidr: string): Block {
  const slash = cidr.indexOf('/');
  const addressText = slash === -1 ? cidr : cidr.slice(0, slash);
  const address = parseAddress(addressText);
  if (address === null) {
    throw new Error(`invalid IP address in CIDR "${cidr}"`);
  }
  const written6 = addressText.includes(':');
  const width = written6 ? 128 : 32;
  let prefix = width;
  if (slash !== -1) {
    const prefixText = cidr.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) {
      throw new Error(`invalid prefix length in CIDR "${cidr}" (0–${width})`);
    }
    prefix = Number(prefixText);
  }
  let version = address.version;
  if (written6 && address.version === 4) {
    // `::ffff:a.b.c.d/n` is an IPv4 block written in IPv6; below /96 it also spans real IPv6 space,
    // which Zadarma never uses, so refuse rather than guess.
    if (prefix < 96) {
      throw new Error(`IPv4-mapped CIDR "${cidr}" must have a prefix of at least 96`);
    }
    prefix -= 96;
    version = 4;
  }
  const bits = BigInt(version === 4 ? 32 : 128);
  const all = (1n << bits) - 1n;
  const mask = prefix === 0 ? 0n : (all << (bits - BigInt(prefix))) & all;
  return { version, base: address.value & mask, mask };
}

function inBlocks(address: Address, blocks: readonly Block[]): boolean {
  return blocks.some((b) => b.version === address.version && (address.value & b.mask) === b.base);
}

/** Parses the CIDR lists once; throws naming the bad entry, so a misconfiguration fails at boot. */
export function compileIpPolicy(policy: IpPolicy = {}): CompiledIpPolicy {
  return {
    compiled: true,
    allow: (policy.allow ?? ZADARMA_WEBHOOK_CIDRS).map(parseBlock),
    trustedProxies: (policy.trustedProxies ?? []).map(parseBlock),
  };
}

/** Whether `address` lies in one of `cidrs`; `false` for anything that is not an IP address. */
export function ipInCidrs(address: string, cidrs: readonly string[]): boolean {
  const parsed = parseAddress(address);
  return parsed !== null && inBlocks(parsed, cidrs.map(parseBlock));
}

export interface ClientAddressInput {
  /** The TCP peer (`req.socket.remoteAddress`). */
  readonly remoteAddress: string | undefined;
  /** The `X-Forwarded-For` header value(s), if any. */
  readonly forwardedFor?: string | readonly string[] | undefined;
}

/**
 * The address that actually sent the request: the socket address, unless that is a trusted proxy — then
 * the right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries to its left could
 * have been written by the client). `null` when no usable address exists.
 */
export function resolveClientAddress(input: ClientAddressInput, policy: CompiledIpPolicy): string | null {
  const socket = input.remoteAddress === undefined ? null : parseAddress(input.remoteAddress);
  if (socket === null) {
    return null;
  }
  if (!inBlocks(socket, policy.trustedProxies)) {
    return (input.remoteAddress as string).trim();
  }
  const header = input.forwardedFor;
  const list = (typeof header === 'string' ? [header] : (header ?? []))
    .join(',')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (let i = list.length - 1; i >= 0; i--) {
    const entry = list[i] as string;
    const parsed = parseAddress(entry);
    if (parsed === null) {
      // A garbled hop means we cannot tell who is behind it: refuse instead of skipping it.
      return null;
    }
    if (!inBlocks(parsed, policy.trustedProxies)) {
      return entry;
    }
  }
  // Every hop is a trusted proxy: the left-most one is the origin.
  return list[0] ?? (input.remoteAddress as string).trim();
}

export type IpCheck =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly address: string | null; readonly message: string };

/** Resolves the client address under `policy` and checks it against the allow-list. */
export function checkSourceIp(input: ClientAddressInput, policy: CompiledIpPolicy): IpCheck {
  const address = resolveClientAddress(input, policy);
  if (address === null) {
    return { ok: false, address: null, message: 'the client address is missing or not an IP address' };
  }
  const parsed = parseAddress(address);
  if (parsed === null || !inBlocks(parsed, policy.allow)) {
    return { ok: false, address, message: `source address ${address} is not in the webhook allow-list` };
  }
  return { ok: true, address };
}
