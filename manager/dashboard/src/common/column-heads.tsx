/** A column's head: its label, or how it shows (a number column aligns right; a hidden label is for screen readers only). */
export type ColumnHead = string | { label: string; numeric?: boolean; title?: string; hidden?: boolean };

/** A table's row of column heads; a column that is `false` (not the reader's to see) is left out. */
export function ColumnHeads({ columns }: { columns: readonly (ColumnHead | false)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          if (column === false) return null;
          const { label, numeric, title, hidden } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={label} scope="col" className={numeric ? 'num' : undefined} title={title}>
              {hidden ? <span className="visually-hidden">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
