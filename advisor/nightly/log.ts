import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Log = (line: string) => void;

/**
 * The nightly's log for a person: each line with its UTC time, appended to `<dir>/nightly.log`
 * (synchronously, so a killed run keeps every line it logged) and echoed to stderr for cron mail.
 */
export function nightlyLog(dir: string): Log {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'nightly.log');
  return (line) => {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    appendFileSync(path, stamped);
    process.stderr.write(stamped);
  };
}
