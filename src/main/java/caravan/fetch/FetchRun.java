package caravan.fetch;

import caravan.http.Backoff;
import caravan.http.FailureKind;
import caravan.http.PoliteGet;
import caravan.http.RetryAfter;
import caravan.http.Validators;
import caravan.runs.ActiveRun;
import caravan.runs.RunHeaders;
import caravan.store.DeadLetterKind;
import caravan.store.DeadLetterStore;
import caravan.store.ResultStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.EventHelper;
import org.apache.camel.util.UnsafeUriCharactersEncoder;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.slf4j.MDC;

/**
 * One fetch step of one run: pulls items from the body as requests free up (a streamed body is never read ahead by
 * more than the in-flight and waiting items), sends each, stores its reply, and ends the exchange when every item is
 * stored or dead-lettered.
 *
 * <p>An item waiting for a retry holds no request slot and no thread: it sits on the timer, and comes back through
 * {@link #due}. Items waiting for a retry or a commit are bounded too ({@link #maxWaiting}), so
 * that a site answering every request with Retry-After cannot make the step read a million items into memory.
 */
final class FetchRun {

    static final int MIN_WAITING = 10_000;

    /** The headers a fetch step leaves on the message, beside a summary body. */
    static final String ITEMS = "CaravanFetchItems";
    static final String STORED = "CaravanFetchStored";
    static final String DEAD_LETTERS = "CaravanFetchDeadLetters";
    static final String NOT_MODIFIED = "CaravanFetchNotModified";

    private static final class Item {
        final URI uri;
        final String key;
        final String text;
        /** What the item's GET sends to be answered 304 while its latest content is the site's; null: nothing. */
        final Validators sent;
        int attempts;

        Item(URI uri, String key, String text, Validators sent) {
            this.uri = uri;
            this.key = key;
            this.text = text;
            this.sent = sent;
        }
    }

    private final Exchange exchange;
    private final AsyncCallback callback;
    private final ActiveRun run;
    private final Iterator<?> items;
    private final FetchParts parts;
    private final boolean robotsTxt;
    private final Backoff backoff;
    private final RetryAfter retryAfter;
    private final Expression url;
    private final Expression itemKey;
    private final int concurrency;
    private final int maxAttempts;
    private final int maxWaiting;
    private final boolean skipUnchanged;
    private final boolean conditional;
    /** Whether any item of the job has validators to send: when none has, no item is looked up. */
    private final boolean lookUpValidators;
    /** What the step's replies set, sent with its later requests: a run's session, never another run's. */
    private final CookieStore cookies = new BasicCookieStore();
    /** The item as {@code ${body}} for the URL and key expressions; only {@link #pull} uses it, one at a time. */
    private final Exchange scratch;

    private final Queue<Item> due = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger feeding = new AtomicInteger();
    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicInteger deadLettered = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private int pulled;
    private volatile boolean exhausted;
    private volatile Throwable failure;

    FetchRun(Exchange exchange, AsyncCallback callback, ActiveRun run, Iterator<?> items, FetchEndpoint endpoint,
            FetchParts parts, boolean robotsTxt, Backoff backoff, RetryAfter retryAfter) {
        this.exchange = exchange;
        this.callback = callback;
        this.run = run;
        this.items = items;
        this.parts = parts;
        this.robotsTxt = robotsTxt;
        this.backoff = backoff;
        this.retryAfter = retryAfter;
        this.url = endpoint.urlExpression();
        this.itemKey = endpoint.itemKeyExpression();
        this.concurrency = endpoint.getConcurrency();
        this.maxAttempts = backoff == null ? 1 : endpoint.getMaxAttempts();
        // A waiting item is a few hundred bytes; at 1,000 a retry storm of 2,000 items took one wait more.
        this.maxWaiting = Math.max(MIN_WAITING, 10 * concurrency);
        this.skipUnchanged = endpoint.isSkipUnchanged();
        this.conditional = endpoint.conditionalGets();
        this.lookUpValidators = conditional && remembersValidators(parts, run.run().jobId());
        this.scratch = exchange.copy();
    }

    /**
     * Starts what may start now. Called by whichever thread freed a slot; only one pulls at a time, and a call that
     * comes while another pulls makes that one go round again, so no freed slot is missed.
     */
    void feed() {
        if (feeding.getAndIncrement() == 0) {
            pullWhileAsked();
        }
    }

    /** As {@link #feed}, but what is pulled is pulled and sent on a thread of the continuation, not the caller's. */
    private void feedElsewhere() {
        if (feeding.getAndIncrement() == 0) {
            goOn(this::pullWhileAsked);
        }
    }

    private void pullWhileAsked() {
        do {
            pull();
        } while (feeding.decrementAndGet() != 0);
    }

    private void pull() {
        while (failure == null && requests.get() < concurrency) {
            Item item = null;
            // New items before retries: the sooner every item has had its first try, the sooner the last wait ends
            // (a retry storm took a second longer with retries first). Retries go first once items stop coming.
            if (!exhausted && waiting.get() < maxWaiting) {
                try {
                    if (items.hasNext()) {
                        item = item(items.next());
                        if (item == null) {
                            continue;
                        }
                        pulled++;
                    } else {
                        exhausted = true;
                    }
                } catch (RuntimeException e) {
                    fail(e);
                    break;
                }
            }
            if (item == null) {
                item = due.poll();
                if (item == null) {
                    break;
                }
                waiting.decrementAndGet();
            }
            requests.incrementAndGet();
            send(item);
        }
        if (failure != null) {
            while (due.poll() != null) {
                waiting.decrementAndGet();
            }
        }
        if ((exhausted || failure != null) && requests.get() == 0 && waiting.get() == 0 && ended.compareAndSet(false, true)) {
            end();
        }
    }

    /**
     * The item's URL and key; null for a blank line, or in a retry run for an item it does not redo. A URL or key
     * expression that fails fails the step.
     */
    private Item item(Object value) {
        String text = value instanceof String s ? s.trim() : null;
        if (text != null && text.isEmpty()) {
            return null;
        }
        scratch.getIn().setBody(text != null ? text : value);
        String target = url != null ? evaluate(url) : scratch.getIn().getBody(String.class);
        String key = itemKey != null ? evaluate(itemKey) : target;
        URI uri;
        try {
            uri = new URI(UnsafeUriCharactersEncoder.encodeHttpURI(target == null ? "" : target.trim()));
        } catch (URISyntaxException e) {
            uri = null; // dead-lettered when sent, with the reason
        }
        String masked = parts.secrets().mask(key == null ? target : key);
        if (run.retry() != null && !run.retry().keys().contains(masked)) {
            return null; // a retry run redoes only the items dead-lettered before
        }
        return new Item(uri, masked, text != null ? text : String.valueOf(value),
                lookUpValidators ? validatorsOf(masked, uri) : null);
    }

    /** Whether any item of the job has validators; when that cannot be read, the GETs are unconditional. */
    private static boolean remembersValidators(FetchParts parts, String jobId) {
        try {
            return parts.results().remembersValidators(jobId);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The validators remembered with the item's latest content, if they came from the URL the item asks now; a
     * lookup that fails leaves the GET unconditional, which is never wrong.
     */
    private Validators validatorsOf(String key, URI uri) {
        if (uri == null) {
            return null;
        }
        try {
            Validators remembered = parts.results().validators(run.run().jobId(), key);
            return remembered != null && remembered.url().equals(uri.toString()) ? remembered : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String evaluate(Expression expression) {
        String value = expression.evaluate(scratch, String.class);
        if (scratch.getException() != null) {
            Exception e = scratch.getException();
            scratch.setException(null);
            throw new IllegalStateException("caravan:fetch cannot work out an item's URL or key: " + e.getMessage(), e);
        }
        return value;
    }

    private void send(Item item) {
        String refusal = run.cutoff().refusal();
        if (refusal != null) {
            answered(item, null, new FailureKind.PermanentFailure(refusal));
            return;
        }
        item.attempts++;
        if (item.uri == null || item.uri.getScheme() == null || item.uri.getHost() == null) {
            answered(item, null, new FailureKind.PermanentFailure("Invalid url for item " + item.text
                    + ": it needs a scheme and a host, like https://example.org/ (check the step's url option)"));
            return;
        }
        parts.http().get(item.uri, robotsTxt, cookies, run.cutoff(), conditional, item.sent, new PoliteGet.Answer() {
            @Override
            public void accept(PoliteGet.Reply reply, Throwable failure) {
                answered(item, reply, failure);
            }

            @Override
            public boolean acceptOnIoThread(PoliteGet.Reply reply) {
                return answeredOnIoThread(item, reply);
            }
        });
    }

    /**
     * A reply on the client's I/O thread. Its result is queued for the writer there when that needs no wait, and
     * the next items are pulled and sent by one thread of the continuation at a time, started only when none is
     * at it: not a thread per reply, which cost a tenth of the step's CPU (10000/500/20 in bench/). A full
     * writer's queue, which would block, leaves the reply to {@link #answered} on a thread of its own.
     */
    private boolean answeredOnIoThread(Item item, PoliteGet.Reply reply) {
        CompletableFuture<ResultStore.Outcome> outcome;
        try {
            outcome = parts.results().storeWithoutWaiting(result(item, reply), skipUnchanged);
        } catch (RuntimeException e) {
            return false; // the usual way meets it again, and handles it
        }
        if (outcome == null) {
            return false;
        }
        waiting.incrementAndGet();
        requests.decrementAndGet();
        outcome.whenComplete((stored, error) -> committed(item, stored, error));
        feedElsewhere();
        return true;
    }

    private void answered(Item item, PoliteGet.Reply reply, Throwable failed) {
        waiting.incrementAndGet();
        requests.decrementAndGet();
        try {
            if (reply != null && reply.notModified()) {
                unchanged(item); // its latest stored content is the site's: nothing to write
            } else if (reply != null) {
                store(item, reply); // the commit ends the item; its request slot is free now
                feed();
                return;
            } else if (FailureKind.of(failed) == FailureKind.TRANSIENT && item.attempts < maxAttempts && retryLater(item, failed)) {
                feed(); // the wait is on the timer: its request slot is free now
                return;
            } else {
                deadLetter(item, failed);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
        waiting.decrementAndGet();
        feed();
    }

    /** A 304: the item ends as an unchanged one, as if its content had been fetched and found the same. */
    private void unchanged(Item item) {
        run.counts().stored(false);
        run.ended(item.key);
        stored.incrementAndGet();
        notModified.incrementAndGet();
    }

    private boolean retryLater(Item item, Throwable failed) {
        Duration wait = backoff.before(item.attempts, retryAfter.of(failed));
        // as Camel's redelivery does, so that caravan_retries_total and other event notifiers count it
        EventHelper.notifyExchangeRedelivery(exchange.getContext(), exchange, item.attempts);
        try {
            parts.timer().schedule(() -> {
                due.add(item);
                goOn(this::feed); // the timer's one thread only times waits: a send, or the step's end, runs elsewhere
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false; // the daemon is stopping: the item becomes a dead letter now rather than never
        }
    }

    private void store(Item item, PoliteGet.Reply reply) {
        parts.results().storeLater(result(item, reply), skipUnchanged)
                .whenComplete((outcome, error) -> committed(item, outcome, error));
    }

    private ResultStore.NewResult result(Item item, PoliteGet.Reply reply) {
        Charset charset = StandardCharsets.UTF_8;
        if (reply.charset() != null) {
            try {
                charset = Charset.forName(reply.charset());
            } catch (RuntimeException unknown) {
                // stored as UTF-8, as a body of an unknown charset is elsewhere
            }
        }
        // only validators that differ from those sent need writing: a site that ignores them sends the same again
        Validators validators = reply.validators() == null || reply.validators().equals(item.sent) ? null : reply.validators();
        return new ResultStore.NewResult(run.run().jobId(), run.run().runId(), item.key,
                new String(reply.body(), charset), Instant.now(), validators);
    }

    /** An item's result is committed, or could not be. */
    private void committed(Item item, ResultStore.Outcome outcome, Throwable error) {
        if (error != null) {
            // the writer retried it alone: this result cannot be stored, and the item is a dead letter
            goOn(() -> {
                try {
                    deadLetter(item, error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
                } catch (RuntimeException e) {
                    fail(e); // nor a dead letter: the database is gone, and the step fails
                }
                waiting.decrementAndGet();
                feed();
            });
            return;
        }
        // On the writer's thread: counting is quick and stays here. Pulling more items, or ending the
        // step, goes on elsewhere, and only when this commit is what they wait for.
        run.counts().stored(outcome.isChange());
        run.ended(item.key);
        stored.incrementAndGet();
        boolean wasFull = waiting.getAndDecrement() >= maxWaiting;
        if (wasFull || exhausted || failure != null) {
            goOn(this::feed);
        }
    }

    private void deadLetter(Item item, Throwable failed) {
        String error = parts.secrets().mask(DeadLetterStore.describe(failed));
        Integer status = FailureKind.httpStatus(failed);
        DeadLetterStore.DeadLetter dead = new DeadLetterStore.DeadLetter(run.run().jobId(), run.run().runId(), item.key,
                parts.secrets().mask(item.uri == null ? item.text : item.uri.toString()), item.attempts, status,
                DeadLetterKind.of(failed), error, parts.secrets().mask(item.text), Instant.now());
        // this runs on the HTTP pool's threads, outside the run's unit of work: name the run for the log line
        MDC.put(RunHeaders.MDC_RUN, run.run().runId());
        MDC.put(RunHeaders.MDC_JOB, run.run().jobId());
        try {
            parts.deadLetters().record(run, dead);
        } finally {
            MDC.remove(RunHeaders.MDC_RUN);
            MDC.remove(RunHeaders.MDC_JOB);
        }
        deadLettered.incrementAndGet();
    }

    /** The results writer completes commits on its own thread, which must never run a job's work. */
    private void goOn(Runnable rest) {
        try {
            parts.continuation().execute(rest);
        } catch (RejectedExecutionException stopping) {
            rest.run();
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void end() {
        if (failure != null) {
            exchange.setException(failure instanceof Exception e ? e : new IllegalStateException(failure));
        } else {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("items", pulled);
            summary.put("stored", stored.get());
            summary.put("deadLetters", deadLettered.get());
            summary.put("notModified", notModified.get());
            exchange.getMessage().setBody(summary);
            exchange.getMessage().setHeader(ITEMS, pulled);
            exchange.getMessage().setHeader(STORED, stored.get());
            exchange.getMessage().setHeader(DEAD_LETTERS, deadLettered.get());
            exchange.getMessage().setHeader(NOT_MODIFIED, notModified.get());
        }
        callback.done(false);
    }
}
