// One physical CSV line split into fields (RFC 4180): a quoted field may hold
// commas and doubled quotes. Records are read line by line so that a 14 GB file
// streams, which means a quoted field spanning lines cannot be joined: the line
// is reported as malformed (null) and the caller counts it as a bad row.

/**
 * The fields of one line (without its line break), or null when it is not valid CSV:
 * an unterminated quoted field, or text after a closing quote. A quote inside an
 * unquoted field is kept as it is (lenient, as most writers produce it).
 */
export function parseCsvLine(line: string): string[] | null {
  // The common case, and most of a large file: no quotes at all.
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) return null;
        value += line.slice(from, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ',') return null;
      i += 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}
