import fc from "fast-check";
import { diffProperties, sameValue, type DiffPolicy } from "../../providers/base";

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
  it("agrees with structural equality of JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameValue(a, a)).toBe(true);
        if (sameValue(a, b)) expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
    );
  });
});
