/** Run tasks with bounded concurrency; after the first failure no new task starts, and that failure is thrown. */
import pLimit from 'p-limit';

/** `fn` over `items`, at most `jobs` at once; results in input order. */
export async function mapParallel<T, R>(
  items: readonly T[],
  jobs: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(Math.max(1, Math.floor(jobs)));
  let failed = false;
  const settled = await Promise.allSettled(
    items.map((item, index) =>
      limit(async () => {
        if (failed) throw new SkippedAfterFailure();
        try {
          return await fn(item, index);
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
    ),
  );
  const first = settled.find(
    (s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof SkippedAfterFailure),
  );
  if (first) throw first.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

class SkippedAfterFailure extends Error {}
