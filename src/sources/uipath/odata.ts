/**
 * Orchestrator's two paging styles. OData lists: `$top`/`$skip` with
 * `$count=true` until `@odata.count` items have arrived, whatever page size the
 * server really applies (1000 documented, 100 with `Pagination.Limits`, unknown
 * per endpoint). `GetAllRolesForUser`: `skip`/`take` as path arguments and a
 * `Count` of folders.
 */
import type { ZodType } from 'zod'
import type { HttpClient, Query } from '../../http/client.js'
import { collectPages } from '../../http/paging.js'
import { SourceError } from '../types.js'
import { odataCollection, userRoleAssignmentsDto, type UserRoleAssignmentsDto } from './api.js'
import { SYSTEM } from './client.js'

/** The largest `$top` Orchestrator accepts; servers may still answer with fewer. */
export const MAX_TOP = 1000

/** Validates an answer against its schema, naming the endpoint and field when it does not fit. */
export function parseAnswer<T>(
  schema: ZodType<T>,
  value: unknown,
  where: string,
  hint = 'The Orchestrator version may shape this endpoint differently; please report it with the version number.'
): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  throw new SourceError(
    `${SYSTEM}: unexpected answer from ${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    hint
  )
}

/** Every item of an OData collection, in `Id` order; fails rather than return a list that changed under it. */
export async function odataList<T extends { Id: number }>(
  client: HttpClient,
  path: string,
  schema: ZodType<T>,
  query: Query = {}
): Promise<T[]> {
  let count: number | undefined
  const items = await collectPages<T>(`${SYSTEM} ${path}`, '0', async (cursor) => {
    const skip = Number(cursor)
    const raw = await client.get<unknown>(path, {
      ...query,
      $orderby: 'Id',
      $top: MAX_TOP,
      $skip: skip,
      $count: true
    })
    const page = parseAnswer(odataCollection, raw, `GET /${path}`)
    count = page['@odata.count'] ?? count
    const items = page.value.map((item, i) => parseAnswer(schema, item, `GET /${path} value[${i}]`))
    const next = skip + items.length
    if (items.length === 0 && count !== undefined && skip < count) {
      throw new SourceError(
        `${SYSTEM}: GET /${path} returned no items at $skip=${skip} although @odata.count is ${count}; the list would be incomplete`
      )
    }
    // Without a count, only an empty page proves the end: a short page may just be the server's cap.
    const done = items.length === 0 || (count !== undefined && next >= count)
    return { items, next: done ? undefined : String(next), total: count }
  })
  const ids = new Set(items.map((item) => item.Id))
  if (ids.size !== items.length || (count !== undefined && items.length !== count)) {
    throw new SourceError(
      `${SYSTEM}: GET /${path} changed while it was being read (${items.length} items, ${ids.size} distinct, @odata.count ${count ?? 'absent'})`,
      'Run again; if it keeps happening, schedule the snapshot outside busy hours.'
    )
  }
  return items
}

/** An OData string literal for a function argument in the URL path. */
export function odataString(value: string): string {
  return `'${encodeURIComponent(value.replace(/'/g, "''"))}'`
}

/**
 * All pages of `GetAllRolesForUser` for one user: tenant roles (repeated on
 * every page, so merged by id) and one item per folder where the user or one
 * of its directory groups holds roles.
 */
export async function allRolesForUser(client: HttpClient, userName: string): Promise<UserRoleAssignmentsDto> {
  const tenantRoles = new Map<number, NonNullable<UserRoleAssignmentsDto['TenantRoles']>[number]>()
  let count = 0
  const pageItems = await collectPages(`${SYSTEM} roles of ${userName}`, '0', async (cursor) => {
    const skip = Number(cursor)
    const path = `odata/Folders/UiPath.Server.Configuration.OData.GetAllRolesForUser(username=${odataString(userName)},skip=${skip},take=${MAX_TOP})`
    const page = parseAnswer(userRoleAssignmentsDto, await client.get<unknown>(path, { type: 'User' }), `GET /${path}`)
    for (const role of page.TenantRoles ?? []) tenantRoles.set(role.Id, role)
    count = page.Count
    const items = page.PageItems ?? []
    const next = skip + items.length
    if (items.length === 0 && skip < count) {
      throw new SourceError(
        `${SYSTEM}: GetAllRolesForUser returned no folders at skip=${skip} although Count is ${count}; the roles would be incomplete`
      )
    }
    return { items, next: items.length === 0 || next >= count ? undefined : String(next), total: count }
  })
  return { TenantRoles: [...tenantRoles.values()], PageItems: pageItems, Count: count }
}
