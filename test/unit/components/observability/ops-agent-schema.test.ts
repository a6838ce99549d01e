/**
 * The rendered Ops Agent config against a schema derived from the agent's 2.70.0 source
 * (test/utils/ops-agent-config.schema.json names the files): the agent refuses an unknown key or
 * a wrong type at start, which would leave the host without logs and metrics.
 */
import Ajv from "ajv";
import { parse } from "yaml";
import { renderRuntimeFiles } from "../../../../components/runtime-config";
import { versions } from "../../../../components/versions";
import schema from "../../../utils/ops-agent-config.schema.json";
import { productionRuntimeInput } from "../../../utils/runtime-input";

// strictRequired off: the options that exclude each other are written `not: { required: [a, b] }`.
const validate = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false }).compile(schema);
const rendered = () => parse(renderRuntimeFiles(productionRuntimeInput()).opsAgent.content) as any;
const errors = (config: unknown) => (validate(config) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

describe("the Ops Agent config against the agent's 2.70.0 schema", () => {
  it("validates as the prod stack renders it", () => {
    expect(errors(rendered())).toEqual([]);
  });

  it("is derived from the agent version the host installs (a new pin needs the schema derived again)", () => {
    expect(schema.$comment).toContain(`GoogleCloudPlatform/ops-agent at tag ${versions.opsAgent} `);
  });

  /** The object at a JSON pointer of the config (`""` is the whole config). */
  const at = (config: any, pointer: string) => pointer.split("/").slice(1).reduce((node, key) => node[key], config);

  it.each([
    ["the top level", ""],
    ["logging", "/logging"],
    ["a files receiver", "/logging/receivers/voice_containers"],
    ["a parse_json processor", "/logging/processors/voice_service_line"],
    ["a modify_fields processor", "/logging/processors/voice_fields"],
    ["a modify_fields field", "/logging/processors/voice_fields/fields/severity"],
    ["the logging service", "/logging/service"],
    ["a logging pipeline", "/logging/service/pipelines/voice_containers"],
    ["metrics", "/metrics"],
    ["a prometheus receiver", "/metrics/receivers/voice_prometheus"],
    ["the prometheus config", "/metrics/receivers/voice_prometheus/config"],
    ["a scrape config", "/metrics/receivers/voice_prometheus/config/scrape_configs/0"],
    ["a static config", "/metrics/receivers/voice_prometheus/config/scrape_configs/0/static_configs/0"],
    ["the metrics service", "/metrics/service"],
    ["a metrics pipeline", "/metrics/service/pipelines/voice_prometheus"],
  ])("refuses an unknown key in %s", (_, pointer) => {
    const config = rendered();
    at(config, pointer).bogus = true;
    expect(validate(config)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: pointer, keyword: "additionalProperties", params: { additionalProperty: "bogus" } }),
    );
  });

  const scrape = "/metrics/receivers/voice_prometheus/config/scrape_configs";
  it.each([
    ["include_paths as a string", (c: any) => (c.logging.receivers.voice_containers.include_paths = "/var/log/*.log"), "/logging/receivers/voice_containers/include_paths must be array"],
    ["no include_paths", (c: any) => delete c.logging.receivers.voice_containers.include_paths, "/logging/receivers/voice_containers must have required property 'include_paths'"],
    ["a time_key without its time_format", (c: any) => delete c.logging.processors.voice_docker_line.time_format, "/logging/processors/voice_docker_line must have property time_format when property time_key is present"],
    ["both move_from and copy_from", (c: any) => (c.logging.processors.voice_fields.fields.severity.move_from = "jsonPayload.lvl"), "/logging/processors/voice_fields/fields/severity must NOT be valid"],
    ["a map_values value that is not a string", (c: any) => (c.logging.processors.voice_fields.fields.severity.map_values.info = 1), "/logging/processors/voice_fields/fields/severity/map_values/info must be string"],
    ["pipeline processors as a string", (c: any) => (c.logging.service.pipelines.voice_containers.processors = "voice_fields"), "/logging/service/pipelines/voice_containers/processors must be array"],
    ["a processor type outside the subset", (c: any) => (c.logging.processors.voice_service_line.type = "parse_yaml"), '/logging/processors/voice_service_line value of tag "type" must be in oneOf'],
    ["a receiver ID starting lib:", (c: any) => (c.logging.receivers["lib:x"] = c.logging.receivers.voice_containers), "/logging/receivers property name must be valid"],
    ["no scrape configs", (c: any) => (c.metrics.receivers.voice_prometheus.config.scrape_configs = []), `${scrape} must NOT have fewer than 1 items`],
    ["a scrape config without job_name", (c: any) => delete c.metrics.receivers.voice_prometheus.config.scrape_configs[0].job_name, `${scrape}/0 must have required property 'job_name'`],
    ["a scrape_interval that is not a duration", (c: any) => (c.metrics.receivers.voice_prometheus.config.scrape_configs[0].scrape_interval = "15"), `${scrape}/0/scrape_interval must match pattern`],
  ])("refuses %s", (_, edit, expected) => {
    const config = rendered();
    edit(config);
    expect(errors(config).some((e) => e.startsWith(expected))).toBe(true);
  });

  it("knows exactly the receiver and processor types the rendered config uses", () => {
    const defs = schema.definitions as Record<string, any>;
    const typesOf = (def: string) => defs[def].oneOf.map((s: { $ref: string }) => defs[s.$ref.split("/").pop()!].properties.type.const).sort();
    const config = rendered();
    const used = (components: Record<string, { type: string }>) => [...new Set(Object.values(components).map((c) => c.type))].sort();
    expect(typesOf("loggingReceiver")).toEqual(used(config.logging.receivers));
    expect(typesOf("loggingProcessor")).toEqual(used(config.logging.processors));
    expect(typesOf("metricsReceiver")).toEqual(used(config.metrics.receivers));
  });
});
