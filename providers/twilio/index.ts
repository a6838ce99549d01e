/**
 * Pulumi dynamic providers for the Twilio Elastic SIP trunk, over the official `twilio` SDK
 * (`@pulumi/twilio` does not exist). Credentials come from stack config through the provider
 * `configure` step; see `settings.ts` for the keys.
 */
export { CredentialList, credentialListProvider, type CredentialListComputed, type CredentialListInputs } from "./credential-list";
export { Credential, credentialProvider, driftMarker, passwordHash, type CredentialComputed, type CredentialInputs } from "./credential";
export { apiBaseUrlProblem, rewriteUri } from "./http-client";
export { IpAccessControlList, ipAccessControlListProvider, type IpAccessControlListComputed, type IpAccessControlListInputs } from "./ip-access-control-list";
export { OriginationUrl, originationUrlProvider, type OriginationUrlComputed, type OriginationUrlInputs } from "./origination-url";
export {
  OriginationUrlSwitch,
  originationUrlSwitchProvider,
  type OriginationUrlSwitchComputed,
  type OriginationUrlSwitchInputs,
} from "./origination-url-switch";
export * as rules from "./rules";
export { connectTwilio, type TwilioSettings } from "./settings";
export { Trunk, trunkProvider, type TransferMode, type TrunkComputed, type TrunkInputs } from "./trunk";
export {
  TrunkCredentialList,
  trunkCredentialListProvider,
  TrunkIpAccessControlList,
  trunkIpAccessControlListProvider,
  type TrunkAssociationComputed,
  type TrunkAssociationInputs,
} from "./trunk-association";
export { TrunkPhoneNumber, trunkPhoneNumberProvider, type TrunkPhoneNumberComputed, type TrunkPhoneNumberInputs } from "./trunk-phone-number";
