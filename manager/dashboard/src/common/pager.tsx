// Previous / next under a paged list, with the page number; `testId` names the pair.
import type { CursorPages } from './cursor-pages';

export function Pager(props: { pages: CursorPages; nextCursor: string | undefined; label: string; testId: string }) {
  const { pages, nextCursor, label, testId } = props;
  if (pages.page === 1 && nextCursor === undefined) return null;
  return (
    <nav className="pager" aria-label={label} data-testid={testId}>
      <button type="button" disabled={pages.page === 1} onClick={pages.previous} data-testid={`${testId}-previous`}>
        Previous
      </button>
      <span className="muted" data-testid={`${testId}-page`}>
        page {pages.page}
      </span>
      <button
        type="button"
        disabled={nextCursor === undefined}
        onClick={() => nextCursor !== undefined && pages.next(nextCursor)}
        data-testid={`${testId}-next`}
      >
        Next
      </button>
    </nav>
  );
}
