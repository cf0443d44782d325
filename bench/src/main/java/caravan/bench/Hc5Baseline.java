package caravan.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.reactor.IOReactorConfig;

/** The physical limit: Apache HttpClient 5 async, at most C requests in flight, nothing else. */
final class Hc5Baseline implements AutoCloseable {

    private final CloseableHttpAsyncClient client;

    Hc5Baseline(int concurrency) {
        client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(concurrency).setMaxConnPerRoute(concurrency).build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(Runtime.getRuntime().availableProcessors()).build())
                .build();
        client.start();
    }

    /** Wall time in ms of N GETs with at most C in flight; every answer must be 200. */
    long run(String base, int n, int c) throws InterruptedException {
        Semaphore slots = new Semaphore(c);
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger failures = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            SimpleHttpRequest request = SimpleRequestBuilder.get(base + "/item/" + i).build();
            client.execute(request, new FutureCallback<SimpleHttpResponse>() {
                @Override
                public void completed(SimpleHttpResponse result) {
                    if (result.getCode() != 200) {
                        if (failures.incrementAndGet() == 1) {
                            System.err.println("first failure: " + result.getCode() + " " + result.getBodyText());
                        }
                    }
                    finish();
                }

                @Override
                public void failed(Exception ex) {
                    if (failures.incrementAndGet() == 1) {
                        ex.printStackTrace();
                    }
                    finish();
                }

                @Override
                public void cancelled() {
                    failures.incrementAndGet();
                    finish();
                }

                private void finish() {
                    slots.release();
                    done.countDown();
                }
            });
        }
        done.await();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + n + " requests failed");
        }
        return ms;
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
