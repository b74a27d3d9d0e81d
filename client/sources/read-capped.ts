/** Read a fetch response body, refusing it as soon as it passes a size cap. */
import { LimitError } from '../../core/errors.js';

export async function readCapped(response: Response, maxBytes: number, where: string): Promise<Buffer> {
  const tooBig = () =>
    new LimitError(`response is larger than ${maxBytes} bytes`, {
      where,
      hint: 'the index file is implausibly large; check the registry URL, or raise the limit',
    });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}
