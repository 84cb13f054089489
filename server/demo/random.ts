// A small seeded pseudo-random generator (mulberry32) for the demo city: the same seed gives the
// same city on every machine, so a second run inserts nothing new and tests can compare runs.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One item, chosen with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
    if (total <= 0) throw new Error("weighted pick needs a positive weight");
    let r = this.next() * total;
    for (const [item, w] of entries) {
      r -= Math.max(0, w);
      if (r < 0) return item;
    }
    return entries[entries.length - 1]![0];
  }

  /** Fisher–Yates, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A child generator: one stream per part of the city, so adding a provider does not reshuffle enterprises. */
  fork(label: string): Random {
    let h = this.state ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Random(h >>> 0);
  }
}

/**
 * Exactly `round(share * n)` of each value (the remainder goes to the first entry), shuffled.
 * Used where the article gives a number (594 in the registry, bearings 42%) that must come out right.
 */
export function quota<T>(rng: Random, n: number, shares: readonly (readonly [T, number])[]): T[] {
  const total = shares.reduce((s, [, w]) => s + w, 0);
  const out: T[] = [];
  for (const [value, w] of shares.slice(1)) {
    for (let i = Math.round((w / total) * n); i > 0; i--) out.push(value);
  }
  while (out.length < n) out.push(shares[0]![0]);
  return rng.shuffle(out.slice(0, n));
}
