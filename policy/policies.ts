import type { Policies } from "@pulumi/policy";
import { carrierOnlySipRtp } from "./carrier-only-sip-rtp";
import { distinctDynamicTypes } from "./distinct-dynamic-types";
import { loadBalancerOnlyBackend } from "./load-balancer-only-backend";
import { noClearSecrets } from "./no-clear-secrets";
import { noPublicInternalPorts } from "./no-public-internal-ports";
import { noSecretStackOutputs } from "./no-secret-stack-outputs";
import { pinnedImages } from "./pinned-images";
import { secureTrunkingNoClearSip } from "./secure-trunking-no-clear-sip";
import { shieldedLeastPrivilegeVm } from "./shielded-least-privilege-vm";

/**
 * Every policy of the pack. Kept apart from index.ts, which starts the policy server when
 * loaded, so tests can run each policy's validation directly.
 */
export const securityPolicies: Policies = [
  noPublicInternalPorts,
  loadBalancerOnlyBackend,
  carrierOnlySipRtp,
  secureTrunkingNoClearSip,
  pinnedImages,
  shieldedLeastPrivilegeVm,
  noClearSecrets,
  noSecretStackOutputs,
  distinctDynamicTypes,
];
