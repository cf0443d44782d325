package caravan.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import org.apache.camel.spi.EventNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No event notifier of the daemon asks for per-exchange events: one that did would make Camel build and dispatch
 * events for every item of every fan-out (created, sending, sent, completed), a cost paid per item.
 */
class EventNotifiersIT {

    @TempDir
    Path home;

    @Test
    void the_daemon_s_event_notifiers_ignore_the_events_of_every_item() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("tick.yaml", """
                    - route:
                        id: tick
                        from:
                          uri: quartz:test/tick
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: tick
                    """).start();
            var notifiers = t.daemon().camel().getManagementStrategy().getEventNotifiers();
            assertThat(notifiers).isNotEmpty();
            for (EventNotifier n : notifiers) {
                boolean exchangeEvents = n.isIgnoreExchangeEvents() || (n.isIgnoreExchangeCreatedEvent()
                        && n.isIgnoreExchangeCompletedEvent() && n.isIgnoreExchangeSendingEvents() && n.isIgnoreExchangeSentEvents());
                assertThat(exchangeEvents && n.isIgnoreStepEvents())
                        .as("%s ignores per-exchange events", n.getClass().getName()).isTrue();
            }
        }
    }
}
