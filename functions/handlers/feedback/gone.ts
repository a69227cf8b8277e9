/** 410 Gone as problem+json, for an expired one-time link (no domain error kind maps to it: only the link uses it). */
export const gone = (detail: string) => ({
  status: 410,
  body: { type: 'urn:ctv-cloud:problem:gone', title: 'Gone', status: 410, detail },
  headers: { 'content-type': 'application/problem+json' },
});
