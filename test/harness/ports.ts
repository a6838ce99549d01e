import { createSocket } from "node:dgram";
import { createServer } from "node:net";

/** Which sockets a port must be free for. */
export type PortProtocol = "tcp" | "udp" | "tcp+udp";

// Ports handed out by this process; a port is not offered twice even before its server binds it.
const handedOut = new Set<number>();

// Ranges come from below Linux's default ephemeral range (32768-60999), where the kernel's own
// port-0 picks land, so a range cannot collide with a socket the kernel assigns meanwhile.
const rangeFloor = 20000;
const rangeCeiling = 32000;

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

async function free(port: number, protocol: PortProtocol, host: string): Promise<boolean> {
  if (handedOut.has(port)) {
    return false;
  }
  if (protocol !== "udp" && !(await tcpFree(port, host))) {
    return false;
  }
  return protocol === "tcp" || (await udpFree(port, host));
}

/** Asks the kernel for an unused port number. */
function kernelPick(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * A port free on `host` (loopback by default) for the given protocols, never handed out before
 * by this process. Use `host` "0.0.0.0" for servers that bind every interface.
 */
export async function freePort(protocol: PortProtocol = "tcp", host = "127.0.0.1"): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await kernelPick();
    if (await free(port, protocol, host)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`No free ${protocol} port found on ${host} after 50 attempts`);
}

/** `count` consecutive UDP ports free on `host`, e.g. an RTP range; returns the first and last. */
export async function freeUdpRange(count: number, host = "0.0.0.0"): Promise<{ start: number; end: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = rangeFloor + Math.floor(Math.random() * (rangeCeiling - rangeFloor - count));
    const ports = Array.from({ length: count }, (_, i) => start + i);
    const checks = await Promise.all(ports.map((port) => free(port, "udp", host)));
    if (checks.every(Boolean)) {
      ports.forEach((port) => handedOut.add(port));
      return { start, end: start + count - 1 };
    }
  }
  throw new Error(`No ${count} consecutive free UDP ports found on ${host} after 50 attempts`);
}
