import os from 'node:os';

/** Where and when a run happened, printed above every result. */
export interface MachineInfo {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();

  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    // Other work on a shared machine skews every figure; the load average
    // at the start says how much.
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

export function describeMachine(info: MachineInfo): string {
  return (
    `${info.date}, Node ${info.node}, ${info.cores} cores (${info.cpu}), ` +
    `${info.memoryGb} GB, ${info.platform}, load ${info.loadAverage.join(' ')}`
  );
}
