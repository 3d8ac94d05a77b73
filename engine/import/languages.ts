/** Which fenced blocks hold what, by their language tag; and what an untagged block starts with. */

export const SQL_LANGS = new Set([
  'sql',
  'psql',
  'pgsql',
  'postgres',
  'postgresql',
  'plpgsql',
  'sqlite',
  'sqlite3',
  'mysql',
]);
export const SHELL_LANGS = new Set([
  'bash',
  'sh',
  'shell',
  'zsh',
  'ksh',
  'console',
  'terminal',
  'shell-session',
  'shellsession',
  'sh-session',
  'bash-session',
]);
export const POWERSHELL_LANGS = new Set(['powershell', 'pwsh', 'ps1', 'ps', 'posh', 'psm1']);
export const DATA_LANGS = new Set([
  'json',
  'jsonc',
  'json5',
  'yaml',
  'yml',
  'text',
  'txt',
  'plaintext',
  'plain',
  'output',
  'log',
  'logs',
  'xml',
  'toml',
  'ini',
  'csv',
  'diff',
  'patch',
  'markdown',
  'md',
  'mermaid',
  'ascii',
  'env',
  'dotenv',
  'properties',
  'conf',
  'nginx',
  'dockerfile',
  'hcl',
  'http-response',
]);
/** The first word of a shell command (an untagged block that starts with one is shell). */
export const COMMAND_START =
  /^(sudo\s+)?(curl|wget|psql|sqlite3|mysql|kubectl|docker|podman|systemctl|journalctl|service|helm|git|npm|npx|yarn|pnpm|node|python3?|pip|uv|go|make|ssh|scp|rsync|tail|head|cat|grep|ls|ps|kill|pkill|df|du|free|ss|netstat|top|uptime|redis-cli|aws|gcloud|az|gsutil|terraform|ansible|export|echo|cd|rm|mv|cp|mkdir|chmod|chown|find|tar|gzip|gunzip|openssl|dig|nslookup|ping|watch|until|while|for|pg_dump|pg_restore|pg_isready|vercel|supabase|fly|heroku|wrangler|\.\/|\.\.\/)\b/;

/** A line that starts a SQL statement. */
export const SQL_START =
  /^\s*(SELECT|WITH|UPDATE|DELETE|INSERT|ALTER|DROP|TRUNCATE|VACUUM|ANALYZE|CREATE|EXPLAIN|SHOW|CALL|GRANT|REVOKE|REINDEX|CLUSTER|PRAGMA|REFRESH|COPY)\b/i;
