/** Identifiers shaped like Zadarma's (docs/zadarma-protocol.md §5.5, §4.4). */
import { randomBytes, randomInt } from 'node:crypto';

/** `in_<40 hex>` or `out_<40 hex>`: the permanent PBX call id. */
export function newPbxCallId(direction: 'in' | 'out'): string {
  return `${direction}_${randomBytes(20).toString('hex')}`;
}

/** An Asterisk-style leg / recording id like `1715681730.4567890` (seconds, a dot, 7 digits). */
export function newLegId(epochMs: number): string {
  return `${Math.floor(epochMs / 1000)}.${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** A deterministic PRNG (mulberry32) for reproducible event shuffling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
