import * as pulumi from "@pulumi/pulumi";
import { defineProvider, requireConfig, staticProviderConfig, transientError, UNKNOWN_VALUE } from "../../../../providers/base";

interface Inputs {
  name: string;
  secretValue: string;
}
interface Computed {
  sid: string;
}

/** A provider over an in-memory "API" so the boilerplate can be exercised without a network. */
function memoryProvider(api: Map<string, Inputs>, failures: unknown[] = [], lines: string[] = []) {
  return defineProvider<{ token: string }, Inputs, Computed>({
    kind: "Widget",
    connect: (config) => ({ token: requireConfig(config, "widgetToken", { secret: true }) }),
    secrets: (settings, props) => [settings?.token, props.secretValue],
    describe: (props) => `"${props.name}"`,
    check: (news) => (/^[a-z]*$/.test(news.name) && news.name ? [] : [{ property: "name", reason: `name is required (secret was ${news.secretValue})` }]),
    diffPolicy: { replaceOn: ["name"], updateInPlace: ["secretValue"] },
    retry: { sleep: async () => undefined },
    log: (line) => lines.push(line),
    async create(ctx, inputs) {
      return ctx.call(`create widget "${inputs.name}"`, async () => {
        const failure = failures.shift();
        if (failure) throw failure;
        const sid = `WG${api.size}`;
        api.set(sid, { ...inputs });
        return { id: sid, computed: { sid } };
      });
    },
    async read(_ctx, id) {
      const live = api.get(id);
      if (!live) throw Object.assign(new Error("not found"), { status: 404 });
      return { ...live, sid: id };
    },
    async update(_ctx, id, _olds, news) {
      api.set(id, { ...news });
      return { sid: id };
    },
    async delete(_ctx, id) {
      if (!api.delete(id)) throw Object.assign(new Error("not found"), { status: 404 });
    },
  });
}

const config = staticProviderConfig({ "proj:widgetToken": "tok-abcdef" }, "proj");

describe("defineProvider", () => {
  it("refuses CRUD before configure with an actionable message", async () => {
    await expect(memoryProvider(new Map()).create({ name: "a", secretValue: "s3cr3t-value" })).rejects.toThrow(/was not configured.*configure/);
  });

  it("names the missing config key and the command that sets it", async () => {
    const empty = staticProviderConfig({}, "proj");
    await expect(memoryProvider(new Map()).configure({ config: empty })).rejects.toThrow(
      'Widget provider configuration: Missing stack config "widgetToken": set it with `pulumi config set --secret widgetToken <value>`.',
    );
  });

  it("echoes every input in the outputs of create, read and update", async () => {
    const api = new Map<string, Inputs>();
    const provider = memoryProvider(api);
    await provider.configure({ config });
    const created = await provider.create({ name: "a", secretValue: "s3cr3t-value" });
    expect(created).toEqual({ id: "WG0", outs: { name: "a", secretValue: "s3cr3t-value", sid: "WG0" } });
    const updated = await provider.update("WG0", created.outs, { name: "a", secretValue: "n3w-s3cr3t" });
    expect(updated.outs).toEqual({ name: "a", secretValue: "n3w-s3cr3t", sid: "WG0" });
    expect(await provider.read("WG0", updated.outs)).toEqual({ id: "WG0", props: updated.outs });
  });

  it("treats 404 on delete as done and 404 on read as gone", async () => {
    const provider = memoryProvider(new Map());
    await provider.configure({ config });
    await expect(provider.delete("WG9", { name: "x", secretValue: "s3cr3t-value", sid: "WG9" })).resolves.toBeUndefined();
    expect(await provider.read("WG9", { name: "x", secretValue: "s3cr3t-value", sid: "WG9" })).toEqual({});
  });

  it("retries transient failures and logs each retry without secrets", async () => {
    const lines: string[] = [];
    const provider = memoryProvider(new Map(), [transientError(429, "token tok-abcdef throttled", 0)], lines);
    await provider.configure({ config });
    await expect(provider.create({ name: "a", secretValue: "s3cr3t-value" })).resolves.toMatchObject({ id: "WG0" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("tok-abcdef");
  });

  it("wraps failures with the resource kind, name and verb, scrubbed of secrets", async () => {
    const provider = memoryProvider(new Map(), [new Error("bad request for s3cr3t-value with tok-abcdef")]);
    await provider.configure({ config });
    const failure = provider.create({ name: "a", secretValue: "s3cr3t-value" });
    await expect(failure).rejects.toThrow(/^Widget "a": create failed: bad request for \[redacted\] with \[redacted\]$/);
  });

  it("scrubs secrets from check failures", async () => {
    const provider = memoryProvider(new Map());
    const result = await provider.check({} as Inputs, { name: "", secretValue: "s3cr3t-value" });
    expect(result.failures).toEqual([{ property: "name", reason: "name is required (secret was [redacted])" }]);
  });

  it("drops check failures on values still unknown in preview", async () => {
    const provider = memoryProvider(new Map());
    const result = await provider.check({} as Inputs, { name: UNKNOWN_VALUE, secretValue: "s3cr3t-value" });
    expect(result.failures).toEqual([]);
  });

  it("diffs by policy", async () => {
    const provider = memoryProvider(new Map());
    const olds = { name: "a", secretValue: "x1x1", sid: "WG0" };
    expect(await provider.diff("WG0", olds, { name: "b", secretValue: "x1x1" })).toMatchObject({ changes: true, replaces: ["name"] });
    expect(await provider.diff("WG0", olds, { name: "a", secretValue: "x2x2" })).toMatchObject({ changes: true, replaces: [], updates: ["secretValue"] });
  });

  it("survives Pulumi's closure serialization without capturing credentials", async () => {
    const api = new Map<string, Inputs>();
    const provider = memoryProvider(api);
    await provider.configure({ config });
    // Even after configure in this process, a fresh serialization must carry no token:
    // settings live only in the deserialized copy's own state.
    const serialized = await pulumi.runtime.serializeFunction(() => memoryProvider(new Map()), { allowSecrets: false });
    expect(serialized.text).not.toContain("tok-abcdef");
    const requireFromString = require("require-from-string");
    const revived = requireFromString(serialized.text).handler();
    await revived.configure({ config });
    await expect(revived.create({ name: "b", secretValue: "s3cr3t-value" })).resolves.toMatchObject({ id: "WG0" });
  });
});
