package caravan.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.Fixtures;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Selectors with spaces, '#', '>', '+', ':' and [attr=value] survive YAML parameters and Camel's URI handling. */
class ExtractInRouteIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void selectors_written_as_yaml_parameters_reach_jsoup_unchanged() throws Exception {
        String page = Fixtures.read("html/xkcd-comic-1147.html")
                + "<h2 id='x'>Heading</h2><p class='lead'>First para</p><p>Second para</p>";
        server.on("/comic/1147/", (n, ex) -> Answer.html(page));
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("site.url", server.baseUrl() + "/comic/1147/").route("extract.yaml", """
                    - route:
                        id: extract-job
                        from:
                          uri: quartz:test/extract
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setHeader:
                                name: CamelHttpMethod
                                constant: GET
                            - to: "{{site.url}}"
                            - to:
                                uri: caravan:extract
                                parameters:
                                  title: "#ctitle"
                                  previous: "ul.comicNav a[rel=prev] @href"
                                  nav[]: "ul.comicNav > li > a[href^=/] @href"
                                  adjacent: "RAW(h2#x + p)"
                                  second: "p.lead ~ p:nth-of-type(2)"
                                  alt: "#comic img @alt"
                                  missing: "div.not-there span"
                            - to: caravan:store
                    """).start();
            String runId = t.daemon().jobs().trigger("extract-job");
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    t.count("select count(*) from job_run where run_id = ? and status = 'succeeded'", runId) == 1);
            var row = t.query("select item_key, payload from result where run_id = ?", runId).get(0);
            assertThat(row.get("item_key")).isEqualTo(server.baseUrl() + "/comic/1147/");
            JsonNode r = new ObjectMapper().readTree((String) row.get("payload"));
            assertThat(r.get("title").asText()).isEqualTo("Evolving");
            assertThat(r.get("previous").asText()).isEqualTo(server.baseUrl() + "/1146/");
            assertThat(r.get("nav").get(0).asText()).isEqualTo(server.baseUrl() + "/1/");
            assertThat(r.get("adjacent").asText()).isEqualTo("First para");
            assertThat(r.get("second").asText()).isEqualTo("Second para");
            assertThat(r.get("alt").asText()).isEqualTo("Evolving");
            assertThat(r.get("missing").isNull()).isTrue();
        }
    }
}
