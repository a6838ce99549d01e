import * as pulumi from "@pulumi/pulumi";
import { runProgram, stackConfig } from "../../utils/offline-program";

describe("the program with a misspelt config key", () => {
  it("stops before declaring anything, naming the closest key and the commands that move the value there", async () => {
    const failure = await runProgram(stackConfig("prod", { "agent-studio-voice:turnEnable": "true" })).catch((error: unknown) => error);
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
    expect(String((failure as Error).message)).toBe(
      'Stack "prod" config has 1 problem:\n' +
        '  - agent-studio-voice:turnEnable = "true": expected a key this program reads (did you mean agent-studio-voice:turnEnabled?). ' +
        "Fix: pulumi config rm agent-studio-voice:turnEnable --stack prod && pulumi config set agent-studio-voice:turnEnabled true --stack prod",
    );
  }, 60_000);
});
