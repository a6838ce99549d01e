import { parse } from "yaml";
import { toGoYaml } from "../../../../components/runtime-config/go-yaml";

// What Go itself reads from these files is tested in test/integration/go-yaml-reads-back.test.ts;
// these pin the written form and check it with both YAML versions yaml.v3 borrows from.

function readsBackInBothVersions(value: object): void {
  const text = toGoYaml(value);
  expect(parse(text, { version: "1.1" })).toEqual(value);
  expect(parse(text, { version: "1.2" })).toEqual(value);
}

describe("toGoYaml", () => {
  it("keeps a space between two newlines (the yaml library's folded double-quoted form turned it into a backslash)", () => {
    const password = "\n\n \n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n";
    expect(toGoYaml({ password })).toBe(`password: "\\n\\n \\n${"\\n".repeat(28)}"\n`);
    readsBackInBothVersions({ password, secret: "\u0000".repeat(32) });
  });

  it("writes every string on one line", () => {
    expect(toGoYaml({ a: "x\ny", b: "x\r\n  y\n" }).split("\n")).toHaveLength(3);
  });

  it.each([
    ["DEL, which yaml.v3 refuses raw", "a\u007fb", '"a\\x7Fb"'],
    ["NEL, a line break to libyaml", "a\u0085b", '"a\\x85b"'],
    ["LS, a line break to libyaml", "a\u2028b", '"a\\u2028b"'],
    ["PS, a line break to libyaml", "a\u2029", '"a\\u2029"'],
    ["a byte order mark", "\ufeffx", '"\\uFEFFx"'],
    ["a C1 control", "\u0080", '"\\x80"'],
    ["a tab", "a\tb", '"a\\tb"'],
    ["NUL", "\u0000", '"\\0"'],
  ])("escapes %s", (_what, value, written) => {
    expect(toGoYaml({ value })).toBe(`value: ${written}\n`);
    readsBackInBothVersions({ value });
  });

  it.each([
    ["a YAML 1.1 boolean", "yes"],
    ["a YAML 1.2 octal", "0o17"],
    ["an octal yaml.v3 reads once it drops the underscore", "0o17_"],
    ["a float yaml.v3 reads once it drops the underscore", "1e3_"],
    ["a YAML 1.1 integer with underscores", "1_000"],
    ["a hexadecimal integer", "0x1F"],
    ["a sexagesimal YAML 1.1 number", "1:20"],
    ["a date", "2001-12-14"],
    ["null", "~"],
    ["empty text", ""],
  ])("quotes %s", (_what, value) => {
    expect(toGoYaml({ value })).toBe(`value: "${value}"\n`);
    readsBackInBothVersions({ value });
  });

  it("quotes a \"<<\" key, which yaml.v3 would take for a merge", () => {
    expect(toGoYaml({ "<<": "x" })).toBe('"<<": x\n');
    readsBackInBothVersions({ "<<": "x" });
  });

  it("single-quotes text that needs quotes but no escapes and holds a double quote or backslash", () => {
    const check = 'fetch("http://127.0.0.1:8081/").then((r) => process.exit(r.ok ? 0 : 1))';
    expect(toGoYaml({ check, quote: "it's: \\" })).toBe(`check: '${check}'\nquote: 'it''s: \\'\n`);
    readsBackInBothVersions({ check, quote: "it's: \\" });
  });

  it("leaves ordinary values plain", () => {
    const value = { address: "127.0.0.1:6379", wait: "10s", tag: "v1.13.5", shell: "printf 'a\\r\\n' >&3", name: "é 😀" };
    expect(toGoYaml(value)).toBe("address: 127.0.0.1:6379\nwait: 10s\ntag: v1.13.5\nshell: printf 'a\\r\\n' >&3\nname: é 😀\n");
  });

  it("writes numbers and booleans as such, and shared objects out in full", () => {
    const shared = { max: 5 };
    expect(toGoYaml({ a: shared, b: shared, enabled: true, share: 0.9 })).toBe("a:\n  max: 5\nb:\n  max: 5\nenabled: true\nshare: 0.9\n");
  });

  it("refuses a lone surrogate, which no UTF-8 file can hold", () => {
    expect(() => toGoYaml({ value: "a\ud800" })).toThrow("lone UTF-16 surrogate");
  });
});
