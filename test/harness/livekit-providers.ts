/**
 * The project's LiveKit providers (trunks and dispatch rule) pointed at a harness livekit-server,
 * configured as the Pulumi engine configures them from the stack config.
 */
import { staticProviderConfig } from "../../providers/base";
import { dispatchRuleProvider, inboundTrunkProvider, outboundTrunkProvider } from "../../providers/livekit";
import type { LivekitServer } from "./livekit-server";

/** Stack config carrying a harness server's API credentials, as `pulumi config set` would hold them. */
export function liveKitStackConfig(credentials: Pick<LivekitServer, "apiKey" | "apiSecret">) {
  return staticProviderConfig(
    {
      "agent-studio-voice:livekitApiKey": credentials.apiKey,
      "agent-studio-voice:livekitApiSecret": credentials.apiSecret,
    },
    "agent-studio-voice",
  );
}

/** Configures the three LiveKit providers (trunks and dispatch rule) with a harness server's credentials, as the engine does. */
export async function configureLivekitProviders(credentials: Pick<LivekitServer, "apiKey" | "apiSecret">): Promise<void> {
  const config = liveKitStackConfig(credentials);
  for (const provider of [outboundTrunkProvider, inboundTrunkProvider, dispatchRuleProvider]) {
    await provider.configure({ config });
  }
}
