import { existsSync, writeFileSync } from 'node:fs';
import { generateSigningKeys } from '../../engine/transcript/sign.js';
import { parse } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';

export const keygen: Command = {
  name: 'keygen',
  help: `Usage: stepwise keygen -o NAME [--force]

Writes NAME.key (the private key, readable only by you) and NAME.pub (the public key).
Run with \`stepwise run --sign-key NAME.key\`; check with
\`stepwise verify RUN --public-key NAME.pub\`. Keep NAME.key away from the transcript store:
whoever holds it can sign a rewritten chain.

Options:
  -o, --output NAME     where to write NAME.key and NAME.pub
  --force               overwrite existing files
  -h, --help            this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, force: { type: 'boolean' } });
    if (positionals.length > 0 || !values.output) throw new UsageError('name the key pair: stepwise keygen -o NAME');
    const name = values.output.replace(/\.(key|pub)$/, '');
    const files = [`${name}.key`, `${name}.pub`];
    const existing = files.filter((f) => existsSync(f));
    if (existing.length > 0 && !values.force) {
      io.stderr.write(
        `stepwise keygen: ${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite\n`,
      );
      return EXIT.usage;
    }
    const keys = generateSigningKeys();
    try {
      writeFileSync(files[0]!, keys.privatePem, { mode: 0o600 });
      writeFileSync(files[1]!, keys.publicPem, { mode: 0o644 });
    } catch (error) {
      io.stderr.write(
        `stepwise keygen: cannot write the key pair: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
      );
      return EXIT.invalid;
    }
    io.stdout.write(`wrote ${files[0]} (private, mode 600) and ${files[1]}\nfingerprint ${keys.fingerprint}\n`);
    return EXIT.ok;
  },
};
