package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The CLI's tables: aligned columns, a dash for nothing, and optional columns only when a row fills them. */
class TableTest {

    private static String print(Table table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void an_optional_column_is_left_out_when_no_row_has_a_value_in_it() {
        Table table = new Table("JOB", "OPTIONS", "LAST").optional("OPTIONS");
        table.row("a", "", "ok").row("bb", null, null);

        assertThat(print(table)).isEqualTo("JOB  LAST\na    ok\nbb   -\n");
    }

    @Test
    void an_optional_column_a_row_fills_is_shown_with_the_others_cells_blank_or_dashed() {
        Table table = new Table("JOB", "OPTIONS", "LAST").optional("OPTIONS");
        table.row("a", "", "ok").row("bb", "run timeout 5m", null).row("c", null, "ok");

        assertThat(print(table)).isEqualTo("JOB  OPTIONS         LAST\na                    ok\nbb   run timeout 5m  -\nc    -               ok\n");
    }
}
