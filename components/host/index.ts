export * from "./host-key";
export * from "./livekit-host";
export * from "./service-account-roles";
