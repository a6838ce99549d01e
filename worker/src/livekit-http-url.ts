/**
 * The HTTP(S) base URL of the LiveKit server at `livekitUrl`, which may be given as ws:// or wss://
 * (the API is served on the same host and port as signalling).
 */
export function livekitHttpUrl(livekitUrl: string): string {
  const url = new URL(livekitUrl);
  if (url.protocol === "ws:") url.protocol = "http:";
  else if (url.protocol === "wss:") url.protocol = "https:";
  return url.origin;
}
