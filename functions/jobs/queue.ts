/**
 * The nightly run's work queue in AWS (SQS, with a dead-letter queue; see infra/jobs-stack.ts).
 * Messages name work, they carry no data: the job and its units are items in the table.
 *
 *   { type: 'start', tenantId, asOf, jobId, requestedBy }   from the schedule: create the job, plan it
 *   { type: 'plan', tenantId, jobId }                        from POST jobs/nightly: plan it
 *   { type: 'unit', tenantId, jobId, phase, n }              one unit of work
 *
 * The SQS client is the one the Lambda runtime ships (AWS SDK v3; the functions are bundled with
 * `@aws-sdk/*` external), loaded on first use, so the local server and the tests never need it.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type JobMessage =
  | { type: 'start'; tenantId: string; asOf: string; jobId: string; requestedBy: string }
  | { type: 'plan'; tenantId: string; jobId: string }
  | { type: 'unit'; tenantId: string; jobId: string; phase: number; n: number };

export interface JobQueue {
  send(messages: readonly JobMessage[], options?: { delaySeconds?: number }): Promise<void>;
}

export function isJobMessage(value: unknown): value is JobMessage {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  if (typeof m.tenantId !== 'string' || typeof m.jobId !== 'string') return false;
  if (m.type === 'plan') return true;
  if (m.type === 'start') return typeof m.asOf === 'string' && typeof m.requestedBy === 'string';
  if (m.type === 'unit') return Number.isSafeInteger(m.phase) && Number.isSafeInteger(m.n);
  return false;
}

/** Kept in a variable so that TypeScript and the bundler leave the runtime's module alone. */
const SQS_MODULE = '@aws-sdk/client-sqs';

/** A queue that sends JSON messages to SQS (the nightly queue, the delivery retry queue). */
export class SqsQueue<M> {
  private client: Promise<{ send(command: unknown): Promise<any>; Batch: new (input: unknown) => unknown }> | undefined;

  constructor(
    private readonly queueUrl: string,
    private readonly region?: string,
  ) {}

  private async sqs() {
    this.client ??= (async () => {
      const mod: any = await import(SQS_MODULE);
      const client = new mod.SQSClient(this.region ? { region: this.region } : {});
      return { send: (c: unknown) => client.send(c), Batch: mod.SendMessageBatchCommand };
    })();
    return this.client;
  }

  async send(messages: readonly M[], options: { delaySeconds?: number } = {}): Promise<void> {
    if (messages.length === 0) return;
    const sqs = await this.sqs();
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((m, j) => ({
        Id: String(j),
        MessageBody: JSON.stringify(m),
        ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
      }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        const out = await sqs.send(new sqs.Batch({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set<string>((out.Failed ?? []).map((f: { Id: string }) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0) {
          if (attempt >= 4) throw new Error(`SQS refused ${entries.length} messages`);
          await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
    }
  }
}

/** The queue named by NIGHTLY_QUEUE_URL (set by CDK in AWS), or null: run in-process. */
export function queueFromEnv(env: NodeJS.ProcessEnv = process.env): JobQueue | null {
  const url = env.NIGHTLY_QUEUE_URL;
  return url ? new SqsQueue<JobMessage>(url, env.AWS_REGION) : null;
}

/**
 * One SQS batch for a worker, message after message, answered as SQS's partial batch response: a
 * message that is not one of ours is dropped (logged; retrying cannot help), one whose handling
 * throws goes back to SQS alone (after `onError`, which logs it and may record the failure).
 */
export async function eachMessage<M>(
  event: SQSEvent,
  worker: {
    isMessage: (value: unknown) => value is M;
    handle: (m: M) => Promise<unknown>;
    onError: (m: M, error: unknown, record: SQSRecord) => Promise<void>;
    log: (entry: Record<string, unknown>) => void;
    name: string;
  },
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let message: unknown;
    try {
      message = JSON.parse(record.body);
    } catch {
      message = null;
    }
    if (!worker.isMessage(message)) {
      worker.log({ level: 'error', msg: `${worker.name}: unreadable message dropped`, messageId: record.messageId });
      continue;
    }
    try {
      await worker.handle(message);
    } catch (error) {
      await worker.onError(message, error, record).catch(() => undefined);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
