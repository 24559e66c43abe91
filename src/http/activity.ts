/**
 * Where the shared HTTP clients and the pager report what a fetch is doing,
 * without every source passing a callback down: the pipeline runs each
 * source's fetch inside its own activity, and every request made and page
 * read on that fetch's behalf reaches it through async context.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export interface Activity {
  /** One HTTP attempt was sent. */
  request(): void
  /**
   * A page of the collection `what` was read. `pagesLeft` is known when the
   * system announced the collection's size; 0 once the collection is complete.
   */
  paged(what: string, pagesLeft: number | undefined): void
}

const context = new AsyncLocalStorage<Activity>()

/** Runs `work` with `activity` receiving its requests and pages. */
export function withActivity<T>(activity: Activity, work: () => Promise<T>): Promise<T> {
  return context.run(activity, work)
}

/** The activity of the fetch this code runs for, if any. */
export function currentActivity(): Activity | undefined {
  return context.getStore()
}
