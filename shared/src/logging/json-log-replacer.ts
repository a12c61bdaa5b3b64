// Both services log JSON lines. JSON.stringify turns an Error into `{}` and
// throws on a bigint; this replacer keeps what a reader of the log needs.
export function jsonLogReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? value.message : { message: value.message, code };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
