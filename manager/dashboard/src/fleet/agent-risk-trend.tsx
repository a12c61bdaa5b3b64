// The workstation's daily risk (the mean score of the windows it scored, whoever was
// signed in) with Holt's forecast and its 80 % interval, as on the overview.
import type { RiskTrend } from '@wardwatch/shared';
import { useCallback, useMemo } from 'react';
import type { ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { usePolling } from '../common/use-polling';
import { ChartFigure } from '../overview/chart-canvas';
import { trendChart } from '../overview/overview-display';

export const TREND_REFRESH_MS = 60_000;

export function AgentRiskTrend({ api, agentId }: { api: ApiClient; agentId: string }) {
  const load = useCallback(() => api.riskTrend('agent', agentId), [api, agentId]);
  const polled = usePolling<RiskTrend>(load, TREND_REFRESH_MS);
  const trend = polled.data;
  const chart = useMemo(() => (trend ? trendChart(trend) : undefined), [trend]);
  return (
    <section className="panel wide" aria-labelledby="agent-trend">
      <h2 id="agent-trend">Risk trend and forecast</h2>
      <ErrorBanner message={polled.error} />
      {trend && chart ? (
        <>
          {trend.history.length > 0 ? (
            <ChartFigure
              id="agent-risk-trend"
              title="Daily risk of this workstation"
              summary={`${trend.history.length} days observed, ${trend.forecast.length} days forecast`}
              config={chart.config}
              table={chart.table}
            />
          ) : null}
          <p className="muted" data-testid="agent-trend-method">
            {trend.history.length === 0
              ? 'No scored windows in the last 30 days.'
              : trend.forecast.length
                ? `${trend.method}. A forecast, not a verdict: it extends the recent trend.`
                : `No forecast: fewer than ${trend.minDays} days with scores.`}
          </p>
        </>
      ) : null}
    </section>
  );
}
