import * as pulumi from "@pulumi/pulumi";
import {
  Credential,
  CredentialList,
  IpAccessControlList,
  OriginationUrl,
  Trunk,
  TrunkCredentialList,
  TrunkIpAccessControlList,
  TrunkPhoneNumber,
  type TransferMode,
} from "../../providers/twilio";
import { configFields } from "../config/fields";
import { originationSipUrl, phoneNumberSuffix, trunkArgsProblems } from "./trunk-naming";

/** Arguments of {@link TwilioSipTrunk}. Twilio credentials are not here: the providers read them from stack config. */
export interface TwilioSipTrunkArgs {
  /** Termination domain LiveKit's outbound trunk dials, ending in `pstn.twilio.com`. Defaults to none (required). */
  trunkDomain: pulumi.Input<string>;
  /** Static IP (or host name; the certificate's name when `secure`) of the SIP node Twilio sends inbound calls to. Defaults to none (required). */
  originationHost: pulumi.Input<string>;
  /** Further SIP nodes, each getting its own origination URL with equal priority and weight. Defaults to none. */
  additionalOriginationHosts?: pulumi.Input<string>[];
  /** SIP port of every origination URL. Defaults to the stack's default `sipPort`. */
  originationPort?: number;
  /** Digest username LiveKit's outbound trunk authenticates with (up to 32 characters). Defaults to none (required). */
  sipUsername: pulumi.Input<string>;
  /** Digest password (made secret here if it is not already; Twilio's rules apply). Defaults to none (required). */
  sipPassword: pulumi.Input<string>;
  /** Numbers the account owns to route through the trunk, E.164 or `PN…` SIDs. Defaults to none. */
  phoneNumbers?: string[];
  /** Friendly name of the trunk, credential list and IP access control list (up to 64 characters). Defaults to the component name. */
  friendlyName?: string;
  /** Source CIDRs allowed to place outbound calls, as an IP access control list on the trunk. Defaults to none (credential auth only). */
  terminationIpCidrs?: string[];
  /** Secure trunking (TLS signaling, SRTP media): origination URLs get `;transport=tls`. Defaults to false (livekit-sip listens on plain SIP/RTP). */
  secure?: boolean;
  /** CNAM caller-name lookup on inbound US/Canada calls. Defaults to false. */
  cnamLookupEnabled?: boolean;
  /** Call transfer setting. Defaults to `disable-all`. */
  transferMode?: TransferMode;
  /** TwiML URL Twilio calls when no origination URL answers. Defaults to none. */
  disasterRecoveryUrl?: string;
  /**
   * The origination URLs' `enabled` belongs to the rolling deploy, which disables a node's URL while
   * the node drains and re-enables it after: `pulumi up` leaves it as it finds it. Defaults to false.
   */
  enabledSetByRollingDeploy?: boolean;
}

/** Priority and weight of every origination URL: all nodes equal, so Twilio spreads load evenly. */
const ORIGINATION_PRIORITY = 10;
const ORIGINATION_WEIGHT = 10;

/**
 * A Twilio Elastic SIP trunk wired to the voice host: the trunk, a credential list holding the
 * one credential LiveKit's outbound trunk uses (associated with the trunk for termination
 * auth), an origination URL per SIP node, the phone numbers, and optionally an IP access
 * control list. Buying the numbers stays a manual step (see docs/twilio.md).
 */
export class TwilioSipTrunk extends pulumi.ComponentResource {
  /** Termination domain (`<name>.pstn.twilio.com`, no scheme): the address LiveKit's outbound trunk dials. */
  public readonly terminationUri: pulumi.Output<string>;
  /** Username of the credential in the trunk's credential list. */
  public readonly sipUsername: pulumi.Output<string>;
  /** Password of that same credential (secret). */
  public readonly sipPassword: pulumi.Output<string>;
  /** Trunk SID (`TK…`). */
  public readonly trunkSid: pulumi.Output<string>;
  /** Credential list SID (`CL…`) the trunk authenticates termination calls against. */
  public readonly credentialListSid: pulumi.Output<string>;
  /** Origination SIP URIs, primary host first. */
  public readonly originationUrls: pulumi.Output<string[]>;
  /** SIDs (`OU…`) of the origination URLs, in the same order: the rolling deploy switches each node's. */
  public readonly originationUrlSids: pulumi.Output<string>[];
  /** E.164 numbers attached to the trunk, in the order configured. */
  public readonly phoneNumbers: pulumi.Output<string[]>;

  constructor(name: string, args: TwilioSipTrunkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:twilio:TwilioSipTrunk", name, {}, opts);

    const friendlyName = args.friendlyName ?? name;
    const originationPort = args.originationPort ?? configFields.sipPort.default;
    const originationHosts = [args.originationHost, ...(args.additionalOriginationHosts ?? [])];
    const phoneNumbers = args.phoneNumbers ?? [];
    const terminationIpCidrs = args.terminationIpCidrs ?? [];
    const secure = args.secure ?? false;
    const cnamLookupEnabled = args.cnamLookupEnabled ?? false;
    const transferMode = args.transferMode ?? "disable-all";
    const enabledSetByRollingDeploy = args.enabledSetByRollingDeploy ?? false;
    const sipPassword = pulumi.secret(args.sipPassword);

    const problems = trunkArgsProblems({
      trunkDomain: typeof args.trunkDomain === "string" ? args.trunkDomain : undefined,
      friendlyName,
      phoneNumbers,
      terminationIpCidrs,
      originationPort,
      disasterRecoveryUrl: args.disasterRecoveryUrl,
    });
    if (problems.length > 0) throw new pulumi.ResourceError(`TwilioSipTrunk ${name}:\n- ${problems.join("\n- ")}`, this);

    const child = { parent: this };
    const trunk = new Trunk(
      `${name}-trunk`,
      {
        friendlyName,
        domainName: args.trunkDomain,
        secure,
        cnamLookupEnabled,
        transferMode,
        ...(args.disasterRecoveryUrl !== undefined ? { disasterRecoveryUrl: args.disasterRecoveryUrl, disasterRecoveryMethod: "POST" as const } : {}),
      },
      child,
    );
    const credentialList = new CredentialList(`${name}-credential-list`, { friendlyName }, child);
    const credential = new Credential(
      `${name}-credential`,
      { credentialListSid: credentialList.sid, username: args.sipUsername, password: sipPassword },
      child,
    );
    new TrunkCredentialList(`${name}-termination-auth`, { trunkSid: trunk.sid, listSid: credentialList.sid }, child);

    const originationUrls = originationHosts.map(
      (host, index) =>
        new OriginationUrl(
          `${name}-origination-${index}`,
          {
            trunkSid: trunk.sid,
            friendlyName: `${friendlyName} SIP node ${index}`.slice(0, 64),
            sipUrl: pulumi.output(host).apply((h) => originationSipUrl(h, originationPort, secure)),
            priority: ORIGINATION_PRIORITY,
            weight: ORIGINATION_WEIGHT,
            enabled: true,
          },
          // Several nodes only: the rolling deploy flips `enabled` out of band, and an update must not
          // re-enable a draining node's URL. A single host keeps its options as they always were.
          enabledSetByRollingDeploy ? { ...child, ignoreChanges: ["enabled"] } : child,
        ),
    );

    const attached = phoneNumbers.map(
      (phoneNumber) => new TrunkPhoneNumber(`${name}-number-${phoneNumberSuffix(phoneNumber)}`, { trunkSid: trunk.sid, phoneNumber }, child),
    );

    if (terminationIpCidrs.length > 0) {
      const acl = new IpAccessControlList(`${name}-termination-acl`, { friendlyName, cidrs: terminationIpCidrs }, child);
      new TrunkIpAccessControlList(`${name}-termination-acl-link`, { trunkSid: trunk.sid, listSid: acl.sid }, child);
    }

    this.terminationUri = trunk.domainName;
    // Taken from the credential resource itself, so what LiveKit dials with is provably what
    // sits in the trunk's credential list.
    this.sipUsername = credential.username;
    this.sipPassword = pulumi.secret(credential.password);
    this.trunkSid = trunk.sid;
    this.credentialListSid = credentialList.sid;
    this.originationUrls = pulumi.all(originationUrls.map((url) => url.sipUrl));
    this.originationUrlSids = originationUrls.map((url) => url.sid);
    this.phoneNumbers = pulumi.all(attached.map((number) => number.e164));
    this.registerOutputs({
      terminationUri: this.terminationUri,
      sipUsername: this.sipUsername,
      sipPassword: this.sipPassword,
      trunkSid: this.trunkSid,
      credentialListSid: this.credentialListSid,
      originationUrls: this.originationUrls,
      phoneNumbers: this.phoneNumbers,
    });
  }
}
