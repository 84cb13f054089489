// Coalesces work per key: however often a key is marked, its job runs at most once per `minGapMs`,
// never twice at once, and once more after the last mark (so the last run sees everything marked).
export class KeyedThrottle {
  private readonly keys = new Map<string, { dirty: boolean; running: boolean; timer?: NodeJS.Timeout; lastStart: number }>();
  private closed = false;

  constructor(
    private readonly minGapMs: number,
    private readonly run: (key: string) => Promise<void>,
    /** A first mark after a quiet spell waits this long, so a burst's first events share one run. */
    private readonly settleMs = 50,
  ) {}

  mark(key: string): void {
    if (this.closed) return;
    let s = this.keys.get(key);
    if (!s) this.keys.set(key, (s = { dirty: false, running: false, lastStart: -Infinity }));
    s.dirty = true;
    this.schedule(key);
  }

  close(): void {
    this.closed = true;
    for (const s of this.keys.values()) clearTimeout(s.timer);
    this.keys.clear();
  }

  private schedule(key: string): void {
    const s = this.keys.get(key);
    if (!s || s.running || s.timer || !s.dirty || this.closed) return;
    const wait = Math.max(this.settleMs, s.lastStart + this.minGapMs - performance.now());
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.dirty = false;
      s.running = true;
      s.lastStart = performance.now();
      // The key's state stays (one small object per scope): a mark after a run must still keep the gap.
      void this.run(key).finally(() => {
        s.running = false;
        this.schedule(key);
      });
    }, wait);
    s.timer.unref?.();
  }
}
