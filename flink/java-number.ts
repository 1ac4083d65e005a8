/**
 * Java's number parsing and printing where Flink's behaviour depends on it: `Float.parseFloat`
 * grammar for fraction options, `Double.toString` for values quoted in error messages.
 */

/** Java's String.trim(): strips code points <= U+0020 at both ends. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

const DECIMAL = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/;

/**
 * `Double.parseDouble`: surrounding control/space characters are ignored, an optional type
 * suffix (f/F/d/D) is allowed, as are `NaN`, `Infinity` and hexadecimal `0x1.8p1`.
 * Returns undefined where Java throws NumberFormatException.
 */
export function parseJavaDouble(text: string): number | undefined {
  const s = javaTrim(text);
  if (DECIMAL.test(s)) {
    const body = s.replace(/[fFdD]$/, '');
    if (body.endsWith('NaN')) return Number.NaN;
    return Number(body.replace(/^([+-]?)\./, '$10.'));
  }
  const hex = HEX.exec(s);
  if (hex && (hex[2]! + (hex[3] ?? '')).length > 0) {
    const digits = hex[2]! + (hex[3] ?? '');
    const mantissa = digits.split('').reduce((acc, d) => acc * 16 + parseInt(d, 16), 0);
    const value = mantissa * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? '').length);
    return hex[1] === '-' ? -value : value;
  }
  return undefined;
}

/**
 * `Float.parseFloat`, widened back to double as Flink uses it. Rounds via double, which agrees
 * with Java's direct decimal-to-float rounding except for decimals within 2^-77 of a float
 * rounding boundary (none of them is a realistic fraction).
 */
export function parseJavaFloat(text: string): number | undefined {
  const value = parseJavaDouble(text);
  return value === undefined ? undefined : Math.fround(value);
}

/** `Integer.parseInt`: an optional sign and decimal digits, within 32 bits. */
export function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value <= 2 ** 31 - 1 ? value : undefined;
}

/**
 * Java's `Double.toString`: plain notation with at least one fractional digit for magnitudes in
 * [1e-3, 1e7), otherwise `d.dddE±n`. Digits are the shortest round-trip ones (Java 19+).
 */
export function javaDoubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa!.replace('.', '');
  const exponent = Number(exponentText);
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const fracPart = digits.slice(exponent + 1) || '0';
      return `${sign}${intPart}.${fracPart}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}
