package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replies read whole by the non-blocking client's consumer, from a loopback server, as HttpClient's own reads them. */
class BufferingResponseConsumerTest {

    private HttpServer server;
    private CloseableHttpAsyncClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/latin1", ex -> {
            byte[] body = "Grüße".getBytes(StandardCharsets.ISO_8859_1);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            ex.getResponseHeaders().add("X-Page", "7");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/chunked", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0); // no length: chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 5000; i++) {
                    out.write('a' + i % 26);
                    if (i % 1000 == 0) {
                        out.flush();
                    }
                }
            }
        });
        server.createContext("/empty", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.createContext("/bogus", ex -> {
            byte[] body = "<p>hi</p>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=no-such-charset");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = HttpAsyncClients.createDefault();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.stop(0);
    }

    @Test
    void a_body_keeps_its_bytes_headers_and_charset() throws Exception {
        SimpleHttpResponse response = get("/latin1");

        assertThat(response.getCode()).isEqualTo(200);
        assertThat(response.getBodyText()).isEqualTo("Grüße");
        assertThat(response.getContentType().getMimeType()).isEqualTo("text/plain");
        assertThat(response.getContentType().getCharset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(response.getFirstHeader("X-Page").getValue()).isEqualTo("7");
    }

    @Test
    void a_chunked_body_longer_than_the_first_buffer_arrives_whole() throws Exception {
        byte[] body = get("/chunked").getBodyBytes();

        assertThat(body).hasSize(5000);
        for (int i = 0; i < body.length; i++) {
            assertThat(body[i]).as("byte %d", i).isEqualTo((byte) ('a' + i % 26));
        }
    }

    @Test
    void a_reply_without_a_body_completes_without_one() throws Exception {
        SimpleHttpResponse response = get("/empty");

        assertThat(response.getCode()).isEqualTo(204);
        assertThat(response.getBodyBytes()).isNull();
    }

    @Test
    void an_unknown_charset_fails_the_reply_as_in_httpclient() {
        assertThatThrownBy(() -> get("/bogus"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnsupportedEncodingException.class)
                .hasMessageContaining("no-such-charset");
    }

    @Test
    void each_content_type_is_parsed_once_and_the_memory_of_them_stays_bounded() {
        String json = "application/json; charset=UTF-8";
        assertThat(BufferingResponseConsumer.contentTypeOf(json)).isSameAs(BufferingResponseConsumer.contentTypeOf(json));
        assertThat(BufferingResponseConsumer.contentTypeOf(null)).isNull();

        for (int i = 0; i <= BufferingResponseConsumer.MAX_TYPES; i++) {
            assertThat(BufferingResponseConsumer.contentTypeOf("text/x-" + i).getMimeType()).isEqualTo("text/x-" + i);
        }
        assertThat(BufferingResponseConsumer.rememberedTypes()).isLessThanOrEqualTo(BufferingResponseConsumer.MAX_TYPES);
    }

    private SimpleHttpResponse get(String path) throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        return client.execute(SimpleRequestProducer.create(SimpleRequestBuilder.get(url).build()),
                new BufferingResponseConsumer(), null).get(10, TimeUnit.SECONDS);
    }
}
