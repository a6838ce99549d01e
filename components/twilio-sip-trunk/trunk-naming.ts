/**
 * Pure helpers for the TwilioSipTrunk component: origination URIs, stable child names and
 * argument checks. No Pulumi runtime needed; tested directly.
 */
import { rules } from "../../providers/twilio";
import { configFields } from "../config/fields";

/**
 * The origination URI Twilio routes inbound calls to: `sip:<host>:<port>` (IPv6 hosts bracketed;
 * the port the stack's `sipPort` defaults to), with `;transport=tls` for a secure trunk, which
 * Twilio then reaches over TLS only.
 */
export function originationSipUrl(host: string, port: number = configFields.sipPort.default, tls = false): string {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `sip:${bracketed}:${port}${tls ? ";transport=tls" : ""}`;
}

/**
 * Child-name suffix for a phone number (`+14155550100` → `14155550100`, SIDs unchanged), so
 * each number keeps its resource when the list is reordered.
 */
export function phoneNumberSuffix(phoneNumber: string): string {
  return phoneNumber.replace(/^\+/, "");
}

/** The plain (non-Output) arguments the component can check before declaring anything. */
export interface PlainTrunkArgs {
  /** Trunk domain, when known at construction. */
  trunkDomain?: string;
  /** Trunk friendly name. */
  friendlyName: string;
  /** Phone numbers to attach. */
  phoneNumbers: readonly string[];
  /** Termination source CIDRs. */
  terminationIpCidrs: readonly string[];
  /** SIP port of the origination URIs. */
  originationPort: number;
  /** Disaster-recovery URL, if any. */
  disasterRecoveryUrl?: string;
}

/** Every problem with the plain arguments, one actionable line each (argument name, value, expectation). */
export function trunkArgsProblems(args: PlainTrunkArgs): string[] {
  const problems: string[] = [];
  if (args.trunkDomain !== undefined) {
    const domain = rules.trunkDomainProblem(args.trunkDomain);
    if (domain) problems.push(`trunkDomain: ${domain}`);
  }
  const friendly = rules.friendlyNameProblem(args.friendlyName);
  if (friendly) problems.push(`friendlyName "${args.friendlyName}" ${friendly}`);
  for (const number of args.phoneNumbers) {
    const problem = rules.phoneNumberProblem(number);
    if (problem) problems.push(`phoneNumbers: ${problem}`);
  }
  const seen = new Set<string>();
  for (const number of args.phoneNumbers) {
    if (seen.has(number)) problems.push(`phoneNumbers: ${number} is listed twice`);
    seen.add(number);
  }
  for (const cidr of args.terminationIpCidrs) {
    const problem = rules.ipv4CidrProblem(cidr);
    if (problem) problems.push(`terminationIpCidrs: ${problem}`);
  }
  if (!Number.isInteger(args.originationPort) || args.originationPort < 1 || args.originationPort > 65535) {
    problems.push(`originationPort: ${args.originationPort} is not a port number from 1 to 65535`);
  }
  if (args.disasterRecoveryUrl !== undefined) {
    const url = rules.httpUrlProblem(args.disasterRecoveryUrl);
    if (url) problems.push(`disasterRecoveryUrl: ${url}`);
  }
  return problems;
}
