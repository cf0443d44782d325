package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/** The usual cron mistakes get what to write instead, from Quartz's own parse errors. */
class CronSyntaxTest {

    private static String problem(String cron) {
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            return CronSyntax.invalid(cron, e);
        }
        throw new AssertionError(cron + " is valid");
    }

    @Test
    void a_unix_crontab_is_told_that_quartz_starts_with_seconds_and_given_the_quartz_form() {
        assertThat(problem("0/15 * * * *")).startsWith("cron '0/15 * * * *' is invalid: ")
                .endsWith("; it has 5 fields, as a Unix crontab, but Quartz's cron starts with seconds"
                        + " (sec min hour day-of-month month day-of-week [year]): '0 0/15 * * * ?'");
        assertThat(problem("30 6 * * MON-FRI")).endsWith(": '0 30 6 ? * MON-FRI'");
        assertThat(CronExpression.isValidExpression("0 30 6 ? * MON-FRI")).isTrue();
    }

    @Test
    void no_form_is_guessed_where_unix_and_quartz_number_the_days_differently() {
        // Unix counts Sunday as 0, Quartz as 1: "* * * * 1" means Monday in one and Sunday in the other
        assertThat(problem("0 12 * * 1")).endsWith("(sec min hour day-of-month month day-of-week [year])");
    }

    @Test
    void a_wrong_count_of_fields_and_both_day_fields_are_explained() {
        assertThat(problem("0 0 12 *")).endsWith("; Quartz's cron has 6 or 7 fields"
                + " (sec min hour day-of-month month day-of-week [year]), this one 4");
        assertThat(problem("0 0 12 1 * MON")).contains("put '?' in the other");
    }

    @Test
    void other_errors_keep_quartz_message_without_its_full_stop() {
        assertThat(problem("0 0 25 * * ?")).isEqualTo("cron '0 0 25 * * ?' is invalid: Hour values must be between 0 and 23");
        assertThat(problem("0/15 * * * *")).doesNotContain(".;");
    }
}
