/** Who hears what the core stored: a listener that fails (a closed window, a dead port) is logged, and the others still hear. */
import type { Log } from './log';

export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly log: Log) {}

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  tell(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (err) {
        this.log.error(`a listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
