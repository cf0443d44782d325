package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host limiter, the adaptive throttle, robots.txt rules and Link headers, without Camel running. */
class PolitenessTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void a_full_queue_makes_the_next_caller_wait_for_room_but_never_a_thread_of_the_limiter() throws Exception {
        List<Runnable> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        HostLimiter limiter = new HostLimiter(1, host -> 1, 0, null, timer, ran::add, now::get, 2);
        java.util.concurrent.atomic.AtomicBoolean ownQueued = new java.util.concurrent.atomic.AtomicBoolean();
        assertThat(limiter.tryStart("a:80", () -> { })).isTrue();
        assertThat(limiter.tryStart("a:80", () -> ownQueued.set(!limiter.tryStart("a:80", () -> { })))).isFalse();
        assertThat(limiter.tryStart("a:80", () -> { })).isFalse();
        assertThat(limiter.waiting()).isEqualTo(2);

        java.util.concurrent.atomic.AtomicBoolean branchQueued = new java.util.concurrent.atomic.AtomicBoolean();
        Thread branch = new Thread(() -> branchQueued.set(!limiter.tryStart("a:80", () -> { })), "branch");
        branch.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waits(branch));
        assertThat(limiter.waiting()).as("the caller waits; nothing more is queued").isEqualTo(2);
        assertThat(limiter.tryStartWithoutBlocking("a:80", () -> { })).as("a redelivery is queued over the bound").isFalse();
        assertThat(limiter.waiting()).isEqualTo(3);

        limiter.finished("a:80", 1000, 200);
        assertThat(ran).hasSize(1);
        ran.get(0).run(); // on the limiter's runner: its own next request is queued at once, the queue full or not
        assertThat(ownQueued).isTrue();
        assertThat(limiter.waiting()).isEqualTo(3);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waits(branch));
        assertThat(branch.isAlive()).as("still no room for the branch").isTrue();

        limiter.finished("a:80", 1000, 200);
        limiter.finished("a:80", 1000, 200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !branch.isAlive());
        assertThat(branchQueued).isTrue();
        assertThat(limiter.waiting()).isEqualTo(2);
    }

    /** Waiting for room (the limiter looks at its reports now and then while it waits). */
    private static boolean waits(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING;
    }

    @Test
    void a_finished_request_is_reported_without_waiting_for_the_lock_and_applied_by_the_thread_that_holds_it() throws Exception {
        List<Runnable> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean holdTheLock = new java.util.concurrent.atomic.AtomicBoolean();
        // the clock is read under the limiter's lock: a clock that stops keeps a caller inside
        java.util.function.LongSupplier clock = () -> {
            if (holdTheLock.compareAndSet(true, false)) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return now.get();
        };
        HostLimiter limiter = new HostLimiter(1, host -> 1, 0, null, timer, ran::add, clock, 10);
        assertThat(limiter.tryStart("a:80", () -> { })).isTrue();
        java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();
        holdTheLock.set(true);
        Thread branch = new Thread(() -> queued.set(!limiter.tryStart("a:80", () -> { })), "branch");
        branch.start();
        assertThat(inside.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        // as an HTTP client's I/O thread does: it must not wait for the branch to leave the lock
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> limiter.finished("a:80", 1000, 200));
        assertThat(ran).isEmpty();

        release.countDown();
        branch.join(5000);
        assertThat(queued).as("the branch found the slot still taken and queued its request").isTrue();
        // the branch applied the report on its way out: the slot is free again and its queued request starts
        assertThat(ran).hasSize(1);
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.waiting()).isZero();
    }

    @Test
    void a_closed_gate_holds_new_requests_and_counts_replies_still_being_handled_until_it_reopens() {
        List<Runnable> ran = new ArrayList<>();
        HostLimiter limiter = new HostLimiter(10, 10, 0, null, timer, ran::add, now::get);
        java.util.concurrent.atomic.AtomicInteger room = new java.util.concurrent.atomic.AtomicInteger(2);
        List<Integer> asked = new ArrayList<>();
        limiter.gate(pending -> {
            asked.add(pending);
            return room.get() > pending;
        });
        assertThat(limiter.tryStart("a:80", () -> { })).isTrue();
        limiter.runOnOwnThread(() -> { }); // a reply being handled, not yet run
        assertThat(limiter.tryStart("a:80", () -> { })).as("one in flight and one handled fill the room").isFalse();
        assertThat(asked).endsWith(2);

        room.set(5);
        limiter.reopened();
        assertThat(ran).as("the handled reply, then the held request").hasSize(2);
        assertThat(limiter.inFlight()).isEqualTo(2);
    }

    @Test
    void the_limiter_admits_up_to_the_per_host_cap_and_queues_the_rest_without_a_thread() {
        List<Runnable> ran = new ArrayList<>();
        HostLimiter limiter = new HostLimiter(10, 2, 0, null, timer, ran::add, now::get);
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            if (limiter.tryStart("a:80", () -> started.add("queued " + n))) {
                started.add("now " + n);
            }
        }
        assertThat(limiter.tryStart("b:80", () -> { })).as("another host has its own cap").isTrue();
        assertThat(started).containsExactly("now 0", "now 1");
        limiter.finished("a:80", 1000, 200);
        assertThat(ran).hasSize(1);
        ran.get(0).run();
        assertThat(started).containsExactly("now 0", "now 1", "queued 2");
        assertThat(limiter.inFlight()).isEqualTo(3);
    }

    @Test
    void a_queued_request_that_never_blocks_starts_on_the_sender_and_the_others_on_the_runner() {
        List<Runnable> onRunner = new ArrayList<>();
        List<Runnable> onSender = new ArrayList<>();
        HostLimiter limiter = new HostLimiter(10, host -> 1, 0, null, timer, onRunner::add, onSender::add, now::get, 100);
        List<String> started = new ArrayList<>();
        assertThat(limiter.tryStart("a:80", () -> { })).isTrue();
        assertThat(limiter.tryStart("a:80", (HostLimiter.NonBlocking) () -> started.add("non-blocking"))).isFalse();
        assertThat(limiter.tryStart("a:80", () -> started.add("blocking"))).isFalse();

        limiter.finished("a:80", 1000, 200);
        assertThat(onSender).hasSize(1);
        assertThat(onRunner).isEmpty();
        onSender.get(0).run();
        limiter.finished("a:80", 1000, 200);
        assertThat(onRunner).hasSize(1);
        onRunner.get(0).run();
        assertThat(started).containsExactly("non-blocking", "blocking");
    }

    @Test
    void the_limiter_holds_the_global_cap_across_hosts() {
        List<Runnable> ran = new ArrayList<>();
        HostLimiter limiter = new HostLimiter(2, 8, 0, null, timer, ran::add, now::get);
        assertThat(limiter.tryStart("a:80", () -> { })).isTrue();
        assertThat(limiter.tryStart("b:80", () -> { })).isTrue();
        assertThat(limiter.tryStart("c:80", () -> { })).isFalse();
        limiter.finished("a:80", 1000, 200);
        assertThat(ran).hasSize(1);
    }

    @Test
    void the_adaptive_throttle_aims_at_latency_over_target_and_never_speeds_up_on_errors() {
        AutoThrottle t = new AutoThrottle(2.0, Duration.ZERO, Duration.ofSeconds(30));
        long start = t.startNanos();
        assertThat(start).isEqualTo(Duration.ofSeconds(1).toNanos());
        long fast = t.next(start, Duration.ofMillis(200).toNanos(), 200);
        assertThat(fast).isEqualTo((start + Duration.ofMillis(100).toNanos()) / 2);
        assertThat(t.next(fast, Duration.ofMillis(10).toNanos(), 500)).as("no speed-up on an error").isEqualTo(fast);
        assertThat(t.next(fast, Duration.ofSeconds(4).toNanos(), 200)).as("slower when latency grows")
                .isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(t.next(fast, 1000, 429)).as("429 doubles").isEqualTo(Math.max(fast * 2, start));
        assertThat(t.next(Duration.ofSeconds(20).toNanos(), 1000, 503)).isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void robots_rules_pick_our_group_else_the_star_group_and_the_longest_match_wins() {
        String robots = """
                User-agent: *
                Disallow: /private
                Allow: /private/open
                Disallow: /*.pdf$

                User-agent: OtherBot
                Disallow: /
                """;
        RobotsRules rules = RobotsRules.parse(robots, "caravan");
        assertThat(rules.allows("/")).isTrue();
        assertThat(rules.allows("/private/x")).isFalse();
        assertThat(rules.allows("/private/open/page")).isTrue();
        assertThat(rules.allows("/docs/a.pdf")).isFalse();
        assertThat(rules.allows("/docs/a.pdf?x=1")).isTrue();
        RobotsRules ours = RobotsRules.parse(robots + "\nUser-agent: Caravan\nDisallow: /slow\n", "caravan");
        assertThat(ours.allows("/private/x")).as("our own group replaces *").isTrue();
        assertThat(ours.allows("/slow/1")).isFalse();
    }

    @Test
    void the_link_header_gives_the_next_page_or_null_on_the_last() {
        String github = "<https://api.github.com/repositories/515435940/issues?per_page=3&page=2>; rel=\"next\", "
                + "<https://api.github.com/repositories/515435940/issues?per_page=3&page=5>; rel=\"last\"";
        assertThat(LinkHeader.next(github)).isEqualTo("https://api.github.com/repositories/515435940/issues?per_page=3&page=2");
        assertThat(LinkHeader.next("<https://x/?page=1>; rel=\"prev\", <https://x/?page=1>; rel=\"first\"")).isNull();
        assertThat(LinkHeader.next(null)).isNull();
        assertThat(LinkHeader.rel("<http://localhost:3000/a?max_id=1>; rel=\"next\", <http://localhost:3000/a?min_id=2>; rel=\"prev\"",
                "prev")).isEqualTo("http://localhost:3000/a?min_id=2");
    }
}
