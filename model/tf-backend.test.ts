import { describe, expect, it } from 'vitest';
import { selectBackend } from './tf-backend.ts';

describe('selectBackend', () => {
  it('leaves no process-wide error handler of the wasm runtime behind, so an uncaught error prints as itself', async () => {
    const counts = () => [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const before = counts();
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(counts()).toEqual(before);
  });
});
