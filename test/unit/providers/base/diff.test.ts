import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { diffProperties, sameValue, type DiffPolicy } from "../../../../providers/base";

interface Props {
  username: string;
  password: string;
  parentSid: string;
  tags?: string[];
}

const policy: DiffPolicy<Props> = { replaceOn: ["username", "parentSid"], updateInPlace: ["password", "tags"] };
const base: Props = { username: "u", password: "p", parentSid: "CL1", tags: ["a"] };

describe("diffProperties", () => {
  it("reports no change for identical inputs, ignoring computed outputs in the old state", () => {
    const result = diffProperties<Props>({ ...base, sid: "CR1" } as Props, base, policy);
    expect(result).toMatchObject({ changes: false, replaces: [], updates: [] });
  });

  it("names replacing and in-place properties separately", () => {
    const result = diffProperties<Props>(base, { ...base, username: "v", password: "q" }, policy);
    expect(result).toMatchObject({ changes: true, replaces: ["username"], updates: ["password"] });
  });

  it("asks for delete-before-replace only when something replaces", () => {
    const strict: DiffPolicy<Props> = { ...policy, deleteBeforeReplace: true };
    expect(diffProperties<Props>(base, { ...base, password: "q" }, strict).deleteBeforeReplace).toBe(false);
    expect(diffProperties<Props>(base, { ...base, username: "x" }, strict).deleteBeforeReplace).toBe(true);
  });

  it("treats a missing property like undefined and null", () => {
    expect(diffProperties<Props>({ ...base, tags: undefined }, { username: "u", password: "p", parentSid: "CL1" }, { replaceOn: [], updateInPlace: ["tags"] }).changes).toBe(false);
  });
});

describe("sameValue", () => {
  // sameValue's contract: structural equality where null, undefined and a missing property agree.
  const normalize = (value: unknown): unknown => {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) return value.map(normalize);
    if (typeof value === "number") return value === 0 ? 0 : value; // -0 and 0 are one JSON number
    if (typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .map(([k, v]) => [k, normalize(v)] as const)
          .filter(([, v]) => v !== undefined),
      );
    }
    return value;
  };

  it("is structural equality of JSON values with null and absent the same", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameValue(a, a)).toBe(true);
        expect(sameValue(a, b)).toBe(isDeepStrictEqual(normalize(a), normalize(b)));
      }),
      { numRuns: 1000 },
    );
  });

  it("treats a null property and a missing one as the same", () => {
    expect(sameValue({ "": null }, {})).toBe(true);
    expect(sameValue({ a: [1, null] }, { a: [1, undefined] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
  });
});
