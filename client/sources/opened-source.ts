/** An index source as the client opens it: the `IndexSource` contract plus what messages and asset URLs need. */
import type { IndexSource } from '../source.js';

export interface OpenedSource extends IndexSource {
  readonly kind: 'http' | 'directory' | 'git';
  /** Stable identity of the registry location, for state kept per registry (highest snapshot seen). */
  readonly identity: string;
  /** The URL or path a given index file is read from, for messages. */
  locate(path: string): string;
  /** Resolve a relative asset base (config.json `assetBase`) against the index base. */
  resolveRelative(relative: string): string;
  /** The source reads an older generation on purpose (`--snapshot`): its metadata may have expired. */
  readonly historic?: boolean;
}
