import { createHash, createHmac } from "node:crypto";

/** SHA-256 of a file without secrets, hex: public, so a preview shows which file changed. */
export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/**
 * HMAC-SHA-256 of a file that holds secrets, keyed with the stack's own random hash key, hex. A plain
 * digest would let anyone who reads the state or the stack outputs test guesses of a weak secret
 * offline; without the key the digest tells nothing but whether the file changed.
 */
export function keyedContentHash(key: string, content: string): string {
  return createHmac("sha256", key).update(content).digest("hex");
}
