package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.Fixtures;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped examples for authenticated APIs, sessions, pagination and model APIs, against a local server. */
class ExampleJobsIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void github_issues_follows_the_link_header_to_the_last_page_with_the_token_from_the_environment() throws Exception {
        byte[] page1 = Fixtures.read("api/github-issues-page1.json").getBytes(StandardCharsets.UTF_8);
        server.on("/repos/octo/repo/issues", (n, ex) -> new Answer(200, page1, Map.of("Content-Type", "application/json",
                        "Link", "<" + server.baseUrl() + "/repositories/515435940/issues?per_page=3&page=2>; rel=\"next\", "
                                + "<" + server.baseUrl() + "/repositories/515435940/issues?per_page=3&page=5>; rel=\"last\""), 0))
                .onFixture("/repositories/515435940/issues", "api/github-issues-page2.json", "application/json");
        try (TestDaemon t = new TestDaemon(home)) {
            t.shippedRoute("examples/github-issues.yaml")
                    .property("github.api-url", server.baseUrl()).property("github.repo", "octo/repo")
                    .property("github.per-page", "3").env("GITHUB_TOKEN", "ghp_exampleToken123").start();

            Map<String, Object> run = t.runToEnd("github-issues");

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(6);
            assertThat(t.query("select item_key from result order by item_key")).extracting(r -> r.get("item_key"))
                    .containsExactly("github:octo/repo#10", "github:octo/repo#11", "github:octo/repo#12",
                            "github:octo/repo#13", "github:octo/repo#8", "github:octo/repo#9");
            assertThat(server.requests()).hasSize(2).allSatisfy(r -> {
                assertThat(r.headers().get("Authorization")).containsExactly("Bearer ghp_exampleToken123");
                assertThat(r.headers()).doesNotContainKey("Link");
            });
            assertThat(server.requests().get(1).path()).isEqualTo("/repositories/515435940/issues?per_page=3&page=2");
        }
    }

    @Test
    void shop_session_logs_in_once_and_every_page_carries_the_session_cookie() throws Exception {
        String product = Fixtures.read("html/product-page-monsterpetsupplies.html");
        server.on("/login", (n, ex) -> new Answer(200, "welcome".getBytes(StandardCharsets.UTF_8),
                        Map.of("Set-Cookie", "session=s-" + n + "; Path=/"), 0))
                .on("/products/*", (n, ex) -> {
                    List<String> cookies = ex.getRequestHeaders().get("Cookie");
                    return cookies != null && cookies.toString().contains("session=s-1")
                            ? Answer.html(product) : Answer.status(401);
                });
        try (TestDaemon t = new TestDaemon(home)) {
            t.shippedRoute("examples/shop-session.yaml").property("shop.base-url", server.baseUrl())
                    .property("shop.user", "caravan").property("shop.pages", "/products/1,/products/2")
                    .env("SHOP_PASSWORD", "hunter2-long-password").start();

            Map<String, Object> run = t.runToEnd("shop-session");

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(2);
            assertThat(server.count("/login")).isEqualTo(1);
            assertThat(new String(server.requestsTo("/login").get(0).body(), StandardCharsets.UTF_8))
                    .isEqualTo("username=caravan&password=hunter2-long-password");
            JsonNode page = json.readTree((String) t.query("select payload from result order by item_key").get(0).get("payload"));
            assertThat(page.get("name").asText()).isEqualTo("Johnsons 4 Fleas Cats & Kittens Tablets");
            assertThat(page.get("prices")).extracting(JsonNode::asText).containsExactly("9.56", "5.29");
        }
    }

    @Test
    void ai_summaries_sends_each_story_to_the_model_with_bounded_concurrency_and_stores_the_answers() throws Exception {
        String item = Fixtures.read("api/hn-item-39382092.json");
        String answer = Fixtures.read("api/openai-chat-completion.json");
        server.onFixture("/v0/topstories.json", "api/hn-topstories.json", "application/json")
                .on("/v0/item/*", (n, ex) -> Answer.json(item))
                .on("/v1/chat/completions", (n, ex) -> Answer.json(answer).delayed(100));
        try (TestDaemon t = new TestDaemon(home)) {
            t.shippedRoute("examples/ai-summaries.yaml").property("hn.base-url", server.baseUrl())
                    .property("ai.base-url", server.baseUrl()).property("ai.model", "test-model")
                    .property("ai.prompt", "Summarise \"this\", briefly.").property("ai.top-count", "6")
                    .property("caravan.http.max-per-host.127.0.0.1", "2")
                    .env("AI_API_KEY", "sk-test-0123456789").start();

            Map<String, Object> run = t.runToEnd("ai-summaries");

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(6);
            assertThat(t.query("select payload from result")).extracting(r -> (String) r.get("payload"))
                    .hasSize(6).allSatisfy(p -> assertThat(p).startsWith("Hi there! How can I help you today?"));
            List<FixtureServer.Request> calls = server.requestsTo("/v1/chat/completions");
            assertThat(calls).hasSize(6).allSatisfy(c -> {
                assertThat(c.method()).isEqualTo("POST");
                assertThat(c.headers().get("Authorization")).containsExactly("Bearer sk-test-0123456789");
            });
            JsonNode body = json.readTree(calls.get(0).body());
            assertThat(body.get("model").asText()).isEqualTo("test-model");
            assertThat(body.get("messages").get(0).get("content").asText()).isEqualTo("Summarise \"this\", briefly.");
            assertThat(json.readTree(body.get("messages").get(1).get("content").asText()).get("by").asText()).isEqualTo("gradus_ad");
            assertThat(server.maxInFlight()).isLessThanOrEqualTo(2);
        }
    }
}
