package caravan.scheduling;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * The fire times of a cron in a time zone, with daylight-saving time defined:
 * <ul>
 *   <li>spring forward: wall-clock times inside the gap do not exist; if the cron names any of them, the job fires
 *       once, at the end of the gap (02:30 in Europe/Berlin on the last Sunday of March fires at 03:00+02:00);</li>
 *   <li>fall back: wall-clock times in the repeated hour fire once, at their second occurrence (02:30+01:00), as
 *       Quartz does.</li>
 * </ul>
 * Quartz's own calculation skips gap times altogether; {@link DstGapFires} adds the gap fire to the live schedule.
 */
public final class CronFires {

    private static final int MAX_SCAN_DAYS = 400;

    private final String cron;
    private final ZoneId zone;
    private final CronExpression inZone;
    private final CronExpression wallClock;

    private CronFires(String cron, ZoneId zone, CronExpression inZone, CronExpression wallClock) {
        this.cron = cron;
        this.zone = zone;
        this.inZone = inZone;
        this.wallClock = wallClock;
    }

    public static CronFires of(String cron, ZoneId zone) {
        try {
            CronExpression z = new CronExpression(cron);
            z.setTimeZone(TimeZone.getTimeZone(zone));
            CronExpression w = new CronExpression(cron);
            w.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
            return new CronFires(cron, zone, z, w);
        } catch (ParseException e) {
            throw new IllegalArgumentException(CronSyntax.invalid(cron, e), e);
        }
    }

    public String cron() {
        return cron;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire strictly after {@code after}, or null when the cron never fires again. */
    public Instant next(Instant after) {
        Date q = inZone.getNextValidTimeAfter(Date.from(after));
        Instant quartz = q == null ? null : q.toInstant();
        Instant gap = nextGapFire(after, quartz);
        return gap != null ? gap : quartz;
    }

    /** The next fire after {@code after} that Quartz's own calculation skips because it falls in a DST gap. */
    public Instant nextGapFire(Instant after, Instant before) {
        Instant limit = before != null ? before : after.plusSeconds(MAX_SCAN_DAYS * 86_400L);
        Instant t = after;
        while (true) {
            ZoneOffsetTransition tr = zone.getRules().nextTransition(t);
            if (tr == null || !tr.getInstant().isBefore(limit)) {
                return null;
            }
            if (tr.isGap() && wallClockFireIn(tr.getDateTimeBefore(), tr.getDateTimeAfter())) {
                return tr.getInstant();
            }
            t = tr.getInstant();
        }
    }

    private boolean wallClockFireIn(LocalDateTime from, LocalDateTime to) {
        Date d = wallClock.getNextValidTimeAfter(Date.from(from.minusSeconds(1).toInstant(ZoneOffset.UTC)));
        return d != null && d.toInstant().isBefore(to.toInstant(ZoneOffset.UTC));
    }

    /** Fires in {@code (after, until]}, oldest first, at most {@code limit} of them (the oldest). */
    public List<Instant> between(Instant after, Instant until, int limit) {
        List<Instant> fires = new ArrayList<>();
        Instant t = next(after);
        while (t != null && !t.isAfter(until) && fires.size() < limit) {
            fires.add(t);
            t = next(t);
        }
        return fires;
    }

    /** How many fires fall in {@code (after, until]}, counting at most {@code stopAt}. */
    public int count(Instant after, Instant until, int stopAt) {
        int n = 0;
        Instant t = next(after);
        while (t != null && !t.isAfter(until) && n < stopAt) {
            n++;
            t = next(t);
        }
        return n;
    }

    /** The newest {@code keep} fires in {@code (after, until]} (oldest first) and how many there were in all. */
    public Missed newest(Instant after, Instant until, int keep) {
        java.util.ArrayDeque<Instant> window = new java.util.ArrayDeque<>();
        int total = 0;
        Instant t = next(after);
        while (t != null && !t.isAfter(until)) {
            total++;
            window.addLast(t);
            if (window.size() > Math.max(1, keep)) {
                window.removeFirst();
            }
            t = next(t);
        }
        return new Missed(List.copyOf(window), total);
    }

    /** Missed fires: the newest of them (oldest first) and their total count. */
    public record Missed(List<Instant> newest, int total) {
    }

    /** The next {@code count} fires after {@code after}, in the job's zone with their offset. */
    public List<java.time.OffsetDateTime> upcoming(Instant after, int count) {
        List<java.time.OffsetDateTime> out = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < count; i++) {
            t = next(t);
            if (t == null) {
                break;
            }
            out.add(t.atZone(zone).toOffsetDateTime());
        }
        return out;
    }
}
