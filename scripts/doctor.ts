/**
 * Checks a live environment and prints a pass/fail table with the fix for each failure: DNS,
 * TLS on 443, the SIP/TLS certificate on 5061 (secure trunking), the LiveKit API with the stack's keys, livekit-sip answering SIP OPTIONS (clear SIP only), the
 * LiveKit outbound trunk, an inbound call to the first number (trunk, dispatch rule, a registered
 * worker), the Twilio trunk's origination URL, and the internal ports (and clear SIP under secure trunking) closed.
 * With several nodes the per-host lines (SIP, origination URL, closed ports) are run for every node,
 * each named for its node, and DNS and TLS are those of the load balancer. Exits 1 when any check fails.
 *
 *   npm run doctor -- --stack prod                 (reads outputs and config with the Pulumi CLI)
 *   npm run doctor -- --domain voice.example.com --ip 203.0.113.10 --api-key APIxxx ...
 */
import * as path from "node:path";
import { configFields, twilioSignalingCidrs } from "../components/config/fields";
import { fixedPublicPorts } from "../components/runtime-config/host-layout";
import { sipTlsPort } from "../components/runtime-config/sip-tls";
import { internalServicePorts } from "./doctor/closed-ports";
import { doctorChecks } from "./doctor/doctor-checks";
import { doctorUsage, parseDoctorFlags } from "./doctor/doctor-flags";
import { type DoctorInputs, mergeInputs, severalNodeIps } from "./doctor/doctor-inputs";
import { exitCodeOf, formatReport } from "./doctor/report";
import { runChecks } from "./doctor/run-checks";
import { readStackInputs } from "./doctor/stack-inputs";
import { readFlags } from "./cli-args";
import { pulumiCli } from "./pulumi-cli";

const defaults: DoctorInputs = {
  dnsServers: [],
  tlsPort: fixedPublicPorts.caddyTls,
  sipPort: configFields.sipPort.default,
  secureTrunking: configFields.secureTrunking.default,
  sipTlsPort: sipTlsPort,
  carrierCidrs: [...twilioSignalingCidrs],
  twilio: {},
  closedPorts: [...internalServicePorts],
};

async function main(): Promise<number> {
  const read = readFlags(() => parseDoctorFlags(process.argv.slice(2), process.env), doctorUsage);
  if ("exitCode" in read) return read.exitCode;
  const { flags } = read;
  let stackInputs: Partial<DoctorInputs> = {};
  if (flags.stack !== undefined) {
    try {
      stackInputs = await readStackInputs(pulumiCli({ cwd: path.join(__dirname, "..") }), flags.stack);
    } catch (error) {
      console.error(`Could not read stack "${flags.stack}": ${(error as Error).message}`);
      return 2;
    }
  }
  const inputs = mergeInputs(defaults, stackInputs, flags.inputs);
  const results = await runChecks(doctorChecks(inputs), flags.skip);
  const nodeIps = severalNodeIps(inputs);
  const addresses = nodeIps
    ? `load balancer ${inputs.loadBalancerIp ?? "unknown"}; nodes ${nodeIps.map((ip, node) => `${node}: ${ip}`).join(", ")}`
    : (inputs.staticIp ?? "no static IP");
  const subject = `${inputs.domain ?? "(no domain)"} (${addresses})`;
  console.log(`Doctor${flags.stack ? ` for stack "${flags.stack}"` : ""}: ${subject}\n`);
  console.log(formatReport(results));
  return exitCodeOf(results);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
