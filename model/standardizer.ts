/** Per-column mean and standard deviation, so every input enters the network on a comparable scale. */
export interface Standardizer {
  mean: number[];
  std: number[];
}

/** Fits on a row-major n x d matrix. Constant columns get std 1 so they standardize to 0. */
export function fitStandardizer(x: Float32Array, d: number): Standardizer {
  const n = x.length / d;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / Math.max(1, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j]! += (x[i * d + j]! - mean[j]!) ** 2;
  const std = sq.map((s) => {
    const v = Math.sqrt(s / Math.max(1, n));
    return v > 1e-9 ? v : 1;
  });
  return { mean, std };
}

/** Standardizes in place and returns the same array. */
export function standardize(x: Float32Array, s: Standardizer): Float32Array {
  const d = s.mean.length;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - s.mean[i % d]!) / s.std[i % d]!;
  return x;
}

/** Undoes standardize for one value of column j. */
export function unstandardize(value: number, s: Standardizer, j: number): number {
  return value * s.std[j]! + s.mean[j]!;
}
