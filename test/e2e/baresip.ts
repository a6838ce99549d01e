/**
 * baresip as a carrier speaking SIP over TLS with SRTP (SDES keys in the SDP, RFC 4568), as a
 * Twilio secure trunk does; Debian's sipp is built without TLS. Calling in, one process per call:
 * it dials, plays a 440 Hz tone as the caller's voice, and quits after `seconds`; calls out reach a
 * long-running one that answers. Its SIP trace is its log.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { tcpOpen } from "../../scripts/doctor/closed-ports";
import { systemBinaries } from "../harness/binaries";
import { type ManagedProcess, startProcess } from "../harness/managed-process";
import { freeUdpRange } from "../harness/ports";
import { waitUntil } from "../harness/wait-until";

/** Where baresip runs and how it speaks. */
interface BaresipSetup {
  /** `address:port` it listens on: UDP and TCP there, TLS on the next port (baresip's own rule). */
  listen: string;
  /** PEM of the only CA it trusts. */
  caFile: string;
  /** Its own certificate chain and key in one PEM, presented when reached over TLS. */
  certificate: string;
  /** SRTP only (RTP/SAVP with an SDES key), else clear RTP/AVP only. */
  srtp: boolean;
  /** Its RTP ports. */
  rtpPorts: { start: number; end: number };
  /** Answer incoming calls. */
  answer?: boolean;
  /**
   * `127.0.0.1:<port>` of the DNS server it asks (a loopback one, see startLoopbackDns): it looks up
   * the host name in livekit-sip's Contact to send its ACK there, and must not ask the machine's resolver.
   */
  dnsServer: string;
  /** Directory its config directory is made in. */
  dir: string;
}

/** A config directory for baresip: PCMU only, a 440 Hz tone as its voice, what it hears into a WAV file. */
function writeConfig(setup: BaresipSetup): string {
  const dir = mkdtempSync(join(setup.dir, "baresip-"));
  writeFileSync(
    join(dir, "config"),
    [
      "poll_method epoll",
      // Loopback only: without it baresip advertises the machine's default address in its SDP.
      "net_interface 127.0.0.1",
      `sip_listen ${setup.listen}`,
      `dns_server ${setup.dnsServer}`,
      `sip_cafile ${setup.caFile}`,
      `sip_certificate ${setup.certificate}`,
      `audio_player aufile,${join(dir, "heard.wav")}`,
      "audio_source ausine,440",
      // ausine makes 48 kHz stereo only; baresip resamples to the codec's 8 kHz mono.
      "ausrc_srate 48000",
      "ausrc_channels 2",
      "audio_alert aufile,/dev/null",
      `rtp_ports ${setup.rtpPorts.start}-${setup.rtpPorts.end}`,
      "module_path /usr/lib/baresip/modules",
      ...["stdio", "g711", "ausine", "aufile", "srtp"].map((m) => `module ${m}.so`),
      "module_app account.so",
      "module_app menu.so",
      "",
    ].join("\n"),
  );
  const mediaenc = setup.srtp ? ";mediaenc=srtp-mand" : "";
  const answer = setup.answer ? ";answermode=auto" : "";
  writeFileSync(join(dir, "accounts"), `<sip:${baresipNumber}@127.0.0.1;transport=tls>;regint=0;audio_codecs=PCMU${mediaenc}${answer}\n`);
  return dir;
}

/** The number baresip's account has: it answers calls to this user only (others get 404). */
export const baresipNumber = "+15550100999";

/** baresip answering every call it gets over TLS, until stopped. */
export interface BaresipCarrier {
  /** `host:port` of its TLS listener, as an outbound trunk's address. */
  tlsAddress: string;
  /** Its RTP ports. */
  rtpPorts: { start: number; end: number };
  /** The process; its log holds the SIP trace. */
  process: ManagedProcess;
}

/** Starts baresip as a carrier that answers calls over SIP/TLS, with SRTP or clear RTP as `setup` says. */
export async function startBaresipCarrier(setup: Omit<BaresipSetup, "listen" | "answer" | "rtpPorts">): Promise<BaresipCarrier> {
  // baresip takes TLS on the port after its UDP/TCP one.
  const ports = await freeUdpRange(2, "127.0.0.1");
  const rtpPorts = await freeUdpRange(10);
  const dir = writeConfig({ ...setup, listen: `127.0.0.1:${ports.start}`, answer: true, rtpPorts });
  const process = startProcess({ name: "baresip", command: systemBinaries.baresip, args: ["-f", dir, "-s"], logDir: setup.dir });
  const tlsPort = ports.start + 1;
  await waitUntil(`baresip listens for SIP/TLS on ${tlsPort}`, () => tcpOpen("127.0.0.1", tlsPort, 500), [process]);
  return { tlsAddress: `127.0.0.1:${tlsPort}`, rtpPorts, process };
}

/** What one call of {@link baresipCall} shows. */
export interface BaresipCall {
  /** Status codes of the final responses to the INVITE, in order. */
  finalStatuses: number[];
  /** The SDP media line the carrier offered. */
  offeredMedia: string | undefined;
  /** The address its offer sends media to (`c=`). */
  offeredAddress: string | undefined;
  /** The whole SIP trace and log. */
  log: string;
}

/**
 * Calls `target` (`sip:<number>@<host>:<port>`) over TLS trusting `caFile` only, presenting
 * `certificate` (PEM chain and key) when reached over TLS; `srtp` offers RTP/SAVP with an
 * AES_CM_128_HMAC_SHA1_80 key and refuses clear media, else clear RTP/AVP.
 */
export async function baresipCall(options: Omit<BaresipSetup, "listen" | "answer"> & { target: string; seconds: number }): Promise<BaresipCall> {
  const dir = writeConfig({ ...options, listen: "127.0.0.1:0" });
  const { stdout, stderr } = await promisify(execFile)(systemBinaries.baresip, ["-f", dir, "-s", "-t", String(options.seconds), "-e", `/dial ${options.target}`], {
    timeout: (options.seconds + 15) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? "", stderr: error.stderr ?? "" }));
  const log = `${stdout}${stderr}`;
  writeFileSync(join(dir, "baresip.log"), log);
  const finalStatuses = [...log.matchAll(/^SIP\/2\.0 ([2-6]\d\d)[^\n]*\n(?:[^\n]+\n)*?CSeq: \d+ INVITE/gm)].map((m) => Number(m[1]));
  return { finalStatuses, offeredMedia: /^m=audio [^\n]*/m.exec(log)?.[0], offeredAddress: /^c=IN IP4 (\S+)/m.exec(log)?.[1], log };
}
