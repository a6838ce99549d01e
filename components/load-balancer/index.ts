export * from "./signaling-load-balancer";
