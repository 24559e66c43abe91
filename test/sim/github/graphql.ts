/**
 * The simulated GraphQL endpoint: every query is parsed and validated with
 * graphql-js against GitHub's published schema (`@octokit/graphql-schema`),
 * so a query GitHub would reject fails here too; its point cost is computed
 * with GitHub's formula and charged to the token's GraphQL budget (separate
 * from REST), `rateLimit { cost remaining resetAt }` answers truthfully, a
 * spent budget answers `RATE_LIMITED`, and a query heavier than the
 * configured threshold times out with a 502, as GitHub's do after 10 s.
 */
import { schema as publishedSchema } from '@octokit/graphql-schema'
import {
  buildSchema,
  execute,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema
} from 'graphql'
import type { SimRequest, SimResponse } from '../server.js'
import { queryCost } from './cost.js'
import { graphError, OrgGraph, type GraphControls, type Viewer } from './org-graph.js'
import type { GeneratedOrg } from './data.js'
import { RateLimit } from './rest.js'

let cached: GraphQLSchema | undefined

/** GitHub's schema; its SDL defines a few fields twice, so it is built without SDL validation. */
export function githubSchema(): GraphQLSchema {
  cached ??= buildSchema(publishedSchema.idl, { assumeValidSDL: true })
  return cached
}

export interface GraphQLControls extends GraphControls {
  /** Queries that could return more nodes than this time out (502); undefined: never. */
  timeoutAboveNodes?: number
}

export interface GraphQLAccount {
  viewer: Viewer
  rate: RateLimit
  /** Why the organization is hidden from this token (SAML enforcement), or undefined. */
  samlBlocked?: boolean
}

export interface GraphQLTotals {
  queries: number
  points: number
}

const DOCS = 'https://docs.github.com/graphql'

function format(error: GraphQLError): Record<string, unknown> {
  const { message, locations, path, extensions } = error
  return { ...(extensions?.type ? { type: extensions.type } : {}), path, locations, message }
}

export function graphqlRateLimit(): RateLimit {
  return new RateLimit(5_000, Math.floor(Date.now() / 1000) + 3_600, 'graphql')
}

export class GraphQLEndpoint {
  readonly totals: GraphQLTotals = { queries: 0, points: 0 }
  private readonly documents = new Map<string, DocumentNode>()

  constructor(
    private readonly org: GeneratedOrg,
    readonly controls: GraphQLControls,
    private readonly mutations: Record<string, GraphQLFieldResolver<unknown, unknown>> = {}
  ) {}

  async handle(req: SimRequest, account: GraphQLAccount): Promise<SimResponse> {
    const schema = githubSchema()
    const { rate } = account
    const answer = (json: unknown, status = 200): SimResponse => ({ status, json, headers: rate.headers() })
    let body: { query?: string; variables?: Record<string, unknown>; operationName?: string }
    try {
      body = JSON.parse(req.body)
    } catch {
      return answer({ message: 'Problems parsing JSON', documentation_url: DOCS }, 400)
    }
    if (typeof body.query !== 'string') {
      return answer(
        { message: 'A query attribute must be specified and must be a string.', documentation_url: DOCS },
        400
      )
    }
    let document = this.documents.get(body.query)
    if (!document) {
      try {
        document = parse(body.query)
      } catch (error) {
        return answer({ errors: [format(error as GraphQLError)] })
      }
      const invalid = validate(schema, document)
      if (invalid.length > 0) return answer({ errors: invalid.map(format) })
      this.documents.set(body.query, document)
    }
    const operation = getOperationAST(document, body.operationName)
    if (!operation) return answer({ errors: [{ message: 'No operation named in the document' }] })
    const variables = body.variables ?? {}
    let cost
    try {
      cost = queryCost(schema, document, operation, variables)
    } catch (error) {
      return answer({ errors: [{ message: (error as Error).message }] })
    }
    if (cost.errors.length > 0) return answer({ errors: cost.errors })
    if (rate.remaining < cost.points) {
      return answer({
        errors: [{ type: 'RATE_LIMITED', message: `API rate limit already exceeded for user ID ${this.org.id}.` }]
      })
    }
    rate.used += cost.points
    this.totals.queries++
    this.totals.points += cost.points
    if (this.controls.timeoutAboveNodes !== undefined && cost.nodes > this.controls.timeoutAboveNodes) {
      return answer(
        {
          data: null,
          errors: [
            {
              message:
                'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `SIM:502` when reporting this issue.'
            }
          ]
        },
        502
      )
    }
    const graph = new OrgGraph(this.org, account.viewer, this.controls)
    const root =
      operation.operation === 'mutation'
        ? this.mutations
        : {
            ...graph.root(),
            ...(account.samlBlocked ? { organization: samlRefusal } : {}),
            rateLimit: () => ({
              cost: cost.points,
              limit: rate.limit,
              remaining: rate.remaining,
              used: rate.used,
              nodeCount: cost.nodes,
              resetAt: new Date(rate.resetEpochSeconds * 1000).toISOString()
            })
          }
    const result = await execute({
      schema,
      document,
      rootValue: root,
      contextValue: { org: this.org, viewer: account.viewer },
      variableValues: variables,
      operationName: body.operationName
    })
    return answer({ data: result.data ?? null, ...(result.errors ? { errors: result.errors.map(format) } : {}) })
  }
}

function samlRefusal(): never {
  throw graphError(
    'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
    'FORBIDDEN'
  )
}
