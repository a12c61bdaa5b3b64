/** A short confirmation of what just happened (the text is rendered as text); nothing when there is none. */
export function Notice({ message, testId }: { message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className="notice" data-testid={testId}>
      {message}
    </p>
  );
}
