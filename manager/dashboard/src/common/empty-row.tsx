import type { ReactNode } from 'react';

/** The one row a table shows when it has nothing to list. */
export function EmptyRow({ show, columns, children }: { show: boolean; columns: number; children: ReactNode }) {
  if (!show) return null;
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {children}
      </td>
    </tr>
  );
}
