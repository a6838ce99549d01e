/**
 * G.711 u-law (PCMU, RTP payload type 0), the codec the test caller offers: encode and decode of
 * 16-bit linear samples (ITU-T G.711, the usual segment/bias formulation); and A-law decoding
 * (PCMA, payload type 8), the codec the local carrier answers with. Pure.
 */

const BIAS = 0x84;
const CLIP = 32635;

/** One 16-bit linear sample as a u-law byte. */
export function muLawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(Math.round(sample)), CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** One u-law byte as a 16-bit linear sample. */
export function muLawDecode(byte: number): number {
  const value = ~byte & 0xff;
  const exponent = (value >> 4) & 0x07;
  const magnitude = (((value & 0x0f) << 3) + BIAS) << exponent;
  return value & 0x80 ? BIAS - magnitude : magnitude - BIAS;
}

/** One A-law byte as a 16-bit linear sample. */
export function aLawDecode(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return value & 0x80 ? magnitude : -magnitude;
}

/** Peak above which a packet counts as sound rather than silence (about -50 dBFS), the worker's own threshold. */
export const AUDIBLE_PEAK = 100;

/** Whether a u-law payload holds sound: any sample beyond {@link AUDIBLE_PEAK}. */
export function isAudibleMuLaw(payload: Uint8Array): boolean {
  return payload.some((byte) => Math.abs(muLawDecode(byte)) > AUDIBLE_PEAK);
}

/** Whether an A-law payload holds sound: any sample beyond {@link AUDIBLE_PEAK}. */
export function isAudibleALaw(payload: Uint8Array): boolean {
  return payload.some((byte) => Math.abs(aLawDecode(byte)) > AUDIBLE_PEAK);
}

/** `count` u-law bytes of a sine tone at `hz` and peak `peak` (fraction of full scale), starting at sample `offset`, at 8 kHz. */
export function muLawTone(hz: number, peak: number, offset: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    bytes[i] = muLawEncode(Math.sin((2 * Math.PI * hz * (offset + i)) / 8000) * peak * 32767);
  }
  return bytes;
}
