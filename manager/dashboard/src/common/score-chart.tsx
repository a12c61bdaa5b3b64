// A small inline SVG line chart of risk scores over time, drawn by us (no chart
// library yet): the threshold dashed, the alert's own windows as larger dots, each
// dot's score and time in its title (SVG text, never markup).
import { formatAbsolute } from './format';
import { chartGeometry, type ChartPoint } from './score-chart-geometry';

const BOX = { width: 560, height: 140, pad: 10 };

export function ScoreChart(props: { points: readonly ChartPoint[]; threshold?: number; label: string }) {
  const { points, threshold, label } = props;
  if (points.length === 0) return <p className="muted">No scores around this alert.</p>;
  const g = chartGeometry(points, threshold, BOX);
  return (
    <svg
      className="score-chart"
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      role="img"
      aria-label={label}
      data-testid="score-chart"
      preserveAspectRatio="none"
    >
      <rect x={0} y={0} width={BOX.width} height={BOX.height} className="score-chart-frame" />
      {g.thresholdY === undefined ? null : (
        <line
          x1={BOX.pad}
          x2={BOX.width - BOX.pad}
          y1={g.thresholdY}
          y2={g.thresholdY}
          className="score-chart-threshold"
          data-testid="score-chart-threshold"
        />
      )}
      <polyline points={g.line} className="score-chart-line" fill="none" />
      {g.points.map((p, index) => (
        <circle
          key={index}
          cx={p.x}
          cy={p.y}
          r={p.marked ? 5 : 3}
          className={p.marked ? 'score-chart-dot marked' : 'score-chart-dot'}
          data-testid="score-chart-point"
        >
          <title>{`${p.score.toFixed(0)} · ${formatAbsolute(p.at)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
