package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.config.CaravanProperties;
import caravan.config.HttpSettings;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reply gives its host's slot back the moment it is in, on the client's own thread, before its handling gets one
 * of the threads that turn replies into exchanges: with a fan-out's replies queued for those threads, the request
 * waiting for the slot would otherwise go out only after all of them.
 */
class SlotGivenBackTest {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    /** Every reply's handling, held until the test runs it. */
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    private AsyncHttpTransport transport;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        transport = new AsyncHttpTransport(HttpSettings.from(CaravanProperties.of(new Properties())), held::add);
        camel = new DefaultCamelContext();
        camel.addComponent("http", new HttpComponent());
        camel.start();
        transport.start();
    }

    @AfterEach
    void stop() throws Exception {
        transport.stop();
        camel.close();
    }

    private AsyncHttpProducer producer(String url) throws Exception {
        return new AsyncHttpProducer(camel.getEndpoint(url, HttpEndpoint.class), transport);
    }

    @Test
    void the_status_is_reported_before_the_reply_is_handled() throws Exception {
        server.on("/item", (n, ex) -> Answer.json("{}"));
        Exchange exchange = new DefaultExchange(camel);
        List<Integer> replied = new CopyOnWriteArrayList<>();
        AtomicBoolean handled = new AtomicBoolean();

        AsyncHttpProducer producer = producer(server.baseUrl() + "/item");
        producer.send(exchange, producer.requestUri(exchange), replied::add, doneSync -> handled.set(true));

        await().atMost(Duration.ofSeconds(10)).until(() -> !replied.isEmpty());
        assertThat(replied).containsExactly(200);
        assertThat(handled).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
        held.poll().run();
        assertThat(handled).isTrue();
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
    }

    @Test
    void a_request_that_gets_no_reply_reports_no_status() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Exchange exchange = new DefaultExchange(camel);
        List<Integer> replied = new CopyOnWriteArrayList<>();

        AsyncHttpProducer producer = producer("http://127.0.0.1:" + closedPort + "/item");
        producer.send(exchange, producer.requestUri(exchange), replied::add, doneSync -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> !replied.isEmpty());
        assertThat(replied).containsExactly((Integer) null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
        held.poll().run();
        assertThat(exchange.getException()).isNotNull();
    }
}
