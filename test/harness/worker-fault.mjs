// Loaded with `node --import` into a test worker and its call group processes (NODE_OPTIONS is
// inherited): once the call from AGENT_STUDIO_FAULT_CALLER is answered, its job's code throws an
// uncaught exception. The throw is scheduled from inside that job (the worker's own log line of the
// answer), so it happens in the job's context, as a bug in one call's code would.
const faultCaller = process.env.AGENT_STUDIO_FAULT_CALLER;
if (faultCaller) {
  const doomedRooms = new Set();
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    const text = String(chunk);
    if (text.startsWith("{")) {
      try {
        const line = JSON.parse(text);
        if (line.event === "call.incoming" && line.caller_number === faultCaller) doomedRooms.add(line.room);
        if (line.event === "call.outcome" && line.outcome === "answered" && doomedRooms.delete(line.room)) {
          setTimeout(() => {
            throw new Error(`fault injected into the call from ${faultCaller}`);
          }, 500);
        }
      } catch {
        // Not one JSON line: not the worker's log.
      }
    }
    return write(chunk, ...rest);
  };
}
