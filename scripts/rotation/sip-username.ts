/** Longest SIP credential username Twilio accepts. */
export const maxSipUsernameLength = 32;

const slotSuffix = /-(a|b)$/;

/**
 * The username the next rotation uses: the current one's base name with the other of two slot
 * suffixes, `-a` and `-b` (`livekit-prod` → `livekit-prod-a` → `livekit-prod-b` →
 * `livekit-prod-a` …). A new username makes the rotation replace the Twilio credential
 * (create the new one, then delete the old one) instead of changing its password in place, so
 * both credentials are valid while LiveKit's outbound trunk switches over. Throws when the
 * result would exceed Twilio's 32 characters.
 */
export function nextSipUsername(current: string): string {
  const match = slotSuffix.exec(current);
  const base = match ? current.slice(0, -2) : current;
  const next = `${base}-${match?.[1] === "a" ? "b" : "a"}`;
  if (next.length > maxSipUsernameLength) {
    throw new Error(
      `agent-studio-voice:sipUsername = "${current}": the rotation appends "-a"/"-b", which would make it ${next.length} characters; ` +
        `Twilio allows at most ${maxSipUsernameLength}. Fix: choose a base name of at most ${maxSipUsernameLength - 2} characters ` +
        `(\`pulumi config set agent-studio-voice:sipUsername <name>\`, then \`pulumi up\`) and rotate again.`,
    );
  }
  return next;
}
