import { configFields } from "../../components/config/fields";
import { MAX_SIP_USERNAME } from "../../providers/twilio/rules";

const slotSuffix = /-(a|b)$/;

/**
 * The username the next rotation uses: the current one's base name with the other of two slot
 * suffixes, `-a` and `-b` (`livekit-prod` → `livekit-prod-a` → `livekit-prod-b` →
 * `livekit-prod-a` …). A new username makes the rotation replace the Twilio credential
 * (create the new one, then delete the old one) instead of changing its password in place, so
 * both credentials are valid while LiveKit's outbound trunk switches over. Throws when the
 * result would exceed Twilio's {@link MAX_SIP_USERNAME} characters.
 */
export function nextSipUsername(current: string): string {
  const match = slotSuffix.exec(current);
  const base = match ? current.slice(0, -2) : current;
  const next = `${base}-${match?.[1] === "a" ? "b" : "a"}`;
  if (next.length > MAX_SIP_USERNAME) {
    const key = configFields.sipUsername.key;
    throw new Error(
      `${key} = "${current}": the rotation appends "-a"/"-b", which would make it ${next.length} characters; ` +
        `Twilio allows at most ${MAX_SIP_USERNAME}. Fix: choose a base name of at most ${MAX_SIP_USERNAME - 2} characters ` +
        `(\`pulumi config set ${key} <name>\`, then \`pulumi up\`) and rotate again.`,
    );
  }
  return next;
}
