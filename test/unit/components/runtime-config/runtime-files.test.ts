import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { renderLivekitKeysFile, renderRuntimeFiles, runtimeFilePaths, services, workerSlots } from "../../../../components/runtime-config";
import { envVariables, renderAllFiles } from "../../../utils/render-properties";
import { productionKeys, productionRuntimeInput } from "../../../utils/runtime-input";

describe("the runtime files (production)", () => {
  const files = renderAllFiles(productionRuntimeInput(), productionKeys());

  it("renders every file to its place on the host; the key pair alone, in a file readable by root only", () => {
    for (const [id, file] of Object.entries(files)) {
      expect(file.path).toBe(runtimeFilePaths[id as keyof typeof runtimeFilePaths]);
    }
    expect(files.livekitKeys.mode).toBe("0600");
    expect(files.livekitKeys.content).toContain("s3cretS3cretS3cretS3cretS3cretS3cret");
    for (const id of ["livekit", "sip", "compose", "redis", "caddy", "systemdUnit", "workerSlots", "opsAgent"] as const) {
      expect(files[id].content).not.toContain("s3cretS3cret");
      expect(files[id].mode).toBe("0644");
    }
  });

  it("gives livekit-server and livekit-sip the key pair in their environment, and a new pair recreates both", () => {
    expect(envVariables(files.livekitKeys.content)).toEqual({
      LIVEKIT_KEYS: "APItestkey: s3cretS3cretS3cretS3cretS3cretS3cret",
      LIVEKIT_API_KEY: "APItestkey",
      LIVEKIT_API_SECRET: "s3cretS3cretS3cretS3cretS3cretS3cret",
    });
    expect(files.livekitKeys.onChange).toEqual({ kind: "recreate-services", services: ["livekit", "sip"] });
    const compose = parse(files.compose.content) as { services: Record<string, any> };
    expect(compose.services.livekit.env_file).toEqual(["./livekit-keys.env"]);
    expect(compose.services.sip.env_file).toEqual(["./livekit-keys.env"]);
    expect(parse(files.livekit.content)).not.toHaveProperty("keys");
    expect(parse(files.sip.content)).not.toHaveProperty("api_secret");
  });

  it("keeps the LiveKit API and metrics on loopback and shares one Redis between LiveKit and SIP", () => {
    const livekit = parse(files.livekit.content);
    const sip = parse(files.sip.content);
    expect(livekit).toMatchObject({ port: 7880, bind_addresses: ["127.0.0.1"], redis: { address: "127.0.0.1:6379" } });
    expect(livekit.rtc).toMatchObject({ tcp_port: 7881, udp_port: 7882, node_ip: "203.0.113.10" });
    expect(sip).toMatchObject({
      ws_url: "ws://127.0.0.1:7880",
      redis: { address: "127.0.0.1:6379" },
      sip_port: 5060,
      rtp_port: "10000-20000",
      nat_1_to_1_ip: "203.0.113.10",
    });
    expect(files.redis.content).toMatch(/^bind 127\.0\.0\.1 -::1$/m);
    expect(files.redis.content).toMatch(/^protected-mode yes$/m);
    expect(files.redis.content).toMatch(/^port 6379$/m);
  });

  it("keeps every Redis write (the SIP trunks and dispatch rules) in an append-only file on a named volume, refusing writes rather than evicting when full", () => {
    const conf = files.redis.content;
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^appendfsync everysec$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    const compose = parse(files.compose.content) as { services: Record<string, any>; volumes: Record<string, unknown> };
    // A named volume, not the image's anonymous one: `docker compose down` (the unit's stop) keeps it.
    expect(compose.services.redis.volumes).toContain("redis-data:/data");
    expect(compose.volumes).toHaveProperty("redis-data");
    // The one redis.conf directive that sets the data dir is the volume's mount point.
    expect(conf.match(/^dir .*$/gm)).toEqual(["dir /data"]);
  });

  it("turns embedded TURN on in livekit.yaml only when enabled", () => {
    expect(parse(files.livekit.content).turn).toBeUndefined();
    const turn = parse(renderRuntimeFiles(productionRuntimeInput({ turnEnabled: true })).livekit.content).turn;
    expect(turn).toEqual({ enabled: true, udp_port: 3478 });
  });

  it("proxies TLS on the domain to livekit-server on loopback", () => {
    expect(files.caddy.content).toMatch(/^voice\.example\.com \{\n\treverse_proxy 127\.0\.0\.1:7880 \{$/m);
    expect(files.caddy.content).toMatch(/admin 127\.0\.0\.1:2019/);
  });

  it("keeps the WebSockets Caddy proxies open across a reload, for up to the longest call", () => {
    expect(files.caddy.content).toMatch(/^\t\tstream_close_delay 1860s$/m);
    expect(renderRuntimeFiles(productionRuntimeInput({ maxCallMinutes: 5 })).caddy.content).toMatch(/^\t\tstream_close_delay 360s$/m);
  });

  it("runs every service on the host network with pinned images, health checks and restart policies", () => {
    const compose = parse(files.compose.content) as { services: Record<string, any> };
    expect(Object.keys(compose.services).sort()).toEqual([...Object.values(services), ...workerSlots.map((slot) => slot.service)].sort());
    expect(compose.services.livekit.image).toBe("livekit/livekit-server:v1.13.5");
    expect(compose.services.sip.image).toBe("livekit/sip:v1.8.0");
    expect(compose.services.redis.image).toBe("redis:7.4.2-alpine");
    expect(compose.services.caddy.image).toBe("caddy:2.9.1-alpine");
    for (const service of Object.values(compose.services)) {
      expect(service.network_mode).toBe("host");
      expect(service.restart).toBe("unless-stopped");
      expect(service.healthcheck.test[0]).toBe("CMD");
    }
    expect(compose.services.sip.volumes).toEqual(["./sip.yaml:/sip/config.yaml:ro", "caddy-data:/caddy-data:ro"]);
    expect(compose.services.livekit.volumes).toEqual(["./livekit.yaml:/etc/livekit.yaml:ro"]);
    // The limit containers get is compose's, not the systemd unit's (that one only runs the docker CLI).
    for (const callCarrying of ["livekit", "sip"]) {
      expect(compose.services[callCarrying].ulimits.nofile).toEqual({ soft: 1048576, hard: 1048576 });
    }
  });

  it("runs the worker in two slots from its pinned image, its environment from the root-only env file, outside the stack's default profile, each slot on its own health and metrics ports", () => {
    const compose = parse(files.compose.content) as { services: Record<string, any> };
    expect(Object.keys(compose.services).filter((name) => name.startsWith("worker"))).toEqual(["worker-a", "worker-b"]);
    for (const [slot, port, metricsPort] of [["worker-a", 8081, 8082], ["worker-b", 8083, 8084]] as const) {
      const worker = compose.services[slot];
      expect(worker).toMatchObject({
        image: productionRuntimeInput().workerImage,
        profiles: ["worker"],
        env_file: ["./worker.env"],
        depends_on: { livekit: { condition: "service_healthy" } },
        stop_grace_period: "1860s",
        environment: { HEALTH_PORT: String(port), METRICS_PORT: String(metricsPort) },
      });
      expect(worker.healthcheck.test.join(" ")).toContain(`http://127.0.0.1:${port}/`);
    }
    expect(files.compose.content).not.toContain("s3cretS3cret");
  });

  it("starts the worker's serving slot at boot once its env file exists, and leaves the worker out of reloads", () => {
    expect(files.systemdUnit.content).toMatch(
      /^ExecStartPost=\/bin\/sh -c 'if \[ -f worker\.env \]; then exec \/bin\/sh \/opt\/agent-studio-voice\/worker-slots\.sh start; fi'$/m,
    );
    expect(files.systemdUnit.content.match(/^ExecReload=.*$/gm)).toEqual(["ExecReload=/usr/bin/docker compose --project-name agent-studio-voice up --detach --wait"]);
    expect(files.workerSlots).toMatchObject({ path: "/opt/agent-studio-voice/worker-slots.sh", mode: "0644", onChange: { kind: "none" } });
  });

  it("raises the open-files limit of the systemd unit that runs the stack (the compose CLI it starts)", () => {
    expect(files.systemdUnit.content).toMatch(/^LimitNOFILE=1048576$/m);
    expect(files.systemdUnit.content).toMatch(/^WorkingDirectory=\/opt\/agent-studio-voice$/m);
    expect(files.systemdUnit.content).toMatch(/^ExecStart=\/usr\/bin\/docker compose --project-name agent-studio-voice up --detach --wait --remove-orphans$/m);
  });

  it("matches the reviewed output byte for byte", () => {
    for (const file of Object.values(files)) {
      expect(file.content).toMatchSnapshot(file.id);
    }
  });
});

describe("the runtime files with hostile values", () => {
  const yamlBreakers = fc.constantFrom("\n", ":", "'", '"', "&anchor", "*alias", "#", "- ", "{", "}", "[", "]", "!!", "|", ">", "%", "$HOME", " #", "\\");
  const hostile = fc
    .tuple(fc.string({ maxLength: 8 }), yamlBreakers, fc.string({ maxLength: 8 }))
    .map(([a, b, c]) => `${a}${b}${c}`.padEnd(32, "x"));

  it("never lets an API key or secret add a variable or change the key pair livekit-server reads", () => {
    fc.assert(
      fc.property(hostile, hostile, (apiKey, apiSecret) => {
        let file;
        try {
          file = renderLivekitKeysFile({ apiKey, apiSecret });
        } catch (error) {
          // Rejected input must say which field is wrong, never its value.
          expect(String(error)).toMatch(/apiKey|apiSecret|LIVEKIT_KEYS|LIVEKIT_API_KEY|LIVEKIT_API_SECRET/);
          expect(String(error)).not.toContain(apiSecret);
          return;
        }
        const variables = envVariables(file.content);
        expect(Object.keys(variables)).toEqual(["LIVEKIT_KEYS", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"]);
        expect(parse(variables.LIVEKIT_KEYS)).toEqual({ [apiKey]: apiSecret });
        expect([variables.LIVEKIT_API_KEY, variables.LIVEKIT_API_SECRET]).toEqual([apiKey, apiSecret]);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a domain that could change the Caddyfile's structure", () => {
    expect(() => renderRuntimeFiles(productionRuntimeInput({ domain: "voice.example.com {\n}\nevil.com", secureTrunking: false }))).toThrow(
      /value for \{\{DOMAIN\}\} contains characters that could change its structure/,
    );
    // Under secure trunking the SIP host name is checked first, where livekit-sip's config holds it.
    expect(() => renderRuntimeFiles(productionRuntimeInput({ domain: "voice.example.com {\n}\nevil.com" }))).toThrow(/tls.hostname is .*expected a DNS name/);
  });

  it("under secure trunking, has livekit-sip serve SIP over TLS on 5061 with the certificate Caddy obtains for sip.<domain>", () => {
    const secure = renderRuntimeFiles(productionRuntimeInput({ secureTrunking: true }));
    const certDir = "/caddy-data/caddy/certificates/acme-v02.api.letsencrypt.org-directory/sip.voice.example.com";
    expect(parse(secure.sip.content)).toMatchObject({
      sip_port: 5060,
      sip_hostname: "sip.voice.example.com",
      tls: { port: 5061, certs: [{ cert_file: `${certDir}/sip.voice.example.com.crt`, key_file: `${certDir}/sip.voice.example.com.key` }] },
    });
    expect(secure.caddy.content).toMatch(/^sip\.voice\.example\.com \{\n\ttls \{\n\t\tissuer acme\n\t\}/m);
    expect(parse(secure.compose.content).services.sip.volumes).toContain("caddy-data:/caddy-data:ro");
    // livekit-sip starts once Caddy has written the files its config names: run its entrypoint as the
    // container would, with compose's $$ unescaped, the rendered config, a stand-in livekit-sip and the files present.
    const [shell, flag, script] = parse(secure.compose.content).services.sip.entrypoint as string[];
    expect([shell, flag]).toEqual(["bash", "-c"]);
    const dir = mkdtempSync(join(tmpdir(), "sip-entrypoint-"));
    writeFileSync(join(dir, "livekit-sip"), '#!/bin/sh\necho "livekit-sip $*"\n', { mode: 0o755 });
    writeFileSync(join(dir, "config.yaml"), secure.sip.content.replaceAll(certDir, dir));
    for (const name of ["sip.voice.example.com.crt", "sip.voice.example.com.key"]) writeFileSync(join(dir, name), "PEM\n");
    const started = execFileSync(shell, [flag, script.replace(/\$\$/g, "$").replaceAll("/sip/config.yaml", join(dir, "config.yaml"))], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    });
    expect(started.toString()).toBe(`livekit-sip --config=${join(dir, "config.yaml")}\n`);

    const clear = renderRuntimeFiles(productionRuntimeInput({ secureTrunking: false }));
    expect(parse(clear.sip.content)).not.toHaveProperty("tls");
    expect(parse(clear.sip.content)).not.toHaveProperty("sip_hostname");
    expect(clear.caddy.content).not.toContain("sip.voice.example.com");
    expect(parse(clear.compose.content).services.sip.volumes).toEqual(["./sip.yaml:/sip/config.yaml:ro"]);
    expect(parse(clear.compose.content).services.sip).not.toHaveProperty("entrypoint");
  });
});

describe("the runtime files of a node of several (nodes >= 2)", () => {
  const redis = { address: "10.30.0.4:6379", password: "memorystore-auth-string" };
  const node = (index: number) => renderRuntimeFiles(productionRuntimeInput({ node: { index, redis } }));

  it("run no Redis: no redis.conf, no redis service or volume, nothing waits for one", () => {
    const files = node(1);
    expect(files.redis).toBeUndefined();
    const compose = parse(files.compose.content) as { services: Record<string, any>; volumes: Record<string, unknown> };
    expect(Object.keys(compose.services)).not.toContain("redis");
    expect(Object.keys(compose.volumes)).not.toContain("redis-data");
    expect(compose.services.livekit.depends_on).toBeUndefined();
    expect(compose.services.sip.depends_on).toEqual({ livekit: { condition: "service_healthy" } });
  });

  it("point livekit-server and livekit-sip at Memorystore, the AUTH string in the SIP config only (mode 0600) and livekit-server's REDIS_PASSWORD", () => {
    const files = node(2);
    expect(parse(files.livekit.content).redis).toEqual({ address: redis.address });
    expect(files.livekit.content).not.toContain(redis.password);
    expect(parse(files.sip.content).redis).toEqual(redis);
    expect(files.sip.mode).toBe("0600");
    expect(envVariables(renderLivekitKeysFile(productionKeys(), redis.password).content)).toMatchObject({ REDIS_PASSWORD: redis.password });
    for (const id of ["compose", "caddy", "systemdUnit", "workerSlots", "opsAgent"] as const) expect(files[id].content).not.toContain(redis.password);
  });

  it("give each node its own SIP host name under secure trunking, node 0 keeping the single host's", () => {
    expect(parse(node(0).sip.content).sip_hostname).toBe("sip.voice.example.com");
    expect(parse(node(3).sip.content).sip_hostname).toBe("sip-3.voice.example.com");
    expect(node(3).caddy.content).toMatch(/^sip-3\.voice\.example\.com \{$/m);
  });

  it("serve the load balancer on Caddy's backend port, with a health check that turns 503 on the drain flag, and no site for the domain", () => {
    const files = node(1);
    expect(files.caddy.content).toMatch(/^http:\/\/:7890 \{$/m);
    expect(files.caddy.content).not.toMatch(/^voice\.example\.com \{$/m);
    expect(files.caddy.content).toContain("handle /lb-health {");
    expect(files.caddy.content).toMatch(/root \/drain\n\t+try_files draining\n/);
    expect(files.caddy.content).toContain('respond @draining "draining" 503');
    const compose = parse(files.compose.content) as { services: Record<string, any> };
    expect(compose.services.caddy.volumes).toContain("/var/lib/agent-studio-voice/drain:/drain:ro");
    // The node's unit raises that flag when it stops (a reboot, a VM stop) and lowers it once up again.
    expect(files.systemdUnit.content).toContain("touch /var/lib/agent-studio-voice/drain/draining");
    expect(files.systemdUnit.content).toContain("rm -f /var/lib/agent-studio-voice/drain/draining");
  });
});
