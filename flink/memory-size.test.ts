import { describe, expect, it } from 'vitest';
import { MemorySize, MemorySizeError } from './memory-size.ts';

/** Flink's MemorySizeTest, ported, plus the formatting its error messages rely on. */
describe('MemorySizeTest, ported', () => {
  const bytes = (text: string) => MemorySize.parse(text).bytes;

  it('testUnitConversion', () => {
    expect(MemorySize.ofBytes(18500).bytes >> 10n).toBe(18n);
    expect(MemorySize.ofBytes(15 * 1024 * 1024).mebiBytes).toBe(15n);
    const teras = MemorySize.ofBytes(2n * 1024n ** 4n + 10n);
    expect([teras.bytes, teras.bytes >> 10n, teras.mebiBytes, teras.bytes >> 30n, teras.bytes >> 40n]).toEqual([2199023255562n, 2147483648n, 2097152n, 2048n, 2n]);
  });

  it('testInvalid / testDivideByLong / testDivideByNegativeLong', () => {
    expect(() => MemorySize.ofBytes(-1)).toThrow('bytes must be >= 0');
    expect(MemorySize.ofBytes(100).divide(23).bytes).toBe(4n);
    expect(() => MemorySize.ofBytes(100).divide(-23)).toThrow('divisor must be >= 0');
  });

  it('testParseBytes / KibiBytes / MebiBytes / GibiBytes / TebiBytes / testUpperCase / testTrimBeforeParse', () => {
    for (const text of ['1234', '1234b', '1234 b', '1234bytes', '1234 bytes']) expect(bytes(text)).toBe(1234n);
    const units = { k: 10n, m: 20n, g: 30n, t: 40n } as const;
    const longNames = { k: 'kibibytes', m: 'mebibytes', g: 'gibibytes', t: 'tebibytes' } as const;
    const numbers = { k: 667766n, m: 7657623n, g: 987654n, t: 1234567n } as const;
    for (const unit of ['k', 'm', 'g', 't'] as const) {
      for (const suffix of [unit, `${unit}b`, longNames[unit]]) {
        for (const gap of ['', ' ']) expect(bytes(`${numbers[unit]}${gap}${suffix}`) >> units[unit]).toBe(numbers[unit]);
      }
    }
    for (const [text, expected] of [['1 B', 1n], ['1 K', 1024n], ['1 M', 1n << 20n], ['1 G', 1n << 30n], ['1 T', 1n << 40n]] as const) expect(bytes(text)).toBe(expected);
    expect(bytes('      155      ')).toBe(155n);
    expect(bytes('      155      bytes   ')).toBe(155n);
  });

  it('testParseInvalid / testParseNumberOverflow / testParseNumberTimeUnitOverflow, with Flink\'s messages', () => {
    const message = (text: string) => {
      try {
        MemorySize.parse(text);
      } catch (error) {
        expect(error).toBeInstanceOf(MemorySizeError);
        return (error as Error).message;
      }
      throw new Error(`${text} parsed`);
    };
    expect(message('')).toBe('argument is an empty- or whitespace-only string');
    expect(message('     ')).toBe('argument is an empty- or whitespace-only string');
    expect(message('foobar or fubar or foo bazz')).toBe('text does not start with a number');
    expect(message('16 gjah')).toBe("Memory size unit 'gjah' does not match any of the recognized units: (b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)");
    expect(message('16 16 17 18 bytes')).toMatch(/^Memory size unit '16 17 18 bytes' does not match/);
    expect(message('-100 bytes')).toBe('text does not start with a number');
    expect(message('1.5g')).toMatch(/^Memory size unit '\.5g' does not match/);
    expect(message('100000000000000000000000000000000 bytes')).toBe("The value '100000000000000000000000000000000' cannot be re represented as 64bit number (numeric overflow).");
    expect(message('100000000000000 tb')).toBe("The value '100000000000000 tb' cannot be re represented as 64bit number of bytes (numeric overflow).");
  });

  it('testToHumanReadableString', () => {
    const human = (n: bigint) => MemorySize.ofBytes(n).toHumanReadableString();
    expect(human(0n)).toBe('0 bytes');
    expect(human(1n)).toBe('1 bytes');
    expect(human(1024n)).toBe('1024 bytes');
    expect(human(1025n)).toBe('1.001kb (1025 bytes)');
    expect(human(1536n)).toBe('1.500kb (1536 bytes)');
    expect(human(1_000_000n)).toBe('976.563kb (1000000 bytes)');
    expect(human(1_000_000_000n)).toBe('953.674mb (1000000000 bytes)');
    expect(human(1_000_000_000_000n)).toBe('931.323gb (1000000000000 bytes)');
    expect(human(1_000_000_000_000_000n)).toBe('909.495tb (1000000000000000 bytes)');
    expect(human((1n << 63n) - 1n)).toBe('8388608.000tb (9223372036854775807 bytes)');
  });

  it('toString: the largest unit dividing exactly, but bytes when every unit divides (Flink\'s orElse(BYTES))', () => {
    const str = (n: bigint) => MemorySize.ofBytes(n).toString();
    expect([str(134217728n), str(1n << 30n), str(134217730n), str(0n), str(1n << 40n), str(3n << 40n)]).toEqual([
      '128 mb', '1 gb', '134217730 bytes', '0 bytes', '1099511627776 bytes', '3298534883328 bytes',
    ]);
  });

  it('multiply: exact decimal of the widened float, truncated', () => {
    expect(MemorySize.ofMebiBytes(1280).multiply(Math.fround(0.4)).bytes).toBe(536870920n);
    expect(() => MemorySize.MAX_VALUE.multiply(2)).toThrow('long overflow');
    expect(() => MemorySize.ofBytes(1).multiply(-1)).toThrow('multiplier must be >= 0');
  });
});
