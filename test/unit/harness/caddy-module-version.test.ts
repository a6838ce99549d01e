import { caddyModuleVersion } from "../../harness/binaries";

describe("caddyModuleVersion", () => {
  it("gives the Go module tag of the release a caddy image tag runs", () => {
    expect(["2.9.1-alpine", "2.9.1", "2.10.0-beta.3-alpine"].map(caddyModuleVersion)).toEqual(["v2.9.1", "v2.9.1", "v2.10.0-beta.3"]);
  });

  it("refuses a tag that names no release, quoting it", () => {
    expect(() => caddyModuleVersion("alpine")).toThrow('caddy image tag "alpine" names no Caddy release (expected e.g. 2.9.1-alpine)');
    expect(() => caddyModuleVersion("2.9.1-builder-alpine")).toThrow(/"2\.9\.1-builder-alpine"/);
  });
});
