import { RoomServiceClient } from "livekit-server-sdk";
import { services } from "../../components/runtime-config/compose";
import { httpStatusOf } from "../../providers/base/http-status";
import { withoutTokens } from "../../providers/livekit/livekit-api";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";
import { inspectServiceCommand } from "./host-commands";

/** The LiveKit API and the key pair the stack deploys. */
export interface LiveKitAccess {
  /** `https://<domain>` (the host's TLS endpoint). */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** The reason a fetch failed (`connect ECONNREFUSED …`), or the error's message. */
export function failureReason(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return withoutTokens(typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error));
}

/** The LiveKit API answers a signed request made with the stack's key pair (RoomService.ListRooms). */
export function livekitApiCheck(access: LiveKitAccess): DoctorCheck {
  return {
    name: "livekit-api",
    async run(): Promise<CheckOutcome> {
      const client = new RoomServiceClient(access.url, access.apiKey, access.apiSecret, { requestTimeout: 10 });
      try {
        const rooms = await client.listRooms();
        return pass(`${access.url} answered ListRooms with key ${access.apiKey} (${rooms.length} room${rooms.length === 1 ? "" : "s"})`);
      } catch (error) {
        const status = httpStatusOf(error);
        if (status === 401 || status === 403) {
          return fail(
            `${access.url} refused key ${access.apiKey} (HTTP ${status})`,
            `The stack config livekitApiKey/livekitApiSecret must match the keys livekit-server runs with: run \`pulumi up\` to redeploy livekit.yaml, ` +
              `or fix the key with \`pulumi config set --secret livekitApiSecret <secret>\`.`,
          );
        }
        const what = status === undefined ? failureReason(error) : `HTTP ${status}: ${failureReason(error)}`;
        return fail(`${access.url} did not answer ListRooms: ${what}`, `Check the dns and tls lines, then livekit-server: ${inspectServiceCommand(services.livekit)}`);
      }
    },
  };
}
