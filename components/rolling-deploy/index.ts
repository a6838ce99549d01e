export * from "./node-roll";
export * from "./rolling-deploy-gate";
export * from "./sip-drain-script";
