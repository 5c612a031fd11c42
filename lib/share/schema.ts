/**
 * What a share carries, validated with zod wherever it comes back from a URL, a request or the
 * database. Browser-safe.
 */
import { z } from "zod";

// No `new Function` fast paths: the page's CSP forbids eval, and zod's probe for it would be
// reported as a violation.
z.config({ jitless: true });

/** Max length of one text input that a share accepts (characters). */
export const MAX_INPUT_CHARS = 50_000_000;

const optionalText = z
  .string()
  .max(MAX_INPUT_CHARS)
  .nullish()
  .transform((v) => v ?? null);

export const shareInputsSchema = z.object({
  dockerfile: optionalText,
  log: z.string().min(1, "the build log is empty").max(MAX_INPUT_CHARS),
  previousLog: optionalText,
  previousDockerfile: optionalText,
  image: optionalText,
});

export type ShareInputs = z.infer<typeof shareInputsSchema>;

/** `<stageIndex>:<position>` */
export const stepIdSchema = z.string().regex(/^\d{1,6}:\d{1,6}$/, "a step id looks like 2:3");

export const viewSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a view name is lower-case letters, digits and dashes");

export const shareStateSchema = z.object({
  inputs: shareInputsSchema,
  selectedStep: stepIdSchema.nullish().transform((v) => v ?? null),
  view: viewSchema.nullish().transform((v) => v ?? "graph"),
});

export type ShareState = z.infer<typeof shareStateSchema>;

/** Body of POST /api/share. */
export const createShareRequestSchema = shareStateSchema.extend({
  version: z.literal(1, { error: "version must be 1" }),
  expiresInDays: z.number().int().min(1).max(3650).nullish(),
});

export type CreateShareRequest = z.infer<typeof createShareRequestSchema>;

/** Body of the response of POST /api/share. */
export interface CreateShareResponse {
  id: string;
  url: string;
  redactions: { kind: string; count: number }[];
  expiresAt: string | null;
  created: boolean;
}

/** Body of GET /api/share/<id>. */
export interface StoredShareResponse {
  version: 1;
  id: string;
  inputs: ShareInputs;
  selectedStep: string | null;
  view: string;
  createdAt: string;
  expiresAt: string | null;
}

/** "inputs.log: the build log is empty" — the first few issues of a zod error, for a 400 or a link error. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`)
    .join("; ");
}
