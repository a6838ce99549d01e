export * from "./livekit-sip-trunks";
