/** Process entry: runs the CLI with the real streams and sets the exit code. */
import { main } from './main.js';

// `stepwise run ... | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `stepwise: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nThis is a bug in stepwise; please report it with the command you ran.\n`,
    );
    process.exitCode = 70;
  },
);
