// Progress: a line per step off a terminal (throttled above 50 steps), a bar in bytes on one, nothing when asked.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isReported, lineProgress, progressFor, silentProgress, terminalProgress } from '../../client/progress.js';

function lines(steps: number, every = false, bytes?: (i: number) => number): string[] {
  const out: string[] = [];
  const progress = lineProgress((text) => void out.push(text), { every });
  progress.start(steps, 'installing');
  for (let i = 1; i <= steps; i++) progress.advance(`p${i}@1.0.0`, bytes?.(i));
  progress.stop();
  return out;
}

/** A stream that says it is a terminal, and keeps what is drawn on it. */
function fakeTerminal(): PassThrough & { isTTY: boolean; columns: number; drawn(): string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120, drawn: () => chunks.join('') });
  stream.on('data', (chunk: Buffer) => void chunks.push(chunk.toString('utf8')));
  return stream;
}

describe('progress', () => {
  it('writes every step, with its size, up to 50 steps', () => {
    expect(lines(3, false, (i) => i * 1536)).toEqual([
      'installing 1/3 p1@1.0.0 (1.5 KB)\n',
      'installing 2/3 p2@1.0.0 (3.0 KB)\n',
      'installing 3/3 p3@1.0.0 (4.5 KB)\n',
    ]);
    expect(lines(50)).toHaveLength(50);
  });

  it('above 50 steps, writes one line per 5% and the last', () => {
    const out = lines(200);
    expect(out).toHaveLength(20);
    expect(out[0]).toBe('installing 10/200 p10@1.0.0\n');
    expect(out.at(-1)).toBe('installing 200/200 p200@1.0.0\n');
    expect(lines(51).at(-1)).toBe('installing 51/51 p51@1.0.0\n');
    expect(lines(51)).toHaveLength(20);
    expect(lines(200, true)).toHaveLength(200);
    expect(isReported(1, 1000)).toBe(false);
    expect(isReported(50, 1000)).toBe(true);
  });

  it('chooses: nothing with --quiet, every step with --verbose, nothing with --json, a bar on a terminal, lines elsewhere', () => {
    const out: string[] = [];
    const write = (text: string) => void out.push(text);
    const terminal = fakeTerminal();
    expect(progressFor({ json: true, isTTY: true, write, stream: terminal })).toBe(silentProgress);
    expect(progressFor({ json: false, quiet: true, isTTY: false, write })).toBe(silentProgress);

    const verbose = progressFor({ json: false, verbose: true, isTTY: true, write, stream: terminal });
    verbose.start(100, 'mirroring');
    verbose.advance('a@1.0.0');
    expect(out).toEqual(['mirroring 1/100 a@1.0.0\n']);
    expect(terminal.drawn()).toBe('');

    const verboseJson = progressFor({ json: true, verbose: true, isTTY: false, write });
    verboseJson.start(100, 'verifying');
    verboseJson.advance('b@1.0.0');
    expect(out.at(-1)).toBe('verifying 1/100 b@1.0.0\n');

    const plain = progressFor({ json: false, isTTY: false, write });
    plain.start(2, 'verifying');
    plain.advance('a@1.0.0');
    expect(out.at(-1)).toBe('verifying 1/2 a@1.0.0\n');
  });

  it('on a terminal, fills the bar by bytes when the steps have sizes', () => {
    const terminal = fakeTerminal();
    const bar = terminalProgress(terminal);
    bar.start(2, 'installing', 3 * 1024 * 1024);
    bar.advance('big@1.0.0', 2 * 1024 * 1024);
    bar.stop();
    expect(terminal.drawn()).toMatch(/installing \[[█░]+\] 2\.0 MB\/3\.0 MB \(1\/2\) big@1\.0\.0/);
  });
});
