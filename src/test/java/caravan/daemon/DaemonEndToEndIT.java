package caravan.daemon;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped example jobs, on a fast cron, against a local server: runs and results land in the H2 file. */
class DaemonEndToEndIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void the_example_jobs_run_on_cron_and_fill_the_database(String database) throws Exception {
        String top = Fixtures.read("api/hn-topstories.json");
        String item = Fixtures.read("api/hn-item-39382092.json");
        server.on("/v0/topstories.json", (n, ex) -> Answer.json(top))
                .on("/v0/item/*", (n, ex) -> Answer.json(item.replace("39382092",
                        ex.getRequestURI().getPath().replaceAll(".*/(\\d+)\\.json", "$1"))))
                .onFixture("/item", "html/hn-item-comments.html", "text/html")
                .onFixture("/1147/", "html/xkcd-comic-1147.html", "text/html");

        try (TestDaemon t = new TestDaemon(home).onDatabase(database)) {
            t.shippedRoute("hn-top-stories.yaml").shippedRoute("site-scrape.yaml")
                    .property("hn.base-url", server.baseUrl())
                    .property("hn.top-count", "5")
                    .property("sites.news", server.baseUrl() + "/item?id=36817231")
                    .property("sites.comic", server.baseUrl() + "/1147/")
                    .property("hn-top-stories.cron", "0/1 * * * * ?")
                    .property("site-scrape.cron", "0/1 * * * * ?")
                    .start();

            await().atMost(Duration.ofSeconds(20)).until(() ->
                    t.count("select count(*) from job_run where job_id = 'hn-top-stories' and status = 'succeeded'") >= 1
                    && t.count("select count(*) from job_run where job_id = 'site-scrape' and status = 'succeeded'") >= 1);
            t.stop();

            assertThat(t.count("select count(*) from job_run where status = 'running'")).isZero();
            assertThat(t.count("select count(*) from result r where not exists"
                    + " (select 1 from job_run j where j.run_id = r.run_id)")).isZero();

            Map<String, Object> hnRun = t.query("select * from job_run where job_id = 'hn-top-stories'"
                    + " and status = 'succeeded' order by started_at fetch first 1 rows only").get(0);
            assertThat(hnRun.get("trigger_type")).isEqualTo("schedule");
            assertThat(hnRun.get("items_total")).isEqualTo(5);
            assertThat(hnRun.get("items_failed")).isEqualTo(0);
            assertThat(hnRun.get("node_id")).isNotNull();
            assertThat(hnRun.get("scheduled_at")).isNotNull();
            List<Map<String, Object>> hnResults = t.query("select item_key, payload from result where run_id = ? order by item_key",
                    hnRun.get("run_id"));
            assertThat(hnResults).hasSize(5);
            assertThat(hnResults).extracting(r -> r.get("item_key"))
                    .contains("hn:item:39382092");
            JsonNode first = json.readTree((String) hnResults.stream()
                    .filter(r -> r.get("item_key").equals("hn:item:39382092")).findFirst().orElseThrow().get("payload"));
            assertThat(first.get("by").asText()).isEqualTo("gradus_ad");

            Map<String, Object> scrapeRun = t.query("select * from job_run where job_id = 'site-scrape'"
                    + " and status = 'succeeded' order by started_at fetch first 1 rows only").get(0);
            assertThat(scrapeRun.get("items_total")).isEqualTo(2);
            List<Map<String, Object>> pages = t.query("select item_key, payload from result where run_id = ? order by item_key",
                    scrapeRun.get("run_id"));
            assertThat(pages).extracting(r -> r.get("item_key"))
                    .containsExactly(server.baseUrl() + "/1147/", server.baseUrl() + "/item?id=36817231");
            JsonNode comic = json.readTree((String) pages.get(0).get("payload"));
            assertThat(comic.get("title").asText()).isEqualTo("Evolving");
            assertThat(comic.get("image").asText()).isEqualTo("http://imgs.xkcd.com/comics/evolving.png");
            assertThat(comic.get("previous").asText()).isEqualTo(server.baseUrl() + "/1146/");
            JsonNode news = json.readTree((String) pages.get(1).get("payload"));
            assertThat(news.get("title").asText()).isEqualTo("Ask HN: What are the best papers you read in your life?");
            assertThat(news.get("points").asText()).isEqualTo("225 points");
            assertThat(news.get("authors")).hasSize(100);
            assertThat(news.get("authors").get(0).asText()).isEqualTo("PaulRobinson");
        }
    }
}
