import { describe, expect, it } from 'vitest';
import { gitEnv } from '../../curator/source/git-env.js';
import { createGitRunner, GitTimeout } from '../../curator/source/git-runner.js';
import { createRepo } from '../helpers/git.js';

describe('the git runner', () => {
  it('kills a git call that runs past its timeout', async () => {
    const repo = await createRepo();
    const started = Date.now();
    // cat-file --batch waits on stdin forever: a stand-in for a hanging server.
    const error = await createGitRunner()
      .run(repo.dir, ['cat-file', '--batch'], { env: gitEnv({ protocols: [] }), timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitTimeout);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('builds an environment with no user config, prompts or inherited secrets', () => {
    const env = gitEnv({
      home: '/tmp/h',
      protocols: ['https'],
      inherit: {
        PATH: '/bin',
        GIT_SSH_COMMAND: 'evil',
        GIT_DIR: '/x',
        HTTPS_PROXY: 'http://proxy:3128',
        GITHUB_TOKEN: 'secret',
      },
    });
    expect(env).toMatchObject({
      PATH: '/bin',
      HOME: '/tmp/h',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ALLOW_PROTOCOL: 'https',
      HTTPS_PROXY: 'http://proxy:3128',
    });
    expect(env.GIT_SSH_COMMAND).toBeUndefined();
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBeUndefined();
  });

  it('reads blobs in the order asked through one cat-file process', async () => {
    const repo = await createRepo();
    await repo.write('a', 'alpha\n');
    await repo.write('b', Buffer.alloc(200_000, 7));
    await repo.commit('x');
    const ids = (await repo.git('ls-tree', 'HEAD')).split('\n').map((l) => l.split(/\s+/)[2]!);
    const out = [];
    for await (const o of createGitRunner().readObjects(repo.dir, [ids[1]!, ids[0]!, ids[1]!], {
      env: gitEnv({ protocols: [] }),
      timeoutMs: 10_000,
    }))
      out.push(o);
    expect(out.map((o) => [o.id, o.type, o.data.length])).toEqual([
      [ids[1], 'blob', 200_000],
      [ids[0], 'blob', 6],
      [ids[1], 'blob', 200_000],
    ]);
  });
});
