/** A temporary folder for one test file's runbooks, answers and stores. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function scratch(prefix: string): {
  dir: string;
  path(name: string): string;
  write(name: string, text: string): string;
} {
  const dir = mkdtempSync(join(tmpdir(), `stepwise-${prefix}-`));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
