/** When a step gets a danger confirm: words around it that say so, and the phrase the responder types. */
import { stripPrefixText } from './command-words.js';
import { phrase } from './units.js';

export const DANGER =
  /\b(danger(ous)?|destructive|emergency|irreversibl[ey]|cannot be undone|can't be undone|data loss|nuclear|last resort|caution)\b|\u26a0/i;

/** A danger phrase for a command: its name, and its subcommand for git, kubectl and the like. */
export function shellPhrase(command: string): string {
  const words = stripPrefixText(command).split(/\s+/);
  const two =
    /^(git|kubectl|docker|podman|helm|npm|yarn|systemctl|service|aws|gcloud|az|terraform|vercel|supabase|fly|heroku)$/;
  return phrase(two.test(words[0] ?? '') && words[1] !== undefined ? `${words[0]} ${words[1]}` : (words[0] ?? 'run'));
}
