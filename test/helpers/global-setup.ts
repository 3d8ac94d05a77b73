/**
 * Builds the CLI bundle once, so end-to-end tests run the same `stepwise` a user runs; and makes
 * the PGlite starting points (an empty cluster to load, the drill's data-folder template) once,
 * while the machine is quiet, instead of in whichever test first needs them, under load.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emptyCluster } from '../../engine/drivers/pglite-instances.js';
import { pgliteTemplate } from '../../engine/drill/databases.js';

export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  await Promise.all([emptyCluster(), pgliteTemplate()]);
}
