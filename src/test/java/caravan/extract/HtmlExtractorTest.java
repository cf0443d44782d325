package caravan.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.support.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extraction from real captured pages (values from the fixtures' README). */
class HtmlExtractorTest {

    private static HtmlExtractor extractor(String... nameSelectorPairs) {
        return records(null, nameSelectorPairs);
    }

    private static HtmlExtractor records(String each, String... nameSelectorPairs) {
        List<FieldSpec> fields = new java.util.ArrayList<>();
        for (int i = 0; i < nameSelectorPairs.length; i += 2) {
            fields.add(FieldSpec.parse(nameSelectorPairs[i], nameSelectorPairs[i + 1]));
        }
        return new HtmlExtractor(fields, each);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Object extracted) {
        return (Map<String, Object>) extracted;
    }

    @Test
    void fields_from_a_product_page_with_attributes_and_a_missing_field_as_null() {
        Map<String, Object> r = record(extractor(
                "name", "h1[itemprop=name]",
                "price", "meta[itemprop=price] @content",
                "prices[]", "meta[itemprop=price] @content",
                "variant", "h5.variant-title",
                "rating", "span.rating-does-not-exist",
                "reviews[]", "div.no-reviews-here",
                "sku", "h1[itemprop=name] @data-sku")
                .extract(Fixtures.read("html/product-page-monsterpetsupplies.html"), "https://www.example.co.uk/p/1"));
        assertThat(r.get("name")).isEqualTo("Johnsons 4 Fleas Cats & Kittens Tablets");
        assertThat(r.get("price")).isEqualTo("9.56");
        assertThat(r.get("prices")).isEqualTo(List.of("9.56", "5.29"));
        assertThat(r.get("variant")).isEqualTo("6 Treatment Pack");
        assertThat(r).containsEntry("rating", null).containsEntry("sku", null);
        assertThat(r.get("reviews")).isEqualTo(List.of());
        assertThat(r.keySet()).containsExactly("name", "price", "prices", "variant", "rating", "reviews", "sku");
    }

    @Test
    void links_resolve_against_the_page_url_but_other_attributes_stay_as_written() {
        Map<String, Object> r = record(extractor(
                "prev", "ul.comicNav a[rel=prev] @href",
                "image", "#comic img @src",
                "title", "#ctitle")
                .extract(Fixtures.read("html/xkcd-comic-1147.html"), "https://xkcd.com/1147/"));
        assertThat(r.get("prev")).isEqualTo("https://xkcd.com/1146/");
        assertThat(r.get("image")).isEqualTo("http://imgs.xkcd.com/comics/evolving.png");
        assertThat(r.get("title")).isEqualTo("Evolving");
    }

    @Test
    void selectors_with_combinators_pseudo_classes_and_attribute_values() {
        Map<String, Object> r = record(extractor(
                "title", "table.fatitem span.titleline > a",
                "id", "table.fatitem tr.athing @id",
                "next", "nav.page-numbers a:has(span.next) @href",
                "firstRow", "table.finished_gui_table tr:nth-child(n+2) > td:first-child")
                .extract(Fixtures.read("html/hn-item-comments.html") + Fixtures.read("html/ars-article-multipage.html")
                        + Fixtures.read("html/blog-with-table-factorio-fff-282.html"), "https://news.ycombinator.com/"));
        assertThat(r.get("title")).isEqualTo("Ask HN: What are the best papers you read in your life?");
        assertThat(r.get("id")).isEqualTo("36817231");
        assertThat(r.get("next")).isEqualTo(
                "https://arstechnica.com/gadgets/2016/08/the-connected-renter-how-to-make-your-apartment-smarter/2/");
        assertThat(r.get("firstRow")).isEqualTo("Load map");
    }

    @Test
    @SuppressWarnings("unchecked")
    void one_record_per_match_with_fields_relative_to_it() {
        List<Map<String, Object>> comments = (List<Map<String, Object>>) records("tr.athing.comtr",
                "author", "a.hnuser", "indent", "td.ind @indent", "id", "@id")
                .extract(Fixtures.read("html/hn-item-comments.html"), "https://news.ycombinator.com/");
        assertThat(comments).hasSize(100);
        assertThat(comments.get(0)).containsEntry("author", "PaulRobinson").containsEntry("indent", "0");
        assertThat(comments.get(0).get("id")).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_path_fields_on_an_api_answer() {
        Map<String, Object> r = record(extractor("id", "$.id", "reason", "$.choices[0].finish_reason",
                "answer", "$.choices[0].message.content", "missing", "$.nothing.here")
                .extract(Fixtures.read("api/openai-chat-completion.json"), null));
        assertThat(r.get("id")).isEqualTo("chatcmpl-C4Gm9xikLXbgE8He0BHWeoM03aa72");
        assertThat(r.get("reason")).isEqualTo("stop");
        assertThat((String) r.get("answer")).startsWith("Hi there! How can I help you today?");
        assertThat(r.get("missing")).isNull();

        List<Map<String, Object>> issues = (List<Map<String, Object>>) records("$[*]", "number", "$.number",
                "title", "$.title", "user", "$.user.login").extract(Fixtures.read("api/github-issues-page1.json"), null);
        assertThat(issues).extracting(i -> i.get("title")).containsExactly("Test issue 13", "Test issue 12", "Test issue 11");
        assertThat(issues.get(0).get("user")).isEqualTo("octokit-fixture-user-a");
    }

    @Test
    void an_invalid_selector_is_refused_with_the_field_name() {
        assertThatThrownBy(() -> extractor("title", "h1[unclosed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Field 'title': 'h1[unclosed' is not a valid CSS selector");
    }

    @Test
    void an_empty_page_gives_nulls_not_an_exception() {
        Map<String, Object> r = record(extractor("title", "h1", "links[]", "a @href").extract("", null));
        assertThat(r).containsEntry("title", null).containsEntry("links", List.of());
    }
}
