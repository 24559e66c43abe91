/**
 * The Octopus REST resources the source reads, validated on arrival. Only the
 * fields the snapshot uses are kept (zod drops the rest, including volatile
 * ones like `LastModifiedOn`); a wrong type fails loudly instead of turning
 * into a silently missing grant. Shapes: /work/shared/reference/octopus-deploy.md §5.
 */
import { z } from 'zod'

/** Octopus sends null, omits, or sends [] for "none"; all three mean an empty list. */
const ids = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? [])
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined)

export const space = z.object({
  Id: z.string().min(1),
  Name: z.string(),
  IsDefault: z.boolean().nullish(),
  SpaceManagersTeams: ids
})

export const user = z.object({
  Id: z.string().min(1),
  Username: z.string(),
  DisplayName: text,
  EmailAddress: text,
  IsActive: z.boolean().nullish(),
  IsService: z.boolean().nullish(),
  ServiceAccountType: text
})

export const team = z.object({
  Id: z.string().min(1),
  Name: z.string(),
  Description: text,
  /** Null or empty for a system team. */
  SpaceId: text,
  MemberUserIds: ids,
  ExternalSecurityGroups: z
    .array(z.object({ Id: z.string(), DisplayName: text }))
    .nullish()
    .transform((v) => v ?? [])
})

export const userRole = z.object({
  Id: z.string().min(1),
  Name: z.string(),
  Description: text,
  CanBeDeleted: z.boolean().nullish(),
  GrantedSpacePermissions: ids,
  GrantedSystemPermissions: ids
})

export const scopedUserRole = z.object({
  Id: z.string().min(1),
  UserRoleId: z.string().min(1),
  TeamId: z.string().min(1),
  /** Empty for a grant of system permissions. */
  SpaceId: text,
  ProjectIds: ids,
  ProjectGroupIds: ids,
  EnvironmentIds: ids,
  TenantIds: ids
})

/** Projects, project groups, environments, tenants: only their names are needed. */
export const named = z.object({ Id: z.string().min(1), Name: z.string() })

export const event = z.object({
  Id: z.string().min(1),
  Category: z.string(),
  Message: text,
  MessageReferences: z
    .array(z.object({ ReferencedDocumentId: z.string(), StartIndex: z.number().int(), Length: z.number().int() }))
    .nullish()
    .transform((v) => v ?? []),
  Username: text,
  UserId: text,
  Occurred: z.string(),
  RelatedDocumentIds: ids,
  SpaceId: text,
  ChangeDetails: z.object({ DocumentContext: z.object({ Id: text, Name: text }).nullish() }).nullish()
})

/** The paged envelope (message-contracts `ResourceCollection`). */
export const envelope = z.object({
  Items: z.array(z.unknown()),
  TotalResults: z.number().int().nonnegative(),
  Links: z.record(z.string(), z.string()).nullish()
})

export type Space = z.infer<typeof space>
export type User = z.infer<typeof user>
export type Team = z.infer<typeof team>
export type UserRole = z.infer<typeof userRole>
export type ScopedUserRole = z.infer<typeof scopedUserRole>
export type Named = z.infer<typeof named>
export type OctopusEvent = z.infer<typeof event>
