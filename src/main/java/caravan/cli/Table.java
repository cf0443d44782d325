package caravan.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plain text table with aligned columns, as {@code caravan jobs} and {@code caravan history} print. An optional
 * column is left out when no row has anything in it; an empty cell of a column shown prints as {@code -}, or blank
 * when it was an empty text.
 */
final class Table {

    private final List<String> headers;
    private final Set<String> optional = new HashSet<>();
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** The column is printed only when a row has a value there (not null, not empty). */
    Table optional(String header) {
        if (!headers.contains(header)) {
            throw new IllegalArgumentException("No column " + header);
        }
        optional.add(header);
        return this;
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? null : c.toString());
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            if (!optional.contains(headers.get(i)) || hasValues(i)) {
                shown.add(i);
            }
        }
        int[] widths = new int[shown.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(shown.get(i)).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], cell(r, shown.get(i)).length());
            }
        }
        line(out, shown.stream().map(headers::get).toList(), widths);
        rows.forEach(r -> line(out, shown.stream().map(i -> cell(r, i)).toList(), widths));
        out.flush();
    }

    private boolean hasValues(int column) {
        return rows.stream().anyMatch(r -> r.get(column) != null && !r.get(column).isEmpty());
    }

    private static String cell(List<String> row, int column) {
        String cell = row.get(column);
        return cell == null ? "-" : cell;
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            sb.append(i == cells.size() - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
        }
        out.println(sb.toString().stripTrailing());
    }
}
