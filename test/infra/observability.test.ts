import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '../../infra/metrics';

/**
 * What a function prints in Lambda (functions/observability.ts): a Powertools JSON log line with
 * the invocation's keys, and the business metrics in CloudWatch's embedded metric format, in the
 * namespace the alarms read (infra/metrics.ts).
 */
let lines: string[] = [];
let obs: typeof import('../../functions/observability');

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'ctv-cloud-test');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
  obs = await import('../../functions/observability');
});

afterEach(() => {
  vi.restoreAllMocks();
  lines = [];
});

function capture() {
  const collect = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(collect as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(collect as typeof process.stderr.write);
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void collect(line));
  vi.spyOn(console, 'info').mockImplementation((line: unknown) => void collect(line));
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void collect(line));
}

const context = {
  awsRequestId: 'lambda-req-1',
  functionName: 'ctv-cloud-test-getOrder',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:1:function:x',
  memoryLimitInMB: '256',
};

describe('observability in Lambda', () => {
  it('logs one JSON line with the level, the message, the request keys and the Lambda context', () => {
    capture();
    obs.beginInvocation(context as never, { operation: 'getOrder', tenantId: 'T1', apiRequestId: 'api-req-9', absent: undefined });
    obs.lambdaLog({ level: 'error', msg: 'unhandled error', error: 'TypeError' });
    const line = JSON.parse(lines.find((l) => l.includes('unhandled error'))!);
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'unhandled error',
      service: 'ctv-cloud-test',
      function_request_id: 'lambda-req-1',
      operation: 'getOrder',
      tenantId: 'T1',
      apiRequestId: 'api-req-9',
      error: 'TypeError',
    });
    expect(line).not.toHaveProperty('absent');
    expect(typeof line.cold_start).toBe('boolean');
  });

  it('forgets the previous request’s keys at the next invocation', () => {
    capture();
    obs.beginInvocation(context as never, { operation: 'getOrder', tenantId: 'T1' });
    obs.beginInvocation(context as never, { operation: 'listOrders' });
    obs.lambdaLog({ msg: 'request' });
    const line = JSON.parse(lines.find((l) => l.includes('"request"'))!);
    expect(line.operation).toBe('listOrders');
    expect(line).not.toHaveProperty('tenantId');
    expect(line.level).toBe('INFO');
  });

  it('publishes the metrics an invocation stored, once, in the namespace the alarms read', () => {
    capture();
    obs.lambdaMetric(METRIC.deliveriesParked);
    obs.lambdaMetric(METRIC.nightlyRunDuration, 1234);
    obs.endInvocation();
    const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(emf[0]._aws.CloudWatchMetrics[0].Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'DeliveriesParked', Unit: 'Count' },
        { Name: 'NightlyRunDuration', Unit: 'Milliseconds' },
      ]),
    );
    expect(emf[0]).toMatchObject({ DeliveriesParked: 1, NightlyRunDuration: 1234, service: 'ctv-cloud-test' });
    // nothing stored: nothing printed
    lines = [];
    obs.endInvocation();
    expect(lines.filter((l) => l.includes('_aws'))).toEqual([]);
  });
});
