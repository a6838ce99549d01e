export * from "./build-context-hash";
export * from "./image-naming";
export * from "./worker-image";
