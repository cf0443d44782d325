package caravan.bench;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;

/** Plain Camel 4, tuned by hand: the same fan-out route with a pool of C threads and C connections per host. */
final class PlainCamelBaseline implements AutoCloseable {

    private final CamelContext camel = new DefaultCamelContext();
    private final ProducerTemplate template;
    private final AtomicInteger ok = new AtomicInteger();

    PlainCamelBaseline(String base, int concurrency) throws Exception {
        HttpComponent http = new HttpComponent();
        http.setMaxTotalConnections(concurrency);
        http.setConnectionsPerRoute(concurrency);
        http.setAutomaticRetriesDisabled(true);
        camel.addComponent("http", http);
        ExecutorService pool = camel.getExecutorServiceManager().newFixedThreadPool(this, "fanout", concurrency);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fanout")
                        .split(body()).parallelProcessing().executorService(pool)
                        .setHeader("CamelHttpMethod", constant("GET"))
                        .toD(base + "/item/${body}")
                        .process(e -> ok.incrementAndGet())
                        .end();
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    long run(int n) {
        ok.set(0);
        List<Integer> items = IntStream.range(0, n).boxed().toList();
        long t0 = System.nanoTime();
        template.sendBody("direct:fanout", items);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ok.get() != n) {
            throw new IllegalStateException("plain Camel completed " + ok.get() + " of " + n);
        }
        return ms;
    }

    @Override
    public void close() throws Exception {
        camel.close();
    }
}
