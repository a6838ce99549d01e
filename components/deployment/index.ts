export * from "./deploy-commands";
export * from "./shell";
export * from "./stack-deployment";
export * from "./worker-deployment";
