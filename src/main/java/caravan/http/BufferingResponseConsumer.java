package caravan.http;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.ByteArrayBuffer;

/**
 * Reads a whole response into a {@link SimpleHttpResponse}, as HttpClient's {@code SimpleResponseConsumer} does, but
 * parses each distinct Content-Type once: that consumer parses it twice per response, which was a tenth of the
 * HTTP I/O threads' CPU in a fan-out, whose replies mostly share one Content-Type. A charset Java does not know
 * fails the response as it does there.
 */
final class BufferingResponseConsumer implements AsyncResponseConsumer<SimpleHttpResponse> {

    /** Distinct Content-Type values remembered; past that the memory starts over (a crawl of many sites). */
    static final int MAX_TYPES = 64;
    private static final Map<String, ContentType> TYPES = new ConcurrentHashMap<>();
    /** A body's first buffer when the reply gives no length, and the most its length may reserve at once. */
    private static final int FIRST_BUFFER = 1024;
    private static final int MAX_FIRST_BUFFER = 1 << 20;

    private HttpResponse head;
    private ContentType contentType;
    private ByteArrayBuffer body;
    private FutureCallback<SimpleHttpResponse> done;

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
            FutureCallback<SimpleHttpResponse> resultCallback) throws UnsupportedEncodingException {
        if (entity == null) {
            resultCallback.completed(SimpleHttpResponse.copy(response));
            return;
        }
        try {
            contentType = contentTypeOf(entity.getContentType());
        } catch (UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(e.getMessage());
        }
        long length = entity.getContentLength();
        body = new ByteArrayBuffer(length > 0 && length <= MAX_FIRST_BUFFER ? (int) length : FIRST_BUFFER);
        head = response;
        done = resultCallback;
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // a 1xx reply before the real one: nothing to keep
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) {
        if (body != null) {
            body.append(src);
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        FutureCallback<SimpleHttpResponse> callback = done;
        HttpResponse received = head;
        ByteArrayBuffer bytes = body;
        if (callback == null || received == null || bytes == null) {
            return; // released: the exchange failed or was cancelled
        }
        SimpleHttpResponse response = SimpleHttpResponse.copy(received);
        response.setBody(bytes.toByteArray(), contentType);
        releaseResources();
        callback.completed(response);
    }

    @Override
    public void failed(Exception cause) {
        releaseResources(); // the request's own callback hears of the failure from the client
    }

    @Override
    public void releaseResources() {
        head = null;
        body = null;
        done = null;
    }

    /** Content-Type values remembered now. */
    static int rememberedTypes() {
        return TYPES.size();
    }

    /** The parsed Content-Type, null when there is none; throws for a charset this JVM does not support. */
    static ContentType contentTypeOf(String text) {
        if (text == null) {
            return null;
        }
        ContentType type = TYPES.get(text);
        if (type == null) {
            type = ContentType.parse(text);
            if (type == null) {
                return null;
            }
            if (TYPES.size() >= MAX_TYPES) {
                TYPES.clear();
            }
            TYPES.put(text, type);
        }
        return type;
    }
}
