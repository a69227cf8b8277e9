import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, isStoreBusy, type Store } from './client';

/** One write of a TransactWriteItems (Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A TransactWriteItems, retried a few times when DynamoDB cancels it only because another
 * transaction touched the same items at the same moment (TransactionConflict) or an item was
 * throttled: racing writes then end in a clean condition failure that the caller maps to 409/412.
 * Still cancelled after the last retry, the error goes up as it came (the wrapper answers 503 busy).
 */
export async function transact(store: Store, items: TransactItem[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await store.db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const busyOnly = cancellationReasons(error) !== null && isStoreBusy(error);
      if (!busyOnly || attempt >= 4) throw error;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.floor(Math.random() * 20)));
    }
  }
}
