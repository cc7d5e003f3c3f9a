// A chart's numbers as a table, behind a "Data table" toggle (<details>): the text alternative a screen reader or a
// curious reader can open. Each cell keeps the exact number in data-value; the text is rounded for reading.
export interface TableColumn {
  name: string;
  format: (value: number) => string;
}

export interface TableRow {
  /** The row's heading (a time, a version). */
  head: string;
  /** The row's exact x (epoch ms, a version), kept in data-x. */
  key?: number;
  values: Array<number | null>;
}

export function dataTable(caption: string, headColumn: string, columns: readonly TableColumn[], rows: readonly TableRow[], open = false): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = 'data-table';
  details.open = open;
  const summary = document.createElement('summary');
  summary.textContent = `Data table (${rows.length} row${rows.length === 1 ? '' : 's'})`;
  const wrap = document.createElement('div');
  wrap.className = 'table-scroll';
  const table = document.createElement('table');
  table.createCaption().textContent = caption;
  const headRow = table.createTHead().insertRow();
  for (const name of [headColumn, ...columns.map((c) => c.name)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    headRow.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (row.key !== undefined) tr.dataset.x = String(row.key);
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = row.head;
    tr.append(th);
    row.values.forEach((value, i) => {
      const td = tr.insertCell();
      if (value === null) {
        td.textContent = '–';
        return;
      }
      td.dataset.value = String(value);
      td.textContent = columns[i].format(value);
    });
  }
  wrap.append(table);
  details.append(summary, wrap);
  return details;
}
