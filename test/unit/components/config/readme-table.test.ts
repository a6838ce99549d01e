import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type ConfigField, configFieldList as fields } from "../../../../components/config";
import { repoRoot } from "../../../utils/offline-program";

/** One row of the README's config table: the keys it names, its default and secret cells. */
interface Row {
  line: string;
  keys: string[];
  default: string;
  secret: string;
}

/**
 * The rows of the table under the README's "Config" heading. A key cell names its first key in
 * full (`agent-studio-voice:rtcTcpPort`) and may add others of the same namespace by name (`rtcUdpPort`).
 */
function readmeConfigRows(): Row[] {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const section = /^### Config \(`pulumi config set …`\)\n([\s\S]*?)\n(?=\n|#)/m.exec(readme);
  if (!section) throw new Error("README.md has no '### Config (`pulumi config set …`)' table");
  return section[1]
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [keyCell, , defaultCell, secretCell] = line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, ""));
      let namespace = "";
      const keys = [...keyCell.matchAll(/`([^`]+)`/g)].map(([, name]) => {
        if (name.includes(":")) namespace = name.slice(0, name.indexOf(":"));
        return name.includes(":") ? name : `${namespace}:${name}`;
      });
      return { line, keys, default: defaultCell, secret: secretCell };
    });
}

const fieldOf = (key: string) => fields.find((f) => f.key === key);
const required = (f: ConfigField) => f.default === undefined && !("optional" in f && f.optional);
const isEmpty = (value: unknown) => value !== null && typeof value === "object" && Object.keys(value).length === 0;
/** A default as the README writes it: a list's items joined by commas. */
const shown = (value: unknown) => (Array.isArray(value) ? value.join(", ") : String(value));

describe("the README's config table", () => {
  const rows = readmeConfigRows();

  it("names every key the program reads, once, and no other", () => {
    const named = rows.flatMap((row) => row.keys);
    expect([...named].sort()).toEqual(fields.map((f) => f.key).sort());
  });

  it.each(rows.map((row) => [row.keys.join(" "), row]))("says which of %s are secrets", (_, row) => {
    const secrets = row.keys.map((key) => fieldOf(key)?.secret);
    if (row.secret === "no") expect(secrets.every((s) => s === false)).toBe(true);
    else if (row.secret === "**yes**") expect(secrets.every((s) => s === true)).toBe(true);
    else {
      // A row mixing both names the secret one: "password **yes**".
      expect(row.secret).toMatch(/\*\*yes\*\*/);
      expect(secrets).toContain(true);
      expect(secrets).toContain(false);
    }
  });

  it.each(rows.map((row) => [row.keys.join(" "), row]))("gives the default of %s", (_, row) => {
    const rowFields = row.keys.map((key) => fieldOf(key)).filter((f) => f !== undefined);
    expect(row.default === "required").toBe(rowFields.every(required));
    if (row.default.startsWith("unset")) {
      for (const f of rowFields) expect(("optional" in f && f.optional) || isEmpty(f.default)).toBe(true);
      return;
    }
    // Where the cell lists a value per key (`7881` / `7882`), each is that key's default.
    const values = [...row.default.matchAll(/`([^`]+)`/g)].map(([, value]) => value);
    if (values.length === rowFields.length) expect(values).toEqual(rowFields.map((f) => shown(f.default)));
  });
});
