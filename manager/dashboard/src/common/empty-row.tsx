import type { ReactNode } from 'react';
import { shownColumns, type Columns } from './column-heads';

/** The one row a table shows when it has nothing to list, across the table's columns. */
export function EmptyRow({ show, columns, children }: { show: boolean; columns: Columns; children: ReactNode }) {
  if (!show) return null;
  return (
    <tr>
      <td colSpan={shownColumns(columns)} className="empty">
        {children}
      </td>
    </tr>
  );
}
