package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import caravan.config.HttpSettings;
import caravan.http.PoliteHttp;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RunHeaders;
import caravan.runs.TriggerType;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming split of GETs into {@code caravan:store} while the result writer cannot write: requests stop once the
 * writer's queue has no room for their results, instead of replies piling up waiting for it (which ran a daemon out
 * of heap), and every item is stored once the writer moves again.
 */
class ResultBackPressureTest {

    private static final int ROOM = 20;
    private static final int ITEMS = 300;

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
        props.setProperty("caravan.db.pool-size", "2");
        props.setProperty("caravan.http.max-per-host", "10");
        CaravanProperties p = CaravanProperties.of(props);
        db = Database.open(DbSettings.from(p, data));
        results = new GroupCommitResultStore(new JdbcResultStore(db.dataSource()), ROOM);
        camel = new DefaultCamelContext();
        PoliteHttp polite = PoliteHttp.install(camel, HttpSettings.from(p));
        results.holdRequestsWhileFull(polite.limiter()); // as the daemon does
        camel.addComponent("caravan", new CaravanComponent(results, runs, new DeadLetterStore(db.dataSource())));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split")
                        .split(body().tokenize(",")).streaming().parallelProcessing()
                            .setHeader(RunHeaders.ITEM_KEY, simple("item-${body}"))
                            .toD(server.baseUrl() + "/item/${body}")
                            .to("caravan:store");
            }
        });
        camel.start();
        server.on("/item/*", (n, ex) -> Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}"));
    }

    @AfterEach
    void stop() {
        camel.stop();
        results.close();
        db.close();
    }

    @Test
    void while_the_writer_cannot_write_no_more_requests_go_out_than_it_has_room_for_and_then_every_item_is_stored() throws Exception {
        runs.begin(JobRun.started("run-1", "job", TriggerType.MANUAL, null, "node", Instant.now()));
        String items = IntStream.rangeClosed(1, ITEMS).mapToObj(Integer::toString).collect(Collectors.joining(","));
        CompletableFuture<Object> done;
        try (Connection one = db.dataSource().getConnection(); Connection two = db.dataSource().getConnection()) {
            // the writer waits for a connection while the test holds both
            done = camel.createProducerTemplate().asyncRequestBodyAndHeaders("direct:split", items,
                    Map.of(RunHeaders.RUN_ID, "run-1", RunHeaders.JOB_ID, "job"));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() >= ROOM / 2);
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                    .until(() -> server.requests().size() <= ROOM);
        }
        done.get(30, TimeUnit.SECONDS);
        Long stored = new Jdbc(db.dataSource()).queryOne(
                "select count(distinct item_key) from result where run_id = ? having count(*) = count(distinct item_key)",
                rs -> rs.getLong(1), "run-1");
        assertThat(stored).isEqualTo((long) ITEMS);
        assertThat(server.requests()).hasSize(ITEMS);
    }
}
