package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming, parallel fan-out over thousands of items completes with one result each while keeping counters,
 * not lists. The 10,000-item case under -Xmx256m is the benchmark's (bench/fanout-10k.sh); this is its fast cousin.
 */
class LargeFanOutIT {

    static final int ITEMS = Integer.getInteger("caravan.test.large-fanout.items", 1_000);

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void thousands_of_items_fanned_out_with_streaming_and_parallel_processing_all_end_as_results() throws Exception {
        String ids = IntStream.rangeClosed(1, ITEMS).mapToObj(Integer::toString).collect(Collectors.joining("\n"));
        server.on("/ids", (n, ex) -> Answer.ok(ids, "text/plain"))
                .on("/item/*", (n, ex) -> Answer.json("{\"id\":\"" + ex.getRequestURI().getPath().substring(6) + "\"}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("big.yaml", """
                    - route:
                        id: big
                        from:
                          uri: quartz:test/big
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setHeader:
                                name: CamelHttpMethod
                                constant: GET
                            - to: "{{test.base-url}}/ids"
                            - split:
                                tokenize: "\\n"
                                streaming: true
                                parallelProcessing: true
                                steps:
                                  - setHeader:
                                      name: CaravanItemKey
                                      simple: "item:${body}"
                                  - setHeader:
                                      name: CamelHttpMethod
                                      constant: GET
                                  - toD: "{{test.base-url}}/item/${body}"
                                  - to: caravan:store
                    """).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("big", Duration.ofMinutes(3));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(ITEMS);
            assertThat(t.count("select count(distinct item_key) from result where run_id = ?", run.get("run_id"))).isEqualTo(ITEMS);
        }
    }
}
