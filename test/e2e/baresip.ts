/**
 * baresip as a carrier speaking SIP over TLS with SRTP (SDES keys in the SDP, RFC 4568), as a
 * Twilio secure trunk does; Debian's sipp is built without TLS. One process per call: it dials,
 * plays a 440 Hz tone as the caller's voice, and hangs up after `seconds`; its SIP trace is the log.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { systemBinaries } from "../harness/binaries";

/** What one call of {@link baresipCall} shows. */
export interface BaresipCall {
  /** Status codes of the final responses to the INVITE, in order. */
  finalStatuses: number[];
  /** The SDP media line the carrier offered. */
  offeredMedia: string | undefined;
  /** The whole SIP trace and log. */
  log: string;
}

/**
 * Calls `target` (`sip:<number>@<host>:<port>`) over TLS trusting `caFile` only, presenting
 * `certificate` (PEM chain and key) when reached over TLS; `srtp` offers RTP/SAVP with an
 * AES_CM_128_HMAC_SHA1_80 key and refuses clear media, else clear RTP/AVP.
 */
export async function baresipCall(options: {
  target: string;
  caFile: string;
  certificate: string;
  srtp: boolean;
  seconds: number;
  rtpPorts: { start: number; end: number };
  dir: string;
}): Promise<BaresipCall> {
  const dir = mkdtempSync(join(options.dir, "baresip-"));
  writeFileSync(
    join(dir, "config"),
    [
      "poll_method epoll",
      "sip_listen 127.0.0.1:0",
      `sip_cafile ${options.caFile}`,
      // Its own certificate (chain and key in one PEM): livekit-sip reaches it over TLS too, for requests inside the call and for calls out.
      `sip_certificate ${options.certificate}`,
      `audio_player aufile,${join(dir, "heard.wav")}`,
      "audio_source ausine,440",
      // ausine makes 48 kHz stereo only; baresip resamples to the codec's 8 kHz mono.
      "ausrc_srate 48000",
      "ausrc_channels 2",
      "audio_alert aufile,/dev/null",
      `rtp_ports ${options.rtpPorts.start}-${options.rtpPorts.end}`,
      "module_path /usr/lib/baresip/modules",
      ...["stdio", "g711", "ausine", "aufile", "srtp"].map((m) => `module ${m}.so`),
      "module_app account.so",
      "module_app menu.so",
      "",
    ].join("\n"),
  );
  const mediaenc = options.srtp ? ";mediaenc=srtp-mand" : "";
  writeFileSync(join(dir, "accounts"), `<sip:+15550100999@127.0.0.1;transport=tls>;regint=0;audio_codecs=PCMU${mediaenc}\n`);
  const { stdout, stderr } = await promisify(execFile)(systemBinaries.baresip, ["-f", dir, "-s", "-t", String(options.seconds), "-e", `/dial ${options.target}`], {
    timeout: (options.seconds + 15) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? "", stderr: error.stderr ?? "" }));
  const log = `${stdout}${stderr}`;
  writeFileSync(join(dir, "baresip.log"), log);
  const finalStatuses = [...log.matchAll(/^SIP\/2\.0 ([2-6]\d\d)[^\n]*\n(?:[^\n]+\n)*?CSeq: \d+ INVITE/gm)].map((m) => Number(m[1]));
  return { finalStatuses, offeredMedia: /^m=audio [^\n]*/m.exec(log)?.[0], log };
}
