/**
 * Recordings as real audio: RIFF/WAVE, 16-bit PCM, mono. Why: a CRM's player, duration check and
 * transcoder must meet a file whose length matches the talk time, as with Zadarma's recordings (§4.5).
 */

export interface WavOptions {
  readonly seconds: number;
  /** Samples per second; telephony audio is 8 kHz. */
  readonly sampleRate?: number;
}

const HEADER_BYTES = 44;

/** Builds a WAV file of exactly `seconds` seconds: a quiet two-tone "conversation" so it is audibly not silence. */
export function createWav({ seconds, sampleRate = 8000 }: WavOptions): Buffer {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) {
    throw new Error(`wav duration must be a non-negative number of seconds, got ${String(seconds)}`);
  }
  const samples = Math.round(seconds * sampleRate);
  const dataBytes = samples * 2;
  const buf = Buffer.alloc(HEADER_BYTES + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples; i++) {
    // Alternate "speakers" every 2 s: 440 Hz then 330 Hz, at about -26 dBFS.
    const speaker = Math.floor(i / (sampleRate * 2)) % 2;
    const freq = speaker === 0 ? 440 : 330;
    const value = Math.round(1500 * Math.sin((2 * Math.PI * freq * i) / sampleRate));
    buf.writeInt16LE(value, HEADER_BYTES + i * 2);
  }
  return buf;
}

export interface WavInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly durationSeconds: number;
}

/** Reads a PCM WAV header; throws naming what is wrong. Why: tests and the CLI check what is served. */
export function readWavInfo(buf: Buffer): WavInfo {
  if (
    buf.length < HEADER_BYTES ||
    buf.toString('ascii', 0, 4) !== 'RIFF' ||
    buf.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new Error('not a RIFF/WAVE file');
  }
  if (buf.readUInt32LE(4) !== buf.length - 8) {
    throw new Error('RIFF chunk size does not match the file length');
  }
  const sampleRate = buf.readUInt32LE(24);
  const channels = buf.readUInt16LE(22);
  const bitsPerSample = buf.readUInt16LE(34);
  const dataBytes = buf.readUInt32LE(40);
  if (buf.toString('ascii', 36, 40) !== 'data' || dataBytes !== buf.length - HEADER_BYTES) {
    throw new Error('data chunk size does not match the file length');
  }
  return {
    sampleRate,
    channels,
    bitsPerSample,
    durationSeconds: dataBytes / (sampleRate * channels * (bitsPerSample / 8)),
  };
}
