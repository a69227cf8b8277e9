/**
 * The single table, as data: CDK builds it from this, and so do the local server and the tests.
 * Keys and indexes are generic (pk/sk, gsiN) and overloaded per entity; keys.ts says what each holds.
 */
export const TABLE_DEFINITION = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** every GSI has string keys `<name>pk` and `<name>sk` and projects all attributes */
  indexes: ['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5'] as const,
  /** epoch seconds; DynamoDB deletes expired items (idempotency records) */
  timeToLiveAttribute: 'expiresAt',
} as const;

export type IndexName = (typeof TABLE_DEFINITION.indexes)[number];

export const indexKeys = (index: IndexName) => ({ pk: `${index}pk`, sk: `${index}sk` });

/** The attribute definitions and indexes in the shape of CreateTable (used locally and in tests). */
export function createTableInput(tableName: string) {
  const attributes: string[] = [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey];
  for (const index of TABLE_DEFINITION.indexes) attributes.push(indexKeys(index).pk, indexKeys(index).sk);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE_DEFINITION.indexes.map((index) => ({
      IndexName: index,
      KeySchema: [
        { AttributeName: indexKeys(index).pk, KeyType: 'HASH' as const },
        { AttributeName: indexKeys(index).sk, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
