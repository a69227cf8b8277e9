import { DomainError, invalid } from '../../domain/errors';

/**
 * The version an update expects to replace: `If-Match: "3"` (or W/"3", or 3), or `version` in
 * the body. An update without either is refused (428), so no client overwrites blindly.
 */
export function expectedVersion(headers: Record<string, string>, bodyVersion: number | undefined): number {
  const header = headers['if-match'];
  if (header !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
    if (!match) throw invalid([{ path: 'If-Match', message: 'send the version read, for example "3"' }]);
    const version = Number(match[1]);
    if (bodyVersion !== undefined && bodyVersion !== version) {
      throw invalid([{ path: 'version', message: 'differs from If-Match' }]);
    }
    return version;
  }
  if (bodyVersion !== undefined) return bodyVersion;
  throw new DomainError('precondition_required', 'Send If-Match with the version you read (or `version` in the body)', [
    { path: 'If-Match', message: 'required' },
  ]);
}

export const etag = (version: number) => ({ etag: `"${version}"` });
