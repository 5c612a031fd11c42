/** Query string → SVG card, for /api/card.svg. Validates and bounds every parameter. */
import { z } from "zod";
import { renderSvgCard } from "../render/svg-card";
import { redactText } from "../share/redact";
import { describeZodError } from "../share/schema";

const num = (max: number) => z.coerce.number().finite().min(0).max(max).optional();

const querySchema = z.object({
  status: z.enum(["success", "failed", "canceled", "incomplete"]).default("incomplete"),
  /** 0..1, or a percentage 0..100 */
  hit: z.coerce.number().finite().min(0).max(100).optional(),
  rebuilt: num(1e7),
  total: num(1e7),
  cause: z.string().max(300).optional(),
  steps: z.coerce.number().int().min(0).max(1e6).optional(),
  rebuiltSteps: z.coerce.number().int().min(0).max(1e6).optional(),
  title: z.string().max(80).optional(),
});

export function cardFromQuery(params: URLSearchParams): { ok: true; svg: string } | { ok: false; error: string } {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(querySchema.shape)) {
    const v = params.get(key);
    if (v != null && v !== "") raw[key] = v;
  }
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `Invalid card parameters: ${describeZodError(parsed.error)}.` };
  const q = parsed.data;
  const hit = q.hit == null ? null : q.hit > 1 ? q.hit / 100 : q.hit;
  return {
    ok: true,
    svg: renderSvgCard({
      status: q.status,
      hitRatio: hit,
      rebuiltSeconds: q.rebuilt ?? null,
      totalSeconds: q.total ?? null,
      // The card is made to be embedded: no secret typed into a query reaches it.
      cause: q.cause != null ? redactText(q.cause).text : null,
      steps: q.steps ?? null,
      rebuilt: q.rebuiltSteps ?? null,
      title: q.title != null ? redactText(q.title).text : null,
    }),
  };
}
