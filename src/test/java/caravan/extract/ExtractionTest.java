package caravan.extract;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lists, one record per match, and JSONPath fields, on real captured pages and API answers. */
class ExtractionTest {

    private static HtmlExtractor extractor(String each, String... nameThenSelector) {
        List<FieldSpec> fields = new java.util.ArrayList<>();
        for (int i = 0; i < nameThenSelector.length; i += 2) {
            fields.add(FieldSpec.parse(nameThenSelector[i], nameThenSelector[i + 1]));
        }
        return new HtmlExtractor(fields, each);
    }

    @Test
    void a_list_field_gives_every_match_as_an_array() {
        Object record = extractor(null, "title", "table.fatitem span.titleline > a", "authors[]", "tr.athing.comtr a.hnuser")
                .extract(Fixtures.read("html/hn-item-comments.html"), "https://news.ycombinator.com/item?id=36817231");
        Map<?, ?> page = (Map<?, ?>) record;
        assertThat(page.get("title")).isEqualTo("Ask HN: What are the best papers you read in your life?");
        assertThat((List<?>) page.get("authors")).hasSize(100).first().isEqualTo("PaulRobinson");
    }

    @Test
    void each_gives_one_record_per_match_with_fields_relative_to_it() {
        Object records = extractor("tr.athing.comtr", "author", "a.hnuser", "indent", "td.ind @indent")
                .extract(Fixtures.read("html/hn-item-comments.html"), "https://news.ycombinator.com/");
        assertThat((List<?>) records).hasSize(100);
        assertThat(((List<?>) records).get(0)).isEqualTo(Map.of("author", "PaulRobinson", "indent", "0"));
    }

    @Test
    void attributes_that_hold_links_are_resolved_against_the_page_url() {
        Map<?, ?> comic = (Map<?, ?>) extractor(null, "image", "#comic img @src", "previous", "ul.comicNav a[rel=prev] @href")
                .extract(Fixtures.read("html/xkcd-comic-1147.html"), "https://xkcd.com/1147/");
        assertThat(comic.get("image")).isEqualTo("http://imgs.xkcd.com/comics/evolving.png");
        assertThat(comic.get("previous")).isEqualTo("https://xkcd.com/1146/");
    }

    @Test
    void jsonpath_fields_read_json_bodies_and_each_with_jsonpath_gives_one_record_per_element() {
        String issues = Fixtures.read("api/github-issues-page1.json");
        Map<?, ?> page = (Map<?, ?>) extractor(null, "numbers[]", "$[*].number", "first", "$[0].title").extract(issues, null);
        assertThat(page.get("numbers")).isEqualTo(List.of(13, 12, 11));
        assertThat(page.get("first")).isEqualTo("Test issue 13");

        List<?> records = (List<?>) extractor("$[*]", "number", "$.number", "login", "$.user.login").extract(issues, null);
        assertThat(records).hasSize(3);
        assertThat(records.get(0)).isEqualTo(Map.of("number", 13, "login", "octokit-fixture-user-a"));

        Map<?, ?> answer = (Map<?, ?>) extractor(null, "answer", "$.choices[0].message.content", "tokens", "$.usage.total_tokens")
                .extract(Fixtures.read("api/openai-chat-completion.json"), null);
        assertThat((String) answer.get("answer")).startsWith("Hi there! How can I help you today?");
        assertThat(answer.get("tokens")).isEqualTo(385);
    }
}
