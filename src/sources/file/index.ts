import { readFile } from 'node:fs/promises'
import yaml from 'js-yaml'
import { z } from 'zod'
import type { Grant, Scope, Snapshot } from '../../model/types.js'
import { SourceError, type SourceDefinition } from '../types.js'

const settings = z.strictObject({
  /** A YAML or JSON export in the documented input form, relative to the working directory. */
  path: z.string().min(1)
})

const id = z.union([z.string().min(1), z.number().transform(String)])
const attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional()

/** The input form other tools export into; documented in the README. */
const exportSchema = z.strictObject({
  principals: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1),
        'display-name': z.string().optional(),
        kind: z.enum(['user', 'service-account', 'bot', 'app']).default('user'),
        email: z.string().optional(),
        active: z.boolean().optional(),
        external: z.boolean().optional(),
        attributes
      })
    )
    .default([]),
  groups: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1),
        description: z.string().optional(),
        parent: id.optional(),
        members: z.array(z.strictObject({ id, role: z.string().default('member') })).default([]),
        attributes
      })
    )
    .default([]),
  roles: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1),
        description: z.string().optional(),
        permissions: z.array(z.string()).default([]),
        privilege: z.enum(['read', 'write', 'admin', 'owner']).optional()
      })
    )
    .default([]),
  scopes: z
    .array(
      z.strictObject({
        id,
        name: z.string().optional(),
        type: z.string().default('scope'),
        parent: id.optional(),
        attributes
      })
    )
    .default([]),
  grants: z
    .array(
      z.strictObject({
        principal: id,
        role: id,
        scope: id,
        via: z.string().optional(),
        restrictions: z.record(z.string(), z.array(z.string())).optional()
      })
    )
    .default([])
})

export type FileExport = z.input<typeof exportSchema>

/** Reads permission data another tool exported, so systems without a source can still be snapshotted. */
export const fileSource: SourceDefinition<z.infer<typeof settings>> = {
  type: 'file',
  description: 'permission data exported by another tool, as YAML or JSON in the documented input form',
  settings,
  create: ({ path }, instance) => ({
    async fetch() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (error) {
        throw new SourceError(
          `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          `Check the 'path' of file source '${instance}'.`
        )
      }
      let raw: unknown
      try {
        // JSON is YAML; the JSON schema keeps '2024-01-01' or 'yes' as the strings they are.
        raw = yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: path })
      } catch (error) {
        throw new SourceError(`${path} is neither valid YAML nor JSON: ${(error as Error).message}`)
      }
      const parsed = exportSchema.safeParse(raw ?? {})
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        throw new SourceError(
          `${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
          'See the file source input form in the README.'
        )
      }
      return { snapshot: toSnapshot(parsed.data, instance), events: [], notes: [] }
    }
  })
}

function toSnapshot(data: z.infer<typeof exportSchema>, instance: string): Snapshot {
  const groupIds = new Set(data.groups.map((g) => g.id))
  const scopes = new Map<string, Scope>(
    data.scopes.map((s) => [
      s.id,
      { id: s.id, type: s.type, name: s.name ?? s.id, parent: s.parent, attributes: s.attributes }
    ])
  )
  const grants: Grant[] = data.grants.map((g) => {
    // A scope named only in a grant is still a scope: its id is its name.
    if (!scopes.has(g.scope)) scopes.set(g.scope, { id: g.scope, type: 'scope', name: g.scope })
    return {
      subject: { type: groupIds.has(g.principal) ? 'group' : 'principal', id: g.principal },
      role: g.role,
      scope: g.scope,
      via: g.via,
      restrictions: g.restrictions
    }
  })
  return {
    source: { type: 'file', name: instance },
    principals: data.principals.map(({ 'display-name': displayName, ...p }) => ({ ...p, displayName })),
    groups: data.groups,
    roles: data.roles,
    scopes: [...scopes.values()],
    grants
  }
}
