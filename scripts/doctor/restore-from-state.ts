/**
 * The fix for a LiveKit trunk or dispatch rule that is missing. Redis is LiveKit's only store of
 * them; it keeps them across restarts (append-only file on the redis-data volume), so one missing
 * from a deployed stack means that data was lost (the volume or the boot disk replaced) or it was
 * deleted by hand. Pulumi's state still holds it, so `pulumi up` alone would see nothing to do:
 * refresh first drops it from the state (the providers read it as gone), then up creates it again
 * under a new ID, and a new outbound trunk ID re-runs the worker's deployment with it.
 */
export const restoreFromStateFix =
  "Restore it: `pulumi refresh` (drops what LiveKit no longer holds from the stack's state), then `pulumi up` (creates it again under a new ID and restarts the worker with the new outbound trunk ID). On a stack never deployed, `pulumi up` alone creates it.";
