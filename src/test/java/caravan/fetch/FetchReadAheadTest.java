package caravan.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import caravan.config.HttpSettings;
import caravan.config.RetrySettings;
import caravan.http.PoliteHttp;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RunHeaders;
import caravan.runs.TriggerType;
import caravan.store.CaravanComponent;
import caravan.store.Database;
import caravan.store.DeadLetterStore;
import caravan.store.GroupCommitResultStore;
import caravan.store.JdbcResultStore;
import caravan.store.Jdbc;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch step in a Camel context of its own (the daemon's HTTP client, limiter and stores, no scheduler): it reads
 * a streamed body only as request slots free up, so a long input is never held in memory.
 */
class FetchReadAheadTest {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path data;

    private Database db;
    private GroupCommitResultStore results;
    private CamelContext camel;
    private final ActiveRuns runs = new ActiveRuns();

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.setProperty("caravan.http.max-per-host", "100");
        CaravanProperties p = CaravanProperties.of(props);
        db = Database.open(DbSettings.from(p, data));
        results = new GroupCommitResultStore(new JdbcResultStore(db.dataSource()));
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("caravanHttp", PoliteHttp.install(camel, HttpSettings.from(p)));
        camel.getRegistry().bind("caravanFetchDefaults", new FetchDefaults(5, RetrySettings.from(p)));
        camel.addComponent("caravan", new CaravanComponent(results, runs, new DeadLetterStore(db.dataSource())));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fetch").to("caravan:fetch?url=" + server.baseUrl() + "/item/${body}");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        results.close();
        db.close();
    }

    @Test
    void a_streamed_body_is_read_as_requests_free_up_and_every_item_is_stored_once() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.on("/item/*", (n, ex) -> {
            release.await(20, TimeUnit.SECONDS);
            return Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}");
        });
        AtomicInteger read = new AtomicInteger();
        Iterator<String> items = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.get() < 200;
            }

            @Override
            public String next() {
                return Integer.toString(read.incrementAndGet());
            }
        };
        runs.begin(JobRun.started("run-1", "job", TriggerType.MANUAL, null, "node", Instant.now()));

        CompletableFuture<Object> summary = camel.createProducerTemplate().asyncRequestBodyAndHeaders("direct:fetch", items,
                Map.of(RunHeaders.RUN_ID, "run-1", RunHeaders.JOB_ID, "job"));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 5);
        // five requests in flight (the step's concurrency), five items read, none ahead
        assertThat(read.get()).isEqualTo(5);
        release.countDown();
        assertThat(summary.get(20, TimeUnit.SECONDS)).isEqualTo(Map.of("items", 200, "stored", 200, "deadLetters", 0));
        Long distinct = new Jdbc(db.dataSource()).queryOne("select count(distinct item_key) from result where run_id = ?",
                rs -> rs.getLong(1), "run-1");
        assertThat(distinct).isEqualTo(200L);
        assertThat(server.maxInFlight()).isEqualTo(5);
    }
}
