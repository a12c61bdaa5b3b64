// Reads the text back out of an uncompressed pdfkit PDF (`compress: false`): the
// standard fonts write each line as a TJ array of hex strings (WinAnsi codes) split
// at kerning adjustments; joining the hex runs of one array gives the line back.
export interface PdfFacts {
  header: string;
  trailer: boolean;
  pages: number;
  lines: string[];
}

export function readPdf(pdf: Buffer): PdfFacts {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const match of raw.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)) {
    const hex = [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
    lines.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return {
    header: raw.slice(0, 8),
    trailer: /trailer\s*<<[\s\S]*\/Root[\s\S]*>>\s*startxref\s*\d+\s*%%EOF\s*$/.test(raw),
    pages: (raw.match(/\/Type \/Page\b/g) ?? []).length,
    lines,
  };
}
