/**
 * Twilio Elastic SIP Trunking's published source ranges, the default carrier ranges for the SIP
 * and RTP firewall rules. Source: https://www.twilio.com/docs/sip-trunking/ip-addresses
 * (signaling: one /30 per edge location; media: the single range used by every edge since 2022).
 * Override with the `carrierSignalingCidrs` / `carrierMediaCidrs` stack config keys.
 */
export const twilioSignalingCidrs: readonly string[] = [
  "54.172.60.0/30", // ashburn (US East)
  "54.244.51.0/30", // umatilla (US West)
  "54.171.127.192/30", // dublin (Europe)
  "35.156.191.128/30", // frankfurt (Europe)
  "54.65.63.192/30", // tokyo (Asia Pacific)
  "54.169.127.128/30", // singapore (Asia Pacific)
  "54.252.254.64/30", // sydney (Asia Pacific)
  "177.71.206.192/30", // sao-paulo (South America)
];

/** Twilio's media (RTP) source range for every edge location. */
export const twilioMediaCidrs: readonly string[] = ["168.86.128.0/18"];
