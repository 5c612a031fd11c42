/**
 * The error blob of a failed build (`application/vnd.googeapis.google.rpc.status+proto` — the typo
 * is BuildKit's): google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any
 * details = 3; }, Any { string type_url = 1; bytes value = 2; }. BuildKit's details are JSON
 * (`…+json` type urls): errdefs.Source (the Dockerfile and the failing range), errdefs.Vertex (the
 * failing vertex digest), gatewayapi.ExitMessage (the exit code), stack.Stack (Go stack frames with
 * build-machine paths: never kept).
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { decodeBase64Text } from "./provenance";

export interface RpcFailure {
  code: number | null;
  message: string;
  exitCode: number | null;
  vertex: string | null;
  line: number | null;
  dockerfile: { filename: string; text: string } | null;
}

const utf8 = new TextDecoder("utf-8");

export function readRpcStatus(buf: Uint8Array): RpcFailure | null {
  const out: RpcFailure = { code: null, message: "", exitCode: null, vertex: null, line: null, dockerfile: null };
  try {
    const r = new BinaryReader(buf);
    while (r.pos < r.len) {
      const [no, wt] = r.tag();
      if (no === 1 && wt === WireType.Varint) out.code = r.int32();
      else if (no === 2 && wt === WireType.LengthDelimited) out.message = r.string().slice(0, 16384);
      else if (no === 3 && wt === WireType.LengthDelimited) detail(r.bytes(), out);
      else r.skip(wt, no);
    }
  } catch {
    return out.message ? out : null;
  }
  return out;
}

function detail(buf: Uint8Array, out: RpcFailure): void {
  const r = new BinaryReader(buf);
  let type = "";
  let value: Uint8Array | null = null;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) type = r.string();
    else if (no === 2 && wt === WireType.LengthDelimited) value = r.bytes();
    else r.skip(wt, no);
  }
  if (!value || !type.endsWith("+json") || type.includes("stack.Stack")) return;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(utf8.decode(value)) as Record<string, unknown>;
  } catch {
    return;
  }
  if (type.endsWith("errdefs.Vertex+json") && typeof j.digest === "string") out.vertex = j.digest;
  else if (type.endsWith("ExitMessage+json") && typeof j.Code === "number") out.exitCode = j.Code;
  else if (type.endsWith("errdefs.Source+json")) {
    const info = j.info as Record<string, unknown> | undefined;
    const ranges = j.ranges as { start?: { line?: number } }[] | undefined;
    const line = ranges?.[0]?.start?.line;
    if (typeof line === "number") out.line = line;
    if (info && typeof info.data === "string") {
      const text = decodeBase64Text(info.data);
      if (text !== null) out.dockerfile = { filename: typeof info.filename === "string" ? info.filename : "Dockerfile", text };
    }
  }
}
