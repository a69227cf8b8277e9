import type { Store } from '../../../functions/store/client';

/**
 * Make the store's next TransactWriteItems fail as DynamoDB fails a transaction that met another
 * one on its items at the same moment (TransactionCanceledException with a TransactionConflict
 * among the reasons; nothing written). DynamoDB Local serialises transactions and never answers
 * this, so tests of the retry need it made. Returns how many were cancelled so far.
 */
let added = 0;

export function conflictOnce(store: Store, reasons: readonly string[]): () => number {
  let cancelled = 0;
  store.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand' || cancelled > 0) return next(args);
      cancelled++;
      throw Object.assign(new Error('Transaction cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: reasons.map((Code) => ({ Code })),
      });
    },
    { step: 'initialize', name: `conflictOnce-${++added}` },
  );
  return () => cancelled;
}
