import { readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { configFields, formatProblem, projectNamespace, validateStackConfig, type ConfigProblem, type ValidationResult } from "../../../../components/config";
import { repoRoot } from "../../../utils/offline-program";
import { programView, runConfigCommand, stackFromYaml, type StackConfigModel } from "../../../utils/pulumi-config-cli";
import { shellCommands, type ShellContext } from "../../../utils/shell-commands";

/** What a person types for each placeholder of the README and the fix commands: values of the real shape. */
const fill: Record<string, string> = {
  "<your project ID>": "acme-voice-prod",
  "<your office CIDR>": "203.0.113.0/24",
  "<your domain>": "voice.acme.example",
  "<your Cloud DNS zone>": "acme-example",
  "<account SID>": "AC0123456789abcdef0123456789abcdef",
  "<auth token>": "0123456789abcdef0123456789abcdef",
  "<API key SID>": "SK0123456789abcdef0123456789abcdef",
  "<API key secret>": "abcdefABCDEF0123456789abcdefABCD",
  "<OpenAI API key>": "sk-proj-0123456789abcdefABCDEF",
  "<Deepgram API key>": "0123456789abcdef0123456789abcdef01234567",
  "<E.164 number>": "+15551230000",
  "<on-call email address>": "voice-oncall@acme.example",
  "<README URL>": "https://github.com/acme/agent-studio-voice/blob/main/README.md",
};

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
const stack = "prod";

/** The README's fenced `sh` blocks, as lines. */
const shBlocks: string[][] = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].split("\n"));
const configLines = (block: readonly string[]) => block.filter((line) => /^\s*pulumi config /.test(line));

const mainBlock = shBlocks.find((b) => b.some((line) => line.startsWith("pulumi stack init")));
const apiKeyBlock = shBlocks.find((b) => configLines(b).some((line) => line.includes("twilioApiKeySid")));
const deepgramBlock = shBlocks.find((b) => configLines(b).some((line) => line.includes("deepgramApiKey")));

/** Random bytes for `openssl rand`, drawn in turn from `pool`. */
function bytesFrom(pool: readonly Uint8Array[]): ShellContext["randomBytes"] {
  let next = 0;
  return (n) => {
    const bytes = pool[next++ % pool.length];
    return Uint8Array.from({ length: n }, (_, i) => bytes[i % bytes.length]);
  };
}

const fixedBytes = bytesFrom([Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256)]);

/** Runs each `pulumi config` command of the lines on the stack, as the CLI would. */
function run(model: StackConfigModel, lines: readonly string[], context: ShellContext): void {
  for (const line of lines) {
    for (const words of shellCommands(line, context)) runConfigCommand(model, words, projectNamespace);
  }
}

function validate(model: StackConfigModel): ValidationResult {
  return validateStackConfig(programView(model), stack);
}

function problemsOf(result: ValidationResult): ConfigProblem[] {
  return result.ok ? [] : result.problems;
}

const committedProd = () => stackFromYaml(readFileSync(path.join(repoRoot, "Pulumi.prod.yaml"), "utf8"));

/** The README's commands for one set of choices. */
function readmeLines(choice: { apiKey: boolean; optional: boolean; deepgram: boolean }): string[] {
  let lines = configLines(mainBlock!);
  if (choice.apiKey) lines = lines.flatMap((line) => (line.includes(":twilioAuthToken ") ? configLines(apiKeyBlock!) : [line]));
  if (!choice.optional) lines = lines.filter((line) => !/#\s*optional/.test(line));
  if (choice.deepgram) lines = [...lines, ...configLines(deepgramBlock!)];
  return lines;
}

const choices = [false, true].flatMap((apiKey) =>
  [false, true].flatMap((optional) => [false, true].filter((deepgram) => optional || !deepgram).map((deepgram) => ({ apiKey, optional, deepgram }))),
);

describe("the README's pulumi config commands, run as the Pulumi CLI types them", () => {
  it("include the stack setup, the API key pair and Deepgram blocks; every other block keeps the set-up stack valid", () => {
    expect(mainBlock && apiKeyBlock && deepgramBlock).toBeDefined();
    const known = new Set([mainBlock, apiKeyBlock, deepgramBlock]);
    for (const block of shBlocks.filter((b) => configLines(b).length > 0 && !known.has(b))) {
      const model = new Map() as StackConfigModel;
      run(model, [...readmeLines({ apiKey: false, optional: true, deepgram: false }), ...configLines(block)], { fill, randomBytes: fixedBytes });
      const result = validate(model);
      if (!result.ok) throw new Error(`after ${configLines(block).join("; ")}:\n${result.problems.map(formatProblem).join("\n")}`);
    }
  });

  it.each(choices)("leave a stack that passes validation with no placeholder behind: %j", (choice) => {
    for (const [start, from] of [[committedProd, "Pulumi.prod.yaml"], [() => new Map() as StackConfigModel, "an empty stack"]] as const) {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ minLength: 64, maxLength: 64 }), { minLength: 1, maxLength: 4 }), (pool) => {
          const model = start();
          run(model, readmeLines(choice), { fill, randomBytes: bytesFrom(pool) });
          const result = validate(model);
          if (!result.ok) throw new Error(`from ${from}:\n${result.problems.map(formatProblem).join("\n")}`);
          expect(result.config.twilio.auth.kind).toBe(choice.apiKey ? "apiKey" : "authToken");
          expect(Object.keys(result.config.ai).sort()).toEqual([...(choice.optional ? ["openaiApiKey"] : []), ...(choice.deepgram ? ["deepgramApiKey"] : [])].sort());
          expect(result.config.twilio.phoneNumbers).toEqual(["+15551234567"]);
          expect(result.config.adminCidrs).toEqual([fill["<your office CIDR>"]]);
          // Every secret the stack holds was set by a --secret command: none came from the file.
          const view = programView(model);
          for (const secret of view.secretKeys) expect(readmeLines(choice).some((line) => line.includes(`--secret ${secret} `))).toBe(true);
        }),
        { numRuns: 60 },
      );
    }
  });

  it("would have stored the phone number as a number without --type string, and the error's fix is the exact command that repairs it", () => {
    const model = new Map() as StackConfigModel;
    const withoutType = readmeLines({ apiKey: false, optional: false, deepgram: false }).map((line) => line.replace("--type string ", ""));
    run(model, withoutType, { fill, randomBytes: fixedBytes });
    expect(programView(model).values["agent-studio-voice:phoneNumbers"]).toBe("[15551234567]");
    const problems = problemsOf(validate(model));
    expect(problems.map((p) => p.fix)).toEqual(["pulumi config set --path 'agent-studio-voice:phoneNumbers[0]' --type string +15551234567 --stack prod"]);
    run(model, problems.map((p) => p.fix), { fill, randomBytes: fixedBytes });
    expect(validate(model).ok).toBe(true);
  });

  it("show a config error exactly as the program prints it, with a fix that works", () => {
    const examples = [...readme.matchAll(/^ {2}- (\S+) = "([^"]*)": .* Fix: (pulumi config .*)$/gm)];
    expect(examples.length).toBeGreaterThan(0);
    for (const [line, key, value, fix] of examples) {
      const model = new Map() as StackConfigModel;
      run(model, readmeLines({ apiKey: false, optional: false, deepgram: false }), { fill, randomBytes: fixedBytes });
      runConfigCommand(model, ["pulumi", "config", "set", key, value], projectNamespace);
      expect(problemsOf(validate(model)).map((p) => `  - ${formatProblem(p)}`)).toEqual([line]);
      run(model, [fix], { fill, randomBytes: fixedBytes });
      expect(validate(model).ok).toBe(true);
    }
  });

  it("are complete wherever the README names a key inline", () => {
    const inline = [...readme.matchAll(/`(pulumi config (?:set|rm)[^`]*)`/g)].map((m) => m[1]);
    for (const command of inline) {
      const words = command.split(/\s+/).filter((w) => !w.startsWith("--") && w !== "…");
      // `pulumi config set --secret` in prose names no key: it is no command to run.
      if (words.length <= 3) continue;
      const model = new Map() as StackConfigModel;
      run(model, readmeLines({ apiKey: false, optional: false, deepgram: false }), { fill, randomBytes: fixedBytes });
      run(model, [command], { fill, randomBytes: fixedBytes });
      expect(validate(model).ok).toBe(true);
    }
  });
});

/** A valid stack: the README's commands on an empty one. */
function validStack(): StackConfigModel {
  const model = new Map() as StackConfigModel;
  run(model, readmeLines({ apiKey: false, optional: false, deepgram: false }), { fill, randomBytes: fixedBytes });
  return model;
}

/** Mistakes a person can make with the CLI on each configured key. */
function mistakes(spec: (typeof configFields)[keyof typeof configFields]): string[] {
  const k = spec.key;
  const required = !("default" in spec) && !["dnsManagedZone", "openaiApiKey", "deepgramApiKey", "twilioApiKeySid", "twilioApiKeySecret", "runbookUrl", "zones"].some((n) => k.endsWith(`:${n}`));
  const rm = required ? [`pulumi config rm ${k}`] : [];
  if ("item" in spec) {
    return [
      ...rm,
      `pulumi config set --path '${k}[0]' 15551234567`,
      `pulumi config set --path '${k}[0]' true`,
      `pulumi config set ${k} 203.0.113.0/24`,
      `pulumi config set ${k} '{"a": "b"}'`,
      `pulumi config set --path '${k}[0]' --type string 'not valid'`,
      `pulumi config rm ${k} && pulumi config set --path '${k}[2]' --type string 54.172.60.0/30`,
      `pulumi config rm ${k} && pulumi config set --path '${k}[0]' 0.0.0.0/1 && pulumi config set --path '${k}[1]' 128.0.0.0/1`,
    ];
  }
  const secret = "secret" in spec && spec.secret === true;
  return [
    ...rm,
    `pulumi config set ${secret ? "--secret " : ""}${k} 'not valid %'`,
    ...(secret ? [`pulumi config set --plaintext ${k} Clear-Text-Passw0rd-1`] : []),
  ];
}

const crossFieldMistakes = [
  "pulumi config set gcp:zone europe-west1-b",
  "pulumi config set agent-studio-voice:rtpPortStart 30000 && pulumi config set agent-studio-voice:rtpPortEnd 20000",
  "pulumi config set agent-studio-voice:rtcTcpPort 7880",
  "pulumi config set agent-studio-voice:sipPort 15000",
  "pulumi config set agent-studio-voice:turnUdpPort 7882",
  "pulumi config set agent-studio-voice:twilioApiKeySid SK0123456789abcdef0123456789abcdef && pulumi config set --secret agent-studio-voice:twilioApiKeySecret abcdefABCDEF0123456789abcdefABCD",
  "pulumi config set --secret agent-studio-voice:deepgramApiKey 0123456789abcdef0123456789abcdef01234567",
  "pulumi config set agent-studio-voice:turnEnable true",
  "pulumi config set --plaintext agent-studio-voice:sipPasswrod Clear-Passw0rd-1",
  "pulumi config set --path 'agent-studio-voice:adminCidr[0]' 203.0.113.0/24",
  "pulumi config set agent-studio-voice:colour blue",
];

describe("every config error's fix, run as the Pulumi CLI types it", () => {
  const cases = [...Object.values(configFields).flatMap((spec) => mistakes(spec)), ...crossFieldMistakes];

  it.each(cases)("repairs the stack after: %s", (mistake) => {
    const model = validStack();
    run(model, [mistake], { fill, randomBytes: fixedBytes });
    const problems = problemsOf(validate(model));
    expect(problems.length).toBeGreaterThan(0);
    // `<value>` stands for a secret value the error does not echo: the person types it again.
    const typedAgain = /(Clear-\S+)/.exec(mistake)?.[1] ?? "";
    for (const problem of problems) {
      expect(problem.fix).toMatch(/^pulumi config (set|rm) /);
      run(model, [problem.fix], { fill: { ...fill, "<value>": typedAgain }, randomBytes: fixedBytes });
    }
    const after = validate(model);
    if (!after.ok) throw new Error(`after the fixes:\n${after.problems.map(formatProblem).join("\n")}`);
  });

  it("moves a misspelt key's value to the key it meant", () => {
    const model = validStack();
    run(model, ["pulumi config set agent-studio-voice:turnEnable true"], { fill, randomBytes: fixedBytes });
    run(model, problemsOf(validate(model)).map((p) => p.fix), { fill, randomBytes: fixedBytes });
    const result = validate(model);
    expect(result.ok && result.config.turn.enabled).toBe(true);
  });
});
