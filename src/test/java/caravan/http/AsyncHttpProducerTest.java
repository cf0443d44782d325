package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.Test;

/** Compressed replies reach a job decoded, as from camel-http's client, whatever form of deflate a server sends. */
class AsyncHttpProducerTest {

    private static final String TEXT = "{\"title\":\"Grüße\",\"n\":1}";

    @Test
    void gzip_and_x_gzip_bodies_are_decoded_and_their_encoding_headers_dropped() throws Exception {
        for (String encoding : new String[] {"gzip", "x-gzip", " GZIP "}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(TEXT.getBytes(StandardCharsets.UTF_8));
            }
            SimpleHttpResponse response = encoded(encoding, bytes.toByteArray());

            AsyncHttpProducer.decompress(response);

            assertThat(response.getBodyText()).as(encoding).isEqualTo(TEXT);
            assertThat(response.containsHeader("Content-Encoding")).isFalse();
            assertThat(response.containsHeader("Content-Length")).isFalse();
        }
    }

    @Test
    void deflate_is_decoded_zlib_wrapped_or_raw() throws Exception {
        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
                out.write(TEXT.getBytes(StandardCharsets.UTF_8));
            }
            SimpleHttpResponse response = encoded("deflate", bytes.toByteArray());

            AsyncHttpProducer.decompress(response);

            assertThat(response.getBodyText()).as(raw ? "raw" : "zlib").isEqualTo(TEXT);
        }
    }

    @Test
    void other_encodings_and_plain_bodies_are_left_as_they_came() throws Exception {
        SimpleHttpResponse brotli = encoded("br", new byte[] {1, 2, 3});
        AsyncHttpProducer.decompress(brotli);
        assertThat(brotli.getBodyBytes()).containsExactly(1, 2, 3);
        assertThat(brotli.getFirstHeader("Content-Encoding").getValue()).isEqualTo("br");

        SimpleHttpResponse plain = SimpleHttpResponse.create(200, TEXT, ContentType.APPLICATION_JSON);
        AsyncHttpProducer.decompress(plain);
        assertThat(plain.getBodyText()).isEqualTo(TEXT);
    }

    private static SimpleHttpResponse encoded(String encoding, byte[] body) {
        SimpleHttpResponse response = SimpleHttpResponse.create(200, body,
                ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8));
        response.addHeader("Content-Encoding", encoding);
        response.addHeader("Content-Length", Integer.toString(body.length));
        return response;
    }
}
