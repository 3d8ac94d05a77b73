/** Whether a shell command only reads (no confirm before it), and which commands never end on their own. */
import { stripPrefixText } from './command-words.js';

/** Commands that only read: no confirm needed. */
const READ_ONLY = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'zgrep',
  'zcat',
  'ls',
  'll',
  'df',
  'du',
  'free',
  'uptime',
  'ps',
  'pgrep',
  'ss',
  'netstat',
  'lsof',
  'wc',
  'sort',
  'uniq',
  'cut',
  'awk',
  'jq',
  'yq',
  'echo',
  'printf',
  'date',
  'whoami',
  'id',
  'hostname',
  'uname',
  'env',
  'printenv',
  'which',
  'stat',
  'file',
  'dig',
  'nslookup',
  'host',
  'traceroute',
  'nproc',
  'lscpu',
  'lsblk',
  'vmstat',
  'iostat',
  'mpstat',
  'test',
  'true',
  'basename',
  'dirname',
  'realpath',
  'tr',
  'column',
  'getent',
  'nvidia-smi',
  'pg_isready',
  'sleep',
  'base64',
  'sha256sum',
  'md5sum',
  'diff',
  'tree',
  'nc',
  'timeout',
  'time',
  'xargs',
]);
const READ_SUBCOMMANDS: Record<string, RegExp> = {
  kubectl:
    /^(get|describe|logs|top|explain|version|api-resources|api-versions|cluster-info|events|auth|config|rollout\s+(status|history)|diff)\b/,
  docker: /^(ps|logs|inspect|images|stats|version|info|top|port|events)\b/,
  podman: /^(ps|logs|inspect|images|stats|version|info|top|port)\b/,
  systemctl: /^(status|is-active|is-enabled|is-failed|list-units|list-timers|show|cat)\b/,
  git: /^(status|log|diff|show|branch|remote|rev-parse|describe|blame|tag\s*$)/,
  helm: /^(list|ls|status|get|history|show|search|version)\b/,
  gsutil: /^(ls|du|cat|stat)\b/,
  journalctl: /^/,
  sed: /^(?!.*\s-i)/,
  find: /^(?!.*\s-(delete|exec|execdir|ok|fprint)\b)/,
  openssl: /^(rand|s_client|x509|version)\b/,
  'redis-cli':
    /^(?:.*\s)?(ping|info|get|mget|keys|scan|ttl|type|llen|hget|hgetall|dbsize|memory\s+usage|slowlog\s+get|client\s+list)\b/i,
  aws: /^\S+\s+(describe|list|get)-/,
  gcloud: /^(.*\s)?(list|describe)\b/,
  npm: /^(ls|list|view|outdated|audit)\b/,
  ping: /-c\s*\d/,
};
/** Commands that never end on their own, or wait for a person. */
export const INTERACTIVE =
  /^crontab\s+-e\b|^visudo\b|^(sudoedit|sudo\s+-e)\b|^\$EDITOR\b|^(top|htop|less|more|vi|vim|nano|emacs|tmux|screen|man)(\s|$)|^(tail|journalctl|kubectl|docker)\b.*\s(-f|-F|--follow)\b|^(kubectl|docker)\s+(exec|run)\b.*\s-\w*i\w*t|^kubectl\s+(port-forward|proxy|edit)\b|^ssh\s+\S+\s*$|^(npm|yarn|pnpm)\s+(run\s+)?(start|dev|serve|watch)\b|^(uvicorn|gunicorn|flask\s+run|rails\s+s)\b|^ping\s+(?!.*-c)/;

/** Whether a command (a pipeline, a list) only reads. */
export function readOnly(text: string): boolean {
  const noQuotes = text.replace(/<[A-Za-z][\w.-]{0,40}>/g, 'x').replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
  if (/(^|[^0-9&>])>{1,2}\s*(?!&|\/dev\/null)/.test(noQuotes.replace(/2>&1|&>\/dev\/null|>\s*\/dev\/null/g, '')))
    return false;
  if (/--dry-run\b|--check-only\b|--help\b|--version\b/.test(text)) return true;
  const parts = noQuotes.split(/\|\||&&|[|;\n]/);
  return parts.every((part) => {
    const cmd = stripPrefixText(
      part
        .trim()
        .replace(/^\(|\)$/g, '')
        .replace(/^((if|then|else|elif|do|while|until|!)\s+)+/, ''),
    );
    if (cmd === '' || /^(fi|done|then|else|do|esac|\{|\})$/.test(cmd) || /^(for|select)\s+\w+\s+in\b/.test(cmd))
      return true;
    const m = /^(\S+)\s*(.*)$/s.exec(cmd)!;
    const name = m[1]!.replace(/^.*\//, '');
    const args = m[2]!;
    if (name === 'tee' || name === 'xargs') return false;
    const sub = READ_SUBCOMMANDS[name];
    if (sub !== undefined) return sub.test(args) && !(name === 'journalctl' && /--vacuum|--rotate/.test(args));
    return READ_ONLY.has(name);
  });
}
