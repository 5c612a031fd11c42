export * from "./redact";
export * from "./permalink";
export * from "./schema";
