import { createSocket } from "node:dgram";

/** A DNS server on loopback that knows a few names, all at 127.0.0.1. */
export interface LoopbackDns {
  /** `127.0.0.1:<port>`, as a resolver setting. */
  address: string;
  /** Closes its socket. */
  stop(): Promise<void>;
}

const TYPE_A = 1;
const NXDOMAIN = 3;

/** The query's question section (name labels, type and class) and its type, or undefined for a malformed query. */
function question(query: Buffer): { section: Buffer; name: string; type: number } | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset];
    labels.push(query.toString("ascii", offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  const end = offset + 5;
  if (end > query.length) return undefined;
  return { section: query.subarray(12, end), name: labels.join(".").toLowerCase(), type: query.readUInt16BE(offset + 1) };
}

/**
 * Answers A queries for `names` with 127.0.0.1 (other types: no record), and NXDOMAIN for every
 * other name, so a SIP client told to use it (baresip's `dns_server`) resolves a test host name
 * without asking the machine's resolver, which is no loopback address.
 */
export function startLoopbackDns(names: readonly string[]): Promise<LoopbackDns> {
  const known = new Set(names.map((name) => name.toLowerCase()));
  const socket = createSocket("udp4");
  socket.on("message", (query, from) => {
    const asked = question(query);
    if (!asked) return;
    const found = known.has(asked.name);
    const answer = found && asked.type === TYPE_A;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    // A response, recursion desired and available; NXDOMAIN for a name it does not know.
    header.writeUInt16BE(0x8180 | (found ? 0 : NXDOMAIN), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    // The answer's name points back at the question's (offset 12); class IN, 60 s, 127.0.0.1.
    const record = answer ? Buffer.from([0xc0, 0x0c, 0, TYPE_A, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]) : Buffer.alloc(0);
    socket.send(Buffer.concat([header, asked.section, record]), from.port, from.address);
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () =>
      resolve({
        address: `127.0.0.1:${socket.address().port}`,
        stop: () => new Promise<void>((done) => socket.close(() => done())),
      }),
    );
  });
}
