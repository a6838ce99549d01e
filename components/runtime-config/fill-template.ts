import { readFileSync } from "node:fs";
import * as path from "node:path";

/** Directory holding the runtime files' templates (Caddyfile, startup script, systemd unit). */
export const templatesDir = path.join(__dirname, "..", "..", "templates");

// Template values land in shell scripts and Caddyfiles, where a newline, quote or brace would
// change structure; only plain tokens (names, paths, numbers, addresses) are ever substituted.
const safeValue = /^[A-Za-z0-9._:/@+-]*$/;

/**
 * Fills `{{NAME}}` placeholders of a template under `templates/`. Every placeholder must be given
 * and every given value used, so a renamed placeholder cannot silently render an empty string.
 */
export function fillTemplate(templateName: string, values: Readonly<Record<string, string | number>>): string {
  const template = readFileSync(path.join(templatesDir, templateName), "utf8");
  const used = new Set<string>();
  const filled = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`template ${templateName}: placeholder {{${name}}} has no value`);
    }
    const text = String(value);
    if (!safeValue.test(text)) {
      throw new Error(`template ${templateName}: value for {{${name}}} contains characters that could change its structure`);
    }
    used.add(name);
    return text;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(`template ${templateName}: values given for absent placeholders: ${unused.join(", ")}`);
  }
  return filled;
}
