/**
 * This server process among the instances that share the database. Job runs, import batches
 * and SMS claims record it; the liveness probe tells whether a recorded owner still runs.
 */
import { randomBytes } from 'crypto';
import { hostname } from 'os';

/** `host:pid:random`: the random part tells a restarted process that got the same pid. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/**
 * Whether `instance` was a process on this host that no longer runs. Another host's process
 * cannot be checked from here: false, and the caller waits for its own timeout.
 */
export const isDeadLocalInstance = (instance: string | null): boolean => {
  if (!instance || instance === INSTANCE_ID) return false;
  const [host, pidText] = instance.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Same pid as this process but another instance id: an earlier run of this server (say, pid 1
  // in a restarted container).
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
};
