// Runs `f` with a service's clock (`now`, epoch ms) stopped at `ms`, then puts the real one back.
export async function atTime<T>(service: { now: () => number }, ms: number, f: () => Promise<T>): Promise<T> {
  const real = service.now;
  service.now = () => ms;
  try {
    return await f();
  } finally {
    service.now = real;
  }
}
