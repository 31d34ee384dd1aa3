/** A failure of Redis (down, read-only, loading) during a request: answered 503, nothing acknowledged. */
export class StoreUnavailable extends Error {
  override readonly cause: Error;
  constructor(cause: Error) {
    super('the submission store is unavailable');
    this.name = 'StoreUnavailable';
    this.cause = cause;
  }
}

/** Runs a store/queue operation; any failure becomes {@link StoreUnavailable}. */
export async function storeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StoreUnavailable(err as Error);
  }
}
