import type { CheckResult } from "../../../../scripts/doctor/check-result";
import { exitCodeOf, formatReport } from "../../../../scripts/doctor/report";
import { runChecks } from "../../../../scripts/doctor/run-checks";

const results: CheckResult[] = [
  { check: "dns", status: "pass", detail: "voice.example.com → 203.0.113.10" },
  { check: "sip-options", status: "fail", detail: "no answer from 203.0.113.10:5060/udp", fix: "Start livekit-sip." },
  { check: "twilio-origination", status: "skip", detail: "skipped (--skip)" },
];

describe("the doctor's report", () => {
  it("is a table of check, result and detail, then the fix of each failure", () => {
    expect(formatReport(results)).toBe(
      [
        "check               result  detail",
        "dns                 PASS    voice.example.com → 203.0.113.10",
        "sip-options         FAIL    no answer from 203.0.113.10:5060/udp",
        "twilio-origination  SKIP    skipped (--skip)",
        "",
        "1 of 3 checks failed. How to fix:",
        "  sip-options: Start livekit-sip.",
      ].join("\n"),
    );
  });

  it("ends with a plain all-clear when nothing failed, counting skips", () => {
    expect(formatReport([results[0], results[2]]).split("\n").pop()).toBe("All 1 checks passed (1 skipped).");
  });

  it("exits 1 when any check failed, else 0", () => {
    expect(exitCodeOf(results)).toBe(1);
    expect(exitCodeOf([results[0], results[2]])).toBe(0);
  });
});

describe("the doctor's report with several nodes", () => {
  it("names the node of each per-host line, in the table and in the fixes", () => {
    const report = formatReport([
      { check: "dns", status: "pass", detail: "voice.example.com → 198.51.100.7" },
      { check: "twilio-origination", node: 0, status: "pass", detail: "trunk TK1 sends calls to sip:203.0.113.10:5060" },
      { check: "twilio-origination", node: 1, status: "fail", detail: "trunk TK1 has sip:203.0.113.11:5060 but it is disabled", fix: "Run `pulumi up` again." },
    ]);
    expect(report).toBe(
      [
        "check                      result  detail",
        "dns                        PASS    voice.example.com → 198.51.100.7",
        "node-0 twilio-origination  PASS    trunk TK1 sends calls to sip:203.0.113.10:5060",
        "node-1 twilio-origination  FAIL    trunk TK1 has sip:203.0.113.11:5060 but it is disabled",
        "",
        "1 of 3 checks failed. How to fix:",
        "  node-1 twilio-origination: Run `pulumi up` again.",
      ].join("\n"),
    );
  });
});

describe("runChecks", () => {
  it("keeps the given order, skips what --skip names, and turns a thrown error into that line's failure", async () => {
    const ran: string[] = [];
    const check = (name: string, run: () => Promise<never> | Promise<{ status: "pass"; detail: string }>) => ({
      name,
      run: () => {
        ran.push(name);
        return run();
      },
    });
    const out = await runChecks(
      [
        check("a", async () => ({ status: "pass", detail: "ok" })),
        check("b", async () => Promise.reject(new Error("Missing stack config \"agent-studio-voice:twilioAccountSid\""))),
        check("c", async () => ({ status: "pass", detail: "ok" })),
      ],
      ["c"],
    );
    expect(ran).toEqual(["a", "b"]);
    expect(out).toEqual([
      { check: "a", status: "pass", detail: "ok" },
      {
        check: "b",
        status: "fail",
        detail: 'the check could not run: Missing stack config "agent-studio-voice:twilioAccountSid"',
        fix: "Fix what the message says, then run the doctor again.",
      },
      { check: "c", status: "skip", detail: "skipped (--skip)" },
    ]);
  });

  it("keeps each line's node, and --skip skips a check on every node", async () => {
    const onNode = (node: number, name: string) => ({ name, node, run: async () => ({ status: "pass" as const, detail: `node ${node}` }) });
    expect(await runChecks([onNode(0, "sip-options"), onNode(1, "sip-options"), onNode(1, "closed-ports")], ["sip-options"])).toEqual([
      { check: "sip-options", node: 0, status: "skip", detail: "skipped (--skip)" },
      { check: "sip-options", node: 1, status: "skip", detail: "skipped (--skip)" },
      { check: "closed-ports", node: 1, status: "pass", detail: "node 1" },
    ]);
  });
});
