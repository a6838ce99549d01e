import { services } from "../../components/runtime-config/compose";
import { hostLayout } from "../../components/runtime-config/host-layout";

/** Compose service names on the host, for fix hints. */
export type ComposeService = (typeof services)[keyof typeof services];

/** The command, run on the host over SSH, that shows a compose service's state and recent logs. */
export function inspectServiceCommand(service: ComposeService): string {
  const compose = `sudo docker compose -p ${hostLayout.composeProject} -f ${hostLayout.stackDir}/docker-compose.yml`;
  return `\`${compose} ps ${service} && ${compose} logs --tail 50 ${service}\``;
}
