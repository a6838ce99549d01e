/** Loopback fake of the Twilio REST API, validated against Twilio's OpenAPI documents. */
export { FakeTwilio, type Fault, type FakeCredentials, type ReceivedRequest } from "./fake-twilio-server";
export { specDirectory, TwilioOpenApiValidator, type SpecOperation, type WireRequest } from "./openapi-validator";
export { TwilioAccountState } from "./twilio-state";
