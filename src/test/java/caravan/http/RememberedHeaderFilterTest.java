package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;
import org.apache.camel.http.common.HttpProtocolHeaderFilterStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The remembered filter answers as camel-http's filters do, for every name, case and null value, both ways. */
class RememberedHeaderFilterTest {

    private static final List<String> NAMES = List.of("Content-Type", "content-type", "Content-Length", "Host", "host",
            "CamelHttpMethod", "camelHttpPath", "CaravanItemKey", "Accept", "X-Request-Id", "Transfer-Encoding",
            "connection", "User-Agent", "Set-Cookie", "Cache-Control", "org.apache.camel.foo", "Date");

    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void answers_as_the_filters_of_camel_http_for_every_name_asked_twice() {
        for (HeaderFilterStrategy camel : List.of(new HttpHeaderFilterStrategy(), new HttpProtocolHeaderFilterStrategy(),
                new org.apache.camel.http.base.HttpHeaderFilterStrategy())) {
            HeaderFilterStrategy remembered = RememberedHeaderFilter.of(camel);
            assertThat(remembered).isInstanceOf(RememberedHeaderFilter.class);
            for (int pass = 0; pass < 2; pass++) {
                for (String name : NAMES) {
                    for (Object value : new Object[] {"v", null}) {
                        assertThat(remembered.applyFilterToCamelHeaders(name, value, exchange)).as("out %s=%s", name, value)
                                .isEqualTo(camel.applyFilterToCamelHeaders(name, value, exchange));
                        assertThat(remembered.applyFilterToExternalHeaders(name, value, exchange)).as("in %s=%s", name, value)
                                .isEqualTo(camel.applyFilterToExternalHeaders(name, value, exchange));
                    }
                }
            }
        }
    }

    @Test
    void a_filter_of_its_own_is_asked_every_time() {
        HeaderFilterStrategy byValue = new HttpHeaderFilterStrategy() {
            @Override
            public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
                return "secret".equals(value);
            }
        };
        assertThat(RememberedHeaderFilter.of(byValue)).isSameAs(byValue);
        assertThat(RememberedHeaderFilter.of(null)).isNull();
    }
}
