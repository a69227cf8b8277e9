import type { Store } from '../../../functions/store/client';

/**
 * Make the store's next TransactWriteItems fail as DynamoDB fails a transaction that met another
 * one on its items at the same moment (TransactionCanceledException with a TransactionConflict
 * among the reasons; nothing written). DynamoDB Local serialises transactions and never answers
 * this, so tests of the retry need it made. Returns how many were cancelled so far.
 */
export function conflictOnce(store: Store, reasons: readonly string[]): () => number {
  return conflictTimes(store, reasons, 1);
}

let added = 0;

/** As conflictOnce, for the next `times` TransactWriteItems. */
export function conflictTimes(store: Store, reasons: readonly string[], times: number): () => number {
  return failNext(store, 'TransactWriteItemsCommand', times, () =>
    Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: reasons.map((Code) => ({ Code })),
    }),
  );
}

/**
 * Make the store's next `times` calls of `commandName` fail with `error()` before they are sent.
 * The fault is raised ahead of the SDK's own retries (the `initialize` step), as if DynamoDB had
 * answered it to every one of them: a throttle the SDK gave up on, for example.
 */
export function failNext(store: Store, commandName: string, times: number, error: () => Error): () => number {
  let failed = 0;
  store.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== commandName || failed >= times) return next(args);
      failed++;
      throw error();
    },
    { step: 'initialize', name: `failNext-${++added}` },
  );
  return () => failed;
}
