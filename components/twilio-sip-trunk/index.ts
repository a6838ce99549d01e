export * from "./trunk-naming";
export * from "./twilio-sip-trunk";
