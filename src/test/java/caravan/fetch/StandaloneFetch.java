package caravan.fetch;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import caravan.config.HttpSettings;
import caravan.config.RetrySettings;
import caravan.http.PoliteHttp;
import caravan.runs.ActiveRuns;
import caravan.store.CaravanComponent;
import caravan.store.Database;
import caravan.store.DeadLetterStore;
import caravan.store.GroupCommitResultStore;
import caravan.store.JdbcResultStore;
import caravan.store.ResultStore;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A fetch step ({@code direct:fetch} to {@code caravan:fetch?url=BASE/item/${body}}, concurrency 5) in a Camel context
 * of its own: the daemon's HTTP client, limiter and stores on a real H2 file, no scheduler.
 */
final class StandaloneFetch implements AutoCloseable {

    final Database db;
    final GroupCommitResultStore writer;
    final ActiveRuns runs = new ActiveRuns();
    final CamelContext camel;

    /** {@code results}: the store the step sees, made from the daemon's group-committed one. */
    StandaloneFetch(Path data, String baseUrl, UnaryOperator<ResultStore> results) throws Exception {
        Properties props = new Properties();
        props.setProperty("caravan.http.max-per-host", "100");
        CaravanProperties p = CaravanProperties.of(props);
        db = Database.open(DbSettings.from(p, data));
        writer = new GroupCommitResultStore(new JdbcResultStore(db.dataSource()));
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("caravanHttp", PoliteHttp.install(camel, HttpSettings.from(p)));
        camel.getRegistry().bind("caravanFetchDefaults", new FetchDefaults(5, RetrySettings.from(p)));
        camel.addComponent("caravan", new CaravanComponent(results.apply(writer), runs, new DeadLetterStore(db.dataSource())));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fetch").to("caravan:fetch?url=" + baseUrl + "/item/${body}");
            }
        });
        camel.start();
    }

    @Override
    public void close() {
        camel.stop();
        writer.close();
        db.close();
    }
}
