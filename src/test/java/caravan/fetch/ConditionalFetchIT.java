package caravan.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.resilience.JobRuns;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conditional GETs of caravan:fetch against a site that honours them: item 1 has an ETag, item 2 a Last-Modified,
 * item 3 neither. A 304 ends its item as unchanged, with nothing written; changed content is stored with its new
 * validators.
 */
class ConditionalFetchIT {

    private static final String LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    /** Each item's current content; item 1's ETag is its content. */
    private final Map<String, String> content = new ConcurrentHashMap<>(Map.of("1", "one", "2", "two", "3", "three"));

    private Answer answer(HttpExchange ex) {
        String item = ex.getRequestURI().getPath().substring("/item/".length());
        String body = content.get(item);
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "text/plain"));
        if (item.equals("1")) {
            String etag = "\"" + body + "\"";
            headers.put("ETag", etag);
            if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                return new Answer(304, new byte[0], headers, 0);
            }
        } else if (item.equals("2")) {
            headers.put("Last-Modified", LAST_MODIFIED);
            if (LAST_MODIFIED.equals(ex.getRequestHeaders().getFirst("If-Modified-Since"))) {
                return new Answer(304, new byte[0], headers, 0);
            }
        }
        return new Answer(200, body.getBytes(StandardCharsets.UTF_8), headers, 0);
    }

    private static String job(String options) {
        return JobRuns.itemsJob("job", 3, """
                - to:
                    uri: caravan:fetch
                    parameters:
                      delimiter: ","
                      url: "{{test.base-url}}/item/${body}"
                      itemKey: "item:${body}"
                %s
                - log: "summary ${body}"
                """.formatted(options.indent(6).stripTrailing()));
    }

    @Test
    void unchanged_items_are_asked_conditionally_a_304_ends_them_unchanged_and_new_content_brings_new_validators() throws Exception {
        server.on("/item/*", (n, ex) -> answer(ex));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job("")).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> first = t.runToEnd("job");
            assertThat(first.get("status")).isEqualTo("succeeded");
            assertThat(conditions()).containsExactlyInAnyOrder("/item/1 - -", "/item/2 - -", "/item/3 - -");
            assertThat(summary(t, first)).contains("notModified=0");
            assertThat(t.query("select item_key, etag, last_modified from fetch_validator order by item_key"))
                    .extracting(r -> r.get("item_key") + " " + r.get("etag") + " " + r.get("last_modified"))
                    .containsExactly("item:1 \"one\" null", "item:2 null " + LAST_MODIFIED);

            Map<String, Object> second = t.runToEnd("job");
            assertThat(second.get("status")).isEqualTo("succeeded");
            assertThat(conditions()).containsExactlyInAnyOrder(
                    "/item/1 \"one\" -", "/item/2 - " + LAST_MODIFIED, "/item/3 - -");
            assertThat(summary(t, second)).contains("stored=3").contains("notModified=2");
            assertThat(second.get("items_total")).isEqualTo(3);
            assertThat(second.get("items_changed")).isEqualTo(0);
            assertThat(t.count("select count(*) from result")).as("nothing written for a 304").isEqualTo(3);

            content.put("1", "uno");
            Map<String, Object> third = t.runToEnd("job");
            assertThat(conditions()).contains("/item/1 \"one\" -");
            assertThat(summary(t, third)).contains("notModified=1");
            assertThat(third.get("items_changed")).isEqualTo(1);
            assertThat(t.query("select payload from result where item_key = 'item:1' order by id"))
                    .extracting(r -> r.get("payload")).containsExactly("one", "uno");

            t.runToEnd("job");
            assertThat(conditions()).as("the new content's ETag goes with the next GET").contains("/item/1 \"uno\" -");
        }
    }

    @Test
    void with_conditional_false_every_get_is_unconditional_and_no_validators_are_kept() throws Exception {
        server.on("/item/*", (n, ex) -> answer(ex));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job("conditional: false")).property("test.base-url", server.baseUrl()).start();

            t.runToEnd("job");
            Map<String, Object> second = t.runToEnd("job");

            assertThat(conditions()).containsOnly("/item/1 - -", "/item/2 - -", "/item/3 - -");
            assertThat(summary(t, second)).contains("notModified=0");
            assertThat(second.get("items_changed")).isEqualTo(0);
            assertThat(t.count("select count(*) from fetch_validator")).isZero();
        }
    }

    @Test
    void conditional_without_change_detection_is_a_load_error_that_says_what_to_do() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job("conditional: true\nskipUnchanged: false"))
                    .property("test.base-url", server.baseUrl()).start();

            assertThat(t.daemon().routeFiles().problems()).singleElement().satisfies(p -> assertThat(p.toString())
                    .contains("job.yaml").contains("conditional=true needs skipUnchanged=true"));
            assertThat(t.daemon().jobs().schedules()).isEmpty();
        }
    }

    /** Each request since the last call as "path If-None-Match If-Modified-Since", "-" for a header not sent. */
    private int seen;

    private List<String> conditions() {
        List<FixtureServer.Request> all = server.requests();
        List<String> since = all.subList(seen, all.size()).stream()
                .map(r -> r.path() + " " + header(r, "If-None-Match") + " " + header(r, "If-Modified-Since")).toList();
        seen = all.size();
        return since;
    }

    private static String header(FixtureServer.Request r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst().orElse("-");
    }

    private static String summary(TestDaemon t, Map<String, Object> run) {
        return t.query("select message from run_log where run_id = ? and message like 'summary %'", run.get("run_id"))
                .get(0).get("message").toString();
    }
}
