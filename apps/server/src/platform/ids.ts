import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time: one `randomBytes(16)` call per id cost ~10 µs on the webhook path
// (a native call each), the pool makes it a copy. Ids still get 74 fresh random bits each (never reused).
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function random16(): Buffer {
  if (offset + 16 > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + 16));
  offset += 16;
  return bytes;
}

/** The millisecond of the last id made here, and its 12-bit sequence (RFC 9562 §6.2, method 1). */
let lastMs = -1;
let lastSequence = 0;

/**
 * The 12 bits after the version: random at each new millisecond (below 0x800, leaving room to count), then one more
 * for each id of the same millisecond. Why: ids made in the same millisecond sorted at random, and "the oldest"
 * (a shared number's first contact, ordered by id) came out either way (a contract test failed once in CI).
 */
function sequenceFor(now: number, random: number): number {
  if (now === lastMs && lastSequence < 0xfff) {
    lastSequence += 1;
  } else {
    lastMs = now;
    lastSequence = random & 0x7ff;
  }
  return lastSequence;
}

/**
 * A UUID version 7: time-ordered, so new rows land at the end of B-tree indexes instead of splitting pages; the ids
 * this process makes within one millisecond are in the order it made them.
 */
export function newId(now: number = Date.now()): string {
  const bytes = random16();
  bytes.writeUIntBE(now, 0, 6);
  const sequence = sequenceFor(now, bytes.readUInt16BE(6));
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
