import { createSocket, type Socket } from "node:dgram";

/** A loopback DNS server answering A queries from a fixed table, for tests of DNS clients. */
export interface DnsResponder {
  /** `127.0.0.1:<port>`, what `dns.Resolver#setServers` takes. */
  address: string;
  stop(): Promise<void>;
}

/** Reads the question's name (uncompressed labels, as every client sends) and returns where it ends. */
function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (message[at] !== 0) {
    const length = message[at];
    labels.push(message.subarray(at + 1, at + 1 + length).toString("ascii"));
    at += 1 + length;
  }
  return { name: labels.join(".").toLowerCase(), end: at + 1 };
}

/** The answer to one query (RFC 1035 §4.1): the A records of `records[name]`, or NXDOMAIN. */
function answer(query: Buffer, records: Readonly<Record<string, readonly string[]>>): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const addresses = records[name];
  const answers = addresses !== undefined && qtype === 1 ? addresses : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // ID
  // QR=1, opcode 0, AA=1, RD copied, RA=1; RCODE 3 (NXDOMAIN) for unknown names.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (addresses === undefined ? 3 : 0), 2);
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(answers.length, 6); // ANCOUNT
  const resourceRecords = answers.map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(1, 2); // TYPE A
    rr.writeUInt16BE(1, 4); // CLASS IN
    rr.writeUInt32BE(60, 6); // TTL
    rr.writeUInt16BE(4, 10); // RDLENGTH
    ip.split(".").forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
    return rr;
  });
  return Buffer.concat([header, question, ...resourceRecords]);
}

/** Starts a DNS server on 127.0.0.1 and a free UDP port, answering A queries for `records` (lower-case names). */
export async function startDnsResponder(records: Readonly<Record<string, readonly string[]>>): Promise<DnsResponder> {
  const socket: Socket = createSocket("udp4");
  socket.on("message", (query, peer) => socket.send(answer(query, records), peer.port, peer.address));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    stop: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
