// The ATT&CK techniques the shipped rules detect (shared/src/attack), and how many alerts
// in the range their rules were behind: a table, as the list is short and names matter.
import type { TechniqueCoverage } from '@wardwatch/shared';
import { ColumnHeads } from '../common/column-heads';

export function AttackCoverageTable({ coverage }: { coverage: readonly TechniqueCoverage[] }) {
  const fired = coverage.filter((t) => t.alerts > 0).length;
  return (
    <section className="attack" aria-labelledby="attack-title">
      <h2 id="attack-title">ATT&amp;CK coverage of the shipped rules</h2>
      <p className="muted" data-testid="attack-summary">
        {`${coverage.length} techniques covered by rules; ${fired} behind alerts in this range`}
      </p>
      <div className="table-wrap">
        <table data-testid="attack-table">
          <ColumnHeads columns={['Technique', 'Tactic', 'Rules', 'Alerts']} />
          <tbody>
            {coverage.map((t) => (
              <tr key={t.id} data-testid="attack-row" data-technique={t.id}>
                <td>
                  {t.id} {t.name}
                </td>
                <td>{t.tactic}</td>
                <td>{t.rules.join(', ')}</td>
                <td data-testid="attack-alerts">{t.alerts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
