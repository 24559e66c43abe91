/** The report's entry points: one input (`Report`), three renderings and a counts summary. */
export { renderMarkdown, PR_BODY_LIMIT, type MarkdownOptions } from './markdown.js'
export { renderText, type TextOptions } from './text.js'
export { renderJson, type JsonReport } from './json.js'
export { summarize, type Summary } from './summary.js'
