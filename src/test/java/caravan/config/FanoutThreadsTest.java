package caravan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class FanoutThreadsTest {

    private static FanoutThreads from(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return FanoutThreads.from(CaravanProperties.of(p));
    }

    @Test
    void on_java_17_branches_run_on_a_platform_pool_of_the_configured_concurrency() {
        Properties camel = from("caravan.fanout.concurrency", "300").camelProperties(17);

        assertThat(camel).containsEntry("camel.main.virtualThreadsEnabled", "false")
                .containsEntry("camel.threadpool.poolSize", "300")
                .containsEntry("camel.threadpool.maxPoolSize", "300")
                .containsEntry("camel.threadpool.maxQueueSize", "1000");
    }

    @Test
    void on_java_21_and_later_branches_run_on_virtual_threads_bounded_by_the_configured_concurrency() {
        Properties camel = from("caravan.fanout.concurrency", "300").camelProperties(25);

        assertThat(camel).containsEntry("camel.main.virtualThreadsEnabled", "true")
                .containsEntry("camel.threadpool.maxQueueSize", "300");
        assertThat(from().describe(21)).isEqualTo("fanout.threads=virtual(auto)");
    }

    @Test
    void virtual_threads_can_be_turned_off_and_asking_for_them_on_java_17_says_what_to_do() {
        assertThat(from("caravan.fanout.virtual-threads", "false").camelProperties(25))
                .containsEntry("camel.main.virtualThreadsEnabled", "false");
        assertThatThrownBy(() -> from("caravan.fanout.virtual-threads", "true").camelProperties(17))
                .hasMessage("caravan.fanout.virtual-threads=true needs Java 21 or later; this JVM is Java 17: use auto, or run on a newer JVM");
        assertThatThrownBy(() -> from("caravan.fanout.virtual-threads", "maybe"))
                .hasMessage("caravan.fanout.virtual-threads=maybe is not one of auto, true, false");
    }

    @Test
    void the_http_limiter_admits_at_least_one_fan_out_by_default() {
        Properties p = new Properties();
        p.setProperty("caravan.fanout.concurrency", "500");
        assertThat(PolitenessSettings.from(CaravanProperties.of(p)).maxConcurrent()).isEqualTo(500);
        assertThat(PolitenessSettings.from(CaravanProperties.of(new Properties())).maxConcurrent())
                .isEqualTo(PolitenessSettings.DEFAULT_MAX_CONCURRENT);
    }
}
