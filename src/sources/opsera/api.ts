/**
 * Opsera's audit-log answers (wiki shapes: /work/shared/reference/opsera.md §2),
 * validated on arrival. Both logs answer `{count, data[]}`; records carry
 * `_id`, the de-duplication key.
 */
import { z } from 'zod'

const text = z
  .string()
  .nullish()
  .transform((v) => v || undefined)

/** At most this many records per answer, whatever is asked. */
export const RECORD_CAP = 1_000

export const logPage = z.object({
  count: z.number().int().nullish(),
  data: z.array(z.unknown())
})

export const actionRecord = z.object({
  _id: z.string().min(1),
  user_id: z.string().min(1),
  user_email: text,
  type: z.string().min(1),
  action: z.string().min(1),
  target_id: text,
  account: text,
  createdAt: z.string().min(1)
})

export const tokenRecord = z.object({
  _id: z.string().min(1),
  token_id: z.string().min(1),
  scope: z.string().min(1),
  target: text,
  user_id: z.string().min(1),
  account: text,
  createdAt: z.string().min(1)
})

export type ActionRecord = z.infer<typeof actionRecord>
export type TokenRecord = z.infer<typeof tokenRecord>
