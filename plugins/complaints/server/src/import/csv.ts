/**
 * A streaming CSV parser (RFC 4180, as Excel writes it): quoted cells with embedded commas,
 * quotes ("") and line breaks; CRLF, LF or CR line ends. The delimiter is the one of comma, tab
 * or semicolon that the first line uses most (Excel's "Unicode text" export is tab-separated).
 * Text in, records (arrays of strings) out, chunk by chunk.
 */
export class CsvParser {
  private delimiter: string | null;
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  /** The previous character was a closing quote candidate inside a quoted field. */
  private quotePending = false;
  private lastWasCR = false;
  private pendingHead = '';

  constructor(delimiter?: string) {
    this.delimiter = delimiter ?? null;
  }

  private detect(text: string): string {
    let line = '';
    let quoted = false;
    for (const ch of text) {
      if (ch === '"') quoted = !quoted;
      if (!quoted && (ch === '\n' || ch === '\r')) break;
      line += quoted ? '' : ch;
    }
    const count = (d: string) => line.split(d).length - 1;
    const candidates: Array<[string, number]> = [[',', count(',')], ['\t', count('\t')], [';', count(';')]];
    candidates.sort((a, b) => b[1] - a[1]);
    return candidates[0][1] > 0 ? candidates[0][0] : ',';
  }

  /** Feeds text; returns the records completed by it. */
  push(text: string): string[][] {
    if (this.delimiter === null) {
      // Wait for the whole first line before choosing the delimiter.
      this.pendingHead += text;
      if (!/[\r\n]/.test(this.pendingHead.replace(/"[^"]*"/g, '')) && this.pendingHead.length < 1 << 20) return [];
      this.delimiter = this.detect(this.pendingHead);
      text = this.pendingHead;
      this.pendingHead = '';
    }
    const out: string[][] = [];
    const d = this.delimiter;
    let field = this.field;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i];
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          this.inQuotes = false;
          // fall through: the character after a closing quote is handled outside quotes
        } else if (ch === '"') {
          this.quotePending = true;
          continue;
        } else {
          field += ch;
          continue;
        }
      }
      if (ch === '\n' && this.lastWasCR) {
        this.lastWasCR = false;
        continue;
      }
      this.lastWasCR = false;
      if (ch === '"' && field === '') {
        this.inQuotes = true;
      } else if (ch === d) {
        this.record.push(field);
        field = '';
      } else if (ch === '\n' || ch === '\r') {
        this.record.push(field);
        field = '';
        out.push(this.record);
        this.record = [];
        this.lastWasCR = ch === '\r';
      } else {
        field += ch;
      }
    }
    this.field = field;
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): string[][] {
    let out: string[][] = [];
    if (this.delimiter === null) {
      const head = this.pendingHead;
      this.pendingHead = '';
      this.delimiter = this.detect(head);
      out = this.push(head);
    }
    if (this.field !== '' || this.record.length > 0 || (this.inQuotes && this.quotePending)) {
      this.record.push(this.field);
      out.push(this.record);
    }
    this.inQuotes = false;
    this.quotePending = false;
    this.field = '';
    this.record = [];
    return out;
  }
}
