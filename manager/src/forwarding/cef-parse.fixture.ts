// A CEF reader for the tests, as a SIEM would read a line: seven header fields split on
// unescaped `|`, then key=value pairs split before each unescaped `key=`.
export function parseCef(line: string): { header: string[]; ext: Record<string, string> } {
  const header: string[] = [];
  let field = '';
  let i = 0;
  for (; i < line.length && header.length < 7; i++) {
    const c = line[i];
    if (c === '\\' && header.length > 0) field += line[++i];
    else if (c === '|') {
      header.push(field);
      field = '';
    } else field += c;
  }
  const ext: Record<string, string> = {};
  for (const pair of line.slice(i).split(/ (?=[A-Za-z0-9_]+=)/)) {
    const at = pair.indexOf('=');
    ext[pair.slice(0, at)] = pair
      .slice(at + 1)
      .replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  }
  return { header, ext };
}
