/**
 * Field-by-field input checks for the LiveKit providers' `check`. Values still unknown
 * during a preview (outputs of resources not created yet) are skipped: they are checked
 * again on the real update, once known.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isUnknownValue as isUnknown } from "../base/define-provider";
import { apiUrlProblem } from "./api-url";
import { displayNameProblem, type ValueProblem } from "./sip-values";

/**
 * How to report one field. No secret is ever checked by value here (passwords are only
 * checked for presence), so failures can quote the bad value.
 */
export interface FieldOptions {
  /** What the field is for, appended to "is required" failures. Defaults to nothing. */
  purpose?: string;
}

/** Starts a check with what every LiveKit SIP resource has: the API URL of its server and its name. */
export function checkServerAndName(news: { url: unknown; name: unknown }): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  checkText(failures, "url", news.url, apiUrlProblem, { purpose: "the LiveKit API URL, https://<domain>" });
  checkText(failures, "name", news.name, displayNameProblem);
  return failures;
}

/** Adds a failure when a present, known value is not a string or breaks `rule`; empty counts as absent. */
export function checkOptionalText(
  failures: pulumi.dynamic.CheckFailure[],
  property: string,
  value: unknown,
  rule: (value: string) => ValueProblem,
): void {
  if (value === undefined || value === null || value === "" || isUnknown(value)) {
    return;
  }
  if (typeof value !== "string") {
    failures.push({ property, reason: `${property}: got ${JSON.stringify(value)}, expected a string` });
    return;
  }
  const problem = rule(value);
  if (problem !== undefined) {
    failures.push({ property, reason: `${property}: got ${JSON.stringify(value)}; ${problem}` });
  }
}

/** Like {@link checkOptionalText}, and also fails when the value is absent or empty, saying what it is for. */
export function checkText(
  failures: pulumi.dynamic.CheckFailure[],
  property: string,
  value: unknown,
  rule: (value: string) => ValueProblem,
  options: FieldOptions = {},
): void {
  if (value === undefined || value === null || value === "") {
    failures.push({ property, reason: `${property} is required${options.purpose ? `: ${options.purpose}` : ""}` });
    return;
  }
  checkOptionalText(failures, property, value, rule);
}

/**
 * Checks a list: at least `minItems` entries, each known entry passing `rule`, no entry
 * given twice (a repeated number or range is always a slip).
 */
export function checkList(
  failures: pulumi.dynamic.CheckFailure[],
  property: string,
  value: unknown,
  rule: (value: string) => ValueProblem,
  minItems: number,
  options: FieldOptions = {},
): void {
  if (isUnknown(value)) {
    return;
  }
  const items = value === undefined || value === null ? [] : value;
  if (!Array.isArray(items)) {
    failures.push({ property, reason: `${property}: got ${JSON.stringify(value)}, expected a list` });
    return;
  }
  if (items.length < minItems) {
    failures.push({
      property,
      reason: `${property} needs at least ${minItems} entr${minItems === 1 ? "y" : "ies"}${options.purpose ? `: ${options.purpose}` : ""}`,
    });
  }
  const seen = new Set<string>();
  items.forEach((item: unknown, index) => {
    if (isUnknown(item)) {
      return;
    }
    const path = `${property}[${index}]`;
    const problem = typeof item === "string" ? rule(item) : "expected a string";
    if (problem !== undefined) {
      failures.push({ property: path, reason: `${path}: got ${JSON.stringify(item)}; ${problem}` });
    } else if (seen.has(item as string)) {
      failures.push({ property: path, reason: `${path}: ${JSON.stringify(item)} is listed twice; list each entry once` });
    }
    seen.add(String(item));
  });
}

/** Checks a string-to-string map: every key passes `keyRule`, every known value `valueRule`. */
export function checkMap(
  failures: pulumi.dynamic.CheckFailure[],
  property: string,
  value: unknown,
  keyRule: (key: string) => ValueProblem,
  valueRule: (value: string) => ValueProblem,
): void {
  if (value === undefined || value === null || isUnknown(value)) {
    return;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    failures.push({ property, reason: `${property}: got ${JSON.stringify(value)}, expected a map of names to values` });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = keyRule(key);
    if (problem !== undefined) {
      failures.push({ property: `${property}.${key}`, reason: `${property}: key ${JSON.stringify(key)}; ${problem}` });
    }
    checkOptionalText(failures, `${property}.${key}`, item, valueRule);
  }
}

/** Checks username and password are given together: digest auth needs both, and neither alone means anything. */
export function checkAuthPair(
  failures: pulumi.dynamic.CheckFailure[],
  username: unknown,
  password: unknown,
  purpose: string,
): void {
  const given = (value: unknown) => value !== undefined && value !== null && value !== "";
  if (given(username) && !given(password) && !isUnknown(username)) {
    failures.push({ property: "authPassword", reason: `authPassword is required when authUsername is set: ${purpose}` });
  }
  if (given(password) && !given(username)) {
    failures.push({ property: "authUsername", reason: `authUsername is required when authPassword is set: ${purpose}` });
  }
}
