// CEF escaping and the syslog frame around it: every value that could end a field or a
// line is escaped, and a frame's count is the message's byte length (UTF-8 included).
import { describe, expect, it } from 'vitest';
import { escapeCefExtension, escapeCefHeader, formatCef } from './cef';
import { escapeSdValue, formatSyslog, octetFrame } from './syslog-frame';

describe('CEF', () => {
  it('escapes | and \\ in header fields and turns line breaks into spaces', () => {
    expect(escapeCefHeader('a|b\\c\r\nd\ne')).toBe('a\\|b\\\\c d e');
  });

  it('escapes = and \\ in extension values and line breaks as \\n and \\r, leaving | alone', () => {
    expect(escapeCefExtension('k=v\\x|y\r\nz\rw')).toBe('k\\=v\\\\x|y\\r\\nz\\rw');
  });

  it('formats a header of seven fields, drops bad keys and empty values, caps the severity', () => {
    const line = formatCef({
      vendor: 'V|x',
      product: 'P',
      version: '1',
      signatureId: 'alert.raise',
      name: 'a=b',
      severity: 42,
      extension: [
        ['msg', 'one=two'],
        ['bad key', 'dropped'],
        ['empty', ''],
        ['none', undefined],
        ['cn1', 7],
      ],
    });
    expect(line).toBe('CEF:0|V\\|x|P|1|alert.raise|a=b|10|msg=one\\=two cn1=7');
  });
});

describe('RFC 5424 over TLS', () => {
  it('frames by octet count in bytes, not characters', () => {
    const frame = octetFrame('é ü');
    expect(frame.toString('utf8')).toBe('5 é ü');
  });

  it('writes PRI, version, UTC time, NILVALUE for empty fields and escaped structured data', () => {
    const line = formatSyslog({
      timeMs: Date.UTC(2026, 11, 2, 12, 0, 0, 5),
      hostname: 'mgr host',
      appName: 'wardwatch',
      msgId: '',
      severity: 'critical',
      structuredData: ['wardwatch@32473', [['eventId', 'a"b]c\\d']]],
      message: 'CEF:0|x',
    });
    expect(line).toBe(
      '<106>1 2026-12-02T12:00:00.005Z mgrhost wardwatch - - [wardwatch@32473 eventId="a\\"b\\]c\\\\d"] CEF:0|x',
    );
    expect(escapeSdValue(']')).toBe('\\]');
  });
});
