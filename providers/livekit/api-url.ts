import type { ValueProblem } from "./sip-values";

/** True for names and addresses that never leave the machine. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The LiveKit API base URL the providers call: `https://<domain>`, the host's TLS endpoint
 * (Caddy in front of livekit-server's loopback port). Plain `http` is accepted for loopback
 * only, where tests run the real server: elsewhere the signed API token would travel in clear.
 */
export function apiUrlProblem(value: string): ValueProblem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "expected an absolute URL such as https://voice.example.com";
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return "expected only a scheme, a host and an optional port (e.g. https://voice.example.com): the SDK adds the /twirp path itself";
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    return undefined;
  }
  return "expected https://<domain>, the host's TLS endpoint; plain http is only allowed to a loopback address, since the API token would otherwise cross the network in clear";
}
