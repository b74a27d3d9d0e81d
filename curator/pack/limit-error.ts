/** A registry limit the tarball would break, with the entries that break it most. */
import { LimitError, type ErrorDetails } from '../../core/errors.js';

export type PackLimit =
  'maxTarballBytes' | 'maxUnpackedBytes' | 'maxFileBytes' | 'maxFiles' | 'maxPathLength' | 'maxEntries' | 'maxRatio';

export class PackLimitError extends LimitError {
  constructor(
    message: string,
    readonly limit: PackLimit,
    /** The biggest offenders, biggest first, as `path (size)` strings. */
    readonly offenders: string[],
    details: ErrorDetails = {},
  ) {
    super(offenders.length > 0 ? `${message}; biggest: ${offenders.join(', ')}` : message, details);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit, offenders: this.offenders };
  }
}
