// Runs `op(i)` at a steady rate for a while, catching up in small bursts when the
// timer is late (so the rate holds on a busy machine). Returns the count done.
export async function paced(ratePerSecond: number, seconds: number, op: (i: number) => void): Promise<number> {
  const total = Math.round(ratePerSecond * seconds);
  const start = performance.now();
  let done = 0;
  while (done < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1_000) * ratePerSecond) + 1);
    while (done < due) op(done++);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done;
}
