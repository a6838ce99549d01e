import { z } from "zod";
import { isHostname, isIpv4Cidr } from "./network-values";

/** A string matching a pattern. */
export const matching = (pattern: RegExp): z.ZodType<string, string> => z.string().regex(pattern);

/** A whole number written in decimal, within bounds. */
export const wholeNumber = (min: number, max: number): z.ZodType<number, string> =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** `true` or `false`. */
export const boolean: z.ZodType<boolean, string> = z.enum(["true", "false"]).transform((v) => v === "true");

/** A DNS name such as `voice.example.com`. */
export const hostname: z.ZodType<string, string> = z.string().refine(isHostname);

/** An IPv4 CIDR with no address bits set past its prefix (whether a list of them covers the internet is checked on the list). */
export const ipv4Cidr: z.ZodType<string, string> = z.string().refine(isIpv4Cidr);

/**
 * An image tag pinned to a release: `v1.2.3`, `7.4.2-alpine`. Moving tags (`latest`, `stable`,
 * a bare major like `7`) are refused so two deploys of one commit run the same code.
 */
export const pinnedTag: z.ZodType<string, string> = z
  .string()
  .regex(/^v?\d+\.\d+\.\d+([-.][A-Za-z0-9.]+)?$/);

/** A JSON object, as Pulumi hands a map over; its values are not checked. */
export const jsonObject: z.ZodType<Record<string, unknown>, string> = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown()));
