/** A column's head: its label, or how it shows (a number column aligns right; a hidden label is for screen readers only). */
type ColumnHead = string | { label: string; numeric?: boolean; title?: string; hidden?: boolean };

/** A table's columns; a column that is `false` (not the reader's to see) is left out. */
export type Columns = readonly (ColumnHead | false)[];

/** How many columns show: what a cell spanning the table spans. */
export function shownColumns(columns: Columns): number {
  return columns.filter((column) => column !== false).length;
}

/** A table's row of column heads. */
export function ColumnHeads({ columns }: { columns: Columns }) {
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
