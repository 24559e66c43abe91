/**
 * GitHub's GraphQL query limits and point cost, computed from the query the
 * way GitHub documents it (github/docs content/graphql/overview/
 * rate-limits-and-query-limits-for-the-graphql-api.md):
 *
 * - every connection needs `first` or `last`, between 1 and 100;
 * - a query may ask for at most 500,000 nodes, assuming every page is full;
 * - cost = the number of connection requests needed (every `first`/`last`
 *   assumed filled) ÷ 100, rounded to the nearest whole number, minimum 1.
 *   `repositories(first:100){issues(first:50){labels(first:60)}}` needs
 *   1 + 100 + 100 × 50 = 5,101 requests: 51 points.
 */
import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql'

export const MAX_NODES = 500_000
const MAX_PAGE = 100

export interface QueryCost {
  /** Connection requests needed, every page assumed full. */
  requests: number
  /** Nodes the query could return, every page assumed full. */
  nodes: number
  points: number
  /** Limit violations, in GitHub's wording; the query is refused when there are any. */
  errors: Array<{ type: string; message: string }>
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type)
  return type.name.endsWith('Connection') && field.args.some((a) => a.name === 'first')
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def)
  const cost: QueryCost = { requests: 0, nodes: 0, points: 0, errors: [] }

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent
        walk(selection.selectionSet, type as GraphQLCompositeType, multiplier)
        continue
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value)
        if (fragment) {
          walk(
            fragment.selectionSet,
            schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType,
            multiplier
          )
        }
        continue
      }
      if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue
      const field = parent.getFields()[selection.name.value]
      if (!field) continue
      const args = getArgumentValues(field, selection, variables)
      const child = getNamedType(field.type) as GraphQLCompositeType
      let next = multiplier
      if (isConnection(field)) {
        const size = (args.first ?? args.last) as number | undefined
        if (size === undefined || size === null) {
          cost.errors.push({
            type: 'MISSING_PAGINATION_BOUNDARIES',
            message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${selection.name.value}\` connection.`
          })
          continue
        }
        if (size < 0 || size > MAX_PAGE) {
          cost.errors.push({
            type: 'EXCESSIVE_PAGINATION',
            message: `Requesting ${size} records on the \`${selection.name.value}\` connection exceeds the \`${args.first !== undefined ? 'first' : 'last'}\` limit of ${MAX_PAGE} records.`
          })
          continue
        }
        cost.requests += multiplier
        next = multiplier * size
        cost.nodes += next
      } else if (selection.name.value === 'nodes' && Array.isArray(args.ids)) {
        // `nodes(ids:)` fans out like a page of that many nodes.
        next = multiplier * args.ids.length
      }
      walk(selection.selectionSet, child, next)
    }
  }

  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType()
  if (root) walk(operation.selectionSet, root, 1)
  if (cost.nodes > MAX_NODES) {
    cost.errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      message: `This query requests up to ${cost.nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`
    })
  }
  cost.points = Math.max(1, Math.round(cost.requests / 100))
  return cost
}
