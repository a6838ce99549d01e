/**
 * The SIP OPTIONS request the doctor sends and the parsing of its answer (RFC 3261 §11:
 * "querying for capabilities"; any SIP server must answer it). Pure functions over text.
 */

/** Identifiers that tie a response to our request. */
export interface OptionsRequestIds {
  /** Via branch, starting with RFC 3261's magic cookie `z9hG4bK`. */
  branch: string;
  /** From tag. */
  tag: string;
  /** Call-ID. */
  callId: string;
}

/** Where the request goes and where answers come back. */
export interface OptionsRequestAddresses {
  /** Target host (IP or name) and port. */
  targetHost: string;
  targetPort: number;
  /** Our local address and UDP port (the Via `sent-by`, with `rport` so NAT does not matter). */
  localHost: string;
  localPort: number;
}

/** Formats `host:port`, bracketing IPv6 addresses. */
function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** An OPTIONS request over UDP, CRLF-terminated lines, no body. */
export function buildOptionsRequest(to: OptionsRequestAddresses, ids: OptionsRequestIds): string {
  const target = hostPort(to.targetHost, to.targetPort);
  const local = hostPort(to.localHost, to.localPort);
  return [
    `OPTIONS sip:${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${local};branch=${ids.branch};rport`,
    "Max-Forwards: 70",
    `From: <sip:doctor@${local}>;tag=${ids.tag}`,
    `To: <sip:${target}>`,
    `Call-ID: ${ids.callId}`,
    "CSeq: 1 OPTIONS",
    `Contact: <sip:doctor@${local}>`,
    "Accept: application/sdp",
    "User-Agent: agent-studio-voice-doctor",
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

/** A SIP response's status line and the headers the doctor reads. */
export interface SipResponse {
  status: number;
  reason: string;
  callId: string | undefined;
  cseq: string | undefined;
  server: string | undefined;
}

// Compact header forms (RFC 3261 §7.3.3) a server may use.
const compactNames: Record<string, string> = { i: "call-id", v: "via" };

/** Parses a SIP response; undefined when the text is not one (e.g. a request, or noise). */
export function parseSipResponse(text: string): SipResponse | undefined {
  const [statusLine, ...rest] = text.split(/\r?\n/);
  const match = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(statusLine ?? "");
  if (!match) return undefined;
  const headers = new Map<string, string>();
  for (const line of rest) {
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(compactNames[name] ?? name, line.slice(colon + 1).trim());
  }
  return {
    status: Number(match[1]),
    reason: match[2],
    callId: headers.get("call-id"),
    cseq: headers.get("cseq"),
    server: headers.get("server") ?? headers.get("user-agent"),
  };
}

/** Whether `response` answers the OPTIONS request with these ids. */
export function answersRequest(response: SipResponse, ids: OptionsRequestIds): boolean {
  return response.callId === ids.callId && /^1\s+OPTIONS$/i.test(response.cseq ?? "");
}
