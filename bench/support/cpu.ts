import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time from /proc (Linux), for figures that survive a shared machine: how much CPU each
 * request or event costs the API process and the PostgreSQL backends, whatever else runs.
 * Clock ticks are 10 ms (USER_HZ 100), so measure over seconds.
 */
const TICK_MS = 10;

/** utime + stime of a process, in ms; NaN when it is gone or /proc is missing. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** CPU ms of every PostgreSQL backend connected to `database`, by pid. */
export function backendCpu(database: string): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  const marker = ` ${database} `;
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.startsWith('postgres:') || !cmdline.includes(marker)) continue;
      const ms = processCpuMs(Number(pid));
      if (Number.isFinite(ms)) out.set(Number(pid), ms);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** A CPU meter over an interval: this process, optionally another one, and the database's backends. */
export class CpuMeter {
  private readonly self = process.cpuUsage();
  private readonly other: number;
  private readonly backends: Map<number, number>;

  constructor(
    private readonly database: string,
    private readonly pid?: number,
  ) {
    this.other = pid === undefined ? NaN : processCpuMs(pid);
    this.backends = backendCpu(database);
  }

  /** CPU ms spent since the meter started: by this process, by `pid`, by the database's backends. */
  read(): { selfMs: number; otherMs: number; postgresMs: number } {
    const self = process.cpuUsage(this.self);
    let postgres = 0;
    for (const [pid, ms] of backendCpu(this.database)) postgres += ms - (this.backends.get(pid) ?? 0);
    return {
      selfMs: (self.user + self.system) / 1000,
      otherMs: this.pid === undefined ? NaN : processCpuMs(this.pid) - this.other,
      postgresMs: postgres,
    };
  }
}

/** The database name of a postgres URL. */
export const databaseOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));
