/** Whether a process is running or sleeping; a zombie (dead, waiting to be reaped) counts as gone. Uses /proc where there is one, else signal 0. */
import { existsSync, readFileSync } from 'node:fs';

export function alive(pid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    try {
      return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
