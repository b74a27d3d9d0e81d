import { describe, it } from 'vitest';
import type { CurateFault } from '../../curator/curate/types.js';
import { crashAndRerun } from './crash-case.js';

describe('crash safety and idempotence', () => {
  it.each<CurateFault>(['index-write', 'index-commit'])(
    'a run killed at %s converges on rerun to what a clean run makes',
    crashAndRerun,
  );
});
