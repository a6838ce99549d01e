/**
 * Splits a documented shell line into commands and words as a POSIX shell would, for the few
 * shell features the README's and the config errors' commands use: `'…'` and `"…"` quoting,
 * `&&`, `#` comments, and `$(openssl rand -base64 N)` / `$(openssl rand -hex N)` command
 * substitution. A `<…>` word is a placeholder the reader replaces with their own value; it is
 * filled from `fill`, and one the test cannot fill is an error.
 */
export interface ShellContext {
  /** The value a person would type for each placeholder, e.g. `<auth token>`. */
  fill: Readonly<Record<string, string>>;
  /** `n` random bytes, as `openssl rand` would print them. */
  randomBytes: (n: number) => Uint8Array;
}

/** The commands of one line, each as its words. */
export function shellCommands(line: string, context: ShellContext): string[][] {
  const commands: string[][] = [[]];
  let i = 0;
  const current = () => commands[commands.length - 1];
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "#") {
      break;
    } else if (line.startsWith("&&", i)) {
      commands.push([]);
      i += 2;
    } else if (c === "<") {
      const end = line.indexOf(">", i);
      if (end < 0) throw new Error(`unclosed placeholder in: ${line}`);
      const placeholder = line.slice(i, end + 1);
      const value = context.fill[placeholder];
      if (value === undefined) throw new Error(`no value for the placeholder ${placeholder} in: ${line}`);
      current().push(value);
      i = end + 1;
    } else {
      const [word, next] = readWord(line, i, context);
      current().push(word);
      i = next;
    }
  }
  return commands.filter((words) => words.length > 0);
}

function readWord(line: string, start: number, context: ShellContext): [string, number] {
  let word = "";
  let i = start;
  while (i < line.length && line[i] !== " " && line[i] !== "\t" && !line.startsWith("&&", i)) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
        if (line.startsWith("$(", i)) {
          const [output, next] = substitute(line, i, context);
          word += output;
          i = next;
        } else if (line[i] === "\\" && '"\\$`'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === "$" || line[i] === "`") {
          throw new Error(`unsupported expansion in: ${line}`);
        } else word += line[i++];
      }
      i++;
    } else if (line.startsWith("$(", i)) {
      // Unquoted, the output would be split into words; openssl's output has no spaces.
      const [output, next] = substitute(line, i, context);
      word += output;
      i = next;
    } else if ("$`;|&<>(){}*?[]~".includes(c) || c === "\\") {
      throw new Error(`unsupported shell syntax ${JSON.stringify(c)} in: ${line}`);
    } else word += line[i++];
  }
  return [word, i];
}

function substitute(line: string, start: number, context: ShellContext): [string, number] {
  const end = line.indexOf(")", start);
  if (end < 0) throw new Error(`unclosed $( in: ${line}`);
  const command = line.slice(start + 2, end).trim();
  const match = /^openssl rand -(base64|hex) (\d+)$/.exec(command);
  if (!match) throw new Error(`unsupported command substitution $(${command}) in: ${line}`);
  const bytes = Buffer.from(context.randomBytes(Number(match[2])));
  return [bytes.toString(match[1] === "hex" ? "hex" : "base64"), end + 1];
}
