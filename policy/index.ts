import { PolicyPack } from "@pulumi/policy";
import { securityPolicies } from "./policies";

// Loaded by the Pulumi CLI (`pulumi preview --policy-pack policy`); constructing the pack starts
// the analyzer server the engine talks to.
new PolicyPack("agent-studio-voice-security", {
  description: "Security guardrails for Agent Studio's voice stack",
  enforcementLevel: "mandatory",
  policies: securityPolicies,
});
