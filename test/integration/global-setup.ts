import type { TestProject } from 'vitest/node';
import { makeDeps } from '../../functions/deps';
import { createStore } from '../../functions/store/client';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb';
import { startLocalServer } from '../../infra/local/server';
import { SUITE_START, suiteClock } from './support/clock';
import { ContractWatch } from './support/contract';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    jwtSecret: string;
    ddbEndpoint: string;
    tableName: string;
    /** the suite clock's lead over the machine clock (see support/clock.ts) */
    clockOffsetMs: number;
  }
}

/**
 * One DynamoDB Local and one local API for the whole run: the real handlers over real HTTP on a
 * real table, on the suite clock (support/clock.ts). Tests isolate by creating their own businesses
 * with unique ids.
 */
export default async function setup(project: TestProject) {
  const tableName = 'ctv-cloud-test';
  // the suite clock: every server and test reads SUITE_START + elapsed, whatever the date
  const clockOffsetMs = Date.parse(SUITE_START) - Date.now();
  const jwtSecret = `test-secret-${process.pid}-${Date.now()}`;
  const ddb = await startDynamoDbLocal();
  try {
    await ensureTable(ddb.endpoint, tableName);
    const deps = makeDeps({
      store: createStore({ tableName, endpoint: ddb.endpoint }),
      now: suiteClock(clockOffsetMs),
      // unexpected errors are worth seeing in the test output; request lines are not
      log: (entry) => {
        if (entry.level === 'error') console.error(JSON.stringify(entry));
      },
    });
    const contract = new ContractWatch();
    const server = await startLocalServer({ deps, jwtSecret, observe: contract.observe });
    project.provide('baseUrl', server.url);
    project.provide('jwtSecret', jwtSecret);
    project.provide('ddbEndpoint', ddb.endpoint);
    project.provide('tableName', tableName);
    project.provide('clockOffsetMs', clockOffsetMs);
    return async () => {
      await server.close();
      await ddb.stop();
      // every answer the suite saw is declared in the OpenAPI document (support/contract.ts)
      const undeclared = contract.undeclared();
      if (undeclared.length > 0) {
        // vitest reports an error thrown here but still exits 0: set the exit code as well
        process.exitCode = 1;
        throw new Error(
          `The OpenAPI document does not declare ${undeclared.length} answer(s) the API gave:\n${undeclared.join('\n')}\nDeclare them (route \`errors\`, functions/openapi/document.ts).`,
        );
      }
    };
  } catch (error) {
    await ddb.stop();
    throw error;
  }
}
