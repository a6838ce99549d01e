import { services, workerProfile } from "../../components/runtime-config/compose";
import { hostLayout, workerSlots } from "../../components/runtime-config/host-layout";

/** Compose service names on the host, for fix hints. */
export type ComposeService = (typeof services)[keyof typeof services] | (typeof workerSlots)[number]["service"];

/** Both worker slots: one serves, the other is idle or ending the calls of the previous deploy. */
export const workerServices: ComposeService[] = workerSlots.map((slot) => slot.service);

/** The command, run on the host over SSH, that shows compose services' state and recent logs. */
export function inspectServiceCommand(...names: ComposeService[]): string {
  // The worker's services are in their own profile; compose ignores them without it.
  const profile = names.some((name) => workerServices.includes(name)) ? ` --profile ${workerProfile}` : "";
  const compose = `sudo docker compose -p ${hostLayout.composeProject} -f ${hostLayout.stackDir}/docker-compose.yml${profile}`;
  return `\`${compose} ps ${names.join(" ")} && ${compose} logs --tail 50 ${names.join(" ")}\``;
}
