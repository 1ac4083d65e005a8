/**
 * Where a command's words go. With --json, stdout carries only JSON; human text and
 * progress go to stderr so scripts can pipe stdout safely.
 */
export interface OutputOptions {
  json?: boolean;
}

/** JSON with integer-exact bigints (sizes beyond 2^53 are printed as plain digits). */
export function toJson(value: unknown, indent = 2): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${marker}${v}` : v), indent);
  // JSON.stringify escapes the NUL of the marker, so match its escaped form.
  const escaped = JSON.stringify(marker).slice(1, -1).replace(/\\/g, '\\\\');
  return text.replace(new RegExp(`"${escaped}(-?\\d+)"`, 'g'), '$1');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

export function printText(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Status lines for a person: always stderr, so they never mix with JSON or reports on stdout. */
export function info(text: string): void {
  process.stderr.write(`${text}\n`);
}
