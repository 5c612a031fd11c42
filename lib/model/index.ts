export * from "./diagnostics";
export type * from "./dockerfile";
export * from "./log";
export type * from "./report";
