// One repository's runs never overlap; different repositories do not wait for each other; a failure does not block the queue.
import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../curator/app/keyed-queue.js';
import { createSeenDeliveries } from '../../curator/app/seen-deliveries.js';

describe('createKeyedQueue', () => {
  it('serializes per key and keeps going after a failure', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    let releaseA!: () => void;
    const gate = new Promise<void>((r) => (releaseA = r));
    const a1 = queue.run('o/r', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
      throw new Error('a1 failed');
    });
    const a2 = queue.run('o/r', async () => void log.push('a2'));
    const b1 = queue.run('o/other', async () => void log.push('b1'));
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    await new Promise((r) => setTimeout(r, 0));
    // o/other is done; o/r still has a1 running and a2 waiting.
    expect(queue.busy).toBe(1);
    releaseA();
    await expect(a1).rejects.toThrow('a1 failed');
    await a2;
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.busy).toBe(0);
  });
});

describe('createSeenDeliveries', () => {
  it('says yes once per id, forgets on request, and stays bounded', () => {
    const seen = createSeenDeliveries(2);
    expect([seen.first('a'), seen.first('a'), seen.first('b')]).toEqual([true, false, true]);
    seen.forget('a');
    expect(seen.first('a')).toBe(true);
    seen.first('c');
    // 'b' was the oldest when 'c' came in.
    expect(seen.first('b')).toBe(true);
  });
});
