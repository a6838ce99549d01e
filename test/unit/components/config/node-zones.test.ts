import fc from "fast-check";
import { formatProblems, nodeZones, regionZones, validateStackConfig, zoneRotation, type ConfigProblem } from "../../../../components/config";
import { key, rawConfig } from "../../../utils/config-fixtures";

function problemsOf(overrides: Record<string, string | undefined>): ConfigProblem[] {
  const result = validateStackConfig(rawConfig(overrides), "test");
  if (result.ok) throw new Error("expected validation to fail");
  return result.problems;
}

const gcp = { region: "us-central1", zone: "us-central1-a" };

describe("node placement", () => {
  it("keeps node 0 in gcp:zone and spreads the others round-robin over the region's zones", () => {
    expect(nodeZones({ nodes: 1, gcp })).toEqual(["us-central1-a"]);
    expect(nodeZones({ nodes: 4, gcp })).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-a"]);
    expect(nodeZones({ nodes: 3, gcp: { region: "us-central1", zone: "us-central1-f" } })).toEqual(["us-central1-f", "us-central1-a", "us-central1-b"]);
    expect(regionZones("us-east1")).toEqual(["us-east1-b", "us-east1-c", "us-east1-d"]);
  });

  it("takes configured zones, gcp:zone first, each once", () => {
    expect(nodeZones({ nodes: 3, zones: ["us-central1-c", "us-central1-a", "us-central1-c"], gcp })).toEqual(["us-central1-a", "us-central1-c", "us-central1-a"]);
  });

  it("gives node i the same zone whatever the count, so adding a node moves none", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.subarray(["a", "b", "c", "d", "f"], { minLength: 1 }), (count, letters) => {
        const zones = ["a", ...letters].map((l) => `us-central1-${l}`);
        const before = nodeZones({ nodes: count, zones, gcp });
        const after = nodeZones({ nodes: count + 1, zones, gcp });
        expect(after.slice(0, count)).toEqual(before);
        expect(new Set(after).size).toBe(Math.min(count + 1, zoneRotation({ nodes: count + 1, zones, gcp }).length));
      }),
    );
  });
});

describe("validating nodes and zones", () => {
  it("accepts 1 node without zones, and 2 nodes with the region's zones or two configured ones", () => {
    for (const overrides of [{}, { [key("nodes")]: "2" }, { [key("nodes")]: "2", [key("zones")]: '["us-central1-a", "us-central1-c"]' }]) {
      const result = validateStackConfig(rawConfig(overrides), "test");
      if (!result.ok) throw new Error(formatProblems("test", result.problems));
    }
    const result = validateStackConfig(rawConfig(), "test");
    expect(result.ok && result.config.nodes).toBe(1);
  });

  it.each(["0", "11", "two", "1.5"])("refuses nodes = %s", (value) => {
    expect(problemsOf({ [key("nodes")]: value })).toEqual([
      expect.objectContaining({ key: key("nodes"), found: JSON.stringify(value), expected: expect.stringContaining("a whole number from 1 to 10") }),
    ]);
  });

  it("refuses a zone outside the region, fixing it to gcp:zone", () => {
    const [problem] = problemsOf({ [key("zones")]: '["us-central1-a", "europe-west1-b"]' });
    expect(problem.expected).toContain('item 1 ("europe-west1-b") is not a zone of gcp:region us-central1');
    expect(problem.fix).toBe("pulumi config set --path 'agent-studio-voice:zones[1]' --type string us-central1-a --stack test");
  });

  it("refuses zones leaving out node 0's zone, which moving would replace the VM", () => {
    const [problem] = problemsOf({ [key("zones")]: '["us-central1-b", "us-central1-c"]' });
    expect(problem.expected).toContain("it leaves out gcp:zone us-central1-a, where node 0 runs");
    expect(problem.fix).toBe("pulumi config set --path 'agent-studio-voice:zones[2]' --type string us-central1-a --stack test");
  });

  it("refuses two nodes or more in one zone, saying why", () => {
    const problems = problemsOf({ [key("nodes")]: "3", [key("zones")]: '["us-central1-a"]' });
    expect(problems).toEqual([
      expect.objectContaining({
        key: key("zones"),
        expected: expect.stringContaining("with 3 nodes it needs a second zone, so that one zone's outage leaves a node taking calls"),
        fix: "pulumi config set --path 'agent-studio-voice:zones[1]' --type string us-central1-b --stack test",
      }),
    ]);
  });
});
