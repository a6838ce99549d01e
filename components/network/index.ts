export * from "./firewall-rules";
export * from "./network";
