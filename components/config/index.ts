export * from "./carrier-ranges";
export * from "./field-reader";
export * from "./load";
export * from "./network-values";
export * from "./problems";
export * from "./stack-config";
export * from "./validate";
