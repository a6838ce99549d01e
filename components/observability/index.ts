export * from "./alert-rules";
export * from "./dashboard";
export * from "./observability";
export * from "./ops-agent-config";
export * from "./runbook";
export * from "./scrape-targets";
