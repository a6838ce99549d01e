import { googleLoadBalancerRanges } from "../../../components/network";
import { validateLoadBalancerOnlyBackend } from "../../../policy/load-balancer-only-backend";
import { validateNoPublicInternalPorts } from "../../../policy/no-public-internal-ports";
import { firewall, resourceVerdict, resourceViolations, unknownString } from "../../utils/policy-args";

const check = (props: Record<string, any>) => resourceViolations(validateLoadBalancerOnlyBackend, firewall("fw", props));
const backend = (sourceRanges: string[]) => ({ allows: [{ protocol: "tcp", ports: ["7890"] }], sourceRanges });

describe("policy load-balancer-only-backend", () => {
  it("passes the backend port and the LiveKit API opened to Google's load balancer ranges, or parts of them", async () => {
    expect(await check(backend([...googleLoadBalancerRanges]))).toEqual([]);
    expect(await check({ allows: [{ protocol: "tcp", ports: ["7880"] }], sourceRanges: ["35.191.0.0/16"] })).toEqual([]);
    expect(await check(backend(["130.211.1.0/24"]))).toEqual([]);
    // The public-port policy agrees: those ranges are not the internet.
    expect(await resourceViolations(validateNoPublicInternalPorts, firewall("fw", backend([...googleLoadBalancerRanges])))).toEqual([]);
  });

  it("refuses the internet, any other range, or tag sources beside the load balancer's", async () => {
    const [internet] = await check(backend(["0.0.0.0/0"]));
    expect(internet).toContain("fw opens 7890/tcp (Caddy's load balancer backend) to 0.0.0.0/0");
    expect(internet).toContain("35.191.0.0/16, 130.211.0.0/22");
    expect(await check(backend([...googleLoadBalancerRanges, "198.51.100.0/24"]))).toEqual([expect.stringContaining("to 198.51.100.0/24")]);
    expect(await check({ allows: [{ protocol: "tcp", ports: ["7000-8000"] }], sourceRanges: ["35.0.0.0/8"] })).toEqual([
      expect.stringContaining("opens 7890/tcp (Caddy's load balancer backend), 7880/tcp (the LiveKit API) to 35.0.0.0/8"),
    ]);
    expect(await check({ allows: [{ protocol: "tcp", ports: ["7880"] }], sourceRanges: ["35.191.0.0/16"], sourceTags: ["app"] })).toEqual([
      expect.stringContaining("to tag app"),
    ]);
  });

  it("leaves other ports to the other policies", async () => {
    expect(await check({ allows: [{ protocol: "tcp", ports: ["443", "80"] }], sourceRanges: ["0.0.0.0/0"] })).toEqual([]);
    expect(await check({ allows: [{ protocol: "udp", ports: ["7890"] }], sourceRanges: ["0.0.0.0/0"] })).toEqual([]);
  });

  it("at preview, defers unknown sources on the backend port", async () => {
    const verdict = await resourceVerdict(validateLoadBalancerOnlyBackend, firewall("fw", backend([unknownString])));
    expect(verdict.violations).toEqual([]);
    expect(verdict.deferred).toEqual([expect.stringContaining("fw: it opens 7890/tcp (Caddy's load balancer backend) to sources not known until the update")]);
  });
});
