package caravan.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * camel-http's header filters, with each header name's answer remembered. They decide by the name alone (a value
 * matters only when it is null) but compare it with each of their names in turn, ignoring case: for every request
 * header, every reply header and the copy of the request's headers onto the reply, about 8% of a fan-out's CPU.
 * Only Camel's own HTTP filters are wrapped; a job's own filter may look at values, and is asked every time.
 */
final class RememberedHeaderFilter implements HeaderFilterStrategy {

    /** Header names remembered per direction; names beyond it (a server inventing one per reply) are asked for. */
    static final int MAX_NAMES = 1024;

    private final HeaderFilterStrategy filter;
    private final Map<String, Boolean> outgoing = new ConcurrentHashMap<>();
    private final Map<String, Boolean> incoming = new ConcurrentHashMap<>();

    private RememberedHeaderFilter(HeaderFilterStrategy filter) {
        this.filter = filter;
    }

    /** The filter itself unless it is one of camel-http's, whose answers depend on the header name only. */
    static HeaderFilterStrategy of(HeaderFilterStrategy filter) {
        if (filter == null) {
            return null;
        }
        Class<?> type = filter.getClass();
        boolean camelHttp = type == org.apache.camel.http.common.HttpHeaderFilterStrategy.class
                || type == org.apache.camel.http.base.HttpHeaderFilterStrategy.class
                || type == org.apache.camel.http.common.HttpProtocolHeaderFilterStrategy.class
                || type == org.apache.camel.http.base.HttpProtocolHeaderFilterStrategy.class;
        return camelHttp ? new RememberedHeaderFilter(filter) : filter;
    }

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return answer(outgoing, name, value, () -> filter.applyFilterToCamelHeaders(name, value, exchange));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return answer(incoming, name, value, () -> filter.applyFilterToExternalHeaders(name, value, exchange));
    }

    /** The remembered answer for the name, else the filter's (remembered unless the value is null). */
    private static boolean answer(Map<String, Boolean> answers, String name, Object value, BooleanSupplier filter) {
        if (name == null || value == null) {
            return filter.getAsBoolean();
        }
        Boolean answer = answers.get(name);
        if (answer == null) {
            answer = filter.getAsBoolean();
            remember(answers, name, answer);
        }
        return answer;
    }

    private static void remember(Map<String, Boolean> answers, String name, boolean answer) {
        if (answers.size() < MAX_NAMES) {
            answers.put(name, answer);
        }
    }
}
