// Reads one series of a ManagerMetrics registry in tests: the sum of the values
// whose labels include `labels` (histograms: their `_count`).
import type { ManagerMetrics } from '../metrics/manager-metrics';

export async function metricValue(
  metrics: ManagerMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const values = (await metric.get()).values as Series[];
  type Series = { labels: object; value: number; metricName?: string };
  const wanted = (series: Series) =>
    Object.entries(labels).every(([k, v]) => (series.labels as Record<string, unknown>)[k] === v) &&
    (series.metricName === undefined || series.metricName === name || series.metricName === `${name}_count`);
  const matching = values.filter(wanted);
  const counts = matching.filter((series) => series.metricName === `${name}_count`);
  return (counts.length > 0 ? counts : matching).reduce((sum, series) => sum + series.value, 0);
}
