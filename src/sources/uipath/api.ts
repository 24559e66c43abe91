/**
 * The Orchestrator DTOs this source reads (UiPath.WebApi 16.0 Swagger), as zod
 * schemas: every field is checked before use because API text is untrusted, and
 * fields the snapshot must not carry (CreationTime, LastLoginTime...) are
 * stripped here, so they cannot leak into the YAML by accident.
 */
import { z } from 'zod'

const text = z.string().nullish()

export const userDto = z.object({
  Id: z.number(),
  UserName: z.string(),
  Name: text,
  Surname: text,
  FullName: text,
  EmailAddress: text,
  Domain: text,
  /** User | Robot | DirectoryUser | DirectoryGroup | DirectoryRobot | DirectoryExternalApplication */
  Type: z.string(),
  IsActive: z.boolean().nullish(),
  /** Tenant-level role assignments; present only with `$expand=UserRoles`. */
  UserRoles: z.array(z.object({ RoleId: z.number(), RoleName: text })).nullish()
})
export type UserDto = z.infer<typeof userDto>

export const roleDto = z.object({
  Id: z.number(),
  Name: z.string(),
  DisplayName: text,
  /** Tenant | Folder | Mixed */
  Type: text,
  IsStatic: z.boolean().nullish(),
  IsEditable: z.boolean().nullish(),
  Permissions: z.array(z.object({ Name: z.string(), IsGranted: z.boolean(), Scope: text })).nullish()
})
export type RoleDto = z.infer<typeof roleDto>

export const folderDto = z.object({
  Id: z.number(),
  DisplayName: z.string(),
  FullyQualifiedName: text,
  IsPersonal: z.boolean().nullish(),
  /** InheritFromTenant | FineGrained */
  PermissionModel: text,
  ParentId: z.number().nullish()
})
export type FolderDto = z.infer<typeof folderDto>

const folderRef = z.object({ Id: z.number(), DisplayName: text, FullyQualifiedName: text })

/** One account's roles in one folder, from `GetUsersForFolder(...)?$expand=UserEntity,Roles`. */
export const userRolesDto = z.object({
  Id: z.number(),
  UserEntity: z.object({ Id: z.number(), UserName: text, Type: text }),
  Roles: z.array(
    z.object({
      Id: z.number(),
      Name: text,
      /** Assigned | Inherited */
      Origin: text,
      InheritedFromFolder: folderRef.nullish()
    })
  )
})
export type UserRolesDto = z.infer<typeof userRolesDto>

/** Who a role reaches the user through: the user itself or one of its directory groups. */
const roleHolders = z.array(z.object({ Id: z.number().nullish(), UserName: text, Type: text })).nullish()

/** A page of `GetAllRolesForUser(username=,skip=,take=)`: folders count towards `Count`, tenant roles do not. */
export const userRoleAssignmentsDto = z.object({
  TenantRoles: z.array(z.object({ Id: z.number(), Name: text, Users: roleHolders })).nullish(),
  PageItems: z
    .array(
      z.object({
        Folder: folderRef,
        Roles: z.array(z.object({ Id: z.number(), Name: text, Users: roleHolders }))
      })
    )
    .nullish(),
  Count: z.number()
})
export type UserRoleAssignmentsDto = z.infer<typeof userRoleAssignmentsDto>

export const auditLogDto = z.object({
  Id: z.number(),
  ServiceName: text,
  MethodName: text,
  ExecutionTime: z.string(),
  Action: text,
  Component: text,
  DisplayName: text,
  EntityId: z.number().nullish(),
  OperationText: text,
  UserName: text,
  UserType: text,
  UserId: z.number().nullish(),
  ExternalClientId: text,
  Entities: z.array(z.object({ EntityId: z.number().nullish(), EntityName: text })).nullish()
})
export type AuditLogDto = z.infer<typeof auditLogDto>

/** The OData collection envelope; `@odata.count` only with `$count=true`. */
export const odataCollection = z.object({
  '@odata.count': z.number().optional(),
  value: z.array(z.unknown())
})

export const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional()
})
