/**
 * Starts a local stack and keeps it running until interrupted, printing one JSON line with its
 * URLs, credentials, ports and process IDs: `npx tsx test/harness/start-stack.ts [--sip]`.
 * For poking at the servers by hand; the harness tests also use it as a test process to kill.
 */
import type { LivekitSip } from "./livekit-sip";
import { type LivekitStack, startLivekitStack, startVoiceStack } from "./voice-stack";

async function main(): Promise<void> {
  const stack: LivekitStack & { sip?: LivekitSip } = process.argv.includes("--sip")
    ? await startVoiceStack()
    : await startLivekitStack();
  const { redis, livekit, sip } = stack;
  console.log(
    JSON.stringify({
      logDir: stack.logDir,
      redis: { address: redis.address, pid: redis.process.pid },
      livekit: {
        url: livekit.url,
        wsUrl: livekit.wsUrl,
        apiKey: livekit.apiKey,
        apiSecret: livekit.apiSecret,
        configPath: livekit.configPath,
        pid: livekit.process.pid,
      },
      ...(sip && { sip: { host: sip.host, sipPort: sip.sipPort, rtpPorts: sip.rtpPorts, configPath: sip.configPath, pid: sip.process.pid } }),
    }),
  );
  const shutDown = (): void => {
    void stack.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutDown);
  process.once("SIGTERM", shutDown);
  // Keep the event loop alive: the harness unrefs its child processes.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
