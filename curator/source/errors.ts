/** Source failures carry a stable rule id, so the PR gate can point at the right line of the definition. */
import { SourceError, type ErrorDetails } from '../../core/errors.js';

/** Why fetching a source failed; the PR gate reports these as rule ids. */
export type SourceRule =
  | 'source-not-allowed'
  | 'source-invalid'
  | 'source-unreachable'
  | 'ref-invalid'
  | 'ref-missing'
  | 'commit-mismatch'
  | 'subdir-missing'
  | 'source-timeout';

/** A `SourceError` that says which rule failed. */
export class SourceFailure extends SourceError {
  constructor(
    message: string,
    readonly rule: SourceRule,
    details: ErrorDetails = {},
  ) {
    super(message, details);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), rule: this.rule };
  }
}
