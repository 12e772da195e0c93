/**
 * An in-memory map of entries that die at a moment computed per entry. Dead entries are refused on
 * access and dropped by `sweep`, so memory stays bounded by the live entries.
 */
export class ExpiringStore<T> {
  readonly #entries = new Map<string, T>();
  readonly #deathOf: (entry: T) => number;
  readonly #onDrop: ((key: string, entry: T) => void) | undefined;

  /** `deathOf` returns the ms timestamp from which an entry is dead; `onDrop` hears of every dead entry dropped. */
  constructor(deathOf: (entry: T) => number, onDrop?: (key: string, entry: T) => void) {
    this.#deathOf = deathOf;
    this.#onDrop = onDrop;
  }

  /** Stores or replaces an entry. */
  set(key: string, entry: T): void {
    this.#entries.set(key, entry);
  }

  /** The live entry under `key`; a dead one is dropped and undefined returned. */
  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= this.#deathOf(entry)) {
      this.#entries.delete(key);
      this.#onDrop?.(key, entry);
      return undefined;
    }
    return entry;
  }

  /** The entry under `key` whether or not it is dead. */
  peek(key: string): T | undefined {
    return this.#entries.get(key);
  }

  /** Removes an entry; true when there was one. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Live and not yet swept entries. */
  values(): IterableIterator<T> {
    return this.#entries.values();
  }

  /** Drops every dead entry; returns how many were dropped. */
  sweep(now: number): number {
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (now >= this.#deathOf(entry)) {
        this.#entries.delete(key);
        this.#onDrop?.(key, entry);
        dropped++;
      }
    }
    return dropped;
  }

  /** How many entries are held (dead ones count until swept or accessed). */
  get size(): number {
    return this.#entries.size;
  }
}
