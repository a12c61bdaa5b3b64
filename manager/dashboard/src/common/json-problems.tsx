// What an editor's JSON check found (json-text.ts), each problem by its path, announced and
// rendered as text. `testId` names the editor: `<testId>-problems`, `<testId>-problem`.
import type { Problem } from './json-text';

export function JsonProblems({ problems, testId }: { problems: readonly Problem[]; testId: string }) {
  return (
    <ul className="error" role="alert" data-testid={`${testId}-problems`}>
      {problems.map((problem, i) => (
        <li key={i} data-testid={`${testId}-problem`}>
          <span className="mono strong">{problem.path}</span>: {problem.message}
        </li>
      ))}
    </ul>
  );
}
