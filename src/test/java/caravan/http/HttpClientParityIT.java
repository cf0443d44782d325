package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The non-blocking client ({@code caravan.http.client=async}, the default) and camel-http's own blocking client
 * ({@code classic}) must look the same to a job: the same requests on the wire, the same messages back, the same
 * failures. And the non-blocking one must hold no thread while a request is in flight.
 */
class HttpClientParityIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    /** One job per behaviour; each stores what the route saw under its own item key. */
    private static final String JOBS = """
            - route:
                id: gzip
                from:
                  uri: quartz:parity/gzip
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader: { name: CamelHttpMethod, constant: GET }
                    - toD: "{{test.base-url}}/gzip"
                    - setHeader: { name: CaravanItemKey, constant: gzip }
                    - to: caravan:store
            - route:
                id: redirect
                from:
                  uri: quartz:parity/redirect
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader: { name: CamelHttpMethod, constant: GET }
                    - toD: "{{test.base-url}}/old"
                    - setHeader: { name: CaravanItemKey, constant: redirect }
                    - to: caravan:store
            - route:
                id: post
                from:
                  uri: quartz:parity/post
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader: { name: CamelHttpMethod, constant: POST }
                    - setHeader: { name: Content-Type, constant: "application/json; charset=UTF-8" }
                    - setHeader: { name: X-Token, constant: abc }
                    - setBody: { constant: '{"greeting":"Grüße"}' }
                    - to: "{{test.base-url}}/echo?lang=de"
                    - setBody: { simple: "${header.CamelHttpResponseCode} ${header.X-Answer} ${header.Content-Type} ${body}" }
                    - setHeader: { name: CaravanItemKey, constant: post }
                    - to: caravan:store
            - route:
                id: cookies
                from:
                  uri: quartz:parity/cookies
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader: { name: CamelHttpMethod, constant: GET }
                    - toD: "{{test.base-url}}/login"
                    - toD: "{{test.base-url}}/me"
                    - setHeader: { name: CaravanItemKey, constant: cookies }
                    - to: caravan:store
            - route:
                id: auth
                from:
                  uri: quartz:parity/auth
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader: { name: CamelHttpMethod, constant: GET }
                    - to: "{{test.base-url}}/secret?authMethod=Basic&authUsername=reader&authPassword=RAW(s3cret)&authenticationPreemptive=true"
                    - setHeader: { name: CaravanItemKey, constant: auth }
                    - to: caravan:store
            - route:
                id: missing
                from:
                  uri: quartz:parity/missing
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader: { name: CaravanItemKey, constant: missing }
                    - setHeader: { name: CamelHttpMethod, constant: GET }
                    - toD: "{{test.base-url}}/missing"
                    - to: caravan:store
            """;

    @ParameterizedTest
    @ValueSource(strings = {"async", "classic"})
    void both_clients_send_and_receive_the_same(String client) throws Exception {
        server.on("/gzip", (n, ex) -> new Answer(200, gzip("{\"packed\":true}"),
                        Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 0))
                .on("/old", (n, ex) -> new Answer(302, new byte[0], Map.of("Location", "/new"), 0))
                .on("/new", (n, ex) -> Answer.json("{\"moved\":true}"))
                .on("/echo", (n, ex) -> new Answer(201, "{\"answer\":\"Grüße zurück\"}".getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json; charset=UTF-8", "X-Answer", "yes"), 0))
                .on("/login", (n, ex) -> new Answer(200, "in".getBytes(StandardCharsets.UTF_8),
                        Map.of("Set-Cookie", "sid=s" + n + "; Path=/"), 0))
                .on("/me", (n, ex) -> {
                    List<String> cookie = ex.getRequestHeaders().get("Cookie");
                    return cookie != null && cookie.toString().contains("sid=s1") ? Answer.json("{\"me\":1}") : Answer.status(401);
                })
                .on("/secret", (n, ex) -> {
                    List<String> auth = ex.getRequestHeaders().get("Authorization");
                    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("reader:s3cret".getBytes(StandardCharsets.UTF_8));
                    return auth != null && auth.contains(expected) ? Answer.json("{\"secret\":42}") : Answer.status(401);
                })
                .on("/missing", (n, ex) -> new Answer(404, "no such page".getBytes(StandardCharsets.UTF_8),
                        Map.of("X-Why", "gone"), 0));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("parity.yaml", JOBS).property("test.base-url", server.baseUrl())
                    .property("caravan.http.client", client).start();

            for (String job : List.of("gzip", "redirect", "post", "cookies", "auth")) {
                assertThat(t.runToEnd(job, Duration.ofSeconds(20)).get("status")).as(job).isEqualTo("succeeded");
            }
            assertThat(t.runToEnd("missing", Duration.ofSeconds(20)).get("status")).isEqualTo("failed");

            assertThat(payload(t, "gzip")).isEqualTo("{\"packed\":true}");
            assertThat(server.requestsTo("/gzip").get(0).headers().get("Accept-encoding").toString()).contains("gzip");
            assertThat(payload(t, "redirect")).isEqualTo("{\"moved\":true}");
            assertThat(payload(t, "post")).isEqualTo("201 yes application/json; charset=UTF-8 {\"answer\":\"Grüße zurück\"}");
            FixtureServer.Request post = server.requestsTo("/echo?lang=de").get(0);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(new String(post.body(), StandardCharsets.UTF_8)).isEqualTo("{\"greeting\":\"Grüße\"}");
            assertThat(post.headers().get("X-token")).containsExactly("abc");
            assertThat(post.headers().get("User-agent")).singleElement().asString().startsWith("Caravan/");
            assertThat(post.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel")
                    || h.toLowerCase().startsWith("caravan") || h.equalsIgnoreCase("fireTime"));
            assertThat(payload(t, "cookies")).isEqualTo("{\"me\":1}");
            // Authentication is one of the options the non-blocking client leaves to camel-http's.
            assertThat(payload(t, "auth")).isEqualTo("{\"secret\":42}");
            Map<String, Object> dead = t.query("select * from dead_letter where item_key = 'missing'").get(0);
            assertThat(dead.get("http_status")).isEqualTo(404);
            assertThat(dead.get("attempts")).isEqualTo(1);
            assertThat(dead.get("endpoint")).isEqualTo(server.baseUrl() + "/missing");
        }
    }

    @Test
    void a_request_in_flight_holds_no_thread() throws Exception {
        int items = 60;
        server.on("/item/*", (n, ex) -> Answer.json("{}").delayed(1500));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", caravan.resilience.JobRuns.fanOutJob("job", items, null))
                    .property("test.base-url", server.baseUrl()).property("caravan.fanout.concurrency", "100")
                    .property("caravan.http.max-per-host", "100").property("caravan.http.max-concurrent", "100")
                    .property("caravan.fanout.virtual-threads", "false").start();
            String runId = t.daemon().jobs().trigger("job");

            await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == items);
            assertThat(threadsReadingSockets()).as("threads blocked reading an HTTP response").isLessThan(3);

            assertThat(t.awaitRun(runId, Duration.ofSeconds(20)).get("status")).isEqualTo("succeeded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "classic"})
    void with_cookie_management_off_no_client_sends_a_cookie_back(String client) throws Exception {
        server.on("/login", (n, ex) -> new Answer(200, "in".getBytes(StandardCharsets.UTF_8),
                        Map.of("Set-Cookie", "sid=s" + n + "; Path=/"), 0))
                .on("/me", (n, ex) -> Answer.json("{\"me\":1}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("parity.yaml", JOBS).property("test.base-url", server.baseUrl())
                    .property("caravan.http.client", client)
                    .property("camel.component.http.cookie-management-disabled", "true").start();

            assertThat(t.runToEnd("cookies", Duration.ofSeconds(20)).get("status")).isEqualTo("succeeded");
            assertThat(t.runToEnd("cookies", Duration.ofSeconds(20)).get("status")).isEqualTo("succeeded");

            assertThat(server.requests()).hasSize(4).allSatisfy(r -> {
                assertThat(r.headers()).doesNotContainKey("Cookie");
                // the key applied on top of Caravan's defaults, not instead of them
                assertThat(r.headers().get("User-agent")).singleElement().asString().startsWith("Caravan/");
            });
        }
    }

    private static long threadsReadingSockets() {
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
        return Arrays.stream(threads).filter(info -> Arrays.stream(info.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("java.net.Socket$SocketInputStream") && f.getMethodName().equals("read"))).count();
    }

    private static String payload(TestDaemon t, String key) {
        return (String) t.query("select payload from result where item_key = ?", key).get(0).get("payload");
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
