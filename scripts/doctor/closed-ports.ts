import { Socket } from "node:net";
import { internalServices } from "../../components/runtime-config/host-layout";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";

/** A TCP port that must not answer from outside the host. */
export interface ClosedPort {
  port: number;
  /** What listens there on the host. */
  what: string;
}

/** The host's internal services (DESIGN.md: never public; loopback or blocked by the firewall). */
export const internalServicePorts: readonly ClosedPort[] = internalServices;

/** Whether a TCP connection to `host:port` succeeds within the timeout (refused or silent: closed). */
export function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.connect(port, host);
  });
}

/** None of the internal services' TCP ports accepts a connection from this machine. */
export function closedPortsCheck(host: string, ports: readonly ClosedPort[], timeoutMs = 3000): DoctorCheck {
  return {
    name: "closed-ports",
    async run(): Promise<CheckOutcome> {
      const open = (await Promise.all(ports.map(async (p) => ((await tcpOpen(host, p.port, timeoutMs)) ? p : undefined)))).filter(
        (p): p is ClosedPort => p !== undefined,
      );
      const list = (items: readonly ClosedPort[]) => items.map((p) => `${p.port} (${p.what})`).join(", ");
      if (open.length === 0) return pass(`closed on ${host}: ${list(ports)}`);
      return fail(
        `open on ${host}: ${list(open)} accept${open.length === 1 ? "s" : ""} TCP connections from this machine`,
        "These services must bind 127.0.0.1 and no firewall rule may open them: `pulumi up` restores the firewall rules " +
          "(check for rules added outside Pulumi with `gcloud compute firewall-rules list`) and the rendered configs.",
      );
    },
  };
}
