import { stringify } from "yaml";
import { renderCompose } from "../../../components/runtime-config";
import { versions } from "../../../components/versions";
import { imagePinProblem, parseImageReference } from "../../../policy/image-reference";
import { validatePinnedImages } from "../../../policy/pinned-images";
import { resourceVerdict, resourceViolations, unknownString } from "../../utils/policy-args";

const composeStep = (stdin: string) => ({ type: "command:remote:Command", name: "deploy-compose", props: { create: "cat > docker-compose.yml", stdin } });
const check = (resource: { type: string; name: string; props: Record<string, any> }) => resourceViolations(validatePinnedImages, resource);

describe("policy pinned-images", () => {
  it("passes the compose file the project renders", async () => {
    const compose = renderCompose({
      livekitServerVersion: versions.livekitServer,
      livekitSipVersion: versions.livekitSip,
      redisVersion: versions.redis,
      caddyVersion: versions.caddy,
      workerImage: "us-central1-docker.pkg.dev/p/r/worker:0123456789abcdef",
      maxCallMinutes: 30,
    });
    expect(await check(composeStep(compose))).toEqual([]);
  });

  it.each([
    ["redis", /no tag/],
    ["redis:latest", /moving tag `latest`/],
    ["livekit/livekit-server:stable", /names no release/],
    ["redis:7", /names no release/],
    ["registry.example.com:5000/worker", /no tag/],
    ["worker@sha256:abc", /not a sha256 digest/],
  ])("flags %s in a compose file, naming service and place", async (image, why) => {
    const violations = await check(composeStep(stringify({ services: { cache: { image }, ok: { image: "caddy:2.9.1-alpine" } } })));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(`deploy-compose: image "${image}" (service cache of the compose file in stdin) is not pinned`);
    expect(violations[0]).toMatch(why);
  });

  it("reads image fields of container providers, and docker-build tags", async () => {
    expect(await check({ type: "docker:index/container:Container", name: "c", props: { image: "worker:latest" } })).toHaveLength(1);
    expect(await check({ type: "docker:index/image:Image", name: "w", props: { imageName: "us-docker.pkg.dev/p/r/worker" } })).toHaveLength(1);
    expect(
      await check({ type: "gcp:cloudrunv2/service:Service", name: "run", props: { template: { containers: [{ image: "gcr.io/p/worker:main" }] } } }),
    ).toEqual([expect.stringContaining("(template.containers[0].image)")]);
    expect(await check({ type: "docker-build:index:Image", name: "b", props: { tags: ["worker:1.2.3", "worker:latest"] } })).toEqual([
      expect.stringContaining("(tags[1])"),
    ]);
  });

  it("does not read a VM boot image as a container image", async () => {
    expect(await check({ type: "gcp:compute/instance:Instance", name: "vm", props: { bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } } } })).toEqual([]);
  });

  it("accepts releases, build IDs and digests", () => {
    for (const image of ["livekit/sip:v1.8.0", "redis:7.4.2-alpine", "worker:3f9a2c1", `worker@sha256:${"a".repeat(64)}`, "localhost:5000/w:1.0"]) {
      expect(imagePinProblem(image)).toBeUndefined();
    }
  });

  it("at preview, names the image references and compose files not known yet as checked at the update", async () => {
    expect(await resourceVerdict(validatePinnedImages, { type: "docker:index/image:Image", name: "w", props: { imageName: unknownString, tags: [unknownString] } })).toEqual({
      violations: [],
      deferred: ["Deferred to the update: w: imageName is not known until the update; the container images it names are checked for pins then."],
      urns: [],
    });
    const step = await resourceVerdict(validatePinnedImages, { type: "command:remote:Command", name: "deploy-compose", props: { create: unknownString, stdin: unknownString } });
    expect(step.deferred).toEqual([expect.stringContaining("deploy-compose: stdin is not known until the update")]);
    // A known compose file is judged though other properties are unknown.
    const latest = { type: "command:remote:Command", name: "c", props: { connection: unknownString, stdin: "services:\n  r:\n    image: redis:latest\n" } };
    expect(await resourceVerdict(validatePinnedImages, latest)).toEqual({ violations: [expect.stringContaining('image "redis:latest"')], deferred: [], urns: [undefined] });
  });

  it("splits references with registry ports, tags and digests", () => {
    expect(parseImageReference("localhost:5000/a/b:1.2@sha256:x")).toEqual({ name: "localhost:5000/a/b", tag: "1.2", digest: "sha256:x" });
    expect(parseImageReference("localhost:5000/a")).toEqual({ name: "localhost:5000/a" });
  });
});
