/** Publishing for real: pack a version, then put its tarball and `.sha256` sidecar into every store. */
import { InputError } from '../../core/errors.js';
import { tarballName } from '../../core/names.js';
import { contentProblems } from '../pack/content-rules.js';
import type { PackFunction } from '../pack/types.js';
import { sidecarFor } from '../stores/sidecar.js';
import type { ReleaseStore } from '../stores/store.js';
import type { Publisher } from '../index/replay.js';
import type { CurateFault } from './types.js';

export interface StorePublisherOptions {
  stores: ReleaseStore[];
  pack: PackFunction;
  /** Relative `file://` sources resolve against this. */
  cwd: string;
  dryRun: boolean;
  /** Upload the `.sha256` sidecar beside each tarball (registry.yaml `sidecars`, default true). */
  sidecars?: boolean;
  faults?: ((step: CurateFault) => void) | undefined;
}

/**
 * Stores never overwrite and packing is reproducible, so publishing again after a crash finds the
 * same bytes already there (`reused`), and a different tarball at the same name is an AssetConflictError.
 */
export function createStorePublisher(options: StorePublisherOptions): Publisher {
  return {
    async publish(definition, context) {
      const packed = await options.pack(definition, {
        registry: context.registry,
        override: context.override,
        cwd: options.cwd,
      });
      const fileName = tarballName(definition.name, definition.version);
      if (packed.name !== definition.name || packed.version !== definition.version || packed.fileName !== fileName) {
        throw new InputError(
          `the packer returned ${packed.name}@${packed.version} (${packed.fileName}) for ${definition.name}@${definition.version}`,
          { where: context.file },
        );
      }
      // What the PR gate's dry-run pack refuses in a tarball's content is refused here too, before anything is stored.
      const refused = contentProblems(definition, packed, context.registry).find((p) => p.severity === 'error');
      if (refused !== undefined)
        throw new InputError(`${refused.message} [${refused.rule}]`, {
          where: `${context.file} (${refused.field[0]})`,
        });
      const artifact = {
        sha256: packed.sha256,
        integrity: packed.integrity,
        size: packed.size,
        contentHash: packed.contentHash,
        commit: packed.commit,
      };
      if (options.dryRun) return { ...artifact, asset: `${definition.name}/${fileName}`, urls: [] };
      const sidecar = sidecarFor(fileName, packed.sha256);
      const urls: string[] = [];
      let asset: string | undefined;
      for (const store of options.stores) {
        const put = await store.put(definition.name, fileName, packed.bytes);
        options.faults?.('store-write');
        if (options.sidecars !== false) await store.put(definition.name, sidecar.fileName, sidecar.bytes);
        options.faults?.('sidecar-write');
        // Only now, with the tarball and its sidecar both in, does a new release become visible.
        await store.seal?.(definition.name);
        asset ??= put.asset;
        urls.push(put.url);
      }
      return { ...artifact, asset: asset!, urls };
    },

    async unpublish(name, version) {
      if (options.dryRun) return;
      const fileName = tarballName(name, version);
      for (const store of options.stores) {
        await store.remove(name, fileName);
        if (options.sidecars !== false) await store.remove(name, `${fileName}.sha256`);
      }
    },
  };
}
