/**
 * Secure trunking end to end: livekit-sip with the SIP/TLS config the project renders (a test CA's
 * certificate standing in for the one Caddy obtains), LiveKit trunks requiring SRTP as the program
 * declares them, the real worker answering, and baresip as the carrier calling in over TLS.
 * A tshark capture on loopback, filtered to the test's own RTP ports, shows what crosses the wire.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { RoomServiceClient, SipClient } from "livekit-server-sdk";
import { dispatchRuleProvider, inboundTrunkProvider, outboundTrunkProvider } from "../../providers/livekit";
import { systemBinaries } from "../harness/binaries";
import { type LoopbackDns, startLoopbackDns } from "../harness/loopback-dns";
import { freeUdpRange } from "../harness/ports";
import { type VoiceStack, startVoiceStack } from "../harness/voice-stack";
import { type AgentWorker, buildWorkerIfStale, startWorker } from "../harness/worker";
import { configureLivekitProviders } from "../harness/livekit-providers";
import { createChecked } from "../integration/livekit/provider-steps";
import { sipTlsRole, tlsCertificateCheck } from "../../scripts/doctor/tls-certificate";
import { type BaresipCall, baresipCall, baresipNumber, startBaresipCarrier } from "./baresip";

jest.setTimeout(150_000);

const agentName = "e2e-secure-agent";
const stackNumber = "+15550100301";
// A number on a trunk without SRTP: the control showing the capture tells clear RTP from SRTP.
const clearNumber = "+15550100302";
const sipHost = "sip.voice.test";

let stack: VoiceStack;
let worker: AgentWorker;
let certDir: string;
// livekit-sip's Contact names the SIP host: baresip resolves it here, to 127.0.0.1.
let dns: LoopbackDns;

const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
const openssl = (dir: string, ...args: string[]) => execFileSync(systemBinaries.openssl, args, { cwd: dir, stdio: "pipe" });

/** A new key and certificate for the SIP host name (and 127.0.0.1, where the carrier dials it), valid `days`, moved into place as Caddy writes a renewal. */
function issueSipCertificate(dir: string, days: number): void {
  openssl(dir, "req", ...ec, "-keyout", "new.key", "-out", "sip.csr", "-subj", `/CN=${sipHost}`);
  writeFileSync(join(dir, "names.ext"), `subjectAltName=DNS:${sipHost},IP:127.0.0.1\n`);
  openssl(dir, "x509", "-req", "-in", "sip.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "new.crt", "-days", String(days), "-extfile", "names.ext");
  renameSync(join(dir, "new.key"), join(dir, "sip.key"));
  renameSync(join(dir, "new.crt"), join(dir, "sip.crt"));
}

/** A test CA, the SIP host's certificate and the carrier's, all signed by it. */
function issueCertificates(dir: string): void {
  openssl(dir, "req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "90", "-subj", "/CN=agent-studio-voice e2e CA");
  issueSipCertificate(dir, 60);
  // The carrier's own, for livekit-sip reaching it over TLS.
  openssl(dir, "req", ...ec, "-keyout", "carrier.key", "-out", "carrier.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(join(dir, "carrier.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(dir, "x509", "-req", "-in", "carrier.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "carrier.crt", "-days", "1", "-extfile", "carrier.ext");
  writeFileSync(join(dir, "carrier.pem"), Buffer.concat([readFileSync(join(dir, "carrier.crt")), readFileSync(join(dir, "carrier.key"))]));
}

/** A UDP datagram tshark saw: its ports and payload size. */
interface Datagram {
  srcPort: number;
  dstPort: number;
  payload: number;
}

/** The UDP datagrams tshark sees on loopback to or from `ports` while `during` runs. */
async function captureUdp(ports: { start: number; end: number }, during: () => Promise<unknown>): Promise<Datagram[]> {
  const fields = ["-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length"];
  const tshark = spawn(systemBinaries.tshark, ["-i", "lo", "-f", `udp portrange ${ports.start}-${ports.end}`, "-l", ...fields], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  tshark.stdout.on("data", (chunk) => (out += chunk));
  tshark.stderr.on("data", (chunk) => (err += chunk));
  // tshark says "Capturing on 'Loopback: lo'" once the capture runs.
  await new Promise<void>((resolve, reject) => {
    tshark.stderr.on("data", () => err.includes("Capturing on") && resolve());
    tshark.on("exit", (code) => reject(new Error(`tshark exited (${code}): ${err}`)));
  });
  try {
    await during();
  } finally {
    const exited = new Promise((resolve) => tshark.on("exit", resolve));
    tshark.kill("SIGINT");
    await exited;
  }
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [srcPort, dstPort, length] = line.split("\t").map(Number);
      // udp.length counts the 8-byte UDP header.
      return { srcPort, dstPort, payload: length - 8 };
    });
}

beforeAll(async () => {
  buildWorkerIfStale();
  certDir = mkdtempSync(join(tmpdir(), "secure-trunking-"));
  issueCertificates(certDir);
  dns = await startLoopbackDns([sipHost]);
  stack = await startVoiceStack({
    sipTls: { hostname: sipHost, certFile: join(certDir, "sip.crt"), keyFile: join(certDir, "sip.key"), caFile: join(certDir, "ca.crt") },
  });
  await configureLivekitProviders(stack.livekit);
  // Declared as the program declares them under secure trunking.
  const outbound = await createChecked(outboundTrunkProvider, {
    url: stack.livekit.url,
    name: "e2e-secure-outbound",
    address: `127.0.0.1:${stack.sip.tlsPort}`,
    numbers: [stackNumber],
    transport: "tls",
    mediaEncryption: "require",
    headers: {},
  });
  const inbound = await createChecked(inboundTrunkProvider, {
    url: stack.livekit.url,
    name: "e2e-secure-inbound",
    numbers: [stackNumber],
    allowedAddresses: ["127.0.0.1/32"],
    mediaEncryption: "require",
  });
  const clear = await createChecked(inboundTrunkProvider, { url: stack.livekit.url, name: "e2e-clear-inbound", numbers: [clearNumber], allowedAddresses: ["127.0.0.1/32"] });
  await createChecked(dispatchRuleProvider, { url: stack.livekit.url, name: "e2e-secure-calls", trunkIds: [inbound.id, clear.id], roomPrefix: "call-", agentName });
  worker = await startWorker({ livekit: stack.livekit, sipOutboundTrunkId: outbound.id, agentName, logDir: stack.logDir });
}, 180_000);

afterAll(async () => {
  await worker?.process.stop();
  await stack?.stop();
  await dns?.stop();
});

// 20 ms of PCMU is 160 bytes after the 12-byte RTP header: 172 bytes clear, 182 with SRTP's 80-bit tag.
const clearRtpSize = 172;
const srtpSize = 182;

/** A call of `seconds` from baresip, the carrier with its client certificate, to `number` at livekit-sip's TLS port, its media on `rtpPorts`. */
function tlsCall(number: string, srtp: boolean, seconds: number, rtpPorts: { start: number; end: number }): Promise<BaresipCall> {
  return baresipCall({
    target: `sip:${number}@127.0.0.1:${stack.sip.tlsPort}`,
    caFile: join(certDir, "ca.crt"),
    certificate: join(certDir, "carrier.pem"),
    srtp,
    seconds,
    rtpPorts,
    dir: stack.logDir,
    dnsServer: dns.address,
  });
}

/** An 8 s call over TLS to `number`, and the UDP payload sizes each way seen by tshark on livekit-sip's RTP ports. */
async function capturedCall(number: string, srtp: boolean) {
  const carrierRtp = await freeUdpRange(10);
  let call: BaresipCall | undefined;
  const datagrams = await captureUdp(stack.sip.rtpPorts, async () => {
    call = await tlsCall(number, srtp, 8, carrierRtp);
  });
  // By the carrier's ports: livekit-sip may still be sending to an earlier call's carrier until its media times out.
  const inCarrier = (port: number) => port >= carrierRtp.start && port <= carrierRtp.end;
  const sizes = (pick: (d: Datagram) => boolean) => datagrams.filter(pick).map((d) => d.payload);
  return { call: call as BaresipCall, sizes: { fromCarrier: sizes((d) => inCarrier(d.srcPort)), toCarrier: sizes((d) => inCarrier(d.dstPort)) } };
}

describe("a carrier calling in over SIP/TLS", () => {
  it("with SRTP is answered, and its media on the wire is SRTP (each packet 10 bytes of authentication tag longer than clear RTP), both ways", () =>
    stack.withLogs(async () => {
      const { call, sizes } = await capturedCall(stackNumber, true);
      expect(call.offeredMedia).toMatch(/^m=audio \d+ RTP\/SAVP /);
      // Loopback only, as every test's traffic.
      expect(call.offeredAddress).toBe("127.0.0.1");
      expect(call.finalStatuses).toEqual([200]);
      for (const direction of [sizes.fromCarrier, sizes.toCarrier]) {
        expect(direction.length).toBeGreaterThan(25);
        expect(direction.filter((n) => n === clearRtpSize)).toEqual([]);
        expect(direction.filter((n) => n === srtpSize).length).toBeGreaterThan(direction.length * 0.9);
      }
    }));

  it("(control) to a trunk without SRTP carries clear RTP, which the same capture sees", () =>
    stack.withLogs(async () => {
      const { call, sizes } = await capturedCall(clearNumber, false);
      expect(call.finalStatuses).toEqual([200]);
      // The carrier's ACKs reached livekit-sip (at the host name in its Contact): without them it ends calls early.
      expect(readFileSync(stack.sip.process.logPath, "utf8")).not.toContain("no ACK received");
      for (const direction of [sizes.fromCarrier, sizes.toCarrier]) {
        expect(direction.filter((n) => n === clearRtpSize).length).toBeGreaterThan(direction.length * 0.9);
      }
    }));

  it("offering clear RTP only is refused with 400 before any media flows", () =>
    stack.withLogs(async () => {
      const call = await tlsCall(stackNumber, false, 5, await freeUdpRange(10));
      expect(call.offeredMedia).toMatch(/^m=audio \d+ RTP\/AVP /);
      expect(call.finalStatuses).toEqual([400]);
    }));
});

describe("the doctor's sip-tls check against livekit-sip", () => {
  const check = (servername: string) =>
    tlsCertificateCheck({ host: "127.0.0.1", port: stack.sip.tlsPort!, servername, caFile: join(certDir, "ca.crt") }, undefined, undefined, sipTlsRole).run();

  it("passes the served certificate, naming its days left, and fails it for another name", () =>
    stack.withLogs(async () => {
      expect(await check(sipHost)).toMatchObject({ status: "pass", detail: expect.stringMatching(/^certificate for sip\.voice\.test valid until \S+ \(59 days\), issued by agent-studio-voice e2e CA$/) });
      expect(await check("sip.other.test")).toMatchObject({ status: "fail", detail: expect.stringContaining("does not name sip.other.test") });
    }));

  it("serves a certificate renewed on disk from livekit-sip's next start (what the host's pickup does), and the next call over it is answered", () =>
    stack.withLogs(async () => {
      issueSipCertificate(certDir, 80);
      // livekit-sip v1.8.0 loads the files once, at start: until then it serves the old one.
      expect((await check(sipHost)).detail).toContain("(59 days)");
      await stack.sip.restart();
      expect(await check(sipHost)).toMatchObject({ status: "pass", detail: expect.stringContaining("(79 days)") });
      const call = await tlsCall(stackNumber, true, 4, await freeUdpRange(10));
      expect(call.finalStatuses).toEqual([200]);
    }));
});

describe("livekit-sip calling out over SIP/TLS", () => {
  it("reaches a carrier that takes SRTP only: the carrier answers and the media is SRTP both ways", () =>
    stack.withLogs(async () => {
      const carrier = await startBaresipCarrier({ caFile: join(certDir, "ca.crt"), certificate: join(certDir, "carrier.pem"), srtp: true, dir: stack.logDir, dnsServer: dns.address });
      const rooms = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
      try {
        // As the program declares the outbound trunk under secure trunking, pointed at this carrier.
        const trunk = await createChecked(outboundTrunkProvider, {
          url: stack.livekit.url,
          name: "e2e-secure-carrier",
          address: carrier.tlsAddress,
          numbers: [stackNumber],
          transport: "tls",
          mediaEncryption: "require",
          headers: {},
        });
        const sip = new SipClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
        const datagrams = await captureUdp(stack.sip.rtpPorts, async () => {
          await sip.createSipParticipant(trunk.id, baresipNumber, "secure-out", { participantIdentity: "secure-out", waitUntilAnswered: true });
          await sleep(4000);
        });
        const inCarrier = (port: number) => port >= carrier.rtpPorts.start && port <= carrier.rtpPorts.end;
        for (const pick of [(d: Datagram) => inCarrier(d.srcPort), (d: Datagram) => inCarrier(d.dstPort)]) {
          const sizes = datagrams.filter(pick).map((d) => d.payload);
          expect(sizes.length).toBeGreaterThan(25);
          expect(sizes.filter((n) => n === clearRtpSize)).toEqual([]);
          expect(sizes.filter((n) => n === srtpSize).length).toBeGreaterThan(sizes.length * 0.9);
        }
        expect(carrier.process.logTail(2000)).toMatch(/^INVITE sip:\+15550100999@127\.0\.0\.1:\d+;transport=tls SIP\/2\.0/m);
      } finally {
        await rooms.deleteRoom("secure-out").catch(() => undefined);
        await carrier.process.stop();
      }
    }));
});
