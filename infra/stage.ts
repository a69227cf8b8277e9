import type { Node } from 'constructs';

/**
 * What a deploy must say, as CDK context (`-c key=value`). None has a default: a guessed stage
 * name deploys over another stage, a placeholder origin ships a front end that CORS refuses.
 */
export interface StageContext {
  /** `-c stage=<name>`: names every stack, and through them the resources, so stages live side by side */
  stage: string;
  /** `-c corsOrigins=https://app.example.vn,https://admin.example.vn`: the front ends allowed by CORS */
  corsOrigins: string[];
  /** `-c alarmEmail=ops@example.vn[,…]` (optional): subscribed to the alarm topic */
  alarmEmails: string[];
}

/** A stage name: a lower-case letter, then up to 11 lower-case letters or digits (it goes into every function name). */
export const STAGE_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

/** Required context keys, with what each is and an example: the message a synth without them fails with. */
export const REQUIRED_CONTEXT = {
  stage: 'the stage to build, which names the stacks and resources (e.g. -c stage=dev, -c stage=prod)',
  corsOrigins: 'the front ends allowed to call the API, comma-separated (e.g. -c corsOrigins=https://app.example.vn)',
} as const;

/** Read and check the stage context; a missing or malformed key stops the synth with what to pass. */
export function stageContext(node: Node): StageContext {
  const given = (key: string) => {
    const value: unknown = node.tryGetContext(key);
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;
  };
  const missing = (Object.keys(REQUIRED_CONTEXT) as (keyof typeof REQUIRED_CONTEXT)[]).filter((key) => given(key) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Missing CDK context ${missing.map((k) => `"${k}"`).join(' and ')}: ${missing.map((k) => `${k}, ${REQUIRED_CONTEXT[k]}`).join('; ')}. ` +
        'For example: npx cdk synth -c stage=dev -c corsOrigins=https://dev.app.example.vn',
    );
  }
  const stage = String(given('stage')).trim();
  if (!STAGE_PATTERN.test(stage))
    throw new Error(`stage: "${stage}" is not a stage name (a lower-case letter, then up to 11 lower-case letters or digits)`);
  const alarmEmails = listOf(given('alarmEmail'));
  for (const email of alarmEmails)
    if (!/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(email)) throw new Error(`alarmEmail: "${email}" is not an email address`);
  return { stage, corsOrigins: corsOriginsFrom(given('corsOrigins')), alarmEmails };
}

/** `-c corsOrigins=https://a.vn,https://b.vn` gives a string; cdk.json may hold a list. */
export function corsOriginsFrom(value: unknown): string[] {
  const list = listOf(value);
  if (list.length === 0) throw new Error(`corsOrigins: no origin given (${REQUIRED_CONTEXT.corsOrigins})`);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin))
      throw new Error(`corsOrigins: "${origin}" is not an origin (scheme://host[:port], no path)`);
  }
  return list;
}

const listOf = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : String(value).split(',')).map((v) => String(v).trim()).filter(Boolean);

/** The stacks of a stage, by role: `CtvCloud-<stage>-Data`, `-Api`, `-Jobs`, `-Monitoring`, `-EdgeWaf`, `-Edge`. */
export function stackNames(stage: string) {
  const prefix = `CtvCloud-${stage}`;
  return {
    data: `${prefix}-Data`,
    api: `${prefix}-Api`,
    jobs: `${prefix}-Jobs`,
    monitoring: `${prefix}-Monitoring`,
    edgeWaf: `${prefix}-EdgeWaf`,
    edge: `${prefix}-Edge`,
  } as const;
}

export type StackNames = ReturnType<typeof stackNames>;
