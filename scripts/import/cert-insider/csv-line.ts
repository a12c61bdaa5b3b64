// One CSV record split into fields (RFC 4180): a quoted field may hold commas,
// doubled quotes and line breaks. Files are read line by line so that a 14 GB
// file streams; a line that ends inside a quoted field is told apart from a
// malformed one so that the reader can join it with the next lines.

/**
 * The fields of one record (without its last line break): 'unterminated' when it ends inside a
 * quoted field (the record may go on on the next line), 'malformed' for text after a closing
 * quote. A quote inside an unquoted field is kept as it is (lenient, as most writers produce it).
 */
export function parseCsvRecord(text: string): string[] | 'unterminated' | 'malformed' {
  // The common case, and most of a large file: no quotes at all.
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return 'unterminated';
        value += text.slice(from, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',') return 'malformed';
      i += 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** The fields of one line, or null when it is not a whole, valid record. */
export function parseCsvLine(line: string): string[] | null {
  const fields = parseCsvRecord(line);
  return Array.isArray(fields) ? fields : null;
}
