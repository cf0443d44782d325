package caravan.http;

import caravan.config.HttpSettings;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * One non-blocking HTTP client (Apache HttpClient 5 async) for every job: a request in flight holds a connection
 * and no thread. Its I/O threads only move bytes: what a job does with a response runs on {@code continuation}.
 * Configured as {@link HttpDefaults} configures camel-http: the same pool size, timeouts and HTTP/1.1, the client's
 * own retries off (Caravan retries), compressed responses accepted and decompressed.
 */
final class AsyncHttpTransport extends ServiceSupport {

    private final CloseableHttpAsyncClient client;
    private final Executor continuation;

    AsyncHttpTransport(HttpSettings settings, Executor continuation) {
        this.continuation = continuation;
        int pool = Math.max(settings.maxConnections(), settings.politeness().maxConcurrent());
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(pool)
                .setMaxConnPerRoute(pool)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .build())
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(Timeout.of(settings.responseTimeout())).build())
                .disableAutomaticRetries()
                // No per-user connection state (NTLM, TLS client certificates, neither of which this client is
                // set up for): finding a reply's user token was 3% of the I/O threads' CPU.
                .disableConnectionState()
                // Decompressed by the producer, which also drops the encoding headers as camel-http's client does.
                .disableContentCompression()
                .build();
    }

    CloseableHttpAsyncClient client() {
        return client;
    }

    /** Runs a response's handling off the client's I/O threads; on the caller when the executor is gone (stopping). */
    void continueWith(Runnable task) {
        try {
            continuation.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run();
        }
    }

    @Override
    protected void doStart() {
        client.start();
    }

    @Override
    protected void doStop() {
        client.close(CloseMode.GRACEFUL);
    }
}
