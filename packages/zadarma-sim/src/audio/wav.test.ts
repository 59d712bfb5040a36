import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWav, readWavInfo } from './wav.js';

describe('createWav', () => {
  it('writes a RIFF/PCM 8 kHz mono 16-bit file whose duration equals the talk time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), (seconds) => {
        const wav = createWav({ seconds });
        expect(wav.length).toBe(44 + seconds * 16000);
        expect(readWavInfo(wav)).toEqual({
          sampleRate: 8000,
          channels: 1,
          bitsPerSample: 16,
          durationSeconds: seconds,
        });
      }),
      { numRuns: 20 },
    );
  });

  it('is not silence', () => {
    const wav = createWav({ seconds: 1 });
    let peak = 0;
    for (let i = 44; i < wav.length; i += 2) {
      peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
    }
    expect(peak).toBeGreaterThan(1000);
  });

  it('refuses a negative duration and reports a truncated file', () => {
    expect(() => createWav({ seconds: -1 })).toThrow(/non-negative/);
    expect(() => readWavInfo(createWav({ seconds: 1 }).subarray(0, 100))).toThrow(/chunk size/);
  });
});
