/**
 * A pair of connected pseudo-terminals made by socat: one end for Cordial, one for the keypad.
 * Killing socat is pulling the cable; starting it again with the same links is plugging it back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

export interface SocatPairOptions {
  hostLink: string;
  deviceLink: string;
  socat?: string;
  /** How long to wait for socat to create both links. */
  timeoutMs?: number;
}

export class SocatPair {
  private child: ChildProcess | null = null;
  private log = '';

  constructor(private readonly options: SocatPairOptions) {}

  get hostPath(): string {
    return this.options.hostLink;
  }

  get devicePath(): string {
    return this.options.deviceLink;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts socat and resolves once both links exist. */
  async plug(): Promise<void> {
    if (this.child) return;
    const { hostLink, deviceLink } = this.options;
    // Links left by a socat that was killed hard would point at someone else's terminal.
    for (const link of [hostLink, deviceLink]) rmSync(link, { force: true });
    const args = ['-d', '-d', `pty,raw,echo=0,link=${hostLink}`, `pty,raw,echo=0,link=${deviceLink}`];
    const child = spawn(this.options.socat ?? 'socat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-4000);
    });
    let failure: string | null = null;
    child.once('error', (error) => {
      failure = `cannot start socat (${error.message}): install it, e.g. apt-get install socat`;
    });
    child.once('exit', (code) => {
      failure ??= `socat exited with code ${code}: ${this.log.trim()}`;
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + (this.options.timeoutMs ?? 5000);
    while (!(existsSync(hostLink) && existsSync(deviceLink))) {
      if (failure !== null) throw new Error(failure);
      if (Date.now() > deadline) {
        await this.unplug();
        throw new Error(`socat did not create ${hostLink} and ${deviceLink} in time: ${this.log.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills socat (the cable is out) and resolves once it has exited and removed its links. */
  async unplug(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}
