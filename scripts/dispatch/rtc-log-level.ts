/**
 * Imported before `@livekit/rtc-node`: its logger writes debug lines to standard output unless
 * NODE_ENV is "production" (read once, when it loads), which would mix them into the call's report.
 * Nothing else in this script reads NODE_ENV.
 */
process.env.NODE_ENV = "production";
