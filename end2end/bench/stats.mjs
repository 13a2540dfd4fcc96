// Shared by the benchmarks: summary statistics of samples and a wait on a test id's text.

/** The nearest-rank quantile `q` (0..1) of an ascending array. */
export function quantile(sorted, q) {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/**
 * n, median, p90, p99, min, max and mean of the numbers among `samples` (others are skipped),
 * rounded to `decimals` places; null when there are none.
 */
export function summarize(samples, decimals = 2) {
  const s = samples.filter((x) => typeof x === 'number').sort((x, y) => x - y);
  if (s.length === 0) return null;
  const k = 10 ** decimals;
  const r = (x) => Math.round(x * k) / k;
  return {
    n: s.length,
    median: r(quantile(s, 0.5)),
    p90: r(quantile(s, 0.9)),
    p99: r(quantile(s, 0.99)),
    min: r(s[0]),
    max: r(s[s.length - 1]),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** Wait until the element with data-testid `testId` reads exactly `text`. */
export async function waitForText(page, testId, text, timeout = 20_000) {
  await page.waitForFunction(
    ([id, t]) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim() === t,
    [testId, text],
    { timeout },
  );
}
