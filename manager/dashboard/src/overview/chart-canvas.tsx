// The one wrapper around Chart.js (see ../../README.md, "Charts", for why Chart.js):
// a canvas the library draws on, labelled for assistive technology, and beside it the
// same numbers as a visually hidden table, so a screen reader (and a test) reads the
// figures, not a picture. Chart.js writes no HTML: labels are drawn as canvas text, so
// workstation strings never become markup. Registration happens on first use, not at
// import, and only of the pieces the overview uses (tree-shaken by Vite).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { ColumnHeads } from '../common/column-heads';

let registered = false;

function registerOnce(): void {
  if (registered) return;
  Chart.register(
    BarController,
    BarElement,
    CategoryScale,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Filler,
    Legend,
    Tooltip,
  );
  registered = true;
}

export interface DataTable {
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

export function ChartFigure(props: {
  id: string;
  title: string;
  /** One sentence saying what the chart shows, for the canvas's accessible name. */
  summary: string;
  config: ChartConfiguration;
  table: DataTable;
  tall?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const { config } = props;

  useEffect(() => {
    registerOnce();
    const element = canvas.current;
    if (!element) return;
    chart.current = new Chart(element, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config]);

  return (
    <figure className="chart" data-testid={`chart-${props.id}`}>
      <figcaption>{props.title}</figcaption>
      <div className={props.tall ? 'chart-box tall' : 'chart-box'}>
        <canvas ref={canvas} role="img" aria-label={`${props.title}: ${props.summary}`} />
      </div>
      <table className="visually-hidden" data-testid={`table-${props.id}`}>
        <caption>{props.title}</caption>
        <ColumnHeads columns={props.table.columns} />
        <tbody>
          {props.table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
