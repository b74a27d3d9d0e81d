/** A registry on disk built the way the curator lays it out: `index/` (signed) and `assets/` (the fs: store layout). */
export { buildRegistry, packTarball } from '../../tools/bench/disk-registry.js';
export type {
  RegistryPackage as FixturePackage,
  DiskRegistry as FixtureRegistry,
} from '../../tools/bench/disk-registry.js';
