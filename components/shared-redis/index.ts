export * from "./shared-redis";
