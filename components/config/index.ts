export * from "./field-reader";
export * from "./fields";
export * from "./load";
export * from "./network-values";
export * from "./node-zones";
export * from "./stack-config";
export * from "./validate";
