import fc from "fast-check";
import { REDACTED, redact, safeError } from "../../../../providers/base";

describe("redact", () => {
  it("removes secrets and their URL- and base64-encoded forms", () => {
    const secret = "Tr0ub4dor&3 x";
    const text = `pw=${secret} url=${encodeURIComponent(secret)} basic=${Buffer.from(secret).toString("base64")}`;
    const out = redact(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(Buffer.from(secret).toString("base64"));
    expect(out.split(REDACTED)).toHaveLength(4);
  });

  it("never leaves a secret of useful length behind", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), fc.string(), (secret, before, after) => {
        expect(redact(`${before}${secret}${after}`, [secret])).not.toContain(secret);
      }),
    );
  });
});

describe("safeError", () => {
  it("prefixes the context, keeps the status and scrubs message and stack", () => {
    const cause = Object.assign(new Error("auth sk_live_12345 rejected"), { status: 401 });
    const error = safeError("Twilio trunk \"t\": create failed", cause, ["sk_live_12345"]);
    expect(error.message).toBe(`Twilio trunk "t": create failed: auth ${REDACTED} rejected`);
    expect(error.status).toBe(401);
    expect(error.stack).not.toContain("sk_live_12345");
  });
});
