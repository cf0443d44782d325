package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.DbSettings;
import caravan.support.Postgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Nodes of a cluster started together on a new PostgreSQL database all come up with one migrated schema. */
class ConcurrentMigrationIT {

    @Test
    void four_nodes_migrating_a_new_database_at_once_all_start() throws Exception {
        try (Postgres pg = Postgres.create()) {
            DbSettings settings = new DbSettings(pg.url(), pg.user(), "", 2);
            int nodes = 4;
            CyclicBarrier together = new CyclicBarrier(nodes);
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            List<CompletableFuture<Database>> opened = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                opened.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return Database.open(settings);
                }, pool));
            }
            try {
                for (CompletableFuture<Database> f : opened) {
                    try (Database db = f.get()) {
                        Long runs = new Jdbc(db.dataSource()).queryOne("select count(*) from job_run", rs -> rs.getLong(1));
                        assertThat(runs).isZero();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
