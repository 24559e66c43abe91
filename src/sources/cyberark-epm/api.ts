/**
 * The EPM REST answers the source reads, validated on arrival. Shapes:
 * /work/shared/reference/cyberark-epm.md §1-4 (logon, sets, set and account
 * administrator audit). Audit rows are archived whole, so every documented
 * field is kept; all but the event time are optional because the account
 * audit's row shape is not published.
 */
import { z } from 'zod'

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined)

export const logonResponse = z.object({
  ManagerURL: z.string().min(1),
  EPMAuthenticationResult: z.string().min(1),
  IsPasswordExpired: z.boolean().nullish()
})

export const setsResponse = z.object({
  Sets: z.array(z.object({ Id: z.string().min(1), Name: z.string() })),
  SetsCount: z.number().int().nullish()
})

export const adminAuditRow = z.object({
  SetName: text,
  EventTime: z.string().min(1),
  PermissionDescription: text,
  Description: text,
  Feature: text,
  LoggedAt: text,
  LoggedFrom: text,
  Administrator: text,
  InternalSessionId: z
    .union([z.number(), z.string()])
    .nullish()
    .transform((v) => (v == null ? undefined : String(v))),
  Role: text
})

export type AdminAuditRow = z.infer<typeof adminAuditRow>

export const adminAuditPage = z.object({
  /** Present on the set audit; the account audit's envelope is documented without it. */
  TotalCount: z.number().int().min(0).nullish(),
  AdminAudits: z.array(z.unknown())
})
