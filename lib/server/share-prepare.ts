/**
 * The CPU-heavy part of POST /api/share — parse, validate, redact, canonicalise, hash — as one
 * function of the request text, so it can run in a worker thread (share-worker.ts) and never block
 * the event loop that answers other requests. Node-only (node:crypto for the id).
 */
import { redactInputs } from "../share/redact";
import { createShareRequestSchema, describeZodError } from "../share/schema";
import { canonicalJson, shareIdFor } from "./storage/id";

export type PreparedShare =
  | {
      ok: true;
      id: string;
      body: string;
      expiresInDays: number | null;
      redactions: { kind: string; count: number; names?: string[] }[];
    }
  | { ok: false; status: number; error: string };

export function prepareShare(text: string): PreparedShare {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: "The request body is not valid JSON." };
  }
  const parsed = createShareRequestSchema.safeParse(data);
  if (!parsed.success) return { ok: false, status: 400, error: `Invalid share: ${describeZodError(parsed.error)}.` };
  const req = parsed.data;
  // The client is not trusted: redact again here.
  const { inputs, redactions } = redactInputs(req.inputs);
  const body = canonicalJson({ version: 1, inputs, selectedStep: req.selectedStep, view: req.view });
  const expiresInDays = req.expiresInDays ?? null;
  // The expiry is part of the identity: the same content shared "for 7 days" and "forever" are two
  // links, and a re-post can never turn one into the other or push its date out.
  const id = shareIdFor(expiresInDays == null ? body : `${body}\nexpires-in-days:${expiresInDays}`);
  return { ok: true, id, body, expiresInDays, redactions };
}
