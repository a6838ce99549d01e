import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { validateStackConfig } from "../../../../components/config";
import { readStackFile } from "../../../../scripts/plan/stack-file";
import { committedStacks, repoRoot } from "../../../utils/offline-program";

const key = (name: string) => `agent-studio-voice:${name}`;

describe("committed stack files", () => {
  it.each(committedStacks())("Pulumi.%s.yaml holds no secure: value, which the Pulumi CLI would have to decrypt", (stack) => {
    const text = readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8");
    const config = (parse(text) as { config: Record<string, unknown> }).config;
    expect(JSON.stringify(config)).not.toMatch(/"secure"/);
  });
});

describe("readStackFile", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "stack-file-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Pulumi.prod.yaml's config with its Twilio auth key changed as `edit` says, written to a new file. */
  function variant(edit: (config: Record<string, unknown>) => void): string {
    const config = (parse(readFileSync(path.join(repoRoot, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
    edit(config);
    const file = path.join(dir, `Pulumi.${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, JSON.stringify({ config }));
    return file;
  }

  it("stands in for the required secrets the committed prod stack does not hold, and only those", () => {
    const raw = readStackFile(path.join(repoRoot, "Pulumi.prod.yaml"));
    expect(raw.placeholders).toEqual(
      ["livekitApiSecret", "sipPassword", "twilioAuthToken"].map((name) => ({ key: key(name), reason: "not in the stack file" })),
    );
    expect([...raw.secretKeys].sort()).toEqual(raw.placeholders.map((p) => p.key));
    const result = validateStackConfig(raw, "prod");
    expect(result.ok && result.config.ai).toEqual({});
  });

  it("stands in for the API key secret, not the auth token, for a stack that chose the API key pair", () => {
    const raw = readStackFile(variant((c) => (c[key("twilioApiKeySid")] = "SK0123456789abcdef0123456789abcdef")));
    expect(raw.placeholders.map((p) => p.key)).toEqual([key("livekitApiSecret"), key("sipPassword"), key("twilioApiKeySecret")]);
    const result = validateStackConfig(raw, "prod");
    expect(result.ok && result.config.twilio.auth.kind).toBe("apiKey");
  });

  it("stands in for encrypted values it cannot decrypt, and says so", () => {
    const raw = readStackFile(
      variant((c) => {
        c[key("sipPassword")] = { secure: "v1:AAAA" };
        c[key("openaiApiKey")] = { secure: "v1:BBBB" };
      }),
    );
    expect(raw.placeholders).toEqual([
      { key: key("livekitApiSecret"), reason: "not in the stack file" },
      { key: key("openaiApiKey"), reason: "encrypted" },
      { key: key("sipPassword"), reason: "encrypted" },
      { key: key("twilioAuthToken"), reason: "not in the stack file" },
    ]);
    expect(validateStackConfig(raw, "prod").ok).toBe(true);
  });
});
