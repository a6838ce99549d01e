export * from "./compose";
export * from "./file-names";
export * from "./host-files";
export * from "./host-layout";
export * from "./livekit-yaml";
export * from "./runtime-config";
export * from "./runtime-files";
export * from "./sip-config";
