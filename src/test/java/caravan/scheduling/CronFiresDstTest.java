package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Daylight-saving behaviour, computed with fixed instants: no waiting. */
class CronFiresDstTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static List<String> fires(String cron, ZoneId zone, String after, String until) {
        return CronFires.of(cron, zone).between(Instant.parse(after), Instant.parse(until), 1000).stream()
                .map(i -> i.atZone(zone).toOffsetDateTime().toString()).toList();
    }

    @Test
    void a_daily_fire_inside_the_berlin_spring_forward_gap_runs_once_right_after_the_gap() {
        assertThat(fires("0 30 2 * * ?", BERLIN, "2026-03-28T00:00:00Z", "2026-03-30T12:00:00Z"))
                .containsExactly("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00");
    }

    @Test
    void a_daily_fire_in_the_berlin_fall_back_hour_runs_once_not_twice() {
        assertThat(fires("0 30 2 * * ?", BERLIN, "2026-10-24T12:00:00Z", "2026-10-25T23:00:00Z"))
                .containsExactly("2026-10-25T02:30+01:00");
    }

    @Test
    void a_daily_fire_inside_the_new_york_spring_forward_gap_runs_once_right_after_the_gap() {
        assertThat(fires("0 30 2 * * ?", NEW_YORK, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z"))
                .containsExactly("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00");
    }

    @Test
    void a_daily_fire_in_the_new_york_fall_back_hour_runs_once_not_twice() {
        assertThat(fires("0 30 1 * * ?", NEW_YORK, "2026-10-31T12:00:00Z", "2026-11-01T23:00:00Z"))
                .containsExactly("2026-11-01T01:30-05:00");
    }

    @Test
    void half_hourly_fires_in_the_gap_collapse_into_the_fire_at_the_end_of_the_gap() {
        assertThat(fires("0 0/30 * * * ?", BERLIN, "2026-03-29T00:00:00Z", "2026-03-29T01:30:00Z"))
                .containsExactly("2026-03-29T01:30+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00");
    }

    @Test
    void an_hourly_cron_fires_each_wall_clock_hour_of_the_fall_back_night_once() {
        assertThat(fires("0 0 * * * ?", NEW_YORK, "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z"))
                .containsExactly("2026-11-01T01:00-05:00", "2026-11-01T02:00-05:00", "2026-11-01T03:00-05:00");
    }

    @Test
    void the_next_three_fires_are_shown_in_the_job_zone_with_their_offset() {
        List<OffsetDateTime> next = CronFires.of("0 30 2 * * ?", BERLIN).upcoming(Instant.parse("2026-03-27T12:00:00Z"), 3);
        assertThat(next).extracting(OffsetDateTime::toString)
                .containsExactly("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00");
        List<OffsetDateTime> ny = CronFires.of("0 30 1 * * ?", NEW_YORK).upcoming(Instant.parse("2026-10-31T12:00:00Z"), 3);
        assertThat(ny).extracting(OffsetDateTime::toString)
                .containsExactly("2026-11-01T01:30-05:00", "2026-11-02T01:30-05:00", "2026-11-03T01:30-05:00");
    }

    @Test
    void catch_up_policies_pick_their_fires_from_the_missed_ones() {
        List<Instant> missed = List.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T01:00:00Z"),
                Instant.parse("2026-01-01T02:00:00Z"));
        assertThat(CatchUpPolicy.SKIP.select(missed, 10)).isEmpty();
        assertThat(CatchUpPolicy.LAST.select(missed, 10)).containsExactly(missed.get(2));
        assertThat(CatchUpPolicy.ALL.select(missed, 10)).containsExactlyElementsOf(missed);
        assertThat(CatchUpPolicy.ALL.select(missed, 2)).containsExactly(missed.get(1), missed.get(2));
    }
}
