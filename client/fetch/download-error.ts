/** Errors of getting bytes from an asset location (HTTP or disk), apart from integrity failures. */
import { GranaryError, type ErrorDetails } from '../../core/errors.js';

/** An asset could not be read: not found, a server error after retries, a timeout, a disk error. */
export class DownloadError extends GranaryError {
  override readonly code = 'download';
  override readonly exitCode = 2 as const;
  constructor(
    message: string,
    /** HTTP status when the server answered, e.g. 404. */
    readonly status: number | undefined,
    details: ErrorDetails = {},
  ) {
    super(message, details);
  }

  /** Whether the asset is simply absent (HTTP 404/410, or no such file). */
  get missing(): boolean {
    return this.status === 404 || this.status === 410;
  }
}
