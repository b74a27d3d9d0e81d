// submit names its registry on GitHub with --registry or GRANARY_SUBMIT_REGISTRY; GRANARY_REGISTRY is the index's.
import { describe, expect, it } from 'vitest';
import { packageRepo, run } from './support.js';

const ARGS = ['submit', '--owner', 'Codertocat', '--dry-run', '--json'];

describe('granary submit: the registry from the environment', () => {
  it('reads GRANARY_SUBMIT_REGISTRY', async () => {
    const { repo } = await packageRepo();
    const result = await run(repo.dir, ARGS, { GRANARY_SUBMIT_REGISTRY: 'example-org/registry' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).pullRequest.registry).toBe('example-org/registry');
  });

  it('ignores GRANARY_REGISTRY, and names both ways when neither is given', async () => {
    const { repo } = await packageRepo();
    const result = await run(repo.dir, ARGS.slice(0, -1), { GRANARY_REGISTRY: 'example-org/registry' });
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'granary submit needs the registry: pass --registry OWNER/REPO or set GRANARY_SUBMIT_REGISTRY',
    );
  });

  it('says a malformed value came from GRANARY_SUBMIT_REGISTRY, and that --registry wins over it', async () => {
    const { repo } = await packageRepo();
    const env = { GRANARY_SUBMIT_REGISTRY: 'https://github.com/example-org/registry' };
    const bad = await run(repo.dir, ARGS.slice(0, -1), env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      'error: GRANARY_SUBMIT_REGISTRY must be OWNER/REPO, got "https://github.com/example-org/registry"',
    );
    expect(bad.err).not.toContain('--registry must');
    const flag = await run(repo.dir, [...ARGS, '--registry', 'example-org/registry'], env);
    expect(flag.code).toBe(0);
  });
});
