/** A visible, announced error message. The text is rendered as text. */
export function ErrorBanner({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
