import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";

/** The type token every dynamic resource shares unless its class passes a module and type name. */
export const genericDynamicType = "pulumi-nodejs:dynamic:Resource";

/**
 * Flags a dynamic resource registered under the generic type token: state, previews and these
 * policies could not tell a Twilio trunk from a LiveKit dispatch rule.
 */
export const validateDistinctDynamicTypes: ResourceValidation = (args, reportViolation) => {
  if (args.type !== genericDynamicType) return;
  reportViolation(
    `Dynamic resource ${args.name} has the generic type ${genericDynamicType}. ` +
      "Build its class with dynamicResourceClass({ module, type, … }) from providers/base, which registers pulumi-nodejs:dynamic/<module>:<Type>.",
  );
};

/** Every dynamic resource has its own type token. */
export const distinctDynamicTypes: ResourceValidationPolicy = {
  name: "distinct-dynamic-types",
  description: "Dynamic resources register their own type token (pulumi-nodejs:dynamic/<module>:<Type>), never the generic one.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateDistinctDynamicTypes,
};
