/** The error `work` rejects with; the test fails if it resolves instead. */
export function rejection<E = Error>(work: Promise<unknown>): Promise<E> {
  return work.then(
    () => {
      throw new Error('expected a failure, but it succeeded')
    },
    (error: unknown) => error as E
  )
}
