/** The signing key test registries use: registry.yaml names its public key, curate signs with it. */
import { generateKeyPair } from '../../core/signing.js';
import { memoryIo, type Io } from '../../cli/io.js';

export const TEST_KEY = generateKeyPair();

/** A command-line io whose environment holds the test signing key (GRANARY_SIGNING_KEY), as CI passes it. */
export function signingIo(overrides: Partial<Io> = {}): ReturnType<typeof memoryIo> {
  return memoryIo({ ...overrides, env: { GRANARY_SIGNING_KEY: TEST_KEY.privateKeyPem, ...overrides.env } });
}
