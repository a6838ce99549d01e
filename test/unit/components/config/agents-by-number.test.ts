import { formatProblems, validateStackConfig, type ConfigProblem } from "../../../../components/config";
import { key, rawConfig } from "../../../utils/config-fixtures";

const routes = key("agentsByNumber");
const numbers = { [key("phoneNumbers")]: JSON.stringify(["+15005550006", "+15005550007"]) };

function validate(agentsByNumber: unknown) {
  return validateStackConfig(rawConfig({ ...numbers, [routes]: JSON.stringify(agentsByNumber) }), "test");
}

function problemsOf(agentsByNumber: unknown): ConfigProblem[] {
  const result = validate(agentsByNumber);
  if (result.ok) throw new Error("expected validation to fail");
  return result.problems;
}

describe("agentsByNumber", () => {
  it("defaults to no routes: every number reaches agentName", () => {
    const result = validateStackConfig(rawConfig(numbers), "test");
    if (!result.ok) throw new Error(formatProblems("test", result.problems));
    expect(result.config.agentsByNumber).toEqual({});
  });

  it("maps numbers of the stack to agent names", () => {
    const result = validate({ "+15005550007": "sales-agent", "+15005550006": "support.v2" });
    if (!result.ok) throw new Error(formatProblems("test", result.problems));
    expect(result.config.agentsByNumber).toEqual({ "+15005550007": "sales-agent", "+15005550006": "support.v2" });
  });

  it("refuses a number the stack does not have, naming the entry and how to add the number or drop the entry", () => {
    expect(problemsOf({ "+15005550099": "sales-agent" })).toEqual([
      {
        key: `${routes}["+15005550099"]`,
        found: '"+15005550099"',
        expected:
          "one of the stack's phoneNumbers (+15005550006, +15005550007), listed in E.164 form; add it there, or remove this entry with " +
          `\`pulumi config rm --path '${routes}["+15005550099"]'\``,
        fix: "pulumi config set --path 'agent-studio-voice:phoneNumbers[2]' --type string +15005550099 --stack test",
      },
    ]);
  });

  it("refuses a key that is not an E.164 number", () => {
    const [problem] = problemsOf({ "15005550007": "sales-agent" });
    expect(problem).toMatchObject({ key: `${routes}["15005550007"]`, found: '"15005550007"' });
    expect(problem.expected).toMatch(/^an E\.164 number/);
    expect(problem.fix).toBe(`pulumi config set --path '${routes}["+15551234567"]' --type string sales-agent --stack test`);
  });

  it("refuses an invalid agent name, and an agent name the CLI stored as a number, with a --type string fix", () => {
    expect(problemsOf({ "+15005550007": "sales agent" })).toEqual([
      {
        key: `${routes}["+15005550007"]`,
        found: '"sales agent"',
        expected: "the agent_name a worker registers: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit",
        fix: `pulumi config set --path '${routes}["+15005550007"]' --type string sales-agent --stack test`,
      },
    ]);
    const [typed] = problemsOf({ "+15005550007": 42 });
    expect(typed).toMatchObject({ key: `${routes}["+15005550007"]`, found: "42" });
    expect(typed.expected).toMatch(/add --type string/);
    expect(typed.fix).toBe(`pulumi config set --path '${routes}["+15005550007"]' --type string 42 --stack test`);
  });

  it("refuses a value that is not a map", () => {
    for (const value of [["+15005550007", "sales-agent"], "sales-agent"]) {
      const [problem] = problemsOf(value);
      expect(problem).toMatchObject({ key: routes, expected: expect.stringMatching(/^a map from numbers of phoneNumbers/) });
      expect(problem.fix).toBe(`pulumi config set --path '${routes}["+15551234567"]' --type string sales-agent --stack test`);
    }
  });

  it("reports every bad entry at once", () => {
    expect(problemsOf({ "+15005550099": "ok-agent", "+15005550007": "bad agent", "+15005550006": true }).map((p) => p.key)).toEqual([
      `${routes}["+15005550099"]`,
      `${routes}["+15005550007"]`,
      `${routes}["+15005550006"]`,
    ]);
  });
});
