/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Columns the table may take in all; default 80 (a terminal's `columns` when known). */
  readonly width?: number;
}

const MIN_COLUMN = 6;

/** Display width of a cell: code points (the tables hold ASCII and a few arrows, no wide characters). */
function widthOf(text: string): number {
  return [...text].length;
}

/** Splits `text` into lines of at most `width` columns, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      let rest = word;
      // A word longer than the column is cut (URLs, hashes).
      while (widthOf(rest) > width) {
        if (line) lines.push(line);
        line = "";
        const chars = [...rest];
        lines.push(chars.slice(0, width).join(""));
        rest = chars.slice(width).join("");
      }
      if (!line) line = rest;
      else if (widthOf(line) + 1 + widthOf(rest) <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Renders rows as a `| a | b |` table no wider than `options.width`: the widest columns give way first
 * and their cells wrap onto continuation lines.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const limit = Math.max(options.width ?? 80, header.length * (MIN_COLUMN + 3) + 1);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => Math.max(...(cells[column] ?? "").split("\n").map(widthOf)))));
  // Borders and padding: "| " before each cell, " |" after the last, " | " between.
  const frame = header.length * 3 + 1;
  while (widths.reduce((sum, width) => sum + width, 0) + frame > limit) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]!--;
  }
  const out: string[] = [];
  const emit = (cells: readonly string[]) => {
    const wrapped = widths.map((width, column) => wrapText(cells[column] ?? "", width));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    for (let line = 0; line < height; line++) {
      out.push(`| ${wrapped.map((lines, column) => (lines[line] ?? "").padEnd(widths[column]! + (lines[line] ?? "").length - widthOf(lines[line] ?? ""))).join(" | ")} |`);
    }
  };
  emit(header);
  out.push(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) emit(row);
  return `${out.join("\n")}\n`;
}
