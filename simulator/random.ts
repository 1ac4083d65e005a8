import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A seeded stream for the fleet generator: every draw comes from pure-rand, in a fixed order. */
export class Random {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(mix32(seed | 0));
    // Small seeds give weakly mixed first outputs: skip them.
    for (let i = 0; i < 8; i++) this.rng.next();
  }

  float(): number {
    return uniformFloat64(this.rng);
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by relative weight: `weighted([['a', 3], ['b', 1]])`. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Log-uniform: sizes and rates spread over orders of magnitude. */
  logBetween(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)));
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += (this.int(0, 0xffff) | 0x10000).toString(16).slice(1);
    return out.slice(0, chars);
  }
}

/**
 * A value in [0, 1) that depends only on its arguments: the per-time noise of the physics. It
 * seeds a fresh pure-rand generator from the mixed key, so no state is carried between calls
 * and any timestamp can be sampled in any order.
 */
export function noiseAt(seed: number, key: number, slot: number): number {
  const a = mix32(seed ^ mix32(key));
  const b = mix32(slot ^ mix32(a + 0x9e3779b9));
  const rng = xoroshiro128plusFromState([a, b, mix32(a ^ 0x85ebca6b), mix32(b ^ 0xc2b2ae35) | 1]);
  return uniformFloat64(rng);
}

/** murmur3's finalizer: spreads every input bit over the whole word. */
function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** A stable 32-bit key for a string id (FNV-1a), to feed `noiseAt`. */
export function keyOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
