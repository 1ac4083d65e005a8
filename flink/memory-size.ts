/**
 * A number of bytes, with Flink's `MemorySize` semantics: parsing, formatting and the exact
 * decimal arithmetic Flink uses when it derives memory pools. Backed by a bigint so that every
 * value Flink can hold (up to Long.MAX_VALUE, the "infinite" network max) is represented exactly.
 */

import { javaTrim } from './java-number.ts';

const LONG_MAX = (1n << 63n) - 1n;

interface MemoryUnit {
  readonly names: readonly string[];
  readonly multiplier: bigint;
}

const UNITS: readonly MemoryUnit[] = [
  { names: ['b', 'bytes'], multiplier: 1n },
  { names: ['k', 'kb', 'kibibytes'], multiplier: 1n << 10n },
  { names: ['m', 'mb', 'mebibytes'], multiplier: 1n << 20n },
  { names: ['g', 'gb', 'gibibytes'], multiplier: 1n << 30n },
  { names: ['t', 'tb', 'tebibytes'], multiplier: 1n << 40n },
];

const ALL_UNITS_TEXT = UNITS.map((u) => `(${u.names.join(' | ')})`).join(' / ');

/** Raised where Flink would throw IllegalArgumentException / NumberFormatException / ArithmeticException. */
export class MemorySizeError extends Error {
  override readonly name = 'MemorySizeError';
}

/**
 * The exact decimal value of a double as Java's `BigDecimal.valueOf(double)` sees it, i.e. the
 * digits of `Double.toString`, as (integer digits, power of ten). JS's shortest round-trip form
 * equals Java 19+'s `Double.toString` digit string.
 */
function decimalOf(d: number): { digits: bigint; scale: bigint } {
  const text = String(d);
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (!match) throw new MemorySizeError(`Infinite or NaN`);
  const intPart = match[1] ?? '0';
  const fracPart = match[2] ?? '';
  const exponent = BigInt(match[3] ?? '0');
  return { digits: BigInt(intPart + fracPart), scale: BigInt(fracPart.length) - exponent };
}

export class MemorySize {
  static readonly ZERO = new MemorySize(0n);
  static readonly MAX_VALUE = new MemorySize(LONG_MAX);

  private constructor(readonly bytes: bigint) {}

  /** From a byte count; it must be a non-negative integer that fits a Java long. */
  static ofBytes(bytes: bigint | number): MemorySize {
    if (typeof bytes === 'number' && !Number.isSafeInteger(bytes)) {
      throw new MemorySizeError(`bytes must be a safe integer, got ${bytes}`);
    }
    const b = BigInt(bytes);
    if (b < 0n) throw new MemorySizeError('bytes must be >= 0');
    if (b > LONG_MAX) throw new MemorySizeError('long overflow');
    return new MemorySize(b);
  }

  static ofMebiBytes(mebiBytes: number | bigint): MemorySize {
    return MemorySize.ofBytes(BigInt(mebiBytes) << 20n);
  }

  /** Flink's `MemorySize.parse`: digits, then an optional case-insensitive binary unit; bare numbers are bytes. */
  static parse(text: string): MemorySize {
    const trimmed = javaTrim(text);
    if (trimmed.length === 0) throw new MemorySizeError('argument is an empty- or whitespace-only string');
    let pos = 0;
    while (pos < trimmed.length && trimmed.charCodeAt(pos) >= 0x30 && trimmed.charCodeAt(pos) <= 0x39) pos++;
    const number = trimmed.slice(0, pos);
    const unitText = javaTrim(trimmed.slice(pos)).toLowerCase();
    if (number.length === 0) throw new MemorySizeError('text does not start with a number');
    const value = BigInt(number);
    if (value > LONG_MAX) {
      throw new MemorySizeError(`The value '${number}' cannot be re represented as 64bit number (numeric overflow).`);
    }
    let multiplier = 1n;
    if (unitText.length > 0) {
      const unit = UNITS.find((u) => u.names.includes(unitText));
      if (!unit) {
        throw new MemorySizeError(
          `Memory size unit '${unitText}' does not match any of the recognized units: ${ALL_UNITS_TEXT}`,
        );
      }
      multiplier = unit.multiplier;
    }
    // Java multiplies in wrapping 64-bit arithmetic and detects overflow by dividing back.
    const wrapped = BigInt.asIntN(64, value * multiplier);
    if (wrapped / multiplier !== value) {
      throw new MemorySizeError(`The value '${text}' cannot be re represented as 64bit number of bytes (numeric overflow).`);
    }
    if (wrapped < 0n) throw new MemorySizeError('bytes must be >= 0');
    return new MemorySize(wrapped);
  }

  /** True when the text names a unit (Flink's `MemoryUnit.hasUnit`), so a default unit would not apply. */
  static hasUnit(text: string): boolean {
    const trimmed = javaTrim(text);
    if (trimmed.length === 0) throw new MemorySizeError('argument is an empty- or whitespace-only string');
    return javaTrim(/^\d*(.*)$/s.exec(trimmed)![1]!).length > 0;
  }

  add(that: MemorySize): MemorySize {
    const sum = this.bytes + that.bytes;
    if (sum > LONG_MAX) throw new MemorySizeError('long overflow');
    return new MemorySize(sum);
  }

  subtract(that: MemorySize): MemorySize {
    const diff = this.bytes - that.bytes;
    if (diff < 0n) throw new MemorySizeError('bytes must be >= 0');
    return new MemorySize(diff);
  }

  /**
   * Flink's `multiply(double)`: the byte count times the decimal form of the double, exact,
   * truncated toward zero. Pass fractions already narrowed to float where Flink reads a Float
   * option (see `javaFloat`).
   */
  multiply(multiplier: number): MemorySize {
    if (!(multiplier >= 0)) throw new MemorySizeError('multiplier must be >= 0');
    const { digits, scale } = decimalOf(multiplier);
    const product = scale >= 0n ? (this.bytes * digits) / 10n ** scale : this.bytes * digits * 10n ** -scale;
    if (product > LONG_MAX) throw new MemorySizeError('long overflow');
    return new MemorySize(product);
  }

  /** Integer division, as Flink's `divide(long)`. */
  divide(by: bigint | number): MemorySize {
    const divisor = BigInt(by);
    if (divisor < 0n) throw new MemorySizeError('divisor must be >= 0');
    return new MemorySize(this.bytes / divisor);
  }

  compareTo(that: MemorySize): number {
    return this.bytes < that.bytes ? -1 : this.bytes > that.bytes ? 1 : 0;
  }

  equals(that: MemorySize): boolean {
    return this.bytes === that.bytes;
  }

  static max(a: MemorySize, b: MemorySize): MemorySize {
    return a.bytes >= b.bytes ? a : b;
  }

  static min(a: MemorySize, b: MemorySize): MemorySize {
    return a.bytes <= b.bytes ? a : b;
  }

  /** Whole mebibytes, truncated (Flink's `getMebiBytes`, without its int narrowing). */
  get mebiBytes(): bigint {
    return this.bytes >> 20n;
  }

  /** The byte count as a JS number; throws when it is not exactly representable. */
  toNumber(): number {
    if (this.bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MemorySizeError(`${this.bytes} bytes does not fit a safe JS integer`);
    }
    return Number(this.bytes);
  }

  /** Flink's `toString()`: the largest unit that divides exactly, e.g. "128 mb", "134217730 bytes" (but "0 bytes", "1099511627776 bytes"). */
  toString(): string {
    // The unit below the first that does not divide; Flink falls back to bytes when all divide (0, whole tebibytes).
    const firstNotDividing = UNITS.findIndex((u) => this.bytes % u.multiplier !== 0n);
    const unit = UNITS[Math.max(firstNotDividing - 1, 0)]!;
    return `${this.bytes / unit.multiplier} ${unit.names[1]}`;
  }

  /** Flink's `toHumanReadableString()`: e.g. "128.000mb (134217728 bytes)", used in its error messages. */
  toHumanReadableString(): string {
    let unit = UNITS[0]!;
    for (const u of UNITS) if (this.bytes > u.multiplier) unit = u;
    if (unit.multiplier === 1n) return `${this.bytes} bytes`;
    const approximate = Number(this.bytes) / Number(unit.multiplier);
    return `${formatJavaFixed3(approximate)}${unit.names[1]} (${this.bytes} bytes)`;
  }

  /** A config value Flink parses back to exactly these bytes: whole mebibytes as "Nm", else "Nb". */
  toConfigString(): string {
    return this.bytes % (1n << 20n) === 0n ? `${this.bytes >> 20n}m` : `${this.bytes}b`;
  }
}

/**
 * Java's `String.format("%.3f", x)`: Java rounds HALF_UP on the shortest decimal digits of the
 * double (FormattedFloatingDecimal), which JS's toFixed does not do on ties, so round by hand.
 */
function formatJavaFixed3(x: number): string {
  const { digits, scale } = decimalOf(x);
  let thousandths: bigint;
  if (scale <= 3n) thousandths = digits * 10n ** (3n - scale);
  else {
    const divisor = 10n ** (scale - 3n);
    thousandths = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) thousandths += 1n;
  }
  const s = thousandths.toString().padStart(4, '0');
  return `${s.slice(0, -3)}.${s.slice(-3)}`;
}

/** A config fraction as Flink uses it: parsed as a Java float, then widened back to double. */
export function javaFloat(value: number): number {
  return Math.fround(value);
}
