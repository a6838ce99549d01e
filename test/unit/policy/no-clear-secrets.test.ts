import { stringify } from "yaml";
import { renderStartupScript } from "../../../components/runtime-config";
import { validateNoClearSecrets, validateNoClearSecretsAtPreview } from "../../../policy/no-clear-secrets";
import { isSecretName, secretsInText } from "../../../policy/secret-text";
import { resourceVerdict, resourceViolations, type ResourceUnderTest, stackVerdict, unknownString } from "../../utils/policy-args";

const secret = "s3cretS3cretS3cretS3cretS3cretS3cret";
const check = (type: string, props: Record<string, any>) => resourceViolations(validateNoClearSecrets, { type, name: "r", props });
const vm = (metadata: Record<string, string>) => check("gcp:compute/instance:Instance", { metadata });
const compose = (environment: unknown) =>
  check("command:remote:Command", { stdin: stringify({ services: { worker: { image: "worker:1.0.0", environment } } }) });

describe("policy no-clear-secrets", () => {
  it("flags a secret-named variable given in clear in a compose environment (map or list form), never echoing it", async () => {
    for (const environment of [{ LIVEKIT_API_SECRET: secret, LIVEKIT_URL: "ws://127.0.0.1:7880" }, [`LIVEKIT_API_SECRET=${secret}`, "LOG_LEVEL=info"]]) {
      const violations = await compose(environment);
      expect(violations).toEqual([expect.stringContaining("the compose file in stdin gives service worker LIVEKIT_API_SECRET in clear")]);
      expect(violations.join()).not.toContain(secret);
    }
  });

  it("accepts references, host pass-through, *_FILE paths and the LiveKit API key", async () => {
    expect(
      await compose({
        LIVEKIT_API_SECRET: "${LIVEKIT_API_SECRET}",
        OPENAI_API_KEY: null,
        TWILIO_AUTH_TOKEN_FILE: "/run/secrets/twilio",
        LIVEKIT_API_KEY: "APIprod",
        TWILIO_API_KEY_SID: "SK0123",
      }),
    ).toEqual([]);
    expect(await compose(["SIP_PASSWORD"])).toEqual([]);
  });

  it("flags clear secrets in docker and Cloud Run env lists", async () => {
    expect(await check("docker:index/container:Container", { envs: ["TWILIO_AUTH_TOKEN=0123456789abcdef0123456789abcdef"] })).toEqual([
      expect.stringContaining("envs sets TWILIO_AUTH_TOKEN in clear"),
    ]);
    const run = { template: { containers: [{ envs: [{ name: "OPENAI_API_KEY", value: "sk-live" }, { name: "SIP_PASSWORD", valueSource: { secretKeyRef: {} } }] }] } };
    expect(await check("gcp:cloudrunv2/service:Service", run)).toEqual([expect.stringContaining("template.containers[0].envs sets OPENAI_API_KEY in clear")]);
  });

  it("flags instance metadata holding a secret: by key, assignment, private key or URL password", async () => {
    expect(await vm({ "livekit-api-secret": secret })).toEqual([expect.stringContaining("metadata key livekit-api-secret holds a secret")]);
    expect(await vm({ "startup-script": `#!/bin/bash\nexport TWILIO_AUTH_TOKEN=${secret}\n` })).toEqual([
      expect.stringContaining("metadata startup-script holds a value for TWILIO_AUTH_TOKEN"),
    ]);
    expect(await vm({ "user-data": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----" })).toEqual([
      expect.stringContaining("holds a private key"),
    ]);
    expect(await vm({ "startup-script": "redis-cli -u redis://default:hunter2@127.0.0.1:6379 ping" })).toEqual([
      expect.stringContaining("holds a URL with an embedded password"),
    ]);
    expect(await check("gcp:compute/instance:Instance", { metadataStartupScript: `SIP_PASSWORD='${secret}'` })).toHaveLength(1);
    expect(await check("gcp:compute/projectMetadataItem:ProjectMetadataItem", { key: "sip-password", value: "x" })).toHaveLength(1);
  });

  it("passes the project's startup script, public SSH keys and metadata flags", async () => {
    expect(
      await vm({
        "startup-script": renderStartupScript("us-central1-docker.pkg.dev"),
        "ssh-keys": "deploy:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockDeployKey",
        "block-project-ssh-keys": "TRUE",
        "enable-guest-attributes": "TRUE",
      }),
    ).toEqual([]);
  });
});

describe("policy no-clear-secrets at preview, for values not known yet", () => {
  const key: ResourceUnderTest = { type: "tls:index/privateKey:PrivateKey", name: "deploy-key", props: { algorithm: "ED25519", publicKeyOpenssh: unknownString } };
  const vmWith = (metadata: Record<string, string>, sources: string[]): ResourceUnderTest => ({
    type: "gcp:compute/instance:Instance",
    name: "vm",
    props: { metadata },
    propertyDependencies: { metadata: sources },
  });
  const atPreview = (resources: ResourceUnderTest[]) => stackVerdict(validateNoClearSecretsAtPreview, resources);

  it("leaves unknown values to the stack check, judging the known ones", async () => {
    expect(await resourceVerdict(validateNoClearSecrets, vmWith({ "ssh-keys": unknownString, "sip-password": "x" }, ["deploy-key"]))).toEqual({
      violations: [expect.stringContaining("metadata key sip-password holds a secret")],
      deferred: [],
      urns: [undefined],
    });
  });

  it("passes ssh-keys computed from the stack's generated key, naming the public-half check it leaves to the update", async () => {
    expect(await atPreview([key, vmWith({ "ssh-keys": unknownString, "block-project-ssh-keys": "TRUE" }, ["deploy-key"])])).toEqual({
      violations: [],
      deferred: [
        "Deferred to the update: vm: metadata ssh-keys comes from the key this stack generates (deploy-key); that it holds only the public half is checked once its value is known.",
      ],
      urns: [],
    });
  });

  it("fails a secret-named metadata key whose value is computed, naming where it comes from", async () => {
    const { violations, urns } = await atPreview([key, vmWith({ "livekit-api-secret": unknownString }, ["deploy-key"])]);
    expect(violations).toEqual([expect.stringContaining("vm: metadata key livekit-api-secret will hold a value computed from tls:index/privateKey:PrivateKey deploy-key")]);
    expect(urns).toEqual([expect.stringContaining("::vm")]);
  });

  it("names other unknown metadata and compose files with their sources, and says nothing once values are known", async () => {
    const ip: ResourceUnderTest = { type: "gcp:compute/address:Address", name: "ip", props: { address: unknownString } };
    const step: ResourceUnderTest = { type: "command:remote:Command", name: "deploy", props: { create: "cat > f", stdin: unknownString }, propertyDependencies: { stdin: ["ip"] } };
    const { violations, deferred } = await atPreview([ip, step, vmWith({ "user-data": unknownString }, ["ip"])]);
    expect(violations).toEqual([]);
    expect(deferred).toEqual([
      expect.stringContaining("deploy: stdin is computed from gcp:compute/address:Address ip; its container environment is checked"),
      expect.stringContaining("vm: metadata user-data is computed from gcp:compute/address:Address ip; it is checked for secrets"),
    ]);
    expect(await atPreview([vmWith({ "ssh-keys": "deploy:ssh-ed25519 AAAA" }, [])])).toEqual({ violations: [], deferred: [], urns: [] });
  });
});

describe("secret recognition", () => {
  it.each(["LIVEKIT_API_SECRET", "livekitApiSecret", "twilioAuthToken", "sipPassword", "OPENAI_API_KEY", "privateKeyOpenssh", "db-passwd", "GOOGLE_CREDENTIALS"])(
    "%s names a secret",
    (name) => expect(isSecretName(name)).toBe(true),
  );
  it.each(["LIVEKIT_API_KEY", "TWILIO_API_KEY_SID", "SIP_PASSWORD_FILE", "tokenUrl", "sshHostKey", "publicKeyOpenssh", "PWD", "staticIp", "runtimeFileHashes"])(
    "%s does not",
    (name) => expect(isSecretName(name)).toBe(false),
  );

  it("reads assignments in shell, env, YAML and JSON, literal values only", () => {
    expect(secretsInText(`api_secret: ${secret}\n"sipPassword": "Abc-12345678",\nAUTH_TOKEN="$(gcloud secrets versions access latest --secret=t)"\npassword:\n  file: /x`)).toEqual([
      "a value for api_secret",
      "a value for sipPassword",
    ]);
  });
});
