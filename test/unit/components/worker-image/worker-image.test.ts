import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  artifactRegistryHost,
  buildContextHash,
  contentTag,
  isIgnored,
  parseDockerignore,
  pinnedImageRef,
  workerContextDir,
  workerImageName,
  workerRepositoryId,
} from "../../../../components/worker-image";
import { imagePinProblem } from "../../../../policy/image-reference";

describe(".dockerignore rules", () => {
  const rules = parseDockerignore("# build output\nnode_modules\n/dist/\ntest\n*.md\n**/*.log\n!keep.log\n\n");

  it.each([
    ["node_modules/a/index.js", true],
    ["dist/main.js", true],
    ["test/unit/x.test.ts", true],
    ["README.md", true],
    ["docs/guide.md", false],
    ["src/app.log", true],
    ["keep.log", false],
    ["src/main.ts", false],
    ["Dockerfile", false],
    ["package-lock.json", false],
  ])("%s ignored: %s", (path, ignored) => {
    expect(isIgnored(rules, path)).toBe(ignored);
  });
});

describe("buildContextHash", () => {
  let dir: string;
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "context-hash-"));
    write(".dockerignore", "node_modules\ndist\n");
    write("Dockerfile", "FROM node:22\n");
    write("src/main.ts", "console.log(1);\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("changes with any file Docker sends, and only with those", () => {
    const before = buildContextHash(dir);
    expect(buildContextHash(dir)).toBe(before);
    write("dist/main.js", "built");
    write("node_modules/x/index.js", "dependency");
    expect(buildContextHash(dir)).toBe(before);
    write("src/main.ts", "console.log(2);\n");
    expect(buildContextHash(dir)).not.toBe(before);
  });

  it("tells a renamed file from the original", () => {
    const before = buildContextHash(dir);
    rmSync(join(dir, "src/main.ts"));
    write("src/other.ts", "console.log(1);\n");
    expect(buildContextHash(dir)).not.toBe(before);
  });

  it("hashes the real worker package without reading its dependencies", () => {
    expect(buildContextHash(workerContextDir)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("worker image naming", () => {
  it("names the image in the region's registry, in a repository of the stack, tagged with the content hash", () => {
    const tag = contentTag("0123456789abcdef".repeat(4));
    expect(tag).toBe("0123456789abcdef");
    const name = workerImageName({ registryHost: artifactRegistryHost("europe-west1"), project: "p-1", repositoryId: workerRepositoryId("prod"), tag });
    expect(name).toBe("europe-west1-docker.pkg.dev/p-1/agent-studio-voice-prod/worker:0123456789abcdef");
    expect(imagePinProblem(name)).toBeUndefined();
  });

  it("keeps repository IDs within Artifact Registry's rule whatever the stack is called", () => {
    expect(workerRepositoryId("Dev_EU.2")).toBe("agent-studio-voice-dev-eu-2");
    const long = workerRepositoryId("x".repeat(80) + "-");
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
  });

  it("runs the pushed digest when the registry reports one, else the content-tagged name", () => {
    const name = "us-central1-docker.pkg.dev/p/r/worker:0123456789abcdef";
    const digest = `us-central1-docker.pkg.dev/p/r/worker@sha256:${"ab".repeat(32)}`;
    expect(pinnedImageRef(name, digest)).toBe(digest);
    expect(pinnedImageRef(name, undefined)).toBe(name);
    expect(pinnedImageRef(name, "sha256:abc")).toBe(name);
    expect(imagePinProblem(pinnedImageRef(name, digest))).toBeUndefined();
  });
});
