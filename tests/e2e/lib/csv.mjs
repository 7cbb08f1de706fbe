// A strict RFC 4180 reader, so "the download parses as CSV" means something: quoted fields,
// doubled quotes, CRLF or LF rows; an unterminated quote is an error.

export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('CSV: a quoted field never ends');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const width = rows[0]?.length;
  rows.forEach((r, n) => {
    if (r.length !== width) throw new Error(`CSV: row ${n + 1} has ${r.length} fields, the header ${width}`);
  });
  return rows;
}
